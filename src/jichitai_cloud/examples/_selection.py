"""The bundled participant-selection example of Toyama prefecture, read through :mod:`jichitai_cloud.io`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..selection import SelectionProblem

__all__ = ["toyama_selection"]


def toyama_selection() -> SelectionProblem:
    """The fifteen municipalities of Toyama prefecture as candidates for one shared cloud (illustrative).

    Codes and populations from the 2005 national census (``toyama_municipalities_census_2005.csv``,
    Toyama prefecture's statistics office); the current costs and contract ends of the six members of
    the 2015 council (read here as A 射水市, B 滑川市, C 入善町, D 上市町, E 朝日町, F 舟橋村) from the
    source document; a cost curve fitted to those six current costs against population, which also
    estimates the nine others' current costs; borders read from the map (approximate); the other
    contract ends invented.  Conditions: at most 6 members, contract ends within 3 months, town halls
    within 50 km; the rule 均等割:人口割 = 3:7 with 最低3割削減.  **Illustrative.**

    References
    ----------
    富山県情報システム共同利用推進協議会事務局, 「富山県情報システム共同利用推進協議会における
    自治体クラウド導入について」, 平成28年2月.
    """
    from .. import io
    from . import data_path

    return io.load_selection(data_path("toyama_selection.toml"))
