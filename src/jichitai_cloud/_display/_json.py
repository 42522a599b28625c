"""Numbers for JSON: exact values rounded to their column's declared places, never float noise.

``to_dict()`` outputs write money as integer yen and rates as decimals rounded to the places a
reader sees (a percent column with one decimal writes a rate with three: ``0.3``, never
``0.30000000000000004``); booleans stay ``true``/``false``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ._format import exact, round_half_up
from ._table import Column

__all__ = ["json_number"]


def json_number(value: Any, column: Column) -> int | float | None:
    """``value`` as JSON writes it under ``column``: ``None`` stays ``None``, whole-unit kinds (yen,
    persons, months, counts) an ``int``, anything else the nearest float to the exact value
    rounded half up to the column's places (a percent column's rate at ``places + 2``).

    Examples
    --------
    >>> from jichitai_cloud._display import col
    >>> json_number(1 - 0.7, col("reduction_rate")), json_number(Fraction(2, 3), col("reduction_rate"))
    (0.3, 0.667)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"a flag is not a number: {value!r}")
    if column.kind in {"yen", "oku_yen", "persons", "months", "count"} and isinstance(value, int):
        return int(value)
    places = column.places + (2 if column.kind == "percent" else 0)
    units = round_half_up(exact(value), places)
    return float(Fraction(units, 10**places))
