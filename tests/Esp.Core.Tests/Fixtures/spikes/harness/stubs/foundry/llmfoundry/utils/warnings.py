# stub: experimental_class only warns on construction
def experimental_class(name):
    return lambda cls: cls
