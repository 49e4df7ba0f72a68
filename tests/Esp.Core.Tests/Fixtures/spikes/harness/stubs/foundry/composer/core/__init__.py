# stub: Callback base, State (a plain holder), TimeUnit
import enum
class Callback:
    pass
class State:
    pass
class TimeUnit(enum.Enum):
    EPOCH = "ep"
    BATCH = "ba"
    TOKEN = "tok"
