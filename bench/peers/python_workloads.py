#!/usr/bin/python3
"""The bench/workloads.cpp workloads with this project's Python package dynamodb_mapping, the way
a Python user writes them: ``m[k] = item`` (PutItem), ``m[k]`` (GetItem), ``m.update(pairs)``
(the bulk load: BatchWriteItem), ``for item in m.values()`` and ``m.scan(segments=4)`` (the full
scans). Same items and phases as boto3_workloads.py; prints one JSON object with, besides the
workloads, the import times of ``dynamodb_mapping`` and of ``boto3`` (fresh interpreters).

The package creates no table (the original does not), so the two tables are made and dropped by
a separate short-lived process with boto3 (``--admin``): this process never imports boto3.

Usage: python_workloads.py ENDPOINT N PACKAGE_DIR
       (PACKAGE_DIR: the directory holding dynamodb_mapping/, e.g. build-bench/python)"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal

PYTHON = "/usr/bin/python3"
IMPORT_RUNS = 9


def admin(endpoint, action, names):
    """Deletes (if present) and, for "create", re-creates the tables: boto3, in this process."""
    import boto3

    db = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")
    for name in names:
        try:
            db.Table(name).delete()
            db.Table(name).wait_until_not_exists()
        except db.meta.client.exceptions.ResourceNotFoundException:
            pass
        if action == "create":
            table = db.create_table(
                TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST")
            table.wait_until_exists()


if sys.argv[1] == "--admin":
    admin(sys.argv[2], sys.argv[3], sys.argv[4:])
    sys.exit(0)

endpoint, n, package_dir = sys.argv[1], int(sys.argv[2]), os.path.abspath(sys.argv[3])


def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def import_time(module):
    """Median wall and CPU (user+sys) seconds of a fresh `python3 -c "import MODULE"`, and of a
    bare `python3 -c pass` for the interpreter's own start-up, over IMPORT_RUNS runs each."""
    env = dict(os.environ, PYTHONPATH=package_dir)
    env.pop("PYTHONSTARTUP", None)
    walls, cpus = [], []
    for _ in range(IMPORT_RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-c", f"import {module}" if module else "pass"], env=env,
                       check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {"wall_ms": statistics.median(walls) * 1e3, "cpu_ms": statistics.median(cpus) * 1e3}


# Import times first, before this process has warmed anything but the page cache (one untimed
# import of each, so that both are measured warm).
subprocess.run([PYTHON, "-c", "import boto3, dynamodb_mapping"], check=True,
               env=dict(os.environ, PYTHONPATH=package_dir))
imports = {"interpreter": import_time(None), "dynamodb_mapping": import_time("dynamodb_mapping"),
           "boto3": import_time("boto3")}

sys.path.insert(0, package_dir)
from dynamodb_mapping import DynamoDBMapping  # noqa: E402

seq_name, bulk_name = "bench_py_seq", "bench_py_bulk"
subprocess.run([PYTHON, os.path.abspath(__file__), "--admin", endpoint, "create", seq_name,
                bulk_name], check=True)
options = dict(aws_access_key_id="bench", aws_secret_access_key="bench", aws_region="us-east-1",
               endpoint_url=endpoint)


def item(i):
    return {"pk": "item-%06d" % i, "name": "name of item %d %s" % (i, "n" * 60),
            "price": Decimal("%d.25" % i), "tags": {"alpha", "beta", "gamma"},
            "description": "d" * 70}


def latency(us, seconds, cpu_s):
    us.sort()
    return {"p50_us": us[int(0.5 * (len(us) - 1))], "p99_us": us[int(0.99 * (len(us) - 1))],
            "ops_s": len(us) / seconds, "cpu_us_per_op": cpu_s * 1e6 / len(us)}


def throughput(items, seconds, cpu_s):
    return {"seconds": seconds, "items_s": items / seconds, "cpu_us_per_item": cpu_s * 1e6 / items}


items = [item(i) for i in range(n)]
seq = DynamoDBMapping(seq_name, **options)
seq.key_names  # the DescribeTable, before anything is timed (the C++ workloads do the same)
lat = []
c0, t0 = cpu(), time.perf_counter()
for it in items:
    s = time.perf_counter()
    seq[it["pk"]] = it
    lat.append((time.perf_counter() - s) * 1e6)
put = latency(lat, time.perf_counter() - t0, cpu() - c0)
lat = []
c0, t0 = cpu(), time.perf_counter()
for it in items:
    s = time.perf_counter()
    got = seq[it["pk"]]
    lat.append((time.perf_counter() - s) * 1e6)
    assert len(got) == 5
get = latency(lat, time.perf_counter() - t0, cpu() - c0)

bulk_table = DynamoDBMapping(bulk_name, **options)
bulk_table.key_names
c0, t0 = cpu(), time.perf_counter()
bulk_table.update((it["pk"], it) for it in items)
bulk = throughput(n, time.perf_counter() - t0, cpu() - c0)

c0, t0 = cpu(), time.perf_counter()
seen = sum(1 for i in bulk_table.values() if len(i) == 5)
assert seen == n, seen
scan = throughput(n, time.perf_counter() - t0, cpu() - c0)

c0, t0 = cpu(), time.perf_counter()
seen = sum(1 for i in bulk_table.scan(segments=4) if len(i) == 5)
assert seen == n, seen
scan_parallel = throughput(n, time.perf_counter() - t0, cpu() - c0)

subprocess.run([PYTHON, os.path.abspath(__file__), "--admin", endpoint, "delete", seq_name,
                bulk_name], check=True)
print(json.dumps({"client": "dynamodb-mapping (Python)", "put": put, "get": get, "bulk": bulk,
                  "scan": scan, "scan_parallel": scan_parallel, "import": imports}))
