"""Fixtures: the DynamoDB-compatible server CTest started (DDBMAP_TEST_STATE_DIR, or
DDBMAP_TEST_ENDPOINT), fresh tables per test, and boto3 on the same server for cross-checks."""

from __future__ import annotations

import itertools
import os
from typing import Callable, Iterator, Optional

import pytest


def _state_file(name: str) -> str:
    directory = os.environ.get("DDBMAP_TEST_STATE_DIR", "")
    if not directory:
        return ""
    try:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            return f.readline().strip()
    except OSError:
        return ""


ENDPOINT = os.environ.get("DDBMAP_TEST_ENDPOINT") or _state_file("endpoint")
ENGINE = os.environ.get("DDBMAP_TEST_ENGINE") or _state_file("engine") or "dynamodb-local"

# Everything below (the package and boto3) finds the server through the standard variables.
os.environ.update(
    AWS_ENDPOINT_URL_DYNAMODB=ENDPOINT,
    AWS_REGION="us-east-1",
    AWS_DEFAULT_REGION="us-east-1",
    AWS_ACCESS_KEY_ID="local",
    AWS_SECRET_ACCESS_KEY="local",
)
os.environ.pop("AWS_PROFILE", None)
os.environ.pop("AWS_SESSION_TOKEN", None)


@pytest.fixture(scope="session")
def endpoint() -> str:
    # Fail, never skip: a broken harness must not pass silently.
    assert ENDPOINT, (
        "no test server: run through ctest, or start one with scripts/local-dynamodb.sh start "
        "and export DDBMAP_TEST_ENDPOINT=<the printed URL>"
    )
    return ENDPOINT


@pytest.fixture(scope="session")
def engine() -> str:
    return ENGINE


@pytest.fixture(scope="session")
def ddb(endpoint: str):
    import boto3

    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")


@pytest.fixture(scope="session")
def ddb_resource(endpoint: str):
    import boto3

    return boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1")


_counter = itertools.count()


@pytest.fixture
def make_table(ddb) -> Iterator[Callable[..., str]]:
    """make_table(stem, partition=("pk", "S"), sort=None) creates a table and returns its
    name; every table made is deleted after the test."""
    made = []

    def make(stem: str = "t", partition=("pk", "S"), sort: Optional[tuple] = None) -> str:
        name = f"ddbmap_py_{stem}_{os.getpid()}_{next(_counter)}"
        schema = [{"AttributeName": partition[0], "KeyType": "HASH"}]
        attributes = [{"AttributeName": partition[0], "AttributeType": partition[1]}]
        if sort:
            schema.append({"AttributeName": sort[0], "KeyType": "RANGE"})
            attributes.append({"AttributeName": sort[0], "AttributeType": sort[1]})
        ddb.create_table(TableName=name, KeySchema=schema, AttributeDefinitions=attributes,
                         BillingMode="PAY_PER_REQUEST")
        ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1})
        made.append(name)
        return name

    yield make
    for name in made:
        try:
            ddb.delete_table(TableName=name)
        except Exception:  # the test may have deleted it
            pass


@pytest.fixture
def table_name(make_table) -> str:
    """A table with a string partition key "pk"."""
    return make_table()


@pytest.fixture
def mapping(table_name: str):
    from dynamodb_mapping import DynamoDBMapping

    return DynamoDBMapping(table_name)
