"""The bundled coalition cost model of the Toyama example, read through :mod:`jichitai_cloud.io`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..games import QuoteTable, ScaleEconomyModel

__all__ = ["toyama_games"]


def toyama_games() -> QuoteTable | ScaleEconomyModel:
    """The illustrative coalition cost model of the Toyama council (``toyama_games.toml``).

    A :class:`~jichitai_cloud.games.ScaleEconomyModel` fitted to four quotes for councils of
    different populations, chosen so that the whole council costs the published 13.9 億円; a member
    alone pays its current cost (現行経費).  **The quotes are illustrative**: the source document
    publishes no quotes for groups smaller than the whole council.

    Returns
    -------
    QuoteTable or ScaleEconomyModel
        The model (today a :class:`~jichitai_cloud.games.ScaleEconomyModel`).
    """
    from .. import io
    from . import data_path

    return io.load_cost_model(data_path("toyama_games.toml"))
