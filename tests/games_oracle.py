"""The exact Shapley value as it was before issue 14, kept as a reference for tests and benchmarks.

It builds per-coalition weight tables as large as the game, so it is exact but needs about four
times the cost vector's memory; ``tests/test_games_large.py`` checks the new kernel against it and
``benchmarks/bench_games.py`` measures both.
"""

from __future__ import annotations

import numpy as np


def previous_shapley(costs: np.ndarray) -> np.ndarray:
    """The implementation before issue 14: full per-coalition weight tables (as large as the game)."""
    c = np.asarray(costs, dtype=np.float64)
    n = c.shape[-1].bit_length() - 1
    s = np.arange(1, n, dtype=np.float64)
    w = np.zeros(n + 1)
    w[:n] = np.concatenate([[1.0 / n], (1.0 / n) * np.cumprod(s / (n - s))])
    lo = n // 2
    hi = n - lo
    bits_lo = ((np.arange(1 << lo)[:, None] >> np.arange(lo)) & 1).astype(np.float64)
    bits_hi = ((np.arange(1 << hi)[:, None] >> np.arange(hi)) & 1).astype(np.float64)
    pc = (bits_hi.sum(axis=1)[:, None] + bits_lo.sum(axis=1)[None, :]).astype(np.int64).reshape(-1)
    coef_in = np.where(pc >= 1, w[np.maximum(pc - 1, 0)], 0.0) + w[pc]
    coef_out = w[pc]
    g = c * coef_in
    rest = c @ coef_out
    grid = g.reshape((*c.shape[:-1], 1 << hi, 1 << lo))
    by_lo = grid.sum(axis=-2) @ bits_lo
    by_hi = grid.sum(axis=-1) @ bits_hi
    return np.concatenate([by_lo, by_hi], axis=-1) - rest[..., None]
