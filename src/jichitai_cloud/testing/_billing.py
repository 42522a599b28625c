"""Hypothesis strategies for FOCUS cost rows (re-exported by :mod:`jichitai_cloud.testing.strategies`)."""

from __future__ import annotations

import csv
import gzip
import json
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ..calendar import Month

__all__ = ["FOCUS_COLUMNS", "focus_rows", "write_focus_csv"]

FOCUS_COLUMNS: tuple[str, ...] = ("BilledCost", "EffectiveCost", "BillingCurrency", "BillingPeriodStart",
                                  "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory",
                                  "ServiceName", "ProviderName", "SubAccountId", "SubAccountName", "Tags",
                                  "ResourceId", "RegionId", "ChargeClass")
"""The columns :func:`write_focus_csv` writes (``ProviderName`` becomes ``ServiceProviderName`` in 1.3)."""


def _stamp(m: Month, day: int = 1, hour: int = 0) -> str:
    return f"{m.year:04d}-{m.month:02d}-{day:02d}T{hour:02d}:00:00Z"


@st.composite
def focus_rows(draw: st.DrawFn, *, accounts: Sequence[str] = ("111", "222", "333"),
               months: Sequence[Month] = (Month(2024, 9), Month(2024, 10)),
               currencies: Sequence[str] = ("USD", "JPY"), services: Sequence[str] = ("Amazon EC2", "Amazon S3"),
               tag_values: Sequence[str] = ("射水市", "共通"), late: bool = True) -> dict[str, str]:
    """One FOCUS row as text (what a CSV export holds): a cost with up to 15 decimal places, billing and
    charge periods (sometimes a late charge), a category among Usage/Purchase/Tax/Credit/Adjustment,
    an account, a service, tags (keys sometimes with spaces), a resource."""
    m = draw(st.sampled_from(list(months)))
    cat = draw(st.sampled_from(["Usage", "Usage", "Usage", "Purchase", "Tax", "Credit", "Adjustment"]))
    places = draw(st.integers(0, 15))
    units = draw(st.integers(0, 10**6))
    cost = Decimal(units).scaleb(-places)
    if cat == "Credit":
        cost = -cost
    day, hour = draw(st.integers(1, 28)), draw(st.integers(0, 22))
    start, end = _stamp(m, day, hour), _stamp(m, day, hour + 1)
    if late and draw(st.integers(0, 19)) == 0:
        prev = m - 1
        start, end = _stamp(prev, day, hour), _stamp(prev, day, hour + 1)
    key = draw(st.sampled_from(["business_unit", " business_unit", "business_unit "]))
    tags = draw(st.sampled_from([None, json.dumps({key: draw(st.sampled_from(list(tag_values)))},
                                                  ensure_ascii=False)]))
    null = draw(st.sampled_from(["", "NULL"]))
    return {
        "BilledCost": format(cost, "f"), "EffectiveCost": format(cost, "f"),
        "BillingCurrency": draw(st.sampled_from(list(currencies))),
        "BillingPeriodStart": _stamp(m), "BillingPeriodEnd": _stamp(m + 1),
        "ChargePeriodStart": start, "ChargePeriodEnd": end, "ChargeCategory": cat,
        "ServiceName": draw(st.sampled_from(list(services))), "ProviderName": "AWS",
        "SubAccountId": draw(st.sampled_from(list(accounts))), "SubAccountName": null,
        "Tags": null if tags is None else tags,
        "ResourceId": f"arn:aws:ec2:i-{draw(st.integers(0, 9))}", "RegionId": "ap-northeast-1",
        "ChargeClass": draw(st.sampled_from([null, "Correction"])) if cat == "Adjustment" else null,
    }


def write_focus_csv(path: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]], *, version: str = "1.2",
                    columns: Sequence[str] | None = None) -> str:
    """Write FOCUS rows as a CSV export of ``version`` (``.gz`` compressed if the name ends so); returns the path."""
    cols = list(columns or FOCUS_COLUMNS)
    head = ["ServiceProviderName" if c == "ProviderName" and version == "1.3" else c for c in cols]
    p = os.fspath(path)
    opener: Any = gzip.open if p.endswith(".gz") else open
    with opener(p, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])
    return p
