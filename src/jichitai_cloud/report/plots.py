"""Charts for a council's reports (matplotlib, an optional extra: ``pip install 'jichitai-cloud[plot]'``).

matplotlib is imported inside each function, so importing this module costs nothing without it.
Every function draws on an ``Axes`` you pass (``ax=``) and returns it; without ``ax`` it draws on
a new :class:`matplotlib.figure.Figure` of its own (``ax.figure``), never on pyplot's current
figure or axes, so a chart can be drawn in a script, a notebook or a server without touching the
caller's plots.  Labels are in Japanese by default (``lang="en"``: English); members are shown by
name; the legend is placed outside the plotting area so it never covers a bar.

>>> from matplotlib.figure import Figure                          # doctest: +SKIP
>>> fig = Figure(figsize=(8, 4), layout="constrained")           # doctest: +SKIP
>>> ax = plot_effect(allocation, ax=fig.subplots())              # doctest: +SKIP
>>> fig.savefig("effect.png")                                    # doctest: +SKIP
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from .._display import check_lang

if TYPE_CHECKING:  # pragma: no cover
    from ..allocation import Allocation, EffectTable
    from ..renewal import RenewalComparison
    from ..schedule import MigrationPlan

__all__ = ["japanese_font", "plot_effect", "plot_renewal", "plot_schedule"]

OKU = 100_000_000
"""One 億円 (100 million yen), the unit of the source document's tables. [yen]"""


