"""Participant selection kernels (参加団体の選定): the cheapest partition of candidates into groups.

A selection problem on ``n`` candidates is a coalition cost vector ``costs`` of length ``2**n``
indexed by bitmask, as in :mod:`jichitai_cloud.games` (bit ``i`` set = candidate ``i`` in the
group; ``costs[0] == 0``; ``costs[1 << i]`` is candidate ``i`` alone).  A *selection* is a partition
of all candidates into groups, each procuring one shared cloud; a candidate left on its own keeps
its current system.  The kernels find the partition of least total cost:

- :func:`best_partition`: exact dynamic programming over all subsets (``n`` up to 24; about 20 in
  practice, see the Notes);
- :func:`best_partition_from_groups`: exact set partitioning over an explicit list of candidate
  groups, solved as an integer program by scipy's HiGHS (a whole prefecture, tens of candidates);
- :func:`contiguous_groups`, :func:`window_groups`, :func:`diameter_groups`: which groups satisfy
  a constraint (connected in an adjacency graph, values within a window, members within a
  distance), as boolean masks to pass as ``allowed``.

Pure functions over numpy arrays; imports numpy, scipy (only inside
:func:`best_partition_from_groups`), :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`.
There is no Python loop over subsets or groups: the only loops are over the sizes of the sets
(at most ``n``), over blocks of sets (to bound memory), over the bits of a member (at most ``n``)
and over the at most ``n`` groups of one partition.

References
----------
Bellman, R. (1957). *Dynamic Programming*. Princeton University Press (the subset recursion).

Balas, E. and Padberg, M. W. (1976). Set partitioning: a survey. *SIAM Review* 18(4), 710-760.

Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
*Mathematical Programming Computation* 10(1), 119-142 (HiGHS).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import boolean_array, int64_array, whole_number
from ...errors import SelectionError, ValidationError
from ._setpart import set_partition

__all__ = [
    "DP_MAX_N",
    "DP_MAX_N_LARGE_GROUPS",
    "MAX_DP_CANDIDATES",
    "METHODS",
    "PartitionResult",
    "best_partition",
    "best_partition_from_groups",
    "choose_method",
    "contiguous_groups",
    "diameter_groups",
    "dp_work",
    "partition_search",
    "window_groups",
]

I64 = NDArray[np.int64]
Bool = NDArray[np.bool_]

MAX_DP_CANDIDATES = 24
"""Most candidates :func:`best_partition` accepts (its tables take ``16 * 2**n`` bytes)."""

MAX_COST = 2**55
"""Largest coalition cost the kernels accept (so that sums of ``n`` costs stay exact in int64). [yen]"""

_INF = np.int64(2**61)
_BLOCK = 1 << 20  # elements (sets x candidate groups) per block: keeps temporaries near 8 MB each


# ----------------------------------------------------------------------------------------------
# checks and the subset lattice
# ----------------------------------------------------------------------------------------------
def _check_costs(costs: ArrayLike, name: str = "costs") -> tuple[I64, int]:
    arr = np.asarray(costs)
    if arr.ndim != 1:
        raise SelectionError(f"{name} must be a vector of length 2**n indexed by bitmask, got shape {arr.shape}")
    c = int64_array(arr, name)
    n = c.size.bit_length() - 1
    if c.size < 2 or (1 << n) != c.size:
        raise SelectionError(f"{name} must have length 2**n (n >= 1 candidates, indexed by bitmask), "
                             f"got length {c.size}")
    if n > MAX_DP_CANDIDATES:
        raise SelectionError(f"best_partition takes at most {MAX_DP_CANDIDATES} candidates, got {n}; for more, "
                             "list the candidate groups and use best_partition_from_groups")
    if c[0] != 0:
        raise SelectionError(f"{name}[0] (the empty group) must be 0, got {int(c[0])}")
    # one pass: read as unsigned, a negative cost is above 2**63 > MAX_COST
    if int(c.view(np.uint64).max()) > MAX_COST:
        if c.min() < 0:
            i = int(np.argmin(c))
            raise SelectionError(f"{name}[{i}] must be >= 0 [yen], got {int(c[i])}")
        i = int(np.argmax(c))
        raise SelectionError(f"{name}[{i}] must be at most 2**55 [yen], got {int(c[i])}")
    return c, n


def _groups_up_to(n: int, k: int) -> I64:
    """Every group of 1 to ``k`` of the ``n`` candidates as bitmasks, ascending (no pass over all ``2**n``).

    Groups of ``j + 1`` members are those of ``j`` members extended by one candidate above their
    highest: a loop over the sizes (at most ``k``), each a vectorised repeat.
    """
    level = np.left_shift(np.int64(1), np.arange(n, dtype=np.int64))
    top = np.arange(n, dtype=np.int64)  # the highest member of each group
    out = [level]
    for _ in range(1, k):  # sizes 2 .. k
        count = n - 1 - top
        rep = np.repeat(np.arange(level.size), count)
        first = np.repeat(np.cumsum(count) - count, count)
        top = top[rep] + 1 + (np.arange(rep.size, dtype=np.int64) - first)
        level = level[rep] | np.left_shift(np.int64(1), top)
        out.append(level)
    return np.sort(np.concatenate(out))


def _permitted(n: int, size: int, ok: Bool | None) -> I64:
    """The permitted groups as ascending bitmasks: at most ``size`` members, ``ok`` (singles always)."""
    count = sum(_binom(n, j) for j in range(1, size + 1))
    if 8 * count < (1 << n):  # few groups: list them directly
        masks = _groups_up_to(n, size)
        if ok is not None:
            masks = masks[ok[masks] | ((masks & (masks - 1)) == 0)]
        return masks
    pc = _popcount(n)
    keep = pc <= size
    if ok is not None:
        keep &= ok | (pc == 1)
    keep[0] = False
    return np.flatnonzero(keep).astype(np.int64)


def _popcount(n: int) -> NDArray[np.int8]:
    """Number of members of every subset of ``n``, indexed by bitmask (a doubling loop over bits)."""
    pc = np.zeros(1 << n, dtype=np.int8)
    for i in range(n):
        half = 1 << i
        pc[half: 2 * half] = pc[:half] + 1
    return pc


def _subset_sums(values: I64) -> I64:
    """``out[..., t] = sum(values[..., j] for j in t)`` for every subset ``t`` of the last axis."""
    k = values.shape[-1]
    out = np.zeros((*values.shape[:-1], 1 << k), dtype=np.int64)
    for j in range(k):
        half = 1 << j
        out[..., half: 2 * half] = out[..., :half] + values[..., j: j + 1]
    return out


def _subset_or(masks: I64) -> I64:
    """``out[S] = OR(masks[i] for i in S)`` for every subset ``S`` of ``len(masks)`` members."""
    n = masks.shape[-1]
    out = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        half = 1 << i
        out[half: 2 * half] = out[:half] | masks[i]
    return out


def _members_matrix(sets: I64, n: int, k: int) -> I64:
    """The members' bit values of each set of exactly ``k`` members, shape ``(len(sets), k)``, ascending."""
    bits = (sets[:, None] >> np.arange(n, dtype=np.int64)) & 1
    cols = np.nonzero(bits)[1].reshape(len(sets), k)
    out: I64 = np.left_shift(np.int64(1), cols.astype(np.int64))
    return out


