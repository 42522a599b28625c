"""The Shapley value of a large council estimated by sampling orders, with a Hoeffding bound."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import GameError

__all__ = ["SampledShapley", "sampled_shapley"]

F64 = NDArray[np.float64]


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
