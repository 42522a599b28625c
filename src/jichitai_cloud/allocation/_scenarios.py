"""Many allocations at once: uncertain populations or fees, and sweeps of the driver ratio.

:func:`simulate` runs the rule of :func:`~jichitai_cloud.allocate` over S scenarios in one
vectorised call per block of scenarios (memory bounded by the block) and summarises each member's
share: mean, quantiles, the probability that the guarantee binds.  :func:`ratio_sweep` is the
common case of trying every ratio from 0:10 to 10:0 (均等割:人口割).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._display import Column, DataTable, Lang, TableView, cols, member_column
from .._numeric._arrays import readonly
from .._numeric._limits import MAX_SWEEP_STEPS, check_work
from ..errors import InfeasibleAllocation, ValidationError
from ..model import Consortium
from ._pipeline import Arrays, Pipeline, Solved, build, solve
from ._rule import AllocationRule, driver_label
from ._stream import Moments, dask_arrays, exact_mean, stream_statistics

_MEAN_SHARE = Column("mean_share", "平均負担額", "Mean share", "yen")
_MIN_SHARE = Column("min_share", "最小負担額", "Least share", "yen")
_MAX_SHARE = Column("max_share", "最大負担額", "Largest share", "yen")
_MEAN_NET = Column("mean_net_cost", "平均負担計 (違約金込み)", "Mean net cost", "yen")
_P_BOUND = Column("p_bound", "上限適用の確率", "Probability held at cap", "percent")
_BOUND_MEMBERS = Column("bound", "上限適用団体", "Held at cap", "text")

__all__ = ["AllocationDistribution", "RatioSweep", "ratio_grid", "ratio_sweep", "simulate", "sweep_cost"]



SWEEP_BYTES_PER_CELL = 100
"""Peak memory of :func:`ratio_sweep` per ratio and member, measured. [bytes]"""

SWEEP_SECONDS_PER_CELL = 6e-6
"""Time of :func:`ratio_sweep` per ratio and member on a laptop, measured. [s]"""


def sweep_cost(members: int, steps: int) -> tuple[int, float]:
    """Estimated peak memory [bytes] and time on a laptop [s] of :func:`ratio_sweep` with ``steps``
    over ``members`` members (what the command line checks before it runs one).

    Parameters
    ----------
    members
        Members of the council. [members]
    steps
        Steps of the sweep (``steps + 1`` ratios).
    """
    cells = (steps + 1) * max(members, 1)
    return cells * SWEEP_BYTES_PER_CELL, cells * SWEEP_SECONDS_PER_CELL


def ratio_grid(steps: int = 10) -> NDArray[np.int64]:
    """Every ratio ``k : steps - k`` for ``k = 0 .. steps`` (0:10, 1:9, …, 10:0), shape ``(steps + 1, 2)``.

    Parameters
    ----------
    steps
        Number of steps; 10 gives the 11 ratios 0:10 … 10:0. [1]
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValidationError(f"steps must be a positive integer, got {steps!r}")
    k = np.arange(steps + 1, dtype=np.int64)
    return np.stack([k, steps - k], axis=1)


