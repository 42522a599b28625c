"""The government-cloud bill (ガバメントクラウド利用料): FOCUS exports in, every member's monthly bill out.

:func:`jichitai_cloud.io.read_focus` streams the providers' FOCUS exports into :class:`FocusData`
(exact costs); :class:`BillingRules` (:class:`Assign` rules, shared pools with their
:class:`~jichitai_cloud.AllocationRule`, rates, rounding) say who pays what;
:func:`monthly_bill` gives a :class:`MonthlyBill` (every member, month and pool in integer yen,
adding up to each month's converted invoice); :func:`reduction_against` checks the 3割削減目標
per fiscal year.
"""

from ._arrow import CURRENCIES, FOCUS_MANDATORY, FocusGroups, focus_from_dask
from ._bill import DIRECT, MonthlyBill, Unassigned, monthly_bill
from ._focus import COST_SCALE, FOCUS_VERSIONS, TEXT_KEYS, FocusData
from ._kernels import ROUND_MODES, exact_largest_remainder, round_exact
from ._reduction import ReductionCheck, reduction_against
from ._rules import Assign, BillingRules, RatioOf

__all__ = [
    "COST_SCALE",
    "CURRENCIES",
    "DIRECT",
    "FOCUS_MANDATORY",
    "FOCUS_VERSIONS",
    "ROUND_MODES",
    "TEXT_KEYS",
    "Assign",
    "BillingRules",
    "FocusData",
    "FocusGroups",
    "MonthlyBill",
    "RatioOf",
    "ReductionCheck",
    "Unassigned",
    "exact_largest_remainder",
    "focus_from_dask",
    "monthly_bill",
    "reduction_against",
    "round_exact",
]
