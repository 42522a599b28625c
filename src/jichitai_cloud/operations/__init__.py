"""Operations (運用): SLA metrics, monthly service-level monitoring (SLM), penalties, monthly report."""

from . import _kernels as kernels
from ._domain import (
    ALL,
    Achievement,
    Availability,
    Compliance,
    ErrorBudget,
    Observation,
    ObservationTable,
    Outage,
    OutageCause,
    availability_from_outages,
    evaluate_sla,
    incident_observations,
    percentile_observations,
)
from ._time import JST, ServiceCalendar, to_jst

__all__ = [
    "ALL",
    "JST",
    "Achievement",
    "Availability",
    "Compliance",
    "ErrorBudget",
    "Observation",
    "ObservationTable",
    "Outage",
    "OutageCause",
    "ServiceCalendar",
    "availability_from_outages",
    "evaluate_sla",
    "incident_observations",
    "kernels",
    "percentile_observations",
    "to_jst",
]
