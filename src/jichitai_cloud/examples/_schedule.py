"""The bundled migration schedules of the Toyama example, read through :mod:`jichitai_cloud.io`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import MigrationSchedule

__all__ = ["toyama_schedule"]


def toyama_schedule(table: str = "core") -> MigrationSchedule:
    """A migration schedule of the source document (``toyama_schedule.toml``).

    Parameters
    ----------
    table
        ``"core"``: the six-member core-systems schedule (基幹系(住民記録等)システム移行スケジュール:
        C, E, F from H27.04, A, B, D from H27.07, migration work from H27.01); ``"update"``: the
        thirteen-municipality update table (次期システム更新予定: C, E, F, A, G H27.04; B, D H27.07;
        H H28.04; I H28.09; J H29.11; K H30.07; L H30.12; M H32.03), each current system ending the
        month before.  Both carry the My Number schedule rows as milestones.

    Notes
    -----
    The dates are the document's; **every monthly amount is illustrative** (A–F: the five-year
    current cost and published cloud fee divided by 60; G–M invented), as are the migration
    windows, the capacity (3 cutovers a month), the busy season (March, April, June) and the three
    months of tests and training.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局, 「富山県情報システム共同利用推進協議会における
    自治体クラウド導入について」, 平成28年2月: 次期システム更新予定; 基幹系(住民記録等)システム移行スケジュール.
    """
    from .. import io
    from . import data_path

    return io.load_schedule(data_path("toyama_schedule.toml"), name=table)
