"""The bundled renewal options of the Toyama example (illustrative), read through :mod:`jichitai_cloud.io`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..renewal import RenewalPlan

__all__ = ["toyama_renewal"]


def toyama_renewal() -> RenewalPlan:
    """Continue or switch for the Toyama council (``toyama_renewal.toml``): three options, priced over 60 months.

    ``継続 (現行ベンダー)`` (the incumbent: 23,000,000 yen a month for the council, +2 % a year, split
    3:7 with the 30 % guarantee), ``切替 (標準準拠システム)`` (a council fee, a new procurement, data
    migration per member, three months of double running) and ``切替 (ガバメントクラウド・団体別契約)``
    (each member's own fee, six months of double running), with a 1 % discount rate and uncertain
    ranges for the fees, one-offs and price changes.

    Notes
    -----
    **Illustrative: every amount is invented.**  No published figures exist for this decision; the
    incumbent's fee is only close to the council's published five-year cloud fee divided by 60.

    Examples
    --------
    >>> from jichitai_cloud import examples
    >>> plan = examples.toyama_renewal()
    >>> c = plan.compare(examples.toyama())
    >>> c.cheapest, c.total(c.cheapest) == sum(c.member_costs(c.cheapest).values())
    ('切替 (標準準拠システム)', True)
    """
    from .. import io
    from . import data_path

    return io.load_renewal_options(data_path("toyama_renewal.toml"))
