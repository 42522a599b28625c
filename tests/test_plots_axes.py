"""Charts draw on the axes given or on a figure of their own (never pyplot's current one), show member
names, keep the legend off the bars, and speak Japanese by default."""

from __future__ import annotations

from typing import Any

import pytest

import jichitai_cloud as jc

pytest.importorskip("matplotlib")


@pytest.fixture(autouse=True)
def _agg() -> None:
    import matplotlib

    matplotlib.use("Agg")


def _plan() -> Any:
    return jc.schedule.plan_migration(jc.examples.toyama_schedule(), starts="planned")


def _effect() -> Any:
    council = jc.examples.toyama()
    return jc.allocate(council, 1_390_000_000, jc.AllocationRule(ratios="3:7", min_reduction=0.3))


@pytest.mark.parametrize("draw", ["effect", "schedule"])
def test_no_pyplot_state_is_touched(draw: str) -> None:
    import matplotlib.pyplot as plt

    from jichitai_cloud.report.plots import plot_effect, plot_schedule

    plt.close("all")
    current = plt.figure()
    before = plt.get_fignums()
    ax = plot_effect(_effect()) if draw == "effect" else plot_schedule(_plan())
    assert plt.get_fignums() == before  # no new pyplot figure
    assert plt.gcf() is current and current.axes == []  # the current figure is left empty
    assert ax.figure is not current
    # with ax= it draws there and nowhere else
    from matplotlib.figure import Figure

    fig = Figure()
    mine = fig.subplots()
    got = plot_effect(_effect(), ax=mine) if draw == "effect" else plot_schedule(_plan(), ax=mine)
    assert got is mine and fig.axes == [mine] and current.axes == []
    plt.close("all")


def test_effect_chart_shows_names_in_japanese_by_default() -> None:
    from jichitai_cloud.report.plots import plot_effect

    alloc = _effect()
    ax = plot_effect(alloc)
    names = [m.name for m in alloc.members]
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert ax.get_ylabel() == "億円" and "導入効果" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["現行経費", "クラウド利用料"]
    en = plot_effect(alloc, lang="en")
    assert en.get_ylabel() == "100 million yen"
    assert [t.get_text() for t in en.get_xticklabels()] == names  # names, not codes, in English too


def test_schedule_chart_shows_names_in_japanese_by_default() -> None:
    from jichitai_cloud.report.plots import plot_schedule

    plan = _plan()
    ax = plot_schedule(plan)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [m.name or m.code for m in reversed(plan.schedule.members)]
    assert not set(labels) & {m.code for m in plan.schedule.members if m.name}
    assert ax.get_xlabel().startswith("年月")
    assert any(t.get_text().startswith(("H", "R")) for t in ax.get_xticklabels())  # 和暦
    assert plot_schedule(plan, lang="en").get_xlabel().startswith("Month")
    with pytest.raises(jc.ValidationError, match="lang"):
        plot_schedule(plan, lang="de")


@pytest.mark.parametrize("draw", ["effect", "schedule"])
def test_legend_never_covers_a_bar(draw: str) -> None:
    from jichitai_cloud.report.plots import plot_effect, plot_schedule

    ax = plot_effect(_effect()) if draw == "effect" else plot_schedule(_plan())
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    for artist in [*ax.patches, *ax.collections]:
        box = artist.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            assert not legend.overlaps(box), artist


def test_japanese_font_can_be_applied_once() -> None:
    import matplotlib

    from jichitai_cloud.report.plots import japanese_font

    families = japanese_font()
    with matplotlib.rc_context():
        assert japanese_font(apply=True) == families
        assert list(matplotlib.rcParams["font.family"]) == list(families)
