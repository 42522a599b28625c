"""The pure numpy kernels of :mod:`jichitai_cloud.allocation`: arrays in, arrays out, integer yen.

One module per step of the method: :mod:`._split` (:func:`split_costs`, the kernel that runs the
steps block by block of scenarios), :mod:`._caps` (:func:`guarantee_caps`, the guaranteed maximum
in exact integers), :mod:`._feasibility` (caps and floors against the total), :mod:`._redistribute`
(proportional redistribution under caps and floors), :mod:`._rounding` (rounding to whole units)
and :mod:`._base` (array types, limits, rounding rules, :class:`SplitDetail`).  They import only
numpy, the standard library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`, and
never see a domain type.  The public names are listed once, in :mod:`jichitai_cloud.allocation`.
"""

from ._base import ROUNDINGS, Rounding, SplitDetail
from ._caps import guarantee_caps
from ._split import split_costs

__all__ = ["ROUNDINGS", "Rounding", "SplitDetail", "guarantee_caps", "split_costs"]
