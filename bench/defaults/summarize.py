#!/usr/bin/python3
"""Median test R^2, RMSE and seconds per data set and model, from the CSV lines of sklearn_side.py,
cli_side.py and DefaultsBench.

    /usr/bin/python3 summarize.py RESULTS.csv [MORE.csv ...]
"""
import csv
import statistics
import sys

from datasets import SETS


def main(paths):
    r2, rmse, seconds, models = {}, {}, {}, []
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                key = (row["set"], row["model"])
                r2.setdefault(key, []).append(float(row["r2"]))
                rmse.setdefault(key, []).append(float(row["rmse"]))
                seconds.setdefault(key, []).append(float(row["seconds"]))
                if row["model"] not in models:
                    models.append(row["model"])
    for title, values, shown in (("R2", r2, "{:.3f}"), ("RMSE", rmse, "{:.4g}"), ("seconds", seconds, "{:.2f}")):
        print(f"\nMedian test {title}:\n")
        print("| data set | " + " | ".join(models) + " |")
        print("|---|" + "---:|" * len(models))
        for name in SETS:
            if not any((name, m) in values for m in models):
                continue
            cells = [shown.format(statistics.median(values[(name, m)])) if (name, m) in values else "" for m in models]
            print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
