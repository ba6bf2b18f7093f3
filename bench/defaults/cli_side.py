#!/usr/bin/python3
"""The command-line side of the defaults comparison: `backprop train` as a user runs it.

For each data set and seed, runs

    backprop train NAME.train.csv --target T [--ignore COLS] --test-file NAME.test.csv --seed S

with no other option (the ignored columns are the data's identifiers and leaks, which a user
would leave out too), reads the test score from --json, and times the whole command (process
start to exit, as the user waits for it). Prints set,model,seed,r2,rmse,seconds lines, like
sklearn_side.py. The model and plots go to a temporary folder.

    /usr/bin/python3 cli_side.py SPLIT_DIR [--backprop "dotnet PATH/Backprop.Cli.dll"] [--label backprop_cli]
        [--seeds 1,2,3] [--sets a,b] [-- EXTRA OPTIONS...]
"""
import argparse
import json
import os
import shlex
import subprocess
import tempfile
import time

from datasets import SETS

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CLI = "dotnet " + os.path.normpath(os.path.join(HERE, "../../src/Backprop.Cli/bin/Release/net10.0/Backprop.Cli.dll"))


def train_command(cli, split_dir, name, seed, out_dir, extra):
    _path, target, ignore, _missing = SETS[name]
    command = shlex.split(cli) + ["train", os.path.join(split_dir, f"{name}.train.csv"), "--target", target]
    if ignore:
        command += ["--ignore", ",".join(ignore)]
    return command + ["--seed", str(seed), "--out", os.path.join(out_dir, f"{name}.{seed}.model.json")] + extra


def parser():
    """The arguments every command-line script of the comparison takes: the split, the command, seeds and sets."""
    p = argparse.ArgumentParser()
    p.add_argument("split_dir")
    p.add_argument("--backprop", default=DEFAULT_CLI)
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--sets", default=",".join(SETS))
    return p


def main():
    p = parser()
    p.add_argument("--label", default="backprop_cli")
    p.add_argument("extra", nargs="*", help="options after --, passed to train")
    a = p.parse_args()
    print("set,model,seed,r2,rmse,seconds", flush=True)
    with tempfile.TemporaryDirectory() as out_dir:
        for name in a.sets.split(","):
            for seed in (int(s) for s in a.seeds.split(",")):
                command = train_command(a.backprop, a.split_dir, name, seed, out_dir, a.extra)
                command += ["--test-file", os.path.join(a.split_dir, f"{name}.test.csv"), "--json"]
                clock = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True)
                seconds = time.perf_counter() - clock
                if done.returncode != 0:
                    raise SystemExit(f"{name} seed {seed}: exit {done.returncode}\n{done.stderr}")
                test = next(s for s in json.loads(done.stdout)["scores"] if s["part"] == "test")
                print(f"{name},{a.label},{seed},{test['r2']:.6f},{test['rmse']:.6g},{seconds:.2f}", flush=True)


if __name__ == "__main__":
    main()
