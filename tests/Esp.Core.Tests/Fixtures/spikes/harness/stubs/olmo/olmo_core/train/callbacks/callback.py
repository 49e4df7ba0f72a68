# stub: the Callback base class (its hooks are not used by the detection logic)
class Callback:
    pass
