"""Every cost item in one statement (費用負担明細): what each member pays, for what, and why.

A council pays more than its cloud fee: government-cloud usage, customization (the comparison
table's shares), data extraction, interfaces, penalties.  Each item has its own split: a total
divided by an :class:`~jichitai_cloud.AllocationRule` (through the same pipeline as
:func:`~jichitai_cloud.allocate`), or explicit per-member amounts (a quote per member, the
customization shares).  :func:`statement` puts them side by side.

The parts of a share (内訳)
-------------------------
For an item split by a rule, each member's share is shown as the sum of

* one part per driver of the rule (均等割 ``equal``, 人口割 ``population``, any other driver): the
  member's share *under the rule alone* (before the guarantee, ``Allocation.rule_share``, integer
  yen) apportioned among the drivers in proportion to the member's exact amounts under each
  driver (largest remainder within the member's row, ties to the first driver), so the driver
  parts add up to the rule share exactly;
* the cap adjustment (最低保障調整) ``share - rule_share``: negative for a member held at its cap,
  positive for a member taking part of what the capped members cannot; present when the rule has
  a guarantee.

So the parts of every member add up to its share in integer yen, and the driver parts of an item
add up, over the members, to within a few yen of ``total × ratio_d / sum(ratios)`` (each member's
rounding is its own).  An item of explicit shares has one part, ``explicit`` (個別).

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (均等割:人口割 = 3:7, 最低3割削減を保障) and
カスタマイズ要望比較一覧表 (the customization shares).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._display import Column, DataTable, Lang, TableView, cols, render_frame
from .._frozenmap import FrozenMap
from .._numeric._apportion import apportion
from ..errors import UnknownMemberError, ValidationError
from ..model import Consortium
from ._allocate import _result
from ._effect import EffectRow, EffectTable
from ._pipeline import build, solve
from ._results import Allocation
from ._rule import AllocationRule

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["CostItem", "Statement", "StatementPart", "driver_parts", "statement"]

CAP_ADJUSTMENT = "cap_adjustment"
EXPLICIT = "explicit"
PART_LABELS = {"equal": "均等割", "population": "人口割", CAP_ADJUSTMENT: "最低保障調整", EXPLICIT: "個別"}

_MEMBER_TOTAL = Column("total", "負担合計", "Total paid", "yen", total=True)
_PART_COLUMNS = (*cols("code", "name"), Column("item", "費用項目", "Cost item", "text"),
                 Column("part", "区分", "Part", "code"), Column("label", "内訳", "Part (内訳)", "text"),
                 Column("amount", "金額", "Amount", "yen", total=True))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _shares_map(value: Any) -> Any:
    if value is None or isinstance(value, FrozenMap):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(f"shares must be a mapping of member code -> integer yen, got {value!r}")
    return FrozenMap({k: v.to_int(x) for k, x in value.items()})


@attrs.frozen(slots=True)
class CostItem:
    """One cost the council's members pay (費目): a total split by a rule, or explicit shares.

    Parameters
    ----------
    name
        Name of the item, e.g. ``"クラウド利用料"``, ``"ガバメントクラウド利用料"``, ``"カスタマイズ"``.
    total
        Amount to split by ``rule`` (with ``rule``). [yen]
    rule
        How to split ``total`` (with ``total``): ratios, guarantee, rounding (see
        :class:`~jichitai_cloud.AllocationRule`).
    shares
        Explicit amounts instead, member code -> integer yen (members not listed pay 0), e.g. each
        member's customization total or a data-extraction quote. [yen]

    Exactly one of ``total`` with ``rule``, or ``shares``, is given.

    Examples
    --------
    >>> from jichitai_cloud import AllocationRule
    >>> fee = CostItem("クラウド利用料", total=1_390_000_000, rule=AllocationRule(ratios="3:7", min_reduction=0.3))
    >>> extraction = CostItem("データ抽出", shares={"A": 1_200_000, "C": 800_000})
    >>> extraction.amount()
    2000000
    """

    name: str = attrs.field(converter=_strip, validator=v.non_empty_text())
    total: int | None = attrs.field(default=None, kw_only=True, converter=v.to_int,
                                    validator=v.integer(min=0, optional=True, unit="yen"))
    rule: AllocationRule | None = attrs.field(default=None, kw_only=True)
    shares: FrozenMap[int] | None = attrs.field(default=None, kw_only=True, converter=_shares_map)

    def __attrs_post_init__(self) -> None:
        by_rule = self.rule is not None or (self.total is not None and self.shares is None)
        if self.shares is not None and (self.rule is not None or self.total is not None):
            raise ValidationError(f"cost item {self.name!r}: give either total and rule, or shares, not both "
                                  f"(got total={self.total!r}, rule={self.rule!r}, shares={dict(self.shares)!r})")
        if self.shares is None and not by_rule:
            raise ValidationError(f"cost item {self.name!r}: give total and rule, or shares [yen per member code]")
        if by_rule:
            if self.total is None:
                raise ValidationError(f"cost item {self.name!r}: rule needs total [yen]")
            if not isinstance(self.rule, AllocationRule):
                raise ValidationError(f"cost item {self.name!r}: total needs rule, an AllocationRule, got "
                                      f"{self.rule!r}")
        for code, x in (self.shares or {}).items():
            v.check_member_code(code, f"shares key {code!r}")
            v.check_yen(x, f"cost item {self.name!r}: shares[{code!r}]")

    @property
    def is_split(self) -> bool:
        """True when the item is a total split by a rule (else explicit shares)."""
        return self.shares is None

    def amount(self) -> int:
        """The item's total: ``total``, or the sum of the explicit shares. [yen]"""
        if self.shares is not None:
            return sum(int(x) for x in self.shares.values())
        assert self.total is not None
        return self.total


