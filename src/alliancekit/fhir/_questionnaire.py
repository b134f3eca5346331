"""A scale as a FHIR R4 Questionnaire whose calculated items score it as ``Scale.score`` does."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from alliancekit.errors import UnknownScaleError
from alliancekit.fhir._common import (
    CALCULATED_EXPRESSION,
    DESIGN_NOTE,
    MAX_VALUE,
    MIN_VALUE,
    UNIT,
    answer_system,
    canonical_url,
    score_link_ids,
)
from alliancekit.fhir._expressions import (
    ITEM_WEIGHT,
    ORDINAL_VALUE,
    exact_number,
    keyed_value,
    score_expressions,
)
from alliancekit.plugins import get_scale, item_texts

if TYPE_CHECKING:
    from alliancekit.document import Scale
    from alliancekit.model import Item

__all__ = ["decimal_json", "to_questionnaire"]

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
#: Units the documents use that are also UCUM codes.
_UCUM = frozenset({"cm", "mm", "%", "s", "min"})


def decimal_json(value: Any) -> int | float:
    """A number for a FHIR decimal in JSON: an ``int`` when whole, else the float."""
    number = exact_number(value)
    if number.denominator == 1:
        return int(number)
    return float(number)


def _name(scale: Scale) -> str:
    words = re.split(r"[^A-Za-z0-9]+", scale.id)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    return name if name[:1].isalpha() else "Scale" + name


def _texts(scale: Scale, language: str) -> dict[str, str]:
    """Item text shipped or provided by a licensed pack; never text that is not there."""
    try:
        registered = get_scale(scale.id)
    except UnknownScaleError:
        registered = None
    if registered is not None and registered.sha256 == scale.sha256:
        return item_texts(scale.id, language)
    return {
        item.id: item.text[language] for item in scale.items if item.text and language in item.text
    }


def _label(label: Any, language: str) -> str | None:
    if not label:
        return None
    if language in label:
        return str(label[language])
    return str(next(iter(label.values())))


def _item(scale: Scale, item: Item, text: str, language: str) -> dict[str, Any]:
    rs = item.response_set
    entry: dict[str, Any] = {"linkId": item.id, "prefix": str(item.number), "text": text}
    if rs.kind == "ordinal":
        entry["type"] = "choice"
        options = []
        for option in rs.options:
            weight = decimal_json(keyed_value(item, option.value))
            coding: dict[str, Any] = {
                "system": answer_system(scale, rs.id),
                "code": str(option.value),
            }
            display = _label(option.label, language)
            if display is not None:
                coding["display"] = display
            options.append(
                {
                    "extension": [
                        {"url": ORDINAL_VALUE, "valueDecimal": weight},
                        {"url": ITEM_WEIGHT, "valueDecimal": weight},
                    ],
                    "valueCoding": coding,
                }
            )
        entry["answerOption"] = options
        return entry
    assert rs.min is not None and rs.max is not None
    extensions: list[dict[str, Any]] = [
        {"url": MIN_VALUE, "valueDecimal": decimal_json(rs.min)},
        {"url": MAX_VALUE, "valueDecimal": decimal_json(rs.max)},
    ]
    if rs.unit:
        unit: dict[str, Any] = {"display": rs.unit}
        if rs.unit in _UCUM:
            unit = {"system": "http://unitsofmeasure.org", "code": rs.unit, "display": rs.unit}
        extensions.append({"url": UNIT, "valueCoding": unit})
    if item.reverse:
        extensions.append(
            {
                "url": DESIGN_NOTE,
                "valueMarkdown": "Reverse keyed: scored as min + max − the mark.",
            }
        )
    entry["extension"] = extensions
    entry["type"] = "decimal"
    return entry


def to_questionnaire(scale: Scale, *, language: str = "en") -> dict[str, Any]:
    """The FHIR R4 Questionnaire of a scale, as JSON-ready dicts.

    One item per scale item in published order (``linkId`` = item id; text from a licensed text
    pack or the document where shipped, else the construct paraphrase), then one read-only
    ``decimal`` item per score with an SDC ``calculatedExpression`` computing what
    :meth:`Scale.score` computes (see :mod:`alliancekit.fhir._expressions`). A score that
    FHIRPath cannot express carries no expression and a ``designNote`` saying why.

    :param language: the language of item text and option labels.
    :returns: the Questionnaire resource.
    """
    texts = _texts(scale, language)
    items: list[dict[str, Any]] = []
    for item in scale.items:
        text = texts.get(item.id) or item.construct or f"Item {item.number}"
        items.append(_item(scale, item, text, language))
    expressions = score_expressions(scale)
    link_ids = score_link_ids(scale)
    unexpressed: list[str] = []
    for definition in scale.scores:
        low, high = definition.range
        entry: dict[str, Any] = {
            "extension": [],
            "linkId": link_ids[definition.id],
            "text": definition.title or definition.id,
            "type": "decimal",
            "readOnly": True,
        }
        calculated = expressions[definition.id]
        if calculated.expression is not None:
            entry["extension"].append(
                {
                    "url": CALCULATED_EXPRESSION,
                    "valueExpression": {
                        "description": f"score {definition.id!r} as alliancekit scores it",
                        "language": "text/fhirpath",
                        "expression": calculated.expression,
                    },
                }
            )
        else:
            unexpressed.append(f"{definition.id}: {calculated.reason}")
            entry["extension"].append(
                {"url": DESIGN_NOTE, "valueMarkdown": f"Not calculated here: {calculated.reason}."}
            )
        entry["extension"] += [
            {"url": MIN_VALUE, "valueDecimal": decimal_json(low)},
            {"url": MAX_VALUE, "valueDecimal": decimal_json(high)},
        ]
        items.append(entry)
    description = (
        f"{scale.title}, generated by alliancekit from scale document {scale.id} "
        f"{scale.version} (sha256 {scale.sha256}). Calculated items score it as alliancekit does."
    )
    if unexpressed:
        description += " Scores without an expression: " + "; ".join(unexpressed)
    if scale.status == "provisional":
        description += " Provisional: " + " ".join(scale.verification.open_questions)
    questionnaire: dict[str, Any] = {"resourceType": "Questionnaire"}
    if _FHIR_ID.fullmatch(scale.id):
        questionnaire["id"] = scale.id
    questionnaire.update(
        {
            "url": canonical_url(scale),
            "identifier": [{"system": "urn:alliancekit:scale", "value": scale.id}],
            "version": scale.version,
            "name": _name(scale),
            "title": scale.title,
            "status": "active" if scale.status == "verified" else "draft",
            "subjectType": ["Patient"],
            "description": description,
            "copyright": f"{scale.license.holder}. {scale.license.terms}",
            "item": items,
        }
    )
    if unexpressed:
        questionnaire["extension"] = [
            {"url": DESIGN_NOTE, "valueMarkdown": "Not calculated here: " + "; ".join(unexpressed)}
        ]
    return questionnaire
