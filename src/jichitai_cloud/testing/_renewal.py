"""Hypothesis strategies for renewal options (re-exported by :mod:`jichitai_cloud.testing.strategies`)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..model import Consortium
from ..renewal import RenewalOption, ServiceLevel
from ._allocation import allocation_councils, allocation_rules

__all__ = ["renewal_options", "renewal_problems", "service_levels"]


@st.composite
def service_levels(draw: st.DrawFn) -> ServiceLevel:
    """A :class:`~jichitai_cloud.renewal.ServiceLevel`: availability, incidents a year, a source."""
    return ServiceLevel(availability=draw(st.sampled_from([0.99, 0.995, 0.999, 0.9999, 1.0])),
                        incidents_per_year=draw(st.integers(0, 24)) / 2, source=draw(st.sampled_from(["", "SLA"])))


@st.composite
def renewal_options(draw: st.DrawFn, codes: tuple[str, ...] = ("A", "B", "C"), *, name: str = "option",
                    incumbent: bool = False, max_fee: int = 50_000_000, guarantee: bool = False) -> RenewalOption:
    """A :class:`~jichitai_cloud.renewal.RenewalOption` over the members ``codes``: a council fee with a
    rule or per-member fees, one-offs, double running (never on the ``incumbent``), a yearly change."""
    per_member = draw(st.booleans())
    rule = draw(allocation_rules(guarantee=guarantee)) if (not per_member or draw(st.booleans())) else None
    fee: Any = ({c: draw(st.integers(0, max_fee // max(len(codes), 1))) for c in codes} if per_member
                else draw(st.integers(0, max_fee)))
    one_off = {c: draw(st.integers(0, 10**8)) for c in draw(st.lists(st.sampled_from(codes), unique=True))}
    return RenewalOption(
        name, monthly_fee=fee, rule=rule, one_off=one_off,
        council_one_off=draw(st.integers(0, 10**9)) if rule is not None else 0,
        parallel_months=0 if incumbent else draw(st.integers(0, 12)),
        yearly_change=draw(st.sampled_from([0.0, 0.01, 0.02, 0.025, -0.03, 0.1])),
        service=draw(st.none() | service_levels()))


@st.composite
def renewal_problems(draw: st.DrawFn, *, max_members: int = 6, max_options: int = 3
                     ) -> tuple[Consortium, tuple[RenewalOption, ...]]:
    """A council and its options (the first the incumbent), for :func:`~jichitai_cloud.renewal.compare_renewal`."""
    council = draw(allocation_councils(max_members=max_members, penalties=False))
    k = draw(st.integers(1, max_options))
    opts = tuple(draw(renewal_options(council.codes, name=f"option{i}", incumbent=i == 0)) for i in range(k))
    return council, opts
