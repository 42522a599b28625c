"""The exact oracle of :func:`jichitai_cloud.allocation.split_costs`, in rational arithmetic.

A helper module for the tests (not a test file): slow and written for clarity, member by member,
with :class:`fractions.Fraction`.  ``test_allocation_kernels`` compares the vectorised kernel with it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction as Fr


def exact_weights(drivers: Sequence[Sequence[float]], ratios: Sequence[float]) -> list[Fr]:
    """w_i = sum_d ratio_d / sum(ratios) * x_id / X_d, exactly (columns summing to 0 count as 0)."""
    d = len(ratios)
    rsum = sum(Fr(r) for r in ratios)
    cols = [sum(Fr(row[j]) for row in drivers) for j in range(d)]
    return [sum((Fr(ratios[j]) / rsum * Fr(row[j]) / cols[j] for j in range(d) if cols[j] > 0), Fr(0))
            for row in drivers]


def exact_shares(total: int, weights: Sequence[Fr], caps: Sequence[int] | None,
                 floors: Sequence[int] | None) -> list[Fr]:
    """x_i = clip(lam * w_i, floor_i, cap_i) adding up to ``total`` (exact water-filling)."""
    n = len(weights)
    hi = [Fr(c) for c in caps] if caps is not None else [Fr(total)] * n
    lo = [Fr(f) for f in floors] if floors is not None else [Fr(0)] * n

    def g(lam: Fr) -> Fr:
        return sum((min(max(lam * w, lo[i]), hi[i]) for i, w in enumerate(weights)), Fr(0))

    points = sorted({Fr(0)} | {b / w for i, w in enumerate(weights) if w > 0 for b in (lo[i], hi[i])})
    if g(points[0]) >= total:
        lam = points[0]
    else:
        lam = None
        for a, b in itertools.pairwise(points):
            ga, gb = g(a), g(b)
            if ga <= total <= gb:
                lam = a if gb == ga else a + (b - a) * (total - ga) / (gb - ga)
                break
        if lam is None:  # beyond the last breakpoint: everyone free is unbounded above
            a = points[-1]
            slope = sum((w for i, w in enumerate(weights) if a * w < hi[i] and w > 0), Fr(0))
            lam = a + (total - g(a)) / slope
    return [min(max(lam * w, lo[i]), hi[i]) for i, w in enumerate(weights)]


def _rank_key(i: int, frac: Fr, quota: Fr, tie: str) -> tuple[object, ...]:
    if tie == "index":
        return (-frac, i)
    if tie == "reverse_index":
        return (-frac, -i)
    if tie == "larger_quota":
        return (-frac, -quota, i)
    return (-frac, quota, i)


def reference_split(
    total: int,
    drivers: Sequence[Sequence[float]],
    ratios: Sequence[float],
    *,
    caps: Sequence[int] | None = None,
    floors: Sequence[int] | None = None,
    rounding: str = "largest_remainder",
    unit: int = 1,
    tie: str = "index",
    lead: int | None = None,
) -> tuple[list[int], list[Fr]]:
    """The kernel's semantics for one scenario: (integer shares, exact shares in yen)."""
    n = len(drivers)
    k, rho = divmod(total, unit)
    cu = [c // unit for c in caps] if caps is not None else [k + (rho > 0)] * n
    fu = [-(-f // unit) for f in floors] if floors is not None else [0] * n
    w = exact_weights(drivers, ratios)
    x = exact_shares(total, w, [c * unit for c in cu], [f * unit for f in fu])
    q = [v / unit for v in x]
    y = [math.floor(v) for v in q]
    frac = [q[i] - y[i] for i in range(n)]
    missing = k - sum(y)
    given = [False] * n
    lead_idx = None
    if rounding == "floor_then_lead":
        if lead is None:
            room = [i for i in range(n) if y[i] < cu[i] and w[i] > 0] or [i for i in range(n) if y[i] < cu[i]]
            lead_idx = min(room, key=lambda i: (-q[i], i)) if room else 0
        else:
            lead_idx = lead
        take = min(missing, cu[lead_idx] - y[lead_idx])
        y[lead_idx] += take
        missing -= take
        given[lead_idx] = take > 0
    order = sorted((i for i in range(n) if y[i] < cu[i] and w[i] > 0 and not given[i]),
                   key=lambda i: _rank_key(i, frac[i], q[i], tie))
    assert missing <= len(order), "reference: not enough members to take the units"
    for i in order[:missing]:
        y[i] += 1
        given[i] = True
    shares = [v * unit for v in y]
    if rho:
        cand = [i for i in order if not given[i] and y[i] < cu[i]]
        who = cand[0] if cand else None
        if lead_idx is not None and y[lead_idx] < cu[lead_idx]:
            who = lead_idx
        assert who is not None
        shares[who] += rho
    return shares, x


def near_tie(total: int, drivers: Sequence[Sequence[float]], ratios: Sequence[float], *,
             caps: Sequence[int] | None = None, floors: Sequence[int] | None = None, unit: int = 1,
             eps: float = 1e-9) -> bool:
    """Whether two members with different weights have remainders within ``eps`` of each other.

    There the kernel's float remainders may order them differently from exact arithmetic.
    """
    _, x = reference_split(total, drivers, ratios, caps=caps, floors=floors, unit=unit)
    w = exact_weights(drivers, ratios)
    fr = [(v / unit) - math.floor(v / unit) for v in x]
    n = len(fr)
    return any(abs(fr[i] - fr[j]) < eps and w[i] != w[j] for i in range(n) for j in range(i + 1, n))
