"""alliancekit: therapeutic-alliance and patient-trust rating scales as data.

Score answers, interpret scores, store administrations and extend it all with plugins::

    import alliancekit as ak
    scale = ak.get_scale("wai-sr")
    result = scale.score({"q1": 4, "q2": 5, ...})

Every public name is loaded from its layer on first use, so ``import alliancekit`` (and the
pytest plugin, which every test session of a project that installs alliancekit loads) costs next
to nothing until something is used.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    # The public names, each once: ``X as X`` marks a re-export for type checkers, and
    # _homes() reads this block to load each name from its package on first use.
    from alliancekit.document import (
        RowError as RowError,
        Scale as Scale,
        meta_schema as meta_schema,
        score_many as score_many,
    )
    from alliancekit.errors import (
        AllianceKitError as AllianceKitError,
        DefinitionIssue as DefinitionIssue,
        DuplicateRegistrationError as DuplicateRegistrationError,
        InterpretationError as InterpretationError,
        PluginError as PluginError,
        PluginLoadError as PluginLoadError,
        PluginLoadWarning as PluginLoadWarning,
        ResponseError as ResponseError,
        ResponseIssue as ResponseIssue,
        ScaleDefinitionError as ScaleDefinitionError,
        ScoringError as ScoringError,
        StorageError as StorageError,
        UnknownScaleError as UnknownScaleError,
    )
    from alliancekit.interpretation import (
        Alert as Alert,
        Change as Change,
        ClinicalCutoffs as ClinicalCutoffs,
        Interpretation as Interpretation,
        ReliableChange as ReliableChange,
        Series as Series,
        SessionChange as SessionChange,
        change as change,
        clinical_cutoffs as clinical_cutoffs,
        interpret as interpret,
        reliable_change as reliable_change,
    )
    from alliancekit.plugins import (
        ScaleInfo as ScaleInfo,
        get_scale as get_scale,
        hookimpl as hookimpl,
        item_texts as item_texts,
        list_scales as list_scales,
        load_scale as load_scale,
        validate_scale as validate_scale,
    )
    from alliancekit.scoring import (
        Score as Score,
        ScoreResult as ScoreResult,
        ScoringMethod as ScoringMethod,
    )
    from alliancekit.storage import (
        Administration as Administration,
        Store as Store,
        StoredRecord as StoredRecord,
        open_store as open_store,
    )


@functools.cache
def _homes() -> dict[str, str]:
    """Public name -> its package, read from the ``TYPE_CHECKING`` block above: the one list of
    the public names, which type checkers read as this module's re-exports."""
    import ast

    with open(__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    block = next(node for node in tree.body if isinstance(node, ast.If))
    return {
        alias.name: statement.module
        for statement in block.body
        if isinstance(statement, ast.ImportFrom) and statement.module is not None
        for alias in statement.names
    }


def __getattr__(name: str) -> Any:
    """Load a public name from its package on first use."""
    if name == "__all__":
        return sorted([*_homes(), "__version__"])
    home = _homes().get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (the layer packages, once imported, are not among them)."""
    return sorted([*_homes(), "__version__"])
