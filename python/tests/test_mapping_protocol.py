"""DynamoDBMapping as a collections.abc.MutableMapping: every method of the protocol, the
item accessor, composite keys, and the calls beyond the original."""

from __future__ import annotations

from collections.abc import ItemsView, KeysView, MutableMapping, ValuesView
from decimal import Decimal

import pytest

import dynamodb_mapping as dm
from dynamodb_mapping import DynamoDBMapping


def stored(ddb_resource, mapping, key):
    return ddb_resource.Table(mapping.table_name).get_item(Key=key, ConsistentRead=True).get("Item")


def test_is_a_mutable_mapping(mapping):
    assert isinstance(mapping, MutableMapping)
    assert isinstance(mapping.keys(), KeysView)
    assert isinstance(mapping.values(), ValuesView)
    assert isinstance(mapping.items(), ItemsView)


def test_views_are_lazy_and_reiterable(mapping):
    keys = mapping.keys()  # made before the items exist: a view, not a snapshot
    mapping.update({"a": {"v": 1}, "b": {"v": 2}})
    assert sorted(keys) == ["a", "b"]
    mapping["c"] = {"v": 3}
    assert sorted(keys) == ["a", "b", "c"]  # a second iteration is a new Scan
    assert sorted(v["v"] for v in mapping.values()) == [1, 2, 3]


def test_get_pop_setdefault(mapping, ddb_resource):
    assert mapping.get("x") is None
    assert mapping.get("x", 7) == 7
    mapping["x"] = {"v": 1}
    assert mapping.get("x") == {"pk": "x", "v": 1}
    assert type(mapping.get("x")) is dict
    assert mapping.pop("x") == {"pk": "x", "v": 1}
    assert stored(ddb_resource, mapping, {"pk": "x"}) is None
    assert mapping.pop("x", "gone") == "gone"
    with pytest.raises(KeyError):
        mapping.pop("x")
    assert mapping.setdefault("s", {"v": 1}) == {"v": 1}
    # Present: the stored item, and the default is not written.
    assert mapping.setdefault("s", {"v": 2}) == {"pk": "s", "v": 1}
    assert stored(ddb_resource, mapping, {"pk": "s"}) == {"pk": "s", "v": 1}


def test_popitem_and_clear(mapping):
    mapping.update([("a", {"v": 1}), ("b", {"v": 2})])
    key, item = mapping.popitem()
    assert key in ("a", "b") and item["pk"] == key
    assert key not in mapping
    mapping.clear()
    assert list(mapping) == []
    with pytest.raises(KeyError):
        mapping.popitem()


def test_update_forms(mapping):
    mapping.update({"a": {"v": 1}})
    mapping.update([("b", {"v": 2})])
    mapping.update(c={"v": 3})
    assert {k: v["v"] for k, v in mapping.items()} == {"a": 1, "b": 2, "c": 3}


def test_equality_as_a_mapping(mapping):
    mapping.update({"a": {"v": 1}, "b": {"v": 2}})
    assert mapping == {"a": {"pk": "a", "v": 1}, "b": {"pk": "b", "v": 2}}
    assert mapping != {"a": {"pk": "a", "v": 1}}
    assert dict(mapping.items()) == {"a": {"pk": "a", "v": 1}, "b": {"pk": "b", "v": 2}}


def test_accessor_writes_each_change(mapping, ddb_resource):
    mapping["k"] = {"a": 1, "b": 2, "c": 3}
    item = mapping["k"]
    item["a"] = 10
    del item["b"]
    item.update({"d": "x"}, e=True)
    assert item.pop("c") == 3
    assert item.setdefault("f", [1]) == [1]
    expected = {"pk": "k", "a": 10, "d": "x", "e": True, "f": [1]}
    assert stored(ddb_resource, mapping, {"pk": "k"}) == expected
    assert item == expected
    with pytest.raises(KeyError):
        del item["nope"]
    item.clear()
    assert stored(ddb_resource, mapping, {"pk": "k"}) == {"pk": "k"}


def test_accessor_never_recreates_a_deleted_item(mapping):
    mapping["k"] = {"a": 1}
    item = mapping["k"]
    del mapping["k"]
    with pytest.raises(KeyError):
        item["a"] = 2
    assert "k" not in mapping


def test_accessor_refreshes_from_the_table(mapping):
    mapping["k"] = {"a": 1}
    item = mapping["k"]
    mapping.modify_item("k", {"other": "writer"})
    item["a"] = 2
    assert item == {"pk": "k", "a": 2, "other": "writer"}


