#!/usr/bin/env bash
# The Python package installs offline with the documented command (a venv with the system's site
# packages, `pip install --no-build-isolation`, no index) and works from outside the source tree:
# the README's usage example against the test server. _core is built in the test build directory
# given (DDBMAP_PY_BUILD_DIR), so the check packages what the suite tested instead of compiling
# the library a third time. Usage: python_check.sh SOURCE_DIR BUILD_DIR PYTHON STATE_DIR
set -euo pipefail
src="$1" build="$2" python="$3" state="$4"
work="$build/python-install-check"
rm -rf "$work" && mkdir -p "$work"
"$python" -m venv --system-site-packages "$work/venv"
(cd "$src" && DDBMAP_PY_BUILD_DIR="$build" "$work/venv/bin/pip" install --quiet --no-index \
  --no-build-isolation --no-deps .)
endpoint="$(cat "$state/endpoint")"
cd "$work"
AWS_ENDPOINT_URL_DYNAMODB="$endpoint" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local "$work/venv/bin/python" - <<'PY'
import boto3, os, sys
import dynamodb_mapping
from dynamodb_mapping import DynamoDBMapping

assert "site-packages" in dynamodb_mapping.__file__, dynamodb_mapping.__file__
name = f"ddbmap_py_install_{os.getpid()}"
client = boto3.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    BillingMode="PAY_PER_REQUEST")
try:
    mapping = DynamoDBMapping(table_name=name)
    mapping["my_item"] = {"description": "foo", "price": 123}
    mapping["my_item"]["price"] = 456
    for key, value in mapping.items():
        print(key, value)
    print(mapping["my_item"])
    print(len(mapping))
    del mapping["my_item"]
    assert "my_item" not in mapping
    print("python package installed and working")
finally:
    client.delete_table(TableName=name)
PY
rm -rf "$work"
