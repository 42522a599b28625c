"""The nucleolus (仁) of a cost game by a sequence of linear programs (scipy's HiGHS, imported lazily)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import GameError
from ._coalitions import _bits, _check_costs, _halves, coalition_sums

__all__ = ["nucleolus"]

F64 = NDArray[np.float64]


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


def _members(masks: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Membership rows of the coalitions ``masks``: ``out[k, i]`` is bit ``i`` of ``masks[k]``."""
    return (np.asarray(masks, dtype=np.int64)[:, None] >> np.arange(n, dtype=np.int64)) & 1


def _quadratic_form(p: F64, n: int) -> F64:
    """``a_S^T p a_S`` for every coalition ``S`` and every game: ``p`` of shape ``(k, n, n)``, out ``(k, 2**n)``.

    With ``S = hi * 2**lo + lo`` the form splits into the low half's form, the high half's and twice
    the cross term, an outer product of the halves' membership matrices: no ``2**n x n`` matrix.
    """
    lo, hi = _halves(n)
    b_lo = _bits(lo).astype(np.float64)
    b_hi = _bits(hi).astype(np.float64)
    q_lo = np.einsum("li,kij,lj->kl", b_lo, p[:, :lo, :lo], b_lo)
    q_hi = np.einsum("hi,kij,hj->kh", b_hi, p[:, lo:, lo:], b_hi)
    cross = (b_hi @ np.swapaxes(p[:, :lo, lo:], -1, -2)) @ b_lo.T  # (k, 2**hi, 2**lo)
    out: F64 = (q_hi[:, :, None] + 2.0 * cross + q_lo[:, None, :]).reshape(p.shape[0], 1 << n)
    return out


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

    The programs are solved by constraint generation: each round starts from a working set (the
    singletons and their complements, then the coalitions written out in earlier rounds), solves
    the program on it, computes every open coalition's excess at once (the halves' outer sum,
    O(2**n)) and adds the most violated coalitions (at most ``4 (n + 1)`` per game and pass) until
    none exceeds ``t``.  The last program then has the full program's optimum, and its dual values,
    zero on the coalitions not written out, are optimal duals of the full program, so the same
    coalitions are fixed.  Which coalitions are determined by the fixed ones is decided from the
    null-space projector's quadratic form, split over the halves (no ``2**n x n`` matrix).  The
    programs have a few hundred rows instead of ``2**n - 2``: on one core n = 16 takes 0.1-1 s and
    n = 20 about 2 s (memory a few arrays of ``2**n`` per game).

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
    m = (1 << n) - 2  # proper non-empty coalitions; row r is coalition r + 1
    c_s = cs[:, 1:-1]
    c_n = cs[:, -1]
    cols = np.arange(n)

    fixed = np.zeros((games, m), dtype=bool)
    level = np.zeros((games, m))
    settled = np.zeros((games, m), dtype=bool)
    # the working set of each game's program: the coalitions whose rows are written out; it starts
    # with the singletons and their complements and grows by the most violated coalitions
    work = np.zeros((games, m), dtype=bool)
    work[:, single - 1] = True
    work[:, (1 << n) - 2 - single] = True
    active = np.ones(games, dtype=bool)
    gram = np.ones((games, n, n))  # sum over the fixed rows (and N) of a a^T
    nv = n + 1
    per_pass = 4 * nv  # coalitions added per game and pass
    t_floor = -4.0 * n  # a floor on t (far below any excess of the scaled game) for small working sets

    for round_no in range(1, n + 1):
        act = np.flatnonzero(active)
        if act.size == 0:
            break
        k = act.size
        # equality rows: the grand coalition, then the fixed coalitions at their levels
        fb, fs = np.nonzero(fixed[act])
        e_r, e_j = np.nonzero(_members(fs + 1, n))
        eq_rows = np.concatenate([np.repeat(np.arange(k), n), k + e_r])
        eq_cols = np.concatenate([(np.arange(k)[:, None] * nv + cols).ravel(), fb[e_r] * nv + e_j])
        a_eq = sparse.csr_array((np.ones(eq_rows.size), (eq_rows, eq_cols)), shape=(k + fb.size, k * nv))
        b_eq = np.concatenate([c_n[act], c_s[act][fb, fs] + level[act][fb, fs]])
        obj = np.zeros(k * nv)
        obj[np.arange(k) * nv + n] = 1.0
        upper = np.full((k, nv), np.inf)
        lower = np.full((k, nv), -np.inf)
        lower[:, n] = t_floor
        if imputations:
            upper[:, :n] = cs[act][:, single]
        bounds = np.stack([lower.ravel(), upper.ravel()], axis=1)
        c_act = c_s[act]
        open_rows = ~settled[act]
        # constraint generation: solve on the working set, add the coalitions whose excess exceeds the
        # program's t, until none does; the program then has the optimum of the full one, and its
        # dual values (zero for the rows not written out) are optimal duals of the full program
        for _ in range(m):  # bounded: each pass adds at least one coalition
            rb, rs = np.nonzero(work[act] & open_rows)
            r_idx, j_idx = np.nonzero(_members(rs + 1, n))
            rows_ub = np.concatenate([r_idx, np.arange(rb.size)])
            cols_ub = np.concatenate([rb[r_idx] * nv + j_idx, rb * nv + n])
            vals_ub = np.concatenate([np.ones(r_idx.size), -np.ones(rb.size)])
            a_ub = sparse.csr_array((vals_ub, (rows_ub, cols_ub)), shape=(rb.size, k * nv))
            b_ub = c_act[rb, rs]
            res = linprog(obj, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs",
                          options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
            if res.status != 0:
                raise GameError(f"nucleolus: the linear program of round {round_no} failed: {res.message}")
            sol = np.asarray(res.x).reshape(k, nv)
            t = sol[:, n]
            excess = coalition_sums(sol[:, :n])[:, 1:-1] - c_act - t[:, None]
            excess[~open_rows | work[act]] = -np.inf
            at_floor = t <= t_floor + 1e-6
            # at the floor the working set does not bound t yet: add the open coalitions of largest excess
            excess[at_floor] = np.where(np.isfinite(excess[at_floor]), excess[at_floor] + 1.0 - t_floor, -np.inf)
            take = min(per_pass, m)
            top = np.argpartition(-excess, take - 1, axis=1)[:, :take]
            add = np.take_along_axis(excess, top, axis=1) > 1e-10
            if not add.any():
                break
            gi, pos = np.nonzero(add)
            work[act[gi], top[gi, pos]] = True
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
        fb, fs = np.nonzero(fixed[act])
        a_f = _members(fs + 1, n).astype(np.float64)
        gram_act = np.ones((k, n, n))
        np.add.at(gram_act, fb, a_f[:, :, None] * a_f[:, None, :])
        gram[act] = gram_act
        evals, evecs = np.linalg.eigh(gram_act)
        null = evals <= 1e-9 * evals[:, -1:]
        proj = (evecs * null[:, None, :]) @ np.swapaxes(evecs, -1, -2)  # projector on the null space
        settled[act] = fixed[act] | (_quadratic_form(proj, n)[:, 1:-1] <= 1e-9)
        active[act] = null.any(axis=-1)

    if active.any():  # pragma: no cover - theory bounds the rounds by n - 1
        raise GameError("nucleolus: the sequence of linear programs did not determine the allocation")
    fb, fs = np.nonzero(fixed)
    a_f = _members(fs + 1, n).astype(np.float64)
    rhs = np.repeat(c_n[:, None], n, axis=1)
    np.add.at(rhs, fb, a_f * (c_s[fb, fs] + level[fb, fs])[:, None])
    x = np.linalg.solve(gram, rhs[..., None])[..., 0]
    out: F64 = (x * scale[:, None]).reshape((*batch_shape, n))
    return out
