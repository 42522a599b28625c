"""The bundled customization register of the Toyama council."""

from __future__ import annotations

import functools

from ..model import CustomizationRegister

__all__ = ["toyama_customization"]


@functools.cache
def toyama_customization() -> CustomizationRegister:
    """The customization register of the source document's council (A–F).

    The 31 requests of the source document's comparison table (カスタマイズ要望比較一覧表), cleaned
    (its OCR text is garbled; what is reconstructed is marked in each request's ``reconstructed``),
    with illustrative willingness to pay, meeting records and fit & gap items.  Apply it to the
    council with ``toyama_customization().apply_to(jichitai_cloud.examples.toyama())``.

    Read from the bundled ``toyama_customization.toml`` through :func:`jichitai_cloud.io.load`.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ要望比較一覧表 (2014年8月6日).
    """
    from .. import io
    from . import data_path

    register: CustomizationRegister = io.load(data_path("toyama_customization.toml"), CustomizationRegister)
    return register
