"""``jichitai-cloud renewal``, the renewal section of the council report, and its chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jichitai_cloud as jc
from jichitai_cloud import examples, report
from jichitai_cloud.cli import main

DATA = Path(examples.data_path("toyama.toml")).parent


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def comparison() -> jc.renewal.RenewalComparison:
    return examples.toyama_renewal().compare(examples.toyama(), samples=500, seed=1)


def test_example_prints_the_comparison_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["renewal", "--example", "toyama"], capsys)
    assert code == 0 and err == ""
    assert "サービス継続・切替の判断" in out and "継続との差額" in out and "現在価値で最も安い選択肢" in out
    assert "例示" in out  # the example says what it is
    code, en, _ = run(["--lang", "en", "renewal", "--example", "toyama"], capsys)
    assert code == 0 and "continue or switch" in en and "cheapest by present value" in en
    code, after, _ = run(["renewal", "--example", "toyama", "--lang", "en"], capsys)
    assert code == 0 and after == en


def test_the_files_of_the_council(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = tmp_path / "options.toml"
    options.write_text((DATA / "toyama_renewal.toml").read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "r.json"
    code, out, err = run(["renewal", str(DATA / "toyama.toml"), "--options", str(options), "--samples", "1000",
                          "--seed", "3", "--horizon", "48", "--discount-rate", "2%", "-o", str(target)], capsys)
    assert code == 0, err
    assert out == f"wrote {target}\n"
    data = json.loads(target.read_text(encoding="utf-8"))
    keys = [t["key"] for t in data["tables"]]
    assert keys == ["options", "members", "uncertainty"]
    plan = jc.io.load_renewal_options(options)
    want = plan.compare(examples.toyama(), samples=1000, seed=3, horizon_months=48, discount_rate=0.02)
    rows = data["tables"][0]["rows"]
    totals = [r[4] if isinstance(r, list) else r["total"] for r in rows]
    assert totals == [want.total(n) for n in want.option_names]


def test_xlsx_and_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "r.xlsx"
    code, _, err = run(["renewal", "--example", "toyama", "--samples", "200", "-o", str(target)], capsys)
    assert code == 0, err
    assert openpyxl.load_workbook(target).sheetnames == ["選択肢比較", "団体別費用", "不確実性"]
    code, _, err = run(["renewal", "--example", "toyama", "-o", str(target)], capsys)
    assert code == 1 and "exists" in err
    code, _, err = run(["renewal", "--example", "toyama", "-o", str(target), "--force"], capsys)
    assert code == 0 and openpyxl.load_workbook(target).sheetnames == ["選択肢比較", "団体別費用"]


def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[options]]\nname = "継続"\nmonthly_fee = -5\n', encoding="utf-8")
    code, out, err = run(["renewal", "--example", "toyama", "--options", str(bad)], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.strip() == f"error: {bad}: options[0].monthly_fee: monthly_fee must be an integer >= 0 and < 10**15 " \
                          "[yen], got -5"
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[[options]]\nname = "継続"\nmonthly_fee = { Z = 5 }\n', encoding="utf-8")
    code, _, err = run(["renewal", "--example", "toyama", "--options", str(unknown)], capsys)
    assert code == 1 and "Z" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["renewal", str(DATA / "toyama.toml")], capsys)
    assert code == 1 and "--options" in err
    code, _, err = run(["renewal", "--example", "toyama", "--samples", str(10**9)], capsys)
    assert code == 1 and "above the limit of 1,000,000" in err and "--no-limit" in err


def test_report_section(comparison: jc.renewal.RenewalComparison, tmp_path: Path) -> None:
    council = examples.toyama()
    r = report.council_report(council, renewal=comparison)
    names = [s.name for s in r.sheets]
    assert names == ["参加団体", "継続・切替の判断 選択肢比較", "継続・切替の判断 団体別費用", "継続・切替の判断 不確実性"]
    members = r.sheet("継続・切替の判断 団体別費用")
    totals = members.totals()
    assert totals is not None
    for k, name in enumerate(comparison.option_names):
        assert totals[members.column(f"cost_{k}")] == comparison.total(name)
    en = report.council_report(council, renewal=comparison, lang="en")
    assert [s.name for s in en.sheets][1:] == ["Continue or switch Options", "Continue or switch Members",
                                               "Continue or switch Uncertainty"]
    with pytest.raises(jc.ValidationError, match="renewal"):
        report.council_report(council, renewal=comparison.views()[0])  # type: ignore[arg-type]
    pytest.importorskip("matplotlib")
    page = r.to_html()
    assert "継続・切替の判断: 選択肢ごとの累積費用" in page and "data:image/png;base64," in page
    assert "Continue or switch: cumulative cost per option" in en.to_html()
    assert "累積費用" not in r.to_html(charts=False)


def test_report_command_takes_the_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "r.html"
    code, _, err = run(["report", str(DATA / "toyama.toml"), "--renewal-options", str(DATA / "toyama_renewal.toml"),
                        "--no-charts", "-o", str(page)], capsys)
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert "継続・切替の判断" in text and "移行スケジュール" not in text


def test_chart_of_cumulative_costs(comparison: jc.renewal.RenewalComparison) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from jichitai_cloud.report.plots import plot_renewal

    plt.close("all")
    current = plt.figure()
    before = plt.get_fignums()
    ax = plot_renewal(comparison)
    assert plt.get_fignums() == before and current.axes == [] and ax.figure is not current
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(comparison.option_names)
    assert ax.get_ylabel() == "億円" and ax.get_xlabel().startswith("経過月数") and "累積費用" in ax.get_title()
    for line, name in zip(ax.get_lines(), comparison.option_names, strict=True):
        y = line.get_ydata()
        assert len(y) == comparison.horizon_months
        assert y[-1] * 100_000_000 == pytest.approx(comparison.total(name))  # the last month is the total
    legend = ax.get_legend()
    assert legend.get_bbox_to_anchor().x0 >= ax.get_window_extent().x1 - 1  # outside the plotting area
    fig = Figure()
    mine = fig.subplots()
    en = plot_renewal(comparison, ax=mine, lang="en")
    assert en is mine and fig.axes == [mine] and en.get_ylabel() == "100 million yen"
    small = jc.renewal.compare_renewal(examples.toyama(), [
        jc.renewal.RenewalOption("継続", monthly_fee=1_000_000, rule=jc.AllocationRule(ratios="3:7"))], horizon_months=12)
    assert plot_renewal(small).get_ylabel() == "百万円"
    plt.close("all")
