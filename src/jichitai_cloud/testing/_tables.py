"""Hypothesis strategies for the cells of a table a secretariat hands in (CSV or a workbook).

Re-exported by :mod:`jichitai_cloud.testing.strategies`.  Every table reader is fed these: formula
look-alikes, control and bidirectional characters, huge and negative numbers, NaN and infinities,
thousands separators, full-width digits, era months, dates, very long text and empty cells.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from hypothesis import strategies as st

__all__ = ["HOSTILE_CELLS", "cell_values"]

HOSTILE_CELLS: tuple[Any, ...] = (
    "=cmd|' /C calc'!A0", "=1+1", "+1", "-5", "@SUM(A1)", "'=x", "=HYPERLINK(\"http://x\")",
    10**20, -10**20, 2**63, -1, -94684, 0, 1.5, -0.0, 12345.0, 12345.5, float("inf"), float("nan"), 1e308, True,
    "", " ", "\t", "\r\n", "\x7f", "\x85", "\x9b2J", "\u202e", "\u2028", "\ufeff", "H27.07", "H99.99", "2015-13",
    "x" * 32_767, "名" * 10_000, "A", "162116", "1,000", "540,000,000", "1e3", "１２３",
    _dt.datetime(2015, 4, 1), _dt.date(1900, 1, 1),
)
"""Cell values that have broken, or could break, a table reader."""


def cell_values(*, hostile: bool = True) -> st.SearchStrategy[Any]:
    """Values a spreadsheet cell may hold: text, integers, floats, flags, dates, or nothing.

    Parameters
    ----------
    hostile
        Mix in :data:`HOSTILE_CELLS`, NaN, infinities and integers beyond 64 bits (default).
    """
    plain = st.one_of(
        st.none(), st.text(max_size=40), st.integers(-10**15, 10**15), st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False), st.datetimes(min_value=_dt.datetime(1900, 3, 1),
                                                                        max_value=_dt.datetime(2100, 1, 1)),
    )
    if not hostile:
        return plain
    return st.one_of(plain, st.sampled_from(HOSTILE_CELLS), st.integers(-2**70, 2**70),
                     st.floats(allow_nan=True, allow_infinity=True))
