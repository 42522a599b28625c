"""The catalogue of columns that several results share, declared once.

A result declares its tables from these (``cols("code", "name", "share")``) and from columns of
its own (:class:`~._table.Column`); no heading, unit or format is written twice.
"""

from __future__ import annotations

from ._table import Column

__all__ = ["CATALOGUE", "col", "cols", "member_column"]

_C = Column

CATALOGUE: dict[str, Column] = {c.key: c for c in (
    # members
    _C("code", "団体コード", "Code", "code"),
    _C("name", "市町村名", "Municipality", "name"),
    _C("member", "団体", "Member", "name"),
    _C("population", "人口", "Population", "persons", total=True),
    _C("current_cost", "現行経費", "Current cost", "yen", total=True),
    _C("penalty", "違約金", "Penalty", "yen", total=True),
    _C("current_system_end", "現行稼働満了想定", "Current system ends", "month"),
    _C("cloud_start", "クラウド開始", "Cloud start", "month"),
    _C("months", "利用月数", "Months on the cloud", "months"),
    # allocation
    _C("rule_share", "按分額 (上限調整前)", "Share under the rule", "yen", total=True),
    _C("cap", "上限額 (最低保障)", "Cap (guarantee)", "yen"),
    _C("cap_bound", "上限適用", "Held at cap", "flag"),
    _C("share", "負担額", "Share", "yen", total=True),
    _C("net_cost", "負担計 (違約金込み)", "Net cost incl. penalty", "yen", total=True),
    _C("reduction", "削減額", "Reduction", "yen", total=True),
    _C("reduction_rate", "削減率", "Reduction rate", "percent"),
    _C("cloud_fee", "クラウド利用料", "Cloud fee", "yen", total=True),
    _C("published_cloud_fee", "公表値 クラウド利用料", "Published cloud fee", "yen", total=True),
    _C("difference", "差額", "Difference", "yen", total=True),
    _C("equal_part", "均等割", "Equal part", "yen", total=True),
    _C("population_part", "人口割", "Population part", "yen", total=True),
    _C("cap_adjustment", "上限調整", "Cap adjustment", "yen", total=True),
    _C("total", "合計", "Total", "yen", total=True),
    _C("cost", "費用", "Cost", "yen", total=True),
    _C("fee", "利用料", "Fee", "yen", total=True),
    _C("amount", "金額", "Amount", "yen", total=True),
    _C("oku", "金額", "Amount", "oku_yen", total=True),
    _C("current_cost_oku", "現行経費 (5年試算)", "Current cost (5-year estimate)", "oku_yen", total=True),
    _C("cloud_fee_oku", "クラウド利用料", "Cloud fee", "oku_yen", total=True),
    _C("published_cloud_fee_oku", "公表値 クラウド利用料", "Published cloud fee", "oku_yen", total=True),
    _C("months_before", "利用月数 (変更前)", "Months before", "months"),
    _C("months_after", "利用月数 (変更後)", "Months after", "months"),
    _C("share_before", "負担額 (変更前)", "Share before", "yen", total=True),
    _C("share_after", "負担額 (変更後)", "Share after", "yen", total=True),
    _C("net_before", "負担計 (変更前)", "Net cost before", "yen", total=True),
    _C("net_after", "負担計 (変更後)", "Net cost after", "yen", total=True),
    _C("change", "増減", "Change", "yen", total=True),
    _C("change_rate", "増減率", "Change rate", "percent"),
    _C("bound_before", "上限適用 (変更前)", "Held at cap before", "flag"),
    _C("bound_after", "上限適用 (変更後)", "Held at cap after", "flag"),
    _C("leaves", "離脱月", "Leaves", "month"),
    _C("standalone", "単独費用", "Stand-alone cost", "yen", total=True),
    _C("saving", "単独比の削減額", "Saving against alone", "yen", total=True),
    _C("individually_rational", "個人合理性", "Individually rational", "flag"),
    _C("shapley", "シャープレイ値", "Shapley value", "yen", total=True),
    _C("nucleolus", "仁", "Nucleolus", "yen", total=True),
    _C("scrb", "SCRB法", "SCRB", "yen", total=True),
    _C("estimated", "推計値", "Estimated", "flag"),
    # customization
    _C("id", "番号", "No.", "code"),
    _C("subcommittee", "部会", "Subcommittee", "text"),
    _C("title", "件名", "Title", "text"),
    _C("status", "状態", "Status", "text"),
    _C("count", "団体数", "Members", "count"),
    _C("vendor_quote", "見積額", "Vendor quote", "yen", total=True),
    _C("quote", "見積額", "Quote", "yen", total=True),
    _C("note", "備考", "Note", "text"),
    _C("interested", "希望団体数", "Interested", "count"),
    _C("stay", "継続団体数", "Staying", "count"),
    _C("rounds", "回数", "Rounds", "count"),
    _C("round", "回", "Round", "count"),
    _C("stable_adopters", "継続団体", "Stable adopters", "text"),
    _C("recorded_adopters", "記録上の採用団体", "Recorded adopters", "text"),
    _C("request", "要望", "Request", "text"),
    _C("equal_share", "均等負担額", "Equal share", "yen"),
    _C("willingness", "負担意思額", "Willingness to pay", "yen"),
    _C("requests", "件数", "Requests", "count", total=True),
    _C("implemented", "実施", "Implemented", "count", total=True),
    _C("made_standard", "標準化", "Made standard", "count", total=True),
    _C("withdrawn", "取下げ", "Withdrawn", "count", total=True),
    _C("not_implemented", "不実施", "Not implemented", "count", total=True),
    _C("pending", "未決定", "Pending", "count", total=True),
    _C("requested", "要望件数", "Requested", "count", total=True),
    _C("adopted", "採用", "Adopted", "count", total=True),
    _C("pays", "負担額", "Pays", "yen", total=True),
    # evaluation
    _C("rank", "順位", "Rank", "count"),
    _C("vendor", "事業者", "Vendor", "name"),
    _C("bid", "入札額", "Bid", "yen"),
    _C("price", "価格点", "Price points", "points"),
    _C("proposal", "提案書評価", "Proposal", "points"),
    _C("demonstration", "デモ評価", "Demonstration", "points"),
    _C("technical", "技術点", "Technical points", "points"),
    _C("score", "総合評価点", "Total points", "points"),
    _C("remarks", "備考", "Remarks", "text"),
    _C("component", "評価項目", "Component", "text"),
    _C("kind", "種別", "Kind", "text"),
    _C("points", "配点", "Points", "points"),
    _C("judges", "審査員数", "Judges", "count"),
    _C("judge", "審査員", "Judge", "name"),
    _C("criteria", "評価基準", "Criteria", "text"),
    _C("price_points", "価格点", "Price points", "points"),
    _C("complete", "完全回答", "Complete", "flag"),
    # time
    _C("month", "月", "Month", "month"),
    _C("first_month", "開始月", "First month", "month"),
    _C("last_month", "終了月", "Last month", "month"),
    _C("start", "開始月", "Start", "month"),
    _C("fiscal_year", "年度", "Fiscal year", "code"),
    _C("probability", "確率", "Probability", "percent"),
    _C("rate", "率", "Rate", "percent"),
    _C("ratio", "比率", "Ratio", "ratio"),
    # a unit written in the records (``unit_word``): in English and in Japanese, each shown in its language
    _C("unit", "単位 (英語)", "Unit", "text", lang="en"),
    _C("unit_ja", "単位", "Unit", "text", lang="ja"),
)}
"""Shared columns by key."""


def col(key: str) -> Column:
    """The catalogue column ``key``."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no catalogue column {key!r}; declare it with Column(...)") from None


def cols(*keys: str) -> tuple[Column, ...]:
    """The catalogue columns ``keys``, in order."""
    return tuple(col(k) for k in keys)


def member_column(code: str, name: str, *, kind: str = "yen", total: bool = True) -> Column:
    """A column headed by a member's name (keyed by its code): the members-as-columns layout of
    the comparison tables.  The heading is the name alone (``射水市``)."""
    return Column(code, name, name, kind, total=total, bilingual=False)  # type: ignore[arg-type]
