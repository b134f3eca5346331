"""FHIR R4 bridge: a scale as a Questionnaire that scores itself (SDC ``calculatedExpression``),
answers as QuestionnaireResponses, results as Observations, and a draft scale document from
someone else's Questionnaire.

Everything here builds and reads plain JSON-ready dicts; no FHIR library is needed. See
``docs/interop.md``.
"""

from __future__ import annotations

from alliancekit.fhir._common import (
    CODE_SYSTEM_BASE,
    QUESTIONNAIRE_BASE,
    SCORE_CODE_SYSTEM,
    answer_system,
    canonical_url,
    score_link_ids,
)
from alliancekit.fhir._draft import from_questionnaire
from alliancekit.fhir._expressions import ScoreExpression, score_expressions
from alliancekit.fhir._observations import INTERPRETATION_CODES, to_observations
from alliancekit.fhir._questionnaire import to_questionnaire
from alliancekit.fhir._response import (
    from_questionnaire_response,
    score_questionnaire_response,
    to_questionnaire_response,
)
from alliancekit.fhir._stream import ResponseReader

__all__ = [
    "CODE_SYSTEM_BASE",
    "INTERPRETATION_CODES",
    "QUESTIONNAIRE_BASE",
    "SCORE_CODE_SYSTEM",
    "ResponseReader",
    "ScoreExpression",
    "answer_system",
    "canonical_url",
    "from_questionnaire",
    "from_questionnaire_response",
    "score_expressions",
    "score_link_ids",
    "score_questionnaire_response",
    "to_observations",
    "to_questionnaire",
    "to_questionnaire_response",
]
