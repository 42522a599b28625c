"""The government-cloud bill (ガバメントクラウド利用料): FOCUS exports in, every member's monthly bill out."""

from ._focus import COST_SCALE, FOCUS_VERSIONS, TEXT_KEYS, FocusData

__all__ = ["COST_SCALE", "FOCUS_VERSIONS", "TEXT_KEYS", "FocusData"]
