"""The customization comparison table (カスタマイズ要望比較一覧表): requests x members, each member's share.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ要望比較一覧表 (2014年8月6日).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from .._display import Table, TableView, text_table
from ..errors import QuoteError, ValidationError
from ..model import RequestStatus
from ._domain import Basis, Source, _ints, _membership, _name_request, _table, quote_matrix, register_of
from ._kernels import share_quotes

__all__ = ["ComparisonTable", "comparison_table"]


@attrs.frozen(kw_only=True, slots=True)
class ComparisonTable(TableView):
    """The customization comparison table (カスタマイズ要望比較一覧表): requests x members.

    Every request's cost and each member's share of it, side by side, with each member's total
    and the grand total.  Build it with :func:`comparison_table`.  Its tables (:meth:`tables`, what
    :func:`jichitai_cloud.report.to_excel` and :func:`~jichitai_cloud.report.to_csv` write):
    ``比較一覧表`` (one row per request) and ``団体別合計`` (member totals); the grand total is
    :attr:`grand_total` (:meth:`to_text` prints the document's ``合計`` row).

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

    _INDEX = "id"

    def table(self) -> Table:
        """The table without the totals row, as ``(header, rows)`` (what :meth:`to_dataframe` shows)."""
        return _table(self.header(), self.rows(totals=False))

    def tables(self) -> dict[str, Table]:
        """``比較一覧表``: one row per request; ``団体別合計``: each member's total.

        No total rows (a column sums to its total once); the grand total is :attr:`grand_total`,
        shown by :meth:`summary` and :meth:`to_text` (which prints the document's 合計 row)."""
        totals = [[m, t] for m, t in zip(self.members, self.member_totals, strict=True)]
        return {
            "比較一覧表": _table(self.header(), self.rows(totals=False)),
            "団体別合計": _table(["member", "total"], totals),
        }

    def summary(self) -> str:
        """The grand total (合計) over every request and member. [yen]"""
        return f"合計 (grand total): {self.grand_total:,} yen"

    def _title(self) -> str:
        return f"{self.title}; basis: {self.basis}; {len(self.ids)} requests x {len(self.members)} members"

    def to_text(self) -> str:
        """The table (with the totals row) as fixed-width text."""
        return text_table(self.header(), self.rows(), title=self._title())

    def __repr__(self) -> str:
        return (f"ComparisonTable({len(self.ids)} requests x {len(self.members)} members, basis={self.basis!r}, "
                f"grand_total={self.grand_total:,} yen)")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): the rows as records, the member totals and the grand total."""
        return {
            "basis": self.basis,
            "members": list(self.members),
            "requests": [dict(zip(self.header(), r, strict=True)) for r in self.rows(totals=False)],
            "member_totals": dict(zip(self.members, self.member_totals, strict=True)),
            "grand_total": self.grand_total,
        }


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
