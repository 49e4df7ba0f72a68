"""usage: verify_port.py RESULTS_FOLDER: recomputes runs.csv's sawtooth_index, rise_index, amplitude and final_loss from
steps.csv with esp_metrics.py and prints the worst difference (0 for every run measured)."""
import csv, sys
from collections import defaultdict
import esp_metrics as em
folder = sys.argv[1]
losses = defaultdict(list)
for r in csv.DictReader(open(f"{folder}/steps.csv")):
    losses[r["run"]].append(float(r["loss"]))
worst = 0
for r in csv.DictReader(open(f"{folder}/runs.csv")):
    if r["status"] != "completed": continue
    n = int(r["n"]) if r["n"] else None
    b = int(r["batch_size"]); drop = r["drop_last"] == "true"
    spe = n // b if drop else (n + b - 1) // b
    ls = losses[r["run"]]
    mine = em.of(ls, spe) + (em.final_loss(ls, spe),)
    theirs = tuple(float(r[k]) for k in ("sawtooth_index", "rise_index", "amplitude", "final_loss"))
    d = max(abs(a - b) for a, b in zip(mine, theirs))
    worst = max(worst, d)
print(f"{folder}: {len(losses)} runs, worst |python - esp| over sawtooth, rise, amplitude, final_loss = {worst:.3g}")
