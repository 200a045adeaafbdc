"""The original package's key helpers."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Tuple

_PRIMITIVES = (str, bytes, bytearray, int, Decimal)


def get_key_names(table: Any) -> Tuple[str, ...]:
    """The key attribute names of a table: ``(partition,)`` or ``(partition, sort)``. Takes a
    DynamoDBMapping, or (as the original) a boto3 Table resource."""
    if hasattr(table, "key_names"):
        return tuple(table.key_names)
    schema = {s["KeyType"]: s["AttributeName"] for s in table.key_schema}
    return (schema["HASH"], schema["RANGE"]) if "RANGE" in schema else (schema["HASH"],)


def simplify_tuple_keys(key: Tuple[Any, ...]) -> Any:
    """A 1-tuple key as its value; a 2-tuple as is."""
    return key[0] if len(key) == 1 else key


def create_tuple_keys(key: Any) -> Tuple[Any, ...]:
    """A key as a tuple: a primitive as a 1-tuple, an iterable as a tuple."""
    if not isinstance(key, _PRIMITIVES) and isinstance(key, Iterable):
        return tuple(key)
    return (key,)
