"""Many allocations at once: uncertain populations or fees, and sweeps of the driver ratio.

:func:`simulate` runs the rule of :func:`~jichitai_cloud.allocate` over S scenarios in one
vectorised call per block of scenarios (memory bounded by the block) and summarises each member's
share: mean, quantiles, the probability that the guarantee binds.  :func:`ratio_sweep` is the
common case of trying every ratio from 0:10 to 10:0 (均等割:人口割).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._display import Column, DataTable, Lang, TableView, cols, member_column
from .._numeric._arrays import readonly
from .._numeric._limits import MAX_SWEEP_STEPS, check_work
from ..errors import ValidationError
from ..model import Consortium
from ._pipeline import build, solve
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

    _INDEX = "code"

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
                for i, (c, n) in enumerate(zip(self.codes, self._member_names(), strict=True))]
        return (DataTable(key="distribution", title=self._title("ja"), title_en=self._title("en"), columns=columns,
                          rows=rows, sheet="負担額の分布", sheet_en="Distribution", index="code"),)

    def _p_bound(self, i: int) -> Fraction | None:
        """The share of scenarios in which member ``i``'s cap binds, exact (a count over the scenarios). [1]"""
        if not self.scenarios:
            return None
        return Fraction(round(self.p_bound[i] * self.scenarios), self.scenarios)

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
    """

    codes: tuple[str, ...]
    drivers: tuple[str, str]
    ratios: tuple[tuple[int, int], ...]
    shares: tuple[tuple[int, ...], ...]
    bound: tuple[tuple[bool, ...], ...]
    distribution: AllocationDistribution

    names: tuple[str, ...] = ()

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
    a few passes: exact means, minima, maxima and binding frequencies in the first, the quantiles
    by exact histogram refinement in the next (see :mod:`jichitai_cloud.allocation._stream` and
    ``docs/scale.md``); the result equals the numpy path's.  ``keep_shares`` is then refused (use
    :func:`split_costs` for a lazy ``(S, N)`` array).
    keep_shares
        Keep the (S, N) shares and the (S, N) flags "the cap binds" in the result (read-only).

    Returns
    -------
    AllocationDistribution

    Raises
    ------
    ValidationError
        Shapes that disagree, bad values (NaN, negative).
    InfeasibleAllocation
        If in some scenario the guarantee cannot be met (the message names the scenario).
    """
    qs = tuple(float(q) for q in quantiles)
    if any(not 0 <= q <= 1 for q in qs):
        raise ValidationError(f"quantiles must be between 0 and 1, got {quantiles!r}")
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValidationError(f"block_size must be a positive integer [scenarios], got {block_size!r}")
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
    out = np.empty((s_count, n), dtype=np.int64)  # for the quantiles: one int64 per member-scenario
    out_bound = np.empty((s_count, n), dtype=np.bool_) if keep_shares else None
    acc = Moments(n)
    for s0 in range(0, s_count, block_size):  # blocks of scenarios, for bounded memory
        s1 = min(s_count, s0 + block_size)
        solved = solve(pipe, pipe.arrays(s0, s1), label=f"in scenarios {s0}..{s1 - 1}: ")
        out[s0:s1] = solved.shares
        acc.add(solved)
        if out_bound is not None:
            out_bound[s0:s1] = solved.binding
    qv = np.quantile(out, qs, axis=0, method="inverted_cdf").astype(np.int64) if s_count else None
    return AllocationDistribution(
        codes=consortium.codes,
        names=tuple(m.name for m in consortium.members),
        scenarios=s_count,
        quantile_levels=qs,
        mean_share=tuple(exact_mean(t, s_count) for t in Moments.totals(acc.hi, acc.lo)),
        share_quantiles=tuple(tuple(int(qv[j, i]) for j in range(len(qs))) for i in range(n)) if qv is not None
        else tuple(() for _ in range(n)),
        min_share=tuple(int(v) for v in out.min(axis=0)),
        max_share=tuple(int(v) for v in out.max(axis=0)),
        mean_net_cost=tuple(exact_mean(t, s_count) for t in Moments.totals(acc.net_hi, acc.net_lo)),
        p_bound=tuple(float(b) / s_count for b in acc.bound),
        shares=readonly(out, copy=False) if keep_shares else None,
        binding=None if out_bound is None else readonly(out_bound, copy=False),
    )


def ratio_sweep(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    steps: int = 10,
    limit: bool = True,
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
    """
    rule = AllocationRule() if rule is None else rule
    if limit and isinstance(steps, int) and not isinstance(steps, bool):
        cells = (steps + 1) * len(consortium.members)
        check_work("steps", steps, limit=MAX_SWEEP_STEPS, memory=cells * SWEEP_BYTES_PER_CELL,
                   seconds=cells * SWEEP_SECONDS_PER_CELL)
    if len(rule.drivers) != 2:
        raise ValidationError(f"a ratio sweep needs a rule with two drivers, got {list(rule.drivers)}")
    grid = ratio_grid(steps)
    dist = simulate(consortium, total_fee, rule, ratios=grid, keep_shares=True, quantiles=(0.0, 0.5, 1.0))
    assert dist.shares is not None
    assert dist.binding is not None
    return RatioSweep(
        codes=consortium.codes,
        names=tuple(m.name for m in consortium.members),
        drivers=(rule.drivers[0], rule.drivers[1]),
        ratios=tuple((int(a), int(b)) for a, b in grid),
        shares=tuple(tuple(int(v) for v in row) for row in dist.shares),
        bound=tuple(tuple(bool(v) for v in row) for row in dist.binding),
        distribution=dist,
    )
