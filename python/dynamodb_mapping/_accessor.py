"""The item accessor: an item as a dict whose changes are written to the table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Tuple

from . import _core

if TYPE_CHECKING:
    from ._mapping import DynamoDBMapping

_MISSING = object()


class DynamoDBItemAccessor(dict):
    """An item as a dict whose changes are written to the table: ``m["k"]["price"] = 456`` is one
    UpdateItem (``SET``), ``del m["k"]["price"]`` one ``REMOVE``; ``update``, ``pop``,
    ``setdefault``, ``popitem`` and ``clear`` write too. Each write requires the item to still
    exist (ItemNotFoundError otherwise: it is never re-created by an attribute write) and
    refreshes this dict with the item as the table has it afterwards."""

    def __init__(self, parent: "DynamoDBMapping", item_keys: Any, initial_data: Mapping) -> None:
        super().__init__(initial_data)
        self._parent = parent
        self._item_keys = item_keys

    def _write(self, update: Any) -> None:
        after = self._parent._table.update(self._item_keys, update, must_exist=True)
        dict.clear(self)
        dict.update(self, after)

    def __setitem__(self, name: str, value: Any) -> None:
        update = _core.Update()
        if value is None:  # the original's convention: None removes the attribute
            update.remove(name)
        else:
            update.set(name, value)
        self._write(update)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._write(_core.Update().remove(name))

    def update(self, other: Any = (), /, **kwargs: Any) -> None:  # type: ignore[override]
        changes = dict(other, **kwargs)
        if not changes:
            return
        update = _core.Update()
        for name, value in changes.items():
            if value is None:
                update.remove(name)
            else:
                update.set(name, value)
        self._write(update)

    def pop(self, name: str, default: Any = _MISSING) -> Any:  # type: ignore[override]
        if name not in self:
            if default is _MISSING:
                raise KeyError(name)
            return default
        value = dict.__getitem__(self, name)
        self._write(_core.Update().remove(name))
        return value

    def popitem(self) -> Tuple[str, Any]:
        keys = set(self._parent.key_names)
        for name in reversed(list(self)):
            if name not in keys:
                return name, self.pop(name)
        raise KeyError("popitem(): the item has no attribute but its key")

    def setdefault(self, name: str, default: Any = None) -> Any:
        if name in self:
            return dict.__getitem__(self, name)
        self[name] = default
        return default

    def clear(self) -> None:
        keys = set(self._parent.key_names)
        update = _core.Update()
        for name in self:
            if name not in keys:
                update.remove(name)
        if len(update):
            self._write(update)

    def __ior__(self, other: Any) -> "DynamoDBItemAccessor":  # type: ignore[override]
        self.update(other)
        return self

    def copy(self) -> dict:  # type: ignore[override]
        """A plain dict (changes to it are not written)."""
        return dict(self)

    def __deepcopy__(self, memo: Dict[int, Any]) -> dict:
        """A deep copy is a plain dict: copies never write to the table."""
        import copy

        return copy.deepcopy(dict(self), memo)

    def __reduce__(self) -> Any:
        # Pickled (or copy.copy'd) as the plain dict it holds: the table connection stays here.
        return (dict, (dict(self),))