@attrs.frozen(kw_only=True, slots=True)
class AllocationDistribution(TableView):
    """Per-member distribution of the allocation over many scenarios (the result of :func:`simulate`).

    Parameters
    ----------
    codes
        Member codes, in council order.
    scenarios
        Number of scenarios S.
    quantile_levels
        The quantile levels reported, e.g. ``(0.05, 0.5, 0.95)``. [1]
    mean_share
        Mean fee share per member. [yen]
    share_quantiles
        Per member, the share at each quantile level (observed values). [yen]
    min_share, max_share
        Per member, the least and most it pays over the scenarios. [yen]
    mean_net_cost
        Mean net cost (share + penalty) per member. [yen]
    p_bound
        Per member, the fraction of scenarios in which its cap binds. [1]
    shares
        The (S, N) integer shares (read-only), if kept (``keep_shares=True``). [yen]
    binding
        The (S, N) flags "the cap binds" (read-only), if kept.
    infeasible
        Number of scenarios in which the rule cannot be met (the guarantee's caps add up to less than
        the fee, a penalty alone above its cap …); they are counted, left out of every statistic
        above (which are over the ``scenarios - infeasible`` feasible ones) and, with
        ``keep_shares``, their rows of ``shares`` and ``binding`` are all zero / False. [scenarios]
    first_infeasible
        Index of the first infeasible scenario, as given (row of the per-scenario arrays), or None.
    infeasible_reason
        Why that scenario is infeasible (the message :func:`~jichitai_cloud.allocate` would raise).
    feasible_mask
        The (S,) flags "this scenario could be allocated" (read-only), if ``keep_shares``.
    """

    codes: tuple[str, ...]
    scenarios: int
    quantile_levels: tuple[float, ...]
    mean_share: tuple[float, ...]
    share_quantiles: tuple[tuple[int, ...], ...]
    min_share: tuple[int, ...]
    max_share: tuple[int, ...]
    mean_net_cost: tuple[float, ...]
    p_bound: tuple[float, ...]
    shares: NDArray[np.int64] | None = attrs.field(default=None, eq=False, repr=False)
    binding: NDArray[np.bool_] | None = attrs.field(default=None, eq=False, repr=False)

    names: tuple[str, ...] = ()
    infeasible: int = 0
    first_infeasible: int | None = None
    infeasible_reason: str = ""
    feasible_mask: NDArray[np.bool_] | None = attrs.field(default=None, eq=False, repr=False)

    _INDEX = "code"

    @property
    def feasible(self) -> int:
        """Scenarios that could be allocated (the statistics are over these). [scenarios]"""
        return self.scenarios - self.infeasible

    @property
    def infeasible_probability(self) -> Fraction:
        """Share of the scenarios that cannot be allocated, exact (``infeasible / scenarios``). [1]"""
        return Fraction(self.infeasible, self.scenarios) if self.scenarios else Fraction(0)

    def summary(self, lang: Lang = "ja") -> str:
        """How many scenarios could not be allocated, and the first of them (empty if none)."""
        if not self.infeasible:
            return ""
        p = float(self.infeasible_probability)
        if lang == "en":
            return (f"{self.infeasible:,} of {self.scenarios:,} scenarios ({p:.1%}) cannot be allocated under the "
                    f"rule and are left out of the statistics; the first is scenario {self.first_infeasible} "
                    f"({self.infeasible_reason})")
        return (f"{self.scenarios:,}通りのうち {self.infeasible:,}通り ({p:.1%}) はこの規則では按分できない"
                f"ため集計から除いています。最初はシナリオ {self.first_infeasible} です ({self.infeasible_reason})")

    def _member_names(self) -> tuple[str, ...]:
        return self.names if len(self.names) == len(self.codes) else self.codes

    def views(self) -> tuple[DataTable, ...]:
        """One table: per member its mean share, the quantiles, the least and most it pays, its mean
        net cost and how often its cap binds."""
        quantiles = tuple(Column(f"q{100 * q:g}", f"負担額 {100 * q:g}%点", f"Share, {100 * q:g}th percentile", "yen")
                          for q in self.quantile_levels)
        columns = (*cols("code", "name"), _MEAN_SHARE, *quantiles, _MIN_SHARE, _MAX_SHARE, _MEAN_NET, _P_BOUND)
        rows = [[c, n, round(self.mean_share[i]), *self.share_quantiles[i], self.min_share[i], self.max_share[i],
                 round(self.mean_net_cost[i]), self._p_bound(i)]
                for i, (c, n) in enumerate(zip(self.codes, self._member_names(), strict=True))] if self.feasible else []
        return (DataTable(key="distribution", title=self._title("ja"), title_en=self._title("en"), columns=columns,
                          rows=rows, sheet="負担額の分布", sheet_en="Distribution", index="code"),)

    def _p_bound(self, i: int) -> Fraction | None:
        """The share of feasible scenarios in which member ``i``'s cap binds, exact (a count over them). [1]"""
        if not self.feasible:
            return None
        return Fraction(round(self.p_bound[i] * self.feasible), self.feasible)

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"allocation over {self.scenarios:,} scenarios"
        return f"{self.scenarios:,}通りのシナリオにおける負担額の分布"

    def __str__(self) -> str:
        return self.to_text()


