"""Japanese headings for the columns of the package's tables, and the kind of number each holds.

A report shows ``日本語 (english)``: the council reads the Japanese, the code and the CSV keep the
English name.  A heading that already carries Japanese is shown as it is.
"""

from __future__ import annotations

__all__ = ["HEADINGS", "PERCENT", "RATE", "YEN", "YEN_FORMAT", "bilingual"]

HEADINGS: dict[str, str] = {
    "code": "団体コード",
    "name": "市町村名",
    "population": "人口",
    "current_cost": "現行経費",
    "penalty": "違約金",
    "current_system_end": "現行稼働満了想定",
    "cloud_start": "クラウド開始",
    "months": "利用月数",
    "rule_share": "按分額 (上限調整前)",
    "cap": "上限額 (最低保障)",
    "cap_bound": "上限適用",
    "share": "負担額",
    "net_cost": "負担計 (違約金込み)",
    "reduction": "削減額",
    "reduction_rate": "削減率",
    "cloud_fee": "クラウド利用料",
    "published_cloud_fee": "公表値 クラウド利用料",
    "difference": "差額",
    "id": "番号",
    "subcommittee": "部会",
    "title": "件名",
    "status": "状態",
    "count": "団体数",
    "vendor_quote": "見積額",
    "cost": "費用",
    "note": "備考",
    "member": "団体",
    "total": "合計",
    "interested": "希望団体数",
    "stay": "継続団体数",
    "rounds": "回数",
    "stable_adopters": "継続団体",
    "recorded_adopters": "記録上の採用団体",
    "request": "要望",
    "round": "回",
    "quote": "見積額",
    "equal_share": "均等負担額",
    "willingness": "負担意思額",
    "requests": "件数",
    "implemented": "実施",
    "made_standard": "標準化",
    "withdrawn": "取下げ",
    "not_implemented": "不実施",
    "pending": "未決定",
    "requested": "要望件数",
    "adopted": "採用",
    "pays": "負担額",
    "rank": "順位",
    "vendor": "事業者",
    "bid": "入札額",
    "price": "価格点",
    "proposal": "提案書評価",
    "demonstration": "デモ評価",
    "technical": "技術点",
    "remarks": "備考",
    "component": "評価項目",
    "kind": "種別",
    "points": "配点",
    "judges": "審査員数",
    "judge": "審査員",
    "criteria": "評価基準",
    "price_points": "価格点",
    "complete": "完全回答",
}
"""English column name -> Japanese heading."""

YEN: frozenset[str] = frozenset({
    "current_cost", "penalty", "rule_share", "cap", "share", "net_cost", "reduction", "cloud_fee",
    "published_cloud_fee", "difference", "vendor_quote", "cost", "quote", "equal_share", "willingness",
    "pays", "bid",
})
"""Columns in yen (shown ``#,##0``)."""

RATE: frozenset[str] = frozenset({"reduction_rate"})
"""Columns holding a fraction shown as a percentage (``0.0%``)."""

PERCENT: frozenset[str] = frozenset()
"""Columns already in percent (shown ``0.0``)."""

YEN_FORMAT = "#,##0"
"""Excel number format of yen and counts."""


def bilingual(heading: str) -> str:
    """``日本語 (english)`` for a known English column name; other headings unchanged."""
    ja = HEADINGS.get(heading)
    return f"{ja} ({heading})" if ja is not None else heading
