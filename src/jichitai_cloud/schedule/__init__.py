"""Migration schedule (移行スケジュール): contract ends, cutover months, double running, penalties, capacity.

Members move to the shared cloud when their current contracts end, and those months differ.  Moving
early costs a cancellation penalty (違約金); moving late or running both systems (並行稼働) costs double
investment (二重投資); the vendor cuts over only so many members a month; tests and training avoid
busy seasons (繁忙期).  This package prices every candidate month and plans the council's moves:

Kernels (numpy arrays of month numbers :attr:`~jichitai_cloud.Month.index` and int64 yen):
:func:`timing_costs` (the cost of each member starting in each candidate month; leading scenario
axes broadcast), :func:`timing_parts` (its four parts and the months of double running),
:func:`best_starts` (the council's cheapest months within cutover capacity: a min-cost flow of members
into capacity groups solved exactly, with OR-Tools when installed or numpy shortest paths),
:func:`cutover_groups`.

Domain: :func:`plan_migration` → :class:`MigrationPlan` (per member the contract end, window,
migration and cloud start, the cost of its timing and its parts; :meth:`MigrationPlan.apply` puts
the starts into the council for :func:`jichitai_cloud.allocate`; :meth:`MigrationPlan.findings` lists
every check at once; :meth:`MigrationPlan.quarter_grid` → :class:`QuarterGrid`, the document's
quarter table), :func:`schedule_change` → :class:`ScheduleChange` (joining and leaving).

The input records (:class:`~jichitai_cloud.model.MigrationSchedule`,
:class:`~jichitai_cloud.model.MigrationTerms`, :class:`~jichitai_cloud.model.Milestone`) are in
:mod:`jichitai_cloud.model`; files are read by :func:`jichitai_cloud.io.load_schedule`; the bundled
example is :func:`jichitai_cloud.examples.toyama_schedule`; the Gantt chart is
:func:`jichitai_cloud.report.plots.plot_schedule`.

>>> from jichitai_cloud import examples, schedule
>>> plan = schedule.plan_migration(examples.toyama_schedule(), starts="planned")
>>> [s.era_short() for s in plan.starts]
['H27.04', 'H27.04', 'H27.04', 'H27.07', 'H27.07', 'H27.07']
"""

from ._changes import ScheduleChange, schedule_change
from ._grid import QuarterGrid, fiscal_year_label, quarter_grid
from ._kernels import PER_CHOICES, TimingParts, best_starts, cutover_groups, timing_costs, timing_parts
from ._plan import MigrationPlan, plan_migration, quarter_of

__all__ = [
    "PER_CHOICES",
    "MigrationPlan",
    "QuarterGrid",
    "ScheduleChange",
    "TimingParts",
    "best_starts",
    "cutover_groups",
    "fiscal_year_label",
    "plan_migration",
    "quarter_grid",
    "quarter_of",
    "schedule_change",
    "timing_costs",
    "timing_parts",
]