def test_composite_keys(make_table):
    m = DynamoDBMapping(make_table("comp", partition=("user", "S"), sort=("ts", "N")))
    assert m.key_names == ("user", "ts")
    m[("u1", 1)] = {"v": "a"}
    m["u1", 2] = {"v": "b"}
    m[["u2", 1]] = {"v": "c"}
    assert m[("u1", 2)] == {"user": "u1", "ts": Decimal(2), "v": "b"}
    assert sorted(m) == [("u1", Decimal(1)), ("u1", Decimal(2)), ("u2", Decimal(1))]
    assert [i["v"] for i in m.query("u1")] == ["a", "b"]
    assert [i["v"] for i in m.query("u1", dm.SortCondition.gt(1))] == ["b"]
    assert [i["v"] for i in m.query("u1", descending=True)] == ["b", "a"]
    with pytest.raises(ValueError):
        m["u1"] = {"v": "no sort key"}
    del m["u1", 1]
    assert ("u1", 1) not in m


def test_number_and_binary_keys(make_table):
    n = DynamoDBMapping(make_table("num", partition=("id", "N")))
    n[1] = {"v": 1}
    assert n[Decimal("1.0")]["v"] == 1  # DynamoDB compares numbers by value
    assert list(n) == [Decimal(1)]
    b = DynamoDBMapping(make_table("bin", partition=("id", "B")))
    b[b"\x00\xff"] = {"v": 1}
    assert b[bytearray(b"\x00\xff")]["v"] == 1
    assert list(b) == [b"\x00\xff"]


def test_get_many_and_transactions(mapping, engine):
    mapping.update({"a": {"v": 1}, "b": {"v": 2}})
    assert mapping.get_many(["b", "nope", "a"]) == [{"pk": "b", "v": 2}, None, {"pk": "a", "v": 1}]
    if engine == "dynalite":
        pytest.skip("dynalite has no transactions")
    with mapping.transaction() as tx:
        tx.put("c", {"v": 3}).delete("a").modify("b", {"v": 20})
    assert mapping.get_transactionally(["a", "b", "c"]) == [None, {"pk": "b", "v": 20}, {"pk": "c", "v": 3}]
    with pytest.raises(dm.TransactionCanceledError) as e:
        with mapping.transaction() as tx:
            tx.put("d", {"v": 4})
            tx.check("a", dm.Attr("pk").exists())
    assert "d" not in mapping
    assert len(e.value.reasons) == 2
    with pytest.raises(RuntimeError):
        with mapping.transaction() as tx:
            tx.put("e", {"v": 5})
            raise RuntimeError("the block failed: nothing is sent")
    assert "e" not in mapping


def test_conditions_and_updates(mapping):
    mapping["k"] = {"price": 5, "tags": {"a"}}
    with pytest.raises(dm.ConditionalCheckFailedError):
        mapping.set_item("k", {"price": 1}, condition=dm.Attr("price") > 10)
    mapping.set_item("k", {"price": 6, "tags": {"a"}}, condition=dm.Attr("price") < 10)
    after = mapping.update_item("k", dm.Update().increment("price", 2).add("tags", {"b"}))
    assert after == {"pk": "k", "price": 8, "tags": {"a", "b"}}
    hand_written = dm.Condition("#p = :v", names={"#p": "price"}, values={":v": 8})
    mapping.modify_item("k", {"seen": True}, condition=hand_written)
    assert mapping["k"]["seen"] is True
    cheap = list(mapping.scan(filter=dm.Attr("price").between(7, 9)))
    assert [i["pk"] for i in cheap] == ["k"]
    assert list(mapping.scan(FilterExpression="price > :m", ExpressionAttributeValues={":m": 100})) == []


def test_boto3_condition_objects_are_accepted(mapping):
    from boto3.dynamodb.conditions import Attr as BotoAttr

    mapping.update({"a": {"price": 1}, "b": {"price": 50}})
    assert [i["pk"] for i in mapping.scan(FilterExpression=BotoAttr("price").gt(10))] == ["b"]


def test_count_and_parallel_scan(mapping):
    mapping.update({f"k{i:03}": {"v": i} for i in range(120)})
    assert mapping.count() == 120
    assert sorted(i["v"] for i in mapping.scan(segments=4, page_size=7)) == list(range(120))


def test_unknown_options_are_refused(mapping):
    with pytest.raises(TypeError):
        DynamoDBMapping(mapping.table_name, region="typo: aws_region")
    with pytest.raises(TypeError):
        mapping.scan(IndexName="x")
    with pytest.raises(TypeError):
        mapping.get_item("k", Bogus=1)
    with pytest.raises(TypeError):
        mapping.set_item("k", {}, ReturnValues="ALL_OLD")


