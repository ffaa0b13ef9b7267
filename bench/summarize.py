#!/usr/bin/env python3
"""Summarizes a Google Benchmark JSON file (--benchmark_format=json or --benchmark_out).

For every benchmark: the median, min and max of real time over its repetitions, and for a
benchmark whose name has a peer implementation as one of its /-separated parts (boost,
moodycamel, stdmap, nlohmann, rapidjson), the ratio of its median to the median of the same
name with that part replaced by "pmx", in the same run (above 1.0: pmx is faster). Markdown on
stdout.

    bench/summarize.py run.json
"""
import collections
import json
import statistics
import sys


PEERS = {"boost", "moodycamel", "stdmap", "nlohmann", "rapidjson", "pmx_pop1"}


def main(path):
    with open(path) as f:
        data = json.load(f)
    times = collections.defaultdict(list)
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        name = b["run_name"].split("/min_time")[0].replace("/real_time", "")
        times[name].append(b["real_time"])
    ctx = data["context"]
    print(f"Run: {ctx.get('date')}, {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, host {ctx.get('host_name')}\n")
    print("| benchmark | median ns | min | max | pmx speed-up vs this |")
    print("|---|---:|---:|---:|---:|")
    medians = {k: statistics.median(v) for k, v in times.items()}
    for name in sorted(times):
        parts = name.split("/")
        ratio = ""
        for i, part in enumerate(parts):
            if part in PEERS:
                pmx = medians.get("/".join(parts[:i] + ["pmx"] + parts[i + 1:]))
                if pmx:
                    ratio = f"{medians[name] / pmx:.2f}x"
        v = times[name]
        print(f"| {name} | {medians[name]:.2f} | {min(v):.2f} | {max(v):.2f} | {ratio} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
