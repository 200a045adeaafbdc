"""Values across the two clients on the same table: what boto3 writes we read as boto3 reads it,
what we write boto3 reads as we do, the wire form of a value is the one boto3 sends, and every
value DynamoDB cannot store is refused before anything is written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict

import pytest
from boto3.dynamodb.types import Binary as Boto3Binary

import dynamodb_mapping
from dynamodb_mapping import (
    DynamoDBMapping,
    DynamoDBMappingError,
    NetworkError,
    UnsupportedTypeError,
    ValidationError,
)


def strict(value: Any, ours: bool) -> Any:
    """A comparable form of a value read by one side; a type that side must not return fails
    (ours: Decimal never int, our Binary never plain bytes, set never frozenset)."""
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if type(value) is Decimal:
        return ("N", str(value))
    if type(value) is (dynamodb_mapping.Binary if ours else Boto3Binary):
        return ("B", bytes(value) if ours else value.value)
    if type(value) is set:
        return ("SET", frozenset(strict(m, ours) for m in value))
    if type(value) is list:
        return ("L", [strict(v, ours) for v in value])
    if isinstance(value, dict):
        return ("M", {k: strict(v, ours) for k, v in value.items()})
    raise AssertionError(f"{'ours' if ours else 'boto3'} returned a {type(value).__name__}")


def canonical(raw: Any) -> Any:
    """A low-level AttributeValue (or item) with the members of each set in a fixed order: a set
    is unordered, and a server may keep the order each client happened to send."""
    if isinstance(raw, dict):
        return {k: (sorted(v, key=repr) if k in ("SS", "NS", "BS") else canonical(v))
                for k, v in raw.items()}
    if isinstance(raw, list):
        return [canonical(v) for v in raw]
    return raw


def raw_item(ddb: Any, table: Any, key: str) -> Dict[str, Any]:
    """The item as the server sends it, without its key, sets in a fixed order."""
    item = ddb.get_item(TableName=table.name, Key={"pk": {"S": key}}, ConsistentRead=True)["Item"]
    item.pop("pk")
    return canonical(item)


# Every type, as boto3 accepts it on input (no float: boto3 refuses all floats).
RICH_ITEM: Dict[str, Any] = {
    "s": "ключ 🙂 e\u0301",
    "empty_s": "",
    "n_int": 123,
    "n_neg": -(10**37),
    "n_dec": Decimal("-12.5"),
    "n_38": Decimal("1.2345678901234567890123456789012345678"),
    "n_tiny": Decimal("1E-130"),
    "n_zero": Decimal("-0.000"),
    "b": b"\x00\xffbytes",
    "empty_b": b"",
    "bool_t": True,
    "bool_f": False,
    "null": None,
    "ss": {"a", "", "ключ"},
    "ns": {1, Decimal("2.5"), Decimal("-1E-100"), 10**37},
    "bs": {b"\x00", b"\x01\x02", b""},
    "list": [1, "two", b"3", None, True, [Decimal("4.5"), {"deep": {"x"}}], {}],
    "map": {"nested": {"list": [], "n": Decimal("0.5")}, "Name With Space": "v", "#x": None},
    "empty_list": [],
    "empty_map": {},
}


@pytest.fixture
def same_table(make_table, ddb_resource):
    """(boto3 Table, our mapping) on one table with a string key "pk"."""
    name = make_table("types")
    return ddb_resource.Table(name), DynamoDBMapping(name, consistent_read=True)


def boto3_get(table: Any, key: Dict[str, Any]) -> Any:
    return table.get_item(Key=key, ConsistentRead=True).get("Item")


def test_written_by_boto3_read_by_us(same_table) -> None:
    table, m = same_table
    table.put_item(Item={"pk": "from_boto3", **RICH_ITEM})
    theirs = boto3_get(table, {"pk": "from_boto3"})
    for ours in (m["from_boto3"], m.get("from_boto3"), dict(m.items())["from_boto3"],
                 m.get_many(["from_boto3"])[0], list(m.values())[0], list(m.scan())[0]):
        assert ours == theirs and theirs == ours  # plain ==, both ways (Binary included)
        assert strict(ours, ours=True) == strict(theirs, ours=False)
    # And it is what was written (numbers as Decimal, sets as set, binary as bytes).
    assert theirs == {"pk": "from_boto3", **RICH_ITEM}


def test_written_by_us_read_by_boto3(same_table, ddb) -> None:
    table, m = same_table
    m["from_us"] = RICH_ITEM
    table.put_item(Item={"pk": "from_boto3", **RICH_ITEM})
    theirs = boto3_get(table, {"pk": "from_us"})
    ours = m["from_us"]
    assert theirs == ours and ours == theirs
    assert strict(theirs, ours=False) == strict(ours, ours=True)
    assert theirs == {"pk": "from_us", **RICH_ITEM}
    # The wire form (type descriptors and number texts) of our write is boto3's write's, by
    # every way of writing (PutItem, BatchWriteItem, conditional PutItem).
    expected = raw_item(ddb, table, "from_boto3")
    assert raw_item(ddb, table, "from_us") == expected
    m.update({"via_batch": RICH_ITEM})
    assert m.insert("via_insert", RICH_ITEM)
    for key in ("via_batch", "via_insert"):
        assert raw_item(ddb, table, key) == expected, key


def test_updates_by_us_and_by_boto3_store_the_same(same_table, ddb) -> None:
    # UpdateItem by each client, compared on the wire (dynamodb-local keeps a number's text as an
    # UpdateItem sends it: 1E-130 stays 1E-130, so both must send the same text).
    table, m = same_table
    values = {k: v for k, v in RICH_ITEM.items() if k != "null"}
    names = {f"#n{i}": k for i, k in enumerate(values)}
    table.update_item(
        Key={"pk": "boto3"}, ExpressionAttributeNames=names,
        UpdateExpression="SET " + ", ".join(f"#n{i} = :v{i}" for i in range(len(values))),
        ExpressionAttributeValues={f":v{i}": v for i, v in enumerate(values.values())})
    expected = raw_item(ddb, table, "boto3")
    update = dynamodb_mapping.Update()
    for name, value in values.items():
        update.set(name, value)
    assert m.update_item("via_update", update) == boto3_get(table, {"pk": "via_update"})
    # modify_item: a top-level None means REMOVE (the original's convention), so "null" is
    # not stored.
    assert m.modify_item("via_modify", RICH_ITEM) == boto3_get(table, {"pk": "via_modify"})
    m["via_accessor"] = {"other": 1}
    accessor = m["via_accessor"]
    accessor.update(values)
    assert accessor == boto3_get(table, {"pk": "via_accessor"})
    for key in ("via_update", "via_modify"):
        assert raw_item(ddb, table, key) == expected, key
    assert raw_item(ddb, table, "via_accessor") == {**expected, "other": {"N": "1"}}


def test_input_forms_boto3_also_accepts(same_table, ddb) -> None:
    # tuple -> L, frozenset -> a set, bytearray and boto3's Binary -> B, bool stays BOOL.
    table, m = same_table
    item = {"t": (1, "a"), "fs": frozenset({"x", "y"}), "ba": bytearray(b"\x01\x02"),
            "bb": Boto3Binary(b"\x03"), "bbs": {Boto3Binary(b"\x04"), Boto3Binary(b"\x05")},
            "truth": True, "one": 1}
    m.set_item("forms", item)
    table.put_item(Item={"pk": "forms_boto3", **item})
    raw = [raw_item(ddb, table, k) for k in ("forms", "forms_boto3")]
    assert raw[0] == raw[1]
    assert raw[0]["truth"] == {"BOOL": True} and raw[0]["one"] == {"N": "1"}
    got = m["forms"]
    assert got["t"] == [Decimal(1), "a"] and type(got["fs"]) is set
    assert got["bbs"] == {b"\x04", b"\x05"}


def significant(value: Decimal) -> tuple:
    digits = value.as_tuple().digits
    end = len(digits)
    while end > 1 and digits[end - 1] == 0:
        end -= 1
    return digits[:end]


@pytest.mark.parametrize("text", [
    "12345678901234567890123456789012345678",
    "-99999999999999999999999999999999999999",
    "1.2345678901234567890123456789012345678",
    "0.10000000000000000000000000000000000001",
    "-9.8765432109876543210987654321098765432E-100",
    "1.2345678901234567890123456789012345678E+37",
])
def test_decimal_exact_at_38_digits(same_table, ddb, text: str) -> None:
    table, m = same_table
    value = Decimal(text)
    m["ours"] = {"n": value, "ns": {value, Decimal(1)}}
    table.put_item(Item={"pk": "theirs", "n": value, "ns": {value, Decimal(1)}})
    ours = m["ours"]["n"]
    assert type(ours) is Decimal and ours == value
    # No digit lost (== on Decimals is exact; the digits too, trailing zeros aside).
    assert significant(ours) == significant(value) and len(significant(value)) >= 38
    assert m["ours"]["ns"] == {value, Decimal(1)}
    assert str(ours) == str(boto3_get(table, {"pk": "theirs"})["n"])
    assert str(boto3_get(table, {"pk": "ours"})["n"]) == str(m["theirs"]["n"])
    wire = ddb.get_item(TableName=table.name, Key={"pk": {"S": "ours"}})["Item"]["n"]["N"]
    assert Decimal(wire) == value


@pytest.mark.parametrize("value", [
    10**40, Decimal("1E+125"), Decimal("9.9999999999999999999999999999999999999E+125"),
    Decimal("-1.5E+100"), Decimal("1E-130"), Decimal("1.5E-130"),
])
def test_numbers_at_the_ends_of_dynamodbs_range(same_table, ddb, value) -> None:
    # The server returns these as plain digits (1E+125 as 1 and 125 zeros), which boto3 cannot
    # read back (its context refuses more than 38 digits); we read the exact number.
    table, m = same_table
    m["big"] = {"n": value}
    got = m["big"]["n"]
    assert type(got) is Decimal and got == value
    wire = ddb.get_item(TableName=table.name, Key={"pk": {"S": "big"}})["Item"]["n"]["N"]
    assert Decimal(wire) == value


def test_binary_is_bytes_and_equals_boto3s(same_table) -> None:
    table, m = same_table
    data = b"\x00\x01binary\xff"
    table.put_item(Item={"pk": "bin", "b": Boto3Binary(data), "bs": {Boto3Binary(data)}})
    ours = m["bin"]["b"]
    theirs = boto3_get(table, {"pk": "bin"})["b"]
    assert type(ours) is dynamodb_mapping.Binary and isinstance(ours, bytes)
    assert type(theirs) is Boto3Binary
    assert ours == theirs and theirs == ours and not (ours != theirs) and not (theirs != ours)
    assert ours == data and ours.value == data and type(ours.value) is bytes
    assert ours == Boto3Binary(data) and Boto3Binary(data) == ours
    assert ours != Boto3Binary(data + b"!") and Boto3Binary(data + b"!") != ours
    assert hash(ours) == hash(theirs)
    assert m["bin"]["bs"] == {theirs} == boto3_get(table, {"pk": "bin"})["bs"]
    # Our Binary, read back, is valid input to both clients.
    m["copy"] = {"b": ours, "bs": {ours}}
    table.put_item(Item={"pk": "copy2", "b": ours})
    assert boto3_get(table, {"pk": "copy"})["b"] == theirs
    assert m["copy2"]["b"] == data


def test_boto3_binary_as_a_key(make_table, ddb_resource) -> None:
    name = make_table("binkey", partition=("pk", "B"))
    table, m = ddb_resource.Table(name), DynamoDBMapping(name, consistent_read=True)
    m[Boto3Binary(b"\x01k")] = {"v": 1}
    table.put_item(Item={"pk": b"\x02k", "v": 2})
    assert m[b"\x01k"]["v"] == 1 and m[Boto3Binary(b"\x02k")]["v"] == 2
    assert boto3_get(table, {"pk": b"\x01k"})["v"] == 1
    keys = list(m)
    assert sorted(keys) == [b"\x01k", b"\x02k"]
    assert all(type(k) is dynamodb_mapping.Binary for k in keys)


@pytest.mark.parametrize("members", [
    {"a"}, {"", "ключ", "🙂"}, {1}, {Decimal("-0.5"), 7, Decimal("1E-130"), 10**37},
    {b""}, {b"\x00", b"\xff" * 10}, {Boto3Binary(b"z"), b"y"},
], ids=["ss1", "ss", "ns1", "ns", "bs1", "bs", "bs_mixed_binary"])
def test_sets_of_each_type(same_table, members) -> None:
    table, m = same_table
    m["ours"] = {"set": members, "frozen": frozenset(members)}
    table.put_item(Item={"pk": "theirs", "set": members})
    ours = m["ours"]
    theirs = boto3_get(table, {"pk": "theirs"})
    assert type(ours["set"]) is set and type(ours["frozen"]) is set
    assert ours["set"] == theirs["set"] == ours["frozen"] == set(members)
    assert strict(ours["set"], ours=True) == strict(theirs["set"], ours=False)
    assert strict(boto3_get(table, {"pk": "ours"})["set"], ours=False) == strict(
        m["theirs"]["set"], ours=True)


def test_exact_float_is_stored_as_its_decimal(same_table, ddb) -> None:
    table, m = same_table
    m["f"] = {"f": 1.5, "big": 1e20, "neg": -0.25, "nested": [2.0, {"x": 0.5}], "fs": {1.5}}
    got = m["f"]
    assert got["f"] == Decimal("1.5") and type(got["f"]) is Decimal
    assert got["big"] == Decimal(10**20) and got["neg"] == Decimal("-0.25")
    assert got["nested"] == [Decimal(2), {"x": Decimal("0.5")}] and got["fs"] == {Decimal("1.5")}
    assert ddb.get_item(TableName=table.name, Key={"pk": {"S": "f"}})["Item"]["f"] == {"N": "1.5"}
    assert m.modify_item("f", {"f": 2.75})["f"] == Decimal("2.75")


def contents(table: Any) -> Any:
    return sorted(table.scan(ConsistentRead=True)["Items"], key=lambda i: i["pk"])


def assert_refused(m: DynamoDBMapping, table: Any, bad: Any, error: Any) -> None:
    """`bad` refused with `error` by each kind of write, and nothing written: the table (one
    existing item) is unchanged afterwards."""
    before = contents(table)
    assert before, "the fixture's item is missing"
    writes = [
        ("m[existing] =", lambda: m.__setitem__("existing", {"v": bad})),
        ("m[new] =", lambda: m.__setitem__("new", {"v": bad})),
        ("set_item", lambda: m.set_item("new", {"ok": 1, "v": bad})),
        ("modify_item existing", lambda: m.modify_item("existing", {"v": bad})),
        ("modify_item new", lambda: m.modify_item("new", {"v": bad})),
        ("insert", lambda: m.insert("new", {"v": bad})),
        ("update (batch)", lambda: m.update({"new": {"v": bad}, "new2": {"v": 1}})),
        ("m[existing][v] =", lambda: m["existing"].__setitem__("v", bad)),
    ]
    for what, write in writes:
        with pytest.raises(error) as caught:
            write()
        assert isinstance(caught.value, DynamoDBMappingError), (what, caught.value)
    assert contents(table) == before


@pytest.fixture
def with_existing(same_table):
    table, m = same_table
    table.put_item(Item={"pk": "existing", "v": Decimal(1), "w": "kept"})
    return table, m


def test_inexact_float_refused_and_nothing_sent(with_existing) -> None:
    table, m = with_existing
    for bad in (0.1, [1, 0.1], {"x": {0.3}}, 1 / 3, 1e-300):
        assert_refused(m, table, bad, UnsupportedTypeError)
    assert issubclass(UnsupportedTypeError, TypeError)


@pytest.mark.parametrize("bad", [
    Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
    float("nan"), float("inf"), {Decimal("NaN")},
], ids=lambda v: repr(v))
def test_nan_and_infinity_refused(with_existing, bad) -> None:
    table, m = with_existing
    assert_refused(m, table, bad, ValidationError)
    assert issubclass(ValidationError, ValueError)


@pytest.mark.parametrize("bad", [
    Decimal("1" * 39), -(10**38) - 1, Decimal("1.23456789012345678901234567890123456789"),
    Decimal("1E+126"), Decimal("-1E+126"), Decimal("1E-131"), Decimal("-9E-131"),
], ids=["39_digits", "39_digit_int", "39_digit_fraction", "overflow", "neg_overflow",
        "underflow", "neg_underflow"])
def test_numbers_dynamodb_cannot_store_refused(with_existing, ddb, bad) -> None:
    table, m = with_existing
    # The server refuses each too (so this is DynamoDB's rule, not ours).
    with pytest.raises(ddb.exceptions.ClientError, match="ValidationException"):
        ddb.put_item(TableName=table.name, Item={"pk": {"S": "new"}, "v": {"N": str(bad)}})
    assert_refused(m, table, bad, ValidationError)


@pytest.mark.parametrize("text", [
    "1" * 38 + "0", "1.0000000000000000000000000000000000000000", "0" * 45 + "7", "0E+1000",
    "-0", "9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130", "5.", ".5",
    "1" * 39, "1E+126", "1E-131", "1E+999999999999", "1" * 38 + "E-150",
])
def test_number_accepted_exactly_when_the_server_accepts_it(same_table, ddb, text: str) -> None:
    # Trailing and leading zeros are not significant digits: DynamoDB takes 1 followed by 38
    # zeros. Whether a number is refused is the server's decision, anticipated.
    table, m = same_table
    try:
        ddb.put_item(TableName=table.name, Item={"pk": {"S": "raw"}, "v": {"N": text}})
        server_accepts = True
    except ddb.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationException"
        server_accepts = False
    value = Decimal(text)
    if server_accepts:
        m["ours"] = {"v": value, "s": {value}}
        assert m["ours"]["v"] == value and m["ours"]["s"] == {value}
        assert m["ours"]["v"] == m["raw"]["v"]
    else:
        with pytest.raises(ValidationError):
            m["ours"] = {"v": value}
        assert m.get("ours") is None


@pytest.mark.parametrize("bad", [set(), frozenset(), [set()], {"x": frozenset()}],
                         ids=["set", "frozenset", "in_list", "in_map"])
def test_empty_set_refused(with_existing, bad) -> None:
    table, m = with_existing
    assert_refused(m, table, bad, ValidationError)


def test_self_containing_values_refused_without_crash(with_existing) -> None:
    table, m = with_existing
    loop: list = [1]
    loop.append(loop)
    assert_refused(m, table, loop, ValidationError)
    cycle: dict = {"a": 1}
    cycle["self"] = cycle
    assert_refused(m, table, cycle, ValidationError)
    deep_loop: list = []
    deep_loop.append({"x": [deep_loop]})
    assert_refused(m, table, deep_loop, ValidationError)


def test_nesting_limit_is_dynamodbs(with_existing) -> None:
    # DynamoDB allows 32 levels: an attribute holding 31 nested lists around a string is stored,
    # 32 are refused (by us before sending, whatever the test server would do).
    table, m = with_existing

    def nested(levels: int) -> Any:
        value: Any = "x"
        for _ in range(levels):
            value = [value]
        return value

    m["deep"] = {"v": nested(31)}
    assert m["deep"]["v"] == nested(31) == boto3_get(table, {"pk": "deep"})["v"]
    assert_refused(m, table, nested(32), ValidationError)


@pytest.mark.parametrize("bad", [{1: "x"}, {b"k": 1}, {("a",): 1}, {None: 1}],
                         ids=["int", "bytes", "tuple", "none"])
def test_map_with_a_non_str_key_refused(with_existing, bad) -> None:
    table, m = with_existing
    assert_refused(m, table, bad, (ValidationError, UnsupportedTypeError))
    # As a whole item too.
    with pytest.raises((ValidationError, UnsupportedTypeError)):
        m["new"] = {**bad, "ok": 1}
    assert boto3_get(table, {"pk": "new"}) is None


@pytest.mark.parametrize("bad", [object(), {True}, {1, "a"}, {None}, complex(1, 2), 1.5j],
                         ids=["object", "bool_set", "mixed_set", "none_set", "complex", "imag"])
def test_values_of_other_types_refused(with_existing, bad) -> None:
    table, m = with_existing
    assert_refused(m, table, bad, (ValidationError, UnsupportedTypeError))


def test_lone_surrogate_refused(with_existing) -> None:
    table, m = with_existing
    assert_refused(m, table, "bad \ud800 text", ValidationError)


def test_float_keys_follow_the_same_rule(make_table, ddb_resource) -> None:
    name = make_table("numkey", partition=("pk", "N"))
    table, m = ddb_resource.Table(name), DynamoDBMapping(name, consistent_read=True)
    m[1.5] = {"v": 1}
    assert boto3_get(table, {"pk": Decimal("1.5")}) == {"pk": Decimal("1.5"), "v": 1}
    assert m[Decimal("1.50")]["v"] == 1 and 1.5 in m
    with pytest.raises(UnsupportedTypeError):
        m[0.1] = {"v": 2}
    with pytest.raises(ValidationError):
        m[Decimal("NaN")] = {"v": 2}
    assert [k for k in m] == [Decimal("1.5")]


def _self_list() -> list:
    loop: list = [1]
    loop.append(loop)
    return loop


@pytest.mark.parametrize("bad, error", [
    (0.1, UnsupportedTypeError), (Decimal("NaN"), ValidationError),
    (Decimal("1" * 39), ValidationError), (Decimal("1E+126"), ValidationError),
    (set(), ValidationError), (_self_list(), ValidationError), ({1: "x"}, ValidationError),
    (object(), UnsupportedTypeError),
], ids=["inexact_float", "nan", "39_digits", "overflow", "empty_set", "self_list", "int_key",
        "object"])
def test_refused_before_any_request(bad, error) -> None:
    # A mapping whose endpoint refuses every connection: a value refused with its own error,
    # not a NetworkError, was refused before anything was sent (the table's key schema
    # included).
    import socket

    with socket.socket() as reserved:  # bound, never listening: connections are refused
        reserved.bind(("127.0.0.1", 0))
        dead = DynamoDBMapping("no_such_table", endpoint_url=f"http://{reserved.getsockname()[0]}:"
                               f"{reserved.getsockname()[1]}", max_attempts=1, connect_timeout=2)
        with pytest.raises(NetworkError):  # the control: a valid write does try to send
            dead["k"] = {"v": 1}
        for write in (lambda: dead.__setitem__("k", {"v": bad}),
                      lambda: dead.modify_item("k", {"v": bad}),
                      lambda: dead.update({"k": {"v": bad}})):
            with pytest.raises(error):
                write()


def test_attribute_name_with_a_lone_surrogate_refused(with_existing) -> None:
    # Not valid Unicode, so not UTF-8: refused as a ValidationError by the item writes.
    table, m = with_existing
    before = contents(table)
    for write in (lambda: m.set_item("new", {"bad \ud800": 1}),
                  lambda: m.set_item("new", {"map": {"bad \ud800": 1}}),
                  lambda: m["existing"].__setitem__("bad \ud800", 1),
                  lambda: m.update_item("existing",
                                        dynamodb_mapping.Update().set("bad \ud800", 1))):
        with pytest.raises(ValidationError):
            write()
    assert contents(table) == before


# Found by this file: to_changes used to let a lone surrogate escape as a bare RuntimeError.
def test_modify_item_name_with_a_lone_surrogate_is_a_validation_error(with_existing) -> None:
    table, m = with_existing
    before = contents(table)
    with pytest.raises(ValidationError):
        m.modify_item("existing", {"bad \ud800": 1})
    with pytest.raises(ValidationError):
        with m.transaction() as tx:  # the same conversion; nothing is sent
            tx.modify("existing", {"bad \ud800": 1})
    assert contents(table) == before


# Found by this file: modify_item used to raise AttributeError for a list of pairs.
def test_modify_item_with_a_non_mapping_is_refused_as_set_item_refuses_it(with_existing) -> None:
    table, m = with_existing
    with pytest.raises(UnsupportedTypeError):
        m.set_item("existing", [("v", 2)])
    try:
        m.modify_item("existing", [("v", 2)])
    except UnsupportedTypeError:
        assert boto3_get(table, {"pk": "existing"})["v"] == 1
    else:  # or taken as dict(pairs), as dict.update would
        assert boto3_get(table, {"pk": "existing"})["v"] == 2
