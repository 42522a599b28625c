"""Many allocations at once: uncertain populations or fees, and sweeps of the driver ratio.

:func:`simulate` runs the rule of :func:`~jichitai_cloud.allocate` over S scenarios in one
vectorised call per block of scenarios (memory bounded by the block) and summarises each member's
share: mean, quantiles, the probability that the guarantee binds.  :func:`ratio_sweep` is the
common case of trying every ratio from 0:10 to 10:0 (均等割:人口割).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._display import dataframe, html_table, text_table
from ..errors import InfeasibleAllocation, ValidationError
from ..model import Consortium
from ._domain import _total, driver_matrix
from ._kernels import split_costs
from ._rule import AllocationRule
from ._time import presence, segment_drivers, segment_fees

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["AllocationDistribution", "RatioSweep", "ratio_grid", "ratio_sweep", "simulate"]


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
class AllocationDistribution:
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

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Header and one row per member."""
        qh = [f"q{100 * q:g}" for q in self.quantile_levels]
        header = ["code", "mean_share", *qh, "min_share", "max_share", "mean_net_cost", "p_bound"]
        rows = [[c, round(self.mean_share[i]), *self.share_quantiles[i], self.min_share[i], self.max_share[i],
                 round(self.mean_net_cost[i]), self.p_bound[i]] for i, c in enumerate(self.codes)]
        return header, rows

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per member (pandas imported here)."""
        header, rows = self.table()
        return dataframe(header, rows, index="code")

    def to_text(self) -> str:
        """The summary as a text table."""
        header, rows = self.table()
        return text_table(header, rows, title=f"allocation over {self.scenarios:,} scenarios")

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        header, rows = self.table()
        return html_table(header, rows, caption=f"allocation over {self.scenarios:,} scenarios")


@attrs.frozen(kw_only=True, slots=True)
class RatioSweep:
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

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per ratio; a ``*`` marks a member held at its cap."""
        header = [f"{self.drivers[0]}:{self.drivers[1]}", *self.codes, "bound"]
        rows = [[f"{a}:{b}", *s, ",".join(c for c, x in zip(self.codes, bd, strict=True) if x)]
                for (a, b), s, bd in zip(self.ratios, self.shares, self.bound, strict=True)]
        return header, rows

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per ratio (pandas imported here)."""
        header, rows = self.table()
        return dataframe(header, rows, index=header[0])

    def to_text(self) -> str:
        """The sweep as a text table."""
        header, rows = self.table()
        return text_table(header, rows, title="shares for each ratio (費用按分比率)")

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        header, rows = self.table()
        return html_table(header, rows, caption="shares for each ratio")


def _as_array(value: ArrayLike | None, name: str, shape_tail: tuple[int, ...]) -> NDArray[Any] | None:
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.ndim != 1 + len(shape_tail) or arr.shape[1:] != shape_tail:
        raise ValidationError(f"{name} must have shape (S, {', '.join(map(str, shape_tail))}) "
                              f"[one row per scenario], got {arr.shape}")
    return arr


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
    block_size: int = 2048,
    keep_shares: bool = False,
) -> AllocationDistribution:
    """Run :func:`~jichitai_cloud.allocate`'s rule over many scenarios at once.

    Each argument given as an array has one row per scenario (S rows); the others are the council's
    own values.  The months, penalties and rounding are as in :func:`~jichitai_cloud.allocate`.

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
        Quantile levels to report (observed values, ``inverted_cdf``). [1]
    block_size
        Scenarios built and allocated at a time: memory is bounded by the block. [scenarios]
    keep_shares
        Keep the (S, N) shares in the result.

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
    rule = AllocationRule() if rule is None else rule
    members = consortium.members
    n = len(members)
    names = rule.drivers
    pop = _as_array(populations, "populations", (n,))
    tot = _as_array(total_fees, "total_fees", ())
    rat = _as_array(ratios, "ratios", (len(names),))
    cur = _as_array(current_costs, "current_costs", (n,))
    extra = {k: _as_array(v, f"drivers[{k!r}]", (n,)) for k, v in (drivers or {}).items()}
    for k in extra:
        if k not in names:
            raise ValidationError(f"drivers[{k!r}] is not a driver of the rule {list(names)}")
    sizes = {a.shape[0] for a in (pop, tot, rat, cur, *extra.values()) if a is not None}
    if len(sizes) > 1:
        raise ValidationError(f"the scenario arrays disagree on the number of scenarios: {sorted(sizes)}")
    s_count = sizes.pop() if sizes else 1
    qs = tuple(float(q) for q in quantiles)
    if any(not 0 <= q <= 1 for q in qs):
        raise ValidationError(f"quantiles must be between 0 and 1, got {quantiles!r}")
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValidationError(f"block_size must be a positive integer [scenarios], got {block_size!r}")
    base_total, monthly = _total(total_fee)
    if tot is not None:
        if monthly is not None:
            raise ValidationError("give either total_fees per scenario or a monthly schedule, not both")
        if not np.issubdtype(tot.dtype, np.integer):
            raise ValidationError(f"total_fees must be integer yen, got dtype {tot.dtype}")
    pres = presence(consortium)
    _, fees = segment_fees(pres, monthly)
    x0 = driver_matrix(members, names)
    pop_col = names.index("population") if "population" in names else None
    months = pres.months
    penalties = np.array([m.penalty for m in members], dtype=np.int64)
    own_pen = rule.penalty_sharing == "member"
    if not own_pen and rule.guarantee_includes_penalty and rule.min_reduction is not None and penalties.any():
        raise ValidationError("simulate does not support pooled penalties counted by the guarantee; "
                              "use allocate per scenario")
    factor = rule.cap_factor()
    cur0 = np.array([m.current_cost for m in members], dtype=np.int64)

    out = np.empty((s_count, n), dtype=np.int64) if keep_shares else None
    out_bound = np.empty((s_count, n), dtype=np.bool_) if keep_shares else None
    total_sum = np.zeros(n)
    net_sum = np.zeros(n)
    bound_sum = np.zeros(n)
    mins = np.full(n, np.iinfo(np.int64).max)
    maxs = np.full(n, np.iinfo(np.int64).min)
    kept: list[NDArray[np.int64]] = []
    pool_total = int(penalties.sum()) if not own_pen else 0
    for s0 in range(0, s_count, block_size):  # blocks of scenarios, for bounded memory
        s1 = min(s_count, s0 + block_size)
        r = s1 - s0
        xb = np.broadcast_to(x0, (r, n, len(names))).copy()
        if pop is not None and pop_col is not None:
            xb[..., pop_col] = pop[s0:s1]
        elif pop is not None:
            raise ValidationError("populations are given but the rule has no 'population' driver")
        for k, arr in extra.items():
            assert arr is not None
            xb[..., names.index(k)] = arr[s0:s1]
        w = np.asarray(rule.weights, dtype=np.float64) if rat is None else rat[s0:s1].astype(np.float64)
        xs, rs, _ = segment_drivers(pres, xb, w, fees)
        totals = np.full(r, base_total, dtype=np.int64) if tot is None else tot[s0:s1].astype(np.int64)
        caps = None
        if factor is not None:
            cb = cur0[None, :] if cur is None else np.asarray(cur[s0:s1], dtype=np.int64)
            if (cb < 0).any():
                raise ValidationError("current_costs must be >= 0 [yen]")
            num, den = factor.numerator, factor.denominator
            if rule.guarantee_basis == "months_on_cloud":
                num_arr = cb * np.array(months, dtype=np.int64)[None, :] * num
                caps = num_arr // (den * consortium.period_months)
            else:
                caps = (cb * num) // den
            if own_pen and rule.guarantee_includes_penalty:
                caps = caps - penalties[None, :]
                if (caps < 0).any():
                    raise InfeasibleAllocation("a member's penalty alone exceeds its guaranteed maximum")
            caps = np.broadcast_to(caps, (r, n))
        try:
            res = split_costs(totals, xs, rs, caps=caps, rounding=rule.rounding, unit=rule.unit, tie=rule.tie,
                              lead=None if rule.lead is None else consortium.index(rule.lead), return_binding=True)
        except InfeasibleAllocation as exc:
            raise InfeasibleAllocation(f"in scenarios {s0}..{s1 - 1}: {exc}") from None
        shares = res.shares
        pen = np.broadcast_to(penalties, (r, n)) if own_pen else (
            split_costs(np.full(r, pool_total), xs, rs) if pool_total else np.zeros((r, n), dtype=np.int64))
        total_sum += shares.sum(axis=0)
        net_sum += (shares + pen).sum(axis=0)
        bound_sum += (res.binding == 1).sum(axis=0)
        np.minimum(mins, shares.min(axis=0), out=mins)
        np.maximum(maxs, shares.max(axis=0), out=maxs)
        if out is not None and out_bound is not None:
            out[s0:s1] = shares
            out_bound[s0:s1] = res.binding == 1
        else:
            kept.append(shares)  # for the quantiles: one int64 per member-scenario, like the result
    allshares = out if out is not None else np.concatenate(kept) if kept else np.zeros((0, n), dtype=np.int64)
    qv = np.quantile(allshares, qs, axis=0, method="inverted_cdf").astype(np.int64) if s_count else None
    return AllocationDistribution(
        codes=consortium.codes,
        scenarios=s_count,
        quantile_levels=qs,
        mean_share=tuple(float(v) for v in total_sum / s_count),
        share_quantiles=tuple(tuple(int(qv[j, i]) for j in range(len(qs))) for i in range(n)) if qv is not None
        else tuple(() for _ in range(n)),
        min_share=tuple(int(v) for v in mins),
        max_share=tuple(int(v) for v in maxs),
        mean_net_cost=tuple(float(v) for v in net_sum / s_count),
        p_bound=tuple(float(v) for v in bound_sum / s_count),
        shares=None if out is None else _ro(out),
        binding=None if out_bound is None else _ro(out_bound),
    )


def _ro(a: NDArray[Any]) -> NDArray[Any]:
    a.flags.writeable = False
    return a


def ratio_sweep(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    steps: int = 10,
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
    """
    rule = AllocationRule() if rule is None else rule
    if len(rule.drivers) != 2:
        raise ValidationError(f"a ratio sweep needs a rule with two drivers, got {list(rule.drivers)}")
    grid = ratio_grid(steps)
    dist = simulate(consortium, total_fee, rule, ratios=grid, keep_shares=True, quantiles=(0.0, 0.5, 1.0))
    assert dist.shares is not None
    assert dist.binding is not None
    return RatioSweep(
        codes=consortium.codes,
        drivers=(rule.drivers[0], rule.drivers[1]),
        ratios=tuple((int(a), int(b)) for a, b in grid),
        shares=tuple(tuple(int(v) for v in row) for row in dist.shares),
        bound=tuple(tuple(bool(v) for v in row) for row in dist.binding),
        distribution=dist,
    )
