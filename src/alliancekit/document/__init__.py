"""Scale documents: the :class:`Scale` facade, JSON loading with limits, the meta-schema pass and
the semantic checks, and scoring many answer sets with :func:`score_many`.

:func:`load_scale` here knows only the scoring methods it is given (the built-in ones by
default); ``alliancekit.load_scale`` passes every method plugins registered.
"""

from alliancekit.document._batch import RowError, score_many
from alliancekit.document._issues import json_path
from alliancekit.document._loading import (
    SCHEMA_URI,
    SCHEMA_URIS,
    ScaleSource,
    load_scale,
    meta_schema,
    validate_scale,
)
from alliancekit.document._migration import upgrade_document
from alliancekit.document._scale import (
    Scale,
    canonical_json,
    checked_restore,
    set_scale_restorer,
)

__all__ = [
    "SCHEMA_URI",
    "SCHEMA_URIS",
    "RowError",
    "Scale",
    "ScaleSource",
    "canonical_json",
    "checked_restore",
    "json_path",
    "load_scale",
    "meta_schema",
    "score_many",
    "set_scale_restorer",
    "upgrade_document",
    "validate_scale",
]
