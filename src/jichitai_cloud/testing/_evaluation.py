"""Hypothesis strategies for proposal evaluation: bids, judges' score arrays, whole procurements.

Re-exported by :mod:`jichitai_cloud.testing.strategies`.  Imports hypothesis at the top: this
module is never imported by ``import jichitai_cloud``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from ..model import Component, ComponentKind, Criterion, EvaluationScheme, Procurement, Proposal, Scores

__all__ = [
    "bid_arrays",
    "judge_score_arrays",
    "procurements",
    "scored_schemes",
]


def bid_arrays(max_proposals: int = 8, max_yen: int = 10**11) -> st.SearchStrategy[NDArray[np.int64]]:
    """Bids of one procurement, shape ``(P,)``, integer yen >= 1."""
    return hnp.arrays(np.int64, st.integers(1, max_proposals), elements=st.integers(1, max_yen))


def judge_score_arrays(max_judges: int = 6, max_proposals: int = 5, max_criteria: int = 4,
                       max_score: float = 5.0, absent: bool = True) -> st.SearchStrategy[NDArray[np.float64]]:
    """Judges' scores, shape ``(J, P, C)`` in ``[0, max_score]``; NaN (absent) sometimes if ``absent``."""
    elements = st.floats(0, max_score, allow_nan=False)
    if absent:
        elements = st.one_of(elements, st.just(float("nan")))
    shape = st.tuples(st.integers(1, max_judges), st.integers(1, max_proposals), st.integers(1, max_criteria))
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def scored_schemes(draw: st.DrawFn, *, price_method: str | None = None) -> EvaluationScheme:
    """A scheme that :func:`jichitai_cloud.evaluate` accepts: price plus one or two technical rounds."""
    method = price_method or draw(st.sampled_from(["ceiling_ratio", "lowest_ratio", "floor", "v_shape"]))
    rounds = draw(st.integers(1, 2))
    comps = [Component(name="price", kind=ComponentKind.PRICE, points=draw(st.sampled_from([100.0, 1000.0])),
                       round=0)]
    for r in range(1, rounds + 1):
        n = draw(st.integers(1, 3))
        crits = tuple(Criterion(name=f"c{r}{k}", max_score=draw(st.sampled_from([5.0, 10.0])),
                                weight=draw(st.sampled_from([1.0, 2.0, 3.0]))) for k in range(n))
        comps.append(Component(name=f"round{r}", points=draw(st.sampled_from([100.0, 1000.0])), round=r,
                               criteria=crits))
    return EvaluationScheme(name="generated", components=tuple(comps), price_method=method,
                            ceiling=draw(st.integers(10**6, 10**9)),
                            decimals=draw(st.one_of(st.none(), st.integers(0, 4))))


@st.composite
def procurements(draw: st.DrawFn, *, min_proposals: int = 1, max_proposals: int = 5, max_judges: int = 5,
                 absent: bool = True) -> Procurement:
    """A procurement whose proposals fit its scheme: every judged cell has at least one judge present."""
    scheme = draw(scored_schemes())
    n = draw(st.integers(min_proposals, max_proposals))
    ceiling = scheme.ceiling or 10**9
    proposals = []
    for i in range(n):
        scores = []
        for c in scheme.technical_components:
            J = draw(st.integers(1, max_judges))
            judges = tuple(f"{c.name}-J{j + 1}" for j in range(J))
            rows = []
            for j in range(J):
                row: list[float | None] = []
                for k in c.criteria:
                    missing = absent and j > 0 and draw(st.booleans())
                    row.append(None if missing else draw(st.integers(0, int(k.max_score))) * 1.0)
                rows.append(tuple(row))
            scores.append(Scores(component=c.name, judges=judges, criteria=tuple(k.name for k in c.criteria),
                                 values=tuple(rows)))
        bid = draw(st.integers(max(1, ceiling // 2), ceiling + ceiling // 10))
        proposals.append(Proposal(vendor=f"vendor{i + 1}", bid=bid, scores=tuple(scores)))
    return Procurement(name="generated procurement", scheme=scheme, proposals=tuple(proposals))
