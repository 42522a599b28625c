"""Hypothesis strategies for customization quotes, adopters and willingness to pay.

Re-exported by :mod:`jichitai_cloud.testing.strategies`.  Imports hypothesis at the top: this
module is never imported by ``import jichitai_cloud``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from ..model import (
    Assessment,
    CustomizationRegister,
    CustomizationRequest,
    FitGapItem,
    MeetingRecord,
    Quote,
    RequestStatus,
    Resolution,
)

__all__ = [
    "adopter_arrays",
    "assessments",
    "customization_registers",
    "fit_gap_items",
    "meeting_records",
    "quote_arrays",
    "register_requests",
    "share_problems",
    "willingness_problems",
]

_SUBCOMMITTEES = ("住基情報", "住民税", "健康管理", "収滞納管理", "国民健康保険", "委託・運用")


def _scale_down(q: NDArray[np.int64]) -> NDArray[np.int64]:
    """Cap ``q[:, k+1]`` so the equal share ``q[:, k] / k`` never rises with ``k`` (economies of scale)."""
    q = q.copy()
    for k in range(1, q.shape[-1] - 1):
        q[..., k + 1] = np.minimum(q[..., k + 1], q[..., k] * (k + 1) // k)
    return q


@st.composite
def quote_arrays(draw: st.DrawFn, n_requests: int, n_members: int, *, max_yen: int = 10_000_000,
                 economies_of_scale: bool = False) -> NDArray[np.int64]:
    """Quotes ``(R, N + 1)`` by number of adopters, ``quotes[:, 0] == 0``. [yen]

    With ``economies_of_scale`` the equal share ``quotes[r, k] / k`` does not rise with ``k`` (every
    quote in the source document has this shape).
    """
    flat = draw(st.lists(st.integers(0, max_yen), min_size=n_requests * n_members,
                         max_size=n_requests * n_members))
    q = np.zeros((n_requests, n_members + 1), dtype=np.int64)
    q[:, 1:] = np.asarray(flat, dtype=np.int64).reshape(n_requests, n_members)
    if draw(st.booleans()):  # many ties and round numbers, as vendors quote
        q[:, 1:] = (q[:, 1:] // 100_000) * 100_000
    return _scale_down(q) if economies_of_scale else q


@st.composite
def adopter_arrays(draw: st.DrawFn, n_requests: int, n_members: int) -> NDArray[np.bool_]:
    """Boolean adopters ``(R, N)``. [1]"""
    flat = draw(st.lists(st.booleans(), min_size=n_requests * n_members, max_size=n_requests * n_members))
    return np.asarray(flat, dtype=np.bool_).reshape(n_requests, n_members)


@st.composite
def share_problems(draw: st.DrawFn, max_requests: int = 6,
                   max_members: int = 8) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """``(quotes, adopters)`` for :func:`jichitai_cloud.customization.share_quotes`."""
    r = draw(st.integers(1, max_requests))
    n = draw(st.integers(1, max_members))
    return draw(quote_arrays(r, n)), draw(adopter_arrays(r, n))


@st.composite
def willingness_problems(draw: st.DrawFn, max_requests: int = 6, max_members: int = 8, *,
                         economies_of_scale: bool | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``(quotes, willingness)`` for :func:`jichitai_cloud.customization.stable_adopters`.

    Willingness is drawn near the equal shares so that members do drop out; about a quarter of the
    entries are 0 (not interested).  ``economies_of_scale=None`` draws either shape of quote.
    """
    r = draw(st.integers(1, max_requests))
    n = draw(st.integers(1, max_members))
    eos = draw(st.booleans()) if economies_of_scale is None else economies_of_scale
    q = draw(quote_arrays(r, n, economies_of_scale=eos))
    scale: Any = q[:, 1:].max(initial=1)
    flat = draw(st.lists(
        st.one_of(st.just(0), st.integers(0, int(scale)), st.integers(0, int(scale) // max(n, 1) + 1)),
        min_size=r * n, max_size=r * n,
    ))
    return q, np.asarray(flat, dtype=np.int64).reshape(r, n)


_TRISTATE = st.one_of(st.none(), st.booleans())


def assessments() -> st.SearchStrategy[Assessment]:
    """A decision record: each question answered yes, no or not at all."""
    return st.builds(Assessment, should_be_standard=_TRISTATE, operations_can_absorb=_TRISTATE,
                     others_cope_without=_TRISTATE, tuning_possible=_TRISTATE, would_pay_alone=_TRISTATE,
                     degrades_service=_TRISTATE, note=st.sampled_from(["", "運用で対応", "=1+1"]))


@st.composite
def _quotes(draw: st.DrawFn, n: int) -> Quote:
    kind = draw(st.sampled_from(["table", "fixed", "per_member"]))
    if kind == "table":
        counts = draw(st.lists(st.integers(1, n), min_size=1, unique=True))
        return Quote(by_count={str(k): draw(st.integers(0, 5_000_000)) for k in sorted(counts)})
    if kind == "fixed":
        return Quote(fixed=draw(st.integers(0, 5_000_000)))
    return Quote(fixed=draw(st.integers(0, 3_000_000)), per_member=draw(st.integers(0, 500_000)))


@st.composite
def register_requests(draw: st.DrawFn, codes: Sequence[str], id: str,
                      subcommittees: Sequence[str] = _SUBCOMMITTEES,
                      complete_quotes: bool = False) -> CustomizationRequest:
    """A request with willingness and an assessment, over member ``codes``.

    With ``complete_quotes`` the quote covers every count (fixed or fixed + per member), so that
    every table and analysis can be computed.
    """
    codes = list(codes)
    status = draw(st.sampled_from(list(RequestStatus)))
    requesters = draw(st.lists(st.sampled_from(codes), unique=True))
    adopters: list[str] = []
    if status not in (RequestStatus.WITHDRAWN, RequestStatus.NOT_IMPLEMENTED):
        adopters = draw(st.lists(st.sampled_from(codes), unique=True))
    if complete_quotes:
        quote = Quote(fixed=draw(st.integers(0, 5_000_000)), per_member=draw(st.integers(0, 500_000)))
    else:
        quote = draw(_quotes(len(codes)))
    willing = draw(st.dictionaries(st.sampled_from(codes), st.integers(0, 3_000_000)))
    return CustomizationRequest(
        id=id,
        title=draw(st.sampled_from(["納税通知書 束分け", "圧着はがき", "=HYPERLINK(\"x\")", "+81", "@sum", "-1"])),
        subcommittee=draw(st.sampled_from(list(subcommittees))) if subcommittees else "",
        requesters=tuple(requesters),
        adopters=tuple(adopters),
        status=status,
        quote=quote,
        willingness=willing,
        assessment=draw(assessments()),
        note=draw(st.sampled_from(["", "No.22に統合", "-5自治体"])),
    )


def meeting_records(codes: Sequence[str], subcommittees: Sequence[str] = _SUBCOMMITTEES
                    ) -> st.SearchStrategy[MeetingRecord]:
    """A dated meeting with attendees, or an undated count."""
    dated = st.builds(MeetingRecord, subcommittee=st.sampled_from(list(subcommittees)),
                      date=st.dates(_dt.date(2014, 3, 1), _dt.date(2015, 6, 30)),
                      attendees=st.lists(st.sampled_from(list(codes)), unique=True).map(tuple))
    counted = st.builds(MeetingRecord, subcommittee=st.sampled_from(list(subcommittees)),
                        count=st.integers(0, 30))
    return st.one_of(dated, counted)


@st.composite
def fit_gap_items(draw: st.DrawFn, codes: Sequence[str], id: str, request_ids: Sequence[str] = (),
                  subcommittees: Sequence[str] = _SUBCOMMITTEES) -> FitGapItem:
    """A fit, or a gap that is open or resolved (and perhaps tied to one of ``request_ids``)."""
    fit = draw(st.booleans())
    return FitGapItem(
        id=id,
        subcommittee=draw(st.sampled_from(list(subcommittees))),
        title=draw(st.sampled_from(["異動処理", "帳票出力", "データ移行"])),
        fit=fit,
        resolution=None if fit else draw(st.one_of(st.none(), st.sampled_from(list(Resolution)))),
        members=tuple(draw(st.lists(st.sampled_from(list(codes)), unique=True))),
        request="" if fit or not request_ids else draw(st.sampled_from(["", *request_ids])),
    )


@st.composite
def customization_registers(draw: st.DrawFn, max_members: int = 6, max_requests: int = 6,
                            complete_quotes: bool = False) -> CustomizationRegister:
    """A whole register: members, requests, meeting records and fit & gap items."""
    n = draw(st.integers(1, max_members))
    codes = [chr(ord("A") + i) for i in range(n)]
    r = draw(st.integers(0, max_requests))
    requests = [draw(register_requests(codes, id=str(i + 1), complete_quotes=complete_quotes)) for i in range(r)]
    ids = [x.id for x in requests]
    items = [draw(fit_gap_items(codes, id=f"G{i + 1}", request_ids=ids)) for i in range(draw(st.integers(0, 4)))]
    return CustomizationRegister(
        name=draw(st.sampled_from(["", "協議会"])),
        members=tuple(codes),
        requests=tuple(requests),
        subcommittees=_SUBCOMMITTEES,
        meetings=tuple(draw(st.lists(meeting_records(codes), max_size=4))),
        fit_gap=tuple(items),
    )
