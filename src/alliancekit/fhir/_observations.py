"""A scored result as FHIR R4 Observations: one per score, a missing score included."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from alliancekit.fhir._common import SCORE_CODE_SYSTEM
from alliancekit.fhir._questionnaire import decimal_json
from alliancekit.fhir._response import date_time, reference
from alliancekit.interpretation import interpret
from alliancekit.plugins import get_scale

if TYPE_CHECKING:
    from alliancekit.document import Scale
    from alliancekit.model import Band
    from alliancekit.scoring import ScoreResult

__all__ = ["INTERPRETATION_CODES", "to_observations"]

_INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
#: A band's flag as an HL7 v3 ObservationInterpretation code and its display.
INTERPRETATION_CODES: dict[str, tuple[str, str]] = {
    "none": ("N", "Normal"),
    "watch": ("A", "Abnormal"),
    "alert": ("AA", "Critical abnormal"),
}
_SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
_SCORE_UNIT = {"unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"}


def _derived_from(response: Any) -> dict[str, Any]:
    if isinstance(response, Mapping) and response.get("resourceType") == "QuestionnaireResponse":
        if not isinstance(response.get("id"), str):
            raise ValueError("the QuestionnaireResponse has no id to refer to; give it one")
        return {"reference": f"QuestionnaireResponse/{response['id']}"}
    return reference(response)


def _bands(scale: Scale, score_id: str, norm_id: str | None) -> tuple[tuple[Band, ...], str]:
    reading = scale.interpretation.get(score_id)
    if reading is None:
        return (), ""
    norm = next((n for n in reading.norms if n.id == norm_id), None)
    if norm is not None and norm.bands:
        return norm.bands, norm.population
    return reading.bands, ""


def to_observations(
    result: ScoreResult,
    *,
    subject: Any = None,
    questionnaire_response: Any = None,
    effective: Any = None,
    scale: Scale | None = None,
) -> list[dict[str, Any]]:
    """One FHIR R4 Observation per score of ``result``, in score order.

    Each is ``final``, category ``survey``, coded ``<scale id>/<score id>`` in the alliancekit
    score code system, with ``valueQuantity`` and, where the score falls in a band,
    ``interpretation`` (the band's flag as HL7 v3 ObservationInterpretation: none → N,
    watch → A, alert → AA; the band's label as text) and the bands as ``referenceRange``. A score
    without a value gets ``dataAbsentReason`` ``unknown`` and the reason as a note.

    :param subject: ``"Patient/123"`` or a Reference mapping.
    :param questionnaire_response: the QuestionnaireResponse (with an ``id``) or a reference to
        it, for ``derivedFrom``.
    :param effective: a ``datetime`` or FHIR dateTime text.
    :param scale: the document that scored ``result`` when it is not the catalogue's.
    :raises InterpretationError: when ``scale`` did not score ``result``.
    """
    if scale is None:
        scale = get_scale(result.scale_id)
    readings = interpret(result, scale=scale)
    provenance = (
        f"Scored by alliancekit with scale document {result.scale_id} {result.scale_version} "
        f"(sha256 {result.scale_sha256})."
    )
    observations: list[dict[str, Any]] = []
    for score_id, score in result.scores.items():
        definition = scale.score_definition(score_id)
        reading = readings[score_id]
        display = f"{scale.abbreviation or scale.title} {definition.title or score_id}"
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [_SURVEY],
            "code": {
                "coding": [
                    {
                        "system": SCORE_CODE_SYSTEM,
                        "code": f"{result.scale_id}/{score_id}",
                        "display": display,
                    }
                ],
                "text": display,
            },
        }
        if subject is not None:
            observation["subject"] = reference(subject)
        if effective is not None:
            observation["effectiveDateTime"] = date_time(effective)
        # the provisional facts this value rests on, and the norm and band it was read against
        notes = [provenance, *reading.warnings]
        if score.value is None:
            observation["dataAbsentReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "unknown",
                        "display": "Unknown",
                    }
                ],
                "text": score.reason or "no value",
            }
            notes.insert(0, score.reason or "no value")
        else:
            observation["valueQuantity"] = {"value": decimal_json(score.value), **_SCORE_UNIT}
            if score.imputed:
                notes.insert(
                    0,
                    f"prorated from {score.n_answered} of "
                    f"{score.n_answered + score.n_missing} answered members",
                )
            if reading.band is not None:
                code, meaning = INTERPRETATION_CODES[reading.flag]
                observation["interpretation"] = [
                    {
                        "coding": [
                            {"system": _INTERPRETATION_SYSTEM, "code": code, "display": meaning}
                        ],
                        "text": reading.band,
                    }
                ]
        bands, population = _bands(scale, score_id, reading.norm)
        if bands:
            ranges = []
            for band in bands:
                entry: dict[str, Any] = {
                    "low": {"value": decimal_json(band.lower), **_SCORE_UNIT},
                    "high": {"value": decimal_json(band.upper), **_SCORE_UNIT},
                    "text": f"{band.label} (flag {band.flag})",
                }
                if population:
                    entry["appliesTo"] = [{"text": population}]
                ranges.append(entry)
            observation["referenceRange"] = ranges
        if questionnaire_response is not None:
            observation["derivedFrom"] = [_derived_from(questionnaire_response)]
        observation["note"] = [{"text": text} for text in notes]
        observations.append(observation)
    return observations
