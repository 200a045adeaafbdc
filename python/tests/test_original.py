"""The original package's test cases (tests/test_dynamodb_mapping.py of mrtj/dynamodb-mapping),
each checking the same behaviour, here against a real server instead of a mocked boto3 table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dynamodb_mapping import DynamoDBMapping, get_key_names

HASH_KEY = "test_primary_key"
ITEM1_KEY = "first_item"
ITEM1 = {HASH_KEY: ITEM1_KEY, "foo": "bar"}
ITEM2_KEY = "second_item"
ITEM2 = {HASH_KEY: ITEM2_KEY, "foo2": "bar2"}
ATTRIBUTES = {"foo": "bar"}


@pytest.fixture
def mapping(make_table) -> DynamoDBMapping:
    return DynamoDBMapping(make_table("orig", partition=(HASH_KEY, "S")))


def test_init(mapping):
    assert mapping.key_names == (HASH_KEY,)
    assert get_key_names(mapping) == (HASH_KEY,)


def test_get_key_names_of_a_boto3_table(mapping, ddb_resource):
    assert get_key_names(ddb_resource.Table(mapping.table_name)) == (HASH_KEY,)


def test_scan(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    assert next(mapping.scan()) == ITEM1


def test_scan_pages(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    mapping[ITEM2_KEY] = {"foo2": "bar2"}
    # One item per page: the second item comes from a second Scan request.
    results = mapping.scan(Limit=1)
    assert sorted([next(results), next(results)], key=lambda i: i[HASH_KEY]) == [ITEM1, ITEM2]
    assert next(results, None) is None


def test_scan_keeps_the_projection_on_later_pages(mapping):
    # The original dropped every option after the first page; here each page is projected.
    for i in range(5):
        mapping[f"k{i}"] = {"foo": "bar", "other": i}
    items = list(mapping.scan(Limit=1, ProjectionExpression="foo"))
    assert len(items) == 5
    assert all(set(item) == {HASH_KEY, "foo"} for item in items)


def test_get_item(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    assert mapping.get_item(ITEM1_KEY) == ITEM1


def test_invalid_keys(mapping):
    with pytest.raises(ValueError):
        mapping.get_item((ITEM1_KEY, ITEM2_KEY))


def test_get_item_non_existing(mapping):
    with pytest.raises(KeyError):
        mapping.get_item(ITEM1_KEY)


def test_get_item_accessor(mapping, ddb_resource):
    mapping[ITEM1_KEY] = ATTRIBUTES
    accessor = mapping.get_item(ITEM1_KEY)
    accessor["new_attrib"] = "foobar"
    stored = ddb_resource.Table(mapping.table_name).get_item(Key={HASH_KEY: ITEM1_KEY})["Item"]
    assert stored == {**ITEM1, "new_attrib": "foobar"}
    assert accessor == stored


def test_set_item(mapping, ddb_resource):
    mapping.set_item(ITEM1_KEY, ATTRIBUTES)
    assert ddb_resource.Table(mapping.table_name).get_item(Key={HASH_KEY: ITEM1_KEY})["Item"] == ITEM1


def test_put_item(mapping):
    mapping.put_item(ITEM1_KEY, ATTRIBUTES)
    assert mapping[ITEM1_KEY] == ITEM1


def test_del_item(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    mapping.del_item(ITEM1_KEY, check_existing=False)
    assert ITEM1_KEY not in mapping
    mapping.del_item(ITEM1_KEY, check_existing=False)  # absent: no error without the check


def test_del_item_non_existing(mapping):
    mapping[ITEM2_KEY] = {"foo2": "bar2"}
    with pytest.raises(KeyError):
        mapping.del_item(ITEM1_KEY)
    assert ITEM2_KEY in mapping


def test_modify_item(mapping, ddb_resource):
    mapping[ITEM1_KEY] = {"zombie": "brains", "keep": 1}
    mapping.modify_item(ITEM1_KEY, {"new1": "foobar!", "new2": "bar_foo!", "zombie": None})
    stored = ddb_resource.Table(mapping.table_name).get_item(Key={HASH_KEY: ITEM1_KEY})["Item"]
    assert stored == {HASH_KEY: ITEM1_KEY, "new1": "foobar!", "new2": "bar_foo!", "keep": Decimal(1)}


def test_modify_item_reserved_words(mapping):
    # The original escaped names with placeholders too; reserved words must work.
    mapping["k"] = {"name": "a"}
    mapping.modify_item("k", {"name": "b", "size": 3, "status": None})
    assert mapping["k"] == {HASH_KEY: "k", "name": "b", "size": Decimal(3)}


def test_modify_empty(mapping):
    with pytest.warns(UserWarning):
        mapping.modify_item(ITEM1_KEY, {})
    assert ITEM1_KEY not in mapping  # nothing was sent: UpdateItem would have created it


def test_op_iter(mapping):
    mapping[ITEM1_KEY] = {"foo": "bar", "big": "x" * 1000}
    mapping[ITEM2_KEY] = {"foo2": "bar2"}
    assert sorted(mapping) == [ITEM1_KEY, ITEM2_KEY]


def test_op_len(mapping, ddb):
    # len() is the table's ItemCount from DescribeTable, as the original.
    expected = ddb.describe_table(TableName=mapping.table_name)["Table"]["ItemCount"]
    assert len(mapping) == expected


def test_op_getitem(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    assert mapping[ITEM1_KEY] == ITEM1


def test_op_setitem(mapping):
    mapping[ITEM1_KEY] = ITEM1
    assert mapping[ITEM1_KEY] == ITEM1


def test_op_delitem(mapping):
    mapping[ITEM1_KEY] = ITEM1
    del mapping[ITEM1_KEY]
    assert ITEM1_KEY not in mapping
    with pytest.raises(KeyError):
        del mapping[ITEM1_KEY]


def test_items_view(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    mapping[ITEM2_KEY] = {"foo2": "bar2"}
    assert sorted(mapping.items(), key=lambda kv: kv[0]) == [(ITEM1_KEY, ITEM1), (ITEM2_KEY, ITEM2)]


def test_values_view(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    values = mapping.values()
    assert ITEM1 in values
    assert ITEM2 not in values
    assert list(values) == [ITEM1]


def test_keys_view(mapping):
    mapping[ITEM1_KEY] = ATTRIBUTES
    keys = mapping.keys()
    assert ITEM1_KEY in keys
    assert ITEM2_KEY not in keys


def test_readme_example(mapping, capsys):
    # The README's usage example, unchanged but for the table.
    mapping["my_item"] = {"description": "foo", "price": 123}
    mapping["my_item"]["price"] = 456
    for key, value in mapping.items():
        print(key, value)
    print(mapping["my_item"])
    print(len(mapping))
    del mapping["my_item"]
    out = capsys.readouterr().out.splitlines()
    item = {"description": "foo", "price": Decimal(456), HASH_KEY: "my_item"}
    assert out[0] == f"my_item {item}"
    assert out[1] == str(item)
    assert out[2].isdigit()  # the estimate (DescribeTable ItemCount), refreshed by DynamoDB
    assert mapping.get("my_item") is None
