"""Showing stored values: exact rounding (half up, 四捨五入) at the declared decimals, and shown parts
that add up to the shown total.

Stored values stay exact (integer yen, :class:`~fractions.Fraction` rates); these functions turn
them into what a reader sees.  Rounding is done on exact rationals, never on a float product, so
``0.30000000000000004`` is never shown and a rate held at 20 % shows as ``20.0%``.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._table import Column, DataTable, Lang

__all__ = ["exact", "round_half_up", "scaled", "shown_number", "shown_rows", "shown_text", "to_decimal"]

_OKU = 10**8


def exact(value: Any) -> Fraction:
    """The exact rational value of an int, float or Fraction (a float's exact binary value)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot show the non-finite number {value!r}")
        return Fraction(value)
    return Fraction(int(value))


def round_half_up(x: Fraction, places: int) -> int:
    """``x`` rounded half away from zero at ``places`` decimals, as an integer count of units
    of ``10**-places`` (四捨五入)."""
    scaled_x = x * 10**places
    units: int = math.floor(abs(scaled_x) + Fraction(1, 2))
    return units if scaled_x >= 0 else -units


def scaled(value: Any, column: Column) -> Fraction:
    """The exact number shown in ``column``'s unit: 億円 columns divide yen by 10**8, percent columns
    multiply a rate by 100; other kinds are the value itself."""
    x = exact(value)
    if column.kind == "oku_yen":
        return x / _OKU
    if column.kind == "percent":
        return x * 100
    return x


def to_decimal(units: int, places: int) -> Decimal:
    """``units × 10**-places`` as a Decimal with exactly ``places`` decimals."""
    return Decimal(units).scaleb(-places)


def _int_units(value: int, column: Column) -> int:
    """Units of ``10**-places`` of an integer value in ``column``'s unit, rounded half up, in integers."""
    places = column.places
    num: int = value * 10**places * (100 if column.kind == "percent" else 1)
    den = _OKU if column.kind == "oku_yen" else 1
    units, rest = divmod(abs(num), den)
    units = int(units)
    if 2 * rest >= den and den > 1:
        units += 1
    return units if num >= 0 else -units


def shown_number(value: Any, column: Column) -> Decimal:
    """The number a reader sees in ``column`` (in the column's unit, rounded half up)."""
    if isinstance(value, int) and not isinstance(value, bool):  # yen, persons, counts: integers only
        return to_decimal(_int_units(value, column), column.places)
    return to_decimal(round_half_up(scaled(value, column), column.places), column.places)


def _apportioned(values: Sequence[Fraction], total: Fraction, places: int) -> list[int]:
    """Units of ``10**-places`` for each value, rounded so that they add up to ``total`` rounded
    half up: floor each, then one unit to the largest remainders (ties to the first)."""
    scale = 10**places
    floors = [math.floor(v * scale) for v in values]
    target = round_half_up(total, places)
    left = target - sum(floors)
    if left < 0 or left > len(values):  # mixed signs can push the target outside the floor range
        return [round_half_up(v, places) for v in values]
    order = sorted(range(len(values)), key=lambda i: (-(values[i] * scale - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _apportioned_ints(values: Sequence[int], column: Column) -> list[int]:
    """:func:`_apportioned` for integer stored values, in integer arithmetic (no Fractions)."""
    mult = 10**column.places * (100 if column.kind == "percent" else 1)
    den = _OKU if column.kind == "oku_yen" else 1
    nums = [v * mult for v in values]
    floors = [n // den for n in nums]
    target = _int_units(sum(values), column)
    left = target - sum(floors)
    if left < 0 or left > len(values):  # pragma: no cover - the floors' sum is within n of the total
        return [_int_units(v, column) for v in values]
    order = sorted(range(len(values)), key=lambda i: (-(nums[i] - floors[i] * den), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _numeric_value(value: Any) -> bool:
    return value is not None and not isinstance(value, bool) and isinstance(value, int | float | Fraction)


def shown_rows(table: DataTable) -> tuple[list[list[Any]], list[Any] | None]:
    """The rows and the 合計 line as a reader sees them, numbers as :class:`Decimal` in the column's
    unit at its decimals, everything else as stored.

    Row-wise ``sums`` are apportioned first (the parts add up to the shown total of their row),
    then columns with a 合計 line that are not whole units (億円, points) are apportioned down the
    column, so every shown total equals the sum of its shown parts.
    """
    cols = table.columns
    rows: list[list[Any]] = []
    for r in table.rows:
        rows.append([shown_number(v, c) if c.numeric and _numeric_value(v) else v for v, c in zip(r, cols, strict=True)])
    in_sums: set[str] = set()
    for total_key, parts in table.sums:
        t = table.position(total_key)
        pos = [table.position(k) for k in parts]
        places = cols[t].places
        if any(cols[j].places != places for j in pos):
            continue
        in_sums.update(parts)
        for i, r in enumerate(table.rows):
            if not all(_numeric_value(r[j]) for j in pos) or not _numeric_value(r[t]):
                continue
            vals = [scaled(r[j], cols[j]) for j in pos]
            units = _apportioned(vals, scaled(r[t], cols[t]), places)
            for j, u in zip(pos, units, strict=True):
                rows[i][j] = to_decimal(u, places)
    total = table.total_row()
    shown_total: list[Any] | None = None
    if total is not None:
        shown_total = [None] * len(cols)
        for j, c in enumerate(cols):
            if total[j] is None:
                continue
            shown_total[j] = shown_number(total[j], c)
            idx = [i for i, r in enumerate(table.rows) if _numeric_value(r[j])]
            whole = c.kind not in {"oku_yen", "percent"} and all(isinstance(table.rows[i][j], int) for i in idx)
            if not whole and c.key not in in_sums:  # shown parts rounded: apportion them to the shown total
                column_values = [table.rows[i][j] for i in idx]
                if all(isinstance(v, int) for v in column_values):  # integers (yen in 億円): integer remainders
                    units = _apportioned_ints(column_values, c)
                else:
                    units = _apportioned([scaled(v, c) for v in column_values], scaled(total[j], c), c.places)
                for i, u in zip(idx, units, strict=True):
                    rows[i][j] = to_decimal(u, c.places)
    return rows, shown_total


def _flag(value: bool, lang: Lang) -> str:
    if lang == "ja":
        return "○" if value else "－"
    return "yes" if value else "no"


def shown_text(value: Any, column: Column, lang: Lang = "ja") -> str:
    """The text of one shown cell (``value`` as returned by :func:`shown_rows`)."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "flag":
        return _flag(bool(value), lang)
    if kind == "month":
        return str(value.era_short() if lang == "ja" else value.iso())
    if kind == "date":
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    if column.numeric and not isinstance(value, bool):
        number = value if isinstance(value, Decimal) else shown_number(value, column)
        text = f"{number:,.{column.places}f}"
        return text + "%" if kind == "percent" else text
    return str(value)
