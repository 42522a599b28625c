"""Service level agreement metrics (SLA項目)."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from .. import _validators as v

__all__ = ["Direction", "SLAMetric", "Window"]


class Direction(enum.StrEnum):
    """Which way is better for a metric."""

    HIGHER = "higher"
    """Higher is better (availability 稼働率)."""
    LOWER = "lower"
    """Lower is better (recovery time)."""


class Window(enum.StrEnum):
    """The calendar window a metric is measured over (Japan time; quarters and years are fiscal)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


def _to_direction(value: Any) -> Direction:
    result: Direction = v.to_enum(Direction, "direction")(value)
    return result


def _to_window(value: Any) -> Window:
    result: Window = v.to_enum(Window, "window")(value)
    return result


@attrs.frozen(kw_only=True, slots=True)
class SLAMetric:
    """One service level agreement item (SLA項目) monitored monthly (SLM).

    Parameters
    ----------
    id
        Short identifier, e.g. ``"availability"``.
    name
        Name, e.g. ``"稼働率"``.
    unit
        Unit of measurement, e.g. ``"%"``, ``"minutes"``, ``"hours"``, ``"count"``.
    target
        Target value, in :attr:`unit` (99.5 for the national non-functional standard's 99.5 %).
    direction
        ``"higher"`` or ``"lower"`` is better.
    window
        Measurement window: ``"monthly"``, ``"quarterly"`` or ``"yearly"``.
    weight
        Weight or points of the item in an overall achievement score. [points]
    description
        How it is measured.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    name: str = attrs.field(validator=v.non_empty_text())
    unit: str = attrs.field(validator=v.non_empty_text())
    target: float = attrs.field(validator=v.real())
    direction: Direction = attrs.field(default=Direction.HIGHER, converter=_to_direction)
    window: Window = attrs.field(default=Window.MONTHLY, converter=_to_window)
    weight: float = attrs.field(default=1.0, validator=v.real(min=0, unit="points"))
    description: str = attrs.field(default="", validator=v.text())

    def meets(self, value: float) -> bool:
        """Whether ``value`` (in :attr:`unit`) meets the target."""
        return value >= self.target if self.direction is Direction.HIGHER else value <= self.target
