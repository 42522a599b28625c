"""Validator and converter factories shared by the domain types.

Every validator raises :class:`~jichitai_cloud.errors.ValidationError` with a message that names
the field, the offending value and what was expected, e.g.
``population must be an integer >= 1 [persons], got -5``.

Validators here never look at the instance (they accept ``None`` for it), so the I/O layer can run
them field by field and report every problem of a file at once.
"""

from __future__ import annotations

import enum
import math
import unicodedata
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any, TypeVar

from ._numeric._checks import as_fraction

# Month imports only errors, so this does not create a cycle.
from .calendar import Month
from .errors import ValidationError

E = TypeVar("E", bound=enum.Enum)

__all__ = [
    "exact_fraction",
    "integer",
    "member_code",
    "member_codes",
    "month",
    "non_empty_text",
    "one_of",
    "optional_month",
    "real",
    "text",
    "to_enum",
    "to_month",
    "to_tuple",
    "unique",
]

Validator = Callable[[Any, Any, Any], None]


def _unit(unit: str | None) -> str:
    return f" [{unit}]" if unit else ""


def integer(*, min: int | None = None, max: int | None = None, unit: str | None = None,
            optional: bool = False) -> Validator:
    """An integer (not bool, not float) within ``[min, max]``; ``None`` allowed if ``optional``."""
    bounds = []
    if min is not None:
        bounds.append(f">= {min}")
    if max is not None:
        bounds.append(f"<= {max}")
    expect = "an integer" + (" " + " and ".join(bounds) if bounds else "") + _unit(unit)

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{attribute.name} must be {expect}, got {value!r}")
        if (min is not None and value < min) or (max is not None and value > max):
            raise ValidationError(f"{attribute.name} must be {expect}, got {value!r}")

    return check


def real(*, min: float | None = None, max: float | None = None, unit: str | None = None,
         min_exclusive: bool = False, optional: bool = False) -> Validator:
    """A finite real number (int or float, not bool) within the bounds; never NaN or infinite."""
    bounds = []
    if min is not None:
        bounds.append(f"{'>' if min_exclusive else '>='} {min}")
    if max is not None:
        bounds.append(f"<= {max}")
    expect = "a finite number" + (" " + " and ".join(bounds) if bounds else "") + _unit(unit)

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValidationError(f"{attribute.name} must be {expect}, got {value!r}")
        low_bad = min is not None and (value <= min if min_exclusive else value < min)
        if low_bad or (max is not None and value > max):
            raise ValidationError(f"{attribute.name} must be {expect}, got {value!r}")

    return check


def text(*, optional: bool = False) -> Validator:
    """A string (may be empty)."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise ValidationError(f"{attribute.name} must be text, got {value!r}")

    return check


def non_empty_text() -> Validator:
    """A string with at least one non-space character."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{attribute.name} must be non-empty text, got {value!r}")

    return check


def one_of(choices: Iterable[Any]) -> Validator:
    """One of a fixed set of values."""
    allowed = tuple(choices)

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if value not in allowed:
            shown = ", ".join(repr(getattr(c, "value", c)) for c in allowed)
            raise ValidationError(f"{attribute.name} must be one of {shown}, got {value!r}")

    return check


def unique(key: Callable[[Any], Any] = lambda x: x, what: str = "value") -> Validator:
    """Items of a tuple must be unique by ``key``."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        seen: set[Any] = set()
        dup: list[Any] = []
        for item in value:
            k = key(item)
            if k in seen and k not in dup:
                dup.append(k)
            seen.add(k)
        if dup:
            raise ValidationError(
                f"{attribute.name} must have unique {what}s, got duplicate {what} "
                + ", ".join(repr(d) for d in dup)
            )

    return check


def to_tuple(value: Any) -> Any:
    """Converter: lists (and other non-string iterables) become tuples; other values pass through."""
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def to_enum(enum_cls: type[E], name: str) -> Callable[[Any], E]:
    """Converter: a value (or the enum member) to a member of ``enum_cls``, or a :class:`ValidationError`
    naming the field ``name``, the value and the allowed values.  Text is stripped first."""

    def convert(value: Any) -> E:
        if isinstance(value, enum_cls):
            return value
        try:
            return enum_cls(value.strip() if isinstance(value, str) else value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum_cls)
            raise ValidationError(f"{name} must be one of {allowed}, got {value!r}") from None

    return convert


def exact_fraction(value: Any, name: str = "value") -> Fraction:
    """A number as the decimal it is written as (``99.7`` -> 997/10); see :func:`._numeric.as_fraction`."""
    return as_fraction(value, name)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn")


def check_member_code(value: Any, field: str) -> str:
    """``value`` if it is a member code as other records refer to it, else a :class:`ValidationError`.

    The one rule for a reference to a member (団体コード or short id): text, not empty, no spaces
    around it, no control characters, at most 32 characters.  Whether the code belongs to a member
    of the council is checked where the council is known.
    """
    if (
        not isinstance(value, str)
        or not value
        or value != value.strip()
        or len(value) > 32
        or any(_is_control(ch) for ch in value)
    ):
        raise ValidationError(
            f"{field} must be a member code (text without surrounding spaces or control characters, "
            f"at most 32 characters, e.g. 'A' or '162019'), got {value!r}"
        )
    return value


def member_code(_inst: Any, attribute: Any, value: Any) -> None:
    """Validator: one member code (see :func:`check_member_code`)."""
    check_member_code(value, attribute.name)


def member_codes(*, min_items: int = 0) -> Validator:
    """Validator: a tuple of at least ``min_items`` distinct member codes (see :func:`check_member_code`)."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple) or len(value) < min_items:
            need = f"at least {min_items} " if min_items else ""
            raise ValidationError(f"{attribute.name} must be a list of {need}member codes, got {value!r}")
        for i, c in enumerate(value):
            check_member_code(c, f"{attribute.name}[{i}]")
        unique(what="code")(None, attribute, value)

    return check


def to_month(value: Any) -> Any:
    """Converter: text in any notation :meth:`Month.parse` reads, or a date, to a :class:`Month`."""
    import datetime as _dt

    if isinstance(value, str):
        return Month.parse(value)
    if isinstance(value, _dt.date):
        return Month.from_date(value)
    return value


def month(_inst: Any, attribute: Any, value: Any) -> None:
    """Validator: a :class:`Month`."""
    if not isinstance(value, Month):
        raise ValidationError(f"{attribute.name} must be a month such as 'H27.04' or '2015-04', got {value!r}")


def optional_month(_inst: Any, attribute: Any, value: Any) -> None:
    """Validator: a :class:`Month` or ``None``."""
    if value is not None:
        month(_inst, attribute, value)
