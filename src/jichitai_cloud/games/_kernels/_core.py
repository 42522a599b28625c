"""Stability and the stand-alone-based split: the largest excess (core, コア) and SCRB."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import GameError
from ._coalitions import _check_costs, coalition_sums

__all__ = ["core_violation", "scrb"]

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


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