@attrs.frozen(kw_only=True, slots=True)
class StatementPart:
    """One part of one member's share of one item (内訳).

    Parameters
    ----------
    item
        Name of the cost item.
    code
        Member code.
    part
        ``"equal"`` (均等割), ``"population"`` (人口割), another driver's name, ``"cap_adjustment"``
        (最低保障調整) or ``"explicit"`` (個別).
    amount
        Integer yen (a cap adjustment may be negative). [yen]
    """

    item: str
    code: str
    part: str
    amount: int

    @property
    def label(self) -> str:
        """The part with its Japanese name, e.g. ``"人口割 (population)"``."""
        ja = PART_LABELS.get(self.part)
        return f"{ja} ({self.part})" if ja else self.part


def driver_parts(rule_shares: NDArray[np.int64], amounts: NDArray[np.float64],
                 fallback: NDArray[np.float64]) -> NDArray[np.int64]:
    """Each member's rule share apportioned among the drivers, in integer yen.

    Parameters
    ----------
    rule_shares
        Shares under the rule alone, shape ``(..., N)``. [yen]
    amounts
        Exact (unrounded) amount of each member under each driver, shape ``(..., N, D)``. [yen]
    fallback
        Weights ``(D,)`` for a member whose exact amounts are all zero but whose rule share is not
        (a rounding remainder given to it). [1]

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., N, D)``
        Parts adding up to ``rule_shares`` exactly along the last axis (largest remainder). [yen]

    Examples
    --------
    >>> driver_parts(np.array([10]), np.array([[2.5, 7.5]]), np.array([3.0, 7.0])).tolist()
    [[3, 7]]
    """
    w = np.where(amounts.sum(axis=-1, keepdims=True) > 0, amounts, np.broadcast_to(fallback, amounts.shape))
    return apportion(rule_shares, w)


def _exact_amounts(total: int, x: NDArray[np.float64], ratios: NDArray[np.float64], n_drivers: int
                   ) -> NDArray[np.float64]:
    """Exact amount of every member under every driver ``(N, D)`` from the pipeline's columns (segment, driver)."""
    col = x.sum(axis=0)
    share = np.divide(x, col, out=np.zeros_like(x), where=col > 0)
    amount: NDArray[np.float64] = share * (total * ratios / ratios.sum())  # (N, G' * D)
    out: NDArray[np.float64] = amount.reshape(x.shape[0], -1, n_drivers).sum(axis=1)
    return out


