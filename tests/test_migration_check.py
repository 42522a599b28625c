"""The data migration check: layouts, extracts (CSV and fixed-width), rules, readiness, CLI, hostile files."""

from __future__ import annotations

import contextlib
import csv
import io as _io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud import examples, io, migration
from jichitai_cloud.cli.main import main
from jichitai_cloud.errors import InputError, ValidationError
from jichitai_cloud.model import DataLayout, FieldType, LayoutField
from jichitai_cloud.testing.strategies import VIOLATIONS, data_layouts, layout_records, violate

SMALL = settings(max_examples=25, deadline=None)


def _csv(path: Path, records: list[tuple[str, ...]], encoding: str = "cp932") -> Path:
    s = _io.StringIO()
    csv.writer(s, lineterminator="\r\n").writerows(records)
    path.write_bytes(s.getvalue().encode(encoding))
    return path


def _fixed(path: Path, records: list[tuple[str, ...]], layout: DataLayout) -> Path:
    out = bytearray()
    for r in records:
        for v, f in zip(r, layout.fields, strict=True):
            b = v.encode("cp932")
            out += b + b" " * (f.length - len(b))
        out += b"\r\n"
    path.write_bytes(bytes(out))
    return path


def _check(records: list[tuple[str, ...]], layout: DataLayout, batch: int = 7) -> migration.ExtractCheck:
    return migration.check_extract(migration.extract_from_records(records, layout, batch_records=batch))


# -- rules by hand --------------------------------------------------------------------------------------


def test_era_boundaries_and_formats() -> None:
    cases = {"GYY.MM.DD": [("H31.04.30", True), ("H31.05.01", False), ("R01.05.01", True), ("R01.04.30", False),
                           ("S64.01.07", True), ("S64.01.08", False), ("H01.01.08", True), ("T01.07.29", False),
                           ("M45.07.29", True), ("R06.02.29", True), ("R07.02.29", False), ("X01.01.01", False),
                           ("H00.01.01", False)],
             "GYYMMDD": [("4310430", True), ("4310501", False), ("5010501", True), ("6010101", False)],
             "YYYYMMDD": [("20240229", True), ("21000229", False), ("20000229", True), ("2024022", False)],
             "YYYY-MM-DD": [("2025-04-01", True), ("2025/04/01", False), ("2025-13-01", False)]}
    for fmt, pairs in cases.items():
        layout = DataLayout(name="d", fields=[LayoutField(field_id="D", type="日付", format=fmt, length=10)])
        c = _check([(v,) for v, _ in pairs], layout)
        assert c.counts().get(("D", "date"), 0) == sum(not ok for _, ok in pairs), fmt


def test_bytes_charset_and_masking() -> None:
    layout = DataLayout(name="t", fields=[LayoutField(field_id="N", name="氏名", length=4, unit="バイト")])
    c = migration.check_extract(migration.extract_from_records([("ｱｲｳｴ",), ("山田",), ("山田a",), ("髙",), ("\ue000",)],
                                                              layout), examples=3)
    assert c.counts() == {("N", "length"): 1, ("N", "charset"): 2}
    assert c.failed_records == 3
    shown = {f.rule: f.examples for f in c.failures}
    assert shown["length"] == ("*田a",)
    assert "山田a" not in c.to_text() and "髙" not in c.to_text()
    assert migration.check_extract(migration.extract_from_records([("髙",)], layout), charset="cp932").counts() == {}
    assert migration.check_extract(migration.extract_from_records([("髙",), ("山",)], layout), charset="髙").counts() \
        == {("N", "charset"): 1}


def test_values_never_shown_by_default() -> None:
    layout = DataLayout(name="t", fields=[LayoutField(field_id="N", length=2)])
    c = _check([("秘密の名前",)], layout)
    assert "秘密" not in c.to_text() and "秘密" not in c.html_fragment() and "秘密" not in repr(c)
    assert c.failures[0].first_records == (1,)


# -- properties -------------------------------------------------------------------------------------------


@SMALL
@given(st.data())
def test_valid_records_pass(data: st.DataObject) -> None:
    layout = data.draw(data_layouts())
    records = data.draw(layout_records(layout))
    c = _check(records, layout)
    assert c.counts() == {} and c.records == len(records) and c.failed_records == 0


@SMALL
@given(st.data())
def test_one_violation_fails_one_rule_for_one_record(data: st.DataObject) -> None:
    layout = data.draw(data_layouts())
    records = data.draw(layout_records(layout, min_size=2))
    j = data.draw(st.integers(1, len(layout.fields) - 1))
    f = layout.fields[j]
    rules = [r for r in VIOLATIONS[f.type] if r != "required" or f.required]
    rule = data.draw(st.sampled_from(rules))
    i = data.draw(st.integers(0, len(records) - 1))
    bad = list(records[i])
    bad[j] = violate(f, rule)
    records[i] = tuple(bad)
    c = _check(records, layout, batch=data.draw(st.integers(1, 9)))
    assert c.counts() == {(f.field_id, rule): 1}
    assert c.failures[0].first_records == (i + 1,)


