"""Cost allocation (費用按分): exact integer splits of a fee among members."""

from ._rounding import TIE_RULES, apportion, largest_remainder

__all__ = ["TIE_RULES", "apportion", "largest_remainder"]
