"""The pure array kernels of :mod:`jichitai_cloud.operations`: the namespace :data:`~jichitai_cloud.operations.kernels`.

One module per idea: :mod:`._sla` (the service calendar, outage logs, availability, windows of
SLA values, compliance, achievement, runs of misses, penalty points, grouped statistics of
samples) and :mod:`._money` (error budgets, fee reductions, service credits, the continue-or-switch
scores).  They import only numpy, the standard library, :mod:`jichitai_cloud.errors` and
:mod:`jichitai_cloud._numeric`, and never see a domain type.

The kernels whose arrays have a batch axis also accept dask arrays (the ``scale`` extra): they then
return lazy dask arrays whose every block is the numpy kernel's result for those rows, equal to the
numpy path, through the one dask dispatch :mod:`jichitai_cloud._numeric._dask` (dask is imported
only when a dask array is passed).  The batch axis is

* for ``window_aggregate``, ``compliance``, ``achievement``, ``miss_streaks``, ``penalty_points``:
  the leading scenario axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table
  ``(K, T, N)`` (e.g. the 1,741 municipalities of a national SLA table) — members are independent;
* for ``availability``, ``error_budget``, ``fee_reduction``, ``service_credit``, ``weighted_scores``
  (and :func:`jichitai_cloud.operations.scenario_totals`): the first axis.

The kernels with no batch axis (the service calendar, outage logs, grouped statistics of samples)
take numpy arrays only.
"""

from ._money import error_budget, fee_reduction, service_credit, weighted_scores
from ._sla import (
    AGGREGATIONS,
    MINUTES_PER_DAY,
    achievement,
    availability,
    compliance,
    down_intervals,
    grouped_max,
    grouped_percentile,
    miss_streaks,
    outage_downtime,
    penalty_points,
    scheduled_minutes,
    service_cumulative,
    service_minutes_by_month,
    window_aggregate,
)

__all__ = [
    "AGGREGATIONS",
    "MINUTES_PER_DAY",
    "achievement",
    "availability",
    "compliance",
    "down_intervals",
    "error_budget",
    "fee_reduction",
    "grouped_max",
    "grouped_percentile",
    "miss_streaks",
    "outage_downtime",
    "penalty_points",
    "scheduled_minutes",
    "service_credit",
    "service_cumulative",
    "service_minutes_by_month",
    "weighted_scores",
    "window_aggregate",
]
