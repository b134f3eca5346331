"""Checks shared by the FHIR tests: R4 validation with the FHIR model library, and evaluating
every calculatedExpression of a Questionnaire against a response."""

from __future__ import annotations

import math
from typing import Any

_COMPILED: dict[str, Any] = {}


def evaluate(resource: dict[str, Any], expression: str, questionnaire: dict[str, Any]) -> list[Any]:
    """Evaluate a FHIRPath expression with ``%resource`` = the response and ``%questionnaire``,
    the FHIR R4 model loaded (so choice types resolve as a FHIR engine resolves them). Parsed
    expressions are kept: fhirpathpy is slow, and the same expressions are evaluated often."""
    from fhirpathpy import compile as fhirpath
    from fhirpathpy.models import models

    compiled = _COMPILED.get(expression)
    if compiled is None:
        compiled = _COMPILED[expression] = fhirpath(expression, models["r4"])
    return list(compiled(resource, {"resource": resource, "questionnaire": questionnaire}))


CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"


def validate_r4(resource: dict[str, Any]) -> None:
    """Parse ``resource`` with fhir.resources' R4B models (R4B shares R4's Questionnaire,
    QuestionnaireResponse and Observation); raises on any structural error."""
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)


def expressions(questionnaire: dict[str, Any]) -> dict[str, str]:
    """linkId -> calculatedExpression of every calculated item."""
    found = {}
    for item in questionnaire["item"]:
        for extension in item.get("extension", []):
            if extension["url"] == CALCULATED:
                found[item["linkId"]] = extension["valueExpression"]["expression"]
    return found


def calculated(questionnaire: dict[str, Any], response: dict[str, Any]) -> dict[str, float | None]:
    """linkId -> the value each calculatedExpression gives for ``response`` (``None`` when
    empty); an expression giving several values fails the test."""
    values: dict[str, float | None] = {}
    for link_id, expression in expressions(questionnaire).items():
        result = evaluate(response, expression, questionnaire)
        assert len(result) <= 1, (link_id, result)
        values[link_id] = float(result[0]) if result else None
    return values


def same_score(expected: float | None, got: float | None, exact: bool) -> bool:
    """Equal; or, for an expression that divides (see ``ScoreExpression.exact``), equal to
    within 1e-12 relative: fhirpathpy divides decimals in binary floating point (16 digits), so
    1/3 cannot come out as the float score() rounds the exact fraction to."""
    if expected is None or got is None:
        return expected is got
    if exact:
        return expected == got
    return math.isclose(expected, got, rel_tol=1e-12, abs_tol=1e-12)
