"""Building a cost game from what a council has: completing quotes, fitting a scale-economies curve."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import GameError
from ._coalitions import _check_costs

__all__ = ["complete_partition", "fit_power_cost"]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


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