def _split_item(council: Consortium, item: CostItem) -> tuple[Allocation, list[StatementPart]]:
    rule, total = item.rule, item.total
    assert rule is not None and total is not None
    pipe = build(council, total, rule)
    arr = pipe.arrays()
    solved = solve(pipe, arr, rule_shares=True)
    alloc = _result(pipe, solved)
    assert solved.rule_shares is not None
    rule_shares = solved.rule_shares[0]
    amounts = _exact_amounts(total, arr.drivers, arr.ratios, len(rule.drivers))
    parts = driver_parts(rule_shares, amounts, np.asarray(rule.weights, dtype=np.float64))
    names = rule.drivers
    out = [StatementPart(item=item.name, code=code, part=names[d], amount=int(parts[i, d]))
           for i, code in enumerate(council.codes) for d in range(len(names))]
    if rule.min_reduction is not None:
        adj = (solved.shares[0] - rule_shares).tolist()
        out += [StatementPart(item=item.name, code=code, part=CAP_ADJUSTMENT, amount=int(a))
                for code, a in zip(council.codes, adj, strict=True)]
    return alloc, out


def _order(parts: Iterable[StatementPart], codes: tuple[str, ...]) -> tuple[StatementPart, ...]:
    pos = {c: i for i, c in enumerate(codes)}
    return tuple(sorted(parts, key=lambda p: pos[p.code]))


