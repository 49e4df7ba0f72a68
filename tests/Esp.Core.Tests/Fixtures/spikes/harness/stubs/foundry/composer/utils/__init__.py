# stub: a single process of rank 0
class dist:
    @staticmethod
    def get_global_rank():
        return 0
