# stub: a logger with no destinations, so log_only just continues
class MosaicMLLogger:
    pass
class Logger:
    destinations = ()