@attrs.frozen(kw_only=True, slots=True)
class RatioSweep(TableView):
    """Each member's share for every ratio from 0:10 to 10:0 (the result of :func:`ratio_sweep`).

    Parameters
    ----------
    codes
        Member codes.
    drivers
        The two drivers swept (e.g. ``("equal", "population")``).
    ratios
        The ratios tried, ``((0, 10), (1, 9), …)``. [1]
    shares
        Per ratio, each member's fee share. [yen]
    bound
        Per ratio, whether each member's cap binds.
    distribution
        The summary over the ratios.
    infeasible_ratios
        The ratios under which the rule cannot be met (e.g. the guarantee's caps add up to less than
        the fee); they have no row in ``ratios``/``shares``/``bound``.
    first_infeasible
        Index (in the grid 0:steps … steps:0 as tried) of the first infeasible ratio, or None.
    """

    codes: tuple[str, ...]
    drivers: tuple[str, str]
    ratios: tuple[tuple[int, int], ...]
    shares: tuple[tuple[int, ...], ...]
    bound: tuple[tuple[bool, ...], ...]
    distribution: AllocationDistribution

    names: tuple[str, ...] = ()
    infeasible_ratios: tuple[tuple[int, int], ...] = ()
    first_infeasible: int | None = None

    @property
    def infeasible(self) -> int:
        """Number of ratios tried under which the rule cannot be met. [ratios]"""
        return len(self.infeasible_ratios)

    @property
    def infeasible_probability(self) -> Fraction:
        """Share of the ratios tried that cannot be allocated, exact. [1]"""
        tried = len(self.ratios) + self.infeasible
        return Fraction(self.infeasible, tried) if tried else Fraction(0)

    def summary(self, lang: Lang = "ja") -> str:
        """The ratios that cannot be allocated (empty if every ratio can)."""
        if not self.infeasible:
            return ""
        shown = ", ".join(f"{a}:{b}" for a, b in self.infeasible_ratios)
        why = self.distribution.infeasible_reason
        if lang == "en":
            return f"{self.infeasible} ratio(s) cannot be allocated under the rule and have no row: {shown} ({why})"
        return f"この規則では按分できない比率 {self.infeasible} 件 (表に行なし): {shown} ({why})"

    def views(self) -> tuple[DataTable, ...]:
        """One row per ratio (indexed by it), one column per member (headed by its name), and the
        members held at their caps."""
        names = self.names if len(self.names) == len(self.codes) else self.codes
        key = f"{self.drivers[0]}:{self.drivers[1]}"
        ratio = Column(key, ":".join(driver_label(d, "ja") for d in self.drivers), key, "text", bilingual=False)
        members = tuple(member_column(c, n, total=False) for c, n in zip(self.codes, names, strict=True))
        rows = [[f"{a}:{b}", *sh, "・".join(n for n, x in zip(names, bd, strict=True) if x)]
                for (a, b), sh, bd in zip(self.ratios, self.shares, self.bound, strict=True)]
        return (DataTable(key="ratio_sweep", title=self._title("ja"), title_en=self._title("en"),
                          columns=(ratio, *members, _BOUND_MEMBERS), rows=rows, sheet="按分比率別の負担額",
                          sheet_en="Shares by ratio", index=key),)

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return "shares for each ratio (費用按分比率)"
        return f"按分比率 ({':'.join(driver_label(d, 'ja') for d in self.drivers)}) ごとの負担額"

    def __str__(self) -> str:
        return self.to_text()


