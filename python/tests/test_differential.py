"""Differential test: one seeded random sequence of operations applied through boto3's Table
resource on table A and through DynamoDBMapping on table B (same schema, same server), comparing
every result and, periodically and at the end, the tables' whole contents.

Results are compared strictly, by a typed form of each value (a number read back is a Decimal
with the same text on both sides, binary is our Binary against boto3's Binary, a set against a
set of the same members...), and errors by their meaning (missing item, refused value, failed
condition). A failure names the seed and the step; replay it with

    DDBMAP_DIFF_SEED=<seed> pytest python/tests/test_differential.py

(DDBMAP_DIFF_OPS changes the number of steps, at most 5000).
"""

from __future__ import annotations

import os
import random
from decimal import Decimal
from typing import Any, Callable, Dict, List, Tuple

import pytest
from boto3.dynamodb.types import Binary as Boto3Binary
from botocore.exceptions import ClientError

import dynamodb_mapping
from dynamodb_mapping import (
    ConditionalCheckFailedError,
    DynamoDBMapping,
    ItemNotFoundError,
    UnsupportedTypeError,
    ValidationError,
)

SEED = int(os.environ.get("DDBMAP_DIFF_SEED", "14"))
OPS = min(int(os.environ.get("DDBMAP_DIFF_OPS", "300")), 5000)
FULL_COMPARE_EVERY = 75
MAX_SCAN_PAGES = 10_000  # a bound on the reference's Scan loop, never reached by these tables

# ---------------------------------------------------------------------------------------------
# Random values. Every number is one DynamoDB stores exactly and boto3 can both write and read
# back (boto3 refuses to read a number whose plain expansion has more than 38 digits, such as
# 1E+40, which the server returns as 1 followed by 40 zeros: those are in test_boto3_types).

ATTRIBUTE_NAMES = [
    "a", "b", "price", "description", "Name With Space", "dotted.name", "#hash", ":colon",
    "ключ", "🙂", "size", "name", "data", "value", "x" * 60, "a[0]",
]

STRINGS = [
    "", "foo", "ключ", "日本語のテキスト", "🙂🚀", "e\u0301", "nul\x00inside", "tab\tnew\nline",
    "quote\"back\\slash", "<&>", " ", "x" * 500,
]

SPECIAL_NUMBERS = [
    0, -1, 1, Decimal("-0"), Decimal("0E+5"), Decimal("0.000"), Decimal("1.500"), Decimal("0.1"),
    Decimal("1E-130"), Decimal("-1E-130"), Decimal("1.2345E-100"), 10**37, -(10**38 - 1),
    Decimal("12345678901234567890123456789012345678"),
    Decimal("1.2345678901234567890123456789012345678E-128"),
    Decimal("-9.9999999999999999999999999999999999999E+37"),
    2**63, -(2**63) - 1, 2**64,
]


def rand_string(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(STRINGS)
    alphabet = "abcXYZ019 _-.:#ßéж中🙂\u0301"
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 16)))


def rand_number(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.2:
        return rng.choice(SPECIAL_NUMBERS)
    if r < 0.4:
        return rng.randrange(-1000, 1001)
    if r < 0.55:
        return rng.choice((1, -1)) * rng.randrange(10**37, 10**38)
    # A Decimal of `digits` significant digits whose adjusted exponent keeps it within DynamoDB's
    # range (>= 1E-130) and within what boto3 reads back (at most 38 digits in the expansion).
    digits = rng.randrange(1, 39)
    adjusted = rng.randrange(max(-130, -166 + digits), 38)
    coefficient = rng.randrange(10 ** (digits - 1), 10**digits)
    exponent = adjusted - digits + 1
    # Sometimes trailing zeros (1.500), never below boto3's smallest exponent (-165).
    trailing = min(rng.randrange(0, 39 - digits), exponent + 165) if rng.random() < 0.2 else 0
    text = f"{coefficient}{'0' * trailing}E{exponent - trailing}"
    value = Decimal(text)
    return -value if rng.random() < 0.5 else value


def rand_bytes(rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 24)))


