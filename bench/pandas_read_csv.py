#!/usr/bin/python3
"""The pandas side of the CSV-loading comparison in docs/performance.md.

Usage: /usr/bin/python3 bench/pandas_read_csv.py [DATA_DIR] [REPEAT]

Reads friedman1_100k.csv with pandas.read_csv (C engine, float32 columns, as our reader
produces floats) once untimed, then REPEAT times, and prints one JSON line with the median.
"""
import json
import os
import statistics
import sys
import time

import pandas as pd

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 7
path = os.path.join(data, "friedman1_100k.csv")
mb = os.path.getsize(path) / 1e6


def load():
    df = pd.read_csv(path, dtype="float32")
    return df.drop(columns="y").to_numpy(), df["y"].to_numpy()


load()
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    X, y = load()
    times.append(time.perf_counter() - t0)
med = statistics.median(times)
print(json.dumps({"peer": "pandas-" + pd.__version__, "workload": "csv-friedman1_100k", "rows": int(X.shape[0]),
                  "megabytes": mb, "seconds": med, "rate": mb / med, "rate_unit": "MB/s", "seconds_per_run": times}))
