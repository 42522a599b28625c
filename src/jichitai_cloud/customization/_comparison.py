"""The customization comparison table (カスタマイズ要望比較一覧表): requests x members, each member's share.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ要望比較一覧表 (2014年8月6日).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from .._display import Column, DataTable, Lang, TableView, check_lang, col, cols, member_column
from ..errors import QuoteError, ValidationError
from ..model import RequestStatus
from ._domain import Basis, Source, _ints, _membership, _name_request, member_names, quote_matrix, register_of
from ._kernels import share_quotes

__all__ = ["ComparisonTable", "comparison_table"]

_BASIS = {"adopters": ("採用団体で按分", "shared by the adopters"),
          "requesters": ("要望団体で按分 (決定前)", "shared by the requesters (before the decisions)")}
_STATUS = Column("status", "状態コード", "Status", "code", lang="en")
_STATUS_JA = Column("status_ja", "状態", "Status (Japanese)", "text", lang="ja")
_VENDOR_QUOTE = Column("vendor_quote", "見積額", "Vendor quote", "yen")



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
        The document's name, shown under the table.
    names
        Member names, in :attr:`members` order (the column headings; default: the codes).
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
    title: str = "カスタマイズ要望比較一覧表"
    names: tuple[str, ...] = ()

    @property
    def member_names(self) -> tuple[str, ...]:
        """The members' names (the codes where none is known)."""
        return self.names or self.members

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
        """Column names: ``id, subcommittee, title, status, status_ja, count, vendor_quote, cost, <members…>,
        note`` (``status_ja``: the status's Japanese label, 状態)."""
        return ["id", "subcommittee", "title", "status", "status_ja", "count", "vendor_quote", "cost", *self.members, "note"]

    def rows(self, *, totals: bool = True) -> list[list[Any]]:
        """One row per request (and a ``合計`` totals row at the end if ``totals``)."""
        out: list[list[Any]] = [
            [i, s, t, st.value, st.ja, k, vq, c, *row, n]
            for i, s, t, st, k, vq, c, row, n in zip(self.ids, self.subcommittees, self.titles, self.statuses,
                                                     self.counts, self.vendor_quotes, self.costs, self.shares,
                                                     self.notes, strict=True)
        ]
        if totals:
            out.append(["合計", "", "total", "", "", None, None, self.grand_total, *self.member_totals, ""])
        return out

    def _caption(self, lang: Lang = "ja") -> str:
        basis = _BASIS[self.basis][0 if lang == "ja" else 1]
        if lang == "ja":
            return f"{self.title}: {basis}、要望 {len(self.ids)} 件 × {len(self.members)} 団体"
        return (f"Customization comparison table ({self.title}): {basis}, {len(self.ids)} requests "
                f"x {len(self.members)} members")

    def views(self) -> tuple[DataTable, ...]:
        """``比較一覧表``: one row per request, the members as columns headed by their names (a 合計
        line in the renderings); ``団体別合計``: each member's total (name, code, total).

        The rows hold no total (a column sums to its total once); the grand total is
        :attr:`grand_total`."""
        members = tuple(member_column(c, n) for c, n in zip(self.members, self.member_names, strict=True))
        columns = (col("id"), col("subcommittee"), col("title"), _STATUS, _STATUS_JA, col("count"), _VENDOR_QUOTE,
                   col("cost"), *members, col("note"))
        # the stored status (code) is shown in English; Japanese shows the document's label
        totals = [[n, c, t] for c, n, t in zip(self.members, self.member_names, self.member_totals, strict=True)]
        return (
            DataTable(key="comparison", title="比較一覧表", title_en="Comparison table", columns=columns,
                      rows=self.rows(totals=False), sheet="比較一覧表", sheet_en="Comparison table", index="id",
                      totals=True, notes=(self._caption("ja"),), notes_en=(self._caption("en"),)),
            DataTable(key="member_totals", title="団体別合計", title_en="Totals by member",
                      columns=cols("name", "code", "total"), rows=totals, sheet="団体別合計",
                      sheet_en="Totals by member", index="code", totals=True),
        )

    def summary(self, lang: Lang = "ja") -> str:
        """The grand total (合計) over every request and member, in Japanese (``lang="en"``: English). [yen]"""
        if check_lang(lang) == "ja":
            return f"合計: {self.grand_total:,} 円 ({self._caption('ja')})"
        return f"grand total: {self.grand_total:,} yen ({self._caption('en')})"

    def __repr__(self) -> str:
        return (f"ComparisonTable({len(self.ids)} requests x {len(self.members)} members, basis={self.basis!r}, "
                f"grand_total={self.grand_total:,} yen)")

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): the rows as records, the member totals and the grand total."""
        return {
            "basis": self.basis,
            "members": list(self.members),
            "member_names": list(self.member_names),
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
        names=member_names(source, reg.members),
    )
