"""Runs each source's own spike detection on generated series and writes the series and the steps each flags."""
import math, os, sys, csv, tempfile
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
for p in ("olmo", "light", "foundry", "tm/src", "lu/src"):
    sys.path.insert(0, os.path.join(HERE, p))

from olmo_core.train.callbacks.stability_monitor import StabilityMonitorCallback
from olmo_core.train.common import TRAIN_CE_LOSS_METRIC
from lightning.fabric.utilities.spike import SpikeDetection, TrainingSpikeException
from llmfoundry.callbacks.kill_loss_spike_callback import KillLossSpike
from composer.core import TimeUnit
from composer.loggers import Logger

f32 = lambda x: float(np.float32(x))  # every value is a float32, as a training loss is


def decay(rng, n, noise):
    t = np.arange(n)
    return [f32(v) for v in (2.5 * np.exp(-t / 600) + 0.4) * np.exp(noise * rng.standard_normal(n))]


def series():
    rng = np.random.default_rng(19)
    s = decay(rng, 1500, 0.03)
    for t, k in [(40, 5), (150, 2.1), (151, 2.1), (300, 3.5), (420, 8), (424, 3.01), (700, 2.0), (900, 12), (901, 6), (1300, 2.6)]:
        s[t] = f32(s[t] * k)
    yield "decay_spikes", s

    w = np.cumsum(0.01 * rng.standard_normal(2500))
    s = [f32(v) for v in 3 * np.exp(w - np.linspace(0, 1.5, 2500))]
    for t, k in [(130, 4), (600, 2.5), (601, 2.5), (602, 2.5), (1111, 9), (1800, 3.2), (2400, 2.2)]:
        s[t] = f32(s[t] * k)
    yield "random_walk", s  # 2500 planned steps: llm-foundry's window is 125

    s = decay(rng, 1200, 0.02)
    for t, v in [(300, math.nan), (500, math.inf), (700, -math.inf), (702, math.nan)]:
        s[t] = v
    for t in [399, 400, 401, 427, 428, 429, 430, 510, 599, 600, 601, 628, 629, 800, 801, 802, 830, 831]:
        s[t] = f32(s[t] * 10)  # just before, at and after the window has let each non-finite value go
    yield "nonfinite", s

    c = f32(0.1)
    s = ([1.0] * 200 + [2.0] + [1.0] * 199 + [3.0] + [1.0] * 199   # a relative tie at 2x, Lightning's at 3x
         + [1.0, 3.0] * 100 + [8.0] + [1.0, 3.0] * 99 + [3.0, 8.25]  # z = 6 exactly (population sd 1), then just over
         + [c] * 150 + [2 * c] + [c] * 149 + [f32(3 * c)] + [c] * 49
         + [0.5] * 130 + [1.0] + [0.5] * 20 + [1.5] + [0.5] * 20)
    yield "ties", s


def olmo_core(s):
    cb = StabilityMonitorCallback()
    flags, metrics = [], {}
    for t, v in enumerate(s):
        before = cb._total_spike_count
        metrics = {TRAIN_CE_LOSS_METRIC: v}
        cb.pre_log_metrics(t, metrics)
        if cb._total_spike_count > before:
            flags.append(t)
    return flags, metrics.get("spike/SpikeScore (total)")


class Strategy:
    root_device = torch.device("cpu")
    def barrier(self): pass
    def reduce_boolean_decision(self, decision, all=True): return decision  # one process


class Fabric:
    strategy = Strategy()
    global_rank = 0


def lightning(s, dtype):
    torch.set_default_dtype(dtype)  # torchmetrics' MeanMetric keeps its state in the default dtype
    det = SpikeDetection(exclude_batches_path=tempfile.mkdtemp())
    flags = []
    for t, v in enumerate(s):
        try:
            det.on_train_batch_end(Fabric(), torch.tensor(v, dtype=dtype), None, t)
        except TrainingSpikeException:
            flags.append(t)  # a run that logs the spike and goes on, as after a resume that skips the batch
    torch.set_default_dtype(torch.float32)
    return flags


class Timestamp:
    def __init__(self, batch): self.batch, self.token = batch, 0


class Duration:
    def __init__(self, n): self.unit, self.value = TimeUnit.BATCH, n


class State:
    def __init__(self, n): self.max_duration, self.dataloader_len = Duration(n), None


def llm_foundry(s):
    cb = KillLossSpike()  # log_only=True, outlier_multiplier=2, window_size=100 (then 5% of the planned batches)
    state, logger = State(len(s)), Logger()
    flags = []
    for t, v in enumerate(s):
        state.loss, state.timestamp = torch.tensor(v, dtype=torch.float32), Timestamp(t + 1)
        before = cb.outlier_counter
        cb.batch_end(state, logger)
        if cb.outlier_counter > before:
            flags.append(t)  # the per-step outlier test ('Potential loss spike detected')
    return flags, cb.window_size


def show(v):
    return "NaN" if math.isnan(v) else "Infinity" if v == math.inf else "-Infinity" if v == -math.inf else repr(v)


out = os.path.join(HERE, "out")
os.makedirs(out, exist_ok=True)
summary = []
for name, s in series():
    o, score = olmo_core(s)
    l32, l64 = lightning(s, torch.float32), lightning(s, torch.float64)
    f, window = llm_foundry(s)
    with open(os.path.join(out, name + ".csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["step", "value", "olmo_core", "lightning", "llm_foundry"])
        for t, v in enumerate(s):
            w.writerow([t, show(v), int(t in o), int(t in l32), int(t in f)])
    summary.append((name, len(s), repr(score), window))
    print(name, len(s), "olmo", o, "score", score)
    print("  lightning f32", l32, "f64 same:", l32 == l64)
    print("  llm-foundry window", window, f)
with open(os.path.join(out, "summary.csv"), "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["series", "steps", "olmo_core_spike_score_total", "llm_foundry_window"])
    w.writerows(summary)
