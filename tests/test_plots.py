from __future__ import annotations

from pathlib import Path

import pytest

import jichitai_cloud as jc

pytest.importorskip("matplotlib")


def test_plot_effect_from_published_and_allocation(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from jichitai_cloud.allocation import EffectTable
    from jichitai_cloud.report.plots import plot_effect

    council = jc.examples.toyama()
    ax = plot_effect(EffectTable.from_published(council))
    bars = [p.get_height() for p in ax.patches]
    assert bars[:6] == pytest.approx([9.2, 4.0, 2.5, 2.4, 2.4, 1.1])
    assert bars[6:12] == pytest.approx([5.7, 2.5, 1.8, 1.7, 1.4, 0.8])
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["-38%", "-38%", "-28%", "-29%", "-42%", "-27%"]
    ax.figure.savefig(tmp_path / "effect.png")
    assert (tmp_path / "effect.png").stat().st_size > 1000
    alloc = jc.allocate(council, 1_390_000_000, jc.AllocationRule(ratios="3:7", min_reduction=0.3))
    ax2 = plot_effect(alloc, title="3:7")
    assert ax2.get_title() == "3:7"
    assert len(ax2.patches) == 12
    with pytest.raises(jc.ValidationError, match="lang must be"):
        plot_effect(alloc, lang="fr")
