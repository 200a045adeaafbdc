#!/usr/bin/python3
"""Runs the same workloads with dynamodb-mapping and its peers against one server, in one run,
and prints a table with the ratios ours/peer. Each client runs `repeat` times in rotating order
after a warm-up of the server; the table shows medians. Writes the raw and median results as
JSON to bench/results/ (git-ignored).

Usage: run.py ENDPOINT N REPEAT OURS_BINARY GO_BINARY NODE_MODULES_DIR"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

endpoint, n, repeat, ours, go_binary, node_modules = sys.argv[1:7]
n, repeat = int(n), int(repeat)
here = os.path.dirname(os.path.abspath(__file__))

clients = {
    "dynamodb-mapping": [ours, endpoint, str(n)],
    "boto3": ["/usr/bin/python3", os.path.join(here, "peers", "boto3_workloads.py"), endpoint, str(n)],
    "aws-sdk-js-v3": ["node", os.path.join(here, "peers", "js_workloads.cjs"), endpoint, str(n)],
    "aws-sdk-go": [go_binary, endpoint, str(n)],
}
env = dict(os.environ, NODE_PATH=node_modules, NODE_NO_WARNINGS="1")


def run(name):
    out = subprocess.run(clients[name], env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# Warm the server (the JVM's JIT, SQLite's caches) before anything is measured.
subprocess.run(clients["dynamodb-mapping"][:2] + [str(min(n, 2000))], check=True, capture_output=True)

raw = {name: [] for name in clients}
names = list(clients)
for r in range(repeat):
    for name in names[r % len(names):] + names[:r % len(names)]:
        raw[name].append(run(name))

metrics = [("put", "p50_us"), ("put", "p99_us"), ("put", "ops_s"), ("put", "cpu_us_per_op"),
           ("get", "p50_us"), ("get", "p99_us"), ("get", "ops_s"), ("get", "cpu_us_per_op"),
           ("bulk", "items_s"), ("bulk", "cpu_us_per_item"),
           ("scan", "items_s"), ("scan", "cpu_us_per_item"),
           ("scan_parallel", "items_s"), ("scan_parallel", "cpu_us_per_item")]
median = {name: {} for name in clients}
for name, runs in raw.items():
    for workload, metric in metrics:
        values = [x[workload][metric] for x in runs if workload in x]
        if values:
            median[name].setdefault(workload, {})[metric] = statistics.median(values)

peers = [p for p in clients if p != "dynamodb-mapping"]
short = {"boto3": "boto3", "aws-sdk-js-v3": "js", "aws-sdk-go": "go"}
header = f"{'workload':14} {'metric':16} {'ours':>10} " + " ".join(f"{p:>14}" for p in peers) + \
         " " + " ".join(f"{'ours/' + short[p]:>12}" for p in peers)
print(f"N = {n} items of ~200 bytes, median of {repeat} runs; time and CPU: lower is better, "
      "ops/s and items/s: higher is better")
print(header)
for workload, metric in metrics:
    ours_v = median["dynamodb-mapping"].get(workload, {}).get(metric)
    if ours_v is None:
        continue
    cells, ratios = [], []
    for p in peers:
        # Peers have one scan; our parallel scan is compared with it too.
        v = median[p].get(workload if workload != "scan_parallel" else "scan", {}).get(metric)
        cells.append(f"{v:14.1f}" if v is not None else f"{'-':>14}")
        ratios.append(f"{ours_v / v:12.3f}" if v else f"{'-':>12}")
    print(f"{workload:14} {metric:16} {ours_v:10.1f} " + " ".join(cells) + " " + " ".join(ratios))

os.makedirs(os.path.join(here, "results"), exist_ok=True)
stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
path = os.path.join(here, "results", f"peers-{stamp}.json")
with open(path, "w") as f:
    json.dump({"n": n, "repeat": repeat, "machine": platform.machine(), "cores": os.cpu_count(),
               "median": median, "runs": raw}, f, indent=1)
print(f"results: {path}")
