"""Kernels of jichitai_cloud.games: hand-worked games, scalar/batch agreement, axioms as properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud.errors import GameError, JichitaiCloudError
from jichitai_cloud.games import (
    coalition_sums,
    complete_partition,
    core_violation,
    fit_power_cost,
    members_of,
    nucleolus,
    relabel,
    restrict,
    sampled_shapley,
    scrb,
    shapley,
)
from jichitai_cloud.testing.strategies import cost_games, submodular_cost_games

# ------------------------------------------------------------------------------------------------
# independent reference implementations (slow, loops; for small n only)
# ------------------------------------------------------------------------------------------------


def ref_shapley(costs: np.ndarray) -> np.ndarray:
    """Average marginal cost over all n! orders (the definition)."""
    n = int(math.log2(len(costs)))
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        mask = 0
        for i in order:
            phi[i] += costs[mask | (1 << i)] - costs[mask]
            mask |= 1 << i
    return phi / math.factorial(n)


def ref_nucleolus(costs: np.ndarray, imputations: bool = True) -> np.ndarray:
    """Maschler-Peleg-Shapley primal method: after each LP, test every coalition for being tight
    on the whole optimal face by minimising its own excess (no dual values used)."""
    from scipy.optimize import linprog

    c = np.asarray(costs, dtype=float)
    n = int(math.log2(len(c)))
    full = (1 << n) - 1
    bounds = [(None, c[1 << i] if imputations else None) for i in range(n)] + [(None, None)]
    row = {s: np.array([(s >> i) & 1 for i in range(n)], dtype=float) for s in range(1, full + 1)}
    fixed: dict[int, float] = {}
    while True:
        free = [s for s in range(1, full) if s not in fixed]
        eq_a = [np.append(row[full], 0.0)] + [np.append(row[s], 0.0) for s in fixed]
        eq_b = [c[full]] + [c[s] + lv for s, lv in fixed.items()]
        ub_a = [np.append(row[s], -1.0) for s in free]
        ub_b = [c[s] for s in free]
        res = linprog(np.append(np.zeros(n), 1.0), A_ub=ub_a or None, b_ub=ub_b or None, A_eq=eq_a, b_eq=eq_b,
                      bounds=bounds, method="highs")
        assert res.status == 0
        t = res.fun
        for s in free:
            a2 = [np.append(row[q], 0.0) for q in free]
            b2 = [c[q] + t for q in free]
            r2 = linprog(np.append(row[s], 0.0), A_ub=a2, b_ub=b2, A_eq=eq_a, b_eq=eq_b, bounds=bounds,
                         method="highs")
            if r2.fun - c[s] >= t - 1e-9:
                fixed[s] = t
        if imputations:
            for i in range(n):
                if (1 << i) in fixed:
                    continue
                a2 = [np.append(row[q], 0.0) for q in free if q not in fixed]
                b2 = [c[q] + t for q in free if q not in fixed]
                # the bound binds on the whole face when x_i cannot go below c({i})
                r4 = linprog(np.append(row[1 << i], 0.0), A_ub=a2 or None, b_ub=b2 or None, A_eq=eq_a,
                             b_eq=eq_b, bounds=bounds, method="highs")
                if r4.fun >= c[1 << i] - 1e-9:
                    fixed[1 << i] = 0.0
        mat = np.array([row[full]] + [row[s] for s in fixed])
        if np.linalg.matrix_rank(mat) == n:
            rhs = np.array([c[full]] + [c[s] + lv for s, lv in fixed.items()])
            return np.linalg.lstsq(mat, rhs, rcond=None)[0]


def least_core_value(costs: np.ndarray, imputations: bool = True) -> float:
    """min t such that some efficient x has every proper excess <= t (core non-empty iff <= 0)."""
    from scipy.optimize import linprog

    c = np.asarray(costs, dtype=float)
    n = int(math.log2(len(c)))
    full = (1 << n) - 1
    ub_a = [[(s >> i) & 1 for i in range(n)] + [-1] for s in range(1, full)]
    bounds = [(None, c[1 << i] if imputations else None) for i in range(n)] + [(None, None)]
    res = linprog([0] * n + [1], A_ub=ub_a, b_ub=c[1:full], A_eq=[[1] * n + [0]], b_eq=[c[full]],
                  bounds=bounds, method="highs")
    return float(res.fun)


def airport(req: list[float]) -> np.ndarray:
    n = len(req)
    return np.array([max([req[i] for i in range(n) if (s >> i) & 1], default=0) for s in range(1 << n)],
                    dtype=float)


def with_imputations(costs: np.ndarray) -> np.ndarray:
    """Cap the grand coalition's cost at the sum of the stand-alone costs (so imputations exist)."""
    c = np.array(costs, copy=True)
    n = int(math.log2(c.shape[-1]))
    c[..., -1] = np.minimum(c[..., -1], c[..., 1 << np.arange(n)].sum(axis=-1))
    return c


