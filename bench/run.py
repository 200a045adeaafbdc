#!/usr/bin/python3
"""Runs the same workloads with dynamodb-mapping and its peers against one server, in one run,
and prints a table with the ratios ours/peer. Each client runs `repeat` times in rotating order
after a warm-up of the server; the table shows medians. Writes the raw and median results as
JSON to bench/results/ (git-ignored).

With PY_PACKAGE_DIR (the directory holding the built dynamodb_mapping package, e.g.
build-bench/python), the Python package runs the same workloads too (peers/python_workloads.py):
a column "ours(Py)" with its ratio to boto3, and the import times of both modules.

Usage: run.py ENDPOINT N REPEAT OURS_BINARY GO_BINARY NODE_MODULES_DIR [PY_PACKAGE_DIR]"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

endpoint, n, repeat, ours, go_binary, node_modules = sys.argv[1:7]
py_package = sys.argv[7] if len(sys.argv) > 7 else None
n, repeat = int(n), int(repeat)
here = os.path.dirname(os.path.abspath(__file__))

clients = {
    "dynamodb-mapping": [ours, endpoint, str(n)],
    "boto3": ["/usr/bin/python3", os.path.join(here, "peers", "boto3_workloads.py"), endpoint, str(n)],
    "aws-sdk-js-v3": ["node", os.path.join(here, "peers", "js_workloads.cjs"), endpoint, str(n)],
    "aws-sdk-go": [go_binary, endpoint, str(n)],
}
PY = "dynamodb-mapping (Python)"
if py_package:
    clients[PY] = ["/usr/bin/python3", os.path.join(here, "peers", "python_workloads.py"), endpoint,
                   str(n), py_package]
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

peers = [p for p in clients if p not in ("dynamodb-mapping", PY)]
short = {"boto3": "boto3", "aws-sdk-js-v3": "js", "aws-sdk-go": "go"}
header = f"{'workload':14} {'metric':16} {'ours':>10} " + " ".join(f"{p:>14}" for p in peers) + \
         " " + " ".join(f"{'ours/' + short[p]:>12}" for p in peers)
if py_package:
    header += f" {'ours(Py)':>10} {'py/boto3':>10}"
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
    line = f"{workload:14} {metric:16} {ours_v:10.1f} " + " ".join(cells) + " " + " ".join(ratios)
    if py_package:
        py_v = median[PY].get(workload, {}).get(metric)
        boto3_v = median["boto3"].get(workload if workload != "scan_parallel" else "scan", {}).get(metric)
        line += f" {py_v:10.1f}" if py_v is not None else f" {'-':>10}"
        line += f" {py_v / boto3_v:10.3f}" if py_v is not None and boto3_v else f" {'-':>10}"
    print(line)

if py_package:
    # Fresh interpreters (`python3 -c "import X"`, medians); "net" subtracts `python3 -c pass`.
    for metric in ("wall_ms", "cpu_ms"):
        for module in ("interpreter", "dynamodb_mapping", "boto3"):
            values = [x["import"][module][metric] for x in raw[PY]]
            median[PY].setdefault("import", {}).setdefault(module, {})[metric] = \
                statistics.median(values)
    imp = median[PY]["import"]
    bare = imp["interpreter"]
    print(f"\nimport time: a fresh `/usr/bin/python3 -c \"import X\"`, median of the runs' medians; "
          "net = minus `python3 -c pass`")
    print(f"{'module':18} {'wall ms':>9} {'cpu ms':>9} {'net wall':>9} {'net cpu':>9}")
    for module in ("dynamodb_mapping", "boto3"):
        w, c = imp[module]["wall_ms"], imp[module]["cpu_ms"]
        print(f"{module:18} {w:9.1f} {c:9.1f} {w - bare['wall_ms']:9.1f} {c - bare['cpu_ms']:9.1f}")
    print(f"{'(python3 -c pass)':18} {bare['wall_ms']:9.1f} {bare['cpu_ms']:9.1f}")
    d, b = imp["dynamodb_mapping"], imp["boto3"]
    net = [(d[m] - bare[m]) / (b[m] - bare[m]) if b[m] > bare[m] else float("nan")
           for m in ("wall_ms", "cpu_ms")]
    print(f"{'ours/boto3':18} {d['wall_ms'] / b['wall_ms']:9.3f} {d['cpu_ms'] / b['cpu_ms']:9.3f} "
          f"{net[0]:9.3f} {net[1]:9.3f}")

os.makedirs(os.path.join(here, "results"), exist_ok=True)
stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
path = os.path.join(here, "results", f"peers-{stamp}.json")
with open(path, "w") as f:
    json.dump({"n": n, "repeat": repeat, "machine": platform.machine(), "cores": os.cpu_count(),
               "median": median, "runs": raw}, f, indent=1)
print(f"results: {path}")
