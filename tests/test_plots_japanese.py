"""Charts with ``lang="ja"`` draw Japanese text without missing glyphs, with the plot extra's font alone."""

from __future__ import annotations

import importlib.util
import warnings
from typing import Any

import pytest

import jichitai_cloud as jc

pytest.importorskip("matplotlib")
if importlib.util.find_spec("matplotlib_fontja") is None:  # not imported here: its import sets rcParams
    pytest.skip("the plot extra's font package matplotlib-fontja is not installed", allow_module_level=True)


def _missing_glyphs(text: Any) -> list[str]:
    """Characters of a Text artist that none of its font families can draw.

    matplotlib 3.11 falls back to its "Last Resort" font, which draws a box for any character
    without a warning; so the families are checked directly, the last-resort font left out.
    """
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    fonts = []
    for family in text.get_fontfamily():
        path = font_manager.findfont(font_manager.FontProperties(family=[family]), fallback_to_default=False)
        if "LastResort" not in path:
            fonts.append(FT2Font(path))
    return [ch for ch in text.get_text() if not ch.isspace()
            and not any(f.get_char_index(ord(ch)) for f in fonts)]


def test_plot_effect_ja_has_no_missing_glyphs() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from jichitai_cloud.allocation import EffectTable
    from jichitai_cloud.report.plots import japanese_font, plot_effect

    before = list(matplotlib.rcParams["font.family"])
    council = jc.examples.toyama()
    fig = Figure()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*Glyph .* missing", category=UserWarning)
        ax = plot_effect(EffectTable.from_published(council), ax=fig.subplots(), lang="ja")
        fig.canvas.draw()  # glyphs are looked up when the text is rendered
    legend = list(ax.get_legend().get_texts())
    assert [t.get_text() for t in legend] == ["現行経費", "クラウド利用料"]
    for text in [ax.title, ax.yaxis.label, *legend, *ax.get_xticklabels()]:
        assert _missing_glyphs(text) == [], text.get_text()
    assert ax.get_ylabel() == "億円"
    assert ax.title.get_fontfamily()[0] == "IPAexGothic"
    assert japanese_font()[0] == "IPAexGothic"
    assert list(matplotlib.rcParams["font.family"]) == before  # the caller's settings are left alone


def test_plot_schedule_ja_has_no_missing_glyphs() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from jichitai_cloud.report.plots import plot_schedule

    plan = jc.schedule.plan_migration(jc.examples.toyama_schedule(), starts="planned")
    fig = Figure()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*Glyph .* missing", category=UserWarning)
        ax = plot_schedule(plan, ax=fig.subplots(), lang="ja")
        fig.canvas.draw()
    texts = [ax.title, ax.xaxis.label, *ax.get_legend().get_texts(), *ax.get_xticklabels()]
    assert any(any(ord(ch) > 0x3000 for ch in t.get_text()) for t in texts)  # Japanese labels are there
    for text in texts:
        assert _missing_glyphs(text) == [], text.get_text()
