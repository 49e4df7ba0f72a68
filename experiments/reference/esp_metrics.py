"""A port of src/Esp.Core/Analysis/EspMetrics.cs (Of, Between, Window, FinalLoss, Median), in plain Python floats
with sequential sums as LINQ's Average does."""
import math


def window(steps_per_epoch):
    return (steps_per_epoch + 9) // 10


def _mean(xs):
    xs = list(xs)
    s = 0.0
    for v in xs:
        s += v
    return s / len(xs)


def _median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 == 1 else (s[n // 2 - 1] + s[n // 2]) / 2


def between(losses, spe, first, last):
    epochs = len(losses) // spe
    w = window(spe)
    assert 0 <= first and last < epochs and last - first >= 1
    ep = [losses[e * spe:(e + 1) * spe] for e in range(epochs)]
    head = lambda e: _mean(ep[e][:w])
    tail = lambda e: _mean(ep[e][spe - w:])
    saw = [(tail(e) - head(e + 1)) / _mean(ep[e]) for e in range(first, last)]
    rise = [(tail(e) - head(e)) / _mean(ep[e]) for e in range(first, last + 1)]
    amp = []
    for e in range(first, last + 1):
        wins = [_mean(ep[e][k * w:k * w + w]) for k in range(spe // w)]
        amp.append((max(wins) - min(wins)) / _mean(ep[e]))
    return _median(saw), _median(rise), _median(amp)


def of(losses, spe):
    assert len(losses) % spe == 0 and len(losses) // spe >= 4
    return between(losses, spe, 2, len(losses) // spe - 1)


def final_loss(losses, spe):
    w = min(window(spe), len(losses))
    return _mean(losses[len(losses) - w:])
