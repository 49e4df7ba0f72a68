"""usage: compare.py ESP_FOLDER[,ESP_FOLDER...] TORCH_RUNS_FOLDER
Per cell mean +- se of Esp's runs.csv (+ epochs.csv) against the PyTorch runs' JSON (metrics by the EspMetrics port)."""
import csv, glob, json, math, sys
from collections import defaultdict
import esp_metrics as em

esp_folder, torch_folder = sys.argv[1], sys.argv[2]
metrics = ["sawtooth_index", "rise_index", "amplitude", "final_loss", "val_loss", "val_accuracy"]
esp, tor = defaultdict(lambda: defaultdict(list)), defaultdict(lambda: defaultdict(list))

esp_seeds = defaultdict(list)
for folder in esp_folder.split(","):
    last_epoch = {}
    for r in csv.DictReader(open(f"{folder}/epochs.csv")):
        if r["run"] not in last_epoch or int(r["epoch"]) > int(last_epoch[r["run"]]["epoch"]):
            last_epoch[r["run"]] = r
    for r in csv.DictReader(open(f"{folder}/runs.csv")):
        assert r["status"] == "completed"
        cell = (r["sampler"], float(r["beta2"]))
        esp_seeds[cell].append(int(r["seed"]))
        for m in metrics[:4]: esp[cell][m].append(float(r[m]))
        for m in metrics[4:]: esp[cell][m].append(float(last_epoch[r["run"]][m]))
print("Esp seeds per cell:", {f"{k[0]} {k[1]}": sorted(v) for k, v in esp_seeds.items()})
for f in sorted(glob.glob(f"{torch_folder}/*.json")):
    j = json.load(open(f))
    cell = (j["sampler"], j["beta2"])
    s, r_, a = em.of(j["losses"], j["steps_per_epoch"])
    for m, v in zip(metrics, (s, r_, a, em.final_loss(j["losses"], j["steps_per_epoch"]), j["val_loss"][-1], j["val_accuracy"][-1])):
        tor[cell][m].append(v)

def stats(xs):
    n = len(xs); mean = sum(xs) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else float("nan")
    return mean, sd / math.sqrt(n), n

pooled = defaultdict(list)
for m in metrics:
    print(f"\n{m}")
    print(f"{'cell':<18} {'Esp mean +- se (n)':<26} {'PyTorch mean +- se (n)':<26} {'diff':>8} {'comb se':>8} {'z':>6}")
    for cell in [("shuffle", 0.999), ("shuffle", 0.8), ("sequential", 0.999), ("sequential", 0.8)]:
        if not esp[cell][m] or not tor[cell][m]: continue
        (m1, s1, n1), (m2, s2, n2) = stats(esp[cell][m]), stats(tor[cell][m])
        c = math.hypot(s1, s2); d = m2 - m1
        pooled[m].append((d, c))
        print(f"{cell[0] + ' ' + str(cell[1]):<18} {f'{m1:.4f} +- {s1:.4f} ({n1})':<26} {f'{m2:.4f} +- {s2:.4f} ({n2})':<26} {d:>+8.4f} {c:>8.4f} {d / c if c else float('nan'):>+6.2f}{'  *' if abs(d) > 2 * c else ''}")
    if pooled[m]:
        d = sum(p[0] for p in pooled[m]) / len(pooled[m]); c = math.sqrt(sum(p[1] ** 2 for p in pooled[m])) / len(pooled[m])
        print(f"{'mean of the cells':<18} {'':<26} {'':<26} {d:>+8.4f} {c:>8.4f} {d / c:>+6.2f}{'  *' if abs(d) > 2 * c else ''}")
