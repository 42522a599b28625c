"""The 3割削減目標: each member's annual operating cost against its FY2018 baseline, per fiscal year (年度)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from .._display import Column, DataTable, Lang, TableView, cols
from .._numeric._checks import as_fraction
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ._bill import MonthlyBill

__all__ = ["ReductionCheck", "reduction_against"]

_COLUMNS = (
    *cols("name", "code"),
    Column("fiscal_year", "年度", "Fiscal year", "code"),
    Column("months", "対象月数", "Months billed", "months"),
    Column("baseline", "基準額 (平成30年度、月数按分)", "FY2018 baseline, pro rata", "yen", total=True),
    Column("cost", "運用経費", "Operating cost", "yen", total=True),
    Column("reduction", "削減率", "Reduction", "percent", decimals=1),
    Column("met", "目標達成", "Target met", "flag"),
)


@attrs.frozen(kw_only=True, slots=True)
class ReductionCheck(TableView):
    """Whether each member and the council meet the reduction target, per fiscal year.

    ``rows``: ``(code, name, fiscal year, months, baseline pro rata [yen, exact], cost [yen],
    reduction [1, exact], met)``; the council's rows have code ``"合計"``.
    """

    _KEY = "reduction"
    _SHEET = ("削減目標", "Reduction target")
    _COLUMNS = _COLUMNS
    _TOTALS = False

    council: str
    target: Fraction
    rows: tuple[tuple[str, str, int, int, Fraction, int, Fraction | None, bool], ...]

    def _rows(self) -> list[list[Any]]:
        return [[n, c, fy, mo, round(b), cost, red, met] for c, n, fy, mo, b, cost, red, met in self.rows]

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"{self.council}: operating cost against FY2018 (target {float(self.target) * 100:g} % reduction)"
        return f"{self.council}: 平成30年度比の運用経費 ({float(self.target) * 100:g}%削減目標)"

    def met(self, code: str, fiscal_year: int) -> bool:
        """Whether ``code`` (or ``"合計"`` for the council) meets the target in ``fiscal_year``."""
        for c, _n, fy, _m, _b, _cost, _r, ok in self.rows:
            if c == code and fy == fiscal_year:
                return ok
        raise KeyError(f"no row for {code!r} in fiscal year {fiscal_year}")

    def summary(self, lang: Lang = "ja") -> str:
        """The council's verdict per fiscal year."""
        out = []
        for c, _n, fy, mo, _b, _cost, red, ok in self.rows:
            if c != "合計":
                continue
            rate = "—" if red is None else f"{float(red) * 100:.1f}"
            if lang == "en":
                out.append(f"FY{fy} ({mo} months): reduction {rate} % — {'met' if ok else 'not met'}")
            else:
                out.append(f"{fy}年度 ({mo}か月): 削減率 {rate}% — {'達成' if ok else '未達成'}")
        return "\n".join(out)

    def views(self) -> tuple[DataTable, ...]:
        """The one table."""
        return (DataTable(key=self._KEY, title=self._title("ja"), title_en=self._title("en"), columns=_COLUMNS,
                          rows=self._rows(), sheet=self._SHEET[0], sheet_en=self._SHEET[1]),)


def reduction_against(baseline: Mapping[str, int], bills: MonthlyBill | Iterable[MonthlyBill], *,
                      target: float | str | Fraction = 0.30,
                      other_costs: Mapping[tuple[str, int], int] | None = None) -> ReductionCheck:
    """Compare each member's operating cost per fiscal year with its FY2018 baseline (3割削減目標).

    Parameters
    ----------
    baseline
        Member code -> annual operating cost in FY2018 (平成30年度). [yen]
    bills
        One or more :class:`MonthlyBill` (months may not repeat across bills).
    target
        The reduction to reach, exact as written (``0.30`` is 3/10). [1]
    other_costs
        ``(member code, fiscal year) -> yen`` of other operating costs to add to the bill. [yen]

    Returns
    -------
    ReductionCheck
        Per member and fiscal year (年度, April–March) and for the council: the baseline pro rata to
        the months billed (``baseline × months ÷ 12``, exact), the cost, the reduction
        ``1 − cost ÷ baseline`` (exact) and whether it reaches ``target``.
    """
    items = [bills] if isinstance(bills, MonthlyBill) else list(bills)
    if not items:
        raise ValidationError("reduction_against needs at least one MonthlyBill")
    tgt = as_fraction(target, "target")
    if not 0 <= tgt <= 1:
        raise ValidationError(f"target must be between 0 and 1 [1], got {target!r}")
    codes, names = items[0].codes, items[0].names
    cost: dict[tuple[str, int], int] = {}
    months: dict[int, set[Month]] = {}
    for bill in items:
        if bill.codes != codes:
            raise ValidationError("every bill must be of the same council (the same members in the same order)")
        for (c, m), yen in bill.member_totals().items():
            if m in months.get(m.fiscal_year, set()) and c == codes[0]:
                raise ValidationError(f"billing month {m.iso()} appears in two bills")
            cost[(c, m.fiscal_year)] = cost.get((c, m.fiscal_year), 0) + yen
            months.setdefault(m.fiscal_year, set()).add(m)
    for (c, fy), yen in (other_costs or {}).items():
        if c not in codes:
            raise UnknownMemberError(f"other_costs names {c!r}, not a member {list(codes)}")
        cost[(c, fy)] = cost.get((c, fy), 0) + int(yen)
        months.setdefault(fy, set())
    missing = [c for c in codes if c not in baseline]
    if missing:
        raise UnknownMemberError(f"no FY2018 baseline for {missing}")
    rows = []
    for fy in sorted(months):
        mo = len(months[fy]) or 12
        tb, tc = Fraction(0), 0
        for c, n in zip(codes, names, strict=True):
            b = Fraction(int(baseline[c]) * mo, 12)
            x = cost.get((c, fy), 0)
            red = None if b == 0 else 1 - Fraction(x) / b
            rows.append((c, n, fy, mo, b, x, red, red is not None and red >= tgt))
            tb += b
            tc += x
        red = None if tb == 0 else 1 - Fraction(tc) / tb
        rows.append(("合計", "協議会全体", fy, mo, tb, tc, red, red is not None and red >= tgt))
    return ReductionCheck(council=items[0].council, target=tgt, rows=tuple(rows))
