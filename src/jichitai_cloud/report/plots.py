"""Charts for a council's reports (matplotlib, an optional extra: ``pip install 'jichitai-cloud[plot]'``).

matplotlib is imported inside each function, so importing this module costs nothing without it.
Every function draws on an ``Axes`` you may pass (``ax=``) and returns it, so charts can be
combined into a figure or saved with ``ax.figure.savefig("effect.png")``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..allocation import Allocation, EffectTable
    from ..schedule import MigrationPlan

__all__ = ["japanese_font", "plot_effect", "plot_schedule"]

OKU = 100_000_000
"""One 億円 (100 million yen), the unit of the source document's tables. [yen]"""


def _axes(ax: Any) -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError("plots need matplotlib, an optional extra: pip install 'jichitai-cloud[plot]'") from exc
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 4))
    return ax


@functools.cache
def japanese_font() -> tuple[str, ...]:
    """Font families for Japanese text: the plot extra's IPAexGothic first, registered with matplotlib.

    The ``plot`` extra installs ``matplotlib-fontja``, which ships the IPAexGothic font
    (IPA Font License); it is registered with matplotlib's font manager without changing the
    global ``rcParams``.  Without that package the families configured in ``rcParams`` are used
    (Japanese text then needs a Japanese font installed on the machine).

    Returns
    -------
    tuple of str
        Families for ``fontfamily=`` / ``FontProperties(family=…)``, first choice first.
    """
    import matplotlib

    try:
        with matplotlib.rc_context():  # the package sets rcParams on import; keep the caller's
            import matplotlib_fontja  # type: ignore[import-untyped]
        from matplotlib import font_manager

        font_manager.fontManager.addfont(matplotlib_fontja.get_font_ttf_path())
    except ImportError:  # pragma: no cover - exercised only without the plot extra's font
        return tuple(matplotlib.rcParams["font.family"])
    return ("IPAexGothic", *matplotlib.rcParams["font.family"])


_LABELS = {
    "en": ("current cost", "cloud fee", "100 million yen", "five-year effect: current cost against cloud fee"),
    "ja": ("現行経費", "クラウド利用料", "億円", None),
}


def plot_effect(effect: EffectTable | Allocation, *, ax: Any = None, title: str | None = None,
                lang: str = "en") -> Any:
    """Bar chart of the five-year effect (導入効果): current cost against cloud fee for each member.

    Parameters
    ----------
    effect
        An :class:`~jichitai_cloud.allocation.EffectTable` (e.g. ``EffectTable.from_published(council)``)
        or an :class:`~jichitai_cloud.allocation.Allocation` (its :meth:`effect_table` is drawn).
    ax
        A matplotlib ``Axes`` to draw on; a new figure if omitted.
    title
        Chart title; default a title in ``lang``.
    lang
        ``"en"`` (English labels, drawable with matplotlib's default font) or ``"ja"`` (Japanese labels
        and the table's own Japanese title, drawn with the plot extra's Japanese font, see
        :func:`japanese_font`; no font needs to be installed on the machine).

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per member in 億円 (current cost 現行経費, cloud fee クラウド利用料), each pair labelled
        with its reduction rate (削減率) in percent. [億円, %]
    """
    if lang not in _LABELS:
        from ..errors import ValidationError

        raise ValidationError(f"lang must be 'en' or 'ja', got {lang!r}")
    current_label, fee_label, unit_label, default_title = _LABELS[lang]
    table = effect.effect_table() if hasattr(effect, "effect_table") else effect
    ax = _axes(ax)
    rows = table.rows
    x = list(range(len(rows)))
    current = [r.current_cost / OKU for r in rows]
    fee = [r.cloud_fee / OKU for r in rows]
    width = 0.38
    ax.bar([i - width / 2 for i in x], current, width, label=current_label)
    ax.bar([i + width / 2 for i in x], fee, width, label=fee_label)
    for i, r in enumerate(rows):
        pct = r.reduction_percent
        if pct is not None:
            ax.annotate(f"-{pct}%", (i, max(current[i], fee[i])), ha="center", va="bottom", fontsize=9)
    font: dict[str, Any] = {"fontfamily": list(japanese_font())} if lang == "ja" else {}
    ax.set_xticks(x, [r.code for r in rows], **font)
    ax.set_ylabel(unit_label, **font)
    ax.set_title(title if title is not None else (default_title or table.title), **font)
    ax.legend(loc="upper right", prop={"family": font["fontfamily"]} if font else None)
    ax.margins(y=0.12)
    return ax


