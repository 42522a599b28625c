"""The pure numpy kernels of :mod:`jichitai_cloud.selection`: the cheapest partition into groups.

:mod:`._partition` holds them: exact dynamic programming over all subsets
(:func:`best_partition`), set partitioning over candidate groups with scipy's HiGHS
(:func:`best_partition_from_groups`) and the masks of groups that satisfy a constraint
(:func:`contiguous_groups`, :func:`window_groups`, :func:`diameter_groups`).  They import only
numpy, scipy, the standard library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`,
and never see a domain type.  The public names are listed once, in :mod:`jichitai_cloud.selection`.
"""

from ._partition import (
    DP_MAX_N,
    DP_MAX_N_LARGE_GROUPS,
    MAX_COST,
    MAX_DP_CANDIDATES,
    METHODS,
    PartitionResult,
    best_partition,
    best_partition_from_groups,
    choose_method,
    contiguous_groups,
    diameter_groups,
    dp_work,
    partition_search,
    window_groups,
)

__all__ = [
    "DP_MAX_N",
    "DP_MAX_N_LARGE_GROUPS",
    "MAX_COST",
    "MAX_DP_CANDIDATES",
    "METHODS",
    "PartitionResult",
    "best_partition",
    "best_partition_from_groups",
    "choose_method",
    "contiguous_groups",
    "diameter_groups",
    "dp_work",
    "partition_search",
    "window_groups",
]
