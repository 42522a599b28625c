"""Continue or switch, in money (サービス継続・切替の判断): every option priced over the next period.

:func:`compare_renewal` prices each :class:`~jichitai_cloud.renewal.RenewalOption` over the horizon
for the council and for each member, exactly in integer yen, with its present value, its difference
to the incumbent (the first option: continue) and the break-even points at which the decision flips;
with ``samples``, how likely each option is the cheapest under uncertain fees, one-offs and price
changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, DataTable, Lang, TableView, cols
from .._frozenmap import FrozenMap
from ..calendar import Month
from ..errors import UnknownMemberError, ValidationError
from ..model import Consortium
from ._breakeven import BreakEven, break_even
from ._exact import ITEMS, block_fee_table, check_members, fee_path, member_split
from ._kernels import block_weights, option_values
from ._options import RenewalOption
from ._uncertainty import check_uncertain, sample_values

__all__ = ["LEVELS", "RenewalComparison", "compare_renewal"]

LEVELS = (0.05, 0.5, 0.95)
"""Default quantile levels of the difference to the incumbent."""

_OPTION_COLUMNS = (
    Column("option", "選択肢", "Option", "text"),
    Column("fees", "利用料計", "Fees", "yen"),
    Column("double_running", "二重稼働", "Double running", "yen"),
    Column("one_off", "一時経費 (再調達・データ移行等)", "One-off costs", "yen"),
    Column("total", "費用計", "Total", "yen"),
    Column("present_value", "現在価値", "Present value", "number", decimals=0),
    Column("difference", "継続との差額", "Difference to continuing", "yen"),
    Column("pv_difference", "継続との差額 (現在価値)", "PV difference to continuing", "number", decimals=0),
    Column("break_even_one_off", "損益分岐 一時経費", "Break-even one-off cost", "yen"),
    Column("break_even_fee", "損益分岐 月額利用料", "Break-even monthly fee", "yen"),
    Column("fee_change", "損益分岐までの月額の増減", "Fee change to break even", "yen"),
    Column("break_even_horizon", "損益分岐 期間", "Break-even horizon", "months"),
    Column("availability", "稼働率 (想定)", "Expected availability", "percent", decimals=2),
    Column("incidents", "障害件数/年 (想定)", "Incidents a year", "number", decimals=1),
    Column("source", "出典", "Source", "text"),
)


@attrs.frozen(kw_only=True, slots=True)
class RenewalComparison(TableView):
    """The renewal options priced side by side (サービス継続・切替の判断).

    Build it with :func:`compare_renewal`.  Shown as the options table (totals, present values,
    differences to continuing, break-even points, service levels, and with samples the probability
    of being cheapest and quantiles of the difference) and the members table (each member's cost
    under each option and its difference to continuing).

    Parameters
    ----------
    council
        Name of the council.
    codes, names, current_costs
        The members in council order and their current costs (現行経費). [yen]
    period_months
        The council's evaluation period, over which ``current_costs`` run. [months]
    options
        The options; the first is the incumbent (continue).
    horizon_months, discount_rate, start
        The horizon [months], the yearly discount rate [1/year] and the first month (or None).
    parts
        ``parts[k][i]``: member ``i``'s (fees, double running, council one-off, own one-off) under
        option ``k``. [yen]
    fee_tables
        Per option, the fee of each 12-month block (the council's, summed over members). [yen/month]
    present_values
        Per option. [yen]
    member_present_values
        ``[k][i]``: member ``i``'s present value under option ``k``. [yen]
    break_evens
        Per non-incumbent option, its :class:`BreakEven` (None for the incumbent).
    samples, probability, levels, quantiles
        With uncertain inputs: the number of samples, the probability each option is the cheapest,
        the quantile levels and ``quantiles[k][q]`` of option ``k``'s present value minus the
        incumbent's. [1], [yen]
    """

    council: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    current_costs: tuple[int, ...]
    period_months: int
    options: tuple[RenewalOption, ...]
    horizon_months: int
    discount_rate: float
    start: Month | None
    parts: tuple[tuple[tuple[int, int, int, int], ...], ...]
    fee_tables: tuple[tuple[int, ...], ...]
    present_values: tuple[float, ...]
    member_present_values: tuple[tuple[float, ...], ...]
    break_evens: tuple[BreakEven | None, ...]
    samples: int | None = None
    probability: tuple[float, ...] | None = None
    levels: tuple[float, ...] = LEVELS
    quantiles: tuple[tuple[float, ...], ...] | None = None

    # -- values ---------------------------------------------------------------------------------
    @property
    def option_names(self) -> tuple[str, ...]:
        """The options' names; the first is the incumbent."""
        return tuple(o.name for o in self.options)

    @property
    def incumbent(self) -> str:
        """The incumbent option (continue)."""
        return self.options[0].name

    def _k(self, name: str) -> int:
        try:
            return self.option_names.index(name)
        except ValueError:
            raise KeyError(f"no option {name!r}; options are {list(self.option_names)}") from None

    def member_costs(self, name: str) -> FrozenMap[int]:
        """Member code -> its cost over the horizon under option ``name``. [yen]"""
        return FrozenMap({c: sum(p) for c, p in zip(self.codes, self.parts[self._k(name)], strict=True)})

    def member_parts(self, name: str, code: str) -> dict[str, int]:
        """Member ``code``'s cost under option ``name`` in its parts (利用料, 二重稼働, 再調達, データ移行等). [yen]"""
        if code not in self.codes:
            raise UnknownMemberError(f"no member {code!r}; members are {list(self.codes)}")
        return dict(zip(ITEMS, self.parts[self._k(name)][self.codes.index(code)], strict=True))

    def total(self, name: str) -> int:
        """Option ``name``'s cost over the horizon, all members together. [yen]"""
        return sum(sum(p) for p in self.parts[self._k(name)])

    def part_totals(self, name: str) -> dict[str, int]:
        """Option ``name``'s cost in its parts, all members together. [yen]"""
        rows = self.parts[self._k(name)]
        return {item: sum(r[j] for r in rows) for j, item in enumerate(ITEMS)}

    def present_value(self, name: str) -> float:
        """Option ``name``'s present value at the discount rate (one-offs and double running at month 0). [yen]"""
        return self.present_values[self._k(name)]

    def difference(self, name: str) -> int:
        """Option ``name``'s total minus the incumbent's (negative: switching saves). [yen]"""
        return self.total(name) - self.total(self.incumbent)

    def member_differences(self, name: str) -> FrozenMap[int]:
        """Member code -> its cost under ``name`` minus under the incumbent (positive: it pays more). [yen]"""
        a, b = self.parts[self._k(name)], self.parts[0]
        return FrozenMap({c: sum(x) - sum(y) for c, x, y in zip(self.codes, a, b, strict=True)})

    def break_even(self, name: str) -> BreakEven:
        """The break-even points of a non-incumbent option (see :class:`BreakEven`)."""
        be = self.break_evens[self._k(name)]
        if be is None:
            raise ValidationError(f"{name!r} is the incumbent: it has no break-even against itself")
        return be

    @property
    def cheapest(self) -> str:
        """The option with the least present value (ties to the earlier option)."""
        return self.option_names[int(np.argmin(np.asarray(self.present_values)))]

    @property
    def probability_cheapest(self) -> FrozenMap[float]:
        """Option name -> share of samples in which it is the cheapest by present value (adds up to 1). [1]

        Without samples, 1 for :attr:`cheapest` and 0 for the others.
        """
        if self.probability is None:
            return FrozenMap({n: float(n == self.cheapest) for n in self.option_names})
        return FrozenMap(dict(zip(self.option_names, self.probability, strict=True)))

    def difference_quantiles(self, name: str) -> FrozenMap[float]:
        """Level -> quantile of ``name``'s present value minus the incumbent's over the samples. [yen]"""
        if self.quantiles is None:
            d = self.present_value(name) - self.present_value(self.incumbent)
            return FrozenMap({f"{q:g}": d for q in self.levels})
        return FrozenMap({f"{q:g}": x for q, x in zip(self.levels, self.quantiles[self._k(name)], strict=True)})

    def cumulative(self, name: str) -> NDArray[np.int64]:
        """Option ``name``'s cumulative cost at the end of each month ``0 .. H - 1``, one-offs and double
        running in month 0. [yen]"""
        k = self._k(name)
        path = np.cumsum(fee_path(np.asarray(self.fee_tables[k], dtype=np.int64), self.horizon_months))
        upfront = self.total(name) - int(path[-1])
        return path + upfront

    # -- display --------------------------------------------------------------------------------
    def _option_rows(self) -> list[list[Any]]:
        rows = []
        inc_total, inc_pv = self.total(self.incumbent), self.present_values[0]
        for k, opt in enumerate(self.options):
            pt = self.part_totals(opt.name)
            be = self.break_evens[k]
            svc = opt.service
            rows.append([opt.name, pt[ITEMS[0]], pt[ITEMS[1]], pt[ITEMS[2]] + pt[ITEMS[3]], self.total(opt.name),
                         self.present_values[k], self.total(opt.name) - inc_total, self.present_values[k] - inc_pv,
                         None if be is None else be.one_off, None if be is None else be.fee,
                         None if be is None else be.fee_change, None if be is None else be.horizon,
                         None if svc is None else svc.availability, None if svc is None else svc.incidents_per_year,
                         "" if svc is None else svc.source])
        return rows

    def views(self) -> tuple[DataTable, ...]:
        """The options table, the members table and, with samples, the uncertainty table."""
        options = DataTable(key="options", title=self._title("ja"), title_en=self._title("en"),
                            columns=_OPTION_COLUMNS, rows=self._option_rows(), sheet="選択肢比較",
                            sheet_en="Options", index="option", notes=self._notes("ja"), notes_en=self._notes("en"))
        member_cols: list[Column] = [*cols("code", "name")]
        for k, name in enumerate(self.option_names):
            member_cols.append(Column(f"cost_{k}", f"{name} 費用計", f"{name}: total", "yen", total=True,
                                      bilingual=False))
            if k:
                member_cols.append(Column(f"difference_{k}", f"{name} 継続との差額", f"{name}: difference", "yen",
                                          total=True, bilingual=False))
        costs = [[sum(p) for p in rows] for rows in self.parts]
        mrows = []
        for i, (c, nm) in enumerate(zip(self.codes, self.names, strict=True)):
            row: list[Any] = [c, nm, costs[0][i]]
            for k in range(1, len(self.options)):
                row += [costs[k][i], costs[k][i] - costs[0][i]]
            mrows.append(row)
        members = DataTable(key="members", title=f"{self.council}: 団体別の費用 ({self.horizon_months}か月)",
                            title_en=f"{self.council}: cost per member ({self.horizon_months} months)",
                            columns=tuple(member_cols), rows=mrows, sheet="団体別費用", sheet_en="Members",
                            index="code", totals=True)
        out = [options, members]
        if self.samples is not None:
            qcols = [Column(f"q{q:g}", f"差額 {q:.0%}点", f"Difference, {q:.0%} quantile", "number", decimals=0)
                     for q in self.levels]
            prob = self.probability_cheapest
            urows = [[n, prob[n], *self.difference_quantiles(n).values()] for n in self.option_names]
            out.append(DataTable(
                key="uncertainty", title=f"{self.council}: 不確実性 ({self.samples:,}回の試行)",
                title_en=f"{self.council}: uncertainty ({self.samples:,} samples)",
                columns=(Column("option", "選択肢", "Option", "text"),
                         Column("probability", "最安となる確率", "Probability cheapest", "percent"), *qcols),
                rows=urows, sheet="不確実性", sheet_en="Uncertainty", index="option"))
        return tuple(out)

    def _notes(self, lang: Lang = "ja") -> tuple[str, ...]:
        if lang == "en":
            return (f"{self.horizon_months} months, discount rate {self.discount_rate:.2%} a year (month m discounted "
                    "by (1 + rate)^(m/12); one-offs and double running in month 0). Differences are against "
                    "continuing (the first option).",)
        return (f"期間 {self.horizon_months}か月、割引率 年{self.discount_rate:.2%} (月mを(1+割引率)^(m/12)で割引、"
                "一時経費と二重稼働は0か月目)。差額は継続 (第1の選択肢) との差。",)

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"{self.council}: continue or switch ({self.horizon_months} months)"
        return f"{self.council}: サービス継続・切替の判断 ({self.horizon_months}か月)"

    def summary(self, lang: Lang = "ja") -> str:
        """The cheapest option, each option's difference to continuing and, with samples, how sure."""
        prob = self.probability_cheapest
        lines = []
        for n in self.option_names[1:]:
            d = self.difference(n)
            if lang == "en":
                lines.append(f"{n}: {d:+,} yen against continuing over {self.horizon_months} months "
                             f"(present value {self.present_value(n) - self.present_values[0]:+,.0f} yen)")
            else:
                lines.append(f"{n}: 継続との差額 {d:+,}円 ({self.horizon_months}か月、現在価値 "
                             f"{self.present_value(n) - self.present_values[0]:+,.0f}円)")
        if lang == "en":
            lines.append(f"cheapest by present value: {self.cheapest}"
                         + (f" (in {prob[self.cheapest]:.1%} of {self.samples:,} samples)" if self.samples else ""))
        else:
            lines.append(f"現在価値で最も安い選択肢: {self.cheapest}"
                         + (f" ({self.samples:,}回の試行のうち{prob[self.cheapest]:.1%})" if self.samples else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        body = ", ".join(f"{n}={self.total(n):,}" for n in self.option_names)
        return f"RenewalComparison({self.council!r}, {body}, cheapest={self.cheapest!r})"


def _check_options(council: Any, options: Any) -> tuple[RenewalOption, ...]:
    if not isinstance(council, Consortium):
        raise ValidationError(f"council must be a Consortium, got {council!r}")
    if isinstance(options, RenewalOption) or not isinstance(options, Sequence):
        raise ValidationError(f"options must be a sequence of RenewalOption (the first is the incumbent), "
                              f"got {options!r}")
    opts = tuple(options)
    if not opts:
        raise ValidationError("options must hold at least the incumbent (continue)")
    seen: set[str] = set()
    for k, o in enumerate(opts):
        if not isinstance(o, RenewalOption):
            raise ValidationError(f"options[{k}] must be a RenewalOption, got {o!r}")
        if o.name in seen:
            raise ValidationError(f"options[{k}]: option name {o.name!r} is used twice")
        seen.add(o.name)
        check_members(o, council, f"options[{k}]")
    if opts[0].parallel_months:
        raise ValidationError(f"options[0] ({opts[0].name!r}) is the incumbent: it has no double running, got "
                              f"parallel_months={opts[0].parallel_months}")
    return opts


def compare_renewal(council: Consortium, options: Sequence[RenewalOption], *, horizon_months: int = 60,
                    discount_rate: float = 0.0, start: Month | str | None = None, samples: int | None = None,
                    seed: Any = None, uncertain: Mapping[str, Mapping[str, Any]] | None = None,
                    levels: Sequence[float] = LEVELS, chunks: int | None = None) -> RenewalComparison:
    """Price continuing and switching over the next period, per option and member (サービス継続・切替の判断).

    Parameters
    ----------
    council
        The council: members, populations, current costs (for the rules' drivers and guarantee).
    options
        The options in order; the first is the incumbent (continue) and may not have
        ``parallel_months``.
    horizon_months
        Months priced, from ``start``. [months]
    discount_rate
        Yearly discount rate: month ``m`` (0 from ``start``) is discounted by
        ``(1 + discount_rate) ** (m / 12)``; one-offs and double running are at month 0. [1/year]
    start
        First month of the period (shown only; the months are counted from it).
    samples, seed, uncertain
        With ``uncertain`` = ``{option name: {"monthly_fee": (low, high), "one_off": (low, high),
        "yearly_change": (low, high)}}`` (any of the three): ``samples`` draws, uniform in each range
        (fees and one-offs as factors on the given amounts, the yearly change as the rate itself),
        from ``numpy.random.default_rng(seed)``; gives :attr:`RenewalComparison.probability_cheapest`
        and the quantiles of the difference to the incumbent.  ``samples`` alone (no ``uncertain``)
        repeats the exact comparison: the cheapest option has probability 1.
    levels
        Quantile levels of the difference. [1]
    chunks
        Samples per dask chunk (the ``scale`` extra): the fee paths of uncertain options are then
        computed chunk by chunk through dask (on threads or a ``dask.distributed`` cluster).

    Returns
    -------
    RenewalComparison
        Per option and member: the cost over the horizon in integer yen, in its parts (fees split with
        the option's rule through :func:`jichitai_cloud.allocation.statement`, or per-member fees;
        double running; the council's one-off split with the rule; each member's one-off), adding up
        to the option's total exactly; present values; differences to the incumbent; break-even points.

    Raises
    ------
    ValidationError
        No options, a repeated name, double running on the incumbent, a bad horizon, rate, range or
        sample count, per-member fees not naming every member.
    UnknownMemberError
        A member code the council does not have.
    InfeasibleAllocation
        A rule whose guarantee cannot be met for one of the amounts it splits (the option is named).

    Examples
    --------
    >>> from jichitai_cloud import AllocationRule, examples
    >>> rule = AllocationRule(ratios="3:7")
    >>> stay = RenewalOption("継続", monthly_fee=20_000_000, rule=rule, yearly_change=0.02)
    >>> move = RenewalOption("切替", monthly_fee=17_000_000, rule=rule, council_one_off=60_000_000,
    ...                      parallel_months=3)
    >>> c = compare_renewal(examples.toyama(), [stay, move])
    >>> c.total("継続"), c.total("切替"), c.cheapest
    (1248969636, 1140000000, '切替')
    >>> sum(c.member_costs("切替").values()) == c.total("切替")
    True
    """
    opts = _check_options(council, options)
    counts, discounts = block_weights(horizon_months, discount_rate)
    blocks = int(counts.size)
    month = None if start is None else (start if isinstance(start, Month) else Month.parse(start))
    codes = council.codes
    tables = [block_fee_table(o, codes, blocks) for o in opts]
    parts = [member_split(council, o, opts[0], t, counts) for o, t in zip(opts, tables, strict=True)]
    council_fees = np.stack([t if t.ndim == 1 else t.sum(axis=1) for t in tables]).astype(np.float64)
    upfront = np.array([p[:, 1:].sum() for p in parts], dtype=np.float64)
    _, pv = option_values(council_fees[None], upfront[None], counts, discounts)
    member_pv = []
    for t, p in zip(tables, parts, strict=True):
        up = p[:, 1:].sum(axis=1).astype(np.float64)
        if t.ndim == 2:  # per-member fees: each member's own path
            member_pv.append((t.astype(np.float64) * discounts[:, None]).sum(axis=0) + up)
        else:  # the fee share attributed to the months as the council's fee is
            fee_total = float((t * counts).sum())
            ratio = float((t * discounts).sum()) / fee_total if fee_total else 0.0
            member_pv.append(p[:, 0] * ratio + up)
    bes: list[BreakEven | None] = [None]
    for k in range(1, len(opts)):
        bes.append(break_even(opts[k], opts[0], tables[k], tables[0], int(parts[k].sum()), int(parts[0].sum()),
                              horizon_months))
    lv = tuple(float(q) for q in levels)
    if not lv or any(not 0.0 <= q <= 1.0 for q in lv):
        raise ValidationError(f"levels must be quantile levels in [0, 1], got {levels!r}")
    checked = check_uncertain(uncertain, [o.name for o in opts])
    prob = quant = None
    if samples is not None:
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise ValidationError(f"samples must be an integer >= 1, got {samples!r}")
        if chunks is not None and (isinstance(chunks, bool) or not isinstance(chunks, int) or chunks < 1):
            raise ValidationError(f"chunks must be an integer >= 1 [samples], got {chunks!r}")
        _, spv = sample_values(opts, codes, tables, counts, discounts, checked, samples, seed, chunks)
        best = np.argmin(spv, axis=1)
        prob = tuple(float(x) for x in np.bincount(best, minlength=len(opts)) / samples)
        diff = spv - spv[:, :1]
        quant = tuple(tuple(float(x) for x in np.quantile(diff[:, k], lv)) for k in range(len(opts)))
    elif checked:
        raise ValidationError("uncertain needs samples (e.g. samples=10_000, seed=1)")
    return RenewalComparison(
        council=council.name, codes=codes, names=tuple(m.name for m in council.members),
        current_costs=tuple(m.current_cost for m in council.members), period_months=council.period_months,
        options=opts,
        horizon_months=int(horizon_months), discount_rate=float(discount_rate), start=month,
        parts=tuple(tuple((int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in p) for p in parts),
        fee_tables=tuple(tuple(int(x) for x in (t if t.ndim == 1 else t.sum(axis=1))) for t in tables),
        present_values=tuple(float(x) for x in pv[0]), member_present_values=tuple(tuple(float(x) for x in m)
                                                                                  for m in member_pv),
        break_evens=tuple(bes), samples=samples, probability=prob, levels=lv, quantiles=quant)
