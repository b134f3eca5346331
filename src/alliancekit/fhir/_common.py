"""Names shared by the FHIR converters: canonical URLs, code systems, extension URLs, linkIds."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from alliancekit.errors import ResponseError, ResponseIssue, UnknownScaleError
from alliancekit.plugins import get_scale

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = [
    "CALCULATED_EXPRESSION",
    "CODE_SYSTEM_BASE",
    "DESIGN_NOTE",
    "MAX_VALUE",
    "MIN_VALUE",
    "QUESTIONNAIRE_BASE",
    "SCORE_CODE_SYSTEM",
    "UNIT",
    "answer_system",
    "canonical_url",
    "malformed",
    "resolve_scale",
    "score_link_ids",
]

#: ``Questionnaire.url`` of a scale is this base followed by the scale id.
QUESTIONNAIRE_BASE = "urn:alliancekit:fhir:Questionnaire:"
#: The code system of a response set's options is this base, ``<scale id>:<response set id>``.
CODE_SYSTEM_BASE = "urn:alliancekit:fhir:CodeSystem:"
#: The code system of scores; a code is ``<scale id>/<score id>``.
SCORE_CODE_SYSTEM = "urn:alliancekit:fhir:CodeSystem:score"

CALCULATED_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
DESIGN_NOTE = "http://hl7.org/fhir/StructureDefinition/designNote"

_CANONICAL = re.compile(r"^urn:alliancekit:fhir:Questionnaire:([A-Za-z0-9_-]+)$")


def canonical_url(scale: Scale) -> str:
    """The canonical URL of a scale's Questionnaire (without version)."""
    return QUESTIONNAIRE_BASE + scale.id


def answer_system(scale: Scale, response_set_id: str) -> str:
    """The code system of one response set's options."""
    return f"{CODE_SYSTEM_BASE}{scale.id}:{response_set_id}"


def score_link_ids(scale: Scale) -> dict[str, str]:
    """Score id -> linkId of its calculated item: the score id, or ``score:<id>`` when an item
    has that id (an item id cannot contain ``:``, so the prefixed one never collides)."""
    item_ids = {item.id for item in scale.items}
    return {s.id: (f"score:{s.id}" if s.id in item_ids else s.id) for s in scale.scores}


def malformed(message: str, item_id: str = "*", code: str = "malformed-resource") -> ResponseError:
    """A :class:`ResponseError` for input that is not the resource expected."""
    return ResponseError([ResponseIssue(item_id=item_id, code=code, message=message)])


def resolve_scale(reference: Any, scale: Scale | None) -> tuple[Scale, str | None]:
    """The scale a ``questionnaire`` canonical names, and the version it asks for.

    :raises UnknownScaleError: for a canonical that is not an alliancekit one, or no such scale.
    :raises ResponseError: when ``reference`` is not text.
    """
    if reference is None:
        if scale is None:
            raise malformed("the response names no 'questionnaire'; pass scale=")
        return scale, None
    if not isinstance(reference, str):
        raise malformed("'questionnaire' must be a canonical URL (text)")
    url, _, version = reference.partition("|")
    if scale is None:
        match = _CANONICAL.fullmatch(url)
        if match is None:
            raise UnknownScaleError(url[:120])
        scale = get_scale(match.group(1))
    elif url != canonical_url(scale):
        raise malformed(
            f"the response answers questionnaire {url[:120]!r}, not {canonical_url(scale)!r}",
            code="questionnaire-mismatch",
        )
    return scale, version or None
