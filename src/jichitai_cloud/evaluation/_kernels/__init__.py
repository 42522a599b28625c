"""The pure numpy kernels of :mod:`jichitai_cloud.evaluation`: arrays in, arrays out.

One module per idea: :mod:`.price` (price points, qualification, thresholds, lottery),
:mod:`.division` (the division method, exact rounding), :mod:`.technical` (judges' scores and
their consistency), :mod:`.ranking` (tie-aware ranks, shortlisting, rank counts over samples) and
:mod:`.robustness` (Monte Carlo over weights and judges, weight sensitivity).  They import only
numpy, the standard library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`, and
never see a domain type.  The public names are listed once, in :mod:`jichitai_cloud.evaluation`.
"""
