"""The bundled allocation plan of the example council (``toyama_allocation.toml``)."""

from __future__ import annotations

from ..allocation import AllocationPlan

__all__ = ["toyama_allocation"]


def toyama_allocation() -> AllocationPlan:
    """The bundled plan of the Toyama council: 均等割:人口割 = 3:7, a guaranteed 30 % reduction, penalties.

    The fee (1,379,000,000 yen) is net of the illustrative penalties (C 5, D 3, F 3 million yen; the
    document gives no figures), so that fee + penalties = 13.9 億円 as in the document's table.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果.
    """
    from .. import io
    from . import data_path

    return io.load_plan(data_path("toyama_allocation.toml"))
