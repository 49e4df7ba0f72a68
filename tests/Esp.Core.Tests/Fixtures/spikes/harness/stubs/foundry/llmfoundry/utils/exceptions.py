# stub: the two errors (never raised with log_only=True)
class LossSpikeError(Exception):
    def __init__(self, **kw): super().__init__(str(kw))
class HighLossError(Exception):
    def __init__(self, **kw): super().__init__(str(kw))
