"""The exceptions of dynamodb_mapping: one tree under DynamoDBMappingError.

Each is raised by the C++ core for the C++ exception of the same meaning, with its message
unchanged; where Python has a built-in meaning, the class is also that built-in (a missing item
is a KeyError, a refused value a ValueError, a value of the wrong type a TypeError), so code
written for dict or for the original package catches them. Every error carries ``code`` (the AWS
error code such as ``ValidationException``, or the library's such as ``Timeout``), ``message``,
``status`` (HTTP status; 0 when no server answered), ``request_id``, ``operation`` (e.g.
``PutItem``) and ``table``. No message ever holds a secret key, session token or signature.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple


class DynamoDBMappingError(Exception):
    """Base of every exception of this package."""

    code: str = ""
    message: str = ""
    status: int = 0
    request_id: str = ""
    operation: str = ""
    table: str = ""


class ValidationError(DynamoDBMappingError, ValueError):
    """The request is invalid (found before sending, or DynamoDB's ValidationException): a
    malformed key, an empty set, a number out of DynamoDB's range, an item over 400 KB..."""


class UnsupportedTypeError(DynamoDBMappingError, TypeError):
    """A value of a type DynamoDB cannot store (or a float that is not exactly a decimal of at
    most 38 digits, such as 0.1: pass a Decimal)."""


class ValueTypeError(DynamoDBMappingError, TypeError):
    """A stored value was read as a type it does not hold."""


class DecodeError(DynamoDBMappingError):
    """An answer that should be JSON is not (malformed, truncated)."""


class ProtocolError(DynamoDBMappingError):
    """The server's answer breaks the protocol (oversized, wrong checksum...)."""


class NetworkError(DynamoDBMappingError):
    """The request did not complete (connection refused or reset, timeout), after retries."""


class CancelledError(DynamoDBMappingError):
    """The call was cancelled before it completed."""


class CredentialsError(DynamoDBMappingError):
    """No credentials could be found, or their source failed."""


class ConfigError(DynamoDBMappingError):
    """The configuration (region, endpoint, shared files) is unusable."""


class ThrottlingError(DynamoDBMappingError):
    """DynamoDB kept throttling the request after every retry."""


class ServerError(DynamoDBMappingError):
    """DynamoDB kept failing with 5xx after every retry."""


class ResourceNotFoundError(DynamoDBMappingError):
    """The table (or index) does not exist."""


class ResourceInUseError(DynamoDBMappingError):
    """The table is being created, updated or deleted."""


class AccessDeniedError(DynamoDBMappingError):
    """The credentials may not do this."""


class ConditionalCheckFailedError(DynamoDBMappingError):
    """A write's condition did not hold. ``item`` is the stored item when it was asked for."""

    item: Optional[dict] = None


class AmbiguousOutcomeError(DynamoDBMappingError):
    """A write's answer was lost and whether it was applied could not be found out. ``item`` is
    the item the call was about (pop: the value read before the delete), when known."""

    item: Optional[dict] = None


class TransactionCanceledError(DynamoDBMappingError):
    """A transaction was cancelled; ``reasons`` holds one (code, message, item) per action."""

    reasons: List[Tuple[str, str, Optional[dict]]] = []


class ItemNotFoundError(DynamoDBMappingError, KeyError):
    """No item has the key (a KeyError, as ``dict`` raises). ``key`` is the key."""

    key: Any = None

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return Exception.__str__(self)


class AttributeNotFoundError(DynamoDBMappingError, KeyError):
    """The item has no such attribute."""

    def __str__(self) -> str:
        return Exception.__str__(self)


class BatchError(DynamoDBMappingError):
    """A batch could not write or read every item: ``succeeded`` counts those done, ``failed``
    lists the keys certainly not written, ``unknown`` those whose outcome is unknown."""

    succeeded: int = 0
    failed: List[Any] = []
    unknown: List[Any] = []


class WaitTimeoutError(DynamoDBMappingError):
    """A table did not reach the awaited state in time."""
