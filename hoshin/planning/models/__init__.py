from hoshin.planning.models.change import ChangePlan
from hoshin.planning.models.kpi import Direction, Kpi, KpiKind, Measurement
from hoshin.planning.models.objective import Objective, ObjectiveLevel, PolicyCommitment
from hoshin.planning.models.risk import (
    Effectiveness,
    Risk,
    RiskAssessment,
    RiskKind,
    RiskLevel,
    RiskScale,
    RiskSource,
    Treatment,
)

__all__ = [
    "ChangePlan",
    "Direction",
    "Effectiveness",
    "Kpi",
    "KpiKind",
    "Measurement",
    "Objective",
    "ObjectiveLevel",
    "PolicyCommitment",
    "Risk",
    "RiskAssessment",
    "RiskKind",
    "RiskLevel",
    "RiskScale",
    "RiskSource",
    "Treatment",
]
