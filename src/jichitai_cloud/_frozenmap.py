"""An immutable, hashable, ordered mapping from text keys to values."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

from .errors import ValidationError

__all__ = ["FrozenMap"]

V = TypeVar("V")


def _to_items(value: Any) -> tuple[tuple[str, Any], ...]:
    if isinstance(value, FrozenMap):
        return value.items_tuple
    if isinstance(value, Mapping):
        return tuple((str(k), v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple((str(k), v) for k, v in value)
    raise ValidationError(f"expected a table of name = value pairs, got {value!r}")


@attrs.frozen(slots=True, repr=False, eq=False)
class FrozenMap(Mapping[str, V], Generic[V]):
    """An immutable mapping ``name -> value`` that keeps insertion order and can be hashed.

    Used for named quantities such as a member's extra cost drivers (``{"staff_users": 120}``).

    Parameters
    ----------
    items_tuple
        ``(name, value)`` pairs; a ``dict`` is accepted and converted.
    """

    items_tuple: tuple[tuple[str, V], ...] = attrs.field(default=(), converter=_to_items)

    @items_tuple.validator
    def _check(self, _a: Any, value: tuple[tuple[str, V], ...]) -> None:
        keys = [k for k, _ in value]
        if len(set(keys)) != len(keys):
            dup = sorted({k for k in keys if keys.count(k) > 1})
            raise ValidationError(f"duplicate names {dup!r}")

    def __getitem__(self, key: str) -> V:
        for k, v in self.items_tuple:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self.items_tuple)

    def __len__(self) -> int:
        return len(self.items_tuple)

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self.items_tuple)!r})"

    def __eq__(self, other: object) -> bool:
        """Equal to another mapping with the same items, in any order (as ``dict`` is)."""
        if isinstance(other, FrozenMap):
            return dict(self.items_tuple) == dict(other.items_tuple)
        if isinstance(other, Mapping):
            return dict(self.items_tuple) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self.items_tuple))

    def to_dict(self) -> dict[str, V]:
        """A plain ``dict`` copy."""
        return dict(self.items_tuple)
