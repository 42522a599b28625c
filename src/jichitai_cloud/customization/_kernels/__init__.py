"""The pure numpy kernels of :mod:`jichitai_cloud.customization`: arrays in, arrays out, integer yen.

:mod:`._quotes` holds them: shared quotes by the number of adopters (:func:`share_quotes`), the
drop-out rounds of members that will not bear their share (:func:`drop_out_rounds`,
:func:`stable_adopters`) and who would rejoin (:func:`would_rejoin`).  They import only numpy, the
standard library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`, and never see a
domain type.  The public names are listed once, in :mod:`jichitai_cloud.customization`.
"""

from ._quotes import MAX_YEN, drop_out_rounds, share_quotes, stable_adopters, would_rejoin

__all__ = ["MAX_YEN", "drop_out_rounds", "share_quotes", "stable_adopters", "would_rejoin"]
