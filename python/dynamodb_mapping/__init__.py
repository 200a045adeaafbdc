"""dynamodb_mapping: an Amazon DynamoDB table as a Python dictionary (a
``collections.abc.MutableMapping``), on the C++ library dynamodb-mapping.

    from dynamodb_mapping import DynamoDBMapping
    mapping = DynamoDBMapping(table_name="my_table")
    mapping["my_item"] = {"description": "foo", "price": 123}
    mapping["my_item"]["price"] = 456
"""

from ._types import Binary  # first: the C++ core looks it up when it is imported
from ._errors import (
    AccessDeniedError,
    AmbiguousOutcomeError,
    AttributeNotFoundError,
    BatchError,
    CancelledError,
    ConditionalCheckFailedError,
    ConfigError,
    CredentialsError,
    DecodeError,
    DynamoDBMappingError,
    ItemNotFoundError,
    NetworkError,
    ProtocolError,
    ResourceInUseError,
    ResourceNotFoundError,
    ServerError,
    ThrottlingError,
    TransactionCanceledError,
    UnsupportedTypeError,
    ValidationError,
    ValueTypeError,
    WaitTimeoutError,
)
from ._core import Attr, Condition, SortCondition, Update
from ._accessor import DynamoDBItemAccessor
from ._mapping import DynamoDBMapping
from ._views import DynamoDBItemsView, DynamoDBKeysView, DynamoDBTransaction, DynamoDBValuesView
from ._keys import create_tuple_keys, get_key_names, simplify_tuple_keys

__version__ = "0.1.0"

__all__ = [
    "AccessDeniedError", "AmbiguousOutcomeError", "Attr", "AttributeNotFoundError", "BatchError",
    "Binary", "CancelledError", "Condition", "ConditionalCheckFailedError", "ConfigError",
    "CredentialsError", "DecodeError", "DynamoDBItemAccessor", "DynamoDBItemsView",
    "DynamoDBKeysView", "DynamoDBMapping", "DynamoDBMappingError", "DynamoDBTransaction",
    "DynamoDBValuesView", "ItemNotFoundError", "NetworkError", "ProtocolError",
    "ResourceInUseError", "ResourceNotFoundError", "ServerError", "SortCondition",
    "ThrottlingError", "TransactionCanceledError", "UnsupportedTypeError", "Update",
    "ValidationError", "ValueTypeError", "WaitTimeoutError", "create_tuple_keys", "get_key_names",
    "simplify_tuple_keys",
]
