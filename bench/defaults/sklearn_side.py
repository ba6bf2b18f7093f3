#!/usr/bin/python3
"""The scikit-learn side of the defaults comparison: MLPRegressor 64x64 with early stopping, ridge,
and HistGradientBoostingRegressor with its defaults.

Reads the NAME.train.csv / NAME.test.csv files written by split.py and encodes them as Backprop's
table encoder does: a column is numeric when every non-empty training value parses as a number,
otherwise text; numbers get the training mean for missing values and are standardized with the
training mean and (population) deviation; text is one-hot over the training levels, and a missing
or unseen level encodes as all zeros. The target is standardized for fitting (TransformedTargetRegressor)
and scored in its own units.

HistGradientBoostingRegressor gets the columns as a user of it would give them: numbers as they are
(missing values stay NaN, which it handles itself), text columns as ordinal codes over the training
levels (missing and unseen levels NaN) declared through categorical_features, and the raw target.

Prints one CSV line per run: set,model,seed,r2,rmse,seconds (seconds: fit and predict, encoding
excluded, as for Backprop's DefaultsBench).

    /usr/bin/python3 sklearn_side.py SPLIT_DIR [--seeds 1,2,3,4,5] [--sets a,b] [--models ridge,sklearn_mlp,hgb]
"""
import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from datasets import SETS


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def encoder(train, features):
    numeric, text = [], []
    for c in features:
        values = train[c].dropna()
        if len(values) == 0 or pd.to_numeric(values, errors="coerce").notna().all():
            numeric.append(c)
        else:
            text.append(c)
    levels = [sorted(train[c].dropna().unique()) for c in text]
    parts = []
    if numeric:
        parts.append(("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numeric))
    if text:
        parts.append(("text", make_pipeline(
            SimpleImputer(strategy="constant", fill_value="\x00missing"),
            OneHotEncoder(categories=levels, handle_unknown="ignore")), text))
    return ColumnTransformer(parts, sparse_threshold=0), numeric


def boosting_encoder(train, features, numeric):
    """Numbers passed through (NaN kept), text as ordinal codes; returns the encoder and the categorical mask."""
    text = [c for c in features if c not in numeric]
    levels = [sorted(train[c].dropna().unique()) for c in text]
    parts = []
    if numeric:
        parts.append(("num", "passthrough", numeric))
    if text:
        parts.append(("text", OrdinalEncoder(categories=levels, handle_unknown="use_encoded_value",
                                             unknown_value=np.nan, encoded_missing_value=np.nan), text))
    return ColumnTransformer(parts, sparse_threshold=0), [False] * len(numeric) + [True] * len(text)


def frame(df, numeric):
    df = df.copy()
    for c in numeric:
        df[c] = pd.to_numeric(df[c])
    return df


def main():
    p = argparse.ArgumentParser()
    p.add_argument("split_dir")
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--sets", default=",".join(SETS))
    p.add_argument("--models", default="ridge,sklearn_mlp,hgb")
    a = p.parse_args()
    chosen = a.models.split(",")
    seeds = [int(s) for s in a.seeds.split(",")]
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    print("set,model,seed,r2,rmse,seconds", flush=True)
    for name in a.sets.split(","):
        _path, target, ignore, _missing = SETS[name]
        train, test = read(f"{a.split_dir}/{name}.train.csv"), read(f"{a.split_dir}/{name}.test.csv")
        features = [c for c in train.columns if c != target and c not in ignore]
        enc, numeric = encoder(train, features)
        xtr = enc.fit_transform(frame(train[features], numeric))
        xte = enc.transform(frame(test[features], numeric))
        ytr, yte = pd.to_numeric(train[target]).to_numpy(), pd.to_numeric(test[target]).to_numpy()
        runs = []
        if "ridge" in chosen:
            runs.append(("ridge", 0, lambda: TransformedTargetRegressor(regressor=Ridge(alpha=1.0), transformer=StandardScaler()), xtr, xte))
        if "sklearn_mlp" in chosen:
            runs += [("sklearn_mlp", s, lambda s=s: TransformedTargetRegressor(
                regressor=MLPRegressor(hidden_layer_sizes=(64, 64), early_stopping=True, max_iter=200, random_state=s),
                transformer=StandardScaler()), xtr, xte) for s in seeds]
        if "hgb" in chosen:
            benc, categorical = boosting_encoder(train, features, numeric)
            btr = benc.fit_transform(frame(train[features], numeric))
            bte = benc.transform(frame(test[features], numeric))
            runs += [("hgb", s, lambda s=s: HistGradientBoostingRegressor(categorical_features=categorical, random_state=s), btr, bte) for s in seeds]
        for label, seed, make, x_train, x_test in runs:
            clock = time.perf_counter()
            pred = make().fit(x_train, ytr).predict(x_test)
            seconds = time.perf_counter() - clock
            rmse = mean_squared_error(yte, pred) ** 0.5
            print(f"{name},{label},{seed},{r2_score(yte, pred):.6f},{rmse:.6g},{seconds:.2f}", flush=True)


if __name__ == "__main__":
    main()
