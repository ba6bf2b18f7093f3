"""The data sets of the defaults comparison: file, target, ignored columns, missing-value policy.

DATA_DIR is the folder that holds the development sets (dev/) and diabetes.csv; pass it on the
command line of split.py. Friedman #1 (friedman1_100k.csv, first N rows) is the large numeric check.
"""

# name: (relative path, target, ignored columns, CLI --missing policy or None)
SETS = {
    "txhousing": ("dev/txhousing.csv", "median", ["date", "volume"], "mean"),
    "sacramento": ("dev/sacramento.csv", "price", [], None),
    "movies": ("dev/movies.csv", "IMDB_Rating", ["Title", "Director"], "mean"),
    "salaries": ("dev/salaries.csv", "salary", [], None),
    "mpg": ("dev/mpg.csv", "hwy", ["cty"], None),
    "cpus": ("dev/cpus.csv", "perf", ["name", "estperf"], None),
    "msleep": ("dev/msleep.csv", "sleep_total", ["name", "genus", "awake"], "mean"),
    "diabetes": ("diabetes.csv", "target", [], None),
    "friedman20k": ("friedman1_100k.csv", "y", [], None),
}

# Rows kept from the head of a file (None: all).
HEAD = {"friedman20k": 20000}
