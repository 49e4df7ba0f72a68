# stub: torchmetrics from its own source tree is 1.x
_TORCHMETRICS_GREATER_EQUAL_1_0_0 = True
