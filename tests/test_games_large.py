"""Bigger games: the popcount-grouped exact Shapley value (n > 16) against the previous
implementation (per-coalition weight tables, kept here as the reference) and the axioms at n >= 20;
the nucleolus on larger games against its own properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games_oracle import previous_shapley
from jichitai_cloud.games import core_violation, nucleolus, relabel, shapley


def random_game(n: int, seed: int, batch: tuple[int, ...] = ()) -> np.ndarray:
    """A random game in yen with economies of scale plus noise (non-negative, c(empty) = 0)."""
    rng = np.random.default_rng(seed)
    pops = rng.integers(3_000, 95_000, size=n).astype(np.float64)
    masks = np.arange(1 << n)
    size = (((masks[:, None] >> np.arange(n)) & 1) @ pops)
    base = np.where(masks > 0, 3e8 + 1.1e5 * size**0.75, 0.0)
    noise = rng.uniform(0.9, 1.1, size=(*batch, 1 << n))
    out = np.rint(base * noise)
    out[..., 0] = 0
    return out


@pytest.mark.parametrize("n", [1, 2, 5, 12, 16, 17, 18, 20, 21])
def test_equal_to_the_previous_implementation(n: int) -> None:
    c = random_game(n, seed=n)
    expect = previous_shapley(c)
    np.testing.assert_allclose(shapley(c), expect, rtol=1e-10, atol=1e-6 * float(c.max()) * 1e-6)
    ints = c.astype(np.int64)
    np.testing.assert_allclose(shapley(ints), expect, rtol=1e-10, atol=1e-3)


@pytest.mark.parametrize("n", [17, 18])
def test_batch_equals_scalar_above_the_table_size(n: int) -> None:
    c = random_game(n, seed=3, batch=(2, 3))
    whole = shapley(c)
    assert whole.shape == (2, 3, n)
    np.testing.assert_allclose(whole, previous_shapley(c), rtol=1e-10)
    for idx in np.ndindex(2, 3):
        np.testing.assert_allclose(whole[idx], shapley(c[idx]), rtol=1e-12)


@settings(max_examples=3, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(20, 20))
def test_axioms_at_twenty(seed: int, n: int) -> None:
    c = random_game(n, seed)
    phi = shapley(c)
    # efficiency
    assert phi.sum() == pytest.approx(float(c[-1]), rel=1e-12)
    # symmetry: relabelling permutes the value (two members swapped)
    rng = np.random.default_rng(seed)
    perm = np.arange(n)
    i, j = rng.choice(n, size=2, replace=False)
    perm[[i, j]] = perm[[j, i]]
    np.testing.assert_allclose(shapley(relabel(c, perm)), phi[perm], rtol=1e-10)
    # additivity
    d = random_game(n, seed + 1)
    np.testing.assert_allclose(shapley(c + d), phi + shapley(d), rtol=1e-10)
    # null player: a member who changes nothing (member 19 copies the game on 19 members)
    small = c[: 1 << (n - 1)]
    with_null = np.concatenate([small, small])
    phi_null = shapley(with_null)
    assert abs(phi_null[-1]) <= 1e-9 * float(c.max())
    np.testing.assert_allclose(phi_null[:-1], shapley(small), rtol=1e-10)


def test_additive_game_at_twenty_two() -> None:
    n = 22
    rng = np.random.default_rng(7)
    stand_alone = rng.integers(1, 10**8, size=n)
    masks = np.arange(1 << n, dtype=np.int64)
    c = ((masks[:, None] >> np.arange(n)) & 1) @ stand_alone
    np.testing.assert_allclose(shapley(c), stand_alone, rtol=1e-10)


@pytest.mark.parametrize("n", [13, 14])
def test_nucleolus_in_the_core_on_a_concave_game(n: int) -> None:
    # a cost curve with economies of scale is concave (submodular): the core is non-empty and the
    # nucleolus lies in it, adds up, and its largest excess is as small as the least core allows
    rng = np.random.default_rng(n)
    pops = rng.integers(3_000, 95_000, size=n).astype(np.float64)
    masks = np.arange(1 << n)
    c = np.where(masks > 0, 3e8 + 1.1e5 * (((masks[:, None] >> np.arange(n)) & 1) @ pops) ** 0.75, 0.0)
    x = nucleolus(c)
    assert x.sum() == pytest.approx(c[-1], rel=1e-12)
    _, excess = core_violation(c, x)
    assert float(excess) <= 1e-6 * float(c.max())


@pytest.mark.parametrize("imputations", [True, False])
def test_nucleolus_by_constraint_generation_matches_the_primal_reference(imputations: bool) -> None:
    from test_games_kernels import ref_nucleolus

    # uniform random games need several rounds, and most coalitions are never written out
    rng = np.random.default_rng(11)
    c = rng.uniform(0, 1, size=(3, 1 << 6))  # the reference's tolerances are absolute
    c[:, 0] = 0
    if imputations:
        c[:, -1] = np.minimum(c[:, -1], c[:, 1 << np.arange(6)].sum(axis=-1))
    whole = nucleolus(c, imputations=imputations)
    for g in range(3):
        np.testing.assert_allclose(whole[g], nucleolus(c[g], imputations=imputations), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(whole[g], ref_nucleolus(c[g], imputations), atol=1e-7)


@pytest.mark.parametrize("chunk", [1, 3 << 9, 1 << 30])
def test_the_slices_do_not_change_the_value(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    # one row per slice, slices that do not divide the rows, one slice for the whole game
    from jichitai_cloud.games._kernels import _shapley

    c = random_game(17, seed=5, batch=(2,))
    monkeypatch.setattr(_shapley, "_CHUNK", chunk)
    np.testing.assert_allclose(shapley(c), previous_shapley(c), rtol=1e-10)
