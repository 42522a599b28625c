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
import numbers
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
    "POPULATION_MAX",
    "YEN_LIMIT",
    "check_text",
    "check_yen",
    "exact_fraction",
    "integer",
    "member_code",
    "member_codes",
    "month",
    "non_empty_text",
    "one_of",
    "optional_month",
    "population",
    "real",
    "text",
    "texts",
    "to_enum",
    "to_int",
    "to_month",
    "to_tuple",
    "unique",
    "yen",
]

YEN_LIMIT = 10**15
"""Every yen amount is a whole number below this (1,000 兆円, about 2.5 times Japan's public debt). [yen]"""

POPULATION_MAX = 130_000_000
"""Largest population of a member (Japan's whole population is about 124 million). [persons]"""

Validator = Callable[[Any, Any, Any], None]


def _bounded(what: str, low: str | None, high: str | None, unit: str | None, optional: bool,
             is_kind: Callable[[Any], bool], within: Callable[[Any], bool]) -> Validator:
    """A validator for a number of one kind within bounds; one message for either failure.

    ``what`` names the kind (``"an integer"``), ``low``/``high`` the bounds as written in the message
    (``">= 0"``, or ``None`` for none); ``within`` is asked only of a value of the right kind.
    """
    bounds = [b for b in (low, high) if b is not None]
    expect = what + (" " + " and ".join(bounds) if bounds else "") + (f" [{unit}]" if unit else "")

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not is_kind(value) or not within(value):
            raise ValidationError(f"{attribute.name} must be {expect}, got {_shown(value)}")

    return check


def _is_int(x: Any) -> bool:
    """A whole number: a Python int or a numpy integer (``numbers.Integral``), not a bool."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool) and type(x).__name__ != "bool_"


_INT64 = 2**63


def to_int(value: Any) -> Any:
    """Converter: a numpy integer (``np.int64(5)``, ``np.uint64(5)``) to the Python int of the same value.

    Other values pass through unchanged for the validator to judge, so a value out of range is
    reported as given (``np.uint64(2**64-1)`` stays 18446744073709551615, never a wrapped int64).
    """
    if _is_int(value) and not isinstance(value, int):
        return int(value)
    return value


def integer(*, min: int | None = None, max: int | None = None, unit: str | None = None,
            optional: bool = False) -> Validator:
    """An integer (not bool, not float) within ``[min, max]``; ``None`` allowed if ``optional``.

    Python ints and numpy signed or unsigned integers are accepted when in range (fields pair this
    validator with the :func:`to_int` converter so a numpy value is stored as a Python int).  Any
    integer must fit in int64.  With ``unit="yen"`` and no ``max``, the amount must also be below
    :data:`YEN_LIMIT`.
    """
    if unit == "yen" and max is None:
        max = YEN_LIMIT - 1
    return _bounded(
        "an integer", None if min is None else f">= {min}", None if max is None else f"<= {max}", unit, optional,
        _is_int,
        lambda x: (-_INT64 <= int(x) < _INT64 and (min is None or int(x) >= min)
                   and (max is None or int(x) <= max)),
    )


def real(*, min: float | None = None, max: float | None = None, unit: str | None = None,
         min_exclusive: bool = False, optional: bool = False) -> Validator:
    """A finite real number (int or float, not bool) within the bounds; never NaN or infinite."""
    return _bounded(
        "a finite number", None if min is None else f"{'>' if min_exclusive else '>='} {min}",
        None if max is None else f"<= {max}", unit, optional,
        lambda x: not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x),
        lambda x: (min is None or (x > min if min_exclusive else x >= min)) and (max is None or x <= max),
    )


def yen(*, min: int = 0, optional: bool = False) -> Validator:
    """A whole number of yen from ``min`` up to :data:`YEN_LIMIT` - 1 (``None`` allowed if ``optional``)."""
    return integer(min=min, max=YEN_LIMIT - 1, unit="yen", optional=optional)


def check_yen(value: Any, field: str, *, min: int = 0) -> int:
    """``value`` as a Python int if it is a whole number of yen in ``[min, YEN_LIMIT)``, else a
    :class:`ValidationError` naming ``field`` (for amounts inside tables, e.g. ``annual_fees.A``).

    The one gate of every yen amount: Python ints and numpy signed/unsigned integers are accepted
    when in range (``np.uint64(2**64 - 1)`` is an error showing 18446744073709551615, never a
    wrapped int64); bools, floats and text are not.
    """
    if not _is_int(value) or not min <= int(value) < YEN_LIMIT:
        raise ValidationError(f"{field} must be an integer >= {min} and < 10**15 [yen], got {_shown(value)}")
    return int(value)


def _shown(value: Any) -> str:
    """A value for a message: a numpy integer as the Python int it is (its exact value), else repr."""
    if _is_int(value) and not isinstance(value, int):
        return f"{int(value)} ({type(value).__name__})"
    return repr(value)


def yen_map(value: Any, field: str) -> dict[str, int]:
    """The items of a mapping of code -> yen, every amount through :func:`check_yen` (as Python ints)."""
    return {k: check_yen(x, f"{field}.{k}") for k, x in value.items()}


def population(*, min: int = 0, optional: bool = False) -> Validator:
    """A member's population: a whole number from ``min`` to :data:`POPULATION_MAX`. [persons]"""
    return integer(min=min, max=POPULATION_MAX, unit="persons", optional=optional)


_LINE_BREAKS = frozenset("\t\n\r")


def _bad_char(value: str, multiline: bool) -> str | None:
    for ch in value:
        if multiline and ch in _LINE_BREAKS:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Cn") and ch not in "\u200c\u200d":
            return ch  # (zero-width joiners occur in names; private-use 外字 from CP932 files are kept)
    return None


def check_text(value: Any, field: str, *, multiline: bool = False, empty: bool = True) -> str:
    """``value`` if it is text without control characters, else a :class:`ValidationError` naming ``field``.

    Control characters are NUL, terminal escapes (ESC), other C0/C1 codes, format and unassigned
    code points; a free-text note (``multiline=True``) may hold tabs and line breaks.
    """
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, got {value!r:.80}")
    if not empty and not value.strip():
        raise ValidationError(f"{field} must be non-empty text, got {value!r:.80}")
    bad = _bad_char(value, multiline)
    if bad is not None:
        allowed = " (tabs and line breaks are allowed)" if multiline else ""
        raise ValidationError(f"{field} must not hold control characters{allowed}: found U+{ord(bad):04X} in "
                              f"{value!r:.80}")
    return value


def text(*, optional: bool = False, multiline: bool = True) -> Validator:
    """A string (may be empty) without control characters; tabs and line breaks only if ``multiline``
    (the default: most text fields are free-text notes)."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        check_text(value, attribute.name, multiline=multiline)

    return check


def texts() -> Validator:
    """A tuple of one-line, non-empty strings without control characters (names of systems, areas)."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple):
            raise ValidationError(f"{attribute.name} must be a list of text, got {value!r:.80}")
        for i, x in enumerate(value):
            check_text(x, f"{attribute.name}[{i}]", empty=False)

    return check


def non_empty_text() -> Validator:
    """A one-line string with at least one non-space character and no control characters (a name or id)."""

    def check(_inst: Any, attribute: Any, value: Any) -> None:
        check_text(value, attribute.name, empty=False)

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