_GANTT_LABELS = {
    "en": ("current system", "migration", "cloud", "extension / parallel", "blackout", "month"),
    "ja": ("現行", "移行", "クラウド", "延長・並行稼働", "移行不可月", "年月"),
}


def plot_schedule(plan: MigrationPlan, *, ax: Any = None, title: str | None = None, lang: str = "en",
                  milestones: bool = True) -> Any:
    """Gantt chart of a migration plan: per member the current system, the migration work and the cloud.

    Parameters
    ----------
    plan
        A :class:`~jichitai_cloud.schedule.MigrationPlan`.
    ax
        A matplotlib ``Axes`` to draw on; a new figure if omitted.
    title
        Chart title (default: the schedule's name in ``lang="ja"``, else "migration schedule").
    lang
        ``"en"`` or ``"ja"`` (Japanese labels, drawn with the plot extra's Japanese font, see
        :func:`japanese_font`).
    milestones
        Draw the schedule's milestones as dotted vertical lines.

    Returns
    -------
    matplotlib.axes.Axes
        One row per member (first member at the top); x in month numbers
        (:attr:`~jichitai_cloud.Month.index`) labelled at each fiscal year's April. [months]
    """
    if lang not in _GANTT_LABELS:
        from ..errors import ValidationError

        raise ValidationError(f"lang must be 'en' or 'ja', got {lang!r}")
    cur_l, mig_l, cloud_l, ext_l, black_l, month_l = _GANTT_LABELS[lang]
    from ..calendar import Month

    ax = _axes(ax)
    sch = plan.schedule
    h0, h1 = sch.horizon_start.index, sch.horizon_end.index + 1
    mig = plan.migration_starts()
    ends = plan.system_ends()
    n = len(sch.members)
    for i, m in enumerate(sch.members):
        y = n - 1 - i
        s, g = plan.starts[i].index, mig[i].index
        contract_end = m.current_system_end.index + 1
        system_end = ends[i].index + 1
        ax.broken_barh([(h0, max(0, min(g, contract_end) - h0))], (y - 0.35, 0.7), color="tab:gray",
                       label=cur_l if i == 0 else None)
        ax.broken_barh([(g, max(0, s - g))], (y - 0.35, 0.7), color="tab:orange", label=mig_l if i == 0 else None)
        ax.broken_barh([(s, max(0, h1 - s))], (y - 0.35, 0.7), color="tab:blue", label=cloud_l if i == 0 else None)
        extra = (contract_end, max(0, system_end - contract_end)) if system_end > contract_end else None
        if m.parallel:
            extra = (s, m.parallel)
        if extra is not None and extra[1] > 0:
            ax.broken_barh([extra], (y - 0.12, 0.24), color="tab:red", label=ext_l if i == 0 else None)
    for k, b in enumerate(plan.blackout):
        ax.axvspan(b.index, b.index + 1, color="black", alpha=0.12, label=black_l if k == 0 else None)
    if milestones:
        for ms in sch.milestones:
            ax.axvline(ms.first.index, color="tab:green", linestyle=":", linewidth=1)
    ticks = [Month(fy, 4) for fy in range(sch.horizon_start.fiscal_year, sch.horizon_end.fiscal_year + 1)]
    font: dict[str, Any] = {"fontfamily": list(japanese_font())} if lang == "ja" else {}
    ax.set_xticks([t.index for t in ticks], [t.era_short() for t in ticks], rotation=45, **font)
    ax.set_yticks(list(range(n)), [m.code for m in reversed(sch.members)], **font)
    ax.set_xlim(h0, h1)
    ax.set_xlabel(month_l, **font)
    ax.set_title(title if title is not None else (sch.name if lang == "ja" else "migration schedule"), **font)
    ax.legend(loc="lower left", fontsize=8, prop={"family": font["fontfamily"], "size": 8} if font else None)
    return ax
