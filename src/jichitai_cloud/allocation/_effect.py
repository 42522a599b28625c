"""The five-year effect table of the source document (導入効果: 5年試算 現行経費 / クラウド利用料 / 削減率).

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (1 情報関連経費の削減), the table
市町村名 / 5年試算 現行経費 / クラウド利用料 / 削減率.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from .._display import Column, Lang, TableView, cols
from ..errors import ValidationError
from ..model import Consortium

__all__ = ["EffectRow", "EffectTable", "reduction_percent", "reduction_rate"]


def reduction_percent(current: int, cost: int) -> int | None:
    """Reduction rate (削減率) in whole percent, rounded half up, from integer amounts.

    ``100 * (1 - cost / current)`` computed exactly and rounded half up (37.5 % -> 38 %, as the
    document's member B: 1 - 2.5 / 4.0).  None when ``current`` is 0.

    Parameters
    ----------
    current
        Current cost (現行経費). [yen]
    cost
        Cost on the cloud (クラウド利用料). [yen]

    Examples
    --------
    >>> [reduction_percent(c, f) for c, f in [(92, 57), (40, 25), (25, 18), (24, 17), (24, 14), (11, 8)]]
    [38, 38, 28, 29, 42, 27]
    >>> reduction_percent(216, 139)
    36

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 削減率 = 1 - クラウド利用料 / 現行経費.
    """
    if current == 0:
        return None
    return math.floor(Fraction(100 * (current - cost), current) + Fraction(1, 2))


def _oku(yen: int) -> str:
    """Yen as 億円 with one decimal, rounded half up (920,000,000 -> '9.2')."""
    return str((Decimal(yen) / Decimal(100_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def reduction_rate(current: int, cost: int) -> Fraction | None:
    """``(current - cost) / current`` exactly (削減率), None when ``current`` is 0. [1]"""
    return None if current == 0 else Fraction(current - cost, current)


@attrs.frozen(kw_only=True, slots=True)
class EffectRow:
    """One line of the five-year effect table (5年試算): current cost against cost on the cloud.

    Parameters
    ----------
    code, name
        The member (or ``"合計"`` for the total line).
    current_cost
        Current cost (現行経費). [yen]
    cloud_fee
        Cost on the cloud (クラウド利用料), penalties included where the rule adds them. [yen]
    """

    code: str
    name: str
    current_cost: int
    cloud_fee: int

    @property
    def reduction_rate(self) -> Fraction | None:
        """``1 - cloud_fee / current_cost``, exact (rounded only when shown). [1]"""
        return reduction_rate(self.current_cost, self.cloud_fee)

    @property
    def reduction_percent(self) -> int | None:
        """Reduction rate in whole percent, rounded half up (the document's 削減率). [%]"""
        return reduction_percent(self.current_cost, self.cloud_fee)


def _rows(value: Any) -> tuple[EffectRow, ...]:
    return tuple(value)


_EFFECT_TITLE = "導入効果 (5年試算)"
_EFFECT_TITLE_EN = "Effect of the shared cloud (five-year estimate)"
_RATE = Column("reduction_rate", "削減率", "Reduction rate", "percent", decimals=0)
_EFFECT_COLUMNS = (*cols("code", "name", "current_cost_oku", "cloud_fee_oku"), _RATE)


@attrs.frozen(kw_only=True, slots=True)
class EffectTable(TableView):
    """The five-year effect table of the source document (導入効果: 5年試算 現行経費 / クラウド利用料 / 削減率).

    Shown (text, notebook, exports) as the document prints it: per member its name (and code),
    current cost and cost on the cloud in 億円 with one decimal and the reduction rate in whole
    percent, with a 合計 line whose amounts are the sums of the shown parts (largest remainder);
    the total reduction rate is in :meth:`summary`.  The stored values are integer yen and exact
    rates; :meth:`to_dataframe` has one row per member, indexed by code (no total row: the total
    is :attr:`total`).

    Parameters
    ----------
    rows
        One line per member.
    title, title_en
        Caption in Japanese and in English.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (1 情報関連経費の削減), the table
    市町村名 / 5年試算 現行経費 / クラウド利用料 / 削減率.

    Examples
    --------
    >>> t = EffectTable.from_figures("ABCDEF", [920, 400, 250, 240, 240, 110],
    ...                              [570, 250, 180, 170, 140, 80], scale=1_000_000)
    >>> [r.reduction_percent for r in t.rows], t.total.reduction_percent
    ([38, 38, 28, 29, 42, 27], 36)
    """

    _COLUMNS = _EFFECT_COLUMNS
    _KEY = "effect"
    _SHEET = ("導入効果", "Effect")
    _INDEX = "code"
    _TOTALS = True

    rows: tuple[EffectRow, ...] = attrs.field(converter=_rows)
    title: str = _EFFECT_TITLE
    title_en: str = _EFFECT_TITLE_EN

    @classmethod
    def from_figures(cls, codes: Sequence[str], current_costs: Sequence[int], cloud_fees: Sequence[int], *,
                     names: Sequence[str] | None = None, scale: int = 1, title: str | None = None,
                     title_en: str | None = None) -> EffectTable:
        """A table from figures, e.g. the published ones.

        Parameters
        ----------
        codes
            Member codes.
        current_costs, cloud_fees
            Per member, in units of ``scale`` yen (integers). [scale yen]
        names
            Member names (default: the codes).
        scale
            Yen per unit of the figures, e.g. 10,000,000 for figures in 0.1 億円. [yen]
        title, title_en
            Caption in Japanese and in English (default: the document's).
        """
        codes = list(codes)
        if not (len(codes) == len(current_costs) == len(cloud_fees)):
            raise ValidationError("codes, current_costs and cloud_fees must have the same length")
        for v in (*current_costs, *cloud_fees):
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
                raise ValidationError(f"figures must be integers >= 0 [{scale:,} yen], got {v!r}")
        nm = list(names) if names is not None else codes
        rows = tuple(EffectRow(code=c, name=n, current_cost=int(a) * scale, cloud_fee=int(b) * scale)
                     for c, n, a, b in zip(codes, nm, current_costs, cloud_fees, strict=True))
        return cls(rows=rows, title=title or _EFFECT_TITLE, title_en=title_en or title or _EFFECT_TITLE_EN)

    @classmethod
    def from_published(cls, council: Consortium) -> EffectTable:
        """The council's published table (current costs of its members, published cloud fees)."""
        pub = council.published
        if pub is None or not pub.cloud_fees:
            raise ValidationError(f"council {council.name!r} has no published cloud fees")
        rows = tuple(EffectRow(code=m.code, name=m.name, current_cost=m.current_cost,
                               cloud_fee=int(pub.cloud_fees[m.code]))
                     for m in council.members if m.code in pub.cloud_fees)
        return cls(rows=rows, title=f"{council.name}: 導入効果 (公表値、5年試算)",
                   title_en=f"{council.name}: effect as published (five-year estimate)")

    @property
    def total(self) -> EffectRow:
        """The total line (合計)."""
        return EffectRow(code="合計", name="total", current_cost=sum(r.current_cost for r in self.rows),
                         cloud_fee=sum(r.cloud_fee for r in self.rows))

    def _rows(self) -> list[list[Any]]:
        return [[r.code, r.name, r.current_cost, r.cloud_fee, r.reduction_rate] for r in self.rows]

    def _title(self, lang: Lang = "ja") -> str:
        return self.title if lang == "ja" else self.title_en

    def summary(self, lang: Lang = "ja") -> str:
        """The reduction of the whole council (the document's 合計 line, with its rate)."""
        t = self.total
        saving = t.current_cost - t.cloud_fee
        if lang == "en":
            pct = "—" if t.reduction_percent is None else f"{t.reduction_percent} %"
            return (f"Effect in total: current cost {t.current_cost:,} yen against {t.cloud_fee:,} yen on the cloud, "
                    f"{saving:,} yen less (reduction rate {pct})")
        pct = "—" if t.reduction_percent is None else f"{t.reduction_percent}%"
        return (f"導入効果の合計: 現行経費 {_oku(t.current_cost)}億円 に対しクラウド利用料 {_oku(t.cloud_fee)}億円、"
                f"削減額 {_oku(saving)}億円 ({saving:,}円)、削減率 {pct}")

    def __str__(self) -> str:
        return self.to_text()