# ----------------------------------------------------------------------------------------------
# the exact dynamic programme over subsets
# ----------------------------------------------------------------------------------------------
METHODS = ("auto", "dp", "milp")
"""The routes of :func:`partition_search`: ``"dp"`` (subset dynamic programme), ``"milp"`` (set
partitioning over the permitted groups: LP bound, reduced-cost fixing, HiGHS, exact search) and
``"auto"`` (chosen by the estimated work, see :func:`choose_method`)."""

DP_MAX_N = 14
"""``"auto"`` uses the subset DP for at most this many candidates, whatever ``max_size``. [candidates]"""

DP_MAX_N_LARGE_GROUPS = 17
"""... and up to this many when groups may hold more than half of the candidates. [candidates]"""


class PartitionResult(NamedTuple):
    """What :func:`partition_search` found.

    Attributes
    ----------
    groups
        The groups (bitmasks) of the best partition found, ascending. [bitmask]
    total
        Their total cost. [yen]
    lower_bound
        A proven lower bound on the optimum (``== total`` when proven optimal). [yen]
    proven_optimal
        Whether ``total`` is proven to be the optimum (False only when ``time_limit`` was reached).
    method
        The route that ran: ``"dp"`` or ``"milp"``.
    """

    groups: I64
    total: int
    lower_bound: int
    proven_optimal: bool
    method: str

    @property
    def gap(self) -> float:
        """``(total - lower_bound) / total`` (0 when proven optimal). [1]"""
        return 0.0 if self.total <= 0 else (self.total - self.lower_bound) / self.total


