"""Value types that DynamoDB has and Python lacks."""

from __future__ import annotations


class Binary(bytes):
    """A DynamoDB binary value (type ``B``), as this package returns it.

    It is ``bytes`` (a subclass), so it compares, hashes and slices as bytes do, and it has the
    ``value`` attribute of boto3's ``boto3.dynamodb.types.Binary``, so code written for boto3's
    results keeps working. Any bytes-like value (``bytes``, ``bytearray``, boto3's ``Binary``) is
    accepted on input.
    """

    __slots__ = ()

    @property
    def value(self) -> bytes:
        """The bytes, as boto3's Binary has them."""
        return bytes(self)

    def __repr__(self) -> str:
        return f"Binary({bytes(self)!r})"
