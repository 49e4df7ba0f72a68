#!/usr/bin/python3
"""Independent PyTorch run of experiments/fmnist_esp.csx's experiment (one run per call).

MLP 784-256-128-10 ReLU (nn.Linear default init from torch.manual_seed(seed)) on the 60 000 Fashion-MNIST
training images (pixels / 255 in float32, no normalisation), Adam lr 1e-3 betas (0.9, beta2) eps 1e-8,
batch 128 with the last partial batch (96) kept: 469 steps an epoch, 20 epochs; shuffle = a fresh
torch.randperm per epoch from a generator seeded 1_000_003 + seed, sequential = 0..N-1 every epoch.
Records each step's batch loss (mean cross-entropy, before the update), and after each epoch the validation
loss / accuracy on the 10 000 test images. Writes one JSON per run.

usage: torch_fmnist.py SAMPLER BETA2 SEED OUT.json [--epochs E] [--train N]
"""
import gzip, json, struct, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"


def images(path, count):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">iiii", f.read(16))
        assert magic == 0x0803
        body = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    return torch.from_numpy(body.astype(np.float32).reshape(count, rows * cols) / np.float32(255))


def labels(path, count):
    with gzip.open(path, "rb") as f:
        magic, n = struct.unpack(">ii", f.read(8))
        assert magic == 0x0801
        body = np.frombuffer(f.read(count), dtype=np.uint8)
    return torch.from_numpy(body.astype(np.int64))


def main():
    args = sys.argv[1:]
    opts = {}
    while "--epochs" in args or "--train" in args:
        i = next(i for i, a in enumerate(args) if a.startswith("--"))
        opts[args[i][2:]] = int(args[i + 1])
        del args[i:i + 2]
    sampler, beta2, seed, out = args[0], float(args[1]), int(args[2]), args[3]
    epochs, n_train, batch = opts.get("epochs", 20), opts.get("train", 60000), 128
    torch.set_num_threads(1)

    x = images(f"{DATA}/train-images-idx3-ubyte.gz", n_train)
    y = labels(f"{DATA}/train-labels-idx1-ubyte.gz", n_train)
    vx = images(f"{DATA}/t10k-images-idx3-ubyte.gz", 10000)
    vy = labels(f"{DATA}/t10k-labels-idx1-ubyte.gz", 10000)

    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, beta2), eps=1e-8)
    gen = torch.Generator().manual_seed(1_000_003 + seed)

    steps_per_epoch = (n_train + batch - 1) // batch  # last partial batch kept
    losses, val_loss, val_acc = [], [], []
    start = time.time()
    for epoch in range(epochs):
        order = torch.randperm(n_train, generator=gen) if sampler == "shuffle" else torch.arange(n_train)
        assert sampler in ("shuffle", "sequential")
        for k in range(steps_per_epoch):
            idx = order[k * batch:(k + 1) * batch]
            loss = F.cross_entropy(net(x[idx]), y[idx])  # mean over the batch
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        with torch.no_grad():
            logits = net(vx)
            val_loss.append(F.cross_entropy(logits, vy, reduction="sum").item() / len(vy))
            val_acc.append((logits.argmax(1) == vy).sum().item() / len(vy))
    json.dump({"sampler": sampler, "beta2": beta2, "seed": seed, "steps_per_epoch": steps_per_epoch, "losses": losses,
               "val_loss": val_loss, "val_accuracy": val_acc, "seconds": time.time() - start,
               "torch": torch.__version__}, open(out, "w"))
    print(f"{sampler} {beta2} seed {seed}: {time.time() - start:.1f} s, final val acc {val_acc[-1]:.4f}", flush=True)


if __name__ == "__main__":
    main()
