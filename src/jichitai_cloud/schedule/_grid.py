"""The quarter grid of the source document (現行 / 移行 / クラウド by fiscal quarter, 1Q–4Q, 和暦 headings).

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 次期システム更新予定; 基幹系(住民記録等)システム移行スケジュール.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from .._display import Column, DataTable, Lang, TableView, cols
from ..calendar import Month
from ..errors import ValidationError

if TYPE_CHECKING:  # pragma: no cover

    from ._plan import MigrationPlan

__all__ = ["CLOUD", "CURRENT", "MIGRATION", "QuarterGrid", "fiscal_year_label", "quarter_grid"]

CURRENT = "現行"
MIGRATION = "移行"
CLOUD = "クラウド"

_TIMING = Column("timing", "導入タイミング", "Timing", "text")
_ROW = Column("row", "区分", "Row", "text")
_MILESTONE = Column("milestone", "項目", "Milestone", "text")


def fiscal_year_label(fiscal_year: int) -> str:
    """The fiscal year in the document's heading notation, ``"平成27年度 (2015年度)"``."""
    first = Month(fiscal_year, 4)
    era = first.era
    y = first.year - era.first_day.year + 1
    return f"{era.kanji}{'元' if y == 1 else y}年度 ({fiscal_year}年度)"


def _short(fiscal_year: int, quarter: int) -> str:
    first = Month(fiscal_year, 4)
    era = first.era
    return f"{era.letter}{first.year - era.first_day.year + 1}年度{quarter}Q"


@attrs.frozen(kw_only=True, slots=True)
class QuarterGrid(TableView):
    """Each member's state by fiscal quarter: 現行 (current system), 移行 (migration), クラウド (cloud).

    A quarter whose months are in different states shows them in order, ``移行→クラウド``.

    Parameters
    ----------
    title
        The schedule's name.
    quarters
        The first month of each fiscal quarter shown.
    codes, names
        The members.
    timing
        Per member: 導入タイミング (cloud start, with the migration start in brackets where the member
        records one, as the document prints ``H27.07 (H27.01)``), 現行稼働満了想定 (contract end),
        クラウド開始 (cloud start), in short era notation.
    cells
        Per member and quarter, the state text.
    milestones
        Per milestone: its row, its name and, per quarter, ``●`` where it is active ("" elsewhere).
    """

    title: str
    quarters: tuple[Month, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    timing: tuple[tuple[str, str, str], ...]
    cells: tuple[tuple[str, ...], ...]
    milestones: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @property
    def headings(self) -> tuple[str, ...]:
        """Quarter headings in short era notation, ``"H27年度1Q"`` (和暦)."""
        return tuple(_short(q.fiscal_year, q.fiscal_quarter) for q in self.quarters)

    @property
    def fiscal_years(self) -> tuple[str, ...]:
        """The fiscal years shown, ``"平成27年度 (2015年度)"``."""
        return tuple(dict.fromkeys(fiscal_year_label(q.fiscal_year) for q in self.quarters))

    def state(self, code: str, month: Month | str) -> str:
        """The cell of member ``code`` in the quarter containing ``month``."""
        m = Month.parse(month) if isinstance(month, str) else month
        first = Month(m.year, m.month - (m.month - 1) % 3)
        try:
            return self.cells[self.codes.index(code)][self.quarters.index(first)]
        except ValueError:
            raise ValidationError(f"no member {code!r} or quarter of {m.era_short()} in the grid") from None

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            years = sorted(dict.fromkeys(q.fiscal_year for q in self.quarters))
            span = f"FY{years[0]}" + (f"-FY{years[-1]}" if len(years) > 1 else "") if years else ""
            return f"{self.title}: migration schedule by fiscal quarter ({span})"
        return f"{self.title} ({' / '.join(self.fiscal_years)})"

    def _quarter_columns(self) -> tuple[Column, ...]:
        return tuple(Column(h, h, f"FY{q.fiscal_year} Q{q.fiscal_quarter}", "text", bilingual=False)
                     for h, q in zip(self.headings, self.quarters, strict=True))

    def views(self) -> tuple[DataTable, ...]:
        """``移行スケジュール`` (members × quarters: 市町村名, 導入タイミング, 現行稼働満了想定, クラウド開始,
        then one column a quarter) and, if any, ``マイルストーン`` (the milestone rows)."""
        quarters = self._quarter_columns()
        rows = [[c, n, t[0], Month.parse(t[1]), Month.parse(t[2]), *cells]
                for c, n, t, cells in zip(self.codes, self.names, self.timing, self.cells, strict=True)]
        out = [DataTable(key="quarter_grid", title=self._title("ja"), title_en=self._title("en"),
                         columns=(*cols("code", "name"), _TIMING, *cols("current_system_end", "cloud_start"), *quarters),
                         rows=rows, sheet="移行スケジュール", sheet_en="Schedule", index="code")]
        if self.milestones:
            out.append(DataTable(key="milestones", title=f"{self.title}: マイルストーン",
                                 title_en=f"{self.title}: milestones", columns=(_ROW, _MILESTONE, *quarters),
                                 rows=[[row, name, *cells] for row, name, cells in self.milestones],
                                 sheet="マイルストーン", sheet_en="Milestones"))
        return tuple(out)


def _state(month: Month, migration_start: Month, start: Month) -> str:
    if month >= start:
        return CLOUD
    if month >= migration_start:
        return MIGRATION
    return CURRENT


def quarter_grid(plan: MigrationPlan, *, first: Month | str | None = None,
                 last: Month | str | None = None) -> QuarterGrid:
    """The plan as the document's quarter table.

    Parameters
    ----------
    plan
        A :class:`~jichitai_cloud.schedule.MigrationPlan`.
    first, last
        Months whose fiscal years bound the grid (default: the plan's horizon).

    Returns
    -------
    QuarterGrid
        Text (``to_text()``), HTML (``_repr_html_()``) and a DataFrame like any result.
    """
    sch = plan.schedule
    f = Month.parse(first) if isinstance(first, str) else (first or sch.horizon_start)
    la = Month.parse(last) if isinstance(last, str) else (last or sch.horizon_end)
    if la < f:
        raise ValidationError(f"last {la.era_short()} is before first {f.era_short()}")
    quarters = []
    q = Month(f.fiscal_year, 4)
    while q <= la:
        quarters.append(q)
        q = q + 3
    mig = plan.migration_starts()
    cells = []
    for i in range(len(sch.members)):
        row = []
        for q in quarters:
            states = list(dict.fromkeys(_state(q + k, mig[i], plan.starts[i]) for k in range(3)))
            row.append("→".join(states))
        cells.append(tuple(row))
    timing = tuple((s.era_short() + (f" ({g.era_short()})" if m.migration_start is not None else ""),
                    m.current_system_end.era_short(), s.era_short())
                   for m, s, g in zip(sch.members, plan.starts, mig, strict=True))
    miles = tuple(
        (ms.row, ms.name, tuple("●" if ms.first <= q + 2 and ms.end >= q else "" for q in quarters))
        for ms in sch.milestones
    )
    return QuarterGrid(title=sch.name, quarters=tuple(quarters), codes=sch.codes,
                       names=tuple(m.name for m in sch.members), timing=timing, cells=tuple(cells),
                       milestones=miles)
