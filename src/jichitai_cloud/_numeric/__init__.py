"""The shared numeric layer: what the kernels of every topic have in common.

* apportionment (largest remainder / Hamilton, equal split) in integer yen: :mod:`._apportion`;
* checks of array arguments that name the argument, the position and the value: :mod:`._checks`;
* the one decimal -> :class:`~fractions.Fraction` conversion and exact yen arithmetic: :mod:`._checks`;
* read-only arrays: :mod:`._arrays`.

Modules here import only numpy, the standard library and :mod:`jichitai_cloud.errors`, so every
kernel may use them.  The package is private; public names are re-exported by the topics
(``jichitai_cloud.allocation.largest_remainder``).
"""

from ._apportion import TIE_RULES, TieRule, apportion, check_tie, equal_split, largest_remainder
from ._arrays import readonly
from ._checks import (
    as_fraction,
    decimal_numerators,
    floor_mul_fraction,
    nonnegative_reals,
    ratio,
    scores_array,
    yen_array,
)

__all__ = [
    "TIE_RULES",
    "TieRule",
    "apportion",
    "as_fraction",
    "check_tie",
    "decimal_numerators",
    "equal_split",
    "floor_mul_fraction",
    "largest_remainder",
    "nonnegative_reals",
    "ratio",
    "readonly",
    "scores_array",
    "yen_array",
]
