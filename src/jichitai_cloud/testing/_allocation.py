"""Hypothesis strategies for cost allocation: rules, councils with staggered starts, kernel inputs.

Re-exported by :mod:`jichitai_cloud.testing.strategies`.  Imports hypothesis at the top: this
module is never imported by ``import jichitai_cloud``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from ..allocation import AllocationPlan, AllocationRule, CostItem, Rounding
from ..calendar import Month
from ..model import Consortium, Municipality

__all__ = [
    "allocation_councils",
    "allocation_plans",
    "allocation_rules",
    "cost_items",
    "split_problems",
]


@st.composite
def allocation_rules(draw: st.DrawFn, *, guarantee: bool | None = None, drivers: tuple[str, ...] = ("equal",
                                                                                                   "population")
                     ) -> AllocationRule:
    """An :class:`~jichitai_cloud.allocation.AllocationRule` over ``drivers`` (ratios, guarantee, penalties, rounding)."""
    weights = [draw(st.integers(0, 10)) for _ in drivers]
    if not any(weights):
        weights[0] = 1
    with_guarantee = draw(st.booleans()) if guarantee is None else guarantee
    rounding: Rounding = draw(st.sampled_from(["largest_remainder", "largest_remainder", "floor_then_lead"]))
    return AllocationRule(
        ratios=dict(zip(drivers, weights, strict=True)),
        min_reduction=draw(st.sampled_from([0.1, 0.2, 0.3, 0.25])) if with_guarantee else None,
        penalty_sharing=draw(st.sampled_from(["member", "pooled"])),
        guarantee_includes_penalty=draw(st.booleans()),
        guarantee_basis=draw(st.sampled_from(["period", "months_on_cloud"])),
        rounding=rounding,
        unit=draw(st.sampled_from([1, 1, 1000])),
        tie=draw(st.sampled_from(["index", "reverse_index", "larger_quota", "smaller_quota"])),
    )


@st.composite
def allocation_councils(draw: st.DrawFn, *, min_members: int = 1, max_members: int = 8,
                        penalties: bool = True) -> Consortium:
    """A council for allocation: populations, current costs, penalties, cloud starts within a 60-month period,
    the fee over the council's period or each member's own (``fee_period``)."""
    n = draw(st.integers(min_members, max_members))
    start = Month(2015, 4)
    members = []
    for i in range(n):
        offset = draw(st.sampled_from([0, 0, 0, 3, 12, 30]))
        members.append(Municipality(
            code=f"M{i}",
            name=f"団体{i}",
            population=draw(st.integers(1, 400_000)),
            current_cost=draw(st.integers(10_000_000, 2_000_000_000)),
            penalty=draw(st.integers(0, 5_000_000)) if penalties and draw(st.booleans()) else 0,
            cloud_start=start + offset,
        ))
    return Consortium(name="test council", members=tuple(members), period_start=start, period_months=60,
                      fee_period=draw(st.sampled_from(["council", "council", "member"])))


@st.composite
def allocation_plans(draw: st.DrawFn) -> AllocationPlan:
    """An :class:`~jichitai_cloud.allocation.AllocationPlan` (fee, rule, penalties for codes M0..M2)."""
    return AllocationPlan(
        total_fee=draw(st.integers(0, 10**11)),
        rule=draw(allocation_rules()),
        penalties={f"M{i}": draw(st.integers(0, 10**7)) for i in range(draw(st.integers(0, 3)))},
        note=draw(st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Cn")) | st.sampled_from("\t\n"),
                          max_size=20)),
    )


@st.composite
def split_problems(draw: st.DrawFn, *, max_members: int = 30, scenarios: int | None = None) -> dict[str, Any]:
    """Keyword arguments for :func:`~jichitai_cloud.allocation.split_costs` that are feasible.

    Integer drivers (a column of ones and a population column), integer ratios, a total, and caps
    (about a third of the members below their share under the rule) that add up to at least the
    total.  With ``scenarios`` the total, drivers and caps have a leading axis of that length.
    """
    n = draw(st.integers(1, max_members))
    s = scenarios
    shape = (n,) if s is None else (s, n)
    pop = np.array(draw(st.lists(st.integers(1, 500_000), min_size=int(np.prod(shape)),
                                 max_size=int(np.prod(shape))))).reshape(shape)
    drivers = np.stack([np.ones(shape), pop.astype(np.float64)], axis=-1)
    ratios = [draw(st.integers(0, 10)), draw(st.integers(0, 10))]
    if not any(ratios):
        ratios[0] = 1
    total = draw(st.integers(0, 10**12)) if s is None else np.array(draw(
        st.lists(st.integers(0, 10**12), min_size=s, max_size=s)))
    tot = np.asarray(total, dtype=np.float64)
    w = ratios[0] / sum(ratios) / n + ratios[1] / sum(ratios) * pop / pop.sum(axis=-1, keepdims=True)
    quota = w * (tot[..., None] if s is not None else tot)
    tight = np.array(draw(st.lists(st.booleans(), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
                     ).reshape(shape)
    caps = np.where(tight, np.floor(quota * 0.8), np.ceil(quota * 3) + 1).astype(np.int64)
    short = np.asarray(total) - caps.sum(axis=-1)
    caps[..., -1] += np.maximum(short, 0)  # feasible: the last member can take the rest
    return {"total": total, "drivers": drivers, "ratios": ratios, "caps": caps}


@st.composite
def cost_items(draw: st.DrawFn, codes: tuple[str, ...], *, name: str | None = None,
               guarantee: bool | None = False) -> CostItem:
    """A :class:`~jichitai_cloud.allocation.CostItem` for members ``codes``: a total split by a rule
    (without a guarantee by default, so any council can meet it) or explicit shares for some codes."""
    label = name if name is not None else draw(st.sampled_from(["クラウド利用料", "ガバクラ", "データ抽出", "接続"]))
    if draw(st.booleans()):
        return CostItem(label, total=draw(st.integers(0, 10**10)), rule=draw(allocation_rules(guarantee=guarantee)))
    chosen = draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes))) if codes else []
    return CostItem(label, shares={c: draw(st.integers(0, 10**9)) for c in chosen})

