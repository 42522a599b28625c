"""Monte Carlo robustness and weight sensitivity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jichitai_cloud.errors import ValidationError
from jichitai_cloud.evaluation import (
    monte_carlo,
    outcome_counts,
    sample_weights,
    weight_sensitivity,
)
from jichitai_cloud.evaluation._kernels.robustness import bootstrap_counts, weighted_totals


def test_sample_weights_mean_and_total():
    w0 = np.array([1000.0, 600.0, 400.0, 0.0])
    w = sample_weights(w0, concentration=200, size=20_000, seed=1)
    np.testing.assert_allclose(w.sum(axis=1), 2000.0)
    assert np.all(w[:, 3] == 0)
    np.testing.assert_allclose(w.mean(axis=0), w0, atol=5.0)
    share_sd = np.sqrt(0.5 * 0.5 / 201)
    assert w[:, 0].std() / 2000 == pytest.approx(share_sd, rel=0.05)


def test_bootstrap_counts_keep_group_sizes():
    groups = np.array([0, 0, 1, 1, 1, 0, 2])
    c = bootstrap_counts(groups, size=500, seed=3)
    assert c.shape == (500, 7)
    for g, n in [(0, 3), (1, 3), (2, 1)]:
        assert np.all(c[:, groups == g].sum(axis=1) == n)
    assert np.all(c[:, 6] == 1)


def test_outcome_counts_hand_worked_ties():
    totals = np.array([[3.0, 2.0, 1.0], [1.0, 1.0, 0.0], [2.0, 2.0, 2.0]])
    tb = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 0.0], [1.0, 1.0, 1.0]])
    counts, lottery = outcome_counts(totals, tiebreak=tb)
    expected = np.zeros((3, 3))
    expected[[0, 1, 2], [0, 1, 2]] += 1  # sample 0
    expected[1, 0] += 1  # sample 1: tie broken by technical points
    expected[0, 1] += 1
    expected[2, 2] += 1
    expected += 1 / 3  # sample 2: a three-way lottery, shared equally
    np.testing.assert_allclose(counts, expected)
    assert lottery == 1


def test_dominated_proposal_never_wins():
    x = np.array([[0.9, 0.8, 0.7], [0.5, 0.8, 0.6], [0.2, 0.9, 0.95]])
    out = monte_carlo(x, [1.0, 1.0, 1.0], samples=5000, concentration=5.0, seed=4)
    assert out.win_probability[1] == 0.0
    assert out.win_probability.sum() == pytest.approx(1.0)


def test_chunk_size_does_not_change_results():
    rng = np.random.default_rng(0)
    xj = rng.uniform(0, 1, size=(12, 4, 5))
    xj[3, 1, 2] = np.nan
    kw = {"samples": 3000, "concentration": 50.0, "seed": 11, "fixed": rng.uniform(size=(4, 1)),
          "groups": np.array([0] * 6 + [1] * 6)}
    w0 = np.ones(6)
    for agg in ("mean", "median", "trimmed"):
        a = monte_carlo(xj, w0, chunk_size=700, aggregation=agg, **kw)
        b = monte_carlo(xj, w0, chunk_size=3000, aggregation=agg, **kw)
        np.testing.assert_array_equal(a.rank_probability, b.rank_probability)


def test_without_uncertainty_the_nominal_winner_always_wins():
    x = np.array([[0.9, 0.5], [0.6, 0.7]])
    out = monte_carlo(x, [2.0, 1.0], samples=100, concentration=None)
    assert out.win_probability.tolist() == [1.0, 0.0]
    xj = np.stack([x, x, x])  # identical judges: bootstrapping changes nothing
    out = monte_carlo(xj, [2.0, 1.0], samples=100, concentration=None, seed=1)
    assert out.win_probability.tolist() == [1.0, 0.0]


def test_explicit_weights_match_weighted_totals():
    rng = np.random.default_rng(2)
    x = rng.uniform(size=(5, 3))
    W = sample_weights(np.ones(3), concentration=10, size=400, seed=9)
    out = monte_carlo(x, np.ones(3), weights=W)
    wins = np.bincount(weighted_totals(x, W).argmax(axis=1), minlength=5) / 400
    np.testing.assert_allclose(out.win_probability, wins)


def test_monte_carlo_rejects_bad_input():
    with pytest.raises(ValidationError, match="normalised"):
        monte_carlo(np.array([[2.0]]), [1.0], samples=10)
    with pytest.raises(ValidationError, match="weights"):
        monte_carlo(np.array([[0.5]]), [1.0, 2.0], samples=10)
    with pytest.raises(ValidationError, match="no judge scored"):
        monte_carlo(np.full((2, 1, 1), np.nan), [1.0], samples=10)
    with pytest.raises(ValidationError, match="seed"):
        monte_carlo(np.array([[0.5]]), [1.0], samples=10, seed="x")


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(1, 4)),
                  elements=st.floats(0, 1, allow_nan=False)),
       st.sampled_from(["mean", "median", "trimmed"]), st.integers(0, 2**32 - 1))
def test_probabilities_add_up(xj, agg, seed):
    J, _, K = xj.shape
    assume(agg != "trimmed" or J >= 3)
    out = monte_carlo(xj, np.ones(K), samples=200, concentration=20.0, aggregation=agg, seed=seed)
    np.testing.assert_allclose(out.win_probability.sum(), 1.0)
    np.testing.assert_allclose(out.rank_probability.sum(axis=0), 1.0)
    np.testing.assert_allclose(out.rank_probability.sum(axis=1), 1.0)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(2, 5), st.integers(2, 5), st.integers(1, 4)),
                  elements=st.floats(0, 1, allow_nan=False)), st.randoms(use_true_random=False))
def test_proposal_and_judge_order_do_not_matter(xj, rnd):
    J, P, K = xj.shape
    perm_p = list(range(P))
    rnd.shuffle(perm_p)
    perm_j = list(range(J))
    rnd.shuffle(perm_j)
    a = monte_carlo(xj, np.ones(K), samples=300, concentration=None, bootstrap=False)
    b = monte_carlo(xj[perm_j][:, perm_p], np.ones(K), samples=300, concentration=None, bootstrap=False)
    np.testing.assert_allclose(b.rank_probability, a.rank_probability[perm_p])


def test_weight_sensitivity_hand_worked():
    # winner 0 leads on column 0, rival 1 leads on column 1; weights 2 : 1
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    s = weight_sensitivity(x, [2.0, 1.0])
    assert s.winner == 0
    # margin 2 - 1 = 1; moving t from column 0 to 1 closes 2t: t = 0.5
    assert s.shift.tolist() == [0.0, 0.5]
    np.testing.assert_allclose(s.weights[1], [1.5, 1.5])
    assert s.share[1] == pytest.approx(0.5 / 3)
    # a dominated rival can never tie
    s = weight_sensitivity(np.array([[1.0, 1.0], [0.5, 0.5]]), [1.0, 1.0])
    assert np.isinf(s.shift[1])


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(2, 5), st.integers(2, 5)), elements=st.integers(0, 20)),
       st.lists(st.floats(0.1, 5), min_size=5, max_size=5))
def test_weight_sensitivity_is_the_linear_programme_optimum(grid, w):
    from scipy.optimize import linprog

    x = grid / 20.0  # scores on a grid: the LP solver's tolerances stay far below the margins
    P, K = x.shape
    w = np.array(w[:K])
    s = weight_sensitivity(x, w)
    win = s.winner
    for q in range(P):
        if q == win:
            continue
        delta = x[win] - x[q]
        # variables: up (K), down (K) >= 0; minimise sum(down); w + up - down >= 0; sum(up) = sum(down);
        # (w + up - down) . delta <= 0
        c = np.r_[np.zeros(K), np.ones(K)]
        A_ub = np.vstack([np.r_[delta, -delta], np.hstack([-np.eye(K), np.eye(K)])])
        b_ub = np.r_[-w @ delta, w]
        A_eq = np.r_[np.ones(K), -np.ones(K)][None, :]
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[0.0], bounds=(0, None), method="highs")
        if res.status == 2:  # infeasible: no reweighting makes q tie
            assert np.isinf(s.shift[q])
            continue
        assert res.status == 0
        assert s.shift[q] == pytest.approx(res.fun, abs=1e-7)
        if np.isfinite(s.shift[q]) and s.shift[q] > 0:
            nw = s.weights[q]
            assert nw.min() >= -1e-9
            assert nw.sum() == pytest.approx(w.sum())
            assert x[q] @ nw == pytest.approx(x[win] @ nw, abs=1e-9)


def _reference_counts(t, tb):  # type: ignore[no-untyped-def]
    """One sample at a time, pairwise: the ranks a tie-aware hand count gives."""
    S, P = t.shape
    counts = np.zeros((P, P))
    tol = 1e-9 * max(float(t.max()), 1.0)  # the documented tie tolerance
    btol = 1e-9 * max(float(tb.max()), 1.0)

    def eq(a, b, e):  # type: ignore[no-untyped-def]
        return abs(a - b) <= e

    for s in range(S):
        for p in range(P):
            above = sum(1 for q in range(P) if (t[s, q] > t[s, p] and not eq(t[s, q], t[s, p], tol))
                        or (eq(t[s, q], t[s, p], tol) and tb[s, q] > tb[s, p] and not eq(tb[s, q], tb[s, p], btol)))
            same = sum(1 for q in range(P) if eq(t[s, q], t[s, p], tol) and eq(tb[s, q], tb[s, p], btol))
            for r in range(above, above + same):
                counts[p, r] += 1 / same
    return counts


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.int64, st.tuples(st.integers(1, 30), st.integers(1, 40)), elements=st.integers(0, 6)),
       st.integers(0, 2**32 - 1))
def test_outcome_counts_match_a_hand_count(levels, seed):
    # few distinct levels: many exact ties; up to 40 proposals exercises the packed sort keys
    rng = np.random.default_rng(seed)
    t = levels * 1.5 + 100.0
    tb = rng.integers(0, 2, size=t.shape).astype(float)
    counts, _ = outcome_counts(t, tiebreak=tb)
    np.testing.assert_allclose(counts, _reference_counts(t, tb), atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(1, 40)),
                  elements=st.floats(0, 3000, allow_nan=False)))
def test_outcome_counts_continuous_totals(t):
    counts, _ = outcome_counts(t)
    np.testing.assert_allclose(counts, _reference_counts(t, np.zeros_like(t)), atol=1e-9)
