"""Render the bundled example's council report (協議会報告) and take the pictures shown in docs/report.md.

::

    python docs/make_screenshots.py            # writes docs/img/council_report_*.png

What it does:

1. builds the council report of the bundled example exactly as ``jichitai-cloud report --example
   toyama`` does (members, allocation 3:7 with the 30 % guarantee, five-year effect, customization,
   evaluation, the monthly report, the migration plan) and writes it as HTML and as xlsx;
2. the HTML page as a reader sees it in a browser 1280 px wide: a screenshot by headless
   Chromium (``chromium`` or ``google-chrome`` on the PATH);
3. the workbook as it opens in a spreadsheet program: LibreOffice (``soffice``) prints chosen sheets
   to PDF and ``pdftoppm`` (poppler) turns the page into a PNG.  Without LibreOffice the sheet is
   drawn with matplotlib instead: a grid of the cells as formatted by their number formats (yen
   ``#,##0``, percent ``0.0%``), column widths as stored; the picture's title says which was used.

Each picture is reduced to a palette PNG (Pillow) so it stays well under 300 KB.  Nothing here is
part of the library; the script needs the plot and excel extras.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMG = HERE / "img"
WIDTH = 1280
"""The browser width of the HTML screenshot. [px]"""

SHEETS = ("費用按分", "導入効果")
"""The workbook's sheets pictured (one picture each)."""


def build_report(lang: str = "ja"):  # type: ignore[no-untyped-def]
    """The bundled example's council report, as ``jichitai-cloud report --example toyama`` builds it."""
    import jichitai_cloud as jc
    from jichitai_cloud import customization, examples, report, schedule

    plan = examples.toyama_allocation()
    council = plan.apply_to(examples.toyama())
    allocation = jc.allocate(council, plan.total_fee, plan.rule)
    reg = examples.toyama_customization()
    ops = examples.toyama_operations()
    return report.council_report(
        council, allocation=allocation,
        customization=(customization.comparison_table(reg.apply_to(council)),
                       customization.decision_summary(reg.apply_to(council))),
        evaluation=jc.evaluate(examples.toyama_evaluation()),
        operations=ops.monthly_report(ops.end),
        schedule=schedule.plan_migration(examples.toyama_schedule(), starts="planned"),
        lang=lang,
    )


def _small_png(src: Path, dst: Path, *, max_width: int = WIDTH, colours: int = 128, trim: bool = False) -> None:
    """``src`` as a palette PNG no wider than ``max_width`` (keeps the docs light); ``trim`` cuts the
    white margin of a printed page down to 24 px around what is printed."""
    from PIL import Image, ImageChops

    im = Image.open(src).convert("RGB")
    if trim:
        box = ImageChops.difference(im, Image.new("RGB", im.size, "white")).getbbox()
        if box is not None:
            m = 24
            im = im.crop((max(0, box[0] - m), max(0, box[1] - m), min(im.width, box[2] + m),
                          min(im.height, box[3] + m)))
    if im.width > max_width:
        im = im.resize((max_width, round(im.height * max_width / im.width)), Image.LANCZOS)
    im.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(dst, optimize=True)
    print(f"wrote {dst} ({dst.stat().st_size / 1000:.0f} kB)")


def screenshot_html(page: Path, dst: Path, height: int = 2170) -> bool:
    """A screenshot of ``page`` in headless Chromium, ``WIDTH`` px wide; False without a browser."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        print("no chromium on the PATH: no screenshot of the HTML page", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "page.png"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--window-size={WIDTH},{height}", f"--screenshot={raw}", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
        _small_png(raw, dst)
    return True


def _one_sheet(book: Path, sheet: str, dst: Path) -> None:
    """A copy of ``book`` holding only ``sheet`` (so that the printout is that sheet alone)."""
    import openpyxl

    wb = openpyxl.load_workbook(book)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    wb.save(dst)


def picture_sheet_libreoffice(book: Path, sheet: str, dst: Path) -> bool:
    """``sheet`` of ``book`` printed by LibreOffice to PDF and rendered by pdftoppm; False without them."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        one = t / "sheet.xlsx"
        _one_sheet(book, sheet, one)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{t / 'profile'}", "--convert-to",
                        "pdf", "--outdir", str(t), str(one)], check=True, capture_output=True, timeout=300)
        subprocess.run([pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", str(t / "sheet.pdf"), str(t / "page")],
                       check=True, capture_output=True, timeout=120)
        page = next(t.glob("page*.png"))
        _small_png(page, dst, trim=True)
    return True


def _formatted(value: object, fmt: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if fmt.endswith("%"):
        places = len(fmt.split(".")[1]) - 1 if "." in fmt else 0
        return f"{value * 100:.{places}f}%"
    places = len(fmt.split(".")[1]) if "." in fmt else 0
    return f"{value:,.{places}f}" if "," in fmt else f"{value:.{places}f}"


def picture_sheet_matplotlib(book: Path, sheet: str, dst: Path) -> None:
    """``sheet`` drawn as a grid of its formatted cells with the stored column widths (no spreadsheet program)."""
    import openpyxl
    from matplotlib.figure import Figure

    from jichitai_cloud.report.plots import japanese_font

    ws = openpyxl.load_workbook(book)[sheet]
    rows = [[_formatted(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width or 8.43
              for j in range(ws.max_column)]
    total = sum(widths)
    fig = Figure(figsize=(total * 0.09, 0.28 * len(rows) + 0.6))
    ax = fig.subplots()
    ax.axis("off")
    font = list(japanese_font())
    table = ax.table(cellText=rows, colWidths=[w / total for w in widths], loc="upper left", cellLoc="right")
    for (i, _j), cell in table.get_celld().items():
        cell.get_text().set_fontfamily(font)
        cell.get_text().set_fontsize(8)
        if i <= 1:
            cell.get_text().set_horizontalalignment("left")
    ax.set_title(f"{sheet} (drawn from the xlsx cells and number formats; LibreOffice not installed)",
                 fontfamily=font, fontsize=9, loc="left")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "sheet.png"
        fig.savefig(raw, dpi=110, bbox_inches="tight")
        _small_png(raw, dst)


def main() -> int:
    IMG.mkdir(exist_ok=True)
    r = build_report("ja")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        page, book = t / "council.html", t / "council.xlsx"
        r.to_html(page)
        r.to_excel(book)
        screenshot_html(page, IMG / "council_report_html.png")
        for i, sheet in enumerate(SHEETS, start=1):
            dst = IMG / f"council_report_xlsx_{i}.png"
            if not picture_sheet_libreoffice(book, sheet, dst):
                picture_sheet_matplotlib(book, sheet, dst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
