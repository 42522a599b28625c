"""The bundled government-cloud bill example (ILLUSTRATIVE data), read through :mod:`jichitai_cloud.io`."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from ..billing import BillingRules, FocusData
    from ..model import Consortium

__all__ = ["BillingExample", "toyama_billing"]


class BillingExample(NamedTuple):
    """The inputs of :func:`~jichitai_cloud.billing.monthly_bill`: council, FOCUS rows, rules."""

    council: Consortium
    focus: FocusData
    rules: BillingRules


def toyama_billing() -> BillingExample:
    """A shared government-cloud environment (共同利用方式) of the six Toyama members, April–June 2025.

    Returns
    -------
    BillingExample
        ``(council, focus, rules)``: :func:`~jichitai_cloud.examples.toyama`, a small generated
        FOCUS 1.2 export (``toyama_billing_focus_illustrative.csv``, 228 rows in USD: each member's
        own account, a shared account tagged 共通 and ネットワーク, a credit, a tax row and a late
        charge each month) and the rules (``toyama_billing_rules.toml``: one account per member, the
        common pool 均等割:人口割 = 3:7, the network pool ``ratio_of = "common"``, monthly USD rates).

    Notes
    -----
    **Everything here is illustrative**: the accounts, costs, tags and rates are generated, not a
    council's bill.

    Examples
    --------
    >>> from jichitai_cloud import billing, examples
    >>> ex = examples.toyama_billing()
    >>> bill = billing.monthly_bill(*ex)
    >>> sum(v for (c, m), v in bill.member_totals().items() if m.iso() == "2025-04") == bill.invoice_total("2025-04")
    True
    """
    from .. import io
    from . import data_path, toyama

    return BillingExample(toyama(), io.read_focus(data_path("toyama_billing_focus_illustrative.csv")),
                          io.load_billing_rules(data_path("toyama_billing_rules.toml")))
