"""DynamoDBMapping: a DynamoDB table as a Python ``MutableMapping``, on the C++ core.

The original package's API (its names, arguments and errors), with the C++ library doing every
request: values are converted once in C++, the GIL is released while a request waits, and one
mapping may be used from many threads.
"""

from __future__ import annotations

import warnings
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, MutableMapping
from collections.abc import ValuesView
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _core
from ._errors import ItemNotFoundError
from ._accessor import DynamoDBItemAccessor
from ._options import condition_of, read_kwargs, scan_kwargs
from ._views import DynamoDBItemsView, DynamoDBKeysView, DynamoDBTransaction, DynamoDBValuesView

_MISSING = object()

DynamoDBKeyPrimitive = Union[str, bytes, bytearray, int, Any]
DynamoDBKeySimplified = Union[DynamoDBKeyPrimitive, Tuple[DynamoDBKeyPrimitive, DynamoDBKeyPrimitive]]
DynamoDBItemType = Mapping[str, Any]

# Keyword arguments of DynamoDBMapping beyond the original's, with the _core.Table names.
_CLIENT_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "aws_session_token": "session_token",
    "consistent_read": "consistent_read",
    "version_attribute": "version_attribute",
    "max_attempts": "max_attempts",
    "connect_timeout": "connect_timeout",
    "read_timeout": "read_timeout",
    "batch_concurrency": "batch_concurrency",
    "verify_tls": "verify_tls",
    "ca_file": "ca_file",
}


def _session_settings(session: Any) -> Dict[str, Any]:
    """Region, profile and credentials of a boto3.Session, without importing boto3."""
    settings: Dict[str, Any] = {}
    if getattr(session, "region_name", None):
        settings["region"] = session.region_name
    profile = getattr(session, "profile_name", None)
    if profile and profile != "default":
        settings["profile"] = profile
    credentials = session.get_credentials()
    if credentials is not None:
        # Asked before each request: botocore refreshes assumed-role and SSO credentials itself.
        settings["credentials"] = credentials.get_frozen_credentials
    return settings