def _binom(a: int, b: int) -> int:
    return math.comb(a, b) if 0 <= b <= a else 0


def dp_work(n: int, max_size: int | None = None) -> int:
    """(set, group) pairs the subset DP evaluates: ``sum over m of C(n, m) * sum_{j < min(k, m)} C(m-1, j)``. [1]

    Without ``max_size`` this is ``(3**n - 1) / 2``.
    """
    k = n if max_size is None else min(max_size, n)
    return sum(_binom(n, m) * sum(_binom(m - 1, j) for j in range(min(k, m))) for m in range(1, n + 1))


def choose_method(n: int, max_size: int | None = None) -> str:
    """The route ``method="auto"`` takes: ``"dp"`` or ``"milp"``.

    ``"dp"`` when ``n <= DP_MAX_N`` (14), or when groups may hold more than half of the
    candidates (``max_size`` ``None`` or ``> n / 2``) and ``n <= DP_MAX_N_LARGE_GROUPS`` (17);
    ``"milp"`` otherwise.  Measured (``benchmarks/bench_selection.py``, busy 2-core machine): the
    DP's time is about ``2e-8 * dp_work + 5e-8 * 2**n`` seconds, a few milliseconds up to n = 14
    whatever ``max_size``; the set partitioning route costs 2 to 50 ms on small instances (one
    LP, then an exact search or a few HiGHS calls) and grows with the number of permitted
    groups, slowly while the LP bound is tight (size-limited groups: n = 16 to 24 in 0.02 to 6 s) and faster without a size limit,
    where the LP is very degenerate (n = 16 in 1.2 s against the DP's 0.4 s; n = 20 in 4 to 10
    s against the DP's 28 s).
    """
    k = n if max_size is None else min(max_size, n)
    if n <= DP_MAX_N or (2 * k > n and n <= DP_MAX_N_LARGE_GROUPS):
        return "dp"
    return "milp"


def _covering_bound(eff: I64, pc: NDArray[np.int8], n: int) -> int:
    """Every partition costs at least ``sum_i min over permitted g containing i of cost[g] / |g|``. [yen]"""
    per = eff[1:] / pc[1:].astype(np.float64)
    s = np.arange(1, 1 << n, dtype=np.int64)
    lows = [float(per[((s >> np.int64(i)) & 1) == 1].min()) for i in range(n)]  # n passes
    bound = sum(lows)
    return max(0, int(np.ceil(bound - 1e-6 - 1e-9 * bound)))


