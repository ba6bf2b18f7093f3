#!/usr/bin/python3
"""Median test R^2 and RMSE per data set and model, from the CSV lines of sklearn_side.py and DefaultsBench.

    /usr/bin/python3 summarize.py RESULTS.csv [MORE.csv ...]
"""
import csv
import statistics
import sys

from datasets import SETS


def main(paths):
    r2, rmse, models = {}, {}, []
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                key = (row["set"], row["model"])
                r2.setdefault(key, []).append(float(row["r2"]))
                rmse.setdefault(key, []).append(float(row["rmse"]))
                if row["model"] not in models:
                    models.append(row["model"])
    print("| data set | " + " | ".join(f"{m} R2" for m in models) + " | " + " | ".join(f"{m} RMSE" for m in models) + " |")
    print("|---|" + "---:|" * (2 * len(models)))
    for name in SETS:
        if not any((name, m) in r2 for m in models):
            continue
        cells = [f"{statistics.median(r2[(name, m)]):.3f}" if (name, m) in r2 else "" for m in models]
        cells += [f"{statistics.median(rmse[(name, m)]):.4g}" if (name, m) in rmse else "" for m in models]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