def simulate(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    populations: ArrayLike | None = None,
    total_fees: ArrayLike | None = None,
    ratios: ArrayLike | None = None,
    current_costs: ArrayLike | None = None,
    drivers: dict[str, ArrayLike] | None = None,
    quantiles: Sequence[float] = (0.05, 0.5, 0.95),
    block_size: int = 512,
    keep_shares: bool = False,
    on_infeasible: Literal["count", "raise"] = "count",
) -> AllocationDistribution:
    """Run :func:`~jichitai_cloud.allocate`'s rule over many scenarios at once.

    Each argument given as an array has one row per scenario (S rows); the others are the council's
    own values.  The months, penalties (every mode, including pooled penalties counted by the
    guarantee) and rounding are as in :func:`~jichitai_cloud.allocate`, which is the one-scenario
    case of the same pipeline: with no array given, the one scenario's shares are ``allocate``'s.

    Parameters
    ----------
    consortium
        The council.
    total_fee
        The fee when ``total_fees`` is not given (int or monthly schedule). [yen]
    rule
        The rule (default: 3:7, no guarantee).
    populations
        ``(S, N)`` populations per scenario (uncertain populations), finite and >= 0. [persons]
    total_fees
        ``(S,)`` total fee per scenario (uncertain fees), integer. [yen]
    ratios
        ``(S, D)`` driver weights per scenario in the rule's driver order (a sweep). [1]
    current_costs
        ``(S, N)`` current costs per scenario (uncertain current costs: moves the guarantee's caps). [yen]
    drivers
        Driver name -> ``(S, N)`` values per scenario for other drivers. [driver units]
    quantiles
        Quantile levels to report. [1]  The quantile at level ``q`` is numpy's ``inverted_cdf``:
        the smallest share ``x`` with ``F(x) >= q`` over the S scenarios, i.e. the share of 0-based
        rank ``ceil(q S) - 1`` (the least for ``q = 0``), a share that occurred, exact to the yen.
    block_size
        Scenarios built and allocated at a time: memory is bounded by the block. [scenarios]

    Any per-scenario array may be a dask array chunked along the scenario axis (the ``scale``
    extra): the shares are then never all in memory.  Each chunk is allocated where it lies (the
    threads of this machine or the workers of a ``dask.distributed`` cluster) and summarised in
    one streaming pass: exact means, minima, maxima, binding frequencies and the quantiles, found
    inside windows set by a pilot of the first scenarios (a further pass only when a quantile
    falls outside its window, e.g. scenarios ordered as a sweep; see :mod:`jichitai_cloud.allocation._stream` and
    ``docs/scale.md``); the result equals the numpy path's.  ``keep_shares`` is then refused (use
    :func:`split_costs` for a lazy ``(S, N)`` array).
    keep_shares
        Keep the (S, N) shares and the (S, N) flags "the cap binds" in the result (read-only).
    on_infeasible
        ``"count"`` (default): a scenario in which the rule cannot be met (the guarantee's caps add up
        to less than the fee, a member's penalty alone above its cap) is counted
        (:attr:`AllocationDistribution.infeasible`, ``infeasible_probability``, ``first_infeasible``)
        and left out of the statistics; the run goes on.  ``"raise"``: the first such scenario raises
        :class:`~jichitai_cloud.errors.InfeasibleAllocation` naming it by its own index.  (Dask inputs
        always raise.)

    Returns
    -------
    AllocationDistribution

    Raises
    ------
    ValidationError
        Shapes that disagree, bad values (NaN, negative).
    InfeasibleAllocation
        With ``on_infeasible="raise"``, if in some scenario the guarantee cannot be met (the message
        names the scenario by its index as given).
    """
    qs = tuple(float(q) for q in quantiles)
    if any(not 0 <= q <= 1 for q in qs):
        raise ValidationError(f"quantiles must be between 0 and 1, got {quantiles!r}")
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValidationError(f"block_size must be a positive integer [scenarios], got {block_size!r}")
    if on_infeasible not in ("count", "raise"):
        raise ValidationError(f"on_infeasible must be 'count' or 'raise', got {on_infeasible!r}")
    base = build(consortium, total_fee, rule)
    lazy = dask_arrays(populations, total_fees, ratios, current_costs, drivers)
    if lazy is not None:
        if keep_shares:
            raise ValidationError("keep_shares cannot be used with dask inputs (the shares are never all in memory; "
                                  "use allocation.split_costs for a lazy (S, N) array)")
        st = stream_statistics(base, lazy, qs, block_size)
        return AllocationDistribution(
            codes=consortium.codes, names=tuple(m.name for m in consortium.members), scenarios=st["scenarios"], quantile_levels=qs, mean_share=st["mean_share"],
            share_quantiles=tuple(tuple(int(v) for v in col) for col in st["quantiles"].T),
            min_share=st["min_share"], max_share=st["max_share"], mean_net_cost=st["mean_net_cost"],
            p_bound=st["p_bound"])
    pipe = base.with_scenarios(
        populations=populations, total_fees=total_fees, ratios=ratios, current_costs=current_costs,
        drivers=drivers)
    s_count = pipe.scenarios.count
    n = len(consortium.members)
    out = np.zeros((s_count, n), dtype=np.int64)  # for the quantiles: one int64 per member-scenario
    out_bound = np.zeros((s_count, n), dtype=np.bool_) if keep_shares else None
    feasible = np.ones(s_count, dtype=np.bool_)
    reason = ""
    acc = Moments(n)
    for s0 in range(0, s_count, block_size):  # blocks of scenarios, for bounded memory
        s1 = min(s_count, s0 + block_size)
        solved, ok, why = _solve_block(pipe, s0, s1, on_infeasible)
        if why and not reason:
            reason = why
        feasible[s0:s1] = ok
        if solved is None:
            continue
        rows = s0 + np.flatnonzero(ok)
        out[rows] = solved.shares
        acc.add(solved)
        if out_bound is not None:
            out_bound[rows] = solved.binding
    n_ok = int(feasible.sum())
    good = out if n_ok == s_count else out[feasible]
    qv = np.quantile(good, qs, axis=0, method="inverted_cdf").astype(np.int64) if n_ok else None
    bad = np.flatnonzero(~feasible)
    return AllocationDistribution(
        codes=consortium.codes,
        names=tuple(m.name for m in consortium.members),
        scenarios=s_count,
        quantile_levels=qs,
        mean_share=tuple(exact_mean(t, n_ok) for t in Moments.totals(acc.hi, acc.lo)) if n_ok
        else tuple(0.0 for _ in range(n)),
        share_quantiles=tuple(tuple(int(qv[j, i]) for j in range(len(qs))) for i in range(n)) if qv is not None
        else tuple(() for _ in range(n)),
        min_share=tuple(int(v) for v in good.min(axis=0)) if n_ok else tuple(0 for _ in range(n)),
        max_share=tuple(int(v) for v in good.max(axis=0)) if n_ok else tuple(0 for _ in range(n)),
        mean_net_cost=tuple(exact_mean(t, n_ok) for t in Moments.totals(acc.net_hi, acc.net_lo)) if n_ok
        else tuple(0.0 for _ in range(n)),
        p_bound=tuple(float(b) / n_ok for b in acc.bound) if n_ok else tuple(0.0 for _ in range(n)),
        shares=readonly(out, copy=False) if keep_shares else None,
        binding=None if out_bound is None else readonly(out_bound, copy=False),
        infeasible=int(bad.size),
        first_infeasible=int(bad[0]) if bad.size else None,
        infeasible_reason=reason,
        feasible_mask=readonly(feasible, copy=False) if keep_shares else None,
    )


