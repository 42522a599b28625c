"""Fairness and stability of a cost allocation: cooperative cost games (協力ゲーム).

Kernels on a coalition cost vector indexed by bitmask (:func:`shapley`, :func:`nucleolus`,
:func:`core_violation`, :func:`scrb`, :func:`sampled_shapley`) and the tools around them.
"""

from ._kernels import (
    SampledShapley,
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

__all__ = [
    "SampledShapley",
    "coalition_sums",
    "complete_partition",
    "core_violation",
    "fit_power_cost",
    "members_of",
    "nucleolus",
    "relabel",
    "restrict",
    "sampled_shapley",
    "scrb",
    "shapley",
]
