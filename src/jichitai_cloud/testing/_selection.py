"""Hypothesis strategies for participant selection (re-exported by :mod:`jichitai_cloud.testing.strategies`).

A selection problem's kernel input is a coalition cost vector of length ``2**n`` (integer yen,
``costs[0] == 0``) with an optional boolean mask of permitted groups; its records are
:class:`~jichitai_cloud.model.Candidate` and :class:`~jichitai_cloud.model.CandidatePool`.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from ..model import Candidate, CandidatePool, SelectionConstraints
from ._basic import months, names

__all__ = ["allowed_masks", "candidate_pools", "candidates", "selection_constraints", "selection_costs"]


@st.composite
def selection_costs(draw: st.DrawFn, min_candidates: int = 1, max_candidates: int = 6,
                    max_cost: int = 10**9, n: int | None = None) -> NDArray[np.int64]:
    """Cost vectors indexed by bitmask: each group a cost in ``[0, max_cost]`` yen, or (half the
    time) a single candidate's cost plus a random discount on the sum, so that groups often pay off."""
    size = n if n is not None else draw(st.integers(min_candidates, max_candidates))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        costs = rng.integers(0, max_cost + 1, size=1 << size, dtype=np.int64)
    else:
        single = rng.integers(1, max_cost // max(size, 1) + 1, size=size, dtype=np.int64)
        masks = np.arange(1 << size, dtype=np.int64)
        member = (masks[:, None] >> np.arange(size)) & 1
        total = member @ single
        costs = (total * rng.uniform(0.6, 1.1, size=1 << size)).astype(np.int64)
        costs[np.left_shift(1, np.arange(size))] = single
    costs[0] = 0
    return costs


@st.composite
def allowed_masks(draw: st.DrawFn, n: int) -> NDArray[np.bool_]:
    """Boolean masks of permitted groups over the ``2**n`` groups (single candidates may be False too)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p = draw(st.floats(0.0, 1.0))
    out: NDArray[np.bool_] = rng.random(1 << n) < p
    return out


def selection_constraints() -> st.SearchStrategy[SelectionConstraints]:
    """Conditions on a group."""
    return st.builds(SelectionConstraints,
                     max_size=st.one_of(st.none(), st.integers(1, 8)),
                     contract_window=st.one_of(st.none(), st.integers(0, 36)),
                     contiguous=st.booleans(),
                     max_distance=st.one_of(st.none(), st.floats(0, 200, allow_nan=False)),
                     require_guarantee=st.booleans())


@st.composite
def candidates(draw: st.DrawFn, code: str = "A", others: tuple[str, ...] = ()) -> Candidate:
    """A candidate with plausible figures; its neighbours drawn from ``others``."""
    return Candidate(
        code=code,
        name=draw(names()),
        population=draw(st.integers(1, 500_000)),
        current_cost=draw(st.one_of(st.none(), st.integers(10**7, 5 * 10**9))),
        contract_end=draw(st.one_of(st.none(), months(2010, 2030))),
        neighbours=tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=3))) if others else (),
        location=draw(st.one_of(st.none(), st.tuples(st.floats(24, 46), st.floats(122, 146)))),
    )


@st.composite
def candidate_pools(draw: st.DrawFn, min_candidates: int = 1, max_candidates: int = 8) -> CandidatePool:
    """Pools of candidates with short codes ``C0``, ``C1``, …, neighbours among them, and conditions."""
    n = draw(st.integers(min_candidates, max_candidates))
    codes = tuple(f"C{i}" for i in range(n))
    cands = tuple(draw(candidates(code=c, others=tuple(x for x in codes if x != c))) for c in codes)
    return CandidatePool(name="pool", candidates=cands, constraints=draw(selection_constraints()),
                         period_months=draw(st.integers(1, 120)))