def test_resume_tokens(mapping):
    mapping.update({f"k{i}": {"v": i} for i in range(10)})
    results = mapping._table.scan(page_size=3)
    page, token = results.page("", 3)
    seen = [i["pk"] for i in page]
    rest = [i["pk"] for i in results.resume(token)]
    assert sorted(seen + rest) == sorted(f"k{i}" for i in range(10))


def test_execute_partiql(mapping, engine):
    if engine == "dynalite":
        pytest.skip("dynalite has no PartiQL")
    mapping["k"] = {"v": 1}
    rows = list(mapping.execute(f'SELECT * FROM "{mapping.table_name}" WHERE pk = ?', ["k"]))
    assert rows == [{"pk": "k", "v": 1}]


def test_boto3_session_is_honoured(table_name):
    import boto3

    session = boto3.Session(aws_access_key_id="sess", aws_secret_access_key="sess",
                            region_name="us-east-1")
    m = DynamoDBMapping(table_name, boto3_session=session)
    m["k"] = {"v": 1}
    assert m["k"]["v"] == 1


def test_explicit_keys(table_name):
    m = DynamoDBMapping(table_name, aws_access_key_id="k", aws_secret_access_key="s",
                        aws_region="us-east-1")
    m["k"] = {"v": 1}
    assert "k" in m
    with pytest.raises(ValueError):
        DynamoDBMapping(table_name, aws_access_key_id="only the id")


def test_a_transaction_dropped_without_commit_warns_and_sends_nothing(mapping):
    tx = mapping.transaction()
    tx.put("t", {"v": 1})
    with pytest.warns(UserWarning, match="without commit"):
        del tx
    assert "t" not in mapping


def test_limits_are_refused_before_sending(mapping):
    with pytest.raises(dm.ValidationError):
        mapping["big"] = {"blob": b"x" * (400 * 1024)}
    with pytest.raises(dm.ValidationError):
        mapping["n"] = {"n": 10**38 + 1}  # 39 significant digits
    mapping["n"] = {"n": 10**37 * 9 + 1}  # 38 digits: exact
    assert mapping["n"]["n"] == Decimal(10**37 * 9 + 1)
    nested: dict = {}
    inner = nested
    for _ in range(40):
        inner["x"] = {}
        inner = inner["x"]
    with pytest.raises(dm.ValidationError):
        mapping["deep"] = nested
    assert "big" not in mapping and "deep" not in mapping


def test_time_to_live(mapping, engine):
    if engine == "dynalite":
        pytest.skip("dynalite has no time to live")
    mapping.enable_ttl("expires")
    expires = DynamoDBMapping.expires_in(3600)
    assert isinstance(expires, Decimal)
    mapping["k"] = {"expires": expires}
    assert mapping["k"]["expires"] == expires


def test_query_on_a_secondary_index(ddb, make_table):
    name = make_table("gsi_base")
    ddb.delete_table(TableName=name)
    ddb.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "owner", "AttributeType": "S"},
                              {"AttributeName": "n", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_owner", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"},
                                               {"AttributeName": "n", "KeyType": "RANGE"}]}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    m = DynamoDBMapping(name)
    m.update({"a": {"owner": "ann", "n": 2}, "b": {"owner": "ann", "n": 1}, "c": {"owner": "bob", "n": 1}})
    assert [i["pk"] for i in m.query("ann", index="by_owner")] == ["b", "a"]
    assert [i["pk"] for i in m.query("ann", dm.SortCondition.ge(2), index="by_owner")] == ["a"]


def test_truth_is_exact_not_the_estimate(mapping):
    assert not mapping
    mapping["k"] = {"v": 1}
    assert mapping  # len() may still say 0: DynamoDB refreshes ItemCount every few hours


def test_copies_of_an_item_are_plain_dicts(mapping):
    import copy
    import pickle

    mapping["k"] = {"v": [1, 2]}
    item = mapping["k"]
    for clone in (copy.copy(item), copy.deepcopy(item), pickle.loads(pickle.dumps(item)), item.copy()):
        assert type(clone) is dict and clone == {"pk": "k", "v": [1, 2]}
        clone["v"] = "changed"
    assert mapping["k"]["v"] == [1, 2]


def test_projections(mapping):
    mapping["k"] = {"a": 1, "b": 2, "c,d": 3}
    assert mapping.get("k", projection="a") == {"pk": "k", "a": 1}
    assert mapping.get("k", projection=["c,d"]) == {"pk": "k", "c,d": 3}
    assert mapping.get_many(["k"], projection="c,d") == [{"pk": "k", "c,d": 3}]
    assert mapping.get_item("k", ProjectionExpression="a, #b", ExpressionAttributeNames={"#b": "b"}) == \
        {"pk": "k", "a": 1, "b": 2}
    assert list(mapping.scan(projection=["b"])) == [{"pk": "k", "b": 2}]
