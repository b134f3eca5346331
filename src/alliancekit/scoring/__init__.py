"""Scoring: checking answers, scoring methods, the compiled plan of a scale, exact arithmetic,
results, and the table kernel (NumPy, private).

Callers score through :meth:`alliancekit.Scale.score`; this package is what it delegates to. Its
vector kernel lives in the private ``_vector`` package and is reached only through
:func:`score_table` and :func:`score_float_table`.
"""

from alliancekit.scoring._answers import (
    key_label,
    parse_text,
)
from alliancekit.scoring._events import announce, has_listeners, set_result_listener
from alliancekit.scoring._exact import (
    Exact,
    exact,
    exact_fraction,
    round_half_away,
)
from alliancekit.scoring._json_text import (
    JsonTextError,
    duplicate_keys,
    read_json,
)
from alliancekit.scoring._methods import (
    BUILTIN_METHODS,
    Bounds,
    MethodFunction,
    RangeFunction,
    ScoringMethod,
)
from alliancekit.scoring._plan import Answers, ScoringPlan
from alliancekit.scoring._results import AnswerValue, Score, ScoreResult, slot_setters
from alliancekit.scoring._tables import (
    COLUMN_CHUNK_ROWS,
    MAX_LISTED_ISSUES,
    Column,
    ColumnScores,
    raise_bad_rows,
    score_columns,
    score_float_table,
    score_table,
)

__all__ = [
    "BUILTIN_METHODS",
    "COLUMN_CHUNK_ROWS",
    "MAX_LISTED_ISSUES",
    "AnswerValue",
    "Answers",
    "Bounds",
    "Column",
    "ColumnScores",
    "Exact",
    "JsonTextError",
    "MethodFunction",
    "RangeFunction",
    "Score",
    "ScoreResult",
    "ScoringMethod",
    "ScoringPlan",
    "announce",
    "duplicate_keys",
    "exact",
    "exact_fraction",
    "has_listeners",
    "key_label",
    "parse_text",
    "raise_bad_rows",
    "read_json",
    "round_half_away",
    "score_columns",
    "score_float_table",
    "score_table",
    "set_result_listener",
    "slot_setters",
]
