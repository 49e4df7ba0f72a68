"""Runs the Lion authors' PyTorch optimizer (google/automl lion/lion_pytorch.py, unchanged) on fixed gradient
sequences and writes every step's parameters, for Esp's LionReferenceTests.

Each case: theta0 of D coordinates and a gradient sequence drawn from torch.Generator seeded with the case's seed,
in float64; some gradients are exactly 0 in some coordinates (sign(0) = 0), and one case takes the gradient of a
quadratic at the current parameters instead of a fixed sequence. Output: <case>.csv with columns step, then
g_0..g_{D-1} (the gradient given at that step), then theta_0..theta_{D-1} after the step; step 0 holds theta0.
"""
import csv, sys, torch
from lion_pytorch import Lion

def run(name, lr, betas, wd, steps, d, seed, quadratic=False):
    gen = torch.Generator().manual_seed(seed)
    theta = torch.nn.Parameter(torch.randn(d, generator=gen, dtype=torch.float64) * 2)
    opt = Lion([theta], lr=lr, betas=betas, weight_decay=wd)
    a = torch.rand(d, generator=gen, dtype=torch.float64) + 0.5
    c = torch.randn(d, generator=gen, dtype=torch.float64)
    rows = [[0] + [0.0] * d + theta.detach().tolist()]
    for t in range(1, steps + 1):
        if quadratic:
            g = (2 * a * (theta.detach() - c)).clone()
        else:
            g = torch.randn(d, generator=gen, dtype=torch.float64)
            g[torch.rand(d, generator=gen, dtype=torch.float64) < 0.1] = 0.0  # exact zeros: sign(0) = 0
            if t % 50 == 0:
                g = g * 1000  # a spike
        theta.grad = g.clone()
        opt.step()
        rows.append([t] + g.tolist() + theta.detach().tolist())
    with open(f"{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step"] + [f"g_{i}" for i in range(d)] + [f"theta_{i}" for i in range(d)])
        for r in rows:
            w.writerow([r[0]] + [repr(float(v)) for v in r[1:]])

run("a_defaults", 1e-4, (0.9, 0.99), 0.0, 400, 8, 1)
run("b_weight_decay", 3e-4, (0.9, 0.99), 0.1, 400, 8, 2)
run("c_betas", 1e-3, (0.95, 0.98), 0.01, 300, 6, 3)
run("d_quadratic", 1e-2, (0.9, 0.99), 0.0, 500, 5, 4, quadratic=True)
print("torch", torch.__version__)