def partition_search(costs: ArrayLike, *, max_size: int | None = None, allowed: ArrayLike | None = None,
                     method: str = "auto", time_limit: float | None = None) -> PartitionResult:
    """The cheapest partition of all candidates into permitted groups, with its proof (or bound).

    Parameters
    ----------
    costs
        Cost of every group, indexed by bitmask: int64, shape ``(2**n,)``, ``costs[0] == 0``,
        ``>= 0``; ``costs[1 << i]`` is candidate ``i`` alone. [yen]
    max_size
        Most candidates in one group (``None``: no limit). [candidates]
    allowed
        Boolean mask of shape ``(2**n,)`` of the groups that may be formed; single candidates are
        always permitted.
    method
        ``"auto"`` (default: by :func:`choose_method`), ``"dp"`` (subset dynamic programme) or
        ``"milp"`` (set partitioning over the permitted groups with HiGHS, see
        :mod:`._setpart`).  Every method returns the same groups (the tie rule below).
    time_limit
        Stop after about this long with the best partition found, a proven lower bound and
        ``proven_optimal=False`` (``None``: no limit).  The DP checks it between blocks of sets
        (its bound is then the covering bound, weak); the set partitioning route between its
        steps and inside HiGHS. [s]

    Returns
    -------
    PartitionResult
        ``groups``, ``total`` [yen], ``lower_bound`` [yen], ``proven_optimal``, ``method`` and ``gap``.

    Raises
    ------
    SelectionError
        Malformed ``costs`` or ``allowed`` (as :func:`best_partition`), an unknown ``method``.
    ValidationError
        ``max_size`` not an integer >= 1, ``time_limit`` not a number > 0.

    Notes
    -----
    Tie rule (every method): among the optimal partitions, the group of candidate 0 is the
    smallest bitmask that begins an optimal partition; then the same for the lowest candidate not
    yet placed, and so on.  The DP does this by taking the first minimum over groups in ascending
    bitmask order; the set partitioning route proves the optimum, keeps every group that can be
    in an optimal partition (reduced-cost fixing at the optimum) and applies the rule by an exact
    search over them in integer yen.
    """
    c, n = _check_costs(costs)
    if method not in METHODS:
        raise SelectionError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    size = n if max_size is None else min(whole_number(max_size, "max_size", low=1, unit="candidates"), n)
    deadline = None
    if time_limit is not None:
        if isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not time_limit > 0 \
                or not math.isfinite(time_limit):
            raise ValidationError(f"time_limit must be a number of seconds > 0, got {time_limit!r}")
        deadline = time.perf_counter() + float(time_limit)
    ok = None
    if allowed is not None:
        ok = boolean_array(allowed, "allowed", meaning="True where a group may be formed")
        if ok.shape != c.shape:
            raise SelectionError(f"allowed must have the shape of costs {c.shape}, got {ok.shape}")
    route = choose_method(n, size) if method == "auto" else method
    if route == "milp":
        masks = _permitted(n, size, ok)
        groups, total, lower, proven = set_partition(masks, c[masks], n, deadline=deadline)
        return PartitionResult(groups, total, lower, proven, "milp")
    pc = _popcount(n)
    eff = c  # read only, unless some groups are forbidden (then a copy)
    if ok is not None:
        eff = c.copy()
        eff[~ok] = _INF
        single = np.left_shift(np.int64(1), np.arange(n, dtype=np.int64))
        eff[single] = c[single]
        eff[0] = 0
    groups_dp = _dp(eff, pc, n, size, deadline)
    if groups_dp is None:  # the deadline passed: every candidate alone, and the covering bound
        alone = np.left_shift(np.int64(1), np.arange(n, dtype=np.int64))
        if size < n:
            eff = eff.copy() if eff is c else eff
            eff[pc > size] = _INF
        total = int(c[alone].sum())
        return PartitionResult(alone, total, min(_covering_bound(eff, pc, n), total), False, "dp")
    total = int(c[groups_dp].sum())
    return PartitionResult(groups_dp, total, total, True, "dp")


