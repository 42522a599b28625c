"""Cooperative cost games on a coalition cost vector: pure numpy kernels (scipy for the nucleolus).

A cost game on ``n`` members is a vector ``costs`` of length ``2**n`` indexed by bitmask: bit ``i``
of the index is set when member ``i`` belongs to the coalition, so ``costs[0]`` is the empty
coalition (cost 0), ``costs[1 << i]`` is member ``i`` alone (its stand-alone cost) and
``costs[2**n - 1]`` is the grand coalition.  Every kernel accepts a leading batch (scenario) axis:
``costs`` of shape ``(..., 2**n)``.

No kernel loops in Python over members, coalitions, permutations or scenarios.  Sums over the
subset lattice use one split of the bitmask into a low and a high half (``S = hi * 2**lo + lo``), so
the sum over all coalitions that contain a member becomes two matrix products with the small
membership matrices of the halves.  The only Python loops are over a bounded number of refinement
rounds: the nucleolus's sequence of at most ``n - 1`` linear programs and, within each, the passes
of its constraint generation, the slices of rows of the exact Shapley value above n = 16, the at
most ``n`` rounds of the partition completion, the zoom rounds of the exponent fit, and the batches
of the permutation sampler.

Modules, one idea each: :mod:`._coalitions` (the subset lattice: checks, bit tricks,
:func:`coalition_sums`, :func:`relabel`, :func:`restrict`, :func:`members_of`), :mod:`._shapley`,
:mod:`._nucleolus` (scipy's HiGHS, imported only when called), :mod:`._core`
(:func:`core_violation`, :func:`scrb`), :mod:`._estimators` (:func:`sampled_shapley`) and
:mod:`._fit` (:func:`complete_partition`, :func:`fit_power_cost`).  They import only numpy, scipy,
the standard library, :mod:`jichitai_cloud.errors` and :mod:`jichitai_cloud._numeric`.

Excess follows the cost-game convention of the issue: the excess of coalition ``S`` under an
allocation ``x`` is ``x(S) - c(S)``, what its members pay in the council minus what they would pay on
their own; an allocation is in the core when no proper coalition has a positive excess.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games II*,
Annals of Mathematics Studies 28, 307-317.

Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal on Applied
Mathematics* 17(6), 1163-1170.

Maschler, M., Peleg, B. and Shapley, L. S. (1979). Geometric properties of the kernel, nucleolus
and related solution concepts. *Mathematics of Operations Research* 4(4), 303-338.

Young, H. P., Okada, N. and Hashimoto, T. (1982). Cost allocation in water resources development.
*Water Resources Research* 18(3), 463-475.
"""

from __future__ import annotations

from ._coalitions import coalition_sums, members_of, relabel, restrict
from ._core import core_violation, scrb
from ._estimators import SampledShapley, sampled_shapley
from ._fit import complete_partition, fit_power_cost
from ._nucleolus import nucleolus
from ._shapley import shapley

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
