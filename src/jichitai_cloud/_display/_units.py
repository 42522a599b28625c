"""Units written as words in a council's records (``"minutes"``, ``"件/年"``), shown in the reader's language.

A record keeps its unit as written (an SLA item's ``unit = "minutes"``); what a council reads shows it
in the language of the rendering: ``分`` in Japanese, ``minutes`` in English.  :func:`unit_word` is the
one place that knows the common unit words; a unit it does not know is shown as written, in both
languages.  (The units of a column's *kind*, ``円``/``yen``, are :meth:`Column.unit
<jichitai_cloud._display.Column.unit>`; the words below agree with them.)
"""

from __future__ import annotations

from ._table import Lang, check_lang

__all__ = ["UNIT_WORDS", "unit_cells", "unit_word"]

UNIT_WORDS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    # Japanese, English, Japanese after "/", English after "/", other spellings (matched ignoring case)
    ("ミリ秒", "milliseconds", "ミリ秒", "millisecond", ("millisecond", "ms", "msec")),
    ("秒", "seconds", "秒", "second", ("second", "sec", "secs", "s")),
    ("分", "minutes", "分", "minute", ("minute", "min", "mins")),
    ("時間", "hours", "時間", "hour", ("hour", "hr", "hrs", "h")),
    ("営業日", "business days", "営業日", "business day", ("business day", "working days", "working day")),
    ("日", "days", "日", "day", ("day", "日間")),
    ("か月", "months", "月", "month", ("month", "ヶ月", "ケ月", "カ月", "箇月", "月")),
    ("年", "years", "年", "year", ("year", "年間")),
    ("件", "count", "件", "item", ("件数", "items", "item", "cases", "case")),
    ("回", "times", "回", "time", ("time", "回数")),
    ("%", "%", "%", "%", ("percent", "pct", "％")),
    ("円", "yen", "円", "yen", ()),
    ("人", "persons", "人", "person", ("person", "people")),
    ("点", "points", "点", "point", ("point", "pts")),
)
"""The unit words known to :func:`unit_word`: ``(Japanese, English, Japanese after "/", English after "/",
other spellings)``."""

_INDEX: dict[str, int] = {
    spelling.casefold(): i
    for i, (ja, en, ja_per, en_per, others) in reversed(list(enumerate(UNIT_WORDS)))
    for spelling in (ja, en, ja_per, en_per, *others)
}
"""Every spelling (casefolded) → its entry in :data:`UNIT_WORDS` (the first entry listing it)."""


def _word(part: str, lang: Lang, per: bool) -> str:
    key = part.strip().casefold()
    i = _INDEX.get(key)
    if i is None:
        return part.strip()
    ja, en, ja_per, en_per, _ = UNIT_WORDS[i]
    if lang == "ja":
        return ja_per if per else ja
    if part.strip().isascii():  # written in English: as written
        return part.strip()
    return en_per if per else en


def unit_word(unit: str, lang: Lang = "ja") -> str:
    """``unit`` as a reader of ``lang`` sees it: a known unit word in Japanese (``"minutes"`` → ``"分"``,
    ``"hours"`` → ``"時間"``, ``"count"`` → ``"件"``) or in English (``"分"`` → ``"minutes"``; a unit
    written in English is shown as written); a rate ``"件/年"`` word by word (``"count/year"``).

    Parameters
    ----------
    unit
        The unit as written in the records (any case; ``""`` for none).
    lang
        ``"ja"`` (default) or ``"en"``.

    Returns
    -------
    str
        The unit in ``lang``; a unit not among :data:`UNIT_WORDS` as written.
    """
    lang = check_lang(lang)
    if not isinstance(unit, str):
        raise TypeError(f"unit must be text, got {type(unit).__name__} {unit!r}")
    if not unit.strip():
        return unit
    parts = unit.split("/")
    if len(parts) > 1 and all(p.strip() for p in parts):
        return "/".join(_word(p, lang, per=i > 0) for i, p in enumerate(parts))
    return _word(unit, lang, per=False)


def unit_cells(unit: str) -> tuple[str, str]:
    """The cells of the catalogue columns ``unit`` and ``unit_ja`` (``cols("unit", "unit_ja")``) for a
    unit as written: ``(English, Japanese)``, e.g. ``("minutes", "分")``.  A table for people shows
    the one in its language; the data keeps both."""
    return unit_word(unit, "en"), unit_word(unit, "ja")