def best_partition(costs: ArrayLike, *, max_size: int | None = None, allowed: ArrayLike | None = None,
                   method: str = "auto") -> I64:
    """The partition of all candidates into groups of least total cost (exact).

    Parameters
    ----------
    costs
        Cost of every group of the ``n`` candidates procuring together, indexed by bitmask as in
        :mod:`jichitai_cloud.games`: int64, shape ``(2**n,)``, ``costs[0] == 0``, every entry
        ``>= 0``; ``costs[1 << i]`` is candidate ``i`` alone (its current cost). [yen]
    max_size
        Most candidates in one group (``None``: no limit). [candidates]
    allowed
        Boolean mask of shape ``(2**n,)``: the groups that may be formed (e.g. the connected ones
        from :func:`contiguous_groups`, combined with ``&``).  Single candidates are always
        permitted, so a partition always exists.
    method
        ``"auto"``, ``"dp"`` or ``"milp"``: see :func:`partition_search` (same groups from each).

    Returns
    -------
    numpy.ndarray of int64
        The groups (bitmasks) of an optimal partition, in increasing order; they are disjoint and
        cover every candidate.  Its cost is ``costs[groups].sum()``. [bitmask]

    Raises
    ------
    SelectionError
        ``costs`` is not of length ``2**n`` (1 <= n <= 24), is not integer, is negative, above
        2**55 yen, or ``costs[0] != 0``; ``allowed`` has the wrong shape; unknown ``method``.
    ValidationError
        ``max_size`` is not an integer >= 1, or ``allowed`` is not boolean.

    Notes
    -----
    ``"dp"``: the recursion ``best(S) = min over groups g of S that contain the lowest member of S
    of costs[g] + best(S - g)`` is evaluated layer by layer (sets of 1, 2, ..., n members).  For
    all sets of one size at once, the groups containing their lowest member are the set's lowest
    bit plus every subset of its other members, an outer sum of two halves; the cost of the rest
    is read from the layers already done.  Work :func:`dp_work` (``3**n / 2`` without
    ``max_size``), memory ``16 * 2**n`` bytes plus blocks of about 8 MB.

    ``"milp"``: set partitioning over the permitted groups (LP bound by column generation,
    reduced-cost fixing, HiGHS, exact search), see :func:`partition_search`.  ``"auto"`` picks by
    :func:`choose_method`.  Ties: see :func:`partition_search` (the same rule for every method).

    References
    ----------
    Bellman, R. (1957). *Dynamic Programming*. Princeton University Press.

    Examples
    --------
    >>> best_partition([0, 5, 5, 8, 5, 10, 10, 15]).tolist()   # {0, 1} together, 2 alone
    [3, 4]
    """
    return partition_search(costs, max_size=max_size, allowed=allowed, method=method).groups


def _dp(eff: I64, pc: NDArray[np.int8], n: int, size: int, deadline: float | None) -> I64 | None:
    """The subset DP on effective costs (forbidden groups at ``_INF``); None if ``deadline`` passed."""
    order = np.argsort(pc, kind="stable").astype(np.int64)
    start = np.concatenate(([0], np.cumsum(np.bincount(pc, minlength=n + 1))))
    best = np.zeros(1 << n, dtype=np.int64)
    choice = np.zeros(1 << n, dtype=np.int64)
    for k in range(1, n + 1):  # layers by size: a bounded loop over n
        if not _layer(order[start[k]: start[k + 1]], n, k, size, eff, best, choice, deadline):
            return None
    groups = []
    rest = (1 << n) - 1
    while rest:  # at most n groups
        g = int(choice[rest])
        groups.append(g)
        rest -= g
    return np.array(sorted(groups), dtype=np.int64)