class DynamoDBMapping(MutableMapping):
    """A DynamoDB table as a ``collections.abc.MutableMapping``: ``m[key] = item`` (PutItem),
    ``m[key]`` (GetItem), ``del m[key]`` (DeleteItem), lazy paged iteration (Scan), ``len(m)``
    (the table's estimated item count).

    Configuration, as the original package: nothing (the standard AWS chains for credentials,
    region and endpoint: environment, shared files, SSO, assume role, container, instance
    metadata), a ``boto3.Session`` (its credentials, refreshed by botocore, its region and
    profile; boto3 itself is never required), or ``aws_access_key_id`` and
    ``aws_secret_access_key`` with the optional ``aws_region`` and ``aws_profile``. Further
    keyword arguments: ``endpoint_url``, ``aws_session_token``, ``consistent_read`` (every read
    strongly consistent), ``version_attribute`` (optimistic locking), ``max_attempts``,
    ``connect_timeout`` and ``read_timeout`` (seconds), ``batch_concurrency``, ``verify_tls``,
    ``ca_file``. Construction sends nothing; the key schema is read (one DescribeTable) on first
    use.

    Keys: a str, bytes or number for a table with only a partition key (or a 1-tuple), a
    ``(partition, sort)`` tuple for a table with a sort key. Values as boto3 returns them:
    numbers as ``decimal.Decimal``, binary as ``Binary`` (a bytes subclass), sets as ``set``.
    """

    def __init__(
        self,
        table_name: str,
        boto3_session: Any = None,
        aws_access_key_id: Optional[str] = None,
        aws_secret_access_key: Optional[str] = None,
        aws_region: Optional[str] = None,
        aws_profile: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        session = boto3_session if boto3_session is not None else kwargs.pop("boto3_session", None)
        options: Dict[str, Any] = {}
        for name in list(kwargs):
            if name not in _CLIENT_OPTIONS:
                raise TypeError(f"DynamoDBMapping() got an unexpected keyword argument {name!r}")
            options[_CLIENT_OPTIONS[name]] = kwargs.pop(name)
        if session is not None:
            options.update(_session_settings(session))
        if aws_access_key_id is not None or aws_secret_access_key is not None:
            options["access_key_id"] = aws_access_key_id
            options["secret_access_key"] = aws_secret_access_key
            options.pop("credentials", None)
        if aws_region:
            options["region"] = aws_region
        if aws_profile:
            options["profile"] = aws_profile
        self._table = _core.Table(table_name, **options)
        self.table_name = table_name
        self._key_names: Optional[Tuple[str, ...]] = None

    # ---- the original package's methods ----

    @property
    def key_names(self) -> Tuple[str, ...]:
        """The key attribute names: ``(partition,)`` or ``(partition, sort)`` (one DescribeTable
        on first use, then cached)."""
        if self._key_names is None:
            self._key_names = tuple(self._table.key_names())
        return self._key_names

    def scan(self, **kwargs: Any) -> Iterator[Dict[str, Any]]:
        """The items, by a lazy paged Scan: pages are requested as the iteration reaches them.
        Options (pythonic or boto3's names): ``projection``/``ProjectionExpression``,
        ``filter``/``FilterExpression`` (a Condition, or an expression with
        ``ExpressionAttributeNames``/``ExpressionAttributeValues``, or a boto3 condition),
        ``consistent_read``/``ConsistentRead``, ``page_size``/``Limit`` (items read per request),
        ``segments`` (a parallel scan). Unlike the original, the options apply to every page."""
        return iter(self._table.scan(**scan_kwargs(kwargs)))

    def get_item(self, keys: DynamoDBKeySimplified, **kwargs: Any) -> DynamoDBItemAccessor:
        """The item under ``keys`` as a dict whose attribute writes are stored; ItemNotFoundError
        (a KeyError) when there is none, ValidationError (a ValueError) for a malformed key.
        Options: ``consistent_read``/``ConsistentRead``, ``projection``/``ProjectionExpression``.
        One GetItem."""
        item = self._table.at(keys, **read_kwargs(kwargs))
        return DynamoDBItemAccessor(self, keys, item)

    def set_item(self, keys: DynamoDBKeySimplified, item: DynamoDBItemType, **kwargs: Any) -> None:
        """Creates or replaces the item (its key attributes filled in from ``keys``). Option:
        ``condition``/``ConditionExpression``. One PutItem."""
        self._table.put(keys, item, condition_of(kwargs, "set_item"))

    def put_item(self, keys: DynamoDBKeySimplified, item: DynamoDBItemType, **kwargs: Any) -> None:
        """An alias of ``set_item``."""
        self.set_item(keys, item, **kwargs)

    def del_item(self, keys: DynamoDBKeySimplified, check_existing: bool = True, **kwargs: Any) -> None:
        """Deletes the item; with ``check_existing`` (the default) ItemNotFoundError when there is
        none, decided by DynamoDB in the same DeleteItem (the original read the keys first).
        Option: ``condition``/``ConditionExpression``."""
        condition = condition_of(kwargs, "del_item")
        if condition is None:
            self._table.delete(keys, check_existing)
        elif not self._table.erase(keys, condition) and check_existing:
            raise ItemNotFoundError(f"DeleteItem on table {self.table_name}: no item with key {keys!r}")

    def modify_item(
        self, keys: DynamoDBKeySimplified, modifications: DynamoDBItemType, **kwargs: Any
    ) -> Optional[Dict[str, Any]]:
        """Changes some attributes in one UpdateItem: ``SET`` for each value, ``REMOVE`` for each
        attribute set to None (the original's convention). Creates the item when absent, as
        UpdateItem does, unless a ``condition`` says otherwise. Returns the item afterwards; an
        empty ``modifications`` warns (UserWarning) and sends nothing, as the original."""
        if not modifications:
            warnings.warn(
                "No update expression was created by modify_item: modifications mapping is empty?",
                UserWarning,
                stacklevel=2,
            )
            return None
        return self._table.modify(keys, modifications, condition_of(kwargs, "modify_item"))

    # ---- MutableMapping ----

    def __iter__(self) -> Iterator:
        return iter(self._table.keys())

    def __len__(self) -> int:
        """The table's item count as DynamoDB estimates it (updated about every six hours): one
        DescribeTable. ``count()`` is exact."""
        return self._table.size()

    def __bool__(self) -> bool:
        """Whether the table has an item: one Scan of at most one item (exact, unlike the
        estimate of ``len``, which may be 0 for hours after the first write)."""
        return not self._table.empty()

    def __getitem__(self, key: Any) -> DynamoDBItemAccessor:
        return self.get_item(key)

    def __setitem__(self, key: Any, value: DynamoDBItemType) -> None:
        self.set_item(key, value)

    def __delitem__(self, key: Any) -> None:
        self.del_item(key)

    def __contains__(self, key: object) -> bool:
        return self._table.contains(key)

    def keys(self) -> KeysView:
        return DynamoDBKeysView(self)

    def values(self) -> ValuesView:
        return DynamoDBValuesView(self)

    def items(self) -> ItemsView:
        return DynamoDBItemsView(self)

    def get(self, key: Any, default: Any = None, **kwargs: Any) -> Any:
        """The item as a plain dict, or ``default``. One GetItem."""
        item = self._table.get(key, **read_kwargs(kwargs))
        return default if item is None else item

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        """Deletes the item and returns it (a plain dict): one consistent GetItem, then a
        DeleteItem conditioned on the item being unchanged, so a lost answer cannot lose it."""
        try:
            return self._table.pop(key)
        except ItemNotFoundError:
            if default is _MISSING:
                raise
            return default

    def popitem(self) -> Tuple[Any, Dict[str, Any]]:
        for key in self:
            try:
                return key, self._table.pop(key)
            except ItemNotFoundError:
                continue
        raise KeyError("popitem(): the table is empty")

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """The item under ``key``; when there is none, ``default`` is put (a PutItem conditioned
        on the key being absent, so a concurrent writer's item is never overwritten) and
        returned."""
        if self._table.insert(key, default):
            return default
        return self.get_item(key)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Puts every (key, item): BatchWriteItem in chunks of 25, several in flight,
        UnprocessedItems retried; BatchError names the keys not written."""
        if isinstance(other, Mapping):
            pairs: List[Any] = list(other.items())
        elif hasattr(other, "keys"):
            pairs = [(k, other[k]) for k in other.keys()]
        else:
            pairs = list(other)
        pairs.extend(kwargs.items())
        self._table.put_many(pairs)

    def clear(self) -> None:
        """Deletes every item: a key-only Scan and batched deletes."""
        self._table.clear()

    # ---- beyond the original ----

    def count(self) -> int:
        """The exact number of items: a Select=COUNT Scan (reads the table, downloads no item)."""
        return self._table.count()

    def insert(self, key: Any, item: DynamoDBItemType) -> bool:
        """Puts the item only if no item has the key; returns whether it did."""
        return self._table.insert(key, item)

    def get_many(self, keys: Iterable, consistent_read: bool = False, projection: Any = None) -> List[Optional[Dict[str, Any]]]:
        """The items under ``keys``, in order (None where absent): BatchGetItem in chunks of 100,
        several in flight, UnprocessedKeys retried."""
        return self._table.get_many(list(keys), consistent_read, projection)

    def update_item(self, key: Any, update: Any, condition: Any = None, must_exist: bool = False,
                    returns: str = "ALL_NEW") -> Dict[str, Any]:
        """Applies an ``Update`` (set, remove, increment, append, add, delete_from...) in one
        UpdateItem; returns what ``returns`` asks for (ALL_NEW by default)."""
        return self._table.update(key, update, condition, must_exist, returns)

    def query(self, partition: Any, sort: Any = None, **kwargs: Any) -> Iterator[Dict[str, Any]]:
        """The items of one partition in sort-key order, optionally limited by a SortCondition:
        a lazy paged Query. Options: ``filter``, ``projection``, ``consistent_read``,
        ``descending``, ``page_size``, ``index`` (a secondary index, by its own key)."""
        return iter(self._table.query(partition, sort, **kwargs))

    def execute(self, statement: str, parameters: Any = None, consistent_read: bool = False) -> Iterator[Dict[str, Any]]:
        """Runs a PartiQL statement with its ``?`` parameters; a SELECT is a lazy paged range."""
        return iter(self._table.execute(statement, parameters, consistent_read=consistent_read))

    def transaction(self) -> DynamoDBTransaction:
        """A transaction over several keys (``with m.transaction() as tx: tx.put(...)``)."""
        return DynamoDBTransaction(self._table.transaction())

    def get_transactionally(self, keys: Iterable) -> List[Optional[Dict[str, Any]]]:
        """Several items read at one point in time (TransactGetItems, up to 100)."""
        return self._table.get_transactionally(list(keys))

    def enable_ttl(self, attribute: str) -> None:
        """Turns on DynamoDB's time to live on ``attribute`` (UpdateTimeToLive)."""
        self._table.enable_ttl(attribute)

    @staticmethod
    def expires_in(seconds: float) -> Any:
        """The epoch-seconds number ``seconds`` from now, for a TTL attribute."""
        return _core.Table.expires_in(seconds)

    def __repr__(self) -> str:
        return f"DynamoDBMapping({self.table_name!r})"
