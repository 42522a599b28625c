"""Feasibility of caps and floors, decided in exact integer arithmetic before anything is split.

Raises :class:`~jichitai_cloud.errors.InfeasibleAllocation` saying by how much the caps or floors
miss the total (and in which scenario).
"""

from __future__ import annotations

import numpy as np

from ..._numeric._checks import scenario_text as _scenario
from ...errors import InfeasibleAllocation, ValidationError
from ._base import BoolArray, IntArray

__all__ = ["check_feasible"]


def _row_sums_exact(a: IntArray) -> list[int]:
    """Exact row sums of non-negative int64 values as Python ints (error path only)."""
    return [int(sum(int(v) for v in row)) for row in a]


def _sum_at_least(a: IntArray, k: IntArray, bound: int) -> BoolArray:
    """``sum(a[r]) >= k[r]`` exactly, for rows of non-negative int64 each at most ``bound``."""
    n = a.shape[-1]
    if bound * max(n, 1) < 2**62:
        return np.asarray(a.sum(axis=-1) >= k)
    mask = (1 << 31) - 1
    hi = (a >> 31).sum(axis=-1)
    lo = (a & mask).sum(axis=-1)
    hi += lo >> 31
    lo &= mask
    khi, klo = k >> 31, k & mask
    return np.asarray((hi > khi) | ((hi == khi) & (lo >= klo)))


def _fmt(x: int) -> str:
    return f"{x:,}"


def _first_missed(ok: BoolArray, units: IntArray, u: int) -> tuple[int, int]:
    """The first row where ``ok`` is false and the exact sum of ``units`` in it. [yen]"""
    r = int(np.argmin(ok))
    return r, _row_sums_exact(units[r:r + 1])[0] * u


def _against_total(have: int, total: int) -> str:
    """How far a sum misses the total: ``more than the total 100 yen by 5 yen``. [yen]"""
    return f"{'more' if have > total else 'less'} than the total {_fmt(total)} yen by {_fmt(abs(have - total))} yen"


def _infeasible(message: str, bad: BoolArray, s0: int) -> InfeasibleAllocation:
    """The error, carrying every scenario of the block (from ``s0``, flat over the call's scenarios)
    failing the same check (``rows``, see :class:`InfeasibleAllocation`)."""
    exc = InfeasibleAllocation(message)
    exc.rows = s0 + np.flatnonzero(bad)
    return exc


def check_feasible(
    c_units: IntArray | None,
    f_units: IntArray | None,
    positive: BoolArray | None,
    k_units: IntArray,
    k_ceil: IntArray,
    total: IntArray,
    u: int,
    s0: int,
    leading: tuple[int, ...],
) -> None:
    """Raise :class:`InfeasibleAllocation` (saying by how much) if caps and floors cannot be met."""
    unit_note = f" (in whole units of {u:,} yen)" if u > 1 else ""
    if c_units is not None and f_units is not None:
        bad = f_units > c_units
        if bad.any():
            br, bi = (int(v) for v in np.unravel_index(int(np.argmax(bad)), bad.shape))
            raise _infeasible(
                f"{_scenario(leading, s0 + br)}member {bi} has floor {_fmt(int(f_units[br, bi]) * u)} yen "
                f"above its cap {_fmt(int(c_units[br, bi]) * u)} yen{unit_note} by "
                f"{_fmt((int(f_units[br, bi]) - int(c_units[br, bi])) * u)} yen", np.asarray(bad.any(axis=-1)), s0
            )
    if f_units is not None:
        fcl = np.minimum(f_units, k_units[:, None] + 1)
        ok = ~_sum_at_least(fcl, k_units + 1, int(k_units.max(initial=0)) + 1)
        if not ok.all():
            r, have = _first_missed(ok, f_units, u)
            raise _infeasible(f"{_scenario(leading, s0 + r)}the floors add up to {_fmt(have)} yen"
                              f"{unit_note}, {_against_total(have, int(total[r]))}", ~ok, s0)
    if c_units is not None:
        bound = int(k_ceil.max(initial=0))
        ok = _sum_at_least(c_units, k_ceil, bound)
        if not ok.all():
            r, have = _first_missed(ok, c_units, u)
            raise _infeasible(f"{_scenario(leading, s0 + r)}the caps add up to {_fmt(have)} yen"
                              f"{unit_note}, {_against_total(have, int(total[r]))}", ~ok, s0)
    if positive is not None:
        cap_pos = (np.where(positive, c_units, 0) if c_units is not None
                   else np.where(positive, k_ceil[:, None], 0))
        if f_units is not None:
            cap_pos = cap_pos + np.where(positive, 0, np.minimum(f_units, k_ceil[:, None]))
        ok = _sum_at_least(cap_pos, k_ceil, int(k_ceil.max(initial=0)))
        if not ok.all():
            r, have = _first_missed(ok, cap_pos, u)
            if not positive[r].any():
                raise ValidationError(
                    f"{_scenario(leading, s0 + r)}every member has zero weight under the rule but the total "
                    f"is {_fmt(int(total[r]))} yen"
                )
            raise _infeasible(
                f"{_scenario(leading, s0 + r)}members with zero drivers take only their floors, and the caps of "
                f"the members with a share under the rule add up to {_fmt(have)} yen{unit_note} with those "
                f"floors, {_against_total(have, int(total[r]))}", ~ok, s0
            )