@SMALL
@given(st.data())
def test_duplicates_count_every_record_of_the_key(data: st.DataObject) -> None:
    layout = data.draw(data_layouts())
    records = data.draw(layout_records(layout, min_size=3))
    k = data.draw(st.integers(2, len(records)))
    records = [(records[0][0], *r[1:]) if i < k else r for i, r in enumerate(records)]
    assert _check(records, layout).counts() == {("<key>", "duplicate"): k}


@SMALL
@given(st.data())
def test_counts_do_not_depend_on_batches_or_splitting(data: st.DataObject) -> None:
    layout = data.draw(data_layouts())
    records = data.draw(layout_records(layout, min_size=2))
    for i in data.draw(st.lists(st.integers(0, len(records) - 1), max_size=5)):
        j = 1 + i % (len(layout.fields) - 1)
        f = layout.fields[j]
        bad = list(records[i])
        bad[j] = violate(f, next(r for r in VIOLATIONS[f.type] if r != "required"))
        records[i] = tuple(bad)
    whole = _check(records, layout, batch=len(records))
    assert _check(records, layout, batch=data.draw(st.integers(1, 5))).counts() == whole.counts()
    cut = data.draw(st.integers(1, len(records) - 1))
    a, b = _check(records[:cut], layout).counts(), _check(records[cut:], layout).counts()
    assert {k: a.get(k, 0) + b.get(k, 0) for k in {*a, *b}} == whole.counts()


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_csv_and_fixed_width_agree(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    layout = data.draw(data_layouts(in_bytes=True))
    records = data.draw(layout_records(layout))
    d = tmp_path_factory.mktemp("x")
    batch = data.draw(st.integers(1, 8))
    a = migration.check_extract(io.read_extract(_csv(d / "a.csv", records), layout, batch_records=batch))
    b = migration.check_extract(io.read_extract(_fixed(d / "a.txt", records, layout), layout, format="fixed",
                                                batch_records=batch))
    quoted = d / "q.csv"
    text = _io.StringIO()
    csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
    quoted.write_bytes(text.getvalue().encode("cp932"))
    q = migration.check_extract(io.read_extract(quoted, layout, batch_records=batch))  # the csv-module path
    assert a.counts() == b.counts() == q.counts() == _check(records, layout).counts()
    assert a.records == b.records == q.records == len(records)


# -- files ----------------------------------------------------------------------------------------------------


def _layout_csv(d: Path, rows: list[list[str]]) -> Path:
    head = ["項目ID", "項目名", "型", "桁数", "単位", "小数桁", "必須", "キー", "書式", "コード表"]
    return _csv(d / "layout.csv", [tuple(head), *map(tuple, rows)], "utf-8")


def test_layout_from_csv_and_xlsx(tmp_path: Path) -> None:
    p = _layout_csv(tmp_path, [["A", "宛名番号", "文字", "15", "バイト", "", "○", "○", "", ""],
                               ["B", "性別", "コード", "1", "", "", "1", "", "", "性別"],
                               ["C", "生年月日", "日付", "9", "", "", "", "", "GYY.MM.DD", ""]])
    _csv(tmp_path / "性別.csv", [("コード", "名称"), ("1", "男"), ("2", "女")], "utf-8")
    layout = io.load_layout(p)
    assert layout.key == ("A",) and layout.code_tables["性別"] == ("1", "2")
    assert layout.field("C").format == "GYY.MM.DD"
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "レイアウト"
    ws.append(["field_id", "name", "type", "length", "unit", "decimals", "required", "key", "format", "code_table"])
    ws.append(["A", "宛名番号", "文字", 15, "バイト", None, "○", "○", None, None])
    ws.append(["B", "性別", "コード", 1, None, None, True, None, None, "性別"])
    t = wb.create_sheet("性別")
    t.append(["コード", "名称"])
    t.append([1, "男"])
    wb.save(tmp_path / "layout.xlsx")
    x = io.load_layout(tmp_path / "layout.xlsx")
    assert x.code_tables["性別"] == ("1",) and x.field("B").required


@pytest.mark.parametrize(("row", "said"), [
    (["A", "x", "文字", "-3", "", "", "", "", "", ""], "桁数"),
    (["A", "x", "文字", "十", "", "", "", "", "", ""], "桁数"),
    (["A", "x", "文章", "3", "", "", "", "", "", ""], "type"),
    (["A", "x", "コード", "3", "", "", "", "", "", "ない表"], "no such file"),
    (["A", "x", "コード", "3", "", "", "", "", "", "../outside"], "outside"),
    (["A", "x", "文字", "3", "", "", "たぶん", "", "", ""], "必須"),
])
def test_bad_layouts_are_located(tmp_path: Path, row: list[str], said: str) -> None:
    (tmp_path / "sub").mkdir()
    p = _layout_csv(tmp_path / "sub", [row])
    _csv(tmp_path / "outside.csv", [("コード", "名称"), ("1", "x")], "utf-8")
    with pytest.raises(InputError) as err:
        io.load_layout(p)
    assert said in str(err.value) and "layout.csv" in str(err.value)
    assert "row 2" in str(err.value) or "コード表" in str(err.value)


LAYOUT = DataLayout(name="t", fields=[LayoutField(field_id="A", length=4, unit="バイト", key=True),
                                      LayoutField(field_id="B", type="数値", length=5)])


def test_hostile_extracts(tmp_path: Path) -> None:
    cases = {
        "wrong_encoding.csv": ("あ,1\r\n".encode(), {}, "not valid cp932"),
        "nul.csv": (b"a,1\r\nb\x00,2\r\n", {}, "record 2: holds a NUL byte"),
        "utf16.csv": ("a,1\r\n".encode("utf-16"), {}, "NUL"),
        "fields.csv": (b"a,1\r\nb,2,3\r\n", {}, "record 2: has 3 fields"),
        "long.csv": (b"a,1\r\n" + b"x" * 5000, {"max_record_bytes": 100}, "record 2: longer than 100 bytes"),
        "noline.csv": (b"y" * 300_000, {"max_record_bytes": 1000}, "record 1: longer than 1,000 bytes"),
        "quote.csv": (b'a,1\r\n"b,2\r\nc,3\r\n' + b"d,4\r\n" * 50, {"max_record_bytes": 200}, "double quote"),
        "fixed.txt": (b"abcd    1\r\nab  1\r\n", {"format": "fixed"}, "record 2: is 5 bytes long"),
    }
    for name, (content, kw, said) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError) as err:
            migration.check_extract(io.read_extract(tmp_path / name, LAYOUT, **kw))
        assert said in str(err.value), name
    with pytest.raises(ValidationError, match="not a path"):
        migration.check_extract(str(tmp_path / "nul.csv"))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="folder"):
        list(io.read_extract(tmp_path, LAYOUT))


