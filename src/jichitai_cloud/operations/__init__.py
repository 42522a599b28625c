"""Operations (運用): SLA items, monthly service-level monitoring (SLM), penalties, the monthly report.

After go-live the council's operations subcommittee (運用管理部会) meets every month with the
vendor.  This package gives the secretariat the computations for that cycle:

* availability (稼働率) within service hours from an outage log, in Japan time;
* SLA compliance over metrics x months x members in one vectorised call, with fiscal
  quarterly and yearly windows, error budgets and runs of consecutive misses;
* penalties and credits in integer yen (fee reduction by achievement, penalty points, service
  credits by availability band);
* the monthly report (Markdown, HTML, Excel) and the continue-or-switch scoring.

The pure array kernels are in :mod:`jichitai_cloud.operations.kernels`.
"""

from . import _kernels as kernels
from ._continuity import (
    ContinuityAssessment,
    ContinuityCriterion,
    assess_continuity,
    incumbent_measures,
    scenario_totals,
)
from ._data import OperationsData, load_example, load_operations, read_observations, read_outages, read_work
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
    exact_fraction,
    incident_observations,
    integer_points,
    percentile_observations,
)
from ._penalties import (
    CreditBand,
    FeeReduction,
    FeeReductionRule,
    PenaltyPointRule,
    PenaltyPoints,
    ServiceCredits,
    ServiceCreditScheme,
    fee_reduction,
    penalty_points,
    reduce_fee,
    service_credits,
)
from ._report import (
    ImprovementRequest,
    Issue,
    ItemStatus,
    LegalChange,
    MonthlyReport,
    ScheduledWork,
    SLMRow,
    WorkCategory,
    WorkRecord,
    monthly_report,
)
from ._time import JST, ServiceCalendar, Timeline, parse_datetime, to_jst

__all__ = [
    "ALL",
    "JST",
    "Achievement",
    "Availability",
    "Compliance",
    "ContinuityAssessment",
    "ContinuityCriterion",
    "CreditBand",
    "ErrorBudget",
    "FeeReduction",
    "FeeReductionRule",
    "ImprovementRequest",
    "Issue",
    "ItemStatus",
    "LegalChange",
    "MonthlyReport",
    "Observation",
    "ObservationTable",
    "OperationsData",
    "Outage",
    "OutageCause",
    "PenaltyPointRule",
    "PenaltyPoints",
    "SLMRow",
    "ScheduledWork",
    "ServiceCalendar",
    "ServiceCreditScheme",
    "ServiceCredits",
    "Timeline",
    "WorkCategory",
    "WorkRecord",
    "assess_continuity",
    "availability_from_outages",
    "evaluate_sla",
    "exact_fraction",
    "fee_reduction",
    "incident_observations",
    "incumbent_measures",
    "integer_points",
    "kernels",
    "load_example",
    "load_operations",
    "monthly_report",
    "parse_datetime",
    "penalty_points",
    "percentile_observations",
    "read_observations",
    "read_outages",
    "read_work",
    "reduce_fee",
    "scenario_totals",
    "service_credits",
    "to_jst",
]
