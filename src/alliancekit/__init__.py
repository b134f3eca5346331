"""alliancekit: therapeutic-alliance and patient-trust rating scales as data.

Score answers, interpret scores, store administrations and extend it all with plugins::

    import alliancekit as ak
    scale = ak.get_scale("wai-sr")
    result = scale.score({"q1": 4, "q2": 5, ...})
"""

from alliancekit.batch import RowError, score_many
from alliancekit.catalogue import ScaleInfo, get_scale, list_scales
from alliancekit.change import (
    Change,
    ClinicalCutoffs,
    ReliableChange,
    change,
    clinical_cutoffs,
    reliable_change,
)
from alliancekit.errors import (
    AllianceKitError,
    DefinitionIssue,
    DuplicateRegistrationError,
    InterpretationError,
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
from alliancekit.hookspecs import hookimpl
from alliancekit.interpretation import Interpretation, interpret
from alliancekit.item_text import item_texts
from alliancekit.loading import load_scale, meta_schema, validate_scale
from alliancekit.model import Scale
from alliancekit.results import Score, ScoreResult
from alliancekit.series import Alert, Series, SessionChange
from alliancekit.storage import Administration, Store, StoredRecord, open_store

__version__ = "0.1.0"

__all__ = [
    "Administration",
    "Alert",
    "AllianceKitError",
    "Change",
    "ClinicalCutoffs",
    "DefinitionIssue",
    "DuplicateRegistrationError",
    "Interpretation",
    "InterpretationError",
    "PluginError",
    "PluginLoadError",
    "PluginLoadWarning",
    "ReliableChange",
    "ResponseError",
    "ResponseIssue",
    "RowError",
    "Scale",
    "ScaleDefinitionError",
    "ScaleInfo",
    "Score",
    "ScoreResult",
    "ScoringError",
    "Series",
    "SessionChange",
    "StorageError",
    "Store",
    "StoredRecord",
    "UnknownScaleError",
    "__version__",
    "change",
    "clinical_cutoffs",
    "get_scale",
    "hookimpl",
    "interpret",
    "item_texts",
    "list_scales",
    "load_scale",
    "meta_schema",
    "open_store",
    "reliable_change",
    "score_many",
    "validate_scale",
]
