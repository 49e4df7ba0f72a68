#!/usr/bin/env python3
"""The vectorized NumPy baseline of bench/Esp.Bench: the paper's quadratic problem with Adam, one run at a time,
each step a scatter-add of the batch gradient (np.bincount) and a dense in-place Adam update.

  python3 numpy_baseline.py time --grid fig19|grid256 [--repetitions R]   seconds per repetition of the grid, as JSON lines
  python3 numpy_baseline.py replay DIR    runs the problem and visiting order Esp wrote to DIR, writes DIR/losses.bin

Needs Debian's python3-numpy (apt-get install python3-numpy); Esp.Bench runs it with /usr/bin/python3.
"""
import json
import sys
import time

import numpy as np

N = D = 10_000
BATCH, EPOCHS, LR, BETA1, X0 = 100, 10, 0.06, 0.9, 3.0


def train(a, b, c, dim, batches, beta2, eps, lr=LR, beta1=BETA1, x0=X0, d=D):
    """Adam on f_i(x) = a_i (x[d_i] - c_i)^2 + b_i; batches: the visiting order, one index array per step."""
    x, m, v = np.full(d, float(x0)), np.zeros(d), np.zeros(d)
    losses = np.empty(len(batches))
    for t, idx in enumerate(batches, start=1):
        di = dim[idx]
        r = x[di] - c[idx]
        ar = a[idx] * r
        losses[t - 1] = np.mean(ar * r + b[idx])
        g = np.bincount(di, weights=ar * (2.0 / len(idx)), minlength=d)
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
        x += m / (np.sqrt(v / c2) + eps) * (-lr / c1)
    return losses


def visiting_order(sampler, rng, n=N, batch=BATCH, epochs=EPOCHS):
    batches, previous = [], np.arange(n)
    for epoch in range(epochs):
        if sampler == "with_replacement":
            batches += [rng.choice(n, batch, replace=False) for _ in range(n // batch)]
            continue
        order = {"shuffle": lambda: rng.permutation(n), "sequential": lambda: np.arange(n),
                 "reverse": lambda: previous[::-1] if epoch > 0 else np.arange(n)}[sampler]()
        previous = order
        batches += [order[k:k + batch] for k in range(0, n, batch)]
    return batches


def run(sampler, beta2, eps, seed):
    rng = np.random.default_rng(seed)
    a, b, c = rng.uniform(0.5, 1.0, N), rng.uniform(0.5, 1.0, N), rng.uniform(-1.0, 1.0, N)
    dim = rng.integers(0, D, N)
    return train(a, b, c, dim, visiting_order(sampler, rng), beta2, eps)


GRIDS = {
    # figure 19: 4 samplers x beta2 in {0.999, 0.8}
    "fig19": [(s, b2, 1e-8, 0) for s in ("shuffle", "sequential", "reverse", "with_replacement") for b2 in (0.999, 0.8)],
    # 8 beta2 x 4 eps x 8 seeds, shuffled
    "grid256": [("shuffle", b2, eps, seed) for b2 in (0.999, 0.99, 0.95, 0.9, 0.85, 0.8, 0.79, 0.78)
                for eps in (1e-8, 1e-6, 1e-4, 1e-2) for seed in range(8)],
}


def time_grid(grid, repetitions):
    for _ in range(repetitions):
        start = time.perf_counter()
        for case in GRIDS[grid]:
            run(*case)
        print(json.dumps({"grid": grid, "runs": len(GRIDS[grid]), "seconds": time.perf_counter() - start}), flush=True)


def replay(folder):
    meta = json.load(open(f"{folder}/meta.json"))
    read = lambda name, kind: np.fromfile(f"{folder}/{name}.bin", dtype=kind)
    a, b, c, dim = read("a", "<f8"), read("b", "<f8"), read("c", "<f8"), read("dim", "<i4").astype(np.int64)
    order = read("order", "<i4").astype(np.int64)
    batches = np.split(order, np.cumsum(meta["batch_sizes"])[:-1])
    losses = train(a, b, c, dim, batches, meta["beta2"], meta["eps"], meta["lr"], meta["beta1"], meta["x0"], meta["d"])
    losses.astype("<f8").tofile(f"{folder}/losses.bin")


if __name__ == "__main__":
    if sys.argv[1:2] == ["replay"]:
        replay(sys.argv[2])
    elif sys.argv[1:2] == ["time"]:
        args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
        time_grid(args.get("--grid", "fig19"), int(args.get("--repetitions", "3")))
    else:
        sys.exit(__doc__)
