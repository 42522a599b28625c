"""Billing kernels: exact integer apportionment of each month's invoice over its assignees."""

from ._remainder import ROUND_MODES, RoundMode, as_fraction_rows, exact_largest_remainder, round_exact

__all__ = ["ROUND_MODES", "RoundMode", "as_fraction_rows", "exact_largest_remainder", "round_exact"]
