"""The pure numpy kernels of :mod:`jichitai_cloud.schedule`: arrays in, arrays out, integer yen.

:mod:`._timing` holds them: the cost of each cutover month (:func:`timing_costs`,
:func:`timing_parts`), cutover groups by month or fiscal quarter (:func:`cutover_groups`) and the
best months under a cutover capacity (:func:`best_starts`).  They import only numpy, scipy, the
standard library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`, and never see a
domain type.  The public names are listed once, in :mod:`jichitai_cloud.schedule`.
"""

from ._timing import PER_CHOICES, TimingParts, best_starts, cutover_groups, timing_costs, timing_parts

__all__ = ["PER_CHOICES", "TimingParts", "best_starts", "cutover_groups", "timing_costs", "timing_parts"]
