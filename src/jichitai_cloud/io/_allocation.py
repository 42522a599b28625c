"""Allocation plan files (TOML or JSON): the fee to split, the rule, the penalties.

A plan file holds::

    total_fee = 1380000000
    [rule]
    min_reduction = 0.3
    [rule.ratios]
    equal = 3
    population = 7
    [penalties]      # 違約金 per member code, overriding the council file's
    C = 5000000
"""

from __future__ import annotations

import os

from ..allocation import AllocationPlan
from ._document import load_object

__all__ = ["load_plan"]


def load_plan(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> AllocationPlan:
    """Read an :class:`~jichitai_cloud.allocation.AllocationPlan` from a TOML or JSON file.

    Every problem is reported with its path (e.g. ``$.rule.min_reduction``); ``max_bytes`` is the
    largest file read (default 100 MB). [bytes]
    """
    return load_object(path, AllocationPlan, max_bytes=max_bytes)