# the symmetric-pair game worked by hand in the docs: members 1 and 2 alike, member 3 twice their size
PAIR = np.array([0, 10, 10, 16, 20, 24, 24, 30], dtype=np.int64)

# ------------------------------------------------------------------------------------------------
# hand-worked and published values
# ------------------------------------------------------------------------------------------------


class TestHandWorked:
    def test_airport_game(self) -> None:
        # Littlechild & Owen (1973): each runway segment split equally among the planes using it
        c = airport([1, 2, 3])
        np.testing.assert_allclose(shapley(c), [1 / 3, 1 / 3 + 1 / 2, 1 / 3 + 1 / 2 + 1])
        # nucleolus by hand: {1} and {2,3} tie at excess -1/2 (x1 = 1/2), then {1,2}, {1,3} at -3/4
        np.testing.assert_allclose(nucleolus(c), [0.5, 0.75, 1.75], atol=1e-9)
        # SCRB: SC = (0, 0, 1), RB = (1, 2, 2), NSC = 2
        np.testing.assert_allclose(scrb(c), [0.4, 0.8, 1.8])

    def test_airport_shapley_formula_larger(self) -> None:
        # Littlechild-Owen: phi_k = sum_{j <= k} (r_j - r_{j-1}) / (n - j + 1), sorted requirements
        req = [2.0, 3.0, 7.0, 7.5, 11.0]
        c = airport(req)
        expect = np.cumsum(np.diff([0.0, *req]) / (len(req) - np.arange(len(req))))
        np.testing.assert_allclose(shapley(c), expect)

    def test_two_members_split_savings_equally(self) -> None:
        # Alan rents alone for 70, Bob for 40, together for 90: each saves 10
        c = [0, 70, 40, 90]
        for f in (shapley, nucleolus, scrb):
            np.testing.assert_allclose(f(c), [60, 30], atol=1e-8)

    def test_symmetric_pair_game(self) -> None:
        # Shapley: member 1's marginal costs over the 6 orders are 10, 10, 6, 6, 4, 6 -> 42/6 = 7
        np.testing.assert_allclose(shapley(PAIR), [7, 7, 16])
        # nucleolus: x = (a, a, 30 - 2a); max(2a - 16, 6 - a) is least at a = 22/3
        np.testing.assert_allclose(nucleolus(PAIR), [22 / 3, 22 / 3, 46 / 3], atol=1e-9)
        # SCRB: SC = (6, 6, 14), RB = (4, 4, 6), NSC = 4
        np.testing.assert_allclose(scrb(PAIR), [6 + 16 / 14, 6 + 16 / 14, 14 + 24 / 14])

    def test_core_violation_by_hand(self) -> None:
        # equal thirds: members 1 and 2 pay 20 together but could procure for 16
        mask, excess = core_violation(PAIR, np.array([10, 10, 10]))
        assert (int(mask), int(excess)) == (3, 4)
        assert excess.dtype == np.int64
        mask, excess = core_violation(PAIR, [7.0, 7.0, 16.0])
        assert float(excess) <= 0

    def test_additive_game(self) -> None:
        c = coalition_sums(np.array([5, 8, 13]))
        for f in (shapley, nucleolus, scrb):
            np.testing.assert_allclose(f(c), [5, 8, 13], atol=1e-8)

    def test_one_member(self) -> None:
        for f in (shapley, nucleolus, scrb):
            np.testing.assert_allclose(f([0, 42]), [42])

    def test_matches_brute_force(self) -> None:
        rng = np.random.default_rng(7)
        for n in (2, 3, 4, 5):
            c = rng.integers(0, 1000, 1 << n).astype(float)
            c[0] = 0
            np.testing.assert_allclose(shapley(c), ref_shapley(c), atol=1e-9)
            if n <= 4:
                np.testing.assert_allclose(nucleolus(c, imputations=False), ref_nucleolus(c, False), atol=1e-7)
                c = with_imputations(c)
                np.testing.assert_allclose(nucleolus(c), ref_nucleolus(c), atol=1e-7)

    def test_nucleolus_respects_stand_alone_costs_when_core_is_empty(self) -> None:
        # every pair is cheap, the grand coalition is not: the core is empty
        c = np.array([0, 10, 10, 12, 10, 12, 12, 17.5])
        pre = nucleolus(c, imputations=False)
        nuc = nucleolus(c)
        np.testing.assert_allclose(pre, [17.5 / 3] * 3)
        np.testing.assert_allclose(nuc, [17.5 / 3] * 3)
        _, excess = core_violation(c, nuc)
        assert float(excess) == pytest.approx(17.5 / 3 * 2 - 12)
        # worked by hand: c1=2, c2=3, c12=5, c3=0, c13=2, c23=0, c(N)=3.  The prenucleolus balances
        # e1 = x1 - 2 against e23 = 3 - x1 at 1/2, so x1 = 2.5 > c1; then x2 - 2.5 against 1 - x2.
        c2 = np.array([0, 2, 3, 5, 0, 2, 0, 3.0])
        np.testing.assert_allclose(nucleolus(c2, imputations=False), [2.5, 1.75, -1.25], atol=1e-9)
        # over imputations x1 <= 2 binds (e23 = 1 is the least possible), then x2 - 3 against 1 - x2
        np.testing.assert_allclose(nucleolus(c2), [2, 2, -1], atol=1e-9)

    def test_empty_imputation_set(self) -> None:
        with pytest.raises(GameError, match="no imputation"):
            nucleolus([0, 1, 1, 3])
        np.testing.assert_allclose(nucleolus([0, 1, 1, 3], imputations=False), [1.5, 1.5])


