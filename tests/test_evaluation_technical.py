"""Technical points: grades, judge aggregation, weighting, mandatory items, Kendall's W, outliers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jichitai_cloud.errors import ValidationError
from jichitai_cloud.evaluation import (
    aggregate_judges,
    criterion_points,
    grade_scores,
    judge_deviation,
    kendalls_w,
    mandatory_pass,
    outlying_judges,
    technical_points,
)


def test_hand_worked_component_points():
    # 2 judges, 2 proposals, 2 criteria (max 5 and 10, weights 1 and 3), 1000 points
    s = np.array([[[5, 10], [3, 4]],
                  [[4, 8], [2, 6]]], dtype=float)
    agg = aggregate_judges(s)
    np.testing.assert_allclose(agg, [[4.5, 9.0], [2.5, 5.0]])
    pts = technical_points(s, max_scores=[5, 10], weights=[1, 3], points=1000)
    # proposal 0: 1000 x (0.25 x 0.9 + 0.75 x 0.9) = 900; proposal 1: 1000 x (0.25 x 0.5 + 0.75 x 0.5) = 500
    np.testing.assert_allclose(pts, [900.0, 500.0])
    cp = criterion_points(agg, max_scores=[5, 10], weights=[1, 3], points=1000)
    np.testing.assert_allclose(cp.sum(axis=-1), pts)


def test_grades_published_five_levels():
    g = grade_scores(np.array([0, 1, 2, 3, 4, -1]), [20] * 6)
    np.testing.assert_array_equal(g[:5], [20.0, 15.0, 10.0, 5.0, 0.0])
    assert np.isnan(g[5])
    with pytest.raises(ValidationError, match="grades must lie"):
        grade_scores([5], [20])


def test_absent_judges_left_out():
    s = np.array([[[4.0]], [[np.nan]], [[2.0]]])
    assert aggregate_judges(s).item() == 3.0
    assert aggregate_judges(s, method="median").item() == 3.0
    with pytest.raises(ValidationError, match="needs >= 3 judges"):
        aggregate_judges(s, method="trimmed")
    with pytest.raises(ValidationError, match="no judge scored"):
        aggregate_judges(np.full((2, 1, 1), np.nan))


def test_trimmed_drops_one_highest_one_lowest():
    s = np.array([1.0, 5.0, 5.0, 3.0, 0.0]).reshape(5, 1, 1)
    assert aggregate_judges(s, method="trimmed").item() == pytest.approx(3.0)  # (1 + 5 + 3)/3


def test_infinite_or_negative_scores_raise():
    with pytest.raises(ValidationError, match="finite"):
        aggregate_judges(np.array([[[np.inf]]]))
    with pytest.raises(ValidationError, match=">= 0"):
        aggregate_judges(np.array([[[-1.0]]]))
    with pytest.raises(ValidationError, match="exceeds its maximum"):
        technical_points(np.array([[[6.0]]]), max_scores=[5], points=100)


def test_mandatory_majority():
    # judges x proposals x items
    p = np.array([[[1, 1], [0, 1]],
                  [[1, 0], [0, 1]],
                  [[0, 0], [1, np.nan]]], dtype=float)
    # proposal 0: item 0 1 fail of 3 -> pass; item 1 2 fails of 3 -> fail
    # proposal 1: item 0 2 fails of 3 -> fail
    assert mandatory_pass(p).tolist() == [False, False]
    tie = np.array([[[1]], [[0]]], dtype=float)
    assert mandatory_pass(tie).tolist() == [True]  # exactly half fail: passes
    with pytest.raises(ValidationError, match="1 \\(pass\\), 0 \\(fail\\)"):
        mandatory_pass(np.array([[[0.5]]]))


def test_kendalls_w_hand_worked():
    totals = np.array([[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]], dtype=float)
    # R = 4, 6, 8, 12; S = 35; W = 12 x 35 / (9 x 60)
    assert float(kendalls_w(totals)) == pytest.approx(420 / 540)
    assert float(kendalls_w(np.tile([3.0, 1.0, 2.0], (5, 1)))) == pytest.approx(1.0)
    assert float(kendalls_w(np.array([[1, 2, 3], [3, 2, 1.0]]))) == pytest.approx(0.0)


def test_kendalls_w_ties_corrected():
    # Siegel & Castellan tie correction: two judges agreeing exactly, with ties, give W = 1
    t = np.array([[1, 1, 2, 3], [1, 1, 2, 3]], dtype=float)
    assert float(kendalls_w(t)) == pytest.approx(1.0)


def test_outlier_flagged_never_dropped():
    rng = np.random.default_rng(0)
    base = rng.uniform(2, 4, size=(1, 3, 5))
    s = base + rng.normal(0, 0.1, size=(8, 3, 5))
    s[5] = 5 - base[0]  # judge 5 scores the opposite way
    s = np.clip(s, 0, 5)
    dev = judge_deviation(s, max_scores=[5] * 5)
    flags = outlying_judges(dev)
    assert flags.tolist() == [False] * 5 + [True] + [False] * 2
    assert dev.shape == (8,)  # every judge still reported


# ---------------------------------------------------------------- properties

score_arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=5),
                          elements=st.floats(0, 5, allow_nan=False))


@settings(max_examples=50, deadline=None)
@given(score_arrays, st.sampled_from(["mean", "median"]), st.randoms(use_true_random=False))
def test_judge_and_proposal_order_do_not_matter(s, method, rnd):
    J, P, C = s.shape
    pts = technical_points(s, max_scores=[5] * C, points=1000, aggregation=method)
    jp = list(range(J))
    pp = list(range(P))
    rnd.shuffle(jp)
    rnd.shuffle(pp)
    again = technical_points(s[jp][:, pp], max_scores=[5] * C, points=1000, aggregation=method)
    np.testing.assert_allclose(again, pts[pp], rtol=1e-12, atol=1e-9)
    assert np.all(pts <= 1000 + 1e-9)
    assert np.all(pts >= 0)


@settings(max_examples=50, deadline=None)
@given(score_arrays, st.sampled_from(["mean", "median", "trimmed"]), st.data())
def test_raising_a_score_never_lowers_points(s, method, data):
    J, P, C = s.shape
    assume(method != "trimmed" or J >= 3)
    j, p, c = (data.draw(st.integers(0, n - 1)) for n in s.shape)
    up = s.copy()
    up[j, p, c] = data.draw(st.floats(s[j, p, c], 5))
    w = data.draw(st.lists(st.floats(0.1, 3), min_size=C, max_size=C))
    before = technical_points(s, max_scores=[5] * C, weights=w, points=1000, aggregation=method)
    after = technical_points(up, max_scores=[5] * C, weights=w, points=1000, aggregation=method)
    assert after[p] >= before[p] - 1e-9
    others = np.arange(P) != p
    np.testing.assert_allclose(after[others], before[others])


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, (3, 2, 4, 3), elements=st.floats(0, 5, allow_nan=False)))
def test_batch_equals_scalar(s):
    batch = technical_points(s, max_scores=[5, 5, 5], points=100)
    for i in range(s.shape[0]):
        np.testing.assert_allclose(batch[i], technical_points(s[i], max_scores=[5, 5, 5], points=100))
    tot = s.sum(axis=-1)  # (batch, J, P)
    wb = kendalls_w(tot)
    for i in range(s.shape[0]):
        np.testing.assert_allclose(wb[i], kendalls_w(tot[i]), equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(2, 6), st.integers(2, 6)),
                  elements=st.floats(0, 100, allow_nan=False)))
def test_kendalls_w_bounded(t):
    w = float(kendalls_w(t))
    assert np.isnan(w) or -1e-12 <= w <= 1 + 1e-12


# -- issue 19, item 7: ties among judges ----------------------------------------------------------


def test_a_judge_who_gives_two_proposals_the_same_weighted_points_ties_them() -> None:
    from fractions import Fraction

    from jichitai_cloud import EvaluationScheme, Proposal, Scores
    from jichitai_cloud.evaluation import evaluate
    from jichitai_cloud.evaluation._kernels.technical import exact_order
    from jichitai_cloud.model import Component, ComponentKind, Criterion

    # weights 30:30:40 of 10 points each: (0, 0, 4) and (0, 4, 1) are both 0.16 exactly, but float64
    # sums them to 0.16000000000000003 and 0.16
    assert exact_order([[[0, 0, 4], [0, 4, 1]]], max_scores=[10, 10, 10], weights=[30, 30, 40]).tolist() == [[0, 0]]
    crit = tuple(Criterion(name=k, max_score=10, weight=w) for k, w in (("a", 30), ("b", 30), ("c", 40)))
    scheme = EvaluationScheme(name="t", components=(
        Component(name="price", kind=ComponentKind.PRICE, points=100, round=0),
        Component(name="tech", points=100, round=1, criteria=crit)), price_method="ceiling_ratio",
        ceiling=10_000_000)
    rows = {"A": [(0, 0, 4), (10, 10, 10), (10, 10, 10)], "B": [(0, 4, 1), (5, 5, 5), (5, 5, 5)],
            "C": [(0, 0, 1), (0, 0, 1), (0, 0, 1)]}
    props = [Proposal(vendor=v, bid=5_000_000, scores=(Scores(component="tech", judges=("J1", "J2", "J3"),
                                                              criteria=("a", "b", "c"), values=r),))
             for v, r in rows.items()]
    report = next(j for j in evaluate(props, scheme).judges if j.component == "tech")
    # by hand: J1 ranks C=1, A=B=2.5 (a tie of t=2: T_1 = 2**3 - 2 = 6); J2, J3 rank C=1, B=2, A=3.
    # R = (8.5, 6.5, 3), mean 6, S = 2.5**2 + 0.5**2 + 3**2 = 15.5; m = 3, n = 3:
    # W = 12 S / (m**2 (n**3 - n) - m sum T) = 186 / (216 - 18) = 31/33 (without the tie: 1.000)
    assert report.kendalls_w == pytest.approx(float(Fraction(31, 33)), abs=1e-12)
