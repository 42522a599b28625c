"""Hypothesis strategies for migration schedules (re-exported by :mod:`jichitai_cloud.testing.strategies`)."""

from __future__ import annotations

from hypothesis import strategies as st

from ..calendar import Month
from ..model import MigrationSchedule, MigrationTerms, Milestone

__all__ = ["migration_schedules", "migration_terms", "milestones", "timing_inputs"]

_BASE = Month(2015, 4)


@st.composite
def migration_terms(draw: st.DrawFn, code: str = "A", horizon: tuple[Month, Month] = (_BASE, _BASE + 47),
                    max_monthly: int = 10**7) -> MigrationTerms:
    """One member's terms: a contract end within the horizon, integer monthly amounts, perhaps a window."""
    h0, h1 = horizon
    span = h1 - h0
    end = h0 + draw(st.integers(0, span))
    cur = draw(st.integers(0, max_monthly))
    lo = draw(st.integers(0, span))
    hi = draw(st.integers(lo, span))
    window = draw(st.booleans())
    planned = end + 1 if end + 1 <= h1 else h1
    return MigrationTerms(
        code=code, name=f"{code}市", current_system_end=end, current_monthly=cur,
        cloud_monthly=draw(st.integers(0, max_monthly)), penalty_monthly=draw(st.integers(0, max_monthly)),
        extension_monthly=draw(st.one_of(st.none(), st.integers(0, max_monthly))),
        parallel=draw(st.integers(0, 3)), can_extend=draw(st.booleans()),
        earliest=h0 + lo if window else None, latest=h0 + hi if window else None, planned_start=planned,
    )


def milestones(horizon: tuple[Month, Month] = (_BASE, _BASE + 47)) -> st.SearchStrategy[Milestone]:
    """A milestone of one or more months within the horizon."""
    h0, h1 = horizon
    span = h1 - h0
    return st.builds(lambda a, k, name: Milestone(name=name, first=h0 + a, last=h0 + min(span, a + k)),
                     st.integers(0, span), st.integers(0, 6), st.sampled_from(["付番・通知", "情報連携", "番号法成立"]))


@st.composite
def migration_schedules(draw: st.DrawFn, min_members: int = 1, max_members: int = 6,
                        max_months: int = 48) -> MigrationSchedule:
    """A council's schedule: 1–6 members, a horizon of up to 48 months, perhaps a capacity and blackout months.

    Members' windows may make a capacity infeasible; plans built from it may raise
    :class:`~jichitai_cloud.errors.InfeasibleAllocation`.
    """
    months = draw(st.integers(1, max_months))
    h0 = _BASE + draw(st.integers(0, 24))
    h1 = h0 + (months - 1)
    n = draw(st.integers(min_members, max_members))
    members = tuple(draw(migration_terms(code=chr(ord("A") + i), horizon=(h0, h1))) for i in range(n))
    blackout = tuple(sorted(set(draw(st.lists(st.integers(0, months - 1), max_size=3)))))
    return MigrationSchedule(
        name="協議会", horizon_start=h0, horizon_end=h1, members=members,
        capacity=draw(st.one_of(st.none(), st.integers(1, 3))), per=draw(st.sampled_from(["month", "quarter"])),
        blackout=tuple(h0 + b for b in blackout), busy_months=tuple(draw(st.sets(st.integers(1, 12), max_size=3))),
        test_months=draw(st.integers(0, 4)), milestones=tuple(draw(st.lists(milestones((h0, h1)), max_size=2))),
    )


@st.composite
def timing_inputs(draw: st.DrawFn, max_members: int = 5, max_months: int = 8,
                  max_monthly: int = 10**6) -> dict[str, object]:
    """Keyword arguments of :func:`jichitai_cloud.schedule.timing_costs` as plain lists (month numbers, yen)."""
    n = draw(st.integers(1, max_members))
    h0 = 24_000 + draw(st.integers(0, 12))
    h1 = h0 + draw(st.integers(0, 36))
    m = draw(st.integers(1, min(max_months, h1 - h0 + 7)))
    money = st.lists(st.integers(0, max_monthly), min_size=n, max_size=n)
    return {
        "contract_end": draw(st.lists(st.integers(h0 - 6, h1 + 6), min_size=n, max_size=n)),
        "current_monthly": draw(money), "cloud_monthly": draw(money), "penalty_monthly": draw(money),
        "starts": sorted(draw(st.lists(st.integers(h0 - 3, h1 + 3), min_size=m, max_size=m, unique=True))),
        "horizon": (h0, h1), "parallel": draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)),
        "extension_monthly": draw(st.one_of(st.none(), money)),
    }
