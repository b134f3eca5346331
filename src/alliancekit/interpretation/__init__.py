"""Reading scores: bands and norms (z, T, percentile, SEM), reliable change and clinical
cut-offs, a client's series of sessions with its alerts, and the SVG chart of a series."""

from alliancekit.interpretation._change import (
    Change,
    ClinicalCutoffs,
    ReliableChange,
    change,
    clinical_cutoffs,
    reliable_change,
)
from alliancekit.interpretation._chart import series_chart
from alliancekit.interpretation._readings import Interpretation, interpret, scale_of
from alliancekit.interpretation._series import Alert, Series, SessionChange

__all__ = [
    "Alert",
    "Change",
    "ClinicalCutoffs",
    "Interpretation",
    "ReliableChange",
    "Series",
    "SessionChange",
    "change",
    "clinical_cutoffs",
    "interpret",
    "reliable_change",
    "scale_of",
    "series_chart",
]
