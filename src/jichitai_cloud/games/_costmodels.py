"""Coalition cost models a council can actually supply (連携の費用モデル).

A cooperative-game analysis needs the cost of every group of members procuring on its own.  A
council never has all ``2**n`` figures; it has:

- :class:`QuoteTable`: a vendor's quotes for some named groups, the rest completed by
  a stated rule (the cheapest split of a group into quoted groups and stand-alone members), the
  completion reported;
- :class:`ScaleEconomyModel`: a cost curve ``F + a * size**b`` (a fixed platform cost plus a
  per-capita cost with economies of scale), fitted to a vendor's quotes for a few coalition sizes;
- stand-alone costs from each member's current cost (現行経費): both models take a member alone to
  cost its :attr:`~jichitai_cloud.Municipality.current_cost` unless told otherwise.

Each model turns a list of members into a :class:`CoalitionCosts`: integer yen for every
coalition, indexed by bitmask in member order, with where each figure came from.  The files these
models are read from (CSV of quotes, TOML or JSON) are read by :func:`jichitai_cloud.io.load_cost_model`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._display import Column, Lang, TableView, check_lang, col, render_text
from .._numeric import readonly
from ..errors import GameError, UnknownMemberError, ValidationError
from ..model import Municipality
from ._kernels import coalition_sums, complete_partition, fit_power_cost, members_of, restrict

__all__ = [
    "COMPLETION_RULES",
    "CoalitionCosts",
    "CostModel",
    "GroupQuote",
    "QuoteTable",
    "ScaleEconomyModel",
    "SizeQuote",
]

COMPLETION_RULES = ("cheapest_partition", "sum_of_standalone")
"""How a :class:`QuoteTable` prices a group it has no quote for."""

ORIGIN_QUOTED, ORIGIN_COMPLETED, ORIGIN_CURRENT_COST, ORIGIN_MODEL = 0, 1, 2, 3
_ORIGIN_NAMES = ("quoted", "completed", "current cost", "model")
_ORIGIN_NOTE_JA = ("出所: quoted = 見積り、completed = 見積りのないグループを補完した値、"
                   "current cost = 団体の現行経費、model = 費用モデルによる推計")
_MAX_MEMBERS = 24
_DRIVER_JA = {"population": "人口", "equal": "1"}


def _int64_array(a: Any) -> NDArray[np.int64]:
    return readonly(a, np.int64)


def _int8_array(a: Any) -> NDArray[np.int8]:
    return readonly(a, np.int8)


def _str_tuple(a: Any) -> tuple[str, ...]:
    return tuple(a)


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class CoalitionCosts(TableView):
    """The cost of every coalition of a council's members, in integer yen.

    Parameters
    ----------
    codes
        Member codes in member order (bit ``i`` of a coalition's bitmask is member ``codes[i]``).
    costs
        Read-only int64 array of length ``2**n`` indexed by bitmask; ``costs[0] == 0``. [yen]
    origin
        Read-only array of the same length: where each figure came from (0 quoted, 1 completed by
        the table's rule, 2 the member's current cost, 3 the fitted model).
    rule
        How the figures were made (one sentence, for reports), in Japanese.
    notes
        What a secretariat should know (completed groups, inconsistent quotes, ignored quotes), in
        Japanese.
    rule_en, notes_en
        The same in English (:meth:`rule_in` and :meth:`notes_in` pick the language).
    """

    codes: tuple[str, ...] = attrs.field(converter=_str_tuple)
    costs: NDArray[np.int64] = attrs.field(converter=_int64_array)
    origin: NDArray[np.int8] = attrs.field(converter=_int8_array)
    rule: str = attrs.field(default="", validator=v.text())
    notes: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    rule_en: str = attrs.field(default="", validator=v.text())
    notes_en: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def rule_in(self, lang: Lang = "ja") -> str:
        """:attr:`rule` in ``lang`` (English: :attr:`rule_en`, or :attr:`rule` where none is given)."""
        return (self.rule_en or self.rule) if lang == "en" else self.rule

    def notes_in(self, lang: Lang = "ja") -> tuple[str, ...]:
        """:attr:`notes` in ``lang`` (English: :attr:`notes_en`, or :attr:`notes` where none is given)."""
        return (self.notes_en or self.notes) if lang == "en" else self.notes

    def _texts(self) -> dict[str, Any]:
        return {"rule": self.rule, "notes": self.notes, "rule_en": self.rule_en, "notes_en": self.notes_en}

    def __attrs_post_init__(self) -> None:
        n = len(self.codes)
        if self.costs.shape != (1 << n,) or self.origin.shape != (1 << n,):
            raise GameError(f"costs and origin must have length 2**{n} = {1 << n} for {n} members, "
                            f"got {self.costs.shape} and {self.origin.shape}")
        if n and (self.costs[0] != 0 or (self.costs < 0).any()):
            raise GameError("costs must be >= 0 [yen] with costs[0] (the empty coalition) = 0")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CoalitionCosts):
            return NotImplemented
        return (self.codes == other.codes and self._texts() == other._texts()
                and np.array_equal(self.costs, other.costs) and np.array_equal(self.origin, other.origin))

    def __hash__(self) -> int:
        return hash((self.codes, self.rule, self.notes, self.rule_en, self.notes_en, self.costs.tobytes(),
                     self.origin.tobytes()))

    @property
    def n(self) -> int:
        """Number of members."""
        return len(self.codes)

    def mask(self, codes: Iterable[str]) -> int:
        """Bitmask of the coalition of ``codes``."""
        out = 0
        for c in codes:
            if c not in self.codes:
                raise UnknownMemberError(f"no member with code {c!r}; members are {list(self.codes)}")
            out |= 1 << self.codes.index(c)
        return out

    def members(self, mask: int) -> tuple[str, ...]:
        """Codes of the members of coalition ``mask``."""
        return tuple(self.codes[i] for i in members_of(int(mask), self.n))

    def cost(self, codes: Iterable[str]) -> int:
        """Cost of the coalition of ``codes``. [yen]"""
        return int(self.costs[self.mask(codes)])

    @property
    def standalone(self) -> tuple[int, ...]:
        """Each member's cost alone, ``c({i})``. [yen]"""
        return tuple(int(x) for x in self.costs[np.left_shift(1, np.arange(self.n))])

    @property
    def grand(self) -> int:
        """Cost of the whole council, ``c(N)``. [yen]"""
        return int(self.costs[-1])

    @property
    def completed(self) -> tuple[tuple[str, ...], ...]:
        """The coalitions whose cost the completion rule supplied (not quoted)."""
        return tuple(self.members(int(s)) for s in np.flatnonzero(self.origin == ORIGIN_COMPLETED))

    def subgame(self, codes: Sequence[str]) -> CoalitionCosts:
        """The costs of the coalitions of some members only (e.g. after one leaves), in that order."""
        keep = [self.codes.index(c) if c in self.codes else -1 for c in codes]
        if -1 in keep:
            raise UnknownMemberError(f"unknown member codes {[c for c in codes if c not in self.codes]}")
        return CoalitionCosts(codes=tuple(codes), costs=restrict(self.costs, keep),
                              origin=restrict(self.origin, keep), **self._texts())

    def with_grand(self, cost: int) -> CoalitionCosts:
        """A copy whose grand coalition costs ``cost`` (e.g. the fee an allocation actually splits)."""
        c = np.array(self.costs)
        c[-1] = cost
        return CoalitionCosts(codes=self.codes, costs=c, origin=self.origin, **self._texts())

    # -- display: one row per non-empty coalition, by size then bitmask ---------------------------
    _COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("coalition", "グループ (団体コード)", "Coalition (codes)", "text"), col("cost"),
        Column("origin", "出所", "Origin", "code"))
    _KEY = "coalition_costs"
    _SHEET = ("グループ別費用", "Coalition costs")

    def _rows(self, limit: int | None = None) -> list[list[Any]]:
        masks = np.arange(1, 1 << self.n)
        order = np.lexsort((masks, coalition_sums(np.ones(self.n, dtype=np.int64))[1:]))
        rows = []
        for s in masks[order][: limit if limit is not None else None]:
            rows.append([" ".join(self.members(int(s))), int(self.costs[s]), _ORIGIN_NAMES[int(self.origin[s])]])
        return rows

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"coalition costs ({2**self.n - 1} coalitions of {self.n} members): {self.rule_in('en')}"
        return f"グループ別の費用 ({self.n}団体の {2**self.n - 1} 通りのグループ): {self.rule}"

    def _notes(self, lang: Lang = "ja") -> tuple[str, ...]:
        return (_ORIGIN_NOTE_JA,) if lang == "ja" else ()

    def summary(self, lang: Lang = "ja") -> str:
        """The notes, one line each."""
        return "\n".join(f"{'注' if lang == 'ja' else 'note'}: {x}" for x in self.notes_in(lang))

    def to_text(self, lang: Lang = "ja", *, limit: int | None = 64) -> str:
        """The table as text (the first ``limit`` coalitions by size; ``None`` for all), then the notes."""
        lang = check_lang(lang)
        table = attrs.evolve(self.view(), rows=self._rows(limit))
        lines = self.summary(lang)
        return render_text(table, lang) + (f"\n{lines}" if lines else "")

    def __repr__(self) -> str:
        kinds = np.bincount(self.origin, minlength=4)
        return (f"CoalitionCosts(codes={self.codes!r}, grand={self.grand:,}, quoted={int(kinds[0])}, "
                f"completed={int(kinds[1])}, current_cost={int(kinds[2])}, model={int(kinds[3])})")


