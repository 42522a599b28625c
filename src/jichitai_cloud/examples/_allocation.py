"""The bundled allocation plan of the example council (``toyama_allocation.toml``)."""

from __future__ import annotations

from ..allocation import AllocationPlan

__all__ = ["toyama_allocation"]


def toyama_allocation() -> AllocationPlan:
    """The bundled plan of the Toyama council: 13.9 億円, 均等割:人口割 = 3:7, a guaranteed 30 % reduction.

    The same split as ``allocate(examples.toyama(), 1_390_000_000, AllocationRule(ratios={"equal": 3,
    "population": 7}, min_reduction=0.30))``; no penalties (the document considered them but gives
    no figures).

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果.
    """
    from .. import io
    from . import data_path

    return io.load_plan(data_path("toyama_allocation.toml"))
