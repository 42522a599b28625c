"""Hypothesis strategies for every domain type, in one public place.

Other councils' test suites can reuse them::

    from hypothesis import given
    from jichitai_cloud.testing import strategies as jst

    @given(jst.consortia())
    def test_my_tool(council): ...

Every strategy yields valid, immutable objects; ``*_data`` strategies yield the plain data a file
would hold.  Requires hypothesis (``pip install 'jichitai-cloud[test]'``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from hypothesis import strategies as st

from ..model import (
    Component,
    ComponentKind,
    Consortium,
    Criterion,
    CustomizationRequest,
    Direction,
    EvaluationScheme,
    Meeting,
    Municipality,
    Proposal,
    PublishedFigures,
    Quote,
    RequestStatus,
    Scores,
    SLAMetric,
    Subcommittee,
    Window,
    check_digit,
)
from ._basic import months, names, yen

__all__ = [
    "anonymised_codes",
    "components",
    "consortia",
    "criteria",
    "customization_requests",
    "evaluation_schemes",
    "lg_codes",
    "meetings",
    "member_codes",
    "members",
    "months",
    "municipalities",
    "names",
    "proposals",
    "published_figures",
    "quotes",
    "sla_metrics",
    "subcommittees",
    "yen",
]

def lg_codes() -> st.SearchStrategy[str]:
    """Valid 6-digit local government codes (prefecture 01–47, a check digit that verifies)."""
    return st.tuples(st.integers(1, 47), st.integers(0, 999)).map(
        lambda t: f"{t[0]:02d}{t[1]:03d}" + str(check_digit(f"{t[0]:02d}{t[1]:03d}"))
    )


def anonymised_codes() -> st.SearchStrategy[str]:
    """Short ids such as ``"A"`` or ``"town-7"``."""
    return st.from_regex(r"\A[A-Za-z][A-Za-z0-9_\-]{0,7}\Z")


def member_codes() -> st.SearchStrategy[str]:
    """Either kind of member code."""
    return st.one_of(lg_codes(), anonymised_codes())


@st.composite
def municipalities(draw: st.DrawFn, code: str | None = None, with_months: bool = True) -> Municipality:
    """A member municipality with plausible figures."""
    start = draw(st.one_of(st.none(), months(2010, 2030))) if with_months else None
    end = draw(st.one_of(st.none(), months(2010, 2030))) if with_months else None
    drivers = draw(st.dictionaries(
        st.from_regex(r"\A[a-z][a-z_]{0,9}\Z"),
        st.one_of(st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False, allow_infinity=False)),
        max_size=3,
    ))
    return Municipality(
        code=code if code is not None else draw(member_codes()),
        name=draw(names()),
        population=draw(st.integers(1, 4_000_000)),
        current_cost=draw(yen(10**11)),
        penalty=draw(yen(10**9)),
        current_system_end=end,
        cloud_start=start,
        drivers=drivers,
    )


@st.composite
def members(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> tuple[Municipality, ...]:
    """Members with unique codes."""
    codes = draw(st.lists(member_codes(), min_size=min_size, max_size=max_size, unique=True))
    return tuple(draw(municipalities(code=c)) for c in codes)


def meetings(codes: Sequence[str] = ()) -> st.SearchStrategy[Meeting]:
    """A dated meeting with attendees drawn from ``codes``."""
    attendees = st.lists(st.sampled_from(list(codes)), unique=True).map(tuple) if codes else st.just(())
    return st.builds(Meeting, date=st.dates(_dt.date(2010, 1, 1), _dt.date(2030, 12, 31)),
                     attendees=attendees, note=st.one_of(st.just(""), names()))


@st.composite
def subcommittees(draw: st.DrawFn, codes: Sequence[str] = ()) -> Subcommittee:
    """A subcommittee with either dated meetings or a meeting count."""
    member_codes_ = draw(st.lists(st.sampled_from(list(codes)), unique=True)) if codes else []
    dated = draw(st.booleans())
    mts = draw(st.lists(meetings(codes), max_size=3)) if dated else []
    return Subcommittee(
        name_ja=draw(names()),
        name_en=draw(st.one_of(st.just(""), names())),
        areas=tuple(draw(st.lists(names(), max_size=2))),
        members=tuple(member_codes_),
        meetings=tuple(mts),
        meeting_count=len(mts) if dated and draw(st.booleans()) else (None if dated else draw(st.integers(0, 40))),
    )


@st.composite
def quotes(draw: st.DrawFn, max_count: int = 6) -> Quote:
    """A vendor quote: a table per adopter count, a fixed total, or fixed plus per member."""
    kind = draw(st.sampled_from(["table", "fixed", "per_member"]))
    if kind == "table":
        counts = draw(st.lists(st.integers(1, max_count), min_size=1, unique=True))
        return Quote(by_count={str(k): draw(yen(10**8)) for k in sorted(counts)})
    if kind == "fixed":
        return Quote(fixed=draw(yen(10**8)))
    return Quote(fixed=draw(yen(10**8)), per_member=draw(yen(10**7)))


@st.composite
def customization_requests(draw: st.DrawFn, codes: Sequence[str] = ("A",), subcommittee_names: Sequence[str] = (),
                           id: str | None = None) -> CustomizationRequest:
    """A customization request whose member codes come from ``codes``."""
    status = draw(st.sampled_from(list(RequestStatus)))
    requesters = draw(st.lists(st.sampled_from(list(codes)), unique=True))
    adopters: list[str] = []
    if status not in (RequestStatus.WITHDRAWN, RequestStatus.NOT_IMPLEMENTED):
        adopters = draw(st.lists(st.sampled_from(list(codes)), unique=True))
    sub = draw(st.sampled_from(list(subcommittee_names))) if subcommittee_names else ""
    return CustomizationRequest(
        id=id if id is not None else draw(st.from_regex(r"\A[0-9]{1,2}(-[0-9])?\Z")),
        title=draw(names()),
        subcommittee=sub,
        requesters=tuple(requesters),
        quote=draw(quotes(max_count=len(codes))),
        adopters=tuple(adopters),
        status=status,
        rationale=draw(st.one_of(st.just(""), names())),
    )


def criteria() -> st.SearchStrategy[Criterion]:
    """A scored criterion."""
    return st.builds(Criterion, name=names(), max_score=st.sampled_from([5.0, 10.0, 20.0, 100.0]),
                     weight=st.floats(0, 10, allow_nan=False), mandatory=st.booleans())


@st.composite
def components(draw: st.DrawFn, kind: ComponentKind | None = None, name: str | None = None) -> Component:
    """A component of an evaluation scheme."""
    kind = kind if kind is not None else draw(st.sampled_from(list(ComponentKind)))
    crits = draw(st.lists(criteria(), max_size=4, unique_by=lambda c: c.name)) if kind is ComponentKind.TECHNICAL else []
    return Component(
        name=name if name is not None else draw(names()),
        points=draw(st.sampled_from([100.0, 500.0, 1000.0, 2000.0])),
        kind=kind,
        name_ja=draw(st.one_of(st.just(""), names())),
        round=0 if kind is ComponentKind.PRICE else draw(st.integers(1, 3)),
        judges=None if kind is ComponentKind.PRICE else draw(st.integers(1, 150)),
        criteria=tuple(crits),
    )


@st.composite
def evaluation_schemes(draw: st.DrawFn) -> EvaluationScheme:
    """A scheme with one price component and one to three technical components."""
    price = draw(components(kind=ComponentKind.PRICE, name="price"))
    tech_names = draw(st.lists(st.from_regex(r"\A[a-z]{1,8}\Z").filter(lambda s: s != "price"),
                               min_size=1, max_size=3, unique=True))
    techs = [draw(components(kind=ComponentKind.TECHNICAL, name=n)) for n in tech_names]
    return EvaluationScheme(
        name=draw(names()),
        components=(price, *techs),
        price_method=draw(st.sampled_from(["lowest_ratio", "ceiling_ratio"])),
        ceiling=draw(st.one_of(st.none(), st.integers(1, 10**10))),
    )


@st.composite
def scores_for(draw: st.DrawFn, component: Component, max_judges: int = 4) -> Scores:
    """Scores of one component: judges x criteria, some possibly absent (``None``)."""
    n = draw(st.integers(1, max_judges))
    judges = tuple(f"J{i + 1}" for i in range(n))
    crits = tuple(c.name for c in component.criteria) or ("overall",)
    maxes = [c.max_score for c in component.criteria] or [5.0]
    values = tuple(
        tuple(draw(st.one_of(st.none(), st.floats(0, m, allow_nan=False))) for m in maxes) for _ in judges
    )
    return Scores(component=component.name, judges=judges, criteria=crits, values=values)


@st.composite
def proposals(draw: st.DrawFn, scheme: EvaluationScheme | None = None) -> Proposal:
    """A proposal, with scores for every technical component of ``scheme`` if given."""
    scores: list[Scores] = []
    if scheme is not None:
        scores = [draw(scores_for(c)) for c in scheme.components if c.kind is ComponentKind.TECHNICAL]
    return Proposal(vendor=draw(names()), bid=draw(yen(10**10)), scores=tuple(scores))


def sla_metrics() -> st.SearchStrategy[SLAMetric]:
    """An SLA item."""
    return st.sampled_from(["%", "minutes", "hours", "count", "ms"]).flatmap(lambda unit: st.builds(
        SLAMetric,
        id=st.from_regex(r"\A[a-z][a-z_]{0,11}\Z"),
        name=names(),
        unit=st.just(unit),
        target=st.floats(0, 100 if unit == "%" else 1e4, allow_nan=False),
        direction=st.sampled_from(list(Direction)),
        window=st.sampled_from(list(Window)),
        weight=st.floats(0, 100, allow_nan=False),
        description=st.one_of(st.just(""), names()),
    ))


@st.composite
def published_figures(draw: st.DrawFn, codes: Sequence[str] = ()) -> PublishedFigures:
    """Published reference figures for the members ``codes``."""
    chosen = draw(st.lists(st.sampled_from(list(codes)), unique=True)) if codes else []
    return PublishedFigures(
        source=draw(st.one_of(st.just(""), names())),
        cloud_fees={c: draw(yen(10**10)) for c in chosen},
        reduction_rates={c: draw(st.floats(-1, 1, allow_nan=False)) for c in chosen},
        total_current_cost=draw(st.one_of(st.none(), yen())),
        total_cloud_fee=draw(st.one_of(st.none(), yen())),
        total_reduction_rate=draw(st.one_of(st.none(), st.floats(-1, 1, allow_nan=False))),
        declared_meetings=draw(st.one_of(st.none(), st.integers(0, 500))),
        council_meetings=draw(st.one_of(st.none(), st.integers(0, 100))),
        systems_in_scope=draw(st.one_of(st.none(), st.integers(0, 50))),
        customization_outcomes=draw(st.dictionaries(st.sampled_from([s.value for s in RequestStatus]),
                                                    st.integers(0, 50), max_size=3)),
        notes=draw(st.one_of(st.just(""), names())),
    )


@st.composite
def consortia(draw: st.DrawFn, min_members: int = 1, max_members: int = 8, full: bool = True) -> Consortium:
    """A whole council; with ``full`` it also has subcommittees, requests, a scheme, SLA items and figures."""
    ms = draw(members(min_size=min_members, max_size=max_members))
    codes = [m.code for m in ms]
    subs: list[Subcommittee] = []
    reqs: list[CustomizationRequest] = []
    scheme = None
    slas: list[SLAMetric] = []
    pub = None
    if full:
        subs = draw(st.lists(subcommittees(codes), max_size=3, unique_by=lambda s: s.name_ja))
        sub_names = [s.name_ja for s in subs]
        n_req = draw(st.integers(0, 3))
        reqs = [draw(customization_requests(codes, sub_names, id=f"{i + 1}")) for i in range(n_req)]
        scheme = draw(st.one_of(st.none(), evaluation_schemes()))
        slas = draw(st.lists(sla_metrics(), max_size=3, unique_by=lambda m: m.id))
        pub = draw(st.one_of(st.none(), published_figures(codes)))
    return Consortium(
        name=draw(names()),
        members=ms,
        period_start=draw(months(2000, 2040)),
        period_months=draw(st.integers(1, 120)),
        fee_period=draw(st.sampled_from(["council", "member"])),
        systems=tuple(draw(st.lists(names(), max_size=3))),
        subcommittees=tuple(subs),
        customization_requests=tuple(reqs),
        evaluation=scheme,
        sla_metrics=tuple(slas),
        published=pub,
    )


from ._allocation import *  # noqa: E402, F403
from ._billing import *  # noqa: E402, F403
from ._customization import *  # noqa: E402, F403
from ._display import *  # noqa: E402, F403
from ._evaluation import *  # noqa: E402, F403
from ._games import *  # noqa: E402, F403
from ._migration import *  # noqa: E402, F403
from ._operations import *  # noqa: E402, F403
from ._renewal import *  # noqa: E402, F403
from ._schedule import *  # noqa: E402, F403
from ._selection import *  # noqa: E402, F403
from ._tables import *  # noqa: E402, F403