def test_quoted_crlf_header_and_formulas(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_bytes('"項目","金額"\r\n"=1+2","12"\r\n"a\r\nb","3"\r\nc,4'.encode("cp932"))
    layout = DataLayout(name="t", fields=[LayoutField(field_id="A", length=4),
                                          LayoutField(field_id="B", type="数値", length=5)])
    batches = list(io.read_extract(p, layout, header=True, batch_records=2))
    assert [b.first for b in batches] == [1, 2]  # the header took a place in the first batch
    assert [list(b.columns[0]) for b in batches] == [["=1+2"], ["a\r\nb", "c"]]
    assert migration.check_extract(io.read_extract(p, layout, header=True)).counts() == {("A", "charset"): 1}


# -- across files, example, CLI, report --------------------------------------------------------------------


def test_example_readiness_and_references() -> None:
    ex = examples.toyama_migration()
    r = ex.check()
    assert r.ready("A") and not r.ready("B")
    assert r.check("B", "受給者").counts() == {("A04", "date"): 1, ("<key>", "duplicate"): 2}
    assert r.check("A", "受給者").counts() == {("A02", "length"): 1, ("A02", "charset"): 1}
    assert {(x.member, x.missing) for x in r.references} == {("A", 0), ("B", 2)}
    loose = migration.check_migration(io.read_extracts(ex.files, ex.layouts), ex.layouts,
                                      references=ex.references, thresholds={"date": 5})
    assert loose.ready("B")
    text = r.to_text()
    assert "移行可" in text and "山田" not in text


def test_members_in_parallel_through_dask_give_the_same_result() -> None:
    pytest.importorskip("dask")
    ex = examples.toyama_migration()
    extracts = io.read_extracts(ex.files, ex.layouts)
    one = migration.check_migration(extracts, ex.layouts, references=ex.references)
    for scheduler in ("threads", "synchronous"):
        par = migration.check_migration(extracts, ex.layouts, references=ex.references, scheduler=scheduler)
        assert [(m, n, c.counts(), c.records) for m, n, c in par.checks] == \
            [(m, n, c.counts(), c.records) for m, n, c in one.checks]
        assert par.references == one.references and par.ready("A") and not par.ready("B")
    with pytest.raises(ValidationError, match="scheduler"):
        migration.check_migration(extracts, ex.layouts, scheduler="cluster")


def test_cli_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = examples.data_path("toyama_migration/受給者.csv").parent
    assert main(["migration", str(d / "受給者.csv"), str(d / "B_受給者.csv"), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"records": 30, "counts": [{"field": "A04", "rule": "date", "count": 1},
                                             {"field": "<key>", "rule": "duplicate", "count": 2}]}
    assert main(["migration", str(d / "受給者.csv"), str(d / "B_受給者.csv"), "--strict"]) == 3
    capsys.readouterr()
    assert main(["migration", str(d / "受給者.csv"), str(d / "A_受給者.csv"), str(d / "B_受給者.csv"),
                 "--format", "json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert set(both) == {str(d / "A_受給者.csv"), str(d / "B_受給者.csv")}
    assert main(["migration", str(d / "受給者.csv"), str(d / "B_児童.csv")]) == 1
    assert "record 1: has 5 fields" in capsys.readouterr().err
    pytest.importorskip("openpyxl")
    out_file = tmp_path / "check.xlsx"
    assert main(["migration", str(d / "受給者.csv"), str(d / "B_受給者.csv"), "-o", str(out_file)]) == 0
    assert out_file.exists()
    assert main(["migration", str(d / "受給者.csv"), str(d / "B_受給者.csv"), "-o", str(out_file)]) == 1


def test_council_report_has_a_migration_section() -> None:
    from jichitai_cloud import report

    r = report.council_report(examples.toyama(), migration=examples.toyama_migration().check())
    names = [s.name for s in r.sheets]
    assert any(n.startswith("データ移行検証") for n in names)
    ready = next(s for s in r.sheets if "移行判定" in s.name)
    assert ready.columns[-1] == "ready"


def test_kernels_are_vectorised_and_exact() -> None:
    cp = migration.codepoints(np.array(["ab", "", "ｱ漢"]))
    assert list(migration.char_lengths(cp)) == [2, 0, 2]
    assert list(migration.byte_lengths(cp, migration.width_table("cp932"))) == [2, 0, 3]
    assert list(migration.byte_lengths(cp, migration.width_table("utf-8"))) == [2, 0, 6]
    assert migration.mask("山田太郎") == "**太郎" and migration.mask("林") == "*"
    from jichitai_cloud.migration._kernels import cut_many, span_bytes, spans_holding

    text = np.frombuffer("ab,ｱ漢,,\ue000x".encode("utf-32-le"), dtype=np.uint32)
    starts, stops = np.array([[0, 3, 6, 7]]), np.array([[2, 5, 6, 9]])
    assert span_bytes(text, migration.width_table("cp932"), starts, stops).tolist() == [[2, 3, 0, 3]]
    assert spans_holding(np.array([7]), starts, stops).tolist() == [[False, False, False, True]]
    assert spans_holding(np.array([1]), starts.T.copy(), stops.T.copy()).ravel().tolist() == [True, False, False, False]
    mats = cut_many(text, starts, stops, (1, 2))
    assert [m.shape for m in mats] == [(1, 2), (1, 1)] and mats[1].tolist() == [[0]]
    assert FieldType("数値") is FieldType.NUMBER


_NUMBERISH = st.text(alphabet="0123456789.+-a漢", max_size=7)
_DATEISH = st.one_of(st.text(alphabet="0123456789.-HRS4", max_size=10),
                     st.sampled_from(["H31.04.30", "H31.05.01", "R01.05.01", "20240229", "20230229", "4310430"]))


@given(st.lists(st.tuples(_NUMBERISH, _DATEISH), min_size=1, max_size=12))
@SMALL
def test_span_kernels_agree_with_matrix_kernels(values: list[tuple[str, str]]) -> None:
    """The flat-text kernels the check runs give what the code-point matrix kernels give, value by value."""
    from jichitai_cloud.migration._check import _ERA_MARKS, _ERA_STARTS
    from jichitai_cloud.migration._kernels import span_dates, span_numbers

    flat = [v for pair in values for v in pair]
    text = np.frombuffer(",".join(flat).encode("utf-32-le"), dtype=np.uint32)
    sizes = np.array([len(v) for v in flat], dtype=np.int64)
    starts = (np.cumsum(sizes + 1) - sizes - 1).reshape(-1, 2)
    stops = starts + sizes.reshape(-1, 2)
    nums = np.array([a for a, _ in values] + ["x" * 8])[:-1]
    is_number, digits, decimals = migration.number_parts(migration.codepoints(nums), sizes.reshape(-1, 2)[:, 0])
    got = span_numbers(text, starts[:, :1], stops[:, :1])
    assert got[0].ravel().tolist() == is_number.tolist()
    assert got[1].ravel()[is_number].tolist() == digits[is_number].tolist()
    assert got[2].ravel()[is_number].tolist() == decimals[is_number].tolist()
    dates = np.array([b for _, b in values] + ["x" * 10])[:-1]
    for fmt in ("YYYYMMDD", "GYY.MM.DD", "GYYMMDD", "YYYY-MM-DD"):
        marks = _ERA_MARKS["digit" if fmt == "GYYMMDD" else "letter"]
        want = migration.valid_dates(migration.codepoints(dates), sizes.reshape(-1, 2)[:, 1], fmt, marks, _ERA_STARTS)
        assert span_dates(text, starts[:, 1:], stops[:, 1:], fmt, marks, _ERA_STARTS).ravel().tolist() == want.tolist()


def test_module_runs_as_program() -> None:
    d = examples.data_path("toyama_migration/受給者.csv").parent
    run = subprocess.run([sys.executable, "-m", "jichitai_cloud", "migration", str(d / "受給者.csv"),
                          str(d / "A_受給者.csv"), "--lang", "en"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "Failing records" in run.stdout


# -- the reader's routes: vectorised (flat spans) and the csv module give the same values and counts ------


ROUTES = ("bytes", "code-points", "csv-module")


@contextlib.contextmanager
def _route(route: str) -> Iterator[None]:
    """Read CSV in CP932 bytes, as decoded code points (the vectorised cutter), or through the csv module."""
    from jichitai_cloud.io import _migration as reader

    with pytest.MonkeyPatch.context() as mp:
        if route != "bytes":
            mp.setattr(reader, "_BYTES_ROUTE", frozenset())
        if route == "csv-module":
            mp.setattr(reader._Reader, "_flat_csv", lambda self, text, line_feeds=None: reader._SLOW)
        yield


@pytest.mark.parametrize("route", ROUTES)
def test_quoted_values_on_both_routes(tmp_path: Path, route: str) -> None:
    layout = DataLayout(name="t", fields=[LayoutField(field_id="A", length=20), LayoutField(field_id="B", length=20)])
    p = tmp_path / "q.csv"
    p.write_bytes('"a,b","say ""hi"""\r\n"","x\r\ny"\r\nplain,""""\r\n"山""田",z'.encode("cp932"))
    with _route(route):
        batches = list(io.read_extract(p, layout, batch_records=2))
    cols = [np.concatenate([b.columns[j] for b in batches]).tolist() for j in range(2)]
    assert cols == [["a,b", "", "plain", '山"田'], ['say "hi"', "x\r\ny", '"', "z"]]
    assert [b.first for b in batches] == [1, 3]


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_routes_agree_on_batches_and_splitting(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
                                               route: str) -> None:
    layout = data.draw(data_layouts())
    records = data.draw(layout_records(layout, min_size=2))
    for i in data.draw(st.lists(st.integers(0, len(records) - 1), max_size=4)):
        j = 1 + i % (len(layout.fields) - 1)
        f = layout.fields[j]
        bad = list(records[i])
        bad[j] = violate(f, next(r for r in VIOLATIONS[f.type] if r != "required"))
        records[i] = tuple(bad)
    expected = _check(records, layout, batch=len(records))
    d = tmp_path_factory.mktemp("r")
    quoting = data.draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    cut = data.draw(st.integers(1, len(records) - 1))
    with _route(route):
        counts = []
        for name, part in (("all", records), ("a", records[:cut]), ("b", records[cut:])):
            text = _io.StringIO()
            csv.writer(text, quoting=quoting, lineterminator="\r\n").writerows(part)
            (d / f"{name}.csv").write_bytes(text.getvalue().encode("cp932"))
            c = migration.check_extract(io.read_extract(d / f"{name}.csv", layout,
                                                        batch_records=data.draw(st.integers(1, 6))))
            counts.append(c.counts())
            if name == "all":
                assert c.records == len(records) and c.failed_records == expected.failed_records
    whole, a, b = counts
    assert whole == expected.counts()
    assert {k: a.get(k, 0) + b.get(k, 0) for k in {*a, *b}} == whole


# -- CP932 read in its own bytes: the same characters, lengths, numbers, dates and counts as decoded text ---


def _lead_bytes(raw: bytes) -> list[bool]:
    """The lead bytes of CP932 text, one character at a time (the reference for the vectorised kernel)."""
    out, i = [False] * len(raw), 0
    while i < len(raw):
        if 0x81 <= raw[i] <= 0x9F or 0xE0 <= raw[i] <= 0xFC:
            out[i] = True
            i += 2
        else:
            i += 1
    return out


def test_lead_range_is_the_codecs() -> None:
    """The lead bytes the kernel reads by arithmetic are the bytes Python's CP932 codec cannot decode alone."""
    from jichitai_cloud.migration._charset import cp932_tables
    from jichitai_cloud.migration._kernels._bytes import _lead_range

    assert _lead_range(np.arange(256, dtype=np.uint8)).tolist() == cp932_tables()[0].tolist()


@given(st.binary(max_size=60) | st.lists(st.sampled_from([0x41, 0x2C, 0x82, 0x88, 0x9F, 0xE0, 0xFC, 0x40, 0x80,
                                                          0xA0, 0xFD]), max_size=60).map(bytes))
@settings(max_examples=300, deadline=None)
def test_lead_bytes_and_pairs_match_a_character_by_character_read(raw: bytes) -> None:
    from jichitai_cloud.migration._kernels import byte_pairs, lead_mask

    arr = np.frombuffer(raw, dtype=np.uint8)
    want = _lead_bytes(raw)
    assert lead_mask(arr).tolist() == want
    at = np.flatnonzero(want)
    assert byte_pairs(arr, at).tolist() == [raw[i] | raw[i + 1] << 8 if i + 1 < len(raw) else 0 for i in at]


@given(st.lists(st.tuples(_NUMBERISH | st.sampled_from(["99999.99", "-12345.678", "+1.5", "１２"]), _DATEISH),
                min_size=1, max_size=12))
@SMALL
def test_word_kernels_agree_with_matrix_kernels(values: list[tuple[str, str]]) -> None:
    """Numbers and dates read from CP932 bytes in 64-bit words give what the code-point kernels give."""
    from jichitai_cloud.migration._check import _ERA_MARKS, _ERA_STARTS
    from jichitai_cloud.migration._kernels import byte_dates, span_words, word_numbers

    for col, kind in ((0, "number"), (1, "date")):
        texts = [v[col] for v in values]
        enc = [t.encode("cp932") for t in texts]
        raw = np.frombuffer(b",".join(enc), dtype=np.uint8)
        nbytes = np.array([len(e) for e in enc], dtype=np.int64)
        starts = np.cumsum(nbytes + 1) - nbytes - 1
        words = span_words(raw, starts.reshape(1, -1), max(-(-int(nbytes.max()) // 8), 1))
        cp = migration.codepoints(np.array([*texts, "x" * 10])[:-1])
        chars = np.array([len(t) for t in texts], dtype=np.int64)
        if kind == "number":
            is_number, decimals = word_numbers(words, nbytes.reshape(1, -1))
            want, _, want_dec = migration.number_parts(cp, chars)
            assert is_number.ravel().tolist() == want.tolist()
            assert decimals.ravel()[want].tolist() == want_dec[want].tolist()
            continue
        for fmt in ("YYYYMMDD", "GYY.MM.DD", "GYYMMDD", "YYYY-MM-DD"):
            marks = _ERA_MARKS["digit" if fmt == "GYYMMDD" else "letter"]
            w = span_words(raw, starts.reshape(1, -1), 2)
            got = byte_dates(w.view(np.uint8), nbytes.reshape(1, -1), fmt, marks, _ERA_STARTS)
            assert got.ravel().tolist() == migration.valid_dates(cp, chars, fmt, marks, _ERA_STARTS).tolist()


_TEXTISH = st.text(alphabet=list("Aa1.-, \"\r\nｱﾞあ漢＿①髙﨑∵\ue000\t"), max_size=6)
_MIXED = DataLayout(name="m", fields=[
    LayoutField(field_id="K", length=6, key=True),
    LayoutField(field_id="T", length=4, unit="バイト", required=True),
    LayoutField(field_id="C", length=3),
    LayoutField(field_id="N", type="数値", length=6, decimals=1),
    LayoutField(field_id="D", type="日付", length=9, format="GYY.MM.DD"),
    LayoutField(field_id="E", type="コード", length=2, code_table="t"),
], code_tables={"t": ("01", "ｱ", "漢")})


@given(st.lists(st.tuples(_TEXTISH, _TEXTISH, _TEXTISH, _NUMBERISH, _DATEISH,
                          st.sampled_from(["01", "02", "ｱ", "漢", "あ", "", "1"])), min_size=1, max_size=12),
       st.sampled_from([None, "cp932", "Aa1漢ｱ"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       st.integers(1, 5))
@settings(max_examples=40, deadline=None)
def test_bytes_and_code_points_give_the_same_counts(tmp_path_factory: pytest.TempPathFactory,
                                                    records: list[tuple[str, ...]], charset: str | None,
                                                    quoting: int, batch: int) -> None:
    """外字, half-width kana, quotes, line breaks in values: the byte route counts what the decoded text counts."""
    d = tmp_path_factory.mktemp("b")
    text = _io.StringIO()
    csv.writer(text, quoting=quoting, lineterminator="\r\n").writerows(records)
    (d / "x.csv").write_bytes(text.getvalue().encode("cp932"))
    found = {}
    for route in ROUTES:
        with _route(route):
            c = migration.check_extract(io.read_extract(d / "x.csv", _MIXED, batch_records=batch), charset=charset,
                                        examples=2, unmasked=True)
        found[route] = (c.records, c.failed_records, c.counts(), [f.examples for f in c.failures],
                        [f.first_records for f in c.failures])
    assert found["bytes"] == found["code-points"] == found["csv-module"]
    assert found["bytes"][2] == _check(records, _MIXED).counts() if charset is None else True


def test_bytes_route_keys_compare_as_text(tmp_path: Path) -> None:
    """∵ (81E6, FA5B) and Ⅰ (8754, FA4A) each have two CP932 codes decoding to one character: one key each.

    ASCII keys are compared as bytes, others as text: a key in an ASCII batch meets itself in a batch
    that is not.
    """
    layout = DataLayout(name="k", fields=[LayoutField(field_id="K", length=4, key=True),
                                          LayoutField(field_id="V", length=4)])
    p = tmp_path / "k.csv"
    p.write_bytes(b"01,a\r\n02,b\r\n\x81\xe6,c\r\n01,d\r\n\xfa\x5b,e\r\n\x87\x54,f\r\n\xfa\x4a,g\r\n")
    for route in ROUTES:
        for batch in (1, 2, 10):
            with _route(route):
                c = migration.check_extract(io.read_extract(p, layout, batch_records=batch), examples=3, unmasked=True)
            assert c.counts() == {("K", "charset"): 2, ("<key>", "duplicate"): 6}, route  # Ⅰ is not JIS X 0208
            assert c.failures[-1].examples == ("01", "∵", "01"), route
    assert [b.columns[0].tolist() for b in io.read_extract(p, layout)] == [["01", "02", "∵", "01", "∵", "Ⅰ", "Ⅰ"]]


def test_layout_workbook_hidden_sheets(tmp_path: Path) -> None:
    """A code table on a hidden sheet is read (the layout names it); a hidden layout sheet only when named."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "旧レイアウト"
    old.sheet_state = "hidden"
    old.append(["field_id", "name", "type", "length"])
    old.append(["Z", "旧", "文字", 3])
    ws = wb.create_sheet("レイアウト")
    ws.append(["field_id", "name", "type", "length", "code_table"])
    ws.append(["B", "性別", "コード", 1, "性別"])
    t = wb.create_sheet("性別")
    t.sheet_state = "veryHidden"
    t.append(["コード", "名称"])
    t.append([1, "男"])
    wb.save(tmp_path / "layout.xlsx")
    layout = io.load_layout(tmp_path / "layout.xlsx")
    assert [f.field_id for f in layout.fields] == ["B"] and layout.code_tables["性別"] == ("1",)
    assert [f.field_id for f in io.load_layout(tmp_path / "layout.xlsx", sheet="旧レイアウト").fields] == ["Z"]
    with pytest.raises(InputError, match=r"no sheet 'レイアウト2'"):
        io.load_layout(tmp_path / "layout.xlsx", sheet="レイアウト2")


# -- the byte route's faster kernels agree with the plain reads -------------------------------------


@given(st.lists(st.sampled_from([0x82, 0x88, 0x9F, 0xE0, 0xFC, 0x8D, 0x41, 0x40, 0x0A]), max_size=300).map(bytes)
       | st.lists(st.sampled_from([0x82, 0x9F, 0xE0, 0x41]), min_size=9, max_size=40).map(bytes))
@settings(max_examples=300, deadline=None)
def test_lead_bytes_in_long_runs_of_lead_range_bytes(raw: bytes) -> None:
    """Runs of lead-range bytes of every depth (the rounds up to offset 7, positions from offset 8)."""
    from jichitai_cloud.migration._kernels import lead_mask

    assert lead_mask(np.frombuffer(raw, dtype=np.uint8)).tolist() == _lead_bytes(raw)


def test_pair_flags_are_the_tables_of_each_named_set() -> None:
    from jichitai_cloud.migration._charset import PAIR_BITS, allowed_table, cp932_tables, pair_bit, pair_flags

    flags = pair_flags()
    _, _, pair_ok, _, _ = cp932_tables()
    assert ((flags & PAIR_BITS["invalid"]) != 0).tolist() == (~pair_ok).tolist()
    for name in ("jis", "cp932"):
        allowed = allowed_table(name)
        assert pair_bit(allowed) == PAIR_BITS[name]
        assert ((flags & PAIR_BITS[name]) != 0).tolist() == (~cp932_tables(allowed)[4]).tolist()
    assert pair_bit(allowed_table("Aa1漢")) == 0


@given(st.lists(st.lists(st.sampled_from(["A", ",", "\t", "\x7f", "ｱ", "漢", "①", "\ue000", "\x80", "\x00"]), max_size=6)
                .map("".join), min_size=1, max_size=8),
       st.sampled_from(["\r\n", "\n"]), st.booleans(), st.sampled_from([None, "cp932", "Aa漢"]))
@settings(max_examples=200, deadline=None)
def test_refused_bytes_counted_in_the_line_breaks_give_the_located_spans(values: list[str], brk: str, last: bool,
                                                                         charset: str | None) -> None:
    """outside_bytes with the record ends as gaps marks the same values as without them."""
    from jichitai_cloud.migration._charset import allowed_table, cp932_tables
    from jichitai_cloud.migration._kernels import byte_pairs, lead_mask, outside_bytes, spans_holding

    enc = [v.encode("cp932") for v in values]
    raw = np.frombuffer(b"".join(e + (brk.encode() if last or i < len(enc) - 1 else b"") for i, e in enumerate(enc)),
                        dtype=np.uint8)
    sizes = np.array([len(e) for e in enc], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes + len(brk))[:-1])).astype(np.int64)
    stops = starts + sizes
    ends = np.append(starts[1:], raw.size).astype(np.int64)
    _, _, _, single_allowed, pair_allowed = cp932_tables(allowed_table(charset))
    lead = lead_mask(raw)
    at = np.flatnonzero(lead)
    doubles = at[~np.take(pair_allowed, byte_pairs(raw, at))]
    plain = outside_bytes(raw, lead, doubles, single_allowed)
    counted = outside_bytes(raw, lead, doubles, single_allowed, gaps=(stops, ends))
    assert spans_holding(counted, starts, stops).tolist() == spans_holding(plain, starts, stops).tolist()


@given(st.lists(st.binary(max_size=16), min_size=1, max_size=10))
@settings(max_examples=100, deadline=None)
def test_masked_words_are_masked_bytes(values: list[bytes]) -> None:
    from jichitai_cloud.migration._kernels import masked_bytes, masked_words, span_words

    raw = np.frombuffer(b"".join(values) + b"\xff" * 16, dtype=np.uint8)
    lengths = np.array([len(v) for v in values], dtype=np.intp)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.intp)
    w = span_words(raw, starts, 2)
    assert masked_words(w, lengths).view(np.uint8).tolist() == masked_bytes(w, lengths).tolist()


def test_batches_kept_after_reading_hold_their_own_records(tmp_path: Path) -> None:
    """The reader hands out views of the bytes it read: batches kept in a list still read as their records."""
    layout = DataLayout(name="k", fields=[LayoutField(field_id="K", length=8, key=True),
                                          LayoutField(field_id="T", length=10, unit="バイト")])
    records = [(f"{i:06d}", "山田" if i % 3 else "ｱｲ") for i in range(1, 3001)]
    path = _csv(tmp_path / "k.csv", records)
    batches = list(io.read_extract(path, layout, batch_records=700))
    got = [tuple(v) for b in batches for v in zip(*(c.tolist() for c in b.columns), strict=True)]
    assert got == records
    assert all(b.raw is not None and not b.raw.flags.writeable for b in batches)


@given(st.lists(st.binary(max_size=20).map(lambda b: b.rstrip(b"\0")), max_size=40), st.sampled_from([3, 8, 16, 20]))
@settings(max_examples=200, deadline=None)
def test_duplicated_bytes_keys_as_words_agree_with_unique(values: list[bytes], size: int) -> None:
    """Bytes keys compared as 64-bit words mark what np.unique marks (any width, not only multiples of 8)."""
    keys = np.array([v[:size] for v in values], dtype=f"S{size}")
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    want = (counts[inverse.reshape(-1)] > 1).tolist() if keys.size else []
    assert migration.duplicated(keys).tolist() == want


@given(st.binary(max_size=200), st.lists(st.integers(0, 255), max_size=40))
@settings(max_examples=200, deadline=None)
def test_byte_count_counts_byte_set(raw: bytes, members: list[int]) -> None:
    """Counted interval by interval (taken round 0xFF, or by table past 6 intervals), as the set's mask."""
    from jichitai_cloud.migration._kernels._bytes import byte_count, byte_set

    table = np.zeros(256, dtype=bool)
    table[members] = True
    arr = np.frombuffer(raw, dtype=np.uint8)
    want = [b in set(members) for b in raw]
    assert byte_set(arr, table).tolist() == want
    assert byte_count(arr, table) == sum(want)


@given(st.binary(min_size=1, max_size=80), st.data())
@settings(max_examples=150, deadline=None)
def test_span_words_of_several_fields_are_each_fields_own(raw: bytes, data: st.DataObject) -> None:
    """Fields x records read at once (in record order, near the end of the bytes too) as field by field."""
    from jichitai_cloud.migration._kernels import span_words

    arr = np.frombuffer(raw, dtype=np.uint8)
    fields = data.draw(st.integers(2, 4))
    records = data.draw(st.integers(1, 5))
    starts = np.array(data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=fields * records,
                                         max_size=fields * records)), dtype=np.int64).reshape(fields, records)
    words = data.draw(st.integers(1, 3))
    got = span_words(arr, starts, words)
    want = np.stack([span_words(arr, starts[j], words) for j in range(fields)])
    assert got.tolist() == want.tolist()


def test_pair_flags_of_a_batch_must_match_its_pairs() -> None:
    raw = np.frombuffer("山,1\n".encode("cp932"), dtype=np.uint8)
    starts, stops = np.array([[0, 3]], dtype=np.int64), np.array([[2, 4]], dtype=np.int64)
    batch = migration.ExtractBatch.from_cp932(first=1, raw=raw, starts=starts, stops=stops)
    assert batch is not None and batch.flags is not None and batch.pairs is not None
    assert batch.flags.shape == batch.pairs.shape == (1,)
    with pytest.raises(ValidationError, match="pair flags"):
        migration.ExtractBatch(first=1, raw=raw, leads=batch.leads, pairs=batch.pairs,
                               flags=np.zeros(2, dtype=np.uint8), starts=starts, stops=stops)
