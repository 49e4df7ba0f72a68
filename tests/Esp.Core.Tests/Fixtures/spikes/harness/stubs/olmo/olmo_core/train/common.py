# stub: the two metric names stability_monitor.py imports (values as in OLMo-core's src/olmo_core/train/common.py)
TRAIN_CE_LOSS_METRIC = "train/CE loss"
OPTIM_GRAD_NORM_METRIC = "optim/total grad norm"
