"""Kernels of the migration schedule (移行スケジュール): the cost of each cutover month, and the best months.

Months are month numbers (:attr:`jichitai_cloud.Month.index`, ``12 * year + month - 1``), money is
int64 yen.  :func:`timing_costs` and :func:`timing_parts` broadcast over leading scenario axes;
:func:`best_starts` solves one council (a transportation problem) exactly.

The cost of a timing
--------------------
Member ``i`` has a current contract covering months up to ``e_i`` (its last month), paying
``current_i`` yen a month; running the current system past its contract costs ``extension_i`` a
month; ending the contract early costs ``penalty_i`` per unused contract month (違約金); the cloud costs
``cloud_i`` a month; and the current system keeps running ``parallel_i`` months after the cloud start
(並行稼働).  For a first cloud month ``s_j`` and a horizon ``(h0, h1)`` (inclusive) let
``end = s_j - 1 + parallel_i`` and ``n(a, b) = max(0, min(b, h1) - max(a, h0) + 1)``::

    cost = current_i * n(h0, min(e_i, end)) + extension_i * n(e_i + 1, end)
           + penalty_i * max(0, e_i - end) + cloud_i * n(s_j, h1)

The penalty is owed in full when the contract ends early, whatever the horizon.  Double running
(二重投資) is ``n(s_j, end)`` months.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import boolean_array, int64_array
from ..._numeric._flow import FLOW_METHODS, assign_groups
from ...errors import InfeasibleAllocation, ValidationError

__all__ = ["PER_CHOICES", "TimingParts", "best_starts", "cutover_groups", "timing_costs", "timing_parts"]

PER_CHOICES = ("month", "quarter")
"""How cutover capacity is counted: per calendar month or per fiscal quarter (1Q = April–June)."""

_SAFE = 2**62


class TimingParts(NamedTuple):
    """The parts of :func:`timing_costs`, each int64 of shape ``(..., N, M)``.

    Attributes
    ----------
    current
        Current system within its contract, inside the horizon. [yen]
    extension
        Current system run past its contract (延長), inside the horizon. [yen]
    penalty
        Cancellation penalty for unused contract months (違約金), in full. [yen]
    cloud
        Cloud months from the start to the horizon's end. [yen]
    double_months
        Months both systems run (並行稼働, 二重投資), ``n(s_j, end)``, inside the horizon. [months]
    """

    current: NDArray[np.int64]
    extension: NDArray[np.int64]
    penalty: NDArray[np.int64]
    cloud: NDArray[np.int64]
    double_months: NDArray[np.int64]

    @property
    def total(self) -> NDArray[np.int64]:
        """``current + extension + penalty + cloud``, the value of :func:`timing_costs`. [yen]"""
        return self.current + self.extension + self.penalty + self.cloud


def _months(value: ArrayLike, name: str) -> NDArray[np.int64]:
    return int64_array(value, name, unit="months")


def _yen(value: ArrayLike, name: str) -> NDArray[np.int64]:
    arr = int64_array(value, name)
    if arr.size and int(arr.min()) < 0:
        i = tuple(int(k) for k in np.argwhere(arr < 0)[0])
        raise ValidationError(f"{name}{list(i)} must be integer yen >= 0 [yen], got {int(arr[i])}")
    return arr


def timing_parts(contract_end: ArrayLike, current_monthly: ArrayLike, cloud_monthly: ArrayLike,
                 penalty_monthly: ArrayLike, starts: ArrayLike, *, horizon: tuple[int, int],
                 parallel: ArrayLike = 0, extension_monthly: ArrayLike | None = None) -> TimingParts:
    """The four parts of the cost of each cutover month, and the months of double running.

    Parameters are those of :func:`timing_costs`.

    Returns
    -------
    TimingParts
        ``current``, ``extension``, ``penalty``, ``cloud`` [yen] and ``double_months`` [months], each
        int64 of shape ``(..., N, M)``; ``parts.total`` equals :func:`timing_costs`.
    """
    e = _months(contract_end, "contract_end")
    cur = _yen(current_monthly, "current_monthly")
    cloud = _yen(cloud_monthly, "cloud_monthly")
    pen = _yen(penalty_monthly, "penalty_monthly")
    ext = cur if extension_monthly is None else _yen(extension_monthly, "extension_monthly")
    par = int64_array(parallel, "parallel", unit="months")
    if par.size and int(par.min()) < 0:
        raise ValidationError(f"parallel must be months >= 0 [months], got {int(par.min())}")
    s = _months(starts, "starts")
    if s.ndim < 1:
        raise ValidationError(f"starts must be a 1-D array of month numbers [months], got shape {s.shape}")
    if (not isinstance(horizon, tuple | list) or len(horizon) != 2
            or any(isinstance(h, bool) or not isinstance(h, int | np.integer) for h in horizon)):
        raise ValidationError(f"horizon must be (first, last) month numbers [months], got {horizon!r}")
    h0, h1 = int(horizon[0]), int(horizon[1])
    if h1 < h0:
        raise ValidationError(f"horizon must have first <= last [months], got {horizon!r}")
    try:
        shapes = np.broadcast_shapes(e.shape, cur.shape, cloud.shape, pen.shape, ext.shape, par.shape)
    except ValueError:
        raise ValidationError(
            "contract_end, current_monthly, cloud_monthly, penalty_monthly, extension_monthly and parallel "
            f"must broadcast to one (..., N) shape; got {e.shape}, {cur.shape}, {cloud.shape}, {pen.shape}, "
            f"{ext.shape}, {par.shape}") from None
    if len(shapes) < 1:
        raise ValidationError("the member arrays must have a member axis (shape (..., N))")
    # The overflow guard counts months of the horizon, not month numbers: the current, extension and
    # cloud parts run at most ``span`` months each (current and extension together at most ``span``),
    # and the penalty is owed for at most ``max(e) - min(s) + 1`` unused contract months.
    span = max(h1 - h0 + 1, 1)
    top = max(int(np.abs(x).max(initial=0)) for x in (cur, cloud, pen, ext))
    unused = max(0, int(e.max(initial=0)) - int(s.min(initial=0)) + 1) if e.size and s.size else 0
    worst = 2 * span + unused
    if top * worst >= _SAFE:
        raise ValidationError(
            f"monthly amounts up to {top:,} yen over a horizon of {span:,} months (and up to {unused:,} unused "
            f"contract months of penalty) overflow 64-bit yen (more than 2**62 = {_SAFE:,} yen)")

    col = (..., None)  # member arrays (..., N) -> (..., N, 1)
    e_, cur_, cloud_, pen_, ext_, par_ = (x[col] for x in (e, cur, cloud, pen, ext, par))
    s_ = s[..., None, :]  # (..., 1, M)
    end = s_ - 1 + par_

    def n(a: Any, b: Any) -> NDArray[np.int64]:
        out: NDArray[np.int64] = np.maximum(0, np.minimum(b, h1) - np.maximum(a, h0) + 1)
        return out

    current = cur_ * n(h0, np.minimum(e_, end))
    extension = ext_ * n(e_ + 1, end)
    penalty = pen_ * np.maximum(0, e_ - end)
    cloud_part = cloud_ * n(s_, h1)
    double = n(s_, end)
    out = np.broadcast_shapes(current.shape, extension.shape, penalty.shape, cloud_part.shape, double.shape)
    return TimingParts(*(np.broadcast_to(x, out).astype(np.int64) for x in
                         (current, extension, penalty, cloud_part, double)))


def timing_costs(contract_end: ArrayLike, current_monthly: ArrayLike, cloud_monthly: ArrayLike,
                 penalty_monthly: ArrayLike, starts: ArrayLike, *, horizon: tuple[int, int],
                 parallel: ArrayLike = 0, extension_monthly: ArrayLike | None = None) -> NDArray[np.int64]:
    """Cost of each candidate first cloud month for each member, over a horizon, exact in yen.

    Parameters
    ----------
    contract_end
        Last month each member's current contract covers (現行稼働満了想定), shape ``(..., N)``. [months]
    current_monthly
        Current system cost per month within the contract, ``(..., N)``. [yen]
    cloud_monthly
        Cloud cost per month (クラウド利用料), ``(..., N)``. [yen]
    penalty_monthly
        Cancellation penalty per contract month left unused (違約金), ``(..., N)``. [yen]
    starts
        Candidate first cloud months, ``(M,)`` or ``(..., M)``. [months]
    horizon
        ``(h0, h1)``: first and last month counted (inclusive). [months]
    parallel
        Months the current system keeps running after the cloud start (並行稼働), ``(..., N)``. [months]
    extension_monthly
        Current system cost per month past its contract (default ``current_monthly``), ``(..., N)``. [yen]

    Returns
    -------
    numpy.ndarray
        int64 ``(..., N, M)``: ``current·n(h0, min(e, end)) + extension·n(e+1, end) +
        penalty·max(0, e − end) + cloud·n(s, h1)`` with ``end = s − 1 + parallel``. [yen]

    Raises
    ------
    ValidationError
        Float or negative money, a bad horizon, shapes that do not broadcast, amounts that would
        overflow 64-bit integers.

    Examples
    --------
    >>> timing_costs([5], [100], [60], [30], [3, 6, 8], horizon=(0, 11)).tolist()
    [[930, 960, 1040]]
    """
    return timing_parts(contract_end, current_monthly, cloud_monthly, penalty_monthly, starts, horizon=horizon,
                        parallel=parallel, extension_monthly=extension_monthly).total


def cutover_groups(starts: ArrayLike, per: str = "month") -> NDArray[np.int64]:
    """The capacity group of each start month: the month itself or its fiscal quarter.

    Parameters
    ----------
    starts
        Month numbers. [months]
    per
        ``"month"`` or ``"quarter"`` (fiscal quarters: April–June, July–September, …).

    Returns
    -------
    numpy.ndarray
        int64 group labels, equal for months sharing a capacity (for ``"quarter"``, the month number of
        the quarter's first month). [months]
    """
    if per not in PER_CHOICES:
        raise ValidationError(f"per must be 'month' or 'quarter', got {per!r}")
    s = _months(starts, "starts")
    if per == "month":
        return s
    # fiscal quarters begin in April (month number ≡ 3 mod 12), July, October, January
    return s - (s - 3) % 3


def _label(month: int) -> str:
    y, m = divmod(int(month), 12)
    return f"{y:04d}-{m + 1:02d}"


def best_starts(costs: ArrayLike, starts: ArrayLike, *, capacity: int, per: str = "month",
                blackout: ArrayLike = (), allowed: ArrayLike | None = None,
                method: str = "auto") -> NDArray[np.int64]:
    """The first cloud month of each member minimising the council's total cost under cutover capacity.

    A transportation problem: each member is shipped to one start month; the months of one capacity
    group (a month, or a fiscal quarter) take at most ``capacity`` members together.  Within a group
    every member takes its own cheapest allowed month, so the problem is members (supply 1) × groups
    (capacity ``capacity``), solved exactly in int64 as a min-cost flow: OR-Tools' min-cost flow when
    the optional extra ``jichitai-cloud[solvers]`` is installed, otherwise successive shortest paths
    over the groups in numpy (both exact; ``method`` forces one).  When capacity does not bind, each
    member's own cheapest month is returned without a solver.

    Tie rule (the same in every route): among plans of least total cost, the plan whose capacity
    groups have the least sum of positions (earlier months first) is returned; costs are keyed
    ``(cost − member's minimum) × (N·(G − 1) + 1) + group position``, which orders plans by total
    cost first, exactly.  Plans still equal on both are rare; between them each route's choice is
    deterministic (same input, same plan) but the routes may differ.  When the keyed costs would
    leave 64-bit range (cost differences above about 10**13 yen at N = 1,741), the rule is dropped and
    ties are the solver's.

    Parameters
    ----------
    costs
        ``(N, M)`` int64 cost of each member starting in each candidate month (:func:`timing_costs`). [yen]
    starts
        ``(M,)`` candidate first cloud months. [months]
    capacity
        Most members that may start in one month (``per="month"``) or one fiscal quarter. [members]
    per
        ``"month"`` or ``"quarter"``.
    blackout
        Months in which no member may start (month numbers, the units of ``starts``). [months]
    allowed
        Optional ``(N, M)`` boolean mask: ``True`` where member ``i`` may start in month ``j`` (its
        own migration window, no gap without a system …).
    method
        ``"auto"`` (OR-Tools if installed and more than 32 members overflow their cheapest months,
        else numpy), ``"ortools"`` or ``"numpy"``.  On large councils the OR-Tools route solves on a
        few months per member first and adds months until group prices prove the plan optimal for
        all of them (:func:`jichitai_cloud._numeric._flow._ortools`); the plan is the same.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` int64 indices into ``starts``.  Within a capacity group a member takes the earliest of
        its cheapest months; between plans of equal total cost, the tie rule above.

    Raises
    ------
    InfeasibleAllocation
        If no plan exists, saying why: a member with no allowed month, more members than cutover
        slots in the window (``14 members, 12 cutover slots in the window``), or a group of members
        whose allowed months hold fewer slots than they are.
    ValidationError
        Bad shapes, float costs, a capacity below 1, an unknown ``per``.

    References
    ----------
    Ahuja, R. K., Magnanti, T. L., Orlin, J. B. (1993). Network Flows. Prentice Hall, ch. 9 (successive
    shortest paths, min-cost flow).
    """
    c = int64_array(costs, "costs")
    if c.ndim != 2:
        raise ValidationError(f"costs must be an (N, M) array (one council; loop over scenarios outside), "
                              f"got shape {c.shape}")
    n_members, n_months = c.shape
    s = _months(starts, "starts")
    if s.shape != (n_months,):
        raise ValidationError(f"starts must have shape ({n_months},) to match costs, got {s.shape}")
    if np.unique(s).size != s.size:
        raise ValidationError("starts must not repeat a month")
    if method not in FLOW_METHODS:
        raise ValidationError(f"method must be one of {', '.join(FLOW_METHODS)}, got {method!r}")
    if isinstance(capacity, bool) or not isinstance(capacity, int | np.integer) or capacity < 1:
        raise ValidationError(f"capacity must be an integer >= 1 [members], got {capacity!r}")
    groups = cutover_groups(s, per)
    ok = np.ones(c.shape, dtype=np.bool_)
    if allowed is not None:
        ok = boolean_array(allowed, "allowed", meaning="True where the member may start in that month")
        if ok.shape != c.shape:
            raise ValidationError(f"allowed must have the shape of costs {c.shape}, got {ok.shape}")
    black = _months(np.asarray(blackout, dtype=np.int64) if np.size(blackout) == 0 else blackout, "blackout")
    ok = ok & ~np.isin(s, black.ravel())[None, :]
    if n_members == 0:
        return np.zeros(0, dtype=np.int64)
    _check_feasible(ok, s, groups, int(capacity))

    masked = np.where(ok, c, np.iinfo(np.int64).max)
    own = np.argmin(masked, axis=1)  # each member's cheapest allowed month (earliest on ties)
    labels, group_of = np.unique(groups, return_inverse=True)
    counts = np.bincount(group_of[own], minlength=labels.size)
    if counts.max(initial=0) <= capacity:
        own_idx: NDArray[np.int64] = own.astype(np.int64)
        return own_idx

    # reduce to members x groups: the cheapest allowed month of each group for each member
    n_groups = labels.size
    order = np.lexsort((np.arange(n_months), group_of))  # months by group, earlier first
    by_group = masked[:, order]
    if n_groups == n_months:  # one month a group: nothing to reduce
        best_in = by_group
        month_of = np.broadcast_to(order, by_group.shape)
    else:
        first = np.searchsorted(group_of[order], np.arange(n_groups))
        best_in = np.minimum.reduceat(by_group, first, axis=1)  # (N, G)
        pos_in = _argmin_reduceat(by_group, first, best_in)
        month_of = order[pos_in]  # (N, G) index into starts of the cheapest month in each group
    usable = best_in < np.iinfo(np.int64).max
    shift = best_in.min(axis=1, where=usable, initial=np.iinfo(np.int64).max)
    rel = np.where(usable, best_in - shift[:, None], 0)
    # the documented tie rule: among plans of least total cost, the least sum of group positions
    # (earlier months first); scaled so that it never outweighs one yen
    weight = n_members * (n_groups - 1) + 1
    top = int(rel.max(initial=0))
    if (top * weight + n_groups) * (n_members + n_groups + 3) < 2**62:
        keyed = rel * weight + np.arange(n_groups)[None, :]
    else:  # too large for the rule: least total cost, ties broken by the solver (deterministically)
        keyed = rel
    chosen_group = assign_groups(keyed, usable, int(capacity), method)
    return month_of[np.arange(n_members), chosen_group].astype(np.int64)


def _argmin_reduceat(values: NDArray[np.int64], first: NDArray[np.intp], best: NDArray[np.int64]) -> NDArray[np.intp]:
    """Position (in ``values``' columns) of the first minimum of each column block starting at ``first``."""
    n_cols = values.shape[1]
    block = np.searchsorted(first, np.arange(n_cols), side="right") - 1  # block of each column
    hit = values == best[:, block]
    # first hit in each block: the smallest column index with hit within the block
    idx = np.where(hit, np.arange(n_cols)[None, :], n_cols)
    return np.minimum.reduceat(idx, first, axis=1)


def _check_feasible(ok: NDArray[np.bool_], s: NDArray[np.int64], groups: NDArray[np.int64], capacity: int) -> None:
    """Raise InfeasibleAllocation, saying why, when no plan can meet the capacity and the masks."""
    n_members = ok.shape[0]
    none = ~ok.any(axis=1)
    if none.any():
        who = np.flatnonzero(none)
        raise InfeasibleAllocation(
            f"{who.size} member(s) (rows {who[:10].tolist()}{' …' if who.size > 10 else ''}) have no allowed "
            "start month: their windows, the blackout months and the candidate months do not meet")
    labels, group_of = np.unique(groups, return_inverse=True)
    open_group = np.bincount(group_of, weights=ok.any(axis=0), minlength=labels.size) > 0
    total_slots = int(open_group.sum()) * capacity
    if n_members > total_slots:
        raise InfeasibleAllocation(
            f"{n_members} members, {total_slots} cutover slots in the window ({int(open_group.sum())} open "
            f"{'months' if np.array_equal(groups, s) else 'quarters'} x capacity {capacity})")
    # Hall's condition on intervals of groups: members whose allowed groups lie within [a, b]
    order = np.argsort(group_of, kind="stable")
    first = np.searchsorted(group_of[order], np.arange(labels.size))
    g_ok = np.logical_or.reduceat(ok[:, order], first, axis=1)  # (N, G): may start in some month of g
    lo = np.argmax(g_ok, axis=1)
    hi = labels.size - 1 - np.argmax(g_ok[:, ::-1], axis=1)
    n_g = labels.size
    inside = np.bincount(lo * n_g + hi, minlength=n_g * n_g).reshape(n_g, n_g)
    # members with lo >= a and hi <= b: suffix sum over lo, prefix sum over hi
    within = np.cumsum(np.cumsum(inside[::-1, :], axis=0)[::-1, :], axis=1)
    open_cum = np.concatenate([[0], np.cumsum(open_group)])
    a_idx, b_idx = np.meshgrid(np.arange(n_g), np.arange(n_g), indexing="ij")
    slots = (open_cum[b_idx + 1] - open_cum[a_idx]) * capacity
    short = (b_idx >= a_idx) & (within > slots)
    if short.any():
        a, b = (int(x) for x in np.argwhere(short)[0])
        first_month = int(s[group_of == a].min())
        last_month = int(s[group_of == b].max())
        raise InfeasibleAllocation(
            f"{int(within[a, b])} members can only start within {_label(first_month)}..{_label(last_month)}, "
            f"which holds {int(slots[a, b])} cutover slots (capacity {capacity})")
