"""The operations kernels with dask arrays along a batch axis equal the numpy path, lazily.

dask (the ``scale`` extra) is needed by most tests here; they are skipped without it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from jichitai_cloud import operations
from jichitai_cloud._numeric._dask import is_dask
from jichitai_cloud.errors import ValidationError
from jichitai_cloud.operations import _kernels
from jichitai_cloud.operations import kernels as K

da: Any = pytest.importorskip("dask.array")

S, KM, T, N = 7, 6, 12, 11  # scenarios, metrics, months, members


def _table(lead: tuple[int, ...] = (), seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    shape = (*lead, KM, T, N)
    window = np.stack([np.arange(T), np.arange(T) // 3, np.zeros(T, np.int64), np.arange(T) // 3,
                       np.arange(T) // 6, np.arange(T)]).astype(np.int64)
    return {"values": np.round(rng.normal(99.0, 1.0, shape), 2), "observed": rng.random(shape) > 0.1,
            "weights": rng.integers(1, 100, shape).astype(np.float64), "window": window,
            "how": np.array([0, 1, 2, 3, 4, 0]), "target": np.full(KM, 99.0),
            "higher": np.array([True, True, False, True, False, True]), "points": np.array([1, 2, 3, 1, 0, 2])}


def _equal(lazy: Any, eager: Any) -> None:
    lazy = lazy if isinstance(lazy, tuple) else (lazy,)
    eager = eager if isinstance(eager, tuple) else (eager,)
    assert len(lazy) == len(eager)
    for a, b in zip(lazy, eager, strict=True):
        assert is_dask(a), "the result is a lazy dask array until computed"
        c = a.compute()
        assert c.dtype == b.dtype and c.shape == b.shape
        np.testing.assert_array_equal(c, b)


def _chunked(x: np.ndarray, axis: int, size: int = 3) -> Any:
    chunks = tuple(size if i == axis % x.ndim else -1 for i in range(x.ndim))
    return da.from_array(x, chunks=chunks)


# (S, K, T, N) chunked along S, and one national-style table (K, T, N) chunked along the members
@pytest.fixture(params=[((S,), 0), ((), -1)], ids=["scenarios", "members"])
def case(request: pytest.FixtureRequest) -> tuple[dict[str, np.ndarray], int]:
    lead, axis = request.param
    return _table(lead), axis


def test_window_aggregate(case: tuple[dict[str, np.ndarray], int]) -> None:
    t, ax = case
    eager = _kernels.window_aggregate(t["values"], t["observed"], t["window"], t["how"], t["weights"])
    lazy = K.window_aggregate(_chunked(t["values"], ax), t["observed"], t["window"], t["how"],
                              weights=_chunked(t["weights"], ax, 4))
    _equal(lazy, eager)
    assert lazy[0].numblocks[ax] > 1


def test_compliance_achievement_streaks_penalties(case: tuple[dict[str, np.ndarray], int]) -> None:
    t, ax = case
    wv, cnt = _kernels.window_aggregate(t["values"], t["observed"], t["window"], t["how"], t["weights"])
    ev = cnt > 0
    met, missed = _kernels.compliance(wv, ev, t["target"], t["higher"])
    _equal(K.compliance(_chunked(wv, ax), _chunked(ev, ax), t["target"], t["higher"]), (met, missed))
    _equal(K.achievement(_chunked(met, ax), ev, t["points"]), _kernels.achievement(met, ev, t["points"]))
    _equal(K.miss_streaks(_chunked(missed, ax), _chunked(ev, ax)), _kernels.miss_streaks(missed, ev))
    _equal(K.penalty_points(_chunked(missed, ax), ev, t["points"], multiplier=3, cap=2, expiry=4),
           _kernels.penalty_points(missed, ev, t["points"], multiplier=3, cap=2, expiry=4))


def test_elementwise_money_and_availability() -> None:
    rng = np.random.default_rng(5)
    sched = rng.integers(0, 50_000, (S, N))
    down = np.minimum(rng.integers(0, 600, (S, N)), sched)
    _equal(K.availability(_chunked(sched, 0), down), _kernels.availability(sched, down))
    _equal(K.error_budget(_chunked(sched, 0, 2), 995, 1000), _kernels.error_budget(sched, 995, 1000))
    possible = rng.integers(0, 40, (S, N))
    achieved = np.minimum(rng.integers(0, 40, (S, N)), possible)
    fee = rng.integers(0, 10**12, N)
    _equal(K.fee_reduction(fee, _chunked(achieved, 0), _chunked(possible, 0, 2)),
           _kernels.fee_reduction(fee, achieved, possible))
    avail = rng.uniform(98.0, 100.0, (S, N))
    th, bp = np.array([99.0, 99.5, 99.9]), np.array([1000, 500, 100, 0])
    _equal(K.service_credit(_chunked(avail, 0), th, bp, fee), _kernels.service_credit(avail, th, bp, fee))


def test_weighted_scores_and_scenario_totals() -> None:
    rng = np.random.default_rng(9)
    values = rng.uniform(0, 100, (50, 4))
    worst, best, w = np.array([0, 100, 0, 80.0]), np.array([100, 0, 50, 100.0]), np.array([3, 1, 2, 4.0])
    _equal(K.weighted_scores(_chunked(values, 0, 8), worst, best, w), _kernels.weighted_scores(values, worst, best, w))
    crit = [operations.ContinuityCriterion(name=f"c{i}", measure=f"m{i}", worst=float(worst[i]),
                                           best=float(best[i]), weight=float(w[i])) for i in range(4)]
    lazy = operations.scenario_totals(crit, _chunked(values, 0, 8))
    _equal(lazy, operations.scenario_totals(crit, values))


def test_numpy_arguments_take_the_numpy_path() -> None:
    t = _table()
    out = K.compliance(t["values"], True, t["target"], t["higher"])
    assert isinstance(out[0], np.ndarray)
    assert K.service_cumulative is _kernels.service_cumulative
    assert set(K.__all__) == set(_kernels.__all__)
    assert all(hasattr(K, name) for name in _kernels.__all__)


def test_errors_name_the_block_when_computed() -> None:
    sched = np.full((S, N), 100)
    down = np.zeros((S, N), np.int64)
    down[5, 2] = 101
    lazy = K.availability(_chunked(sched, 0), down)
    with pytest.raises(ValidationError, match=r"block of scenarios 3\.\.5.*cannot exceed"):
        lazy[0].compute()
    t = _table()
    with pytest.raises(ValidationError, match="shape"):  # parameters are checked at once
        K.compliance(_chunked(t["values"], -1), True, t["target"][:2], t["higher"][:2])
    with pytest.raises(ValidationError, match="time axis"):
        K.miss_streaks(_chunked(t["observed"], -1), True, axis=-1)


def test_dask_outside_the_batch_axis_is_computed() -> None:
    t = _table()
    target: Callable[..., Any] = K.compliance
    met, _ = target(t["values"], True, da.from_array(t["target"]), t["higher"])
    assert is_dask(met)
    np.testing.assert_array_equal(met.compute(), _kernels.compliance(t["values"], True, t["target"], t["higher"])[0])


def test_import_does_not_import_dask() -> None:
    code = ("import sys, numpy as np; from jichitai_cloud import operations; "
            "operations.kernels.compliance(np.ones((2, 3, 4)), True, [1, 1], [True, False]); "
            "sys.exit(1 if any(m == 'dask' or m.startswith('dask.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
