"""Timing shared by the benchmark scripts (run as ``python benchmarks/bench_<name>.py``: this folder
is then on ``sys.path``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_wall(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The best wall-clock time of ``repeat`` calls of ``fn``. [s]"""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best
