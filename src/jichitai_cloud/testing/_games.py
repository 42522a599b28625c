"""Hypothesis strategies for cooperative cost games (re-exported by :mod:`jichitai_cloud.testing.strategies`).

A cost game is a numpy vector of length ``2**n`` indexed by bitmask, ``costs[0] == 0``, in
integer yen.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from ..games import coalition_sums

__all__ = ["cost_games", "submodular_cost_games"]


@st.composite
def cost_games(draw: st.DrawFn, min_members: int = 1, max_members: int = 5,
               max_cost: int = 10**9) -> NDArray[np.int64]:
    """Arbitrary cost games: every non-empty coalition an integer cost in ``[0, max_cost]`` yen."""
    n = draw(st.integers(min_members, max_members))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, max_cost + 1, size=1 << n, dtype=np.int64)
    costs[0] = 0
    return costs


@st.composite
def submodular_cost_games(draw: st.DrawFn, min_members: int = 1, max_members: int = 5,
                          max_cost: int = 10**9) -> NDArray[np.int64]:
    """Concave (submodular) cost games, whose core is never empty: integer yen, exactly submodular.

    ``c(S) = F [S non-empty] + max_{i in S} r_i + sum_{i in S} v_i``: a shared platform cost, an
    airport-style capacity cost (the largest requirement in the coalition) and a per-member cost.
    Each term is submodular, so the sum is; the Shapley value lies in the core.
    """
    n = draw(st.integers(min_members, max_members))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    fixed = int(rng.integers(0, max_cost // 3 + 1))
    req = rng.integers(0, max_cost // 3 + 1, size=n, dtype=np.int64)
    own = rng.integers(0, max_cost // (3 * n) + 1, size=n, dtype=np.int64)
    masks = np.arange(1 << n, dtype=np.int64)
    member = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    peak = np.where(member, req[None, :], 0).max(axis=1)
    costs: NDArray[np.int64] = (np.where(masks > 0, fixed, 0) + peak + coalition_sums(own)).astype(np.int64)
    return costs
