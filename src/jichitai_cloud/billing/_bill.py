"""The monthly bill (ガバメントクラウド利用料の按分): FOCUS rows -> each member's yen, month by month.

Semantics
---------
1. Each FOCUS row goes to a member (its own cost) or a shared pool by the first matching
   :class:`~jichitai_cloud.billing.Assign`; rows no rule matches go to ``rules.unassigned``.
2. A row's billing month is the month of its ``BillingPeriodStart``; its cost converts to yen
   exactly with the council's rate of that month and currency.
3. A month's invoice total is ``round(sum of the month's exact BilledCost × rate)`` (half-even by
   default).  That total is apportioned over the month's assignees -- each member's direct cost,
   then each pool -- by largest remainder on their exact amounts (ties to the first in the
   council's member order, then the pools in the order written).
4. Each pool's yen is split among the members by its :class:`~jichitai_cloud.AllocationRule`
   through :func:`~jichitai_cloud.allocation.split_costs` (months as scenarios); ``usage`` is the
   member's own assigned exact cost of the month, ``ratio_of`` another pool's drivers and ratios.
5. Each line's yen is divided into its parts (usage and purchases, adjustments, credits) by largest
   remainder on the exact parts.  So the parts of each line add up to the line, the lines of a
   month to the invoice total, exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, DataTable, Lang, OneTable, TableView, cols
from .._frozenmap import FrozenMap
from .._numeric._dask import is_dask
from ..allocation import AllocationRule, CostItem, split_costs
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ..model import Consortium
from ._arrow import focus_from_dask
from ._focus import COST_SCALE, FocusData
from ._kernels import as_fraction_rows, exact_largest_remainder, round_exact
from ._rules import BillingRules, RatioOf

__all__ = ["DIRECT", "MonthlyBill", "Unassigned", "monthly_bill"]

DIRECT = "(直接)"
"""The pool column's value for a member's own directly assigned cost."""

_PARTS = ("usage", "adjustment", "credit")
_MONTH = Column("month", "請求月", "Billing month", "month")
_POOL = Column("pool", "区分", "Pool", "text")
_BILL_COLUMNS = (
    *cols("name", "code"), _MONTH, _POOL,
    Column("direct", "直接利用料", "Direct", "yen", total=True),
    Column("shared", "共同利用分", "Shared by rule", "yen", total=True),
    Column("adjustments", "調整", "Adjustments", "yen", total=True),
    Column("credits", "クレジット", "Credits", "yen", total=True),
    Column("total", "請求額", "Bill", "yen", total=True),
)
_INVOICE_COLUMNS = (_MONTH, Column("invoice", "請求総額", "Invoice total", "yen", total=True),
                    Column("exact", "換算額 (端数処理前)", "Converted, before rounding", "number", decimals=6),
                    Column("rows", "明細行数", "FOCUS rows", "count", total=True))


@attrs.frozen(kw_only=True, slots=True)
class Unassigned:
    """FOCUS rows no :class:`Assign` rule matched: never dropped, reported here.

    ``rows`` [rows]; ``cost`` currency -> exact BilledCost [currency]; ``to`` the pool that took
    them (None when there were none).
    """

    rows: int
    cost: FrozenMap[Fraction]
    to: str | None


@attrs.frozen(kw_only=True, slots=True, eq=False)
class MonthlyBill(TableView):
    """Every member's bill of every billing month (one row per member × month × pool).

    Parameters
    ----------
    council, codes, names
        The council and its members, in council order.
    months
        The billing months, in order.
    pools
        The shared pools, in the order written.
    lines
        ``lines[m, i, s, k]``: member ``i``'s yen in month ``m`` from source ``s`` (0: its direct
        cost, ``1 + p``: its share of pool ``p``) and part ``k`` (usage, adjustment, credit),
        shape ``(M, N, 1 + P, 3)``. [yen]
    invoice
        The converted invoice total of each month, ``(M,)``. [yen]
    exact
        The exact converted total of each month, before rounding. [yen]
    rows
        FOCUS rows per month. [rows]
    unassigned
        What no rule matched.
    notes, notes_en
        Late charges and other notes from the reader, in Japanese and in English.
    """

    _KEY = "bill"
    _SHEET = ("利用料按分", "Monthly bill")
    _COLUMNS = _BILL_COLUMNS
    _TOTALS = True

    council: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    months: tuple[Month, ...]
    pools: tuple[str, ...]
    lines: NDArray[np.int64]
    invoice: NDArray[np.int64]
    exact: tuple[Fraction, ...]
    rows: tuple[int, ...]
    unassigned: Unassigned
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def member_totals(self) -> dict[tuple[str, Month], int]:
        """``(member code, month) -> yen`` the member pays for that month. [yen]"""
        tot = self.lines.sum(axis=(2, 3))
        return {(c, m): int(tot[k, i]) for k, m in enumerate(self.months) for i, c in enumerate(self.codes)}

    def totals_by_member(self) -> FrozenMap[int]:
        """Member code -> yen over every month of the bill. [yen]"""
        tot = self.lines.sum(axis=(0, 2, 3))
        return FrozenMap({c: int(tot[i]) for i, c in enumerate(self.codes)})

    def invoice_total(self, month: Month | str) -> int:
        """The converted invoice of ``month`` (``round(sum BilledCost × rate)``). [yen]"""
        m = month if isinstance(month, Month) else Month.parse(month)
        if m not in self.months:
            raise KeyError(f"no billing month {m.iso()} in this bill; months are {[x.iso() for x in self.months]}")
        return int(self.invoice[self.months.index(m)])

    def as_cost_item(self, name: str = "ガバメントクラウド利用料") -> CostItem:
        """The bill as one cost item of :func:`jichitai_cloud.statement` (each member's total over the months)."""
        return CostItem(name, shares=dict(self.totals_by_member()))

    def _rows(self) -> list[list[Any]]:
        out: list[list[Any]] = []
        sources = (DIRECT, *self.pools)
        for k, m in enumerate(self.months):
            for i, (c, n) in enumerate(zip(self.codes, self.names, strict=True)):
                for s, src in enumerate(sources):
                    u, adj, cr = (int(x) for x in self.lines[k, i, s])
                    if s and not (u or adj or cr):
                        continue
                    out.append([n, c, m, src, u if s == 0 else 0, u if s else 0, adj, cr, u + adj + cr])
        return out

    def _title(self, lang: Lang = "ja") -> str:
        span = f"{self.months[0].iso()}–{self.months[-1].iso()}" if self.months else ""
        if lang == "en":
            return f"{self.council}: government-cloud bill by member, {span}"
        return f"{self.council}: ガバメントクラウド利用料の按分 ({span})"

    def _notes(self, lang: Lang = "ja") -> tuple[str, ...]:
        out = list(self.notes if lang == "ja" else self.notes_en or self.notes)
        if self.unassigned.rows:
            cost = ", ".join(f"{c} {float(x):,.2f}" for c, x in self.unassigned.cost.items())
            out.append(f"割当ルールに該当しない {self.unassigned.rows:,} 行 ({cost}) は {self.unassigned.to} に計上"
                       if lang == "ja" else
                       f"{self.unassigned.rows:,} rows matched no rule ({cost}) and went to {self.unassigned.to}")
        return tuple(out)

    def by_member(self) -> OneTable:
        """Each member's bill month by month (団体別・月別請求額): members × months, with totals. [yen]"""
        tot = self.lines.sum(axis=(2, 3))
        columns = (*cols("name", "code"),
                   *(Column(f"m{m.iso()}", m.era_short(), m.iso(), "yen", total=True, bilingual=False) for m in self.months),
                   Column("total", "合計", "Total", "yen", total=True))
        rows = [[n, c, *(int(x) for x in tot[:, i]), int(tot[:, i].sum())]
                for i, (c, n) in enumerate(zip(self.codes, self.names, strict=True))]
        return OneTable(DataTable(key="by_member", title=f"{self.council}: 団体別・月別請求額",
                         title_en=f"{self.council}: bill by member and month", columns=columns, rows=rows,
                         sheet="団体別請求額", sheet_en="By member", totals=True,
                         notes=("各月の団体の請求額の合計は、その月の請求総額 (円換算) と一致します。",),
                         notes_en=("Each month's member bills add up to that month's converted invoice.",)))

    def views(self) -> tuple[DataTable, ...]:
        """Each member's bill by month, the bill (member × month × pool) and the invoice of each month."""
        main = DataTable(key="bill", title=self._title("ja"), title_en=self._title("en"), columns=_BILL_COLUMNS,
                         rows=self._rows(), sheet="利用料按分", sheet_en="Monthly bill", totals=True,
                         notes=self._notes("ja"), notes_en=self._notes("en"))
        inv = DataTable(key="invoice", title=f"{self.council}: 月別請求総額", title_en=f"{self.council}: invoice by month",
                        columns=_INVOICE_COLUMNS,
                        rows=[[m, int(t), e, r] for m, t, e, r in
                              zip(self.months, self.invoice, self.exact, self.rows, strict=True)],
                        sheet="請求総額", sheet_en="Invoices", totals=True)
        return self.by_member().data, main, inv

    def summary(self, lang: Lang = "ja") -> str:
        """Each month's invoice and the member with the largest bill."""
        lines = []
        tot = self.lines.sum(axis=(2, 3))
        for k, m in enumerate(self.months):
            i = int(np.argmax(tot[k])) if len(self.codes) else 0
            if lang == "en":
                lines.append(f"{m.iso()}: invoice {int(self.invoice[k]):,} yen; largest bill {self.names[i]} "
                             f"{int(tot[k, i]):,} yen")
            else:
                lines.append(f"{m.era_short()}: 請求総額 {int(self.invoice[k]):,}円 (最大 {self.names[i]} "
                             f"{int(tot[k, i]):,}円)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"MonthlyBill({self.council!r}, months={[m.iso() for m in self.months]}, "
                f"invoice={[int(x) for x in self.invoice]})")


def _part_index(category: NDArray[np.object_]) -> NDArray[np.int64]:
    c = np.asarray([str(x).strip().lower() for x in category.tolist()], dtype=object)
    return np.where(c == "credit", 2, np.where(c == "adjustment", 1, 0)).astype(np.int64)


def _resolve(rules: BillingRules, name: str) -> AllocationRule:
    rule = rules.pools[name]
    while isinstance(rule, RatioOf):
        rule = rules.pools[rule.pool]
    return rule


def _split_parts(yen: NDArray[np.int64], parts: NDArray[np.object_]) -> NDArray[np.int64]:
    """Each of the ``(R,)`` yen into its ``(R, 3)`` exact parts (largest remainder)."""
    p = np.asarray(parts, dtype=object).copy()
    flat = p.sum(axis=1) == 0
    p[flat] = np.array([1, 0, 0], dtype=object)
    nums, _den = as_fraction_rows(p)
    return exact_largest_remainder(yen, nums)


def monthly_bill(council: Consortium, focus: FocusData | Any, rules: BillingRules, *,
                 months: Iterable[Month | str] | None = None) -> MonthlyBill:
    """Every member's bill of every billing month, to the yen.

    Parameters
    ----------
    council
        The members (order decides ties), populations and drivers such as ``workload``.
    focus
        The FOCUS rows: :class:`FocusData` from :func:`jichitai_cloud.io.read_focus`, or a
        ``dask.dataframe`` of FOCUS rows (many months, many files; the ``scale`` extra), summed per
        partition by :func:`focus_from_dask` with the columns these rules use: the same yen.
    rules
        Assignment, pools, rates and rounding (:class:`BillingRules`).
    months
        Only these billing months (default: every month of ``focus``).

    Returns
    -------
    MonthlyBill
        One line per member × month × pool in integer yen; each month's lines add up to its
        converted invoice total exactly. [yen]

    Raises
    ------
    ValidationError
        A rule sending rows to an unknown member or pool, unassigned rows with
        ``unassigned="error"``, a month and currency without a rate, a pool negative in a month
        (unless allowed), a driver that is zero for every member in a month with a pool to split.
    """
    if not isinstance(council, Consortium):
        raise ValidationError(f"council must be a Consortium, got {council!r}")
    if not isinstance(rules, BillingRules):
        raise ValidationError(f"rules must be BillingRules, got {rules!r}")
    if is_dask(focus):
        focus = focus_from_dask(focus, rules=rules)
    if not isinstance(focus, FocusData):
        raise ValidationError("focus must be FocusData (read the files with jichitai_cloud.io.read_focus(path)) "
                              "or a dask.dataframe of FOCUS rows")
    unread = [k for k in rules.keys if k not in focus.read]
    if unread:
        raise ValidationError(f"the FOCUS rows were read without {', '.join(unread)} (read_focus(..., rules=...) "
                              "with other rules), which these rules need: read them with these rules or without rules")
    codes, pools = council.codes, rules.pool_names
    clash = sorted(set(codes) & set(pools))
    if clash:
        raise ValidationError(f"pool names {clash} are also member codes; rename the pools")
    where = {x: k for k, x in enumerate((*codes, *pools))}
    n, n_pools = len(codes), len(pools)
    target = np.full(focus.groups, -1, dtype=np.int64)
    for k, a in enumerate(rules.assign):  # the council's rules, in order: first match wins
        if a.to not in where:
            raise UnknownMemberError(f"assign[{k}].to = {a.to!r} is neither a member code {list(codes)} "
                                     f"nor a pool {list(pools)}")
        hit = a.matches(focus) & (target < 0)
        target[hit] = where[a.to]
    free = target < 0
    cost: dict[str, int] = {}
    for cur, x in zip(focus.text["currency"][free].tolist(), focus.billed[free].tolist(), strict=True):
        cost[cur] = cost.get(cur, 0) + int(x)
    un_rows = int(focus.rows[free].sum())
    if un_rows and rules.unassigned == "error":
        sample = [f"{Month.from_index(int(m)).iso()} sub account {sa!r} service {sv!r}" for m, sa, sv in
                  zip(focus.month[free][:5], focus.text["sub_account"][free][:5], focus.text["service"][free][:5],
                      strict=True)]
        raise ValidationError(f"{un_rows:,} FOCUS rows match no assign rule (cost "
                              f"{', '.join(f'{c} {Fraction(v, COST_SCALE)}' for c, v in cost.items())}), e.g. "
                              f"{'; '.join(sample)}: add a rule or set unassigned to a pool")
    if un_rows:
        target[free] = where[rules.unassigned]
    unassigned = Unassigned(rows=un_rows, cost=FrozenMap({c: Fraction(v, COST_SCALE) for c, v in cost.items()}),
                            to=rules.unassigned if un_rows else None)
    month_idx = np.unique(focus.month)
    if months is not None:
        wanted = np.array(sorted({(m if isinstance(m, Month) else Month.parse(m)).index for m in months}),
                          dtype=np.int64)
        missing = np.setdiff1d(wanted, month_idx)
        if missing.size:
            raise ValidationError(f"no FOCUS rows for billing month {Month.from_index(int(missing[0])).iso()}")
        month_idx = wanted
    mm = len(month_idx)
    mpos = np.searchsorted(month_idx, focus.month)
    keep = (mpos < mm) & (month_idx[np.minimum(mpos, max(mm - 1, 0))] == focus.month) if mm else np.zeros(0, bool)
    # exact yen of each group: cost × the month's rate (rates looked up once per month and currency)
    rate_of: dict[tuple[int, str], Fraction] = {}
    for m, cur in {(int(m), str(c)) for m, c in zip(focus.month[keep], focus.text["currency"][keep], strict=True)}:
        rate_of[(m, cur)] = rules.rate(Month.from_index(m), cur)
    rates = np.array([rate_of[(int(m), str(c))] for m, c in
                      zip(focus.month[keep], focus.text["currency"][keep], strict=True)], dtype=object)
    yen_exact = np.asarray(focus.billed[keep], dtype=object) * rates / COST_SCALE
    exact = np.full((mm, n + n_pools, 3), Fraction(0), dtype=object)
    np.add.at(exact, (mpos[keep], target[keep], _part_index(focus.text["category"][keep])), yen_exact)
    net = exact.sum(axis=2)  # (M, A)
    month_exact = net.sum(axis=1)
    nums, den = as_fraction_rows(month_exact.reshape(-1, 1))
    invoice = round_exact(nums[:, 0], den, rules.rounding)
    a_nums, _ = as_fraction_rows(net)
    yen = exact_largest_remainder(invoice, a_nums)  # (M, A)
    parts = _split_parts(yen.reshape(-1), exact.reshape(-1, 3)).reshape(mm, n + n_pools, 3)
    lines = np.zeros((mm, n, 1 + n_pools, 3), dtype=np.int64)
    lines[:, :, 0, :] = parts[:, :n, :]
    direct = np.asarray(net[:, :n], dtype=object)
    for p, name in enumerate(pools):  # the council's pools (a handful); months and members are arrays
        lines[:, :, 1 + p, :] = _pool_lines(council, rules, name, yen[:, n + p], parts[:, n + p, :], direct,
                                            month_idx)
    rows = np.zeros(mm, dtype=np.int64)
    np.add.at(rows, mpos[keep], focus.rows[keep])
    inv = np.asarray(invoice, dtype=np.int64)
    inv.setflags(write=False)
    lines.setflags(write=False)
    return MonthlyBill(council=council.name, codes=codes, names=tuple(m.name for m in council.members),
                       months=tuple(Month.from_index(int(i)) for i in month_idx), pools=pools, lines=lines,
                       invoice=inv, exact=tuple(Fraction(x) for x in month_exact.tolist()),
                       rows=tuple(int(x) for x in rows), unassigned=unassigned, notes=focus.notes,
                       notes_en=focus.notes_en)


def _pool_lines(council: Consortium, rules: BillingRules, name: str, yen: NDArray[np.int64],
                parts: NDArray[np.int64], direct: NDArray[np.object_], month_idx: NDArray[np.int64]
                ) -> NDArray[np.int64]:
    """Pool ``name``'s yen of each month ``(M,)`` split among the members and into parts, ``(M, N, 3)``."""
    mm, n = direct.shape
    rule = _resolve(rules, name)
    neg = yen < 0
    if neg.any() and not rules.allow_negative_pools:
        k = int(np.flatnonzero(neg)[0])
        raise ValidationError(f"pool {name!r} is negative in {Month.from_index(int(month_idx[k])).iso()} "
                              f"({int(yen[k]):,} yen: credits exceed costs); set allow_negative_pools to split it")
    drivers = np.empty((mm, n, len(rule.drivers)), dtype=np.float64)
    for d, dname in enumerate(rule.drivers):
        if dname == "usage":
            use = np.asarray(direct, dtype=np.float64)
            if (use < 0).any():
                m, i = np.argwhere(use < 0)[0]
                raise ValidationError(f"pool {name!r}: driver 'usage' is negative for {council.codes[i]!r} in "
                                      f"{Month.from_index(int(month_idx[m])).iso()} (its credits exceed its costs)")
            drivers[:, :, d] = use
        else:
            drivers[:, :, d] = np.array([mem.driver(dname) for mem in council.members], dtype=np.float64)
    try:
        shares = split_costs(np.abs(yen), drivers, np.asarray(rule.weights, dtype=np.float64), tie=rule.tie)
    except ValidationError as exc:
        raise ValidationError(f"pool {name!r}: {exc}") from None
    shares = np.where(neg[:, None], -shares, shares)
    # each member's share divided into the pool's parts in proportion (largest remainder)
    rep = np.repeat(parts.astype(object)[:, None, :], n, axis=1).reshape(-1, 3)
    return _split_parts(shares.reshape(-1), rep).reshape(mm, n, 3)

