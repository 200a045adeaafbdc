#!/usr/bin/python3
"""The bench/workloads.cpp workloads with boto3 (Debian python3-boto3), the way a Python user
writes them: the Table resource for put/get, batch_writer for the bulk load, Table.scan pages
for the full scan. Prints one JSON object. Usage: boto3_workloads.py ENDPOINT N"""
import json
import resource
import sys
import time
from decimal import Decimal

import boto3

endpoint, n = sys.argv[1], int(sys.argv[2])
db = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                    aws_access_key_id="bench", aws_secret_access_key="bench")


def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def item(i):
    return {"pk": "item-%06d" % i, "name": "name of item %d %s" % (i, "n" * 60),
            "price": Decimal("%d.25" % i), "tags": {"alpha", "beta", "gamma"},
            "description": "d" * 70}


def fresh_table(name):
    try:
        db.Table(name).delete()
    except db.meta.client.exceptions.ResourceNotFoundException:
        pass
    return db.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           BillingMode="PAY_PER_REQUEST")


def latency(us, seconds, cpu_s):
    us.sort()
    return {"p50_us": us[int(0.5 * (len(us) - 1))], "p99_us": us[int(0.99 * (len(us) - 1))],
            "ops_s": len(us) / seconds, "cpu_us_per_op": cpu_s * 1e6 / len(us)}


def throughput(items, seconds, cpu_s):
    return {"seconds": seconds, "items_s": items / seconds, "cpu_us_per_item": cpu_s * 1e6 / items}


items = [item(i) for i in range(n)]
seq = fresh_table("bench_boto3_seq")
lat = []
c0, t0 = cpu(), time.perf_counter()
for it in items:
    s = time.perf_counter()
    seq.put_item(Item=it)
    lat.append((time.perf_counter() - s) * 1e6)
put = latency(lat, time.perf_counter() - t0, cpu() - c0)
lat = []
c0, t0 = cpu(), time.perf_counter()
for it in items:
    s = time.perf_counter()
    got = seq.get_item(Key={"pk": it["pk"]})["Item"]
    lat.append((time.perf_counter() - s) * 1e6)
    assert len(got) == 5
get = latency(lat, time.perf_counter() - t0, cpu() - c0)

bulk_table = fresh_table("bench_boto3_bulk")
c0, t0 = cpu(), time.perf_counter()
with bulk_table.batch_writer() as writer:
    for it in items:
        writer.put_item(Item=it)
bulk = throughput(n, time.perf_counter() - t0, cpu() - c0)

c0, t0 = cpu(), time.perf_counter()
seen, kwargs = 0, {}
while True:
    page = bulk_table.scan(**kwargs)
    seen += sum(1 for i in page["Items"] if len(i) == 5)
    if "LastEvaluatedKey" not in page:
        break
    kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
assert seen == n, seen
scan = throughput(n, time.perf_counter() - t0, cpu() - c0)

seq.delete()
bulk_table.delete()
print(json.dumps({"client": "boto3", "put": put, "get": get, "bulk": bulk, "scan": scan}))
