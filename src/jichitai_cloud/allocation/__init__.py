"""Cost allocation (費用按分): exact integer splits of a fee among members."""

from ._kernels import ROUNDINGS, SplitDetail, split_costs
from ._rounding import TIE_RULES, apportion, largest_remainder

__all__ = ["ROUNDINGS", "TIE_RULES", "SplitDetail", "apportion", "largest_remainder", "split_costs"]
