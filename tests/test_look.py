"""The look test: what a council's reader sees in the workbook and the page, for a council that is not
the bundled example (real municipalities of Toyama with their 6-digit local government codes).

Checked on the council report and on several results, as xlsx and HTML, from the files themselves
(opened with openpyxl, the page parsed; no browser needed):

* no number is stored in the General format, and no number is stored as text;
* every column is at least as wide as its longest shown value (full-width characters count two);
* no code where a name is declared (a name column, a 市町村名 column, a chart's labels);
* in Japanese, every caption and title is Japanese; English only in parentheses;
* every HTML table fits the 1280 px page (width estimated from the rendered text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import jichitai_cloud as jc
from jichitai_cloud import examples, report
from jichitai_cloud.calendar import Month
from jichitai_cloud.model import check_digit
from reader_view import CODE, NUMBER_TEXT, html_tables, shown, table_px, width

openpyxl = pytest.importorskip("openpyxl")

# (5-digit code, name, population, five-year current cost [yen], cloud start) of six Toyama
# municipalities (codes from tests' reference data: /work/shared/data/toyama_municipalities_census_2005.csv)
_MEMBERS = [("16211", "射水市", 94_684, 920_000_000, "H27.07"), ("16206", "滑川市", 33_668, 400_000_000, "H27.07"),
            ("16342", "入善町", 26_319, 250_000_000, "H27.04"), ("16322", "上市町", 21_831, 240_000_000, "H27.07"),
            ("16343", "朝日町", 13_266, 240_000_000, "H27.04"), ("16321", "舟橋村", 3_062, 110_000_000, "H27.04")]

PAGE_PX = 1280 - 2 * 24
"""The width a table has in a 1280 px window: the page's body margins are 24 px each side. [px]"""


def _council() -> jc.Consortium:
    members = []
    for code5, name, population, cost, start in _MEMBERS:
        cloud = Month.parse(start)
        members.append(jc.Municipality(code=code5 + str(check_digit(code5)), name=name, population=population,
                                       current_cost=cost, cloud_start=cloud, current_system_end=cloud - 1))
    return jc.Consortium(name="新川地域自治体クラウド協議会", members=members, period_start=Month.parse("H27.04"),
                         fee_period="member")


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    council = _council()
    assert [m.code for m in council.members] == ["162116", "162060", "163422", "163228", "163431", "163210"]
    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
    alloc = jc.allocate(council, 1_390_000_000, rule)
    evaluation = jc.evaluate(examples.toyama_evaluation())
    stmt = jc.statement(council, [jc.CostItem("クラウド利用料", total=1_390_000_000, rule=rule),
                                  jc.CostItem("移行経費", total=60_000_000, rule=rule)])
    return {
        "council": council,
        "council_report": report.council_report(council, allocation=alloc, statement=stmt, evaluation=evaluation),
        "allocation": alloc,
        "effect": alloc.effect_table(),
        "statement": stmt,
        "evaluation": evaluation,
    }


DOCUMENTS = ("council_report", "allocation", "effect", "statement", "evaluation")



def _cases(checks: tuple[str, ...], medium: str) -> Iterator[Any]:
    for doc in DOCUMENTS:
        for check in checks:
            yield pytest.param(doc, check, id=f"{doc}-{check}")


def _xlsx(results: dict[str, Any], doc: str, folder: Path) -> Any:
    path = folder / f"{doc}.xlsx"
    result = results[doc]
    if doc == "council_report":
        result.to_excel(path, overwrite=True)
    else:
        report.to_excel(result, path, overwrite=True)
    return openpyxl.load_workbook(path)


def _html(results: dict[str, Any], doc: str) -> str:
    result = results[doc]
    if doc == "council_report":
        page: str = result.to_html(charts=False)
        return page
    return report.to_html(result)


def _header_row(ws: Any) -> int:
    """The row of the headings: the first row with two or more filled cells."""
    for row in ws.iter_rows(min_row=1, max_row=5):
        if sum(c.value is not None for c in row) >= 2:
            return int(row[0].row)
    return 1


def _body(ws: Any) -> Iterator[tuple[Any, list[Any]]]:
    """(heading cell, the column's cells) for each column of the table (down to the first empty row)."""
    h = _header_row(ws)
    rows = []
    for row in ws.iter_rows(min_row=h + 1):
        if all(c.value is None for c in row):
            break
        rows.append(row)
    for j, head in enumerate(ws[h]):
        if head.value is not None:
            yield head, [r[j] for r in rows if j < len(r)]


def _japanese(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text))


def _english_outside_parentheses(text: str) -> list[str]:
    """English words of ``text`` that are not inside parentheses (units such as 'H27.04' are no words)."""
    outside = re.sub(r"\([^()]*\)|（[^（）]*）", "", text)
    outside = re.sub(r"\([^()]*\)|（[^（）]*）", "", outside)  # nested once
    return re.findall(r"[A-Za-z]{3,}", outside)


def _check_caption(texts: list[str]) -> None:
    for t in texts:
        assert _japanese(t), f"caption without Japanese: {t!r}"
        assert not _english_outside_parentheses(t), f"English outside parentheses in {t!r}"


_CHECKS = ("number_format", "numbers_as_text", "widths", "names", "caption")