_SCENARIO_PREFIX = re.compile(r"^(?:in scenarios \d+\.\.\d+: )?(?:scenario \[?\d+\]?: )?")


def _take(arr: Arrays, idx: NDArray[np.intp]) -> Arrays:
    """The scenarios ``idx`` of the arrays of a block (arrays without a scenario axis are shared)."""
    def rows(a: NDArray[np.generic] | None, core: int) -> NDArray[np.generic] | None:
        return a if a is None or a.ndim == core else a[idx]

    totals = rows(arr.totals, 0)
    drivers = rows(arr.drivers, 2)
    ratios = rows(arr.ratios, 1)
    assert totals is not None and drivers is not None and ratios is not None
    return Arrays(totals=totals, drivers=drivers, ratios=ratios, caps=rows(arr.caps, 1),  # type: ignore[arg-type]
                  full_caps=rows(arr.full_caps, 1))  # type: ignore[arg-type]


def _solve_block(pipe: Pipeline, s0: int, s1: int, on_infeasible: str
                 ) -> tuple[Solved | None, NDArray[np.bool_], str]:
    """Solve scenarios ``s0 .. s1 - 1``, setting aside those that cannot be allocated.

    Returns the solution of the feasible scenarios (None if there are none), the (R,) mask of
    them, and why the first infeasible one is (``""`` if none).  Each check finds every scenario of
    the block failing it at once (a mask over the scenarios); the block is solved again without
    them, at most once per kind of check.  With ``on_infeasible="raise"`` the first infeasible
    scenario raises, named by its index as given.
    """
    r = s1 - s0
    arr = pipe.arrays(s0, s1, check=False)
    ok = np.ones(r, dtype=np.bool_)
    first: tuple[int, str] | None = None

    def note(rows: NDArray[np.intp], message: str) -> None:
        nonlocal first
        detail = _SCENARIO_PREFIX.sub("", message)
        if first is None or int(rows[0]) < first[0]:
            first = (int(rows[0]), detail)
        if on_infeasible == "raise":
            raise InfeasibleAllocation(f"scenario {s0 + int(rows[0])}: {detail}")

    over = pipe.penalty_infeasible(arr)
    if over.ndim and over.any():
        idx = np.flatnonzero(over)
        try:
            pipe.arrays(s0 + int(idx[0]), s0 + int(idx[0]) + 1)
        except InfeasibleAllocation as exc:
            note(idx, str(exc))
        ok &= ~over
    elif not over.ndim and bool(over):
        try:
            pipe.arrays(s0, s1)
        except InfeasibleAllocation as exc:
            note(np.zeros(1, dtype=np.intp), str(exc))
        return None, np.zeros(r, dtype=np.bool_), first[1] if first else ""
    while ok.any():
        idx = np.flatnonzero(ok)
        sub = arr if idx.size == r else _take(arr, idx)
        try:
            solved = solve(pipe, sub, label="")
        except InfeasibleAllocation as exc:
            if exc.rows is None or not np.size(exc.rows):
                if sub.totals.ndim == 0:  # one scenario, no scenario axis
                    note(np.zeros(1, dtype=np.intp), str(exc))
                    ok[:] = False
                    break
                raise
            bad = idx[np.asarray(exc.rows, dtype=np.intp)]
            note(bad, str(exc))
            ok[bad] = False
            continue
        return solved, ok, first[1] if first else ""
    return None, ok, first[1] if first else ""


