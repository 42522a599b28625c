"""Renewal options files (TOML or JSON): continue or switch (サービス継続・切替の判断), priced.

A file holds the options in order, the first being the incumbent (continue), as ``[[options]]``
tables whose keys are :class:`~jichitai_cloud.renewal.RenewalOption`'s keywords, and optionally the
settings of the comparison at the top level::

    horizon_months = 60          # months priced (default 60)
    discount_rate = 0.01         # a year (default 0)
    start = "R8.04"              # first month (shown only)
    note = "illustrative"

    [[options]]
    name = "継続 (現行ベンダー)"
    monthly_fee = 23000000                       # the council's, split with the rule
    yearly_change = 0.02
    rule = { ratios = { equal = 3, population = 7 }, min_reduction = 0.3 }
    service = { availability = 0.998, incidents_per_year = 3, source = "運用実績" }

    [[options]]
    name = "切替 (標準準拠システム)"
    monthly_fee = { A = 9000000, B = 4000000 }   # or per member (every member named)
    one_off = { A = 30000000, B = 12000000 }     # データ移行費用 etc., per member
    council_one_off = 40000000                   # 再調達
    parallel_months = 3                          # 二重稼働

    [uncertain."切替 (標準準拠システム)"]          # ranges drawn with --samples
    monthly_fee = [0.9, 1.15]
    one_off = [0.8, 1.5]

Every problem is reported with its place (``options[2].monthly_fee: …``), the file read through the
package's one bounded reader (regular files only, 100 MB unless ``max_bytes=``).
"""

from __future__ import annotations

import os

from ..renewal import RenewalPlan
from ._document import load_object

__all__ = ["load_renewal_options"]


def load_renewal_options(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> RenewalPlan:
    """Read the options of a renewal decision (and the comparison's settings) from a TOML or JSON file.

    Parameters
    ----------
    path
        The ``.toml`` or ``.json`` file (see the module docs for its layout).
    max_bytes
        Largest file read (default 100 MB, :data:`~jichitai_cloud.io._read.MAX_FILE_BYTES`). [bytes]

    Returns
    -------
    RenewalPlan
        ``.options`` in order (the first is the incumbent) and ``horizon_months``,
        ``discount_rate``, ``start``, ``uncertain``; :meth:`~jichitai_cloud.renewal.RenewalPlan.compare`
        prices them for a council.

    Raises
    ------
    InputError
        Every problem, each with its place, e.g. ``options.toml: options[1].monthly_fee: monthly_fee
        must be an integer >= 0 and < 10**15 [yen], got -5``; an unknown key, a missing name, double
        running on the incumbent (``options[0].parallel_months``), a name used twice.
    """
    return load_object(path, RenewalPlan, max_bytes=max_bytes)
