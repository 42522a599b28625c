"""Customization rules and results: the comparison table, who stays in, the decision record.

The domain layer turns a council's (or a register's) requests into arrays once, calls the kernels
(:func:`~jichitai_cloud.customization.share_quotes`,
:func:`~jichitai_cloud.customization.drop_out_rounds`), and wraps the arrays in immutable results
that show themselves (text, HTML, pandas) and export to CSV and Excel, formula-injection safe.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 富山県情報システム共同利用推進協議会における自治体
クラウド導入について: カスタマイズ抑制の手法, カスタマイズ要望比較一覧表, カスタマイズ抑制の結果.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import dataframe, html_table, text_table
from ..errors import QuoteError, ValidationError
from ..model import (
    Consortium,
    CustomizationRegister,
    CustomizationRequest,
    Finding,
    RequestStatus,
)
from ._kernels import drop_out_rounds, share_quotes, would_rejoin

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "ComparisonTable",
    "DecisionSummary",
    "Dropout",
    "StableAdoption",
    "comparison_table",
    "decision_summary",
    "quote_matrix",
    "register_of",
    "stable_adoption",
]

Basis = Literal["adopters", "requesters"]
Source = Consortium | CustomizationRegister | Sequence[CustomizationRequest]

_STATUSES = tuple(RequestStatus)


def register_of(source: Source, members: Sequence[str] | None = None) -> CustomizationRegister:
    """The :class:`~jichitai_cloud.CustomizationRegister` behind a council, a register or a list of requests.

    Parameters
    ----------
    source
        A :class:`~jichitai_cloud.Consortium`, a register, or a sequence of requests.
    members
        Member codes (the comparison table's columns); required for a plain sequence of requests,
        optional otherwise (then it reorders or extends the members).
    """
    if isinstance(source, CustomizationRegister):
        reg = source
    elif isinstance(source, Consortium):
        reg = CustomizationRegister.from_council(source)
    else:
        requests = tuple(source)
        if not all(isinstance(r, CustomizationRequest) for r in requests):
            raise ValidationError("source must be a Consortium, a CustomizationRegister or a list of "
                                  f"CustomizationRequest, got {type(source).__name__}")
        if members is None:
            raise ValidationError("members are needed to tabulate a plain list of requests (e.g. members=['A', 'B'])")
        return CustomizationRegister(members=tuple(members), requests=requests)
    if members is not None:
        reg = attrs.evolve(reg, members=tuple(members))
    return reg


def quote_matrix(requests: Sequence[CustomizationRequest],
                 members: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The quotes of ``requests`` as the kernels take them.

    Parameters
    ----------
    requests
        The customization requests.
    members
        Number of members ``N``. [members]

    Returns
    -------
    quotes : numpy.ndarray of int64, shape ``(R, N + 1)``
        ``quotes[r, k]``: request ``r``'s total when ``k`` members adopt it; 0 everywhere for a
        request the vendor made standard. [yen]
    quoted : numpy.ndarray of bool, shape ``(R, N + 1)``
        ``True`` where the vendor gave a figure for that count. [1]
    """
    q = np.zeros((len(requests), members + 1), dtype=np.int64)
    m = np.ones((len(requests), members + 1), dtype=np.bool_)
    for i, r in enumerate(requests):
        totals, quoted = r.quote_row(members)
        q[i] = totals
        m[i] = quoted
    return q, m


def _membership(requests: Sequence[CustomizationRequest], members: Sequence[str],
                field: str) -> NDArray[np.bool_]:
    index = {c: j for j, c in enumerate(members)}
    out = np.zeros((len(requests), len(members)), dtype=np.bool_)
    for i, r in enumerate(requests):
        for c in getattr(r, field):
            out[i, index[c]] = True
    return out


def _name_request(exc: QuoteError, requests: Sequence[CustomizationRequest]) -> QuoteError:
    index = getattr(exc, "index", None)
    count = getattr(exc, "count", None)
    if not index or count is None:
        return exc
    r = requests[int(index[-1])]
    table = sorted(int(k) for k in r.quote.by_count)
    return QuoteError(f"request {r.id!r} ({r.title}) needs the quote for {count} adopter(s), which the "
                      f"vendor did not give; it quotes {table}")


def _ints(a: NDArray[Any]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(x) for x in row) for row in a)


