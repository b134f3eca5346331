"""QuestionnaireResponses: answers to FHIR and back, checked as strictly as ``Scale.score``."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.fhir._common import (
    answer_system,
    canonical_url,
    malformed,
    resolve_scale,
    score_link_ids,
)
from alliancekit.fhir._questionnaire import decimal_json

if TYPE_CHECKING:
    from alliancekit.document import Scale
    from alliancekit.model import Item
    from alliancekit.scoring import ScoreResult

__all__ = [
    "date_time",
    "from_questionnaire_response",
    "reference",
    "resource_mapping",
    "score_questionnaire_response",
    "to_questionnaire_response",
]

_MAX_ITEMS = 10_000
_MAX_DEPTH = 50


def resource_mapping(resource: Any, expected: str) -> Mapping[str, Any]:
    """``resource`` as a mapping of the expected ``resourceType`` (JSON text is parsed).

    :raises ResponseError: for invalid JSON, a non-object, or a resource of another type (a
        Bundle is named with its number of entries).
    """
    if isinstance(resource, (str, bytes, bytearray)):
        try:
            resource = json.loads(resource)
        except (ValueError, RecursionError) as error:
            raise malformed(f"not valid JSON: {str(error)[:120]}", code="invalid-json") from None
    if not isinstance(resource, Mapping):
        raise malformed(
            f"expected a {expected} resource (a JSON object), not {type(resource).__name__}"
        )
    kind = resource.get("resourceType")
    if kind != expected:
        detail = ""
        if kind == "Bundle":
            entries = resource.get("entry")
            count = len(entries) if isinstance(entries, list) else 0
            detail = f" of {count} entries; pass its {expected} resources one at a time"
        shown = kind[:40] if isinstance(kind, str) else repr(kind)[:40]
        raise malformed(
            f"expected resourceType {expected!r}, got {shown!r}{detail}", code="wrong-resource-type"
        )
    return resource


def reference(value: Any) -> dict[str, Any]:
    """A FHIR Reference from ``"Patient/123"`` or a Reference mapping."""
    if isinstance(value, str):
        return {"reference": value}
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(
        f"a reference must be text such as 'Patient/123' or a mapping, not {type(value).__name__}"
    )


def date_time(value: Any) -> str:
    """A FHIR dateTime from a ``datetime``/``date`` or text (given as is)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise TypeError(f"a date-time must be text or a datetime, not {type(value).__name__}")


def to_questionnaire_response(
    scale: Scale,
    answers: Mapping[str, Any],
    *,
    subject: Any = None,
    authored: Any = None,
    id: str | None = None,
) -> dict[str, Any]:
    """A completed FHIR R4 QuestionnaireResponse to the scale's Questionnaire.

    The answers are checked first exactly as :meth:`Scale.score` checks them. One item per
    answered item, in item order; missing answers are left out.

    :param subject: ``"Patient/123"`` or a Reference mapping.
    :param authored: a ``datetime`` or FHIR dateTime text.
    :raises ResponseError: listing every bad answer.
    """
    checked = dict(zip(scale.plan.item_ids, scale.plan.validate(answers), strict=True))
    items: list[dict[str, Any]] = []
    for item in scale.items:
        value = checked[item.id]
        if value is None:
            continue
        rs = item.response_set
        if rs.kind == "ordinal":
            coding: dict[str, Any] = {"system": answer_system(scale, rs.id), "code": str(value)}
            label = next((o.label for o in rs.options if o.value == value), None)
            if label:
                coding["display"] = str(label.get("en") or next(iter(label.values())))
            answer: dict[str, Any] = {"valueCoding": coding}
        else:
            answer = {"valueDecimal": decimal_json(value)}
        items.append({"linkId": item.id, "answer": [answer]})
    response: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if id is not None:
        response["id"] = id
    response["questionnaire"] = f"{canonical_url(scale)}|{scale.version}"
    response["status"] = "completed"
    if subject is not None:
        response["subject"] = reference(subject)
    if authored is not None:
        response["authored"] = date_time(authored)
    response["item"] = items
    return response


def _flatten(
    items: Any, issues: list[ResponseIssue], out: list[Mapping[str, Any]], depth: int = 0
) -> None:
    if items is None:
        return
    if depth > _MAX_DEPTH:
        issues.append(
            ResponseIssue(
                item_id="*",
                code="malformed-resource",
                message=f"items nested deeper than {_MAX_DEPTH}",
            )
        )
        return
    if not isinstance(items, list):
        issues.append(
            ResponseIssue(item_id="*", code="malformed-resource", message="'item' must be a list")
        )
        return
    for entry in items:
        if len(out) >= _MAX_ITEMS:
            issues.append(
                ResponseIssue(
                    item_id="*", code="too-many-items", message=f"more than {_MAX_ITEMS} items"
                )
            )
            return
        if not isinstance(entry, Mapping) or not isinstance(entry.get("linkId"), str):
            issues.append(
                ResponseIssue(
                    item_id="*",
                    code="malformed-resource",
                    message="every item must be an object with a linkId",
                )
            )
            continue
        out.append(entry)
        _flatten(entry.get("item"), issues, out, depth + 1)


