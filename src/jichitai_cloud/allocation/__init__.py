"""Cost allocation (費用按分): exact integer splits of a council's cloud fee among its members.

Kernels (pure numpy, vectorised over members and a leading scenario axis):
:func:`split_costs` (weighted drivers such as 均等割:人口割 = 3:7, caps and floors met by
proportional redistribution, exact rounding to the yen or 千円), :func:`guarantee_caps` (the
guaranteed maximum of each member, exact in integers), :func:`largest_remainder` and
:func:`apportion` (Hamilton's method), :func:`equal_split` (its equal-weight case in integers).

Domain: :class:`AllocationRule` (ratios, the guaranteed minimum reduction 最低保障, penalties 違約金),
:func:`allocate` -> :class:`Allocation` (shares, caps, net costs, the five-year effect table
:class:`EffectTable`, explanations), :func:`membership_change` (members leaving or joining mid-period),
:func:`simulate` and :func:`ratio_sweep` (many scenarios at once; :func:`allocate` is their
one-scenario case), :class:`AllocationPlan` (fee, rule and penalties as a council keeps them; read
by :func:`jichitai_cloud.io.load_plan`), :func:`statement` -> :class:`Statement` (every
:class:`CostItem` side by side, each share in its parts: 均等割, 人口割, cap adjustment).

>>> from jichitai_cloud import allocation, examples
>>> rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
>>> result = allocation.allocate(examples.toyama(), 1_390_000_000, rule)
>>> sum(result.shares)
1390000000
"""

from .._numeric._apportion import TIE_RULES, apportion, equal_split, largest_remainder
from ._allocate import allocate
from ._effect import EffectRow, EffectTable
from ._kernels import ROUNDINGS, Rounding, guarantee_caps, split_costs
from ._membership import MembershipChange, membership_change
from ._plan import AllocationPlan
from ._results import Allocation, MemberAllocation
from ._rule import GUARANTEE_BASES, PENALTY_SHARINGS, AllocationRule, parse_ratio
from ._scenarios import AllocationDistribution, RatioSweep, ratio_grid, ratio_sweep, simulate, sweep_cost
from ._statement import CostItem, Statement, statement

__all__ = [
    "GUARANTEE_BASES",
    "PENALTY_SHARINGS",
    "ROUNDINGS",
    "TIE_RULES",
    "Allocation",
    "AllocationDistribution",
    "AllocationPlan",
    "AllocationRule",
    "CostItem",
    "EffectRow",
    "EffectTable",
    "MemberAllocation",
    "MembershipChange",
    "RatioSweep",
    "Rounding",
    "Statement",
    "allocate",
    "apportion",
    "equal_split",
    "guarantee_caps",
    "largest_remainder",
    "membership_change",
    "parse_ratio",
    "ratio_grid",
    "ratio_sweep",
    "simulate",
    "split_costs",
    "statement",
    "sweep_cost",
]