def _bools(a: NDArray[Any]) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(bool(x) for x in row) for row in a)


# -- the comparison table --------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class ComparisonTable:
    """The customization comparison table (カスタマイズ要望比較一覧表): requests x members.

    Every request's cost and each member's share of it, side by side, with each member's total
    and the grand total.  Build it with :func:`comparison_table`.

    Parameters
    ----------
    members
        Member codes, the columns.
    ids, titles, subcommittees, statuses, notes
        One per request, the rows.
    counts
        Number of members sharing each request (adopters, or requesters). [members]
    vendor_quotes
        The vendor's quote for that count (what it would cost as a customization; for a request made
        standard, the quote before it was). ``None`` where the vendor gave no figure. [yen]
    costs
        What the members pay in total: the quote for their count, 0 for requests made standard. [yen]
    shares
        Each member's share of each request, ``shares[r][j]``. [yen]
    basis
        ``"adopters"`` (the decided adopters pay) or ``"requesters"`` (every requester's share if
        all who asked adopted it, as the document's table shows before the decisions).
    title
        Caption.
    """

    members: tuple[str, ...]
    ids: tuple[str, ...]
    titles: tuple[str, ...]
    subcommittees: tuple[str, ...]
    statuses: tuple[RequestStatus, ...]
    notes: tuple[str, ...]
    counts: tuple[int, ...]
    vendor_quotes: tuple[int | None, ...]
    costs: tuple[int, ...]
    shares: tuple[tuple[int, ...], ...]
    basis: str = "adopters"
    title: str = "カスタマイズ要望比較一覧表 (customization comparison table)"

    @property
    def member_totals(self) -> tuple[int, ...]:
        """Each member's total over all requests. [yen]"""
        return tuple(sum(row[j] for row in self.shares) for j in range(len(self.members)))

    @property
    def grand_total(self) -> int:
        """Total over all requests and members (equals the sum of :attr:`costs`). [yen]"""
        return sum(self.costs)

    def share(self, request: str, member: str) -> int:
        """The share member ``member`` pays for request ``request``. [yen]"""
        try:
            i = self.ids.index(request)
        except ValueError:
            raise KeyError(f"no request {request!r}; there are {list(self.ids)}") from None
        try:
            j = self.members.index(member)
        except ValueError:
            raise KeyError(f"no member {member!r}; there are {list(self.members)}") from None
        return self.shares[i][j]

    def header(self) -> list[str]:
        """Column names: ``id, subcommittee, title, status, count, vendor_quote, cost, <members…>, note``."""
        return ["id", "subcommittee", "title", "status", "count", "vendor_quote", "cost", *self.members, "note"]

    def rows(self, *, totals: bool = True) -> list[list[Any]]:
        """One row per request (and a ``合計`` totals row at the end if ``totals``)."""
        out: list[list[Any]] = [
            [i, s, t, st.value, k, vq, c, *row, n]
            for i, s, t, st, k, vq, c, row, n in zip(self.ids, self.subcommittees, self.titles, self.statuses,
                                                     self.counts, self.vendor_quotes, self.costs, self.shares,
                                                     self.notes, strict=True)
        ]
        if totals:
            out.append(["合計", "", "total", "", None, None, self.grand_total, *self.member_totals, ""])
        return out

    def to_text(self) -> str:
        """The table as fixed-width text."""
        caption = f"{self.title}; basis: {self.basis}; {len(self.ids)} requests x {len(self.members)} members"
        return text_table(self.header(), self.rows(), title=caption)

    def __repr__(self) -> str:
        return (f"ComparisonTable({len(self.ids)} requests x {len(self.members)} members, basis={self.basis!r}, "
                f"grand_total={self.grand_total:,} yen)")

    def _repr_html_(self) -> str:
        return html_table(self.header(), self.rows(), caption=f"{self.title} (basis: {self.basis})")

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per request (no totals row), indexed by ``id``."""
        return dataframe(self.header(), self.rows(totals=False), index="id")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): the rows as records, the member totals and the grand total."""
        return {
            "basis": self.basis,
            "members": list(self.members),
            "requests": [dict(zip(self.header(), r, strict=True)) for r in self.rows(totals=False)],
            "member_totals": dict(zip(self.members, self.member_totals, strict=True)),
            "grand_total": self.grand_total,
        }

    def to_csv(self, path: str | os.PathLike[str] | None = None, *, encoding: str = "utf-8") -> str:
        """The table as CSV (with the totals row); every text cell formula-injection safe.

        Parameters
        ----------
        path
            File to write (UTF-8 with BOM, or ``encoding="cp932"``), or ``None`` to only return the text.
        encoding
            ``"utf-8"`` or ``"cp932"``.
        """
        from ..io import write_csv

        return write_csv(path, self.header(), self.rows(), encoding=encoding)

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write an ``.xlsx`` workbook: sheet ``比較一覧表`` (the table) and ``団体別合計`` (member totals)."""
        from ..report.workbook import write_xlsx

        write_xlsx(path, {
            "比較一覧表": (self.header(), self.rows()),
            "団体別合計": (["member", "total"],
                          [[m, t] for m, t in zip(self.members, self.member_totals, strict=True)]
                          + [["合計", self.grand_total]]),
        })


def comparison_table(source: Source, *, members: Sequence[str] | None = None,
                     basis: Basis = "adopters") -> ComparisonTable:
    """The comparison table (カスタマイズ要望比較一覧表) of a council's customization requests.

    Each request's cost is the vendor's quote for the number of members sharing it (0 if the
    vendor made it standard), split equally among them to the yen by
    :func:`~jichitai_cloud.customization.share_quotes` (largest remainder; the odd yen go to the
    first members in column order).

    Parameters
    ----------
    source
        A :class:`~jichitai_cloud.Consortium`, a :class:`~jichitai_cloud.CustomizationRegister`, or a
        sequence of requests (then ``members`` is required).
    members
        Member codes, the columns (default: the council's or register's members).
    basis
        ``"adopters"``: the decided adopters share the cost (withdrawn requests cost nothing).
        ``"requesters"``: every member that asked shares it, as the document's table does before the
        decisions (requests made standard still cost 0).

    Returns
    -------
    ComparisonTable

    Raises
    ------
    QuoteError
        If a request's quote has no figure for its number of sharing members.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ要望比較一覧表 (2014年8月6日).

    Examples
    --------
    >>> from jichitai_cloud import CustomizationRequest, Quote
    >>> r = CustomizationRequest(id="2", title="選挙 入場券生年月日項目追加", adopters=("A", "B"),
    ...                          quote=Quote(by_count={"1": 700_000, "2": 800_000, "6": 1_200_000}))
    >>> comparison_table([r], members="ABCDEF").shares
    ((400000, 400000, 0, 0, 0, 0),)
    """
    if basis not in ("adopters", "requesters"):
        raise ValidationError(f"basis must be 'adopters' or 'requesters', got {basis!r}")
    reg = register_of(source, members)
    reqs = reg.requests
    n = len(reg.members)
    quotes, quoted = quote_matrix(reqs, n)
    who = _membership(reqs, reg.members, basis)
    try:
        shares = share_quotes(quotes, who, quoted=quoted)
    except QuoteError as exc:
        raise _name_request(exc, reqs) from None
    counts = who.sum(axis=1)
    vendor: list[int | None] = []
    for r, k in zip(reqs, counts.tolist(), strict=True):
        vendor.append(r.quote.total(k) if r.quote.is_quoted(k) else None)
    return ComparisonTable(
        members=reg.members,
        ids=tuple(r.id for r in reqs),
        titles=tuple(r.title for r in reqs),
        subcommittees=tuple(r.subcommittee for r in reqs),
        statuses=tuple(r.status for r in reqs),
        notes=tuple(r.note for r in reqs),
        counts=tuple(int(k) for k in counts),
        vendor_quotes=tuple(vendor),
        costs=tuple(int(x) for x in shares.sum(axis=1)),
        shares=_ints(shares),
        basis=basis,
    )


# -- who stays in ----------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class Dropout:
    """One member leaving one request in one round of the who-stays-in analysis.

    Parameters
    ----------
    request
        Request id.
    round
        Round in which it dropped (1 = compared with the quote for every interested member). [rounds]
    member
        Member code.
    count
        Members still in when it dropped, itself included. [members]
    quote
        The vendor's total for that count. [yen]
    willingness
        The most the member would pay. [yen]
    """

    request: str
    round: int
    member: str
    count: int
    quote: int
    willingness: int

    @property
    def equal_share(self) -> Fraction:
        """The exact equal share ``quote / count`` the member would not pay. [yen]"""
        return Fraction(self.quote, self.count)


@attrs.frozen(kw_only=True, slots=True)
class StableAdoption:
    """Who stays in each customization when every adopter pays its equal share.

    Built by :func:`stable_adoption`; see
    :func:`~jichitai_cloud.customization.stable_adopters` for the procedure.

    Parameters
    ----------
    members
        Member codes.
    ids, titles
        The requests analysed.
    quotes
        The quote row used for each request, counts 0..N (0 for requests made standard). [yen]
    willingness
        Each member's willingness to pay per request (0: not interested). [yen]
    drop_rounds
        Round in which each member dropped, 0 if it stayed or was never interested. [rounds]
    adopters
        The stable adopters.
    shares
        What each stable adopter pays. [yen]
    rejoin
        Members that dropped but would pay the equal share if re-added alone (possible only when a
        quote's equal share rises with the count).
    recorded
        The adopters the council recorded for each request, to compare with.
    """

    members: tuple[str, ...]
    ids: tuple[str, ...]
    titles: tuple[str, ...]
    quotes: tuple[tuple[int, ...], ...]
    willingness: tuple[tuple[int, ...], ...]
    drop_rounds: tuple[tuple[int, ...], ...]
    adopters: tuple[tuple[bool, ...], ...]
    shares: tuple[tuple[int, ...], ...]
    rejoin: tuple[tuple[bool, ...], ...]
    recorded: tuple[tuple[str, ...], ...]

    @property
    def rounds(self) -> tuple[int, ...]:
        """Number of rounds in which someone dropped, per request. [rounds]"""
        return tuple(max(row, default=0) for row in self.drop_rounds)

    @property
    def costs(self) -> tuple[int, ...]:
        """What the stable adopters pay in total per request. [yen]"""
        return tuple(sum(row) for row in self.shares)

    def stable(self, request: str) -> tuple[str, ...]:
        """Codes of the members that stay in ``request``."""
        i = self.ids.index(request)
        return tuple(c for c, a in zip(self.members, self.adopters[i], strict=True) if a)

    def dropouts(self) -> tuple[Dropout, ...]:
        """Every drop-out, by request then round then member order."""
        out: list[Dropout] = []
        for rid, q, w, d in zip(self.ids, self.quotes, self.willingness, self.drop_rounds, strict=True):
            k = sum(x > 0 for x in w)
            for j in range(1, max(d, default=0) + 1):
                leaving = [i for i, x in enumerate(d) if x == j]
                out += [Dropout(request=rid, round=j, member=self.members[i], count=k, quote=q[k],
                                willingness=w[i]) for i in leaving]
                k -= len(leaving)
        return tuple(out)

    def disagreements(self) -> tuple[str, ...]:
        """Ids of requests whose stable adopters differ from the recorded adopters."""
        return tuple(rid for rid, a, rec in zip(self.ids, self.adopters, self.recorded, strict=True)
                     if {c for c, x in zip(self.members, a, strict=True) if x} != set(rec))

    def header(self) -> list[str]:
        """Columns of :meth:`rows`."""
        return ["id", "title", "interested", "stay", "rounds", "cost", "stable_adopters", "dropped (round)",
                "recorded_adopters"]

    def rows(self) -> list[list[Any]]:
        """One row per request: interest, who stays, rounds, cost, who dropped when."""
        out: list[list[Any]] = []
        for i, rid in enumerate(self.ids):
            dropped = [f"{self.members[j]}({x})" for j, x in enumerate(self.drop_rounds[i]) if x]
            out.append([
                rid, self.titles[i], sum(x > 0 for x in self.willingness[i]), sum(self.adopters[i]),
                self.rounds[i], self.costs[i],
                " ".join(c for c, a in zip(self.members, self.adopters[i], strict=True) if a),
                " ".join(dropped), " ".join(self.recorded[i]),
            ])
        return out

    def to_text(self) -> str:
        """The analysis as fixed-width text."""
        caption = ("who stays in (経費負担しなくてもカスタマイズするか): stable adopters when each pays "
                   "the equal share quote(k)/k")
        lines = [text_table(self.header(), self.rows(), title=caption)]
        dis = self.disagreements()
        if dis:
            lines.append(f"differs from the recorded adopters: {', '.join(dis)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"StableAdoption({len(self.ids)} requests x {len(self.members)} members, "
                f"{sum(map(sum, self.adopters))} adopter places, max {max(self.rounds, default=0)} rounds)")

    def _repr_html_(self) -> str:
        return html_table(self.header(), self.rows(), caption="who stays in (stable adopters)")

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per request, indexed by ``id``."""
        return dataframe(self.header(), self.rows(), index="id")

    def dropouts_dataframe(self) -> pandas.DataFrame:
        """The drop-outs as a pandas DataFrame (request, round, member, count, quote, share, willingness)."""
        return dataframe(*self.dropout_table())

    def dropout_table(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: every drop-out with its round, count, quote, equal share and willingness."""
        header = ["request", "round", "member", "count", "quote", "equal_share", "willingness"]
        rows: list[list[Any]] = [[d.request, d.round, d.member, d.count, d.quote, float(d.equal_share),
                                  d.willingness] for d in self.dropouts()]
        return header, rows

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return {
            "members": list(self.members),
            "requests": [
                {"id": rid, "stable_adopters": list(self.stable(rid)), "rounds": rounds, "cost": cost,
                 "recorded_adopters": list(rec)}
                for rid, rounds, cost, rec in zip(self.ids, self.rounds, self.costs, self.recorded, strict=True)
            ],
            "dropouts": [
                {"request": d.request, "round": d.round, "member": d.member, "count": d.count,
                 "quote": d.quote, "willingness": d.willingness}
                for d in self.dropouts()
            ],
        }


def stable_adoption(source: Source, *, members: Sequence[str] | None = None,
                    only_recorded: bool = True) -> StableAdoption:
    """Who stays in each customization if every adopter pays its equal share (経費負担しなくても…).

    Each request's members start in if they are interested (a willingness to pay above zero,
    :attr:`~jichitai_cloud.CustomizationRequest.willingness`); those whose willingness is below the
    equal share ``quote(k) / k`` drop out, all at once, and the quote is taken again for the
    smaller count, until nobody drops (:func:`~jichitai_cloud.customization.stable_adopters`).

    Parameters
    ----------
    source
        A council, a register or a sequence of requests (then ``members`` is required).
    members
        Member codes (default: the council's or register's).
    only_recorded
        Analyse only the requests whose willingness to pay is recorded (default); with ``False``
        every request is analysed and a request without willingness has no adopters.

    Returns
    -------
    StableAdoption
        The stable adopters, the rounds, who dropped when, and the shares they pay.

    Raises
    ------
    QuoteError
        If the procedure reaches a number of adopters the request's quote has no figure for.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法 3 and the
    カスタマイズ要望比較一覧表 rows "5自治体で実施した場合" … "1自治体で実施した場合".
    """
    reg = register_of(source, members)
    reqs = tuple(r for r in reg.requests if r.willingness or not only_recorded)
    n = len(reg.members)
    index = {c: j for j, c in enumerate(reg.members)}
    quotes, quoted = quote_matrix(reqs, n)
    w = np.zeros((len(reqs), n), dtype=np.int64)
    for i, r in enumerate(reqs):
        for c, x in r.willingness.items():
            w[i, index[c]] = x
    try:
        rounds = drop_out_rounds(quotes, w, quoted=quoted)
    except QuoteError as exc:
        raise _name_request(exc, reqs) from None
    stay = (w > 0) & (rounds == 0)
    shares = share_quotes(quotes, stay, quoted=quoted)
    rejoin = would_rejoin(quotes, w, stay, quoted=quoted)
    return StableAdoption(
        members=reg.members,
        ids=tuple(r.id for r in reqs),
        titles=tuple(r.title for r in reqs),
        quotes=_ints(quotes),
        willingness=_ints(w),
        drop_rounds=_ints(rounds),
        adopters=_bools(stay),
        shares=_ints(shares),
        rejoin=_bools(rejoin),
        recorded=tuple(r.adopters for r in reqs),
    )


# -- the decision record ---------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class DecisionSummary:
    """The decision record summarised: outcomes by status, subcommittee and member, and the questions.

    Build it with :func:`decision_summary`.

    Parameters
    ----------
    members
        Member codes.
    requests
        The requests.
    table
        Their comparison table (adopters' shares).
    findings
        Warnings: published outcome counts the requests disagree with, requests whose answers point
        to another outcome than the recorded one.
    """

    members: tuple[str, ...]
    requests: tuple[CustomizationRequest, ...]
    table: ComparisonTable
    findings: tuple[Finding, ...] = ()

    def outcome_counts(self) -> dict[str, int]:
        """``requested`` (all requests) and the number per outcome, as the document counts them.

        The keys are ``requested``, ``implemented``, ``made_standard``, ``withdrawn``,
        ``not_implemented`` and ``pending`` (status still ``requested``). [requests]
        """
        c = Counter(r.status for r in self.requests)
        return {
            "requested": len(self.requests),
            "implemented": c[RequestStatus.IMPLEMENTED],
            "made_standard": c[RequestStatus.MADE_STANDARD],
            "withdrawn": c[RequestStatus.WITHDRAWN],
            "not_implemented": c[RequestStatus.NOT_IMPLEMENTED],
            "pending": c[RequestStatus.REQUESTED],
        }

    def by_status(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per status, the number of requests and their cost. [requests], [yen]

        Requests still at status ``requested`` are shown as ``pending``; the last row is the total.
        """
        rows: list[list[Any]] = []
        for st in _STATUSES:
            idx = [i for i, r in enumerate(self.requests) if r.status is st]
            pending = st is RequestStatus.REQUESTED
            rows.append(["pending" if pending else st.value, "未決定" if pending else st.ja, len(idx),
                         sum(self.table.costs[i] for i in idx)])
        rows.append(["total", "合計", len(self.requests), self.table.grand_total])
        return ["status", "状態", "requests", "cost"], rows

    def by_subcommittee(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per subcommittee (in first-seen order), requests per outcome and cost."""
        names: list[str] = []
        for r in self.requests:
            if r.subcommittee not in names:
                names.append(r.subcommittee)
        rows: list[list[Any]] = []
        for name in names:
            idx = [i for i, r in enumerate(self.requests) if r.subcommittee == name]
            c = Counter(self.requests[i].status for i in idx)
            rows.append([name or "(none)", len(idx), *[c[st] for st in _STATUSES[1:]], c[RequestStatus.REQUESTED],
                         sum(self.table.costs[i] for i in idx)])
        header = ["subcommittee", "requests", *[st.value for st in _STATUSES[1:]], "pending", "cost"]
        return header, rows

    def by_member(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: per member, requests it asked for, by outcome, what it adopted and pays."""
        rows: list[list[Any]] = []
        for j, code in enumerate(self.members):
            asked = [r for r in self.requests if code in r.requesters]
            c = Counter(r.status for r in asked)
            adopted = sum(code in r.adopters and r.status is RequestStatus.IMPLEMENTED for r in self.requests)
            rows.append([code, len(asked), *[c[st] for st in _STATUSES[1:]], adopted, self.table.member_totals[j]])
        header = ["member", "requested", *[st.value for st in _STATUSES[1:]], "adopted", "pays"]
        return header, rows

    def assessments(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: each request's answers to the document's questions and what they suggest."""
        from ..model import Assessment

        qs = [f for f, _, _ in Assessment.QUESTIONS]
        rows: list[list[Any]] = []
        for r in self.requests:
            a = r.assessment
            sug = a.suggestion()
            rows.append([r.id, r.title, r.status.value, *[getattr(a, f) for f in qs],
                         sug.value if sug else None,
                         None if sug is None else sug is r.status])
        return ["id", "title", "status", *qs, "suggested", "agrees"], rows

    def contradictions(self) -> tuple[str, ...]:
        """Ids of decided requests whose answers point to a different outcome than the recorded one."""
        return tuple(r.id for r in self.requests
                     if r.status is not RequestStatus.REQUESTED
                     and r.assessment.suggestion() is not None and r.assessment.suggestion() is not r.status)

    def to_text(self) -> str:
        """Every summary as fixed-width text."""
        counts = self.outcome_counts()
        head = (f"customization requests (カスタマイズ要望): {counts['requested']} requested, "
                f"{counts['implemented']} implemented, {counts['made_standard']} made standard, "
                f"{counts['withdrawn']} withdrawn"
                + (f", {counts['not_implemented']} not implemented" if counts["not_implemented"] else "")
                + (f", {counts['pending']} pending" if counts["pending"] else ""))
        parts = [head, "", text_table(*self.by_status(), title="by status (状態別)"), "",
                 text_table(*self.by_subcommittee(), title="by subcommittee (部会別)"), "",
                 text_table(*self.by_member(), title="by member (団体別)")]
        if self.findings:
            parts += ["", "warnings:"] + [f"  - {f}" for f in self.findings]
        return "\n".join(parts)

    def __repr__(self) -> str:
        c = self.outcome_counts()
        return (f"DecisionSummary(requested={c['requested']}, implemented={c['implemented']}, "
                f"made_standard={c['made_standard']}, withdrawn={c['withdrawn']}, "
                f"findings={len(self.findings)})")

    def _repr_html_(self) -> str:
        return "\n".join([
            html_table(*self.by_status(), caption="by status (状態別)"),
            html_table(*self.by_subcommittee(), caption="by subcommittee (部会別)"),
            html_table(*self.by_member(), caption="by member (団体別)"),
        ])

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per request: status, subcommittee, requesters, adopters, cost and the answers."""
        header, rows = self.assessments()
        extra = [[r.subcommittee, ";".join(r.requesters), ";".join(r.adopters), c]
                 for r, c in zip(self.requests, self.table.costs, strict=True)]
        return dataframe([*header, "subcommittee", "requesters", "adopters", "cost"],
                         [[*a, *b] for a, b in zip(rows, extra, strict=True)], index="id")


def decision_summary(source: Source, *, members: Sequence[str] | None = None) -> DecisionSummary:
    """Summarise the decision record: outcomes by status, subcommittee and member; the questions.

    Parameters
    ----------
    source
        A council (its published outcome counts, if any, are compared through
        :meth:`~jichitai_cloud.Consortium.findings`), a register, or a sequence of requests.
    members
        Member codes (default: the council's or register's).

    Returns
    -------
    DecisionSummary

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の結果 (31 requested: 17
    implemented, 3 made standard, 11 withdrawn).
    """
    reg = register_of(source, members)
    table = comparison_table(reg)
    findings: list[Finding] = []
    if isinstance(source, Consortium):
        findings += [f for f in source.findings() if f.where == "customization_requests"]
    summary = DecisionSummary(members=reg.members, requests=reg.requests, table=table)
    for rid in summary.contradictions():
        r = reg.request(rid)
        sug = r.assessment.suggestion()
        assert sug is not None
        findings.append(Finding(
            f"customization_requests[{rid}]",
            f"recorded as {r.status.value!r} but its answers point to {sug.value!r} "
            f"({'; '.join(r.assessment.reasons())})",
        ))
    return attrs.evolve(summary, findings=tuple(findings))