def ratio_sweep(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    steps: int = 10,
    limit: bool = True,
    on_infeasible: Literal["count", "raise"] = "count",
) -> RatioSweep:
    """Each member's share for every ratio ``k : steps - k`` of the rule's two drivers (0:10 … 10:0).

    Parameters
    ----------
    consortium
        The council.
    total_fee
        The fee (int or monthly schedule). [yen]
    rule
        The rule; it must have exactly two drivers (e.g. equal and population); its guarantee,
        penalties and rounding apply to every ratio.
    steps
        10 tries 0:10, 1:9, …, 10:0. [1]
    limit
        Refuse more than :data:`MAX_SWEEP_STEPS` steps (the message estimates memory and time);
        ``False`` runs any number asked for.
    on_infeasible
        ``"count"`` (default): a ratio under which the rule cannot be met is listed
        (:attr:`RatioSweep.infeasible_ratios`, ``first_infeasible``) and has no row; ``"raise"``:
        :class:`~jichitai_cloud.errors.InfeasibleAllocation` naming it (its index in the grid).
    """
    rule = AllocationRule() if rule is None else rule
    if limit and isinstance(steps, int) and not isinstance(steps, bool):
        cells = (steps + 1) * len(consortium.members)
        check_work("steps", steps, limit=MAX_SWEEP_STEPS, memory=cells * SWEEP_BYTES_PER_CELL,
                   seconds=cells * SWEEP_SECONDS_PER_CELL)
    if len(rule.drivers) != 2:
        raise ValidationError(f"a ratio sweep needs a rule with two drivers, got {list(rule.drivers)}")
    grid = ratio_grid(steps)
    dist = simulate(consortium, total_fee, rule, ratios=grid, keep_shares=True, quantiles=(0.0, 0.5, 1.0),
                    on_infeasible=on_infeasible)
    assert dist.shares is not None and dist.binding is not None and dist.feasible_mask is not None
    ok = dist.feasible_mask
    return RatioSweep(
        codes=consortium.codes,
        names=tuple(m.name for m in consortium.members),
        drivers=(rule.drivers[0], rule.drivers[1]),
        ratios=tuple((int(a), int(b)) for a, b in grid[ok]),
        shares=tuple(tuple(int(v) for v in row) for row in dist.shares[ok]),
        bound=tuple(tuple(bool(v) for v in row) for row in dist.binding[ok]),
        distribution=dist,
        infeasible_ratios=tuple((int(a), int(b)) for a, b in grid[~ok]),
        first_infeasible=dist.first_infeasible,
    )