@attrs.frozen(kw_only=True, slots=True)
class Statement(TableView):
    """Every cost item of a council side by side, per member (費用負担明細).

    Build it with :func:`statement`.  Shown as the members × items table (with each member's total
    as the last column) and the parts table (内訳: each share's 均等割, 人口割 and cap adjustment);
    :meth:`to_dataframe` has one row per member and one column per item, and no total row or
    column (the totals are :attr:`member_totals`, :attr:`item_totals` and :attr:`total`).

    Parameters
    ----------
    council
        Name of the council.
    codes, names
        The members, in council order.
    current_costs
        Their current costs (現行経費), for the effect table. [yen]
    items
        The cost items, in the order given.
    shares
        ``shares[k][i]``: member ``i``'s share of item ``k``. [yen]
    parts
        Every member's parts of every item (:class:`StatementPart`), member by member.
    allocations
        Per item, the :class:`~jichitai_cloud.Allocation` of a split item (None for explicit shares),
        with its caps and explanations.
    """

    _INDEX = "code"

    council: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    current_costs: tuple[int, ...]
    items: tuple[CostItem, ...]
    shares: tuple[tuple[int, ...], ...]
    parts: tuple[StatementPart, ...]
    allocations: tuple[Allocation | None, ...]

    # -- access ---------------------------------------------------------------------------------
    @property
    def item_names(self) -> tuple[str, ...]:
        """Names of the items, the columns."""
        return tuple(it.name for it in self.items)

    @property
    def member_totals(self) -> FrozenMap[int]:
        """Member code -> what it pays over all items. [yen]"""
        return FrozenMap({c: sum(row[i] for row in self.shares) for i, c in enumerate(self.codes)})

    @property
    def item_totals(self) -> FrozenMap[int]:
        """Item name -> its total over the members. [yen]"""
        return FrozenMap({it.name: sum(row) for it, row in zip(self.items, self.shares, strict=True)})

    @property
    def total(self) -> int:
        """Everything the members pay. [yen]"""
        return sum(sum(row) for row in self.shares)

    def column(self, item: str) -> FrozenMap[int]:
        """Member code -> share of ``item``. [yen]"""
        k = self._item_index(item)
        return FrozenMap(dict(zip(self.codes, self.shares[k], strict=True)))

    def __getitem__(self, item: str) -> FrozenMap[int]:
        return self.column(item)

    def member_parts(self, code: str) -> dict[tuple[str, str], int]:
        """What member ``code`` pays for: ``(item, part) -> yen``, adding up to its total. [yen]"""
        if code not in self.codes:
            raise UnknownMemberError(f"no member with code {code!r}; members are {list(self.codes)}")
        return {(p.item, p.part): p.amount for p in self.parts if p.code == code}

    def allocation(self, item: str) -> Allocation:
        """The allocation of a split item (its caps, rule shares and explanations)."""
        a = self.allocations[self._item_index(item)]
        if a is None:
            raise ValidationError(f"cost item {item!r} has explicit shares, not an allocation")
        return a

    def _item_index(self, item: str) -> int:
        try:
            return self.item_names.index(item)
        except ValueError:
            raise KeyError(f"no cost item {item!r}; there are {list(self.item_names)}") from None

    def effect_table(self) -> EffectTable:
        """The five-year effect table with every item: current cost against what each member pays in all."""
        totals = self.member_totals
        rows = tuple(EffectRow(code=c, name=n, current_cost=cur, cloud_fee=totals[c])
                     for c, n, cur in zip(self.codes, self.names, self.current_costs, strict=True))
        return EffectTable(rows=rows, title=f"{self.council}: 導入効果 (全費用項目: {'、'.join(self.item_names)})",
                           title_en=f"{self.council}: effect of every cost item ({', '.join(self.item_names)})")

    # -- display --------------------------------------------------------------------------------
    def views(self) -> tuple[DataTable, ...]:
        """The statement (members × items, each member's total as the last column, a 合計 line) and
        its parts (内訳: one row per member, item and part)."""
        items = tuple(Column(name, name, name, "yen", total=True, bilingual=False) for name in self.item_names)
        totals = self.member_totals
        main = DataTable(
            key="statement", title=self._title("ja"), title_en=self._title("en"),
            columns=(*cols("code", "name"), *items, _MEMBER_TOTAL),
            rows=[[c, n, *(row[i] for row in self.shares), totals[c]]
                  for i, (c, n) in enumerate(zip(self.codes, self.names, strict=True))],
            sheet="費用負担明細", sheet_en="Statement", index="code", totals=True)
        name = dict(zip(self.codes, self.names, strict=True))
        parts = DataTable(
            key="parts", title=f"{self.council}: 内訳 (負担額の構成)", title_en=f"{self.council}: parts of each share",
            columns=_PART_COLUMNS,
            rows=[[p.code, name[p.code], p.item, p.part, PART_LABELS.get(p.part, p.part), p.amount] for p in self.parts],
            sheet="内訳", sheet_en="Parts", totals=True)
        return main, parts

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"{self.council}: statement of {len(self.items)} cost items (費用負担明細)"
        return f"{self.council}: 費用負担明細 ({len(self.items)}項目)"

    def summary(self, lang: Lang = "ja") -> str:
        """Each item's total and rule, and the grand total (Japanese; ``lang="en"``: English)."""
        lines = []
        for it, a in zip(self.items, self.allocations, strict=True):
            if lang == "en":
                how = a.rule.describe("en") if a is not None else "explicit shares"
                lines.append(f"{it.name}: {self.item_totals[it.name]:,} yen ({how})")
            else:
                how = a.rule.describe("ja") if a is not None else "団体ごとの個別額"
                lines.append(f"{it.name}: {self.item_totals[it.name]:,}円 ({how})")
        lines.append(f"total: {self.total:,} yen" if lang == "en" else f"合計: {self.total:,}円")
        return "\n".join(lines)

    def to_dataframe(self, table: str | None = None) -> pandas.DataFrame:
        """A table as a pandas DataFrame (the ``pandas`` extra): by default members × items indexed
        by code, with the member's name and one ``int64`` column per item, and no total row or
        column (the totals are :attr:`member_totals`, :attr:`item_totals` and :attr:`total`);
        ``table="parts"``: the parts (:meth:`parts_dataframe`)."""
        # differs from TableView.to_dataframe on purpose: the shown table carries each member's row total
        # beside its items; a frame of data keeps the items only, so summing a row never counts a total twice
        frame = render_frame(self.view(table))
        return frame.drop(columns=[_MEMBER_TOTAL.key]) if _MEMBER_TOTAL.key in frame.columns else frame

    def parts_dataframe(self) -> pandas.DataFrame:
        """The parts as a long pandas DataFrame (``df.groupby("code")["amount"].sum()`` = the member totals)."""
        return render_frame(self.view("parts"))

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        body = ", ".join(f"{c}={t:,}" for c, t in self.member_totals.items())
        return f"Statement({self.council!r}, items={list(self.item_names)}, {body})"


