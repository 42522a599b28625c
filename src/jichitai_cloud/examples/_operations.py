"""The bundled operations records of the Toyama council (a year of illustrative data)."""

from __future__ import annotations

from ..operations import OperationsData

__all__ = ["toyama_operations"]


def toyama_operations() -> OperationsData:
    """A year (FY2015) of illustrative operations records for the Toyama council.

    SLA items, the service-hour calendar with the year's holidays, monthly observations, the
    outage log, work records, issues, improvement requests, the schedule and legal-change work.
    The files (``examples/data/toyama_operations*.toml/.csv``) are read through the same code as a
    user's files (:func:`jichitai_cloud.io.load_operations`).
    """
    from .. import io
    from . import data_path

    return io.load_operations(data_path("toyama_operations.toml"))