def _layer(sets: I64, n: int, k: int, size: int, eff: I64, best: I64, choice: I64, deadline: float | None) -> bool:
    """Fill ``best`` and ``choice`` for every set of ``k`` members (False if ``deadline`` passed)."""
    free = k - 1
    lo_k = free // 2
    hi_k = free - lo_k
    pc_lo = _popcount(lo_k).astype(np.int64)
    pc_hi = _popcount(hi_k).astype(np.int64)
    limit = size - 1  # members in the group besides the lowest
    whole = limit >= free
    if not whole:
        pairs = np.nonzero(pc_hi[:, None] + pc_lo[None, :] <= limit)
        col_hi, col_lo = pairs[0].astype(np.int64), pairs[1].astype(np.int64)
        width = col_hi.size
    else:
        width = 1 << free
    rows = max(1, _BLOCK // max(width, 1))
    for a in range(0, sets.size, rows):  # blocks of sets, to bound memory
        if deadline is not None and time.perf_counter() > deadline:
            return False
        s = sets[a: a + rows]
        vals = _members_matrix(s, n, k)
        low = vals[:, 0]
        lo_sum = _subset_sums(vals[:, 1: 1 + lo_k])
        hi_sum = _subset_sums(vals[:, 1 + lo_k:])
        rest = (s - low)[:, None]
        if whole:
            sub = (hi_sum[:, :, None] + lo_sum[:, None, :]).reshape(s.size, width)
            other = sub[:, ::-1]  # the complement of pattern t within the other members is pattern ~t
        else:
            sub = hi_sum[:, col_hi] + lo_sum[:, col_lo]
            other = rest - sub
        group = sub + low[:, None]
        total = np.take(eff, group, mode="clip")
        total += np.take(best, other, mode="clip")
        j = np.argmin(total, axis=1)
        r = np.arange(s.size)
        best[s] = total[r, j]
        choice[s] = group[r, j]
    return True


# ----------------------------------------------------------------------------------------------
# set partitioning over explicit candidate groups (HiGHS)
# ----------------------------------------------------------------------------------------------
def _group_masks(groups: Any, n: int) -> I64:
    """Candidate groups as bitmasks: an integer array of bitmasks, or a sequence of member index tuples."""
    arr = groups if isinstance(groups, np.ndarray) else None
    if arr is None and isinstance(groups, Sequence) and not isinstance(groups, str | bytes) and all(
            isinstance(g, int | np.integer) and not isinstance(g, bool) for g in groups):
        arr = np.asarray(groups, dtype=np.int64).reshape(len(groups))
    if arr is not None:
        if arr.ndim != 1:
            raise SelectionError(f"groups as bitmasks must be a vector, got shape {arr.shape}")
        masks = int64_array(arr, "groups", unit="bitmask")
        bad = (masks <= 0) | (masks >= (np.int64(1) << np.int64(n)))
        if bad.any():
            i = int(np.argmax(bad))
            raise SelectionError(f"groups[{i}] must be a non-empty bitmask of the {n} candidates "
                                 f"(1 .. {(1 << n) - 1}), got {int(masks[i])}")
        return masks
    if isinstance(groups, str | bytes) or not isinstance(groups, Sequence):
        raise SelectionError(f"groups must be bitmasks or a sequence of tuples of candidate indices, got {groups!r}")
    out = []
    for i, g in enumerate(groups):
        if isinstance(g, str | bytes) or not isinstance(g, Sequence | set | frozenset):
            raise SelectionError(f"groups[{i}] must be a tuple of candidate indices (or every group a bitmask), "
                                 f"got {g!r}")
        members = list(g)
        if not members:
            raise SelectionError(f"groups[{i}] is empty: a group has at least one candidate")
        if any(isinstance(x, bool) or not isinstance(x, int | np.integer) or not 0 <= x < n for x in members):
            raise SelectionError(f"groups[{i}] must hold candidate indices in 0..{n - 1}, got {members!r}")
        if len({int(x) for x in members}) != len(members):
            raise SelectionError(f"groups[{i}] names a candidate twice: {members!r}")
        out.append(sum(1 << int(x) for x in members))
    return np.array(out, dtype=np.int64)


def best_partition_from_groups(groups: Any, costs: ArrayLike, n: int, *, time_limit: float | None = None) -> I64:
    """The cheapest partition of ``n`` candidates into groups from an explicit list (exact set partitioning).

    Parameters
    ----------
    groups
        The groups that may be formed: an integer array of bitmasks (bit ``i`` = candidate ``i``),
        or a sequence of tuples of candidate indices.  Single candidates are **not** added: list
        them (with their current costs) if a candidate may stay alone.  A group listed twice is
        allowed (the cheaper one is used).
    costs
        Cost of each group, integer, ``>= 0``, at most 2**55, shape ``(len(groups),)``. [yen]
    n
        Number of candidates, 1 to 62. [candidates]
    time_limit
        Stop the solver after this long and raise (``None``: no limit). [s]

    Returns
    -------
    numpy.ndarray of int64
        The chosen groups (bitmasks), in increasing order: disjoint, covering every candidate, of
        least total cost among the partitions into listed groups. [bitmask]

    Raises
    ------
    SelectionError
        No partition into the listed groups covers every candidate (the message names the
        candidates no group covers, if any), a group or cost is malformed, or the solver stopped
        at ``time_limit`` without proving an optimum.
    ImportError
        scipy is not installed (the ``games`` extra: ``pip install 'jichitai-cloud[games]'``).

    Notes
    -----
    Minimise ``sum(costs[g] * x[g])`` subject to ``sum(x[g] for g containing i) == 1`` for every
    candidate ``i``, ``x`` binary: the set partitioning problem, solved by scipy's
    :func:`scipy.optimize.milp` (HiGHS branch and bound) with a relative gap of 0.  Exact for yen
    amounts: the objective values are integers below 2**53, far apart compared with the solver's
    tolerances, and the solver's answer is checked to be a partition.  Set partitioning is NP-hard:
    structured groups (limited by borders, size and timing) of a prefecture solve in well under a
    second, but random groups of many candidates can take long (see the benchmark).

    References
    ----------
    Balas, E. and Padberg, M. W. (1976). Set partitioning: a survey. *SIAM Review* 18(4), 710-760.

    Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
    *Mathematical Programming Computation* 10(1), 119-142.

    Examples
    --------
    >>> best_partition_from_groups([(0,), (1,), (2,), (0, 1), (1, 2)], [5, 5, 5, 8, 9], 3).tolist()
    [3, 4]
    """
    n = whole_number(n, "n", low=1, high=62, unit="candidates")
    masks = _group_masks(groups, n)
    c = int64_array(costs, "costs")
    if c.shape != masks.shape:
        raise SelectionError(f"costs must have one entry per group ({masks.size}), got shape {c.shape}")
    if c.size and c.min() < 0:
        i = int(np.argmin(c))
        raise SelectionError(f"costs[{i}] must be >= 0 [yen], got {int(c[i])}")
    if c.size and c.max() > MAX_COST:
        i = int(np.argmax(c))
        raise SelectionError(f"costs[{i}] must be at most 2**55 [yen], got {int(c[i])}")
    member = ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(bool)  # (groups, n)
    covered = member.any(axis=0)
    if not covered.all():
        raise SelectionError(f"no partition covers every candidate: candidate(s) "
                             f"{np.flatnonzero(~covered).tolist()} are in no listed group (list them alone)")
    try:
        from scipy import sparse
        from scipy.optimize import Bounds, LinearConstraint, milp
    except ImportError as exc:  # pragma: no cover - exercised only without scipy
        raise ImportError("best_partition_from_groups needs scipy, an optional extra: "
                          "pip install 'jichitai-cloud[games]'") from exc
    rows, cols = np.nonzero(member.T)
    a = sparse.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, masks.size))
    options: dict[str, Any] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    res = milp(c.astype(np.float64), constraints=LinearConstraint(a, 1, 1), integrality=np.ones(masks.size),
               bounds=Bounds(0, 1), options=options)
    if res.status != 0 or res.x is None:
        if res.status == 2:
            raise SelectionError(f"no partition of the {n} candidates into the {masks.size} listed groups "
                                 "covers every candidate exactly once (add single candidates or other groups)")
        raise SelectionError(f"the set partitioning solver stopped without proving an optimum "
                             f"(time_limit={time_limit}): {res.message}")
    chosen = masks[np.asarray(res.x) > 0.5]
    check = ((chosen[:, None] >> np.arange(n, dtype=np.int64)) & 1).sum(axis=0)
    if not np.all(check == 1):  # pragma: no cover - the solver's answer is checked, not trusted
        raise SelectionError("the set partitioning solver returned groups that do not partition the candidates")
    return np.sort(chosen)


