"""Continue or switch, in money (サービス継続・切替の判断): the next period priced, with the cost of switching.

Five years after go-live a council decides whether to continue its service or switch.  This package
prices each way forward (:class:`RenewalOption`: monthly fee for the council with an
:class:`~jichitai_cloud.AllocationRule` or per member, one-off costs per member (データ移行費用) and
for the council (再調達), double running (二重稼働), a yearly price change, the service level
expected) over the horizon, for the council and for every member, in integer yen that add up:

:func:`compare_renewal` → :class:`RenewalComparison` (totals, present values, differences to
continuing, :class:`BreakEven` points, and with uncertain inputs the probability that each option is
the cheapest and quantiles of the difference); :func:`decide` → :class:`RenewalDecision` (the
continuity scorecard of :func:`jichitai_cloud.operations.assess_continuity` and the money side by
side, the members paying more, whether the current rule's guarantee still holds).

Kernels (numpy, no month axis: fees are constant within each 12-month block):
:func:`block_weights`, :func:`block_fees` (chunked over samples, dask-capable), :func:`option_values`.

Options are read from files by :func:`jichitai_cloud.io.load_renewal_options` as a
:class:`RenewalPlan` (the options with the horizon, discount rate and uncertain ranges);
:meth:`RenewalPlan.compare` prices them for a council.

>>> from jichitai_cloud import AllocationRule, examples, renewal
>>> rule = AllocationRule(ratios="3:7")
>>> c = renewal.compare_renewal(examples.toyama(), [
...     renewal.RenewalOption("継続", monthly_fee=20_000_000, rule=rule),
...     renewal.RenewalOption("切替", monthly_fee=18_000_000, rule=rule, council_one_off=150_000_000)])
>>> c.difference("切替"), c.break_even("切替").horizon
(30000000, 75)
"""

from ._breakeven import BreakEven
from ._compare import RenewalComparison, compare_renewal
from ._decide import RenewalDecision, decide
from ._kernels import block_fees, block_weights, option_values
from ._options import RenewalOption, ServiceLevel
from ._plan import RenewalPlan

__all__ = [
    "BreakEven",
    "RenewalComparison",
    "RenewalDecision",
    "RenewalOption",
    "RenewalPlan",
    "ServiceLevel",
    "block_fees",
    "block_weights",
    "compare_renewal",
    "decide",
    "option_values",
]
