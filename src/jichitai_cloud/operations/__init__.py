"""Operations (運用): SLA items, monthly service-level monitoring (SLM), penalties, the monthly report.

After go-live the council's operations subcommittee (運用管理部会) meets every month with the
vendor.  This package gives the secretariat the computations for that cycle:

* availability (稼働率) within service hours from an outage log, in Japan time;
* SLA compliance over metrics x months x members in one vectorised call, with fiscal
  quarterly and yearly windows, error budgets and runs of consecutive misses;
* penalties and credits in integer yen (fee reduction by achievement, penalty points, service
  credits by availability band);
* the monthly report (Markdown, HTML, text; Excel through :func:`jichitai_cloud.report.to_excel`)
  and the continue-or-switch scoring.

The records it works on (:class:`~jichitai_cloud.model.Observation`,
:class:`~jichitai_cloud.model.Outage`, :class:`~jichitai_cloud.model.ServiceCalendar`, work
records, issues, improvement requests …) are in :mod:`jichitai_cloud.model`; the file bundle is
read by :func:`jichitai_cloud.io.load_operations`; the bundled example is
:func:`jichitai_cloud.examples.toyama_operations`.

The pure array kernels are the namespace :data:`kernels` of this package
(``from jichitai_cloud.operations import kernels``; ``kernels.service_cumulative`` …); it is an
attribute, not a module of its own, so ``import jichitai_cloud.operations.kernels`` does not work.
The kernels with a batch axis (and :func:`scenario_totals`) also take dask arrays and return lazy
ones (the ``scale`` extra; see ``docs/scale.md``).
"""

from . import _kernels as kernels
from ._availability import Availability, ErrorBudget, availability_from_outages
from ._compliance import Achievement, Compliance, evaluate_sla
from ._continuity import (
    ContinuityAssessment,
    ContinuityCriterion,
    assess_continuity,
    incumbent_measures,
    scenario_totals,
)
from ._data import OperationsData
from ._monthly import MonthlyReport, SLMRow, monthly_report
from ._observations import ObservationTable, incident_observations, percentile_observations
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

__all__ = [
    "Achievement",
    "Availability",
    "Compliance",
    "ContinuityAssessment",
    "ContinuityCriterion",
    "CreditBand",
    "ErrorBudget",
    "FeeReduction",
    "FeeReductionRule",
    "MonthlyReport",
    "ObservationTable",
    "OperationsData",
    "PenaltyPointRule",
    "PenaltyPoints",
    "SLMRow",
    "ServiceCreditScheme",
    "ServiceCredits",
    "assess_continuity",
    "availability_from_outages",
    "evaluate_sla",
    "fee_reduction",
    "incident_observations",
    "incumbent_measures",
    "kernels",
    "monthly_report",
    "penalty_points",
    "percentile_observations",
    "reduce_fee",
    "scenario_totals",
    "service_credits",
]
