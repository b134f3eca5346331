"""alliancekit: therapeutic-alliance and patient-trust rating scales as data.

Score answers, interpret scores, store administrations and extend it all with plugins::

    import alliancekit as ak
    scale = ak.get_scale("wai-sr")
    result = scale.score({"q1": 4, "q2": 5, ...})
"""

from alliancekit.catalogue import ScaleInfo, get_scale, list_scales
from alliancekit.errors import (
    AllianceKitError,
    DefinitionIssue,
    DuplicateRegistrationError,
    PluginError,
    PluginLoadError,
    PluginLoadWarning,
    ResponseError,
    ResponseIssue,
    ScaleDefinitionError,
    ScoringError,
    StorageError,
    UnknownScaleError,
)
from alliancekit.loading import load_scale, meta_schema, validate_scale
from alliancekit.model import Scale
from alliancekit.results import Score, ScoreResult

__version__ = "0.1.0"

__all__ = [
    "AllianceKitError",
    "DefinitionIssue",
    "DuplicateRegistrationError",
    "PluginError",
    "PluginLoadError",
    "PluginLoadWarning",
    "ResponseError",
    "ResponseIssue",
    "Scale",
    "ScaleDefinitionError",
    "ScaleInfo",
    "Score",
    "ScoreResult",
    "ScoringError",
    "StorageError",
    "UnknownScaleError",
    "__version__",
    "get_scale",
    "list_scales",
    "load_scale",
    "meta_schema",
    "validate_scale",
]