def rand_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"]
    if depth < 3:
        kinds += ["L", "M"]
    kind = rng.choice(kinds)
    if kind == "S":
        return rand_string(rng)
    if kind == "N":
        return rand_number(rng)
    if kind == "B":
        value = rand_bytes(rng)
        return bytearray(value) if rng.random() < 0.2 else value
    if kind == "BOOL":
        return rng.random() < 0.5
    if kind == "NULL":
        return None
    if kind == "SS":
        return {rand_string(rng) for _ in range(rng.randrange(1, 5))}
    if kind == "NS":
        return {rand_number(rng) for _ in range(rng.randrange(1, 5))}
    if kind == "BS":
        return {rand_bytes(rng) for _ in range(rng.randrange(1, 5))}
    if kind == "L":
        values = [rand_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
        return tuple(values) if rng.random() < 0.1 else values
    return {rng.choice(ATTRIBUTE_NAMES): rand_value(rng, depth + 1)
            for _ in range(rng.randrange(0, 5))}


def rand_attributes(rng: random.Random, key_names: Tuple[str, ...]) -> Dict[str, Any]:
    names = [n for n in ATTRIBUTE_NAMES if n not in key_names]
    item = {rng.choice(names): rand_value(rng) for _ in range(rng.randrange(0, 6))}
    if rng.random() < 0.03:  # sometimes a value both must refuse: an empty set
        item[rng.choice(names)] = rng.choice([set(), [1, {"x": frozenset()}]])
    return item


# ---------------------------------------------------------------------------------------------
# Typed forms for comparison.


def typed(value: Any, ours: bool) -> Any:
    """A comparable form of a value as read by one side, failing on a type that side must not
    return (ours: Decimal, never int; our Binary, never plain bytes; boto3: its own Binary)."""
    if value is None:
        return ("NULL",)
    if isinstance(value, bool):
        return ("BOOL", value)
    if isinstance(value, str):
        return ("S", value)
    if type(value) is Decimal:
        return ("N", str(value))
    if ours and type(value) is dynamodb_mapping.Binary:
        return ("B", bytes(value))
    if not ours and type(value) is Boto3Binary:
        return ("B", value.value)
    if type(value) is set:
        members = frozenset(typed(m, ours) for m in value)
        kinds = {m[0] for m in members}
        assert len(kinds) == 1 and kinds <= {"S", "N", "B"}, f"bad set {value!r}"
        return ("SET", members)
    if type(value) is list:
        return ("L", [typed(v, ours) for v in value])
    if isinstance(value, dict):  # ours: a dict, or the item accessor (a dict subclass)
        assert all(type(k) is str for k in value), f"non-str attribute name in {value!r}"
        return ("M", {k: typed(v, ours) for k, v in value.items()})
    raise AssertionError(f"{'ours' if ours else 'boto3'} returned a {type(value).__name__}: "
                         f"{value!r}")


def typed_key(key: Any, ours: bool) -> Any:
    """A comparable form of a key: a value, or a (partition, sort) tuple."""
    if type(key) is tuple:
        return ("KEY",) + tuple(typed(part, ours) for part in key)
    return typed(key, ours)


# Outcomes: ("ok", typed result) or ("error", meaning).
OURS_ERRORS = [
    (ItemNotFoundError, "missing"),
    (ConditionalCheckFailedError, "condition"),
    (ValidationError, "validation"),
    (UnsupportedTypeError, "type"),
]
BOTO3_CODES = {
    "ValidationException": "validation",
    "ConditionalCheckFailedException": "condition",
}


def ours_outcome(call: Callable[[], Any]) -> Tuple[str, Any]:
    try:
        return ("ok", call())
    except tuple(cls for cls, _ in OURS_ERRORS) as e:
        for cls, meaning in OURS_ERRORS:
            if isinstance(e, cls):
                return ("error", meaning)
        raise


def boto3_outcome(call: Callable[[], Any]) -> Tuple[str, Any]:
    try:
        return ("ok", call())
    except ClientError as e:
        code = e.response["Error"]["Code"]
        if code in BOTO3_CODES:
            return ("error", BOTO3_CODES[code])
        raise


# ---------------------------------------------------------------------------------------------
# The two sides.


class Schema:
    def __init__(self, key_names: Tuple[str, ...], keys: List[Any], invalid: List[Any]) -> None:
        self.key_names = key_names
        self.keys = keys
        self.invalid_keys = invalid  # keys both sides must refuse

    def key_dict(self, key: Any) -> Dict[str, Any]:
        if len(self.key_names) == 1:
            return {self.key_names[0]: key}
        return dict(zip(self.key_names, key))  # an invalid key may have one part

    def key_of_item(self, item: Dict[str, Any]) -> Any:
        if len(self.key_names) == 1:
            return item[self.key_names[0]]
        return (item[self.key_names[0]], item[self.key_names[1]])


STRING_KEYS = ["k0", "k1", "k2", "k3", "ключ", "🔑", "a b", "dotted.key", "#k", "x" * 200]
# 1 and Decimal("1.0") (and 0 and Decimal("-0")) are one key to DynamoDB, and to both clients.
SORT_KEYS = [0, Decimal("-0"), 1, Decimal("1.0"), Decimal("-2.5"), Decimal("1E-130"), 10**37,
             Decimal("12345678901234567890123456789012345678")]
COMPOSITE_KEYS = [(p, s) for p in ("p", "раздел", "🙂") for s in SORT_KEYS]
# Keys DynamoDB refuses: an empty string, a number for a string attribute, a missing sort key.
INVALID_STRING_KEYS = ["", 7]
INVALID_COMPOSITE_KEYS = [("", 1), ("p", "1"), (1, 1), ("p",)]


class Differential:
    def __init__(self, schema: Schema, reference: Any, ours: DynamoDBMapping,
                 rng: random.Random, label: str) -> None:
        self.schema = schema
        self.ref = reference
        self.ours = ours
        self.rng = rng
        self.label = label
        self.step = -1
        self.what = ""

    def fail_message(self, detail: str) -> str:
        return (f"{self.label}: step {self.step} ({self.what}) differs: {detail}\n"
                f"replay with DDBMAP_DIFF_SEED={SEED} DDBMAP_DIFF_OPS={OPS}")

    def compare(self, expected: Tuple[str, Any], actual: Tuple[str, Any]) -> None:
        assert actual == expected, self.fail_message(f"boto3 {expected!r}, ours {actual!r}")

    # -- the reference (boto3), returning what ours is expected to return --

    def ref_get(self, key: Any) -> Tuple[str, Any]:
        answer = boto3_outcome(
            lambda: self.ref.get_item(Key=self.schema.key_dict(key), ConsistentRead=True))
        if answer[0] != "ok":
            return answer
        if "Item" not in answer[1]:
            return ("error", "missing")
        return ("ok", typed(answer[1]["Item"], ours=False))

    def ref_delete(self, key: Any) -> Tuple[str, Any]:
        """("ok", the old item or None), or an error."""
        answer = boto3_outcome(lambda: self.ref.delete_item(
            Key=self.schema.key_dict(key), ReturnValues="ALL_OLD"))
        if answer[0] != "ok":
            return answer
        old = answer[1].get("Attributes")
        return ("ok", None if old is None else typed(old, ours=False))

    def ref_update(self, key: Any, changes: Dict[str, Any], must_exist: bool) -> Tuple[str, Any]:
        sets, removes, names, values = [], [], {}, {}
        for i, (name, value) in enumerate(changes.items()):
            names[f"#n{i}"] = name
            if value is None:
                removes.append(f"#n{i}")
            else:
                values[f":v{i}"] = value
                sets.append(f"#n{i} = :v{i}")
        expression = " ".join(part for part in (
            "SET " + ", ".join(sets) if sets else "",
            "REMOVE " + ", ".join(removes) if removes else "") if part)
        kwargs: Dict[str, Any] = dict(Key=self.schema.key_dict(key), UpdateExpression=expression,
                                      ExpressionAttributeNames=names, ReturnValues="ALL_NEW")
        if values:
            kwargs["ExpressionAttributeValues"] = values
        if must_exist:
            names["#k"] = self.schema.key_names[0]
            kwargs["ConditionExpression"] = "attribute_exists(#k)"
        outcome = boto3_outcome(lambda: self.ref.update_item(**kwargs))
        if outcome[0] == "ok":
            return ("ok", typed(outcome[1].get("Attributes", {}), ours=False))
        return outcome

    def ref_contents(self, page_size: int = 0) -> Dict[Any, Any]:
        out: Dict[Any, Any] = {}
        kwargs: Dict[str, Any] = {"ConsistentRead": True}
        if page_size:
            kwargs["Limit"] = page_size
        for _ in range(MAX_SCAN_PAGES):
            page = self.ref.scan(**kwargs)
            for item in page["Items"]:
                out[typed_key(self.schema.key_of_item(item), ours=False)] = typed(item, ours=False)
            if "LastEvaluatedKey" not in page:
                return out
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        raise AssertionError("the reference scan did not end")

    # -- one random step --

    def op_put(self, key: Any) -> None:
        item = rand_attributes(self.rng, self.schema.key_names)
        if self.rng.random() < 0.3:
            item.update(self.schema.key_dict(key))  # the key attributes may be in the item too
        how = self.rng.choice(["setitem", "set_item", "put_item"])
        self.what = f"put {how} {key!r} {item!r}"

        def reference() -> None:
            self.ref.put_item(Item={**item, **self.schema.key_dict(key)})

        expected = boto3_outcome(reference)

        def ours() -> None:
            if how == "setitem":
                self.ours[key] = item
            else:
                getattr(self.ours, how)(key, item)

        self.compare(expected, ours_outcome(ours))

    def op_insert(self, key: Any) -> None:
        item = rand_attributes(self.rng, self.schema.key_names)
        self.what = f"insert {key!r} {item!r}"
        names = {f"#k{i}": n for i, n in enumerate(self.schema.key_names)}
        expected = boto3_outcome(lambda: self.ref.put_item(
            Item={**item, **self.schema.key_dict(key)},
            ConditionExpression=" AND ".join(f"attribute_not_exists({n})" for n in names),
            ExpressionAttributeNames=names))
        expected = ("ok", True) if expected[0] == "ok" else (
            ("ok", False) if expected == ("error", "condition") else expected)
        self.compare(expected, ours_outcome(lambda: self.ours.insert(key, item)))

    def op_get(self, key: Any) -> None:
        how = self.rng.choice(["getitem", "get_item", "get"])
        self.what = f"get {how} {key!r}"
        expected = self.ref_get(key)

        def ours() -> Any:
            if how == "getitem":
                item = self.ours[key]
            elif how == "get_item":
                item = self.ours.get_item(key)
            else:
                item = self.ours.get(key)
                if item is None:
                    raise ItemNotFoundError("absent")
                assert type(item) is dict, self.fail_message(f"get() gave a {type(item)}")
            return typed(item, ours=True)

        self.compare(expected, ours_outcome(ours))

    def op_contains(self, key: Any) -> None:
        how = self.rng.choice(["in", "in keys()"])
        self.what = f"contains {how} {key!r}"
        expected = self.ref_get(key)
        if expected[0] == "ok" or expected == ("error", "missing"):
            expected = ("ok", expected[0] == "ok")
        actual = ours_outcome(lambda: key in self.ours if how == "in" else key in self.ours.keys())
        self.compare(expected, actual)

    def op_delete(self, key: Any) -> None:
        how = self.rng.choice(["delitem", "del_item", "del_item unchecked"])
        self.what = f"delete {how} {key!r}"
        expected = self.ref_delete(key)
        if expected == ("ok", None) and how != "del_item unchecked":
            expected = ("error", "missing")
        elif expected[0] == "ok":
            expected = ("ok", None)

        def ours() -> None:
            if how == "delitem":
                del self.ours[key]
            elif how == "del_item":
                self.ours.del_item(key)
            else:
                self.ours.del_item(key, check_existing=False)

        self.compare(expected, ours_outcome(ours))

    def op_pop(self, key: Any) -> None:
        self.what = f"pop {key!r}"
        expected = self.ref_delete(key)
        if expected == ("ok", None):
            expected = ("ok", "default")
        sentinel = object()

        def ours() -> Any:
            value = self.ours.pop(key, sentinel)
            return "default" if value is sentinel else typed(value, ours=True)

        self.compare(expected, ours_outcome(ours))

    def op_modify(self, key: Any) -> None:
        names = [n for n in ATTRIBUTE_NAMES if n not in self.schema.key_names]
        changes = {self.rng.choice(names): (None if self.rng.random() < 0.35
                                            else rand_value(self.rng))
                   for _ in range(self.rng.randrange(1, 5))}
        self.what = f"modify_item {key!r} {changes!r}"
        expected = self.ref_update(key, changes, must_exist=False)
        self.compare(expected, ours_outcome(
            lambda: typed(self.ours.modify_item(key, changes), ours=True)))

    def op_accessor(self, key: Any) -> None:
        # The README's m[k][name] = value: one UpdateItem on an item that must exist.
        self.what = f"accessor read {key!r}"
        expected = self.ref_get(key)
        actual = ours_outcome(lambda: self.ours[key])
        self.compare(expected, actual if actual[0] != "ok" else ("ok", typed(actual[1], True)))
        if actual[0] != "ok":
            return
        accessor = actual[1]
        names = [n for n in ATTRIBUTE_NAMES if n not in self.schema.key_names]
        name = self.rng.choice(names)
        if name in accessor and self.rng.random() < 0.5:
            self.what = f"del m[{key!r}][{name!r}]"
            expected = self.ref_update(key, {name: None}, must_exist=True)
            actual = ours_outcome(lambda: accessor.__delitem__(name))
        else:
            value = None if self.rng.random() < 0.2 else rand_value(self.rng)
            self.what = f"m[{key!r}][{name!r}] = {value!r}"
            expected = self.ref_update(key, {name: value}, must_exist=True)
            actual = ours_outcome(lambda: accessor.__setitem__(name, value))
        if actual[0] == "ok":  # the accessor holds the item as stored afterwards
            actual = ("ok", typed(accessor, ours=True))
        self.compare(expected, actual)

    def op_get_many(self, _key: Any) -> None:
        keys = self.rng.sample(self.distinct_keys(), self.rng.randrange(1, 6))
        self.what = f"get_many {keys!r}"
        expected = ("ok", [outcome[1] if outcome[0] == "ok" else None
                           for outcome in map(self.ref_get, keys)])
        actual = ours_outcome(lambda: [None if i is None else typed(i, ours=True)
                                       for i in self.ours.get_many(keys)])
        self.compare(expected, actual)

    def op_update(self, _key: Any) -> None:
        keys = self.rng.sample(self.distinct_keys(), self.rng.randrange(1, 6))
        batch = {k: rand_attributes(self.rng, self.schema.key_names) for k in keys}
        self.what = f"update (batch) {batch!r}"

        def reference() -> None:
            with self.ref.batch_writer() as writer:
                for k, item in batch.items():
                    writer.put_item(Item={**item, **self.schema.key_dict(k)})

        self.compare(boto3_outcome(reference), ours_outcome(lambda: self.ours.update(batch)))

    def distinct_keys(self) -> List[Any]:
        """The key pool without keys DynamoDB sees as one (1 and Decimal("1.0")): a batch may
        not name one item twice."""
        out: List[Any] = []
        for k in self.schema.keys:
            if k not in out:  # Python's == on numbers is DynamoDB's
                out.append(k)
        return out

    OPERATIONS = [
        ("op_put", 5), ("op_get", 4), ("op_contains", 2), ("op_delete", 2), ("op_pop", 1),
        ("op_modify", 4), ("op_accessor", 2), ("op_insert", 1), ("op_get_many", 1),
        ("op_update", 1),
    ]

    def compare_contents(self, page_size: int = 0) -> None:
        self.what = f"whole contents (page size {page_size or 'default'})"
        expected = self.ref_contents(page_size)
        actual: Dict[Any, Any] = {}
        if page_size:
            items = ((self.schema.key_of_item(i), i) for i in self.ours.scan(page_size=page_size))
        else:
            items = self.ours.items()
        for key, item in items:
            assert typed_key(key, ours=True) == typed_key(self.schema.key_of_item(item), True), \
                self.fail_message(f"items() paired key {key!r} with item {item!r}")
            actual[typed_key(key, ours=True)] = typed(item, ours=True)
        assert actual == expected, self.fail_message(
            f"only boto3: {sorted(set(expected) - set(actual), key=repr)!r}; only ours: "
            f"{sorted(set(actual) - set(expected), key=repr)!r}; differing: "
            f"{[k for k in expected if k in actual and expected[k] != actual[k]]!r}")
        assert self.ours.count() == len(expected), self.fail_message("count()")
        assert sorted((typed_key(k, ours=True) for k in self.ours), key=repr) == \
            sorted(expected, key=repr), self.fail_message("iter(m)")

    def run(self) -> None:
        names = [n for n, _ in self.OPERATIONS]
        weights = [w for _, w in self.OPERATIONS]
        seen = set()
        for self.step in range(OPS):
            name = self.rng.choices(names, weights)[0]
            seen.add(name)
            if self.rng.random() < 0.04:
                key = self.rng.choice(self.schema.invalid_keys)
            else:
                key = self.rng.choice(self.schema.keys)
                if type(key) is tuple and self.rng.random() < 0.1:
                    key = list(key)  # a composite key may be any sequence of two
            try:
                getattr(self, name)(key)
            except Exception as e:  # an unexpected error or type: name the seed and step too
                if "replay with" in str(e):
                    raise
                raise AssertionError(self.fail_message(f"{type(e).__name__}: {e}")) from e
            if self.step % FULL_COMPARE_EVERY == FULL_COMPARE_EVERY - 1:
                self.compare_contents()
        self.step = OPS
        self.compare_contents()
        self.compare_contents(page_size=3)  # several pages on both sides
        # The sequence did exercise every operation and left items behind to compare.
        assert OPS < 100 or seen == set(names), self.fail_message(f"ran only {sorted(seen)}")
        assert OPS < 100 or self.ref_contents(), self.fail_message("the tables ended empty")


@pytest.mark.parametrize("layout", ["string_key", "composite_key"])
def test_differential(layout: str, make_table, ddb_resource, engine: str) -> None:
    if layout == "string_key":
        schema = Schema(("pk",), STRING_KEYS, INVALID_STRING_KEYS)
        tables = [make_table("diff", partition=("pk", "S")) for _ in range(2)]
    else:
        schema = Schema(("pk", "sk"), COMPOSITE_KEYS, INVALID_COMPOSITE_KEYS)
        tables = [make_table("diff", partition=("pk", "S"), sort=("sk", "N")) for _ in range(2)]
    reference = ddb_resource.Table(tables[0])
    ours = DynamoDBMapping(tables[1], consistent_read=True)
    rng = random.Random(f"{SEED}/{layout}")
    Differential(schema, reference, ours, rng, f"seed {SEED}, {layout}, {engine}").run()
