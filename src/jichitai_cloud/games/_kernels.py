"""Cooperative cost games on a coalition cost vector: pure numpy kernels.

A cost game on ``n`` members is a vector ``costs`` of length ``2**n`` indexed by bitmask: bit ``i``
of the index is set when member ``i`` belongs to the coalition, so ``costs[0]`` is the empty
coalition (cost 0), ``costs[1 << i]`` is member ``i`` alone (its stand-alone cost) and
``costs[2**n - 1]`` is the grand coalition.  Every kernel accepts a leading batch (scenario) axis:
``costs`` of shape ``(..., 2**n)``.

No kernel loops in Python over members, coalitions, permutations or scenarios.  Sums over the
subset lattice use one split of the bitmask into a low and a high half (``S = hi * 2**lo + lo``), so
the sum over all coalitions that contain a member becomes two matrix products with the small
membership matrices of the halves.  The only Python loops are over a bounded number of refinement
rounds: the nucleolus's sequence of at most ``n - 1`` linear programs, the at most ``n`` rounds of
the partition completion, the zoom rounds of the exponent fit, and the batches of the permutation
sampler.

Excess follows the cost-game convention of the issue: the excess of coalition ``S`` under an
allocation ``x`` is ``x(S) - c(S)``, what its members pay in the council minus what they would pay on
their own; an allocation is in the core when no proper coalition has a positive excess.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games II*,
Annals of Mathematics Studies 28, 307-317.

Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on Applied
Mathematics* 17(6), 1163-1170.

Maschler, M., Peleg, B. and Shapley, L. S. (1979). Geometric properties of the kernel, nucleolus
and related solution concepts. *Mathematics of Operations Research* 4(4), 303-338.

Young, H. P., Okada, N. and Hashimoto, T. (1982). Cost allocation in water resources development.
*Water Resources Research* 18(3), 463-475.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import GameError

__all__ = [
    "SampledShapley",
    "coalition_sums",
    "complete_partition",
    "core_violation",
    "fit_power_cost",
    "members_of",
    "nucleolus",
    "relabel",
    "restrict",
    "sampled_shapley",
    "scrb",
    "shapley",
]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


# ----------------------------------------------------------------------------------------------
# validation and the subset lattice
# ----------------------------------------------------------------------------------------------
def _members_from_length(length: int) -> int:
    n = length.bit_length() - 1
    if length < 2 or (1 << n) != length:
        raise GameError(
            f"costs must have length 2**n along its last axis (n >= 1 members, indexed by bitmask), "
            f"got length {length}"
        )
    return n


def _check_costs(costs: ArrayLike, *, keep_int: bool = False) -> tuple[NDArray[Any], int]:
    """Validate a coalition cost vector; float64 (or int64 if ``keep_int`` and integer input)."""
    c = np.asarray(costs)
    if c.ndim == 0:
        raise GameError(f"costs must be a vector of length 2**n, got the scalar {c!r}")
    if c.dtype == np.bool_ or c.dtype.kind not in "iuf":
        raise GameError(f"costs must be numbers (integer or float yen), got dtype {c.dtype}")
    n = _members_from_length(c.shape[-1])
    # fast path: two reductions decide the common case (min propagates NaN, max shows infinity)
    if c.size and c.min() >= 0 and (c.dtype.kind != "f" or c.max() < np.inf) and not c[..., 0].any():
        if keep_int and c.dtype.kind in "iu":
            if c.dtype.kind == "u" and c.max() > np.iinfo(np.int64).max:
                raise GameError("costs exceed the int64 range")
            return c.astype(np.int64, copy=False), n
        return c.astype(np.float64, copy=False), n
    if c.dtype.kind == "f":
        bad = ~np.isfinite(c)
        if bad.any():
            where = np.argwhere(bad)[0]
            raise GameError(
                f"costs must be finite, got {c[tuple(where)]!r} at index {tuple(int(k) for k in where)} "
                f"(coalition bitmask {int(where[-1])})"
            )
    if (c < 0).any():
        where = np.argwhere(c < 0)[0]
        raise GameError(
            f"costs must be >= 0 [yen], got {c[tuple(where)]!r} for coalition bitmask {int(where[-1])}"
        )
    if (c[..., 0] != 0).any():
        raise GameError(
            f"costs[0] (the empty coalition) must be 0, got {np.asarray(c[..., 0]).ravel()[0]!r}"
        )
    if keep_int and c.dtype.kind in "iu":
        if c.dtype.kind == "u" and c.size and c.max() > np.iinfo(np.int64).max:
            raise GameError("costs exceed the int64 range")
        return c.astype(np.int64, copy=False), n
    return c.astype(np.float64, copy=False), n


def _bits(k: int) -> NDArray[np.int64]:
    """Membership matrix of the ``2**k`` subsets of ``k`` members: row S, column i is bit i of S."""
    return (np.arange(1 << k, dtype=np.int64)[:, None] >> np.arange(k, dtype=np.int64)) & 1


@functools.lru_cache(maxsize=32)
def _shapley_tables(n: int) -> tuple[F64, F64, F64, F64]:
    """Per-coalition weights of :func:`shapley` and the halves' membership matrices (cached, read-only).

    ``w(s) = s! (n-1-s)! / n!`` from ``w(0) = 1/n`` and ``w(s+1) / w(s) = (s+1) / (n-1-s)``;
    ``coef_in[S] = w(|S|-1) + w(|S|)`` (the weight of ``c(S)`` for a member in ``S``) and
    ``coef_out[S] = w(|S|)`` (``w(n) = 0``).
    """
    s = np.arange(1, n, dtype=np.float64)
    w = np.zeros(n + 1)
    w[:n] = np.concatenate([[1.0 / n], (1.0 / n) * np.cumprod(s / (n - s))])
    pc = _popcount(n)
    coef_in = np.where(pc >= 1, w[np.maximum(pc - 1, 0)], 0.0) + w[pc]
    coef_out = w[pc]
    lo, hi = _halves(n)
    out = (coef_in, coef_out, _bits(lo).astype(np.float64), _bits(hi).astype(np.float64))
    for a in out:
        a.setflags(write=False)
    return out


@functools.lru_cache(maxsize=2)
def _large_shapley_tables(n: int) -> tuple[F64, F64, F64, F64]:
    """As :func:`_shapley_tables` for n > 16, keeping at most two (16 MiB each at n = 20)."""
    return _shapley_tables.__wrapped__(n)


def _halves(n: int) -> tuple[int, int]:
    lo = n // 2
    return lo, n - lo


def _popcount(n: int) -> NDArray[np.int64]:
    lo, hi = _halves(n)
    pc_lo = _bits(lo).sum(axis=1)
    pc_hi = _bits(hi).sum(axis=1)
    out: NDArray[np.int64] = (pc_hi[:, None] + pc_lo[None, :]).reshape(-1)
    return out


def coalition_sums(values: ArrayLike) -> NDArray[Any]:
    """Sum of a per-member quantity over every coalition: ``out[..., S] = sum(values[..., i] for i in S)``.

    Parameters
    ----------
    values
        Per-member values, shape ``(..., n)`` (e.g. populations or an allocation). Integer input
        gives exact int64 sums, float input float64. [any unit]

    Returns
    -------
    numpy.ndarray, shape ``(..., 2**n)``
        The sums indexed by coalition bitmask (``out[..., 0] == 0``). [same unit]

    Notes
    -----
    Computed as an outer sum of the two halves of the bitmask (two small matrix products), with no
    loop over members or coalitions.
    """
    v = np.asarray(values)
    if v.ndim == 0 or v.shape[-1] < 1:
        raise GameError(f"values must have one entry per member along the last axis, got shape {v.shape}")
    if v.dtype == np.bool_ or v.dtype.kind not in "iuf":
        raise GameError(f"values must be numbers, got dtype {v.dtype}")
    v = v.astype(np.int64 if v.dtype.kind in "iu" else np.float64, copy=False)
    n = v.shape[-1]
    lo, hi = _halves(n)
    b_lo = _bits(lo).astype(v.dtype)
    b_hi = _bits(hi).astype(v.dtype)
    s_lo = v[..., :lo] @ b_lo.T
    s_hi = v[..., lo:] @ b_hi.T
    out: NDArray[Any] = (s_hi[..., :, None] + s_lo[..., None, :]).reshape((*v.shape[:-1], 1 << n))
    return out


def members_of(mask: int, n: int) -> tuple[int, ...]:
    """Indices of the members in coalition ``mask`` (bit i set = member i), in increasing order."""
    if not 0 <= mask < (1 << n):
        raise GameError(f"coalition bitmask must be in 0..{(1 << n) - 1} for {n} members, got {mask}")
    return tuple(int(i) for i in np.flatnonzero((mask >> np.arange(n)) & 1))


def relabel(costs: ArrayLike, order: ArrayLike) -> NDArray[Any]:
    """The same game with members renumbered: new member ``j`` is old member ``order[j]``.

    Parameters
    ----------
    costs
        Coalition costs, shape ``(..., 2**n)``. [yen]
    order
        A permutation of ``0..n-1``.

    Returns
    -------
    numpy.ndarray, shape ``(..., 2**n)``
        ``out[..., T] = costs[..., S]`` where ``S`` holds the old members of the new coalition ``T``.
        [yen]
    """
    c = np.asarray(costs)
    n = _members_from_length(c.shape[-1])
    o = np.asarray(order, dtype=np.int64)
    if o.shape != (n,) or not np.array_equal(np.sort(o), np.arange(n)):
        raise GameError(f"order must be a permutation of 0..{n - 1}, got {o.tolist()}")
    old = coalition_sums(np.left_shift(1, o))
    return c[..., old]


def restrict(costs: ArrayLike, keep: ArrayLike) -> NDArray[Any]:
    """The sub-game on a subset of members (e.g. the council after a member leaves).

    Parameters
    ----------
    costs
        Coalition costs, shape ``(..., 2**n)``. [yen]
    keep
        Indices of the members kept, in the order they take in the sub-game (or a boolean mask of
        length n).

    Returns
    -------
    numpy.ndarray, shape ``(..., 2**k)``
        Costs of the coalitions of the kept members, renumbered ``0..k-1``. [yen]
    """
    c = np.asarray(costs)
    n = _members_from_length(c.shape[-1])
    k = np.asarray(keep)
    if k.dtype == np.bool_:
        if k.shape != (n,):
            raise GameError(f"keep as a mask must have length {n}, got shape {k.shape}")
        k = np.flatnonzero(k)
    k = k.astype(np.int64)
    if k.ndim != 1 or k.size < 1 or len(set(k.tolist())) != k.size or k.min() < 0 or k.max() >= n:
        raise GameError(f"keep must name at least one distinct member in 0..{n - 1}, got {k.tolist()}")
    return c[..., coalition_sums(np.left_shift(1, k))]


# ----------------------------------------------------------------------------------------------
# Shapley value
# ----------------------------------------------------------------------------------------------
def shapley(costs: ArrayLike) -> F64:
    """Exact Shapley value (シャープレイ値) of a cost game.

    ``phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! * (c(S + i) - c(S))``: member i's
    marginal cost averaged over all orders in which the council could have been formed.

    Parameters
    ----------
    costs
        Coalition costs indexed by bitmask, shape ``(..., 2**n)``; ``costs[..., 0] == 0``, finite and
        non-negative; integer or float. [yen]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., n)``
        Each member's Shapley value; each row adds up to the grand coalition's cost. [yen]

    Raises
    ------
    GameError
        If the length is not a power of two, the empty coalition costs something, or a cost is
        negative, NaN or infinite.

    Notes
    -----
    Rewritten as ``phi_i = sum_{S containing i} c(S) (w(|S|-1) + w(|S|)) - sum_S c(S) w(|S|)`` with
    ``w(s) = s! (n-1-s)! / n!`` (``w(n) = 0``), the first sum for every member at once is an outer
    product over the two halves of the bitmask: the costs, weighted, are summed along rows and
    along columns of a ``2**(n-n//2) x 2**(n//2)`` matrix and multiplied by the halves' membership
    matrices.  Work and memory are O(2**n), with no loop over members, coalitions or permutations
    (the per-size weights and membership matrices are cached per n; at most two sets above
    n = 16).  About 25 us at n = 12 and 10 ms at n = 20 on one core; memory is a few arrays of
    2**n float64 (8 MiB each at n = 20, 512 MiB at n = 26), so beyond n of about 25 use
    :func:`sampled_shapley`.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of Games II*,
    Annals of Mathematics Studies 28, 307-317.

    Examples
    --------
    The airport game (Littlechild and Owen 1973): runways costing 1, 2 and 3 for three planes.

    >>> shapley([0, 1, 2, 2, 3, 3, 3, 3]).round(6).tolist()
    [0.333333, 0.833333, 1.833333]
    """
    c, n = _check_costs(costs)
    coef_in, coef_out, b_lo, b_hi = _shapley_tables(n) if n <= 16 else _large_shapley_tables(n)
    g = c * coef_in
    rest = c @ coef_out
    lo, hi = _halves(n)
    grid = g.reshape((*c.shape[:-1], 1 << hi, 1 << lo))
    by_lo = grid.sum(axis=-2) @ b_lo
    by_hi = grid.sum(axis=-1) @ b_hi
    phi: F64 = np.concatenate([by_lo, by_hi], axis=-1) - rest[..., None]
    return phi


# ----------------------------------------------------------------------------------------------
# Nucleolus
# ----------------------------------------------------------------------------------------------
def _linprog() -> Callable[..., Any]:
    try:
        from scipy.optimize import linprog
    except ImportError as exc:  # pragma: no cover - exercised only without scipy
        raise ImportError(
            "nucleolus() solves linear programs with scipy's HiGHS; scipy is an optional extra: "
            "pip install 'jichitai-cloud[games]'"
        ) from exc
    return linprog  # type: ignore[no-any-return]


def _sparse() -> Any:
    from scipy import sparse

    return sparse


def nucleolus(costs: ArrayLike, *, imputations: bool = True, tol: float = 1e-9) -> F64:
    """Nucleolus (仁) of a cost game, by the standard sequence of linear programs.

    The nucleolus is the allocation that lexicographically minimises the coalitions' excesses
    ``x(S) - c(S)`` sorted from the largest: it first makes the worst-treated coalition as well off
    as possible, then the next, and so on.  It is taken over the imputations: allocations that add up
    to ``c(N)`` and charge no member more than its stand-alone cost ``c({i})``.  When the core
    (コア) is non-empty the nucleolus lies in it.

    Parameters
    ----------
    costs
        Coalition costs indexed by bitmask, shape ``(..., 2**n)``, as for :func:`shapley`. [yen]
    imputations
        ``True`` (the nucleolus of Schmeidler 1969): over imputations, ``x_i <= c({i})``; needs
        ``c(N) <= sum c({i})``.  ``False``: the prenucleolus, over all allocations adding up to
        ``c(N)`` (the two agree whenever the core is non-empty).
    tol
        Tolerance, relative to the largest cost of each game, for deciding that a dual value is
        positive and that a coalition is linearly determined by the fixed ones. [1]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., n)``
        The nucleolus; each row adds up to the grand coalition's cost. [yen]

    Raises
    ------
    GameError
        For a malformed cost vector, an empty imputation set (``c(N) > sum c({i})`` with
        ``imputations=True``) or if a linear program fails.
    ImportError
        If scipy (the optional extra ``games``) is not installed.

    Notes
    -----
    Each round solves ``min t`` subject to ``x(S) - c(S) <= t`` for the coalitions not yet fixed,
    ``x(S) - c(S) = t_k`` for the coalitions fixed in round ``k``, ``x(N) = c(N)`` (and
    ``x_i <= c({i})``) with scipy's HiGHS (``linprog(method="highs")``).  The coalitions (and
    bounds) with a positive dual value are tight in every optimal solution and are fixed at the
    round's optimum; every coalition whose membership vector lies in the span of the fixed ones
    (and of ``N``) is then determined and dropped.  Each round raises that rank by at least one, so
    there are at most ``n - 1`` rounds; the allocation solves the fixed equalities.  Costs are
    scaled to at most 1 before solving and the result scaled back.  A leading batch axis is solved
    as one block-diagonal linear program per round (the objective, the sum of the games' ``t``,
    separates).

    Each program has ``2**n - 2`` inequality rows, so time and memory grow as about ``n * 2**n``
    per round: on one core n = 10 takes 5-50 ms, n = 12 under a second and n = 16 a few seconds
    (measured on cost curves with economies of scale and on random games); beyond n of about 18
    the programs (``n * 2**(n-1)`` non-zeros) no longer fit comfortably in memory.

    References
    ----------
    Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on Applied
    Mathematics* 17(6), 1163-1170.

    Maschler, M., Peleg, B. and Shapley, L. S. (1979). Geometric properties of the kernel, nucleolus
    and related solution concepts. *Mathematics of Operations Research* 4(4), 303-338.

    Guajardo, M. and Jörnsten, K. (2015). Common mistakes in computing the nucleolus. *European
    Journal of Operational Research* 241(3), 931-935.

    Examples
    --------
    >>> nucleolus([0, 1, 2, 2, 3, 3, 3, 3]).round(6).tolist()
    [0.5, 0.75, 1.75]
    """
    c, n = _check_costs(costs)
    if isinstance(tol, bool) or not (isinstance(tol, float | int) and 0 < tol < 1e-3):
        raise GameError(f"tol must be a number in (0, 1e-3), got {tol!r}")
    batch_shape = c.shape[:-1]
    flat = c.reshape(-1, 1 << n)
    games = flat.shape[0]
    single = np.left_shift(1, np.arange(n))
    if imputations:
        short = flat[:, -1] - flat[:, single].sum(axis=-1)
        if (short > 1e-12 * np.maximum(flat.max(axis=-1), 1.0)).any():
            g = int(np.argmax(short))
            raise GameError(
                f"the grand coalition costs {flat[g, -1]!r}, more than the members' stand-alone costs "
                f"together ({flat[g, single].sum()!r}): no allocation charges every member at most its "
                "stand-alone cost (no imputation); use imputations=False for the prenucleolus"
            )
    if n == 1 or games == 0:
        return flat[:, 1:].reshape((*batch_shape, n)).copy()
    linprog = _linprog()
    sparse = _sparse()

    scale = np.maximum(flat.max(axis=-1), 1e-300)
    cs = flat / scale[:, None]
    memb = _bits(n)[1:-1].astype(np.float64)  # proper non-empty coalitions, (m, n); row S - 1
    m = memb.shape[0]
    c_s = cs[:, 1:-1]
    c_n = cs[:, -1]
    memb_bool = memb.astype(bool)

    fixed = np.zeros((games, m), dtype=bool)
    level = np.zeros((games, m))
    settled = np.zeros((games, m), dtype=bool)
    active = np.ones(games, dtype=bool)
    gram = np.ones((games, n, n))  # sum over the fixed rows (and N) of a a^T
    nv = n + 1

    for round_no in range(1, n + 1):
        act = np.flatnonzero(active)
        if act.size == 0:
            break
        k = act.size
        # inequality rows: the free coalitions of the active games
        rb, rs = np.nonzero(~settled[act])
        r_idx, j_idx = np.nonzero(memb_bool[rs])
        rows_ub = np.concatenate([r_idx, np.arange(rb.size)])
        cols_ub = np.concatenate([rb[r_idx] * nv + j_idx, rb * nv + n])
        vals_ub = np.concatenate([np.ones(r_idx.size), -np.ones(rb.size)])
        a_ub = sparse.csr_array((vals_ub, (rows_ub, cols_ub)), shape=(rb.size, k * nv))
        b_ub = c_s[act][rb, rs]
        # equality rows: the grand coalition, then the fixed coalitions at their levels
        fb, fs = np.nonzero(fixed[act])
        e_r, e_j = np.nonzero(memb_bool[fs])
        eq_rows = np.concatenate([np.repeat(np.arange(k), n), k + e_r])
        eq_cols = np.concatenate([(np.arange(k)[:, None] * nv + np.arange(n)).ravel(), fb[e_r] * nv + e_j])
        a_eq = sparse.csr_array((np.ones(eq_rows.size), (eq_rows, eq_cols)), shape=(k + fb.size, k * nv))
        b_eq = np.concatenate([c_n[act], c_s[act][fb, fs] + level[act][fb, fs]])
        obj = np.zeros(k * nv)
        obj[np.arange(k) * nv + n] = 1.0
        upper = np.full((k, nv), np.inf)
        if imputations:
            upper[:, :n] = cs[act][:, single]
        bounds = np.stack([np.full(k * nv, -np.inf), upper.ravel()], axis=1)
        res = linprog(obj, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs",
                      options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
        if res.status != 0:
            raise GameError(f"nucleolus: the linear program of round {round_no} failed: {res.message}")
        t = np.asarray(res.x).reshape(k, nv)[:, n]
        newly = -np.asarray(res.ineqlin.marginals) > tol
        if not np.all(np.bincount(rb[newly], minlength=k) > 0):  # pragma: no cover - solver breakdown
            raise GameError(f"nucleolus: round {round_no} fixed no coalition (degenerate dual solution)")
        gb, gs = act[rb[newly]], rs[newly]
        fixed[gb, gs] = True
        level[gb, gs] = t[rb[newly]]
        if imputations:  # a binding stand-alone bound fixes x_i = c({i}): the singleton at excess 0
            bound_dual = -np.asarray(res.upper.marginals).reshape(k, nv)[:, :n] > tol
            bb, bi = np.nonzero(bound_dual)
            newly_single = ~fixed[act[bb], single[bi] - 1]
            bb, bi = bb[newly_single], bi[newly_single]
            fixed[act[bb], single[bi] - 1] = True
            level[act[bb], single[bi] - 1] = 0.0
        # rank and span of the fixed rows (with N), all games at once via their Gram matrices
        gram[act] = np.ones((n, n)) + (memb.T[None, :, :] * fixed[act][:, None, :]) @ memb
        evals, evecs = np.linalg.eigh(gram[act])
        null = evals <= 1e-9 * evals[:, -1:]
        proj = (evecs * null[:, None, :]) @ np.swapaxes(evecs, -1, -2)  # projector on the null space
        resid = np.einsum("bsi,si->bs", memb[None, :, :] @ proj, memb)
        settled[act] = fixed[act] | (resid <= 1e-9)
        active[act] = null.any(axis=-1)

    if active.any():  # pragma: no cover - theory bounds the rounds by n - 1
        raise GameError("nucleolus: the sequence of linear programs did not determine the allocation")
    rhs = (memb.T[None, :, :] * fixed[:, None, :]) @ ((c_s + level)[:, :, None])
    rhs = rhs[..., 0] + c_n[:, None]
    x = np.linalg.solve(gram, rhs[..., None])[..., 0]
    out: F64 = (x * scale[:, None]).reshape((*batch_shape, n))
    return out


# ----------------------------------------------------------------------------------------------
# core
# ----------------------------------------------------------------------------------------------
def core_violation(costs: ArrayLike, allocation: ArrayLike) -> tuple[I64, NDArray[Any]]:
    """The coalition that gains most by leaving, and by how much (the largest excess).

    Parameters
    ----------
    costs
        Coalition costs indexed by bitmask, shape ``(..., 2**n)``, n >= 2. [yen]
    allocation
        What each member pays, shape ``(..., n)`` (broadcast against the batch axes of ``costs``);
        finite, may be negative. Integer allocations with integer costs give exact integer excesses.
        [yen]

    Returns
    -------
    bitmask : numpy.ndarray of int64, shape ``(...)``
        The proper non-empty coalition ``S`` with the largest excess (the lowest bitmask among ties).
    excess : numpy.ndarray, shape ``(...)``
        ``allocation[S].sum() - costs[S]``: what the coalition would save by procuring on its own.
        ``<= 0`` means the allocation is in the core (コア): no group of members gains by leaving.
        int64 when both inputs are integer, else float64. [yen]

    Raises
    ------
    GameError
        For a malformed cost vector, fewer than 2 members, or an allocation of the wrong length or
        with NaN or infinite entries.

    Notes
    -----
    The allocation's sum over every coalition is an outer sum over the two halves of the bitmask
    (:func:`coalition_sums`); no loop over coalitions.  Efficiency (``x(N) = c(N)``) is not checked:
    the excess of proper coalitions is reported whatever the total.

    References
    ----------
    Gillies, D. B. (1959). Solutions to general non-zero-sum games. *Contributions to the Theory of
    Games IV*, Annals of Mathematics Studies 40, 47-85.
    """
    c, n = _check_costs(costs, keep_int=True)
    if n < 2:
        raise GameError("core_violation needs at least 2 members (a proper non-empty coalition)")
    x = np.asarray(allocation)
    if x.ndim == 0 or x.shape[-1] != n:
        raise GameError(f"allocation must have {n} entries (one per member) along its last axis, "
                        f"got shape {x.shape}")
    if x.dtype == np.bool_ or x.dtype.kind not in "iuf":
        raise GameError(f"allocation must be numbers [yen], got dtype {x.dtype}")
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise GameError("allocation must be finite, got NaN or infinity")
    exact = c.dtype == np.int64 and x.dtype.kind in "iu"
    if not exact:
        c = c.astype(np.float64)
        x = x.astype(np.float64)
    sums = coalition_sums(x)
    excess = sums - c
    lowest: Any = np.iinfo(np.int64).min if exact else -np.inf
    excess[..., 0] = lowest
    excess[..., -1] = lowest
    mask = np.argmax(excess, axis=-1).astype(np.int64)
    value = np.take_along_axis(excess, mask[..., None], axis=-1)[..., 0]
    return mask, value


# ----------------------------------------------------------------------------------------------
# separable costs, remaining benefits
# ----------------------------------------------------------------------------------------------
def scrb(costs: ArrayLike) -> F64:
    """Separable costs remaining benefits (SCRB) allocation of a cost game.

    Member ``i``'s separable cost ``SC_i = c(N) - c(N - {i})`` is what the council costs more because
    of it; its remaining benefit ``RB_i = max(c({i}) - SC_i, 0)`` is what it still saves after paying
    that.  The non-separable cost ``NSC = c(N) - sum(SC)`` is split in proportion to the remaining
    benefits: ``x_i = SC_i + NSC * RB_i / sum(RB)``.

    Parameters
    ----------
    costs
        Coalition costs indexed by bitmask, shape ``(..., 2**n)``, as for :func:`shapley`. [yen]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., n)``
        The SCRB shares; each row adds up to the grand coalition's cost. [yen]

    Notes
    -----
    When every remaining benefit is zero the non-separable cost (then usually zero) is split
    equally, so that the shares still add up to ``c(N)``.  The method uses only the singletons, the
    grand coalition and the coalitions of all members but one; it equals the nucleolus and the
    Shapley value for n = 2 (the standard two-member split of the savings).

    References
    ----------
    Young, H. P., Okada, N. and Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3), 463-475.

    Straffin, P. D. and Heaney, J. P. (1981). Game theory and the Tennessee Valley Authority.
    *International Journal of Game Theory* 10(1), 35-43.

    Examples
    --------
    >>> scrb([0, 1, 2, 2, 3, 3, 3, 3]).round(6).tolist()
    [0.4, 0.8, 1.8]
    """
    c, n = _check_costs(costs)
    full = (1 << n) - 1
    single = np.left_shift(1, np.arange(n))
    c_n = c[..., full]
    sep = c_n[..., None] - c[..., full ^ single]
    rem = np.maximum(c[..., single] - sep, 0.0)
    nsc = c_n - sep.sum(axis=-1)
    total_rb = rem.sum(axis=-1)
    safe = np.where(total_rb > 0, total_rb, 1.0)
    weight = np.where(total_rb[..., None] > 0, rem / safe[..., None], 1.0 / n)
    out: F64 = sep + nsc[..., None] * weight
    return out


# ----------------------------------------------------------------------------------------------
# sampled Shapley for large councils
# ----------------------------------------------------------------------------------------------
class SampledShapley(NamedTuple):
    """Result of :func:`sampled_shapley`.

    Attributes
    ----------
    estimate
        Estimated Shapley value per member, shape ``(n,)``. [yen]
    std_error
        Standard error of each estimate (sample standard deviation over sqrt of the number of
        independent samples). [yen]
    bound
        Half-width ``eps_i`` such that, with probability at least ``confidence``, every
        ``|estimate_i - phi_i| <= eps_i`` simultaneously (Hoeffding with a union bound over the
        members), valid when member i's marginal costs lie in an interval of length
        ``marginal_range[i]``. [yen]
    marginal_range
        The range used for ``bound``: as given, or the observed max - min of the sampled marginal
        costs (then the bound is empirical). [yen]
    samples
        Number of independent samples (permutations, or antithetic pairs).
    confidence
        The confidence level of ``bound``. [1]
    """

    estimate: F64
    std_error: F64
    bound: F64
    marginal_range: F64
    samples: int
    confidence: float


def sampled_shapley(
    cost: Callable[[NDArray[np.bool_]], ArrayLike],
    n: int,
    *,
    samples: int = 2000,
    batch: int = 500,
    antithetic: bool = True,
    seed: int | np.random.Generator | None = None,
    confidence: float = 0.95,
    marginal_range: ArrayLike | None = None,
) -> SampledShapley:
    """Estimate the Shapley value by sampling random orders of the members (Castro et al. 2009).

    For a council too large for :func:`shapley` (about n > 25), or when the cost of a coalition is
    a formula rather than a table: each sampled order ``pi`` gives every member its marginal cost
    ``c(P_i + i) - c(P_i)``, ``P_i`` the members before it; their mean is an unbiased estimate.

    Parameters
    ----------
    cost
        The coalition cost function: takes a boolean membership matrix of shape ``(k, n)`` (row =
        coalition, column = member) and returns the ``k`` costs; the empty coalition must cost 0.
        [yen]
    n
        Number of members.
    samples
        Number of sampled orders (with ``antithetic``, rounded up to an even number and used as
        ``samples // 2`` pairs).
    batch
        Orders evaluated per call of ``cost`` (memory ``batch * (n + 1) * n`` booleans).
    antithetic
        Pair each order with its reverse (a member early in one is late in the other), which
        lowers the variance for cost games with economies of scale; the pair mean is one sample.
    seed
        Seed or generator, for reproducible estimates.
    confidence
        Confidence level of ``bound``, in (0, 1). [1]
    marginal_range
        Known length of the interval holding member i's marginal costs (scalar or shape ``(n,)``);
        e.g. for a monotone subadditive game each marginal cost lies in ``[0, c({i})]``, so the
        stand-alone costs are a valid range. ``None`` uses the observed range (empirical). [yen]

    Returns
    -------
    SampledShapley
        Estimates, standard errors, the Hoeffding bound and the number of samples.

    Raises
    ------
    GameError
        If ``cost`` returns the wrong shape, NaN, infinite or negative costs, or a non-zero cost for
        the empty coalition, or a parameter is out of range.

    Notes
    -----
    The error bound: for ``m`` independent samples of a quantity in an interval of length ``R_i``,
    Hoeffding's inequality gives ``P(|mean - phi_i| >= eps) <= 2 exp(-2 m eps**2 / R_i**2)``; over
    ``n`` members with a union bound, ``eps_i = R_i sqrt(ln(2 n / (1 - confidence)) / (2 m))``.  The
    error falls as ``1 / sqrt(m)``; the standard error is the usual, usually much tighter, normal
    approximation.  Orders are sampled in batches of ``batch`` (a loop over batches, each batch
    vectorised); the cost function is called once per batch on ``batch * n`` coalitions.

    References
    ----------
    Castro, J., Gómez, D. and Tejada, J. (2009). Polynomial calculation of the Shapley value based
    on sampling. *Computers & Operations Research* 36(5), 1726-1730.

    Maleki, S., Tran-Thanh, L., Hines, G., Rahwan, T. and Rogers, A. (2013). Bounding the estimation
    error of sampling-based Shapley value approximation. arXiv:1306.4265.

    Hoeffding, W. (1963). Probability inequalities for sums of bounded random variables. *Journal
    of the American Statistical Association* 58(301), 13-30.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise GameError(f"n must be an integer >= 1 (members), got {n!r}")
    n = int(n)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 2:
        raise GameError(f"samples must be an integer >= 2, got {samples!r}")
    if isinstance(batch, bool) or not isinstance(batch, int | np.integer) or batch < 1:
        raise GameError(f"batch must be an integer >= 1, got {batch!r}")
    if not (isinstance(confidence, float | int) and 0 < confidence < 1):
        raise GameError(f"confidence must be in (0, 1), got {confidence!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    pairs = antithetic
    m_total = (int(samples) + 1) // 2 if pairs else int(samples)
    steps = np.arange(n + 1)

    def contributions(perm: NDArray[np.int64]) -> F64:
        p = perm.shape[0]
        rank = np.argsort(perm, axis=1)
        memb = rank[:, None, :] < steps[None, :, None]  # (p, n+1, n): the prefixes of each order
        vals = np.asarray(cost(memb.reshape(p * (n + 1), n)))
        if vals.shape != (p * (n + 1),):
            raise GameError(f"cost must return one value per row of its ({p * (n + 1)}, {n}) membership "
                            f"matrix, got shape {vals.shape}")
        if vals.dtype == np.bool_ or vals.dtype.kind not in "iuf":
            raise GameError(f"cost must return numbers [yen], got dtype {vals.dtype}")
        vals = vals.astype(np.float64).reshape(p, n + 1)
        if not np.isfinite(vals).all() or (vals < 0).any():
            raise GameError("cost returned a negative, NaN or infinite cost")
        if (vals[:, 0] != 0).any():
            raise GameError(f"cost of the empty coalition must be 0, got {vals[vals[:, 0] != 0, 0][0]!r}")
        step = np.diff(vals, axis=1)  # marginal cost of the member added at each step
        return np.take_along_axis(step, rank, axis=1)

    total = np.zeros(n)
    total_sq = np.zeros(n)
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    shift: F64 | None = None
    done = 0
    while done < m_total:  # a loop over batches of samples; each batch is vectorised
        p = min(int(batch), m_total - done)
        perm = rng.permuted(np.broadcast_to(np.arange(n), (p, n)), axis=1)
        contrib = contributions(perm)
        if pairs:
            contrib = 0.5 * (contrib + contributions(perm[:, ::-1].copy()))
        if shift is None:
            shift = contrib.mean(axis=0)
        d = contrib - shift
        total += d.sum(axis=0)
        total_sq += (d * d).sum(axis=0)
        lo = np.minimum(lo, contrib.min(axis=0))
        hi = np.maximum(hi, contrib.max(axis=0))
        done += p
    assert shift is not None
    mean_d = total / m_total
    var = np.maximum(total_sq - m_total * mean_d * mean_d, 0.0) / (m_total - 1) if m_total > 1 else np.zeros(n)
    estimate = shift + mean_d
    std_error = np.sqrt(var / m_total)
    if marginal_range is None:
        rng_len = hi - lo
    else:
        rng_len = np.broadcast_to(np.asarray(marginal_range, dtype=np.float64), (n,)).copy()
        if not np.isfinite(rng_len).all() or (rng_len < 0).any():
            raise GameError("marginal_range must be finite and >= 0 [yen]")
    eps = rng_len * math.sqrt(math.log(2 * n / (1 - confidence)) / (2 * m_total))
    return SampledShapley(estimate=estimate, std_error=std_error, bound=eps, marginal_range=rng_len,
                          samples=m_total, confidence=float(confidence))


# ----------------------------------------------------------------------------------------------
# completing a table of quotes; fitting a scale-economies cost curve
# ----------------------------------------------------------------------------------------------
def complete_partition(costs: ArrayLike, known: ArrayLike) -> tuple[F64, I64, F64]:
    """Complete a partial cost table: an unquoted coalition costs its cheapest split into quoted groups.

    A coalition with no quote can always procure as separate groups that have quotes, so its cost
    is taken as the least total over the partitions of it into known coalitions (singletons must be
    known: a member alone pays its stand-alone cost).  Known (quoted) coalitions keep their quote.

    Parameters
    ----------
    costs
        Coalition costs indexed by bitmask, shape ``(..., 2**n)``; entries where ``known`` is false
        are ignored (any finite value). [yen]
    known
        Which coalitions are quoted, boolean of shape ``(2**n,)``; the empty coalition and every
        singleton must be known.

    Returns
    -------
    costs : numpy.ndarray of float64, shape ``(..., 2**n)``
        The completed costs. [yen]
    blocks : numpy.ndarray of int64, shape ``(..., 2**n)``
        For each coalition, the number of known groups of the cheapest split used (1 for a quoted
        coalition).
    split : numpy.ndarray of float64, shape ``(..., 2**n)``
        For each coalition, its cheapest split into at least two parts (``inf`` for the empty
        coalition and singletons): a quoted coalition whose quote exceeds it would rather procure
        in parts. [yen]

    Notes
    -----
    Dynamic programming in at most ``n - 1`` rounds: in each round every unknown coalition ``S`` is
    offered ``c(S - Q) + c(Q)`` for every known non-singleton group ``Q`` inside ``S`` and for every
    singleton, vectorised as a (groups x coalitions) array; after round ``r`` each coalition holds
    its best split into at most ``r + 1`` groups.  Memory is ``K * 2**n`` floats for ``K`` known
    groups plus ``n`` singletons (the function refuses more than 2**27 entries).
    """
    c, n = _check_costs(np.where(np.asarray(known, dtype=bool), costs, 0))
    kn = np.asarray(known)
    if kn.dtype != np.bool_ or kn.shape != (1 << n,):
        raise GameError(f"known must be a boolean vector of length {1 << n}, got {kn.dtype} {kn.shape}")
    single = np.left_shift(1, np.arange(n))
    if not kn[single].all() or not kn[0]:
        missing = [int(i) for i in np.flatnonzero(~kn[single])]
        raise GameError(f"every member's stand-alone cost must be known; missing for members {missing}")
    groups = np.flatnonzero(kn)
    groups = groups[groups != 0]
    if groups.size * (1 << n) > (1 << 27):
        raise GameError(f"{groups.size} known groups on {n} members is too large to complete "
                        f"({groups.size} x 2**{n} entries)")
    all_s = np.arange(1 << n)
    inside = (all_s[None, :] & groups[:, None]) == groups[:, None]  # (K, 2**n): group Q inside S
    proper = inside & (all_s[None, :] != groups[:, None])
    rest = all_s[None, :] ^ groups[:, None]
    unknown = ~kn
    big = np.inf
    cur = np.where(unknown, big, c)
    nblocks = np.where(unknown, 0, 1).astype(np.int64)
    nblocks = np.broadcast_to(nblocks, c.shape).copy()
    for _round in range(max(n - 1, 0)):
        offer = np.where(proper, cur[..., rest] + c[..., groups][..., None], big)  # (..., K, 2**n)
        best_k = np.argmin(offer, axis=-2)
        best = np.take_along_axis(offer, best_k[..., None, :], axis=-2)[..., 0, :]
        better = unknown & (best < cur)
        if not better.any():
            break
        blocks_via = np.take_along_axis(nblocks[..., rest], best_k[..., None, :], axis=-2)[..., 0, :] + 1
        nblocks = np.where(better, blocks_via, nblocks)
        cur = np.where(better, best, cur)
    split = np.where(proper, cur[..., rest] + c[..., groups][..., None], big).min(axis=-2)
    return cur, nblocks, split


def fit_power_cost(sizes: ArrayLike, costs: ArrayLike, *, exponent: float | None = None,
                   rounds: int = 8) -> tuple[float, float, float, float]:
    """Fit ``cost = fixed + per_unit * size ** exponent`` to a vendor's quotes (least squares).

    The model of a shared platform: a fixed cost ``F`` for the platform and a variable cost that
    grows with the coalition's size (its population) less than proportionally when
    ``exponent < 1`` (economies of scale).  Fitted by minimising the relative squared error
    ``sum(((F + a s**b) / y - 1) ** 2)`` with ``F >= 0`` and ``a >= 0``: for a given ``b`` the best
    ``F, a`` solve a 2-variable non-negative least squares problem in closed form, vectorised over a
    grid of ``b`` that is refined around the best value for ``rounds`` rounds.

    Parameters
    ----------
    sizes
        Size of each quoted coalition, e.g. its total population. [persons]
    costs
        The quoted cost of each. [yen]
    exponent
        Fix the exponent ``b`` instead of fitting it (needed with only two quotes). [1]
    rounds
        Refinement rounds of the exponent grid.

    Returns
    -------
    fixed, per_unit, exponent, rms_relative_error
        ``F`` [yen], ``a`` [yen / size**b], ``b`` [1] (searched in [0.05, 1.5]) and the root mean
        square relative error of the fit [1].

    References
    ----------
    Lawson, C. L. and Hanson, R. J. (1974). *Solving Least Squares Problems*, ch. 23 (non-negative
    least squares). Prentice-Hall.

    Golub, G. H. and Pereyra, V. (1973). The differentiation of pseudo-inverses and nonlinear least
    squares problems whose variables separate. *SIAM Journal on Numerical Analysis* 10(2), 413-432.
    """
    s = np.asarray(sizes, dtype=np.float64).ravel()
    y = np.asarray(costs, dtype=np.float64).ravel()
    if s.shape != y.shape:
        raise GameError(f"sizes and costs must have the same length, got {s.size} and {y.size}")
    if not (np.isfinite(s).all() and np.isfinite(y).all()) or (s <= 0).any() or (y <= 0).any():
        raise GameError("sizes and costs of the quotes must be finite and > 0")
    distinct = np.unique(s).size
    need = 2 if exponent is not None else 3
    if distinct < need:
        raise GameError(f"fitting needs quotes for at least {need} different sizes, got {distinct}"
                        + ("" if exponent is not None else " (or fix the exponent)"))
    if exponent is not None and not (isinstance(exponent, float | int) and 0 < exponent <= 3):
        raise GameError(f"exponent must be in (0, 3], got {exponent!r}")

    def solve(b: F64) -> tuple[F64, F64, F64]:
        # weighted (relative) least squares: minimise sum((F/y + a s^b / y - 1)^2), F, a >= 0
        u = 1.0 / y  # column for F
        v = s[None, :] ** b[:, None] / y  # column for a, (G, q)
        uu = (u * u).sum()
        vv = (v * v).sum(axis=1)
        uv = (v * u).sum(axis=1)
        u1 = u.sum()
        v1 = v.sum(axis=1)
        det = uu * vv - uv * uv
        safe = np.where(np.abs(det) > 1e-300, det, 1.0)
        f_both = (vv * u1 - uv * v1) / safe
        a_both = (uu * v1 - uv * u1) / safe
        both_ok = (f_both >= 0) & (a_both >= 0) & (np.abs(det) > 1e-300)
        f_only = np.full_like(b, u1 / uu)
        a_only = v1 / vv
        candidates_f = np.stack([f_both, f_only, np.zeros_like(b)])
        candidates_a = np.stack([a_both, np.zeros_like(b), a_only])
        resid = ((candidates_f[..., None] * u + candidates_a[..., None] * v - 1.0) ** 2).sum(axis=-1)
        resid[0] = np.where(both_ok, resid[0], np.inf)
        pick = np.argmin(resid, axis=0)
        cols = np.arange(b.size)
        return candidates_f[pick, cols], candidates_a[pick, cols], resid[pick, cols]

    if exponent is not None:
        f, a, r = solve(np.array([float(exponent)]))
        best_b = float(exponent)
        fi, ai, ri = float(f[0]), float(a[0]), float(r[0])
    else:
        lo_b, hi_b = 0.05, 1.5
        best_b = 1.0
        fi = ai = ri = 0.0
        for _ in range(max(int(rounds), 1)):
            grid = np.linspace(lo_b, hi_b, 201)
            f, a, r = solve(grid)
            k = int(np.argmin(r))
            best_b, fi, ai, ri = float(grid[k]), float(f[k]), float(a[k]), float(r[k])
            step = grid[1] - grid[0]
            lo_b, hi_b = max(0.05, best_b - 2 * step), min(1.5, best_b + 2 * step)
    return fi, ai, best_b, math.sqrt(ri / y.size)
