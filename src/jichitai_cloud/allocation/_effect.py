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

from .._display import Table, TableView
from ..errors import ValidationError
from ..model import Consortium

__all__ = ["EffectRow", "EffectTable", "reduction_percent"]


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
    def reduction_rate(self) -> float | None:
        """``1 - cloud_fee / current_cost``. [1]"""
        return None if self.current_cost == 0 else 1 - self.cloud_fee / self.current_cost

    @property
    def reduction_percent(self) -> int | None:
        """Reduction rate in whole percent, rounded half up (the document's 削減率). [%]"""
        return reduction_percent(self.current_cost, self.cloud_fee)


def _rows(value: Any) -> tuple[EffectRow, ...]:
    return tuple(value)


_EFFECT_TITLE = "5年試算 (five-year estimate)"
_EFFECT_HEADER = ("市町村名", "現行経費 (5年試算)", "クラウド利用料", "削減率 [%]")


@attrs.frozen(kw_only=True, slots=True)
class EffectTable(TableView):
    """The five-year effect table of the source document (導入効果: 5年試算 現行経費 / クラウド利用料 / 削減率).

    Shown (text, notebook, exports) as the document prints it, in 億円 with one decimal, with the
    total line 合計 as :meth:`summary` (never a row of a table); :meth:`to_dataframe` has one row per
    member in yen (the total is :attr:`total`; ``table(total=True)`` adds the 合計 row on request).

    Parameters
    ----------
    rows
        One line per member.
    title
        Caption.

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

    _INDEX = _EFFECT_HEADER[0]

    rows: tuple[EffectRow, ...] = attrs.field(converter=_rows)
    title: str = _EFFECT_TITLE

    @classmethod
    def from_figures(cls, codes: Sequence[str], current_costs: Sequence[int], cloud_fees: Sequence[int], *,
                     names: Sequence[str] | None = None, scale: int = 1, title: str | None = None) -> EffectTable:
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
        title
            Caption.
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
        return cls(rows=rows, title=title or _EFFECT_TITLE)

    @classmethod
    def from_published(cls, council: Consortium) -> EffectTable:
        """The council's published table (current costs of its members, published cloud fees)."""
        pub = council.published
        if pub is None or not pub.cloud_fees:
            raise ValidationError(f"council {council.name!r} has no published cloud fees")
        rows = tuple(EffectRow(code=m.code, name=m.name, current_cost=m.current_cost,
                               cloud_fee=int(pub.cloud_fees[m.code]))
                     for m in council.members if m.code in pub.cloud_fees)
        return cls(rows=rows, title=f"{council.name}: published 5年試算")

    @property
    def total(self) -> EffectRow:
        """The total line (合計)."""
        return EffectRow(code="合計", name="total", current_cost=sum(r.current_cost for r in self.rows),
                         cloud_fee=sum(r.cloud_fee for r in self.rows))

    def table(self, *, unit: str = "yen", total: bool = False) -> Table:
        """Header and one row per member, amounts in ``"yen"`` or ``"oku"`` (億円, one decimal as the
        document); ``total=True`` adds the document's 合計 line."""
        if unit not in ("yen", "oku"):
            raise ValidationError(f"unit must be 'yen' or 'oku', got {unit!r}")
        suffix = " [億円]" if unit == "oku" else " [yen]"
        header = (_EFFECT_HEADER[0], _EFFECT_HEADER[1] + suffix, _EFFECT_HEADER[2] + suffix, _EFFECT_HEADER[3])

        def fmt(x: int) -> Any:
            return _oku(x) if unit == "oku" else x

        lines = (*self.rows, self.total) if total else self.rows
        return header, [[r.code, fmt(r.current_cost), fmt(r.cloud_fee), r.reduction_percent] for r in lines]

    def tables(self) -> dict[str, Table]:
        """The table as the document prints it, in 億円; the 合計 line is :meth:`summary` (no total row)."""
        return {self.title: self.table(unit="oku")}

    def summary(self) -> str:
        """The document's 合計 line: current cost, cost on the cloud, reduction rate."""
        t = self.total
        pct = "—" if t.reduction_percent is None else f"{t.reduction_percent} %"
        return (f"合計 (total): 現行経費 {_oku(t.current_cost)} 億円 ({t.current_cost:,} yen), クラウド利用料 "
                f"{_oku(t.cloud_fee)} 億円 ({t.cloud_fee:,} yen), 削減率 {pct}")

    def _title(self) -> str:
        return self.title

    def __str__(self) -> str:
        return self.to_text()
