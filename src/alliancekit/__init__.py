"""alliancekit: therapeutic-alliance and patient-trust rating scales as data.

Score answers, interpret scores, store administrations and extend it all with plugins::

    import alliancekit as ak
    scale = ak.get_scale("wai-sr")
    result = scale.score({"q1": 4, "q2": 5, ...})
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# ``change`` is also the name of its module: importing the module would set the package's
# attribute to the module, so the function is bound here, after the module is loaded.
from alliancekit.change import change

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

# Every public name is loaded from its module on first use, so that ``import alliancekit`` (and
# the pytest plugin, which every test session of a project that installs alliancekit loads)
# costs next to nothing until something is used.
_HOMES = {
    "Administration": "alliancekit.storage",
    "Alert": "alliancekit.series",
    "AllianceKitError": "alliancekit.errors",
    "Change": "alliancekit.change",
    "ClinicalCutoffs": "alliancekit.change",
    "DefinitionIssue": "alliancekit.errors",
    "DuplicateRegistrationError": "alliancekit.errors",
    "Interpretation": "alliancekit.interpretation",
    "InterpretationError": "alliancekit.errors",
    "PluginError": "alliancekit.errors",
    "PluginLoadError": "alliancekit.errors",
    "PluginLoadWarning": "alliancekit.errors",
    "ReliableChange": "alliancekit.change",
    "ResponseError": "alliancekit.errors",
    "ResponseIssue": "alliancekit.errors",
    "RowError": "alliancekit.batch",
    "Scale": "alliancekit.model",
    "ScaleDefinitionError": "alliancekit.errors",
    "ScaleInfo": "alliancekit.catalogue",
    "Score": "alliancekit.results",
    "ScoreResult": "alliancekit.results",
    "ScoringError": "alliancekit.errors",
    "Series": "alliancekit.series",
    "SessionChange": "alliancekit.series",
    "StorageError": "alliancekit.errors",
    "Store": "alliancekit.storage",
    "StoredRecord": "alliancekit.storage",
    "UnknownScaleError": "alliancekit.errors",
    "change": "alliancekit.change",
    "clinical_cutoffs": "alliancekit.change",
    "get_scale": "alliancekit.catalogue",
    "hookimpl": "alliancekit.hookspecs",
    "interpret": "alliancekit.interpretation",
    "item_texts": "alliancekit.item_text",
    "list_scales": "alliancekit.catalogue",
    "load_scale": "alliancekit.loading",
    "meta_schema": "alliancekit.loading",
    "open_store": "alliancekit.storage",
    "reliable_change": "alliancekit.change",
    "score_many": "alliancekit.batch",
    "validate_scale": "alliancekit.loading",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily loaded ones included."""
    return sorted([*globals(), *__all__])