# ------------------------------------------------------------------------------------------------
# input validation
# ------------------------------------------------------------------------------------------------


class TestValidation:
    @pytest.mark.parametrize("f", [shapley, nucleolus, scrb])
    @pytest.mark.parametrize(
        ("bad", "match"),
        [
            ([0, 1, 2], "length 2\\*\\*n"),
            ([0], "length 2\\*\\*n"),
            ([1, 1, 2, 3], "empty coalition"),
            ([0, 1, float("nan"), 3], "finite"),
            ([0, 1, float("inf"), 3], "finite"),
            ([0, 1, -2, 3], ">= 0"),
            (["a", "b"], "numbers"),
            ([True, False], "numbers"),
        ],
    )
    def test_bad_costs(self, f, bad, match) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(GameError, match=match) as info:
            f(bad)
        assert isinstance(info.value, JichitaiCloudError)
        assert isinstance(info.value, ValueError)

    def test_core_violation_bad_allocation(self) -> None:
        with pytest.raises(GameError, match="3 entries"):
            core_violation(PAIR, [1, 2])
        with pytest.raises(GameError, match="finite"):
            core_violation(PAIR, [1, float("nan"), 2])
        with pytest.raises(GameError, match="at least 2"):
            core_violation([0, 4], [4])

    def test_sampled_bad_cost_function(self) -> None:
        with pytest.raises(GameError, match="one value per row"):
            sampled_shapley(lambda m: np.zeros(3), 3, samples=4)
        with pytest.raises(GameError, match="empty coalition"):
            sampled_shapley(lambda m: np.ones(m.shape[0]), 3, samples=4)
        with pytest.raises(GameError, match="negative, NaN"):
            sampled_shapley(lambda m: np.where(m.any(axis=1), np.nan, 0.0), 3, samples=4)
        with pytest.raises(GameError, match="samples"):
            sampled_shapley(lambda m: m.sum(axis=1), 3, samples=1)

    def test_helpers_validate(self) -> None:
        with pytest.raises(GameError, match="permutation"):
            relabel(PAIR, [0, 0, 1])
        with pytest.raises(GameError, match="distinct"):
            restrict(PAIR, [0, 0])
        with pytest.raises(GameError, match="bitmask"):
            members_of(8, 3)
        assert members_of(5, 3) == (0, 2)


# ------------------------------------------------------------------------------------------------
# scalar and batch agree
# ------------------------------------------------------------------------------------------------


