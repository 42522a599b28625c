"""The pure numpy kernels of :mod:`jichitai_cloud.renewal`: arrays in, arrays out, yen.

:mod:`._paths` holds them: the months and discount factors of each 12-month block of the horizon
(:func:`block_weights`), the fee of each block under drawn factors and yearly changes
(:func:`block_fees`, chunked over samples, dask-capable along the sample axis) and the totals and
present values of the options (:func:`option_values`).  They import only numpy, the standard
library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`, and never see a domain
type.  The public names are listed once, in :mod:`jichitai_cloud.renewal`.
"""

from ._paths import block_fees, block_weights, option_values

__all__ = ["block_fees", "block_weights", "option_values"]
