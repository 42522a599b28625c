"""The tie-aware ranking kernels: ranks and tie groups of one evaluation, and shortlisting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jichitai_cloud.errors import ValidationError
from jichitai_cloud.evaluation import rank
from jichitai_cloud.evaluation._kernels.ranking import TIE_RTOL, shortlist

# --------------------------------------------------------------------------- hand-worked


def test_ties_go_to_technical_points_then_share_the_rank():
    # X and Y tie on 120 total; X has more technical points.  Z and W tie on both keys.
    total = [120.0, 120.0, 105.0, 105.0, 105.0 + 1e-12, 130.0]
    tech = [100.0, 90.0, 75.0, 80.0, 80.0, 0.0]
    r, tied = rank(total, tech, eligible=[True, True, True, True, True, False])
    assert r.tolist() == [1, 2, 5, 3, 3, 0]
    assert tied.tolist() == [1, 1, 1, 2, 2, 0]


def test_all_alike_share_first_place():
    r, tied = rank([50.0] * 4, [30.0] * 4)
    assert r.tolist() == [1, 1, 1, 1] and tied.tolist() == [4, 4, 4, 4]


def test_nobody_eligible():
    r, tied = rank([1.0, 2.0], [0.0, 0.0], eligible=[False, False])
    assert r.tolist() == [0, 0] and tied.tolist() == [0, 0]


def test_rank_rejects_bad_input():
    with pytest.raises(ValidationError, match="last axis"):
        rank(1.0, 1.0)
    with pytest.raises(ValidationError, match="finite"):
        rank([1.0, np.nan], [0.0, 0.0])
    with pytest.raises(ValidationError, match="boolean"):
        rank([1.0, 2.0], [0.0, 0.0], eligible=[1, 0])


def test_shortlist_top_k_keeps_ties_at_the_cut_and_threshold():
    pts = np.array([90.0, 70.0, 70.0, 30.0, 95.0])
    ok = np.array([True, True, True, True, False])
    assert shortlist(pts, eligible=ok, top=2).tolist() == [True, True, True, False, False]
    assert shortlist(pts, eligible=ok, top=0).tolist() == [False] * 5
    assert shortlist(pts, eligible=ok, top=9).tolist() == [True, True, True, True, False]
    assert shortlist(pts, eligible=ok, threshold=80.0).tolist() == [True, False, False, False, False]
    assert shortlist(pts, eligible=ok).tolist() == ok.tolist()
    with pytest.raises(ValidationError, match="top must be an integer >= 0"):
        shortlist(pts, top=-1)


# --------------------------------------------------------------------------- scalar and batch agree

points = hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 7)),
                    elements=st.sampled_from([0.0, 10.0, 10.0 + 1e-12, 20.0, 35.5, 100.0]))


@settings(max_examples=60, deadline=None)
@given(points, st.data())
def test_batch_equals_one_scenario_at_a_time(total, data):
    tech = data.draw(hnp.arrays(np.float64, total.shape, elements=st.sampled_from([0.0, 5.0, 7.5])))
    ok = data.draw(hnp.arrays(np.bool_, total.shape))
    r, tied = rank(total, tech, eligible=ok)
    s = shortlist(total, eligible=ok, top=2)
    for i in range(total.shape[0]):
        r1, t1 = rank(total[i], tech[i], eligible=ok[i])
        assert r[i].tolist() == r1.tolist() and tied[i].tolist() == t1.tolist()
        assert s[i].tolist() == shortlist(total[i], eligible=ok[i], top=2).tolist()


# --------------------------------------------------------------------------- properties


@settings(max_examples=80, deadline=None)
@given(points.map(lambda a: a[0]), st.data())
def test_rank_properties(total, data):
    P = total.size
    tech = data.draw(hnp.arrays(np.float64, (P,), elements=st.sampled_from([0.0, 5.0, 7.5])))
    ok = data.draw(hnp.arrays(np.bool_, (P,)))
    assume(ok.any())
    r, tied = rank(total, tech, eligible=ok)
    n = int(ok.sum())
    assert (r[~ok] == 0).all() and (tied[~ok] == 0).all()
    assert r[ok].min() == 1 and r[ok].max() <= n
    # competition ranking: a rank shared by g proposals is followed by rank + g
    for value in set(r[ok].tolist()):
        g = int((r == value).sum())
        assert (tied[r == value] == g).all()
        assert (r[ok] < value).sum() == value - 1
    # a better total (beyond the tolerance) never ranks worse
    tol = TIE_RTOL * max(float(np.abs(total).max()), 1.0)
    for p in np.flatnonzero(ok):
        for q in np.flatnonzero(ok):
            if total[p] > total[q] + tol:
                assert r[p] < r[q]
    # permutation invariance
    perm = data.draw(st.permutations(range(P)))
    r2, tied2 = rank(total[perm], tech[perm], eligible=ok[perm])
    assert r2.tolist() == r[perm].tolist() and tied2.tolist() == tied[perm].tolist()


@settings(max_examples=60, deadline=None)
@given(points.map(lambda a: a[0]), st.integers(0, 8), st.data())
def test_shortlist_takes_at_least_top_and_only_the_best(pts, k, data):
    ok = data.draw(hnp.arrays(np.bool_, pts.shape))
    s = shortlist(pts, eligible=ok, top=k)
    assert not (s & ~ok).any()
    assert s.sum() >= min(k, ok.sum())
    if s.any() and (ok & ~s).any():
        assert pts[s].min() > pts[ok & ~s].max()