@settings(max_examples=15)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_batch_equals_scalar(n: int, b: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    batch = rng.integers(0, 10**6, size=(b, 2, 1 << n)).astype(float)
    batch[..., 0] = 0
    batch = with_imputations(batch)
    alloc = rng.integers(0, 10**6, size=(b, 2, n))
    for f in (shapley, nucleolus, scrb):
        whole = f(batch)
        assert whole.shape == (b, 2, n)
        for idx in np.ndindex(b, 2):
            np.testing.assert_allclose(whole[idx], f(batch[idx]), rtol=1e-9, atol=1e-6)
    if n >= 2:
        masks, excess = core_violation(batch, alloc)
        assert masks.shape == excess.shape == (b, 2)
        for idx in np.ndindex(b, 2):
            m1, e1 = core_violation(batch[idx], alloc[idx])
            assert int(m1) == int(masks[idx]) and float(e1) == pytest.approx(float(excess[idx]))


# ------------------------------------------------------------------------------------------------
# axioms and properties
# ------------------------------------------------------------------------------------------------


@settings(max_examples=30)
@given(cost_games(1, 6))
def test_efficiency(costs: np.ndarray) -> None:
    costs = with_imputations(costs)
    total = float(costs[-1])
    for f in (shapley, nucleolus, scrb):
        assert f(costs).sum() == pytest.approx(total, rel=1e-9, abs=1e-3)


@settings(max_examples=25)
@given(cost_games(2, 6), st.data())
def test_symmetry(costs: np.ndarray, data: st.DataObject) -> None:
    # make members i and j interchangeable: c(S + i) = c(S + j) for S without both
    n = int(math.log2(len(costs)))
    i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    masks = np.arange(1 << n)
    swapped = masks ^ (((masks >> i) & 1) ^ ((masks >> j) & 1)) * ((1 << i) | (1 << j))
    sym = with_imputations(np.maximum(costs, costs[swapped]))
    for f in (shapley, nucleolus, scrb):
        x = f(sym)
        assert x[i] == pytest.approx(x[j], rel=1e-9, abs=1e-3)


@settings(max_examples=25)
@given(cost_games(1, 5), st.integers(0, 5))
def test_null_player(costs: np.ndarray, k: int) -> None:
    # add a member who changes no coalition's cost: its Shapley value is 0, the others' unchanged
    n = int(math.log2(len(costs)))
    k = k % (n + 1)
    masks = np.arange(1 << (n + 1))
    without_k = ((masks >> (k + 1)) << k) | (masks & ((1 << k) - 1))
    bigger = costs[without_k]
    phi = shapley(bigger)
    assert phi[k] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(np.delete(phi, k), shapley(costs), rtol=1e-9, atol=1e-6)


@settings(max_examples=25)
@given(cost_games(1, 6), cost_games(1, 6))
def test_additivity(a: np.ndarray, b: np.ndarray) -> None:
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    np.testing.assert_allclose(shapley(a + b), shapley(a) + shapley(b), rtol=1e-9, atol=1e-5)


@settings(max_examples=25)
@given(cost_games(1, 5), st.floats(0.001, 1000.0))
def test_scaling_scales_every_solution(costs: np.ndarray, k: float) -> None:
    costs = with_imputations(costs)
    scaled = costs * k
    for f in (shapley, nucleolus, scrb):
        np.testing.assert_allclose(f(scaled), k * f(costs), rtol=1e-7, atol=1e-6 * max(1.0, k) * costs.max())


@settings(max_examples=25)
@given(submodular_cost_games(2, 6))
def test_concave_game_shapley_and_nucleolus_in_core(costs: np.ndarray) -> None:
    tol = 1e-6 * max(1.0, float(costs.max()))
    for f in (shapley, nucleolus):
        _, excess = core_violation(costs, f(costs))
        assert float(excess) <= tol


@settings(max_examples=25)
@given(cost_games(2, 5))
def test_nucleolus_in_core_when_core_non_empty(costs: np.ndarray) -> None:
    # a random game: check against an independent least-core LP
    tol = 1e-6 * max(1.0, float(costs.max()))
    for imputations in (False, True):
        if imputations:
            costs = with_imputations(costs)
        lc = least_core_value(costs, imputations)
        x = nucleolus(costs, imputations=imputations)
        _, excess = core_violation(costs, x)
        if lc <= 0:
            assert float(excess) <= tol
        # the nucleolus's largest excess is the least-core value
        assert float(excess) == pytest.approx(lc, abs=tol)
        if imputations:
            assert np.all(x <= costs[1 << np.arange(len(x))] + tol)


@settings(max_examples=20)
@given(cost_games(2, 5), st.randoms(use_true_random=False))
def test_relabelling_permutes_solutions(costs: np.ndarray, rnd) -> None:  # type: ignore[no-untyped-def]
    n = int(math.log2(len(costs)))
    order = list(range(n))
    rnd.shuffle(order)
    costs = with_imputations(costs)
    moved = relabel(costs, order)
    tol = 1e-6 * max(1.0, float(costs.max()))
    for f in (shapley, nucleolus, scrb):
        np.testing.assert_allclose(f(moved), f(costs)[order], atol=tol)


@settings(max_examples=20)
@given(submodular_cost_games(2, 6), st.data())
def test_core_allocation_has_no_positive_excess(costs: np.ndarray, data: st.DataObject) -> None:
    # any convex combination of core allocations (here Shapley and two vertex orders) is in the core
    n = int(math.log2(len(costs)))
    perm = data.draw(st.permutations(range(n)))
    vertex = np.zeros(n)
    mask = 0
    for i in perm:  # the marginal-cost vector of one order is a core vertex of a concave game
        vertex[i] = costs[mask | (1 << i)] - costs[mask]
        mask |= 1 << i
    w = data.draw(st.floats(0, 1))
    x = w * vertex + (1 - w) * shapley(costs)
    _, excess = core_violation(costs, x)
    assert float(excess) <= 1e-6 * max(1.0, float(costs.max()))
    # and an integer vertex has an exactly non-positive integer excess
    _, exact = core_violation(costs, vertex.astype(np.int64))
    assert exact.dtype == np.int64 and int(exact) <= 0


@settings(max_examples=20)
@given(cost_games(2, 6), st.data())
def test_core_violation_matches_brute_force(costs: np.ndarray, data: st.DataObject) -> None:
    n = int(math.log2(len(costs)))
    x = np.array(data.draw(st.lists(st.integers(0, 10**9), min_size=n, max_size=n)), dtype=np.int64)
    mask, excess = core_violation(costs, x)
    best = max(range(1, (1 << n) - 1), key=lambda s: (sum(x[i] for i in members_of(s, n)) - costs[s], -s))
    assert int(mask) == best
    assert int(excess) == sum(int(x[i]) for i in members_of(best, n)) - int(costs[best])


@settings(max_examples=20)
@given(cost_games(2, 6))
def test_scrb_two_member_and_bounds(costs: np.ndarray) -> None:
    # SCRB gives every member at least its separable cost when non-separable cost is non-negative
    n = int(math.log2(len(costs)))
    full = (1 << n) - 1
    sep = costs[full] - costs[full ^ (1 << np.arange(n))]
    x = scrb(costs)
    if costs[full] - sep.sum() >= 0:
        assert np.all(x >= sep - 1e-6)


def test_scrb_equals_nucleolus_and_shapley_for_two() -> None:
    rng = np.random.default_rng(3)
    c = rng.integers(1, 100, size=(20, 4)).astype(float)
    c[:, 0] = 0
    np.testing.assert_allclose(scrb(c), shapley(c), atol=1e-9)


# ------------------------------------------------------------------------------------------------
# helpers: subset sums, relabel, restrict, completion, curve fit
# ------------------------------------------------------------------------------------------------


@settings(max_examples=20)
@given(st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=9))
def test_coalition_sums(values: list[int]) -> None:
    n = len(values)
    sums = coalition_sums(np.array(values))
    assert sums.dtype == np.int64
    for s in range(1 << n):
        assert sums[s] == sum(values[i] for i in members_of(s, n))