# ----------------------------------------------------------------------------------------------
# constraints as masks over all groups
# ----------------------------------------------------------------------------------------------
def _check_n(n: int, what: str) -> None:
    if n < 1 or n > MAX_DP_CANDIDATES:
        raise SelectionError(f"{what} covers 1..{MAX_DP_CANDIDATES} candidates, got {n}")


def contiguous_groups(adjacency: ArrayLike) -> Bool:
    """Which groups are connected in an adjacency graph (contiguity, 隣接).

    Parameters
    ----------
    adjacency
        Boolean matrix ``(n, n)``: ``adjacency[i, j]`` when candidates ``i`` and ``j`` border each
        other; read as symmetric (either entry suffices), the diagonal is ignored.

    Returns
    -------
    numpy.ndarray of bool, shape ``(2**n,)``
        True for every group whose members are connected through borders between members (single
        candidates and the empty group included).

    Notes
    -----
    From each group's lowest member, the reachable set grows by the neighbours of what it holds
    (an OR over the group's members, read from two half tables), at most ``n - 1`` rounds for all
    groups at once.
    """
    adj = boolean_array(adjacency, "adjacency", meaning="True where two candidates border each other")
    if adj.ndim != 2 or adj.shape[0] != adj.shape[1]:
        raise SelectionError(f"adjacency must be a square (n, n) matrix, got shape {adj.shape}")
    n = adj.shape[0]
    _check_n(n, "contiguous_groups")
    adj = (adj | adj.T) & ~np.eye(n, dtype=bool)
    nb = (adj.astype(np.int64) << np.arange(n, dtype=np.int64)[None, :]).sum(axis=1)
    lo = n // 2
    table_lo = _subset_or(nb[:lo]) if lo else np.zeros(1, dtype=np.int64)
    table_hi = _subset_or(nb[lo:])
    s = np.arange(1 << n, dtype=np.int64)
    reach = s & -s
    lo_mask = (1 << lo) - 1
    for _ in range(n - 1):  # at most n - 1 rounds
        grown = s & (reach | table_lo[reach & lo_mask] | table_hi[reach >> lo])
        if np.array_equal(grown, reach):
            break
        reach = grown
    out: Bool = reach == s
    return out


