#!/usr/bin/python3
"""Signs generated DynamoDB requests with botocore's SigV4Auth, the reference signer, and prints
one JSON object a line: the inputs and botocore's Authorization header. The C++ test signs the
same inputs with ours and requires identical headers.

Usage: botocore_sign.py COUNT SEED
"""
import datetime
import json
import random
import sys
import types

import botocore.auth
import botocore.awsrequest
import botocore.credentials

count, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)

OPERATIONS = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
              "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "DescribeTable"]
REGIONS = ["us-east-1", "eu-west-3", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "local"]
HOSTS = ["dynamodb.{region}.amazonaws.com", "127.0.0.1:8000", "localhost:4567", "localhost:443",
         "localhost:80", "dynamodb.{region}.amazonaws.com:443",
         "dynamodb.{region}.amazonaws.com.cn", "[::1]:8000", "alternator.example:8043"]
ALPHABET = "abcXYZ019 \"\\{}[]:,\n\t/+=&?%#\u00e9\u20ac\U0001F600\u4e2d"


class FixedClock(datetime.datetime):
    now_value = None

    @classmethod
    def utcnow(cls):
        return cls.now_value


botocore.auth.datetime = types.SimpleNamespace(datetime=FixedClock)


def random_text(max_len):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, max_len)))


for i in range(count):
    region = rng.choice(REGIONS)
    host = rng.choice(HOSTS).format(region=region)
    scheme = "http" if rng.random() < 0.5 else "https"
    operation = rng.choice(OPERATIONS)
    kind = rng.randint(0, 3)
    if kind == 0:
        body = ""
    elif kind == 1:
        body = "{}"
    else:
        body = json.dumps({"TableName": random_text(20), "Key": {"pk": {"S": random_text(200)}}},
                          ensure_ascii=(kind == 2))
    access_key = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789/+")
                     for _ in range(40))
    token = "" if rng.random() < 0.5 else "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789/+=") for _ in range(rng.randint(1, 400)))
    FixedClock.now_value = datetime.datetime(2000, 1, 1) + datetime.timedelta(
        seconds=rng.randint(0, 40 * 365 * 86400))

    request = botocore.awsrequest.AWSRequest(
        method="POST", url=f"{scheme}://{host}/", data=body.encode("utf-8"),
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": "DynamoDB_20120810." + operation})
    credentials = botocore.credentials.Credentials(access_key, secret, token or None)
    botocore.auth.SigV4Auth(credentials, "dynamodb", region).add_auth(request)
    print(json.dumps({
        "scheme": scheme, "host": host, "region": region, "operation": operation, "body": body,
        "access_key": access_key, "secret": secret, "token": token,
        "amz_date": request.headers["X-Amz-Date"],
        "authorization": request.headers["Authorization"],
    }))