def _axes(ax: Any, figsize: tuple[float, float]) -> Any:
    """``ax``, or the axes of a new Figure of its own (never pyplot's current figure)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError("plots need matplotlib, an optional extra: pip install 'jichitai-cloud[plot]'") from exc
    if ax is None:
        ax = Figure(figsize=figsize, layout="constrained").subplots()
    return ax


@functools.cache
def _families() -> tuple[str, ...]:
    import matplotlib

    try:
        with matplotlib.rc_context():  # the package sets rcParams on import; keep the caller's
            import matplotlib_fontja  # type: ignore[import-untyped]
        from matplotlib import font_manager

        font_manager.fontManager.addfont(matplotlib_fontja.get_font_ttf_path())
    except ImportError:  # pragma: no cover - exercised only without the plot extra's font
        return tuple(matplotlib.rcParams["font.family"])
    return ("IPAexGothic", *matplotlib.rcParams["font.family"])


def japanese_font(*, apply: bool = False) -> tuple[str, ...]:
    """Font families for Japanese text: the plot extra's IPAexGothic first, registered with matplotlib.

    The ``plot`` extra installs ``matplotlib-fontja``, which ships the IPAexGothic font (IPA Font
    License); it is registered with matplotlib's font manager.  The charts of this module use it
    on their own text and leave the global settings alone.  For your own charts, call
    ``japanese_font(apply=True)`` once (e.g. at the top of a notebook): it makes these families
    matplotlib's default (``rcParams["font.family"]``), so every later chart draws Japanese.
    Without ``matplotlib-fontja`` the families configured in ``rcParams`` are returned (Japanese
    text then needs a Japanese font installed on the machine).

    Parameters
    ----------
    apply
        Also set ``matplotlib.rcParams["font.family"]`` to the returned families.

    Returns
    -------
    tuple of str
        Families for ``fontfamily=`` / ``FontProperties(family=…)``, first choice first.

    Examples
    --------
    >>> from jichitai_cloud.report.plots import japanese_font     # doctest: +SKIP
    >>> japanese_font(apply=True)                                 # doctest: +SKIP
    ('IPAexGothic', 'sans-serif')
    """
    families = _families()
    if apply:
        import matplotlib

        matplotlib.rcParams["font.family"] = list(families)
    return families


def _font(lang: str) -> dict[str, Any]:
    """Keyword arguments giving a text artist the Japanese font (for ``lang="ja"``)."""
    return {"fontfamily": list(_families())} if lang == "ja" else {}


def _names_font() -> dict[str, Any]:
    """Keyword arguments for member names, which are Japanese in either language (射水市 in an English chart too)."""
    return {"fontfamily": list(_families())}


def _legend(ax: Any, lang: str, size: float | None = None) -> None:
    """The legend to the right of the plotting area, outside it: it never covers a bar."""
    prop: dict[str, Any] = {}
    if lang == "ja":
        prop["family"] = list(_families())
    if size is not None:
        prop["size"] = size
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False, prop=prop or None)


MAX_LABELLED = 60
"""Most members labelled one by one in :func:`plot_effect` (name and reduction rate); a larger
council gets every k-th name and no rates, so a chart of 1,741 members draws in about a second."""

MAX_FIGURE_WIDTH = 40.0
"""Widest figure :func:`plot_effect` makes on its own. [inches]"""

_LABELS = {
    "ja": ("現行経費", "クラウド利用料", "億円", "導入効果: 現行経費とクラウド利用料"),
    "en": ("Current cost", "Cloud fee", "100 million yen", "Five-year effect: current cost and cloud fee"),
}


def _bars(ax: Any, left: list[int] | list[float], heights: list[float], width: float, *, label: str,
          color: str) -> None:
    """Bars as one ``PolyCollection`` (for many members), autoscaled like ``ax.bar``."""
    from matplotlib.collections import PolyCollection

    boxes = [[(x0, 0.0), (x0, h), (x0 + width, h), (x0 + width, 0.0)] for x0, h in zip(left, heights, strict=True)]
    ax.add_collection(PolyCollection(boxes, facecolors=color, edgecolors="none", label=label))
    ax.autoscale_view()


def plot_effect(effect: EffectTable | Allocation, *, ax: Any = None, title: str | None = None,
                lang: str = "ja") -> Any:
    """Bar chart of the five-year effect (導入効果): current cost against cloud fee for each member.

    Parameters
    ----------
    effect
        An :class:`~jichitai_cloud.allocation.EffectTable` (e.g. ``EffectTable.from_published(council)``)
        or an :class:`~jichitai_cloud.allocation.Allocation` (its :meth:`effect_table` is drawn).
    ax
        A matplotlib ``Axes`` to draw on; by default a new figure of its own (``ax.figure``).
    title
        Chart title; default a title in ``lang``.
    lang
        ``"ja"`` (default: Japanese labels drawn with the plot extra's Japanese font, see
        :func:`japanese_font`; no font needs to be installed on the machine) or ``"en"``.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per member, labelled with the member's name, in 億円 (current cost 現行経費, cloud
        fee クラウド利用料), each pair labelled with its reduction rate (削減率) in percent; the
        legend outside the plotting area. [億円, %]
    """
    lang = check_lang(lang)
    current_label, fee_label, unit_label, default_title = _LABELS[lang]
    table = effect.effect_table() if hasattr(effect, "effect_table") else effect
    rows = table.rows
    ax = _axes(ax, (min(max(6.0, 1.1 * len(rows) + 2.5), MAX_FIGURE_WIDTH), 4.0))
    x = list(range(len(rows)))
    every = -(-len(rows) // MAX_LABELLED)  # 1 up to MAX_LABELLED members; then every k-th label
    current = [r.current_cost / OKU for r in rows]
    fee = [r.cloud_fee / OKU for r in rows]
    width = 0.38
    if every == 1:
        ax.bar([i - width / 2 for i in x], current, width, label=current_label)
        ax.bar([i + width / 2 for i in x], fee, width, label=fee_label)
    else:  # one artist per series: a thousand Rectangle patches take seconds to lay out
        _bars(ax, [i - width for i in x], current, width, label=current_label, color="C0")
        _bars(ax, x, fee, width, label=fee_label, color="C1")
        ax.set_xlim(-1, len(rows))
    for i, r in enumerate(rows):
        pct = r.reduction_percent
        if pct is not None and every == 1:
            ax.annotate(f"-{pct}%", (i, max(current[i], fee[i])), ha="center", va="bottom", fontsize=9)
    font = _font(lang)
    names = [r.name or r.code for r in rows]
    long = max((len(n) for n in names), default=0) > 4 or len(rows) > 8
    ax.set_xticks(x[::every], names[::every], rotation=30 if long else 0, ha="right" if long else "center",
                  **_names_font())
    ax.set_ylabel(unit_label, **font)
    ax.set_title(title if title is not None else default_title, **font)
    _legend(ax, lang)
    ax.margins(y=0.12)
    return ax


_GANTT_LABELS = {
    "ja": ("現行システム", "移行作業", "クラウド", "延長・並行稼働", "移行不可月", "年月 (年度初め)", "移行スケジュール"),
    "en": ("Current system", "Migration", "Cloud", "Extension / parallel run", "Blackout month",
           "Month (start of fiscal year)", "Migration schedule"),
}


def plot_schedule(plan: MigrationPlan, *, ax: Any = None, title: str | None = None, lang: str = "ja",
                  milestones: bool = True) -> Any:
    """Gantt chart of a migration plan: per member the current system, the migration work and the cloud.

    Parameters
    ----------
    plan
        A :class:`~jichitai_cloud.schedule.MigrationPlan`.
    ax
        A matplotlib ``Axes`` to draw on; by default a new figure of its own (``ax.figure``).
    title
        Chart title (default: the schedule's name in ``lang="ja"``, "Migration schedule" in English).
    lang
        ``"ja"`` (default: Japanese labels, 和暦 months, drawn with the plot extra's Japanese font,
        see :func:`japanese_font`) or ``"en"`` (months as ``2015-04``).
    milestones
        Draw the schedule's milestones as dotted vertical lines.

    Returns
    -------
    matplotlib.axes.Axes
        One row per member, labelled with its name (first member at the top); x in month numbers
        (:attr:`~jichitai_cloud.Month.index`) labelled at each fiscal year's April; the legend
        outside the plotting area. [months]
    """
    lang = check_lang(lang)
    cur_l, mig_l, cloud_l, ext_l, black_l, month_l, default_title = _GANTT_LABELS[lang]
    from ..calendar import Month

    sch = plan.schedule
    n = len(sch.members)
    ax = _axes(ax, (9.0, min(max(3.0, 0.45 * n + 1.8), MAX_FIGURE_WIDTH)))
    every = -(-n // MAX_LABELLED)
    h0, h1 = sch.horizon_start.index, sch.horizon_end.index + 1
    mig = plan.migration_starts()
    ends = plan.system_ends()
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
    font = _font(lang)
    ax.set_xticks([t.index for t in ticks], [t.era_short() if lang == "ja" else t.iso() for t in ticks],
                  rotation=45, **font)
    ax.set_yticks(list(range(n))[::every], [m.name or m.code for m in reversed(sch.members)][::every],
                  **_names_font())
    ax.set_xlim(h0, h1)
    ax.set_xlabel(month_l, **font)
    ax.set_title(title if title is not None else (sch.name if lang == "ja" else default_title), **font)
    _legend(ax, lang, size=8)
    return ax


_RENEWAL_LABELS = {
    "ja": ("経過月数 (か月)", "億円", "百万円", "継続・切替の累積費用"),
    "en": ("Months from the start", "100 million yen", "million yen", "Continue or switch: cumulative cost"),
}


def plot_renewal(comparison: RenewalComparison, *, ax: Any = None, title: str | None = None,
                 lang: str = "ja") -> Any:
    """Cumulative cost of each renewal option over the months (継続・切替の累積費用).

    Parameters
    ----------
    comparison
        A :class:`~jichitai_cloud.renewal.RenewalComparison` (``renewal.compare_renewal(...)``).
    ax
        A matplotlib ``Axes`` to draw on; by default a new figure of its own (``ax.figure``).
    title
        Chart title; default a title in ``lang``.
    lang
        ``"ja"`` (default: Japanese labels drawn with the plot extra's Japanese font, see
        :func:`japanese_font`) or ``"en"``.

    Returns
    -------
    matplotlib.axes.Axes
        One line per option (its name in the legend, outside the plotting area): the cumulative cost
        at the end of each month (:meth:`~jichitai_cloud.renewal.RenewalComparison.cumulative`; the
        one-off costs and double running in the first month), x in months from the start with a tick
        every 12 months, y in 億円 (百万円 when every amount is below 1 億円) with thousands
        separators.  Where a switching line crosses the incumbent's, switching has paid for itself.
        [months, 億円 or 百万円]
    """
    lang = check_lang(lang)
    x_label, oku_label, million_label, default_title = _RENEWAL_LABELS[lang]
    h = comparison.horizon_months
    ax = _axes(ax, (8.0, 4.2))
    paths = {name: comparison.cumulative(name) for name in comparison.option_names}
    top = max((int(p[-1]) for p in paths.values()), default=0)
    unit, unit_label = (OKU, oku_label) if top >= OKU else (1_000_000, million_label)
    months = list(range(1, h + 1))
    for k, (name, path) in enumerate(paths.items()):
        ax.plot(months, [int(v) / unit for v in path], label=name, linewidth=2.4 if k == 0 else 1.6)
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: f"{y:,.1f}" if unit == OKU else f"{y:,.0f}"))
    ax.xaxis.set_major_locator(MultipleLocator(12 if h > 24 else (6 if h > 6 else 1)))
    ax.set_xlim(0, h)
    ax.set_ylim(bottom=0)
    font = _font(lang)
    ax.set_xlabel(x_label, **font)
    ax.set_ylabel(unit_label, **font)
    ax.set_title(title if title is not None else f"{default_title} ({h}{'か月' if lang == 'ja' else ' months'})",
                 **font)
    ax.grid(True, axis="y", alpha=0.3)
    _legend(ax, "ja", size=9)  # the options' names are the council's own (Japanese) in either language
    return ax
