"""The views of a mapping (keys, values, items) and the transaction context manager."""

from __future__ import annotations

import warnings
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._mapping import DynamoDBMapping


class DynamoDBKeysView(KeysView):
    """The keys, by a Scan that reads only the key attributes; ``k in view`` is one GetItem of the
    key attributes."""

    def __init__(self, mapping: "DynamoDBMapping") -> None:
        super().__init__(mapping)

    def __contains__(self, key: object) -> bool:
        return key in self._mapping

    def __iter__(self) -> Iterator:
        return iter(self._mapping)


class DynamoDBValuesView(ValuesView):
    """The items, by one lazy paged Scan per iteration."""

    def __init__(self, mapping: "DynamoDBMapping") -> None:
        super().__init__(mapping)

    def __contains__(self, value: object) -> bool:
        return any(v is value or v == value for v in self)

    def __iter__(self) -> Iterator:
        return iter(self._mapping._table.scan())


class DynamoDBItemsView(ItemsView):
    """The (key, item) pairs, by one lazy paged Scan per iteration."""

    def __init__(self, mapping: "DynamoDBMapping") -> None:
        super().__init__(mapping)

    def __iter__(self) -> Iterator:
        return iter(self._mapping._table.items())


class DynamoDBTransaction:
    """Writes and checks on several items, applied all or none (TransactWriteItems) when the
    ``with`` block ends without an exception; nothing is sent before. On an exception nothing is
    sent. ``commit()`` sends it earlier."""

    def __init__(self, tx: Any) -> None:
        self._tx = tx
        self._done = False

    def put(self, key: Any, item: Mapping, condition: Any = None) -> "DynamoDBTransaction":
        self._tx.put(key, item, condition)
        return self

    def modify(self, key: Any, changes: Mapping, condition: Any = None) -> "DynamoDBTransaction":
        self._tx.modify(key, changes, condition)
        return self

    def update(self, key: Any, update: Any, condition: Any = None) -> "DynamoDBTransaction":
        self._tx.update(key, update, condition)
        return self

    def delete(self, key: Any, condition: Any = None) -> "DynamoDBTransaction":
        self._tx.delete(key, condition)
        return self

    def check(self, key: Any, condition: Any) -> "DynamoDBTransaction":
        self._tx.check(key, condition)
        return self

    def commit(self) -> None:
        self._done = True
        self._tx.commit()

    def __len__(self) -> int:
        return len(self._tx)

    def __enter__(self) -> "DynamoDBTransaction":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._done:
            return
        self._done = True
        if exc_type is None:
            self._tx.commit()
        else:
            self._tx.abandon()

    def __del__(self) -> None:
        if not self._done and len(self._tx):
            warnings.warn(
                f"a transaction with {len(self._tx)} action(s) was dropped without commit(): "
                "nothing was sent",
                UserWarning,
                stacklevel=2,
            )
        if not self._done:
            self._tx.abandon()