class CostModel(Protocol):
    """Anything that prices every coalition of a list of members."""

    def coalition_costs(self, members: Sequence[Municipality], *, strict: bool = True) -> CoalitionCosts:
        """The cost of every coalition of ``members`` (in that order)."""
        ...


# ----------------------------------------------------------------------------------------------
# quotes for named groups
# ----------------------------------------------------------------------------------------------
def _split_codes(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(x for x in value.replace("+", " ").replace("・", " ").replace(";", " ").split() if x)
    return v.to_tuple(value)


@attrs.frozen(kw_only=True, slots=True)
class GroupQuote:
    """A vendor's quote for a named group of members procuring together.

    Parameters
    ----------
    members
        Codes of the members in the group (a list, or text such as ``"A B"`` or ``"A+B"``).
    cost
        The quoted cost over the council's evaluation period, before tax. [yen]
    note
        Where the quote comes from.
    """

    members: tuple[str, ...] = attrs.field(converter=_split_codes, validator=v.member_codes(min_items=1))
    cost: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="yen"))
    note: str = attrs.field(default="", validator=v.text())


def _quotes(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise ValidationError(f"{attribute.name} must be a list of quotes, got {value!r}")
    seen: dict[frozenset[str], int] = {}
    for i, q in enumerate(value):
        if not isinstance(q, GroupQuote):
            raise ValidationError(f"{attribute.name}[{i}] must be a GroupQuote, got {q!r}")
        key = frozenset(q.members)
        if key in seen:
            raise ValidationError(f"{attribute.name}[{i}] quotes the group {' '.join(sorted(key))} again "
                                  f"(first in {attribute.name}[{seen[key]}])")
        seen[key] = i


@attrs.frozen(kw_only=True, slots=True)
class QuoteTable:
    """Coalition costs from a vendor's quotes for named groups, completed by a stated rule.

    Parameters
    ----------
    quotes
        Quotes for groups of members (at least the whole council, usually).
    completion
        How a group without a quote is priced: ``"cheapest_partition"`` (default): the least total
        over the ways of splitting it into quoted groups and stand-alone members (a group can
        always procure as separate parts, so it never costs more); ``"sum_of_standalone"``: the
        sum of its members' stand-alone costs (no savings assumed).
    standalone
        Where a member's cost alone comes from when it is not quoted: ``"current_cost"`` (default,
        its 現行経費) or ``"quoted"`` (every member must have a quote of its own).
    source
        Citation of the quotes.
    notes
        What is illustrative or assumed.

    Examples
    --------
    >>> table = QuoteTable(quotes=[GroupQuote(members="A B", cost=700), GroupQuote(members=["A"], cost=500)])
    """

    quotes: tuple[GroupQuote, ...] = attrs.field(converter=v.to_tuple, validator=_quotes)
    completion: str = attrs.field(default="cheapest_partition", validator=v.one_of(COMPLETION_RULES))
    standalone: str = attrs.field(default="current_cost", validator=v.one_of(("current_cost", "quoted")))
    source: str = attrs.field(default="", validator=v.text())
    notes: str = attrs.field(default="", validator=v.text())

    def coalition_costs(self, members: Sequence[Municipality], *, strict: bool = True) -> CoalitionCosts:
        """The cost of every coalition of ``members``, completed by :attr:`completion`.

        Parameters
        ----------
        members
            The members, in the order of the bits of the result.
        strict
            Raise for a quote that names a code not among ``members`` (a typo, usually); with
            ``False`` such quotes are left out and counted in the notes (used for a council after a
            member leaves, or before a candidate joins).

        Raises
        ------
        UnknownMemberError
            A quote names a non-member (``strict``).
        GameError
            More than 24 members, or a member without a stand-alone cost.
        """
        codes = tuple(m.code for m in members)
        n = len(codes)
        if not 1 <= n <= _MAX_MEMBERS:
            raise GameError(f"a quote table can be completed for 1..{_MAX_MEMBERS} members, got {n}")
        index = {c: i for i, c in enumerate(codes)}
        costs = np.zeros(1 << n, dtype=np.int64)
        known = np.zeros(1 << n, dtype=bool)
        known[0] = True
        outside = []
        for i, q in enumerate(self.quotes):
            unknown = [c for c in q.members if c not in index]
            if unknown:
                if strict:
                    raise UnknownMemberError(f"quotes[{i}] names {unknown}, not members of the council "
                                             f"({list(codes)})")
                outside.append(i)
                continue
            s = sum(1 << index[c] for c in q.members)
            costs[s] = q.cost
            known[s] = True
        origin = np.where(known, ORIGIN_QUOTED, ORIGIN_COMPLETED).astype(np.int8)
        single = np.left_shift(1, np.arange(n))
        missing_alone = ~known[single]
        if missing_alone.any():
            if self.standalone == "quoted":
                raise GameError(f"members {[codes[i] for i in np.flatnonzero(missing_alone)]} have no quote "
                                "of their own (standalone='quoted')")
            current = np.array([m.current_cost for m in members], dtype=np.int64)
            costs[single[missing_alone]] = current[missing_alone]
            known[single[missing_alone]] = True
            origin[single[missing_alone]] = ORIGIN_CURRENT_COST
        notes: list[tuple[str, str]] = []
        if self.completion == "sum_of_standalone":
            filled = coalition_sums(costs[single])
            costs = np.where(known, costs, filled)
            rule = ("見積り。見積りのないグループは構成団体の単独費用の合計",
                    "quotes; other groups at the sum of their members' stand-alone costs")
        else:
            done, _, split = complete_partition(costs, known)
            cheaper = known & (split < costs)
            costs = np.where(known, costs, np.rint(done).astype(np.int64))
            rule = ("見積り。見積りのないグループは、見積りのあるグループと単独の団体に分けた場合の最も安い費用",
                    "quotes; other groups at their cheapest split into quoted groups and members alone")
            for g in np.flatnonzero(cheaper):
                group = [codes[i] for i in members_of(int(g), n)]
                notes.append((f"{'・'.join(group)} の見積り ({int(costs[g]):,}円) は、ほかの見積りに分けた場合の"
                              f"最も安い費用 ({round(float(split[g])):,}円) を上回ります: このグループは分かれて"
                              "調達したほうが安くなります。",
                              f"the quote for {' '.join(group)} "
                              f"({int(costs[g]):,} yen) exceeds the cheapest split into other quotes "
                              f"({round(float(split[g])):,} yen): that group would rather procure in parts"))
        n_completed = int((~known).sum())
        if n_completed:
            notes.insert(0, (f"{2**n - 1} 通りのグループのうち {n_completed} 通りは見積りがないため補完しました"
                             f" ({rule[0]})。",
                             f"{n_completed} of {2**n - 1} coalitions had no quote and were completed ({rule[1]})"))
        if not known[-1]:
            notes.append(("全団体での見積りがないため、その費用は補完した値です: 見積りのあるグループを超える"
                          "削減効果はないものとして分析しています。",
                          "the whole council had no quote: its cost was completed, so the analysis assumes "
                          "no savings beyond the quoted groups"))
        if outside:
            notes.append((f"この協議会に属さない団体を含む見積り {len(outside)} 件は除外しました。",
                          f"{len(outside)} quote(s) name members outside this council and were left out"))
        return CoalitionCosts(codes=codes, costs=costs, origin=origin, rule=rule[0], rule_en=rule[1],
                              notes=tuple(ja for ja, _ in notes), notes_en=tuple(en for _, en in notes))


# ----------------------------------------------------------------------------------------------
# a fitted cost curve with economies of scale
# ----------------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class SizeQuote:
    """A vendor's quote for a council of a given size.

    Parameters
    ----------
    size
        The coalition's total of the model's driver, e.g. its population. [persons, or the driver's unit]
    cost
        The quoted cost over the evaluation period. [yen]
    note
        Where the quote comes from.
    """

    size: float = attrs.field(validator=v.real(min=0, min_exclusive=True))
    cost: int = attrs.field(converter=v.to_int, validator=v.integer(min=1, unit="yen"))
    note: str = attrs.field(default="", validator=v.text())


@attrs.frozen(kw_only=True, slots=True)
class ScaleEconomyModel:
    """Coalition cost ``F + a * size(S) ** b``: a fixed platform cost plus a per-capita cost with
    economies of scale (``b < 1``: the cost per resident falls as the council grows).

    Parameters
    ----------
    fixed
        ``F``, the fixed platform cost over the evaluation period. [yen]
    per_unit
        ``a``, the variable cost coefficient. [yen / size**b]
    exponent
        ``b``; below 1 for economies of scale. [1]
    driver
        The member driver whose sum over a coalition is its size: ``"population"`` (default),
        ``"equal"`` (the number of members) or a name in :attr:`Municipality.drivers`.
    standalone
        ``"current_cost"`` (default): a member alone keeps its current system and pays its
        current cost (現行経費); ``"model"``: it pays the curve's price for its own size.
    quotes
        The quotes the curve was fitted to (kept for the record).
    fit_error
        Root mean square relative error of the fit to :attr:`quotes`, if fitted. [1]
    source, notes
        Citation and caveats.

    Notes
    -----
    Costs are rounded to integer yen (half to even).  Use :meth:`fit` to estimate the parameters
    from a vendor's quotes.
    """

    fixed: float = attrs.field(validator=v.real(min=0, unit="yen"))
    per_unit: float = attrs.field(validator=v.real(min=0))
    exponent: float = attrs.field(validator=v.real(min=0, max=3, min_exclusive=True))
    driver: str = attrs.field(default="population", validator=v.non_empty_text())
    standalone: str = attrs.field(default="current_cost", validator=v.one_of(("current_cost", "model")))
    quotes: tuple[SizeQuote, ...] = attrs.field(default=(), converter=v.to_tuple)
    fit_error: float | None = attrs.field(default=None, validator=v.real(min=0, optional=True))
    source: str = attrs.field(default="", validator=v.text())
    notes: str = attrs.field(default="", validator=v.text())

    @classmethod
    def fit(cls, quotes: Iterable[SizeQuote | tuple[float, int]], *, driver: str = "population",
            standalone: str = "current_cost", exponent: float | None = None, source: str = "",
            notes: str = "") -> ScaleEconomyModel:
        """Fit the curve to quotes for a few coalition sizes (relative least squares, ``F, a >= 0``).

        Parameters
        ----------
        quotes
            :class:`SizeQuote` or ``(size, cost)`` pairs; at least three different sizes (two if
            ``exponent`` is given).
        driver, standalone, source, notes
            As for the class.
        exponent
            Fix ``b`` instead of fitting it. [1]

        References
        ----------
        See :func:`jichitai_cloud.games.fit_power_cost`.
        """
        qs = tuple(q if isinstance(q, SizeQuote) else SizeQuote(size=float(q[0]), cost=int(q[1]))
                   for q in quotes)
        fixed, per_unit, b, err = fit_power_cost([q.size for q in qs], [q.cost for q in qs], exponent=exponent)
        return cls(fixed=fixed, per_unit=per_unit, exponent=b, driver=driver, standalone=standalone,
                   quotes=qs, fit_error=err, source=source, notes=notes)

    def cost_of(self, size: float) -> int:
        """The curve's price for a coalition of total ``size`` (0 for size 0). [yen]"""
        if size <= 0:
            return 0
        return int(np.rint(self.fixed + self.per_unit * float(size) ** self.exponent))

    def coalition_costs(self, members: Sequence[Municipality], *, strict: bool = True) -> CoalitionCosts:
        """The curve's cost for every coalition of ``members`` (members alone per :attr:`standalone`).

        ``strict`` is accepted for interface compatibility (the model names no members).
        """
        codes = tuple(m.code for m in members)
        n = len(codes)
        if not 1 <= n <= _MAX_MEMBERS:
            raise GameError(f"the model prices councils of 1..{_MAX_MEMBERS} members, got {n}")
        sizes = coalition_sums(np.array([m.driver(self.driver) for m in members], dtype=np.float64))
        raw = self.fixed + self.per_unit * np.power(np.maximum(sizes, 0.0), self.exponent)
        costs = np.where(np.arange(1 << n) > 0, np.rint(raw), 0).astype(np.int64)
        origin = np.full(1 << n, ORIGIN_MODEL, dtype=np.int8)
        rule = (f"cost = {self.fixed:,.0f} + {self.per_unit:.6g} * {self.driver}^{self.exponent:.4f}"
                + (", members alone at their current cost" if self.standalone == "current_cost" else ""))
        driver_ja = _DRIVER_JA.get(self.driver, self.driver)
        rule_ja = (f"費用 = {self.fixed:,.0f} + {self.per_unit:.6g} × {driver_ja}^{self.exponent:.4f}"
                   + ("、単独の団体は現行経費" if self.standalone == "current_cost" else ""))
        if self.standalone == "current_cost":
            single = np.left_shift(1, np.arange(n))
            costs[single] = [m.current_cost for m in members]
            origin[single] = ORIGIN_CURRENT_COST
        notes: list[tuple[str, str]] = []
        if self.fit_error is not None:
            notes.append((f"見積り {len(self.quotes)} 件に当てはめた曲線です (相対誤差の二乗平均平方根 "
                          f"{self.fit_error:.2%})。",
                          f"fitted to {len(self.quotes)} quotes, rms relative error {self.fit_error:.2%}"))
        return CoalitionCosts(codes=codes, costs=costs, origin=origin, rule=rule_ja, rule_en=rule,
                              notes=tuple(ja for ja, _ in notes), notes_en=tuple(en for _, en in notes))
