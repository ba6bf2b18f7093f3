#!/usr/bin/python3
"""Coverage and mean width of `predict --interval` on the test rows, per data set (docs/defaults.md).

For each data set and seed: `backprop train NAME.train.csv --target T [--ignore COLS] --seed S`
(the defaults), then `backprop predict MODEL NAME.test.csv --interval LEVEL --out P.csv`; a test
row is covered when T_lower <= T <= T_upper. Prints one line per data set: the median over seeds
of the coverage and of the mean width (target units), and the test rows.

    /usr/bin/python3 interval_coverage.py SPLIT_DIR [--backprop "dotnet PATH/Backprop.Cli.dll"]
        [--level 0.9] [--seeds 1,2,3] [--sets a,b]
"""
import csv
import math
import os
import shlex
import statistics
import subprocess
import tempfile

from cli_side import parser, train_command
from datasets import SETS


def run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr}")


def coverage(path, target):
    covered, widths = 0, []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            y, lo, hi = float(row[target]), float(row[f"{target}_lower"]), float(row[f"{target}_upper"])
            covered += lo <= y <= hi
            widths.append(hi - lo)
    return covered / len(widths), statistics.fmean(widths), len(widths)


def main():
    p = parser()
    p.add_argument("--level", default="0.9")
    a = p.parse_args()
    print(f"| data set | test rows | coverage at {a.level} | mean width (target units) |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as out_dir:
        for name in a.sets.split(","):
            target = SETS[name][1]
            results = []
            for seed in (int(s) for s in a.seeds.split(",")):
                train = train_command(a.backprop, a.split_dir, name, seed, out_dir, [])
                run(train)
                model = train[train.index("--out") + 1]
                scored = os.path.join(out_dir, f"{name}.{seed}.predicted.csv")
                run(shlex.split(a.backprop) + ["predict", model, os.path.join(a.split_dir, f"{name}.test.csv"),
                                               "--interval", a.level, "--out", scored])
                results.append(coverage(scored, target))
            cover = statistics.median(r[0] for r in results)
            width = statistics.median(r[1] for r in results)
            shown = f"{width:.4g}" if math.isfinite(width) else "infinite"
            print(f"| {name} | {results[0][2]} | {cover:.3f} | {shown} |", flush=True)


if __name__ == "__main__":
    main()
