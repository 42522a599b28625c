"""Hypothesis strategies for declared tables (re-exported by :mod:`jichitai_cloud.testing.strategies`)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from .._display import Column, DataTable
from ..calendar import Month

__all__ = ["column_values", "data_tables"]

_TEXT = "あいうえお市町村富山射水滑川=+-@'|,\"\n ABCxyz0123"
_KINDS = ("yen", "oku_yen", "persons", "months", "month", "percent", "ratio", "points", "count", "number",
          "text", "code", "name", "flag")


def column_values(kind: str) -> st.SearchStrategy[Any]:
    """Stored values of a column of ``kind``: integer yen (negative ones too), exact rates
    (:class:`~fractions.Fraction`), floats for points, months, flags, hostile text."""
    if kind in ("yen", "oku_yen"):
        return st.integers(-(10**12), 10**13)
    if kind in ("persons", "months", "count"):
        return st.integers(0, 10**7)
    if kind == "percent":
        return st.one_of(st.fractions(Fraction(-1), Fraction(2), max_denominator=10**6),
                         st.floats(-1, 2, allow_nan=False))
    if kind in ("ratio", "points", "number"):
        return st.one_of(st.floats(-(10**6), 10**6, allow_nan=False, allow_infinity=False),
                         st.fractions(Fraction(-(10**4)), Fraction(10**4), max_denominator=1000),
                         st.integers(-(10**6), 10**6))
    if kind == "month":
        return st.builds(Month, st.integers(1990, 2100), st.integers(1, 12))
    if kind == "flag":
        return st.booleans()
    if kind == "code":
        return st.from_regex(r"\A[0-9]{6}\Z")
    return st.text(_TEXT, min_size=1, max_size=12)


@st.composite
def data_tables(draw: st.DrawFn, max_columns: int = 6, max_rows: int = 8) -> DataTable:
    """A declared table: a name column, then columns of random kinds (some totalled, some with a
    row-wise sum of points), random rows with missing values, perhaps a 合計 line."""
    kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=max_columns))
    columns = [Column("name", "市町村名", "Municipality", "name")]
    for i, kind in enumerate(kinds):
        decimals = draw(st.one_of(st.none(), st.integers(0, 3))) if kind in ("percent", "points", "number") else None
        total = kind in ("yen", "oku_yen", "persons", "count", "points") and draw(st.booleans())
        columns.append(Column(f"c{i}", f"列{i}", f"Column {i}", kind, decimals=decimals, total=total))  # type: ignore[arg-type]
    sums: dict[str, tuple[str, ...]] = {}
    if draw(st.booleans()):  # a row-wise total of points: parts p1 + p2 = sum
        places = draw(st.integers(0, 2))
        columns += [Column(k, ja, en, "points", decimals=places) for k, ja, en in
                    (("p1", "価格点", "Price"), ("p2", "技術点", "Technical"), ("psum", "総合点", "Total"))]
        sums["psum"] = ("p1", "p2")
    n = draw(st.integers(0, max_rows))
    rows = []
    for r in range(n):
        row: list[Any] = [f"団体{r}"]
        for c in columns[1:]:
            if c.key in ("p1", "p2", "psum"):
                continue
            row.append(draw(st.one_of(st.none(), column_values(c.kind))) if draw(st.integers(0, 9)) == 0
                       else draw(column_values(c.kind)))
        if sums:
            p1 = draw(st.fractions(Fraction(0), Fraction(1000), max_denominator=997))
            p2 = draw(st.fractions(Fraction(0), Fraction(1000), max_denominator=991))
            row += [p1, p2, p1 + p2]
        rows.append(row)
    return DataTable(key=draw(st.sampled_from(["table", "allocation", "評価"])), title="表", title_en="Table",
                     columns=columns, rows=rows, sheet=draw(st.sampled_from(["", "費用按分", "Cost allocation"])),
                     totals=draw(st.booleans()), sums=sums)
