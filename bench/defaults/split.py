#!/usr/bin/python3
"""Writes NAME.train.csv and NAME.test.csv for every data set, byte-faithful to the source fields.

Rule (the dev README's): drop rows with a missing (empty) target; a row is a test row when its
0-based source row index i has i % 5 == 0, otherwise a training row. Ignored columns stay in the
files; both sides of the comparison leave them out.

    /usr/bin/python3 split.py DATA_DIR OUT_DIR
"""
import csv
import os
import sys

from datasets import HEAD, SETS


def main(data_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, (path, target, _ignore, _missing) in SETS.items():
        with open(os.path.join(data_dir, path), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        if name in HEAD:
            body = body[: HEAD[name]]
        t = header.index(target)
        train, test = [], []
        for i, row in enumerate(body):
            if row[t] == "":
                continue
            (test if i % 5 == 0 else train).append(row)
        for part, part_rows in (("train", train), ("test", test)):
            with open(os.path.join(out_dir, f"{name}.{part}.csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(part_rows)
        print(f"{name}: {len(train)} train, {len(test)} test")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