def statement(council: Consortium, items: Iterable[CostItem]) -> Statement:
    """Every cost item of ``council`` in one statement (費用負担明細).

    Parameters
    ----------
    council
        The council (members, populations, current costs, months on the cloud).
    items
        The cost items (:class:`CostItem`, or a result with ``as_cost_item()`` such as a
        :class:`~jichitai_cloud.billing.MonthlyBill`, the cloud bill), names unique: a total split by its own rule, through
        the same pipeline as :func:`~jichitai_cloud.allocate` (its months, guarantee and rounding),
        or explicit shares per member code.

    Returns
    -------
    Statement
        Shares per member and item, each split into its parts; each item's shares add up to its
        total exactly, so the member totals add up to the sum of the item totals.

    Raises
    ------
    ValidationError
        No items, a repeated name, or an item that is not a :class:`CostItem`.
    UnknownMemberError
        Explicit shares for a code that is not a member.
    InfeasibleAllocation
        An item whose guarantee cannot be met.

    Examples
    --------
    >>> from jichitai_cloud import AllocationRule, examples
    >>> council = examples.toyama()
    >>> s = statement(council, [
    ...     CostItem("クラウド利用料", total=1_390_000_000, rule=AllocationRule(ratios="3:7", min_reduction=0.3)),
    ...     CostItem("データ抽出", shares={"A": 1_200_000, "C": 800_000}),
    ... ])
    >>> s.total, s.member_totals["C"]
    (1392000000, 175800000)
    """
    if not isinstance(council, Consortium):
        raise ValidationError(f"council must be a Consortium, got {council!r}")
    # a result that is a cost item (e.g. a billing.MonthlyBill) hands itself over as one
    items = tuple(it.as_cost_item() if not isinstance(it, CostItem) and hasattr(it, "as_cost_item") else it
                  for it in items)
    if not items:
        raise ValidationError("a statement needs at least one cost item")
    seen: set[str] = set()
    for k, it in enumerate(items):
        if not isinstance(it, CostItem):
            raise ValidationError(f"items[{k}] must be a CostItem, got {it!r}")
        if it.name in seen:
            raise ValidationError(f"items[{k}]: cost item name {it.name!r} is used twice")
        seen.add(it.name)
    codes = council.codes
    shares: list[tuple[int, ...]] = []
    parts: list[StatementPart] = []
    allocations: list[Allocation | None] = []
    for it in items:  # a bounded loop over the council's items; members are arrays inside
        if it.shares is not None:
            unknown = [c for c in it.shares if c not in council]
            if unknown:
                raise UnknownMemberError(f"cost item {it.name!r}: shares for unknown member"
                                         f"{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
                                         f"members are {list(codes)}")
            row = tuple(int(it.shares.get(c, 0)) for c in codes)
            parts += [StatementPart(item=it.name, code=c, part=EXPLICIT, amount=x) for c, x in zip(codes, row,
                                                                                                 strict=True)]
            allocations.append(None)
        else:
            alloc, item_parts = _split_item(council, it)
            row = alloc.shares
            parts += item_parts
            allocations.append(alloc)
        shares.append(row)
    return Statement(council=council.name, codes=codes, names=tuple(m.name for m in council.members),
                     current_costs=tuple(m.current_cost for m in council.members), items=items,
                     shares=tuple(shares), parts=_order(parts, codes), allocations=tuple(allocations))