@pytest.mark.parametrize(("doc", "check"), list(_cases(_CHECKS, "xlsx")))
def test_workbook_as_a_reader_sees_it(results: dict[str, Any], doc: str, check: str, tmp_path: Path) -> None:
    from openpyxl.utils import get_column_letter

    wb = _xlsx(results, doc, tmp_path)
    for ws in wb:
        assert len(ws.title) <= 31
        for head, cells in _body(ws):
            label = f"{doc}: {ws.title}!{head.coordinate} {head.value!r}"
            if check == "number_format":
                for c in cells:
                    if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                        assert c.number_format != "General", f"{label}: {c.coordinate} {c.value!r} in General"
            elif check == "numbers_as_text":
                if "コード" in str(head.value) or "code" in str(head.value).lower() or "番号" in str(head.value):
                    continue
                for c in cells:
                    if isinstance(c.value, str) and c.value != "合計":
                        assert not NUMBER_TEXT.match(c.value), f"{label}: {c.coordinate} number stored as text"
            elif check == "widths":
                col = ws.column_dimensions[get_column_letter(head.column)].width
                longest = max((width(shown(c.value, c.number_format)) for c in cells
                               if not (isinstance(c.value, str) and c.alignment.wrap_text)), default=0)
                assert col >= longest + 1, f"{label}: width {col} for {longest} characters (### in a spreadsheet)"
                words = str(head.value).split()
                assert col >= max(width(w) for w in words), f"{label}: a heading word is cut"
            elif check == "names" and str(head.value).startswith(("市町村名", "団体名", "Municipality")):
                for c in cells:
                    if c.value not in (None, "合計", "Total"):
                        assert not CODE.match(str(c.value)), f"{label}: code {c.value!r} where a name belongs"
        if check == "caption":
            first = ws.cell(row=1, column=1).value
            _check_caption([ws.title, str(first)])


@pytest.mark.parametrize(("doc", "check"), list(_cases(("names", "caption", "html_width"), "html")))
def test_page_as_a_reader_sees_it(results: dict[str, Any], doc: str, check: str) -> None:
    page = _html(results, doc)
    assert '<html lang="ja">' in page and "@media print" in page
    tables = html_tables(page)
    assert tables
    if check == "html_width":
        for t in tables:
            px = table_px(t)
            assert px <= PAGE_PX, f"{doc}: table {t['caption']!r} is {px:.0f} px wide, the page {PAGE_PX} px"
    elif check == "names":
        for t in tables:
            head = [c["text"] for c in t["rows"][0]] if t["rows"] else []
            for j, h in enumerate(head):
                if not h.startswith(("市町村名", "団体名")):
                    continue
                for row in t["rows"][1:]:
                    if j < len(row):
                        assert not CODE.match(row[j]["text"].strip()), f"{doc}: code {row[j]['text']!r} under {h!r}"
            for row in t["rows"][1:]:
                for cell in row:
                    if cell["class"] == "name":
                        assert not CODE.match(cell["text"].strip()), f"{doc}: code in a name cell"
    elif check == "caption":
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title is not None
        _check_caption([title.group(1)] + [t["caption"] for t in tables if t["caption"]])


def test_chart_labels_are_names(results: dict[str, Any]) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from jichitai_cloud.report.plots import plot_effect

    ax = plot_effect(results["effect"], ax=Figure().subplots())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels and not any(CODE.match(x) for x in labels), labels
    assert set(labels) <= {m.name for m in results["council"].members}


def test_the_look_checks_catch_what_they_check(tmp_path: Path) -> None:
    """The checks above fail on the defects named in issue 18 (so a pass means something)."""
    from jichitai_cloud.report.workbook import write_xlsx

    path = tmp_path / "bad.xlsx"
    write_xlsx(path, {"s": (("市町村名", "金額"), [["162116", 600_000_000]])})
    wb = openpyxl.load_workbook(path)
    ws = wb["s"]
    ws.column_dimensions["B"].width = 5  # too narrow: ### in a spreadsheet
    ws["B2"].number_format = "General"
    (_, names), (_, money) = list(_body(ws))
    assert CODE.match(names[0].value)
    assert money[0].number_format == "General"
    assert ws.column_dimensions["B"].width < width(shown(money[0].value, "#,##0")) + 1
    assert _english_outside_parentheses("60-month estimate under 均等割") == ["month", "estimate", "under"]
    assert not _english_outside_parentheses("費用按分 (cost allocation): 射水市 H27.04")
    wide = report.page("<table><tr><th>x</th>" + "<td class=\"num\">1,234,567,890</td>" * 30 + "</tr></table>",
                       title="t")
    assert table_px(html_tables(wide)[0]) > PAGE_PX



def _chromium() -> str | None:
    import shutil

    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.mark.skipif(_chromium() is None, reason="no headless browser installed (CI does not need one)")
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_page_in_a_browser_fits_1280_px(results: dict[str, Any], doc: str, tmp_path: Path) -> None:
    """Where a browser is installed: lay the page out at 1280 px and measure it (no horizontal scroll)."""
    import json
    import subprocess

    probe = ("<script>document.body.setAttribute('data-widths', JSON.stringify({page: "
             "document.documentElement.scrollWidth, tables: Array.from(document.querySelectorAll('table'))"
             ".map(t => Math.ceil(t.getBoundingClientRect().right))}));</script>")
    path = tmp_path / "page.html"
    path.write_text(_html(results, doc).replace("</body>", probe + "</body>"), encoding="utf-8")
    try:
        out = subprocess.run([str(_chromium()), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                              "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120, check=True)
    except (subprocess.SubprocessError, OSError) as exc:  # a browser that cannot start here is no failure of ours
        pytest.skip(f"the browser did not run: {exc}")
    found = re.search(r"data-widths=\"([^\"]*)\"", out.stdout)
    assert found is not None
    widths = json.loads(found.group(1).replace("&quot;", '"'))
    assert widths["page"] <= 1280 and all(w <= 1280 for w in widths["tables"]), widths