def test_restrict_is_the_subgame() -> None:
    c = np.arange(16) * 3
    c[0] = 0
    sub = restrict(c, [3, 1])  # new member 0 = old 3, new 1 = old 1
    assert sub.tolist() == [0, c[8], c[2], c[10]]
    assert restrict(c, np.array([True, False, True, False])).tolist() == [0, c[1], c[4], c[5]]


def test_complete_partition() -> None:
    # 3 members alone 10, 20, 30; {0,1} quoted 25; everything else missing
    costs = np.zeros(8)
    known = np.zeros(8, dtype=bool)
    for s, v in {0: 0, 1: 10, 2: 20, 4: 30, 3: 25}.items():
        costs[s], known[s] = v, True
    done, blocks, split = complete_partition(costs, known)
    assert done.tolist() == [0, 10, 20, 25, 30, 40, 50, 55]
    assert blocks.tolist() == [1, 1, 1, 1, 1, 2, 2, 2]
    assert split.tolist() == [np.inf, np.inf, np.inf, 30, np.inf, 40, 50, 55]
    with pytest.raises(GameError, match="stand-alone"):
        complete_partition(costs, np.array([True, True, False, True, True, False, False, False]))


@settings(max_examples=15)
@given(cost_games(2, 5))
def test_complete_partition_is_subadditive_and_keeps_quotes(costs: np.ndarray) -> None:
    n = int(math.log2(len(costs)))
    known = np.zeros(1 << n, dtype=bool)
    known[0] = True
    known[1 << np.arange(n)] = True
    known[3] = True
    done, _, _ = complete_partition(costs, known)
    assert np.array_equal(done[known], costs[known].astype(float))
    for s in np.flatnonzero(~known):
        for t in range(1, s):
            if t & s == t and (s ^ t):
                assert done[s] <= done[t] + done[s ^ t] + 1e-9


