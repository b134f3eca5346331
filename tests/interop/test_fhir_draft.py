"""A draft scale document from someone else's FHIR Questionnaire: what is carried over, what is
named as not carried over, and that the draft loads and scores."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from scoring_strategies import answers

import alliancekit as ak
from alliancekit import fhir
from alliancekit.errors import ResponseError, ScaleDefinitionError

WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"


def _choice(link_id: str, weights: list[int] | None, codes: list[str], url: str = WEIGHT) -> Any:
    options = []
    for i, code in enumerate(codes):
        option: dict[str, Any] = {"valueCoding": {"code": code, "display": f"label {code}"}}
        if weights is not None:
            option["extension"] = [{"url": url, "valueDecimal": weights[i]}]
        options.append(option)
    return {
        "linkId": link_id,
        "text": f"Question {link_id}",
        "type": "choice",
        "answerOption": options,
    }


def _weight_term(link_id: str, url: str = WEIGHT) -> str:
    return (
        f"%questionnaire.item.where(linkId='{link_id}').answerOption"
        f".where(valueCoding.code=%resource.item.where(linkId='{link_id}').answer.valueCoding.code)"
        f".extension.where(url='{url}').valueDecimal"
    )


def _calculated(link_id: str, expression: str) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "type": "decimal",
        "readOnly": True,
        "extension": [
            {
                "url": CALCULATED,
                "valueExpression": {"language": "text/fhirpath", "expression": expression},
            }
        ],
    }


def _questionnaire(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": "their-form",
        "url": "http://example.org/Questionnaire/their-form",
        "version": "2.1.0",
        "title": "Their form",
        "status": "active",
        "copyright": "Their copyright",
        "item": list(items),
    }


def test_a_plain_sum_of_weights_becomes_a_total() -> None:
    """Two weighted choice items (one nested in a group), a 0–10 decimal item and a calculated
    plain sum of the three: a provisional draft with ordinal and continuous sets, items in
    order, and a 'total' that scores 2 + 1 + 7.5 = 10.5."""
    questionnaire = _questionnaire(
        _choice("a", [0, 1, 2], ["0", "1", "2"]),
        {"linkId": "g", "type": "group", "item": [_choice("b", [1, 2, 3], ["x", "y", "z"])]},
        {
            "linkId": "c",
            "type": "decimal",
            "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueDecimal": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueDecimal": 10},
            ],
        },
        _calculated(
            "sum",
            f"{_weight_term('a')} + {_weight_term('b', ORDINAL)} "
            "+ %resource.item.where(linkId='c').answer.value",
        ),
    )
    document = fhir.from_questionnaire(questionnaire)
    scale = ak.load_scale(document)
    assert scale.status == "provisional"
    assert [i.id for i in scale.items] == ["a", "b", "c"]
    assert [o.value for o in scale.item("b").response_set.options] == [1, 2, 3]
    assert scale.item("c").response_set.kind == "continuous"
    assert document["scores"] == [
        {
            "id": "total",
            "items": ["a", "b", "c"],
            "method": "sum",
            "status": "provisional",  # a draft confirms no fact
            "missing": {"status": "provisional"},
        }
    ]
    assert document["$schema"] == "urn:alliancekit:schema:scale:2"
    assert scale.score({"a": 2, "b": 1, "c": 7.5}).scores["total"].value == 10.5
    assert document["version"] == "2.1.0"
    assert document["license"]["terms"] == "Their copyright"


def test_what_is_not_carried_over_is_named() -> None:
    """A string item, a decimal without bounds, a choice without weights or integer codes and a
    calculated item that is not a plain sum are each named, with why, in open_questions."""
    questionnaire = _questionnaire(
        _choice("a", [0, 1], ["0", "1"]),
        _choice("b", [0, 1], ["0", "1"]),
        {"linkId": "name", "type": "string"},
        {"linkId": "free", "type": "decimal"},
        _choice("words", None, ["yes", "no"]),
        _calculated("sum", f"{_weight_term('a')} + {_weight_term('b')}"),
        _calculated("double", f"({_weight_term('a')}) * 2"),
    )
    document = fhir.from_questionnaire(questionnaire)
    ak.load_scale(document)
    questions = "\n".join(document["verification"]["open_questions"])
    for expected in ("'name'", "'free'", "'words'", "'double'"):
        assert f"{expected} not carried over" in questions
    assert "minValue" in questions and "not a plain sum" in questions


def test_weights_that_reverse_the_codes_make_a_reversed_item() -> None:
    """Codes 1–5 weighted 5…1 are an item reversed on the values 1–5; codes alone are values."""
    document = fhir.from_questionnaire(
        _questionnaire(
            _choice("r", [5, 4, 3, 2, 1], ["1", "2", "3", "4", "5"]),
            _choice("p", None, ["1", "2", "3", "4", "5"]),
            _calculated("sum", f"{_weight_term('r')} + {_weight_term('p')}"),
        )
    )
    scale = ak.load_scale(document)
    assert scale.item("r").reverse and not scale.item("p").reverse
    assert scale.score({"r": 1, "p": 1}).scores["total"].value == 6.0


@pytest.mark.parametrize("scale_id", ["wai-sr", "wai-s", "srs"])
def test_own_questionnaires_come_back_with_their_sums(scale_id: str) -> None:
    """alliancekit's own Questionnaire comes back as a draft with every plain sum of the scale
    (WAI-SR's total_mean, a mean allowing missing items, is named as not carried over), and the
    draft scores every complete answer set as the scale does."""
    scale = ak.get_scale(scale_id)
    document = fhir.from_questionnaire(fhir.to_questionnaire(scale))
    draft = ak.load_scale(document)
    sums = {s.id for s in scale.scores if s.method == "sum" and not s.missing.allows_missing}
    assert {s.id for s in draft.scores} == sums
    not_carried = [q for q in document["verification"]["open_questions"] if "not carried" in q]
    assert [q.split("'")[1] for q in not_carried] == (
        ["total_mean"] if scale_id == "wai-sr" else []
    )

    @settings(max_examples=25, deadline=None)
    @given(answers(scale, missing=False))
    def check(complete: dict[str, Any]) -> None:
        expected = scale.score(complete, notify=False).values()
        assert draft.score(complete, notify=False).values() == {k: expected[k] for k in sums}

    check()


def test_nothing_to_score_is_refused_unless_asked() -> None:
    """Without a qualifying calculated item the draft is refused, or gets a default total."""
    questionnaire = _questionnaire(
        _choice("a", [0, 1], ["0", "1"]), _choice("b", [0, 1], ["0", "1"])
    )
    with pytest.raises(ScaleDefinitionError, match="default_total"):
        fhir.from_questionnaire(questionnaire)
    document = fhir.from_questionnaire(questionnaire, default_total=True)
    assert ak.load_scale(document).score({"a": 1, "b": 1}).scores["total"].value == 2.0
    assert any("default_total" in q for q in document["verification"]["open_questions"])


@pytest.mark.parametrize(
    "given",
    [
        "not json",
        {"resourceType": "QuestionnaireResponse"},
        {"resourceType": "Bundle", "entry": []},
    ],
)
def test_another_resource_is_a_clear_error(given: Any) -> None:
    """Malformed JSON and resources of another type are refused with a ResponseError."""
    with pytest.raises(ResponseError):
        fhir.from_questionnaire(given)
