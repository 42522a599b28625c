"""Procurement files (調達): the evaluation scheme and the proposals, in TOML or JSON.

A procurement file holds ``name``, a ``[scheme]`` table (its ``[[scheme.components]]`` with their
criteria) and ``[[proposals]]`` (vendor, bid and each judge's ``[[proposals.scores]]``); its keys
are the attribute names of :class:`~jichitai_cloud.Procurement` (see ``docs/data-format.md``).
"""

from __future__ import annotations

from ..model import Procurement
from ._document import PathLike, load_object

__all__ = ["load_procurement"]


def load_procurement(path: PathLike, *, encoding: str = "auto", max_bytes: int | None = None) -> Procurement:
    """Read a procurement (scheme and proposals) from a ``.toml`` or ``.json`` file.

    Parameters
    ----------
    path
        The procurement file.
    encoding
        Text encoding, ``"auto"`` for UTF-8 (BOM optional) then CP932.
    max_bytes
        Largest file read (default 100 MB). [bytes]

    Returns
    -------
    Procurement
        The validated, immutable procurement, ready for :func:`jichitai_cloud.evaluate`.

    Raises
    ------
    InputError
        One error listing every problem with its location (``proc.toml: proposals[2].bid: …``).
    """
    return load_object(path, Procurement, encoding=encoding, max_bytes=max_bytes)