def test_fit_power_cost_recovers_a_curve() -> None:
    sizes = np.array([5_000, 20_000, 60_000, 120_000, 200_000])
    costs = 3e8 + 4e4 * sizes**0.8
    fixed, _per_unit, b, err = fit_power_cost(sizes, costs)
    assert b == pytest.approx(0.8, abs=1e-3)
    assert fixed == pytest.approx(3e8, rel=1e-2)
    assert err < 1e-4
    f2, _a2, b2, _ = fit_power_cost(sizes[:2], costs[:2], exponent=0.8)
    assert (f2, b2) == (pytest.approx(3e8, rel=1e-6), 0.8)
    with pytest.raises(GameError, match="at least 3"):
        fit_power_cost(sizes[:2], costs[:2])


# ------------------------------------------------------------------------------------------------
# sampled Shapley
# ------------------------------------------------------------------------------------------------


def _table(costs: np.ndarray):  # type: ignore[no-untyped-def]
    n = int(math.log2(len(costs)))
    weights = 1 << np.arange(n)
    return lambda members: costs[members.astype(np.int64) @ weights]


@pytest.mark.parametrize("antithetic", [True, False])
def test_sampled_shapley_close_to_exact(antithetic: bool) -> None:
    rng = np.random.default_rng(11)
    n = 10
    pops = rng.integers(1000, 100_000, n)
    costs = np.where(np.arange(1 << n) > 0, 1e8 + 5e4 * coalition_sums(pops).astype(float) ** 0.8, 0.0)
    res = sampled_shapley(_table(costs), n, samples=4000, seed=1, antithetic=antithetic)
    exact = shapley(costs)
    err = np.abs(res.estimate - exact)
    assert np.all(err <= res.bound)  # the (simultaneous, 95 %) Hoeffding bound
    assert np.all(err <= 5 * res.std_error + 1e-9)
    assert res.samples == (2000 if antithetic else 4000)
    again = sampled_shapley(_table(costs), n, samples=4000, seed=1, antithetic=antithetic)
    np.testing.assert_array_equal(res.estimate, again.estimate)  # seeded


def test_sampled_shapley_exact_on_additive_game() -> None:
    costs = coalition_sums(np.array([3.0, 5.0, 7.0, 11.0]))
    res = sampled_shapley(_table(costs), 4, samples=10, seed=0, batch=3)
    np.testing.assert_allclose(res.estimate, [3, 5, 7, 11])
    np.testing.assert_allclose(res.std_error, 0, atol=1e-12)


def test_sampled_shapley_known_range() -> None:
    costs = airport([1.0, 2.0, 3.0])
    res = sampled_shapley(_table(costs), 3, samples=200, seed=5, marginal_range=[1.0, 2.0, 3.0])
    np.testing.assert_array_equal(res.marginal_range, [1.0, 2.0, 3.0])
    expect = np.array([1.0, 2.0, 3.0]) * math.sqrt(math.log(2 * 3 / 0.05) / (2 * 100))
    np.testing.assert_allclose(res.bound, expect)
