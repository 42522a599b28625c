"""Every route of best_partition gives the same groups (issue 23): forced methods against each other and
against brute force, the tie rule, the choice of method and the time limit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud.errors import SelectionError, ValidationError
from jichitai_cloud.selection import (
    DP_MAX_N,
    DP_MAX_N_LARGE_GROUPS,
    METHODS,
    best_partition,
    choose_method,
    dp_work,
    partition_search,
)
from jichitai_cloud.testing import strategies as jst
from test_selection_kernels import brute_force, is_partition


def _lexicographic_optimum(costs: np.ndarray, max_size, allowed) -> list[int]:
    """The tie rule by brute force: the smallest group of the lowest candidate left that begins an optimum."""
    n = costs.size.bit_length() - 1
    c = [int(x) for x in costs]

    def ok(g: int) -> bool:
        pc = bin(g).count("1")
        return pc == 1 or ((max_size is None or pc <= max_size) and (allowed is None or bool(allowed[g])))

    memo: dict[int, int] = {0: 0}

    def opt(s: int) -> int:
        if s not in memo:
            low = s & -s
            rest = s ^ low
            best = None
            sub = rest
            while True:
                g = sub | low
                if ok(g):
                    v = c[g] + opt(s ^ g)
                    best = v if best is None or v < best else best
                if sub == 0:
                    break
                sub = (sub - 1) & rest
            memo[s] = best  # type: ignore[assignment]
        return memo[s]

    out = []
    s = (1 << n) - 1
    while s:
        low = s & -s
        target = opt(s)
        g = min(g for g in range(1, s + 1) if g & s == g and g & low and ok(g) and c[g] + opt(s ^ g) == target)
        out.append(g)
        s ^= g
    return sorted(out)


def _instance(costs, data, *, ties: int):
    """A size limit and an allowed mask drawn for ``costs``; half the time costs taken modulo ``ties``
    (small costs: many ties)."""
    n = costs.size.bit_length() - 1
    max_size = data.draw(st.one_of(st.none(), st.integers(1, n)))
    allowed = data.draw(st.one_of(st.none(), jst.allowed_masks(n)))
    if data.draw(st.booleans()):
        costs = costs % ties
        costs[0] = 0
    return costs, max_size, allowed


@settings(deadline=None, max_examples=60)
@given(costs=jst.selection_costs(max_candidates=7), data=st.data())
def test_every_method_equals_brute_force_and_the_tie_rule(costs, data) -> None:
    costs, max_size, allowed = _instance(costs, data, ties=7)
    best = brute_force(costs, max_size, allowed)
    rule = _lexicographic_optimum(costs, max_size, allowed)
    for method in ("dp", "milp", "auto"):
        r = partition_search(costs, max_size=max_size, allowed=allowed, method=method)
        assert is_partition(r.groups, costs.size.bit_length() - 1)
        assert r.total == int(costs[r.groups].sum()) == best == r.lower_bound
        assert r.proven_optimal and r.gap == 0.0
        assert r.groups.tolist() == rule, method
        assert best_partition(costs, max_size=max_size, allowed=allowed, method=method).tolist() == rule


def _council(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pop = rng.integers(3_000, 400_000, size=n).astype(np.float64)
    size = np.zeros(1 << n)
    for i in range(n):
        size[1 << i: 2 << i] = size[: 1 << i] + pop[i]
    costs = np.rint(1.0e8 + 2_000.0 * size ** 0.85).astype(np.int64)
    single = np.left_shift(1, np.arange(n))
    costs[single] = np.rint(costs[single] * 1.1).astype(np.int64)
    costs[0] = 0
    return costs


@pytest.mark.parametrize(("n", "max_size"), [(10, 3), (11, None), (12, 4)])
def test_methods_agree_on_council_costs(n, max_size) -> None:
    costs = _council(n, seed=n)
    dp = partition_search(costs, max_size=max_size, method="dp")
    ip = partition_search(costs, max_size=max_size, method="milp")
    assert dp.groups.tolist() == ip.groups.tolist()
    assert dp.total == ip.total == ip.lower_bound


def test_choose_method_follows_the_documented_work_estimate() -> None:
    assert dp_work(5) == (3**5 - 1) // 2
    assert dp_work(6, 1) == 2**6 - 1  # every set: only its lowest member alone
    for n in range(1, 25):
        for k in (2, 4, 6, None):
            large = k is None or 2 * min(k, n) > n
            assert choose_method(n, k) == ("dp" if n <= DP_MAX_N or (large and n <= DP_MAX_N_LARGE_GROUPS)
                                           else "milp")
    assert choose_method(8) == "dp" and choose_method(20) == "milp" and choose_method(24, 6) == "milp"
    assert choose_method(16) == "dp" and choose_method(16, 2) == "milp"
    assert set(METHODS) == {"auto", "dp", "milp"}


def test_time_limit_gives_a_valid_bound() -> None:
    costs = _council(16, seed=5)
    exact = partition_search(costs, max_size=5)
    for method in ("dp", "milp"):
        r = partition_search(costs, max_size=5, method=method, time_limit=1e-4)
        assert is_partition(r.groups, 16)
        assert r.total == int(costs[r.groups].sum()) >= exact.total
        assert 0 <= r.lower_bound <= exact.total <= r.total
        if not r.proven_optimal:
            assert r.lower_bound < r.total and 0 < r.gap <= 1
        else:
            assert r.total == exact.total


def test_bad_method_and_time_limit() -> None:
    costs = _council(4)
    with pytest.raises(SelectionError, match="method must be one of auto, dp, milp"):
        partition_search(costs, method="cbc")
    for bad in (0, -1.0, float("nan"), float("inf"), "1", True):
        with pytest.raises(ValidationError, match="time_limit must be a number of seconds > 0"):
            partition_search(costs, time_limit=bad)


def test_recommend_reports_an_unproven_grouping() -> None:
    from jichitai_cloud import examples
    from jichitai_cloud.selection import recommend

    problem = examples.toyama_selection()
    exact = recommend(problem, top=1)
    assert exact.proven_optimal and exact.lower_bound == exact.best.total and exact.gap == 0.0
    assert "未証明" not in exact.summary()
    for method in ("dp", "milp"):
        assert recommend(problem, top=1, method=method).best.total == exact.best.total
    quick = recommend(problem, top=3, time_limit=1e-6, method="milp")
    assert quick.lower_bound is not None and quick.lower_bound <= exact.best.total <= quick.best.total
    if not quick.proven_optimal:
        assert len(quick.groupings) == 1 and quick.constraints == ()
        assert "最適性は未証明" in quick.summary() and "NOT proven optimal" in quick.summary(lang="en")
        assert quick.summary().index("最適性は未証明") < quick.summary().index("注:") if "注:" in quick.summary() \
            else True


def test_cli_select_method_and_time_limit(capsys) -> None:
    from jichitai_cloud.cli.main import main

    assert main(["select", "--example", "toyama", "--method", "milp", "--time-limit", "30", "--top", "1"]) == 0
    assert "最良のグループ分け" in capsys.readouterr().out
    for bad in ("0", "-1", "nan", "x"):
        with pytest.raises(SystemExit) as exc:
            main(["select", "--example", "toyama", "--time-limit", bad])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "--time-limit" in err and "number > 0" in err
    with pytest.raises(SystemExit):
        main(["select", "--example", "toyama", "--method", "cbc"])
    assert "invalid choice" in capsys.readouterr().err


@settings(deadline=None, max_examples=40)
@given(costs=jst.selection_costs(max_candidates=7), data=st.data())
def test_the_milp_route_without_its_search_shortcut_follows_the_tie_rule(costs, data) -> None:
    """The set partitioning route with its exact search for the optimum switched off (HiGHS's MILP, the
    no-good cut, then the tie rule's search), as on instances where the search gives up."""
    from jichitai_cloud.selection._kernels import _setpart

    costs, max_size, allowed = _instance(costs, data, ties=5)
    rule = _lexicographic_optimum(costs, max_size, allowed)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_setpart, "_SEARCH_NODES", 0)  # the search gives up at once
        mp.setattr(_setpart, "_SEARCH_FIRST", 0)  # and HiGHS's no-good cut runs before the tie rule's search
        r = partition_search(costs, max_size=max_size, allowed=allowed, method="milp")
    assert r.groups.tolist() == rule
    assert r.total == r.lower_bound == int(costs[r.groups].sum()) and r.proven_optimal


@pytest.mark.parametrize(("n", "max_size", "ties"), [(12, 2, False), (13, 2, True), (12, 3, True), (14, 5, True)])
def test_methods_agree_with_pairs_and_ties(n, max_size, ties) -> None:
    costs = _council(n, seed=n + max_size)
    if ties:  # a coarse price list: many partitions cost the same
        costs = (costs // 50_000_000) * 50_000_000
        costs[0] = 0
    dp = partition_search(costs, max_size=max_size, method="dp")
    ip = partition_search(costs, max_size=max_size, method="milp")
    assert dp.groups.tolist() == ip.groups.tolist()
    assert dp.total == ip.total == ip.lower_bound and ip.proven_optimal