def window_groups(values: ArrayLike, width: float) -> Bool:
    """Which groups have all their members' values within ``width`` of each other (e.g. contract ends).

    Parameters
    ----------
    values
        One value per candidate, shape ``(n,)``, e.g. the month each contract ends as a month
        number; NaN for unknown (such a candidate fits any group). [months, or any unit]
    width
        Largest allowed difference between two members of a group, >= 0. [same unit]

    Returns
    -------
    numpy.ndarray of bool, shape ``(2**n,)``
        True where ``max - min <= width`` over the group's members with known values.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise SelectionError(f"values must be a vector (one per candidate), got shape {v.shape}")
    n = v.size
    _check_n(n, "window_groups")
    if np.isinf(v).any():
        raise ValidationError(f"values must be finite or NaN (unknown), got {v.tolist()}")
    w = float(width)
    if not w >= 0:
        raise ValidationError(f"width must be a number >= 0, got {width!r}")
    far = np.abs(v[:, None] - v[None, :]) > w  # NaN compares False: unknown fits
    return _no_pair(far)


def diameter_groups(distances: ArrayLike, limit: float) -> Bool:
    """Which groups have every two members at most ``limit`` apart (e.g. km between town halls).

    Parameters
    ----------
    distances
        Symmetric matrix ``(n, n)`` of distances, >= 0 (NaN: unknown, never too far). [km]
    limit
        Largest allowed distance between two members of a group. [km]

    Returns
    -------
    numpy.ndarray of bool, shape ``(2**n,)``
        True where no two members of the group are farther apart than ``limit``.
    """
    d = np.asarray(distances, dtype=np.float64)
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise SelectionError(f"distances must be a square (n, n) matrix, got shape {d.shape}")
    _check_n(d.shape[0], "diameter_groups")
    if (d < 0).any() or np.isinf(d).any():
        raise ValidationError("distances must be finite and >= 0 [km] (NaN for unknown)")
    lim = float(limit)
    if not lim >= 0:
        raise ValidationError(f"limit must be a number >= 0 [km], got {limit!r}")
    far = d > lim
    return _no_pair(far | far.T)


def _no_pair(bad: Bool) -> Bool:
    """True for every group containing no pair ``(i, j)`` with ``bad[i, j]``."""
    n = bad.shape[0]
    bad = bad & ~np.eye(n, dtype=bool)
    masks = (bad.astype(np.int64) << np.arange(n, dtype=np.int64)[None, :]).sum(axis=1)
    reach = _subset_or(masks)
    s = np.arange(1 << n, dtype=np.int64)
    out: Bool = (reach & s) == 0
    return out
