"""Operations (運用): SLA metrics, monthly service-level monitoring (SLM), penalties, monthly report."""

from . import _kernels as kernels

__all__ = ["kernels"]
