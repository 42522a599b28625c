"""Hypothesis strategies for data layouts and extracts (re-exported by :mod:`jichitai_cloud.testing.strategies`)."""

from __future__ import annotations

import datetime as _dt

from hypothesis import strategies as st

from ..calendar import DATE_ERAS
from ..model import DATE_FORMATS, DataLayout, FieldType, LayoutField

__all__ = ["VIOLATIONS", "data_layouts", "layout_records", "violate", "write_date"]

_ALPHABET = "abcXYZ019あ漢ｱ"
CODES = ("01", "02", "03")

VIOLATIONS: dict[FieldType, tuple[str, ...]] = {
    FieldType.TEXT: ("required", "length", "charset"),
    FieldType.NUMBER: ("required", "length", "number", "decimals"),
    FieldType.DATE: ("required", "date"),
    FieldType.CODE: ("required", "code"),
}
"""The rules a value of each type can be made to fail alone (see :func:`violate`)."""


def write_date(day: _dt.date, fmt: str) -> str:
    """``day`` written in a layout date format (和暦 in the era it falls in)."""
    if fmt == "YYYYMMDD":
        return day.strftime("%Y%m%d")
    if fmt == "YYYY-MM-DD":
        return day.isoformat()
    k = max(i for i, e in enumerate(DATE_ERAS) if e.first_day <= day)
    era = DATE_ERAS[k]
    yy = day.year - era.first_day.year + 1
    if fmt == "GYY.MM.DD":
        return f"{era.letter}{yy:02d}.{day.month:02d}.{day.day:02d}"
    return f"{k + 1}{yy:02d}{day.month:02d}{day.day:02d}"


@st.composite
def layout_fields(draw: st.DrawFn, field_id: str, *, in_bytes: bool = False) -> LayoutField:
    """One field: any type, lengths with room for every value :func:`layout_records` writes."""
    kind = draw(st.sampled_from(list(FieldType)))
    required = draw(st.booleans())
    if kind is FieldType.TEXT:
        return LayoutField(field_id=field_id, name=f"項目{field_id}", type=kind, length=draw(st.integers(4, 12)),
                           unit="バイト" if in_bytes or draw(st.booleans()) else "文字", required=required)
    if kind is FieldType.NUMBER:
        dec = draw(st.integers(0, 3))
        return LayoutField(field_id=field_id, type=kind, length=draw(st.integers(dec + 5, 12)), decimals=dec,
                           required=required, unit="バイト" if in_bytes else "文字")
    if kind is FieldType.DATE:
        fmt = draw(st.sampled_from(DATE_FORMATS))
        return LayoutField(field_id=field_id, type=kind, length=len(write_date(_dt.date(2000, 1, 1), fmt)),
                           format=fmt, required=required, unit="バイト" if in_bytes else "文字")
    return LayoutField(field_id=field_id, type=kind, length=2, code_table="T", required=required,
                       unit="バイト" if in_bytes else "文字")


@st.composite
def data_layouts(draw: st.DrawFn, *, in_bytes: bool = False, max_fields: int = 6) -> DataLayout:
    """A layout whose first field is a text key (``K``, 15 bytes), then 1 to ``max_fields`` fields;
    ``in_bytes``: every length in bytes (so that it can be written fixed-width)."""
    n = draw(st.integers(1, max_fields))
    fields = [LayoutField(field_id="K", name="宛名番号", length=15, unit="バイト", key=True)]
    fields += [draw(layout_fields(f"F{i}", in_bytes=in_bytes)) for i in range(n)]
    return DataLayout(name="生成", fields=tuple(fields), code_tables={"T": CODES})


def _value(draw: st.DrawFn, f: LayoutField) -> str:
    if f.type is FieldType.TEXT:
        # at most length // 2 characters: fits in characters and in CP932 bytes (2 at most each)
        return draw(st.text(_ALPHABET, min_size=0 if not f.required else 1, max_size=f.length // 2))
    if f.type is FieldType.NUMBER:
        whole = draw(st.integers(0, 999))
        dec = draw(st.integers(0, f.decimals))
        frac = "".join(draw(st.sampled_from("0123456789")) for _ in range(dec))
        return f"{whole}.{frac}" if dec else str(whole)
    if f.type is FieldType.DATE:
        day = draw(st.dates(_dt.date(1900, 1, 1), _dt.date(2099, 12, 31)))
        return write_date(day, f.format or "YYYYMMDD")
    return draw(st.sampled_from(CODES))


@st.composite
def layout_records(draw: st.DrawFn, layout: DataLayout, *, min_size: int = 1,
                   max_size: int = 30) -> list[tuple[str, ...]]:
    """Records that satisfy every rule of ``layout`` (unique keys ``000…001``, ``000…002`` …)."""
    n = draw(st.integers(min_size, max_size))
    out = []
    for i in range(n):
        out.append((f"{i + 1:015d}", *(_value(draw, f) for f in layout.fields[1:])))
    return out


def violate(f: LayoutField, rule: str) -> str:
    """A value of field ``f`` that fails ``rule`` and no other rule of the field."""
    if rule == "required":
        return ""
    if rule == "length":
        return "a" * (f.length + 1) if f.type is FieldType.TEXT else "1" * (f.length + 1)
    if rule == "charset":
        return "\ue000"
    if rule == "number":
        return "1x"
    if rule == "decimals":
        return "0." + "1" * (f.decimals + 1)
    if rule == "date":
        return {"YYYYMMDD": "20190229", "YYYY-MM-DD": "2019-02-29", "GYY.MM.DD": "H31.05.01",
                "GYYMMDD": "4310501"}[f.format or "YYYYMMDD"]
    if rule == "code":
        return "99"
    raise ValueError(rule)
