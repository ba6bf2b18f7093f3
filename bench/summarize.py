#!/usr/bin/env python3
"""Median tables for docs/performance.md from the JSON lines of the peers and of our runner.

    python3 bench/summarize.py PEERS.jsonl OURS.jsonl > summary.md

Groups runs by workload, peer, thread count and environment; a configuration's figure is the
median over its runs; each peer is shown at its best configuration, and the ratio column compares
our best configuration with the best peer's, both from the same files (the same session).
"""
import json
import statistics
import sys
from collections import defaultdict

ORDER = ["W1", "W2", "W3", "W4", "L-sgemm"]


def load(paths):
    runs = []
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                d = json.loads(line)
                if "workload" in d and "rate" in d:
                    runs.append(d)
    return runs


def family(peer):
    # "sklearn-1.2.1" -> "sklearn"; the hand-written C loops are one family (the limit, not a peer)
    if peer.startswith("hand-"):
        return "hand-written C loop"
    return peer.split("-")[0]


def configurations(runs):
    groups = defaultdict(list)
    for d in runs:
        if d["peer"].endswith("fannclip") or d["peer"] == "hand-float64":
            continue  # variants of the limit kept for the cross-check only
        workload = d["workload"] if d["workload"] != "L-sgemm" else f"L-sgemm {d.get('shape', '')}"
        key = (workload, d["peer"], d["threads"], d.get("env", "-"))
        groups[key].append(d)
    out = []
    for (w, peer, t, env), ds in groups.items():
        ds = sorted(ds, key=lambda d: d["rate"])
        mid = ds[len(ds) // 2]
        out.append({
            "workload": w, "peer": peer, "family": family(peer), "threads": t, "env": env,
            "runs": len(ds), "rate": statistics.median(d["rate"] for d in ds),
            "unit": ds[0]["rate_unit"], "value": mid["value"], "metric": mid["metric"],
            "gflops": statistics.median(d["gflops"] for d in ds) if "gflops" in ds[0] else None,
            "peak_mb": statistics.median(d["peak_mb"] for d in ds) if "peak_mb" in ds[0] else None,
            "rates": [d["gflops"] if w == "W4" and "gflops" in d else d["rate"] for d in ds],
        })
    return out


def fmt(rate, unit):
    if unit == "GFLOP/s":
        return f"{rate:.0f}"
    for scale, suffix in ((1e6, " M"), (1e3, " k")):
        if rate >= scale:
            return f"{rate / scale:.3g}{suffix}"
    return f"{rate:.3g}"


def figure(c):
    return (c["gflops"], "GFLOP/s") if c["workload"] == "W4" else (c["rate"], c["unit"])


def main():
    configs = configurations(load(sys.argv[1:]))
    families = sorted({c["family"] for c in configs if c["family"] != "backprop"})
    print("| workload | backprop 1 thread | backprop 2 threads | " + " | ".join(families) + " | ours / best peer |")
    print("|---|---|---|" + "---|" * len(families) + "---|")
    for w in ORDER[:4]:
        row = [c for c in configs if c["workload"] == w]
        if not row:
            continue
        unit = figure(row[0])[1]
        cells = [f"{w} ({unit})"]
        ours = {}
        for t in (1, 2):
            c = [x for x in row if x["family"] == "backprop" and x["threads"] == t]
            if c:
                ours[t] = figure(c[0])[0]
                cells.append(f"{fmt(ours[t], unit)} (n={c[0]['runs']})")
            else:
                cells.append("-")
        best_peer = None
        for fam in families:
            cs = [x for x in row if x["family"] == fam]
            if not cs:
                cells.append("-")
                continue
            b = max(cs, key=lambda x: figure(x)[0])
            env = "" if b["env"] in ("-", "default") else f", {b['env']}"
            cells.append(f"{fmt(figure(b)[0], unit)} ({b['threads']}t{env}; n={b['runs']})")
            if fam != "hand-written C loop" and (best_peer is None or figure(b)[0] > figure(best_peer)[0]):
                best_peer = b
        if ours and best_peer:
            mine = max(ours.values())
            cells.append(f"{mine / figure(best_peer)[0]:.2f}x {best_peer['family']}")
        else:
            cells.append("-")
        print("| " + " | ".join(cells) + " |")
    print()
    print("| accuracy (median run of each configuration above) | metric | " + " | ".join(["backprop"] + families) + " |")
    print("|---|---|" + "---|" * (len(families) + 1))
    for w in ORDER[:4]:
        row = [c for c in configs if c["workload"] == w]
        if not row:
            continue
        cells = [w, row[0]["metric"]]
        for fam in ["backprop"] + families:
            cs = [x for x in row if x["family"] == fam]
            cells.append(", ".join(sorted({f"{x['value']:.6g}" for x in cs})) if cs else "-")
        print("| " + " | ".join(cells) + " |")
    print()
    print("All configurations (median rate over the runs; every run listed):")
    print()
    print("| workload | peer | threads | env | runs | median | runs' rates | value (median run) | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in sorted(configs, key=lambda c: (ORDER.index(c["workload"].split(" ")[0]), c["workload"], c["peer"], c["threads"], c["env"])):
        value, unit = figure(c)
        rates = ", ".join(fmt(r, unit) for r in c["rates"])
        peak = f"{c['peak_mb']:.0f}" if c["peak_mb"] else ""
        print(f"| {c['workload']} | {c['peer']} | {c['threads']} | {c['env']} | {c['runs']} | {fmt(value, unit)} {unit} | {rates} | {c['value']:.6g} | {peak} |")


if __name__ == "__main__":
    main()
