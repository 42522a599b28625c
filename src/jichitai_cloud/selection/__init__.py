"""Participant selection (参加団体の選定): which municipalities should share one cloud.

Kernels on a coalition cost vector indexed by bitmask (as in :mod:`jichitai_cloud.games`):
:func:`best_partition` and :func:`partition_search` (the exact cheapest partition of all
candidates into permitted groups: the subset dynamic programme or set partitioning with HiGHS,
chosen by :func:`choose_method`; with ``time_limit`` a bound and ``proven_optimal``), :func:`best_partition_from_groups` (the same over an explicit
list of groups, set partitioning with scipy's HiGHS), and the condition masks
:func:`contiguous_groups` (隣接), :func:`window_groups` (contract ends within a window) and
:func:`diameter_groups` (town halls within a distance).

Domain: :class:`SelectionProblem` (a :class:`~jichitai_cloud.model.CandidatePool`, a cost model
of :mod:`jichitai_cloud.games`, the council's :class:`~jichitai_cloud.allocation.AllocationRule`),
:func:`fit_current_costs` (a cost curve fitted to the candidates' current costs) and
:func:`recommend` -> :class:`SelectionReport` (the best groupings ranked, each candidate's group,
share and reduction, each group's guarantee and core, and why the alternatives were not chosen).
Files are read by :func:`jichitai_cloud.io.load_selection`; the bundled example is
:func:`jichitai_cloud.examples.toyama_selection`.
"""

from ._kernels import (
    DP_MAX_N,
    DP_MAX_N_LARGE_GROUPS,
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
from ._problem import SelectionProblem, fit_current_costs
from ._recommend import condition_masks, ranked_partitions, recommend
from ._report import Grouping, GroupOutcome, SelectionReport

__all__ = [
    "DP_MAX_N",
    "DP_MAX_N_LARGE_GROUPS",
    "MAX_DP_CANDIDATES",
    "METHODS",
    "GroupOutcome",
    "Grouping",
    "PartitionResult",
    "SelectionProblem",
    "SelectionReport",
    "best_partition",
    "best_partition_from_groups",
    "choose_method",
    "condition_masks",
    "contiguous_groups",
    "diameter_groups",
    "dp_work",
    "fit_current_costs",
    "partition_search",
    "ranked_partitions",
    "recommend",
    "window_groups",
]
