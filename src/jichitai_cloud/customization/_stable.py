"""Who stays in each customization when every adopter pays its equal share (経費負担しなくても…).

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法 3 and the カスタマイズ要望
比較一覧表 rows "5自治体で実施した場合" … "1自治体で実施した場合".
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .._display import Column, DataTable, Lang, TableView, check_lang, col, cols, render_frame
from ..errors import QuoteError
from ._domain import Source, _bools, _ints, _name_request, joined, member_names, quote_matrix, register_of
from ._kernels import drop_out_rounds, share_quotes, would_rejoin

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["Dropout", "StableAdoption", "stable_adoption"]

_STABLE_COLUMNS = (
    *cols("id", "title", "interested", "stay", "rounds", "cost"),
    Column("stable_adopters", "継続団体", "Stable adopters", "text"),
    Column("dropped", "脱退団体 (回)", "Dropped (round)", "text"),
    Column("recorded_adopters", "記録上の採用団体", "Recorded adopters", "text"),
)
_DROPOUT_COLUMNS = (
    Column("request", "番号", "Request", "code"), col("round"), *cols("name", "code"),
    Column("count", "残存団体数", "Members still in", "count"), col("quote"),
    Column("equal_share", "均等負担額", "Equal share", "number", decimals=0), col("willingness"),
)


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
class StableAdoption(TableView):
    """Who stays in each customization when every adopter pays its equal share.

    Built by :func:`stable_adoption`; see
    :func:`~jichitai_cloud.customization.stable_adopters` for the procedure.  Its tables
    (:meth:`tables`): ``継続団体`` (one row per request, :meth:`rows`) and ``脱退`` (every drop-out,
    :meth:`dropout_table`).

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
    names
        Member names, in :attr:`members` order (default: the codes).
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
    names: tuple[str, ...] = ()

    @property
    def member_names(self) -> tuple[str, ...]:
        """The members' names (the codes where none is known)."""
        return self.names or self.members

    def _name(self, code: str) -> str:
        return self.member_names[self.members.index(code)] if code in self.members else code

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
        return [c.key for c in _STABLE_COLUMNS]

    def rows(self) -> list[list[Any]]:
        """One row per request: interest, who stays, rounds, cost, who dropped when (members by name)."""
        out: list[list[Any]] = []
        for i, rid in enumerate(self.ids):
            dropped = [f"{self.member_names[j]}({x})" for j, x in enumerate(self.drop_rounds[i]) if x]
            out.append([
                rid, self.titles[i], sum(x > 0 for x in self.willingness[i]), sum(self.adopters[i]),
                self.rounds[i], self.costs[i],
                joined([n for n, a in zip(self.member_names, self.adopters[i], strict=True) if a]),
                joined(dropped), joined([self._name(c) for c in self.recorded[i]]),
            ])
        return out

    def views(self) -> tuple[DataTable, ...]:
        """``継続団体``: one row per request (:meth:`rows`); ``脱退``: every drop-out (:meth:`dropout_table`)."""
        notes = ("各採用団体が均等負担額 (見積額 ÷ 団体数) を負担する場合に、負担意思額が均等負担額を下回る団体が"
                 "抜け、残った団体数で見積りを取り直す手順を、誰も抜けなくなるまで繰り返した結果です。",)
        notes_en = ("Members whose willingness to pay is below the equal share (quote / members) drop out, and "
                    "the quote is taken again for those left, until nobody drops.",)
        _, rows = self.dropout_table()
        return (DataTable(key="stable", title="継続団体", title_en="Stable adopters", columns=_STABLE_COLUMNS,
                          rows=self.rows(), sheet="継続団体", sheet_en="Stable adopters", index="id", totals=True,
                          notes=notes, notes_en=notes_en),
                DataTable(key="dropouts", title="脱退", title_en="Drop-outs", columns=_DROPOUT_COLUMNS, rows=rows,
                          sheet="脱退", sheet_en="Drop-outs"))

    def summary(self, lang: Lang = "ja") -> str:
        """The requests whose stable adopters differ from the recorded ones ("" if none), in
        Japanese (``lang="en"``: English)."""
        dis = self.disagreements()
        if not dis:
            return ""
        if check_lang(lang) == "ja":
            return f"記録上の採用団体と異なる要望: {joined(dis)}"
        return f"differs from the recorded adopters: {joined(dis, 'en')}"

    def __repr__(self) -> str:
        return (f"StableAdoption({len(self.ids)} requests x {len(self.members)} members, "
                f"{sum(map(sum, self.adopters))} adopter places, max {max(self.rounds, default=0)} rounds)")

    def dropouts_dataframe(self) -> pandas.DataFrame:
        """The drop-outs as a pandas DataFrame (:meth:`dropout_table`)."""
        return render_frame(self.view("dropouts"))

    def dropout_table(self) -> tuple[list[str], list[list[Any]]]:
        """``(header, rows)``: every drop-out with its round, the member's name and code, the count,
        quote, equal share (:attr:`Dropout.equal_share` as a float; shown to the yen) and willingness. [yen]"""
        rows: list[list[Any]] = [[d.request, d.round, self._name(d.member), d.member, d.count, d.quote,
                                  float(d.equal_share), d.willingness] for d in self.dropouts()]
        return [c.key for c in _DROPOUT_COLUMNS], rows

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
        names=member_names(source, reg.members),
    )