def _answer_value(scale: Scale, item: Item, answer: Any) -> tuple[Any, ResponseIssue | None]:
    """The value of one answer, or the issue with it."""

    def issue(code: str, message: str) -> tuple[Any, ResponseIssue]:
        return None, ResponseIssue(item_id=item.id, code=code, message=message)

    if not isinstance(answer, Mapping):
        return issue("malformed-resource", "an answer must be an object")
    keys = [k for k in answer if k.startswith("value")]
    rs = item.response_set
    wanted = "valueCoding" if rs.kind == "ordinal" else "valueDecimal"
    if keys != [wanted]:
        found = ", ".join(k[:30] for k in keys) or "no value"
        return issue(
            "wrong-type",
            f"a {'choice' if wanted == 'valueCoding' else 'decimal'} "
            f"item takes one {wanted} (got {found})",
        )
    value = answer[wanted]
    if rs.kind == "ordinal":
        if not isinstance(value, Mapping) or not isinstance(value.get("code"), str):
            return issue("wrong-type", "valueCoding must be a Coding with a code")
        system = value.get("system")
        if system is not None and system != answer_system(scale, rs.id):
            return issue(
                "unknown-code-system",
                f"code system {str(system)[:80]!r} is not {answer_system(scale, rs.id)!r}",
            )
        by_code = {str(o.value): o.value for o in rs.options}
        code = value["code"]
        if code not in by_code:
            shown = repr(code) if len(code) <= 12 else f"a code of {len(code)} characters"
            return issue(
                "value-not-an-option",
                f"code {shown} is not one of the options ({', '.join(by_code)})",
            )
        return by_code[code], None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return issue("wrong-type", f"valueDecimal must be a number (got {type(value).__name__})")
    if isinstance(value, float) and not math.isfinite(value):
        return issue("not-finite", "valueDecimal must be finite")
    return value, None


def read_response(qr: Any, scale: Scale | None) -> tuple[Scale, dict[str, Any]]:
    """The scale a QuestionnaireResponse answers and its answers (see
    :func:`from_questionnaire_response`)."""
    resource = resource_mapping(qr, "QuestionnaireResponse")
    scale, version = resolve_scale(resource.get("questionnaire"), scale)
    issues: list[ResponseIssue] = []
    if version is not None and version != scale.version:
        issues.append(
            ResponseIssue(
                item_id="*",
                code="version-mismatch",
                message=f"the response answers version {version[:40]!r} of {scale.id!r}, "
                f"not version {scale.version}",
            )
        )
    if resource.get("status") == "entered-in-error":
        issues.append(
            ResponseIssue(
                item_id="*",
                code="entered-in-error",
                message="the response is marked entered-in-error and must not be scored",
            )
        )
    entries: list[Mapping[str, Any]] = []
    _flatten(resource.get("item"), issues, entries)
    items = {item.id: item for item in scale.items}
    calculated = set(score_link_ids(scale).values())
    answers: dict[str, Any] = {}
    seen: set[str] = set()
    for entry in entries:
        link_id = entry["linkId"]
        shown = link_id if len(link_id) <= 40 else link_id[:39] + "…"
        if link_id in calculated:
            continue  # a calculated score: recomputed, never trusted
        item = items.get(link_id)
        if item is None:
            issues.append(
                ResponseIssue(
                    item_id=shown, code="unknown-item", message=f"not an item of scale {scale.id!r}"
                )
            )
            continue
        if link_id in seen:
            issues.append(
                ResponseIssue(
                    item_id=link_id,
                    code="duplicate-item",
                    message="the item appears more than once",
                )
            )
            continue
        seen.add(link_id)
        given = entry.get("answer")
        if given is None or given == []:
            continue
        if not isinstance(given, list):
            issues.append(
                ResponseIssue(
                    item_id=link_id, code="malformed-resource", message="'answer' must be a list"
                )
            )
        elif len(given) > 1:
            issues.append(
                ResponseIssue(
                    item_id=link_id,
                    code="multiple-answers",
                    message=f"{len(given)} answers to a single-answer item",
                )
            )
        else:
            value, issue = _answer_value(scale, item, given[0])
            if issue is not None:
                issues.append(issue)
            else:
                answers[link_id] = value
    try:
        scale.plan.validate(answers)  # the checks of Scale.score, without scoring twice
    except ResponseError as error:
        issues.extend(error.issues)
    if issues:
        raise ResponseError(issues, scale_id=scale.id)
    return scale, {i.id: answers[i.id] for i in scale.items if i.id in answers}


def from_questionnaire_response(qr: Any, *, scale: Scale | None = None) -> dict[str, Any]:
    """The answers (item id -> value) in a QuestionnaireResponse to a scale's Questionnaire.

    The scale is the one ``qr["questionnaire"]`` names (its canonical, with or without
    ``|version``) unless ``scale`` is given. Calculated score items are ignored (recomputed).

    :param qr: the resource as a mapping or JSON text.
    :returns: item id -> value for the answered items, in item order.
    :raises ResponseError: listing every problem, each naming the linkId: unknown linkId, a code
        that is not an option, a value of the wrong type, several answers to one item, a second
        item with the same linkId, another version, a response entered in error; also for
        malformed JSON or a resource of another type.
    :raises UnknownScaleError: when the questionnaire is not an alliancekit scale.
    """
    return read_response(qr, scale)[1]


def score_questionnaire_response(
    qr: Any, *, scale: Scale | None = None, **score_options: Any
) -> ScoreResult:
    """Score a QuestionnaireResponse: :func:`from_questionnaire_response`, then
    :meth:`Scale.score` with ``score_options`` (e.g. ``context=``, ``notify=``).

    :raises ResponseError: see :func:`from_questionnaire_response`.
    :raises UnknownScaleError: when the questionnaire is not an alliancekit scale.
    """
    found, answers = read_response(qr, scale)
    return found.score(answers, **score_options)
