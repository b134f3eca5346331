"""The FHIR resources alliancekit builds: the Questionnaire of a scale, QuestionnaireResponses
both ways (checked as strictly as score()), Observations of a result; every one valid R4."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir_checks import expressions, validate_r4
from hypothesis import given, settings
from scoring_documents import all_scales, invented
from scoring_strategies import answers

import alliancekit as ak
from alliancekit import fhir, hookimpl
from alliancekit.errors import ResponseError, UnknownScaleError

SCALES = all_scales()
IDS = [scale.id for scale in SCALES]
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"


def _extension(element: dict[str, Any], url: str) -> Any:
    (value,) = [
        v
        for e in element.get("extension", [])
        if e["url"] == url
        for k, v in e.items()
        if k != "url"
    ]
    return value


def _codes(error: pytest.ExceptionInfo[ResponseError]) -> set[tuple[str, str]]:
    return {(issue.item_id, issue.code) for issue in error.value.issues}


# -- Questionnaire ------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", SCALES, ids=IDS)
def test_questionnaire_is_valid_r4(scale: ak.Scale) -> None:
    """The Questionnaire of every built-in and invented scale parses as an R4 Questionnaire."""
    validate_r4(fhir.to_questionnaire(scale))


def _verified_scale() -> ak.Scale:
    """A small verified (meta-schema v1) scale: no built-in scale is verified."""
    return ak.load_scale(
        {
            "$schema": "urn:alliancekit:schema:scale:1",
            "id": "verified-tiny",
            "version": "1.0.0",
            "title": "A verified test scale",
            "citations": [{"text": "Invented for the interop tests (2026), no venue."}],
            "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
            "verification": {"status": "verified", "sources": ["invented"], "open_questions": []},
            "response_sets": {"r": {"kind": "ordinal", "options": [{"value": 1}, {"value": 2}]}},
            "items": [{"id": "q1", "number": 1, "response_set": "r"}],
            "scores": [{"id": "total", "items": "all", "method": "sum"}],
        }
    )


def test_questionnaire_header() -> None:
    """url is the documented canonical, version/title/status/copyright come from the document
    (provisional -> draft), and the items follow the published order, then the scores."""
    scale = ak.get_scale("wai-s")
    questionnaire = fhir.to_questionnaire(scale)
    assert questionnaire["url"] == "urn:alliancekit:fhir:Questionnaire:wai-s"
    assert questionnaire["version"] == scale.version
    assert questionnaire["status"] == "draft"
    assert fhir.to_questionnaire(_verified_scale())["status"] == "active"
    assert questionnaire["title"] == scale.title
    assert "SPR" in questionnaire["copyright"]
    assert [i["linkId"] for i in questionnaire["item"]] == [f"q{n}" for n in range(1, 13)] + [
        "total"
    ]


def test_reverse_keyed_options_carry_reversed_weights() -> None:
    """WAI-S item 4 is reversed: its option coded "1" (Never) weighs 7, both as ordinalValue and
    itemWeight; item 1 is not: "1" weighs 1. Codes are the option values as text."""
    questionnaire = fhir.to_questionnaire(ak.get_scale("wai-s"))
    items = {i["linkId"]: i for i in questionnaire["item"]}
    q4 = items["q4"]["answerOption"]
    assert [o["valueCoding"]["code"] for o in q4] == ["1", "2", "3", "4", "5", "6", "7"]
    assert q4[0]["valueCoding"]["display"] == "Never"
    assert q4[0]["valueCoding"]["system"] == "urn:alliancekit:fhir:CodeSystem:wai-s:never7"
    assert [_extension(o, WEIGHT) for o in q4] == [7, 6, 5, 4, 3, 2, 1]
    assert [_extension(o, ORDINAL) for o in q4] == [7, 6, 5, 4, 3, 2, 1]
    assert [_extension(o, WEIGHT) for o in items["q1"]["answerOption"]] == [1, 2, 3, 4, 5, 6, 7]


def test_continuous_items_are_decimals_with_bounds_and_unit() -> None:
    """SRS marks are decimal items with minValue 0, maxValue 10 and the unit cm."""
    (item, *_) = fhir.to_questionnaire(ak.get_scale("srs"))["item"]
    assert item["type"] == "decimal"
    assert _extension(item, "http://hl7.org/fhir/StructureDefinition/minValue") == 0
    assert _extension(item, "http://hl7.org/fhir/StructureDefinition/maxValue") == 10
    unit = _extension(item, "http://hl7.org/fhir/StructureDefinition/questionnaire-unit")
    assert unit["code"] == "cm"
    assert item["text"] == "relationship: feeling heard, understood and respected"


def test_score_items_are_read_only_decimals() -> None:
    """Each score is a readOnly decimal item after the items."""
    questionnaire = fhir.to_questionnaire(invented("composite"))
    scores = questionnaire["item"][4:]
    assert [s["linkId"] for s in scores] == ["a", "b", "c", "both", "either", "weighted"]
    assert all(s["type"] == "decimal" and s["readOnly"] for s in scores)


def test_a_score_id_that_is_an_item_id_is_prefixed() -> None:
    """A score named like an item gets the linkId 'score:<id>', which no item id can be."""
    document = json.loads(json.dumps(invented("prorated").to_dict()))
    document["scores"][3]["id"] = "q1"
    scale = ak.load_scale(document)
    questionnaire = fhir.to_questionnaire(scale)
    link_ids = [i["linkId"] for i in questionnaire["item"]]
    assert link_ids.count("q1") == 1
    assert "score:q1" in expressions(questionnaire)


def test_text_comes_from_a_licensed_text_pack(register_plugin: Any) -> None:
    """With a text pack registered for WAI-SR in English, items carry its text; without one,
    the construct paraphrase (never text that is not shipped)."""
    scale = ak.get_scale("wai-sr")
    before = fhir.to_questionnaire(scale)["item"][0]["text"]
    assert before == scale.items[0].construct

    class Pack:
        @hookimpl
        def alliancekit_register_item_text(self, register: Any) -> None:
            register("wai-sr", "en", {"q1": "Licensed wording one"}, license_note="test licence")

    register_plugin(Pack(), "licensed-pack")
    items = fhir.to_questionnaire(scale)["item"]
    assert items[0]["text"] == "Licensed wording one"
    assert items[1]["text"] == scale.items[1].construct


def test_a_plugin_method_gets_no_expression_and_a_reason(register_plugin: Any) -> None:
    """A score whose method is a plugin's has no calculatedExpression, says why (designNote),
    and so does a score of scores built on it; the other scores keep theirs."""

    class Methods:
        @hookimpl
        def alliancekit_register_scoring_methods(self, register: Any) -> None:
            register("highest", lambda values, score: max(v for v in values if v is not None))

    register_plugin(Methods(), "maths")
    document = invented("composite").to_dict()
    document["id"] = "peaks"
    document["scores"] = [
        {"id": "peak", "items": "all", "method": "highest"},
        {"id": "total", "items": "all", "method": "sum"},
        {"id": "both", "scores": ["peak", "total"], "method": "sum"},
    ]
    questionnaire = fhir.to_questionnaire(ak.load_scale(document))
    assert set(expressions(questionnaire)) == {"total"}
    notes = {i["linkId"]: json.dumps(i["extension"]) for i in questionnaire["item"][4:]}
    assert "highest" in notes["peak"] and "plugin" in notes["peak"]
    assert "peak" in notes["both"]
    assert "peak" in questionnaire["description"]
    validate_r4(questionnaire)


# -- QuestionnaireResponse ----------------------------------------------------------------------


@pytest.mark.parametrize("scale", SCALES, ids=IDS)
def test_response_round_trip(scale: ak.Scale) -> None:
    """Answers -> QuestionnaireResponse (valid R4) -> answers gives the answered items back,
    and scoring the response gives score()'s result."""

    @settings(max_examples=25, deadline=None)
    @given(answers(scale))
    def check(given_answers: dict[str, Any]) -> None:
        response = fhir.to_questionnaire_response(scale, given_answers)
        validate_r4(response)
        answered = {k: v for k, v in given_answers.items() if v is not None}
        assert fhir.from_questionnaire_response(response, scale=scale) == answered
        expected = scale.score(given_answers, notify=False).values()
        assert fhir.score_questionnaire_response(response, scale=scale).values() == expected

    check()


def test_response_header() -> None:
    """questionnaire is canonical|version, status completed, subject/authored/id as given, and
    missing answers are absent."""
    scale = ak.get_scale("srs")
    response = fhir.to_questionnaire_response(
        scale, {"q1": 8.7, "q2": None, "q3": 10}, subject="Patient/7", authored="2026-03-01", id="r"
    )
    assert response["questionnaire"] == f"urn:alliancekit:fhir:Questionnaire:srs|{scale.version}"
    assert response["status"] == "completed"
    assert response["subject"] == {"reference": "Patient/7"}
    assert response["authored"] == "2026-03-01"
    assert response["id"] == "r"
    assert response["item"] == [
        {"linkId": "q1", "answer": [{"valueDecimal": 8.7}]},
        {"linkId": "q3", "answer": [{"valueDecimal": 10}]},
    ]


def test_response_answers_are_checked_as_score_checks_them() -> None:
    """A value that score() refuses (out of range, not an option) is refused before building."""
    with pytest.raises(ResponseError) as error:
        fhir.to_questionnaire_response(ak.get_scale("wai-sr"), {"q1": 6, "q2": True})
    assert _codes(error) == {("q1", "value-not-an-option"), ("q2", "boolean-not-allowed")}


def test_the_scale_is_found_from_the_canonical() -> None:
    """Without scale=, the canonical (with or without |version) names the scale."""
    scale = ak.get_scale("wai-sr")
    response = fhir.to_questionnaire_response(scale, {"q1": 2})
    assert fhir.from_questionnaire_response(response) == {"q1": 2}
    response["questionnaire"] = "urn:alliancekit:fhir:Questionnaire:wai-sr"
    assert fhir.from_questionnaire_response(response) == {"q1": 2}


def _wai_sr_response(*items: dict[str, Any], version: str | None = None) -> dict[str, Any]:
    version = version or ak.get_scale("wai-sr").version
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"urn:alliancekit:fhir:Questionnaire:wai-sr|{version}",
        "status": "completed",
        "item": list(items),
    }


def _coded(link_id: str, code: str) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [{"valueCoding": {"code": code}}]}


def test_every_problem_is_reported_with_its_link_id() -> None:
    """Unknown linkId, a code that is no option, valueString for a choice, two answers, the
    same linkId twice and another version: one issue each, naming the linkId."""
    response = _wai_sr_response(
        _coded("q99", "1"),
        _coded("q1", "9"),
        {"linkId": "q2", "answer": [{"valueString": "often"}]},
        {
            "linkId": "q3",
            "answer": [{"valueCoding": {"code": "1"}}, {"valueCoding": {"code": "2"}}],
        },
        _coded("q4", "1"),
        _coded("q4", "2"),
        version="2.0.0",
    )
    with pytest.raises(ResponseError) as error:
        fhir.from_questionnaire_response(response)
    assert _codes(error) == {
        ("q99", "unknown-item"),
        ("q1", "value-not-an-option"),
        ("q2", "wrong-type"),
        ("q3", "multiple-answers"),
        ("q4", "duplicate-item"),
        ("*", "version-mismatch"),
    }


def test_marks_are_checked_like_score_checks_them() -> None:
    """An SRS mark out of range, a boolean and a valueInteger on a decimal item are refused."""
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "urn:alliancekit:fhir:Questionnaire:srs",
        "status": "completed",
        "item": [
            {"linkId": "q1", "answer": [{"valueDecimal": 10.5}]},
            {"linkId": "q2", "answer": [{"valueDecimal": True}]},
            {"linkId": "q3", "answer": [{"valueInteger": 5}]},
        ],
    }
    with pytest.raises(ResponseError) as error:
        fhir.from_questionnaire_response(response)
    assert _codes(error) == {("q1", "out-of-range"), ("q2", "wrong-type"), ("q3", "wrong-type")}


def test_a_calculated_score_in_the_response_is_ignored() -> None:
    """A (wrong) total in the response is not read: the score is recomputed."""
    response = _wai_sr_response(*[_coded(f"q{n}", "3") for n in range(1, 13)])
    response["item"].append({"linkId": "total", "answer": [{"valueDecimal": 60}]})
    assert fhir.score_questionnaire_response(response).scores["total"].value == 36.0


def test_a_foreign_code_system_is_refused() -> None:
    """A code from another code system is not taken for an option."""
    response = _wai_sr_response(
        {"linkId": "q1", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "3"}}]}
    )
    with pytest.raises(ResponseError) as error:
        fhir.from_questionnaire_response(response)
    assert _codes(error) == {("q1", "unknown-code-system")}


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("{not json", "invalid-json"),
        ("[1, 2]", "malformed-resource"),
        (42, "malformed-resource"),
        ({"resourceType": "Patient", "id": "p"}, "wrong-resource-type"),
        (
            {"resourceType": "Bundle", "entry": [{"resource": {}} for _ in range(500)]},
            "wrong-resource-type",
        ),
        ({**_wai_sr_response(), "questionnaire": 7}, "malformed-resource"),
        ({**_wai_sr_response(), "item": "q1"}, "malformed-resource"),
        (_wai_sr_response({"answer": []}), "malformed-resource"),
        (_wai_sr_response({"linkId": "q1", "answer": {"valueCoding": {}}}), "malformed-resource"),
        (_wai_sr_response({"linkId": "q1", "answer": ["x"]}), "malformed-resource"),
        (_wai_sr_response({"linkId": "q1", "answer": [{"valueCoding": "3"}]}), "wrong-type"),
        ({**_wai_sr_response(), "status": "entered-in-error"}, "entered-in-error"),
    ],
)
def test_hostile_input_is_a_clear_error(given: Any, code: str) -> None:
    """Malformed JSON, a non-object, another resource type, a Bundle of many entries, broken
    items and a response entered in error raise a ResponseError with a stable code, never a
    traceback from inside."""
    with pytest.raises(ResponseError) as error:
        fhir.from_questionnaire_response(given)
    assert code in {issue.code for issue in error.value.issues}


def test_a_bundle_is_named_with_its_entries() -> None:
    """The error for a Bundle says how many entries it has."""
    bundle = {"resourceType": "Bundle", "entry": [{}] * 3}
    with pytest.raises(ResponseError, match="Bundle' of 3 entries"):
        fhir.score_questionnaire_response(bundle)


def test_an_unknown_questionnaire_is_an_unknown_scale() -> None:
    """A canonical that is not an alliancekit one, or names no scale, is UnknownScaleError."""
    for url in ("http://example.org/Questionnaire/phq9|1", "urn:alliancekit:fhir:Questionnaire:x"):
        with pytest.raises(UnknownScaleError):
            fhir.from_questionnaire_response({**_wai_sr_response(), "questionnaire": url})


def test_a_response_to_another_questionnaire_is_refused_with_scale_given() -> None:
    """With scale= given, a response naming another questionnaire is refused."""
    with pytest.raises(ResponseError, match="wai-sr"):
        fhir.from_questionnaire_response(_wai_sr_response(), scale=ak.get_scale("srs"))


# -- Observations -------------------------------------------------------------------------------


def test_observations_of_an_srs_result() -> None:
    """One final survey Observation per score with the score code, value, band flag as HL7
    interpretation (alert -> AA), bands as reference ranges and derivedFrom the response."""
    scale = ak.get_scale("srs")
    marks = {"q1": 8.6, "q2": 9.7, "q3": 9.9, "q4": 7.7}
    response = fhir.to_questionnaire_response(scale, marks, id="qr-1")
    (observation,) = fhir.to_observations(
        scale.score(marks), subject="Patient/1", questionnaire_response=response, effective="2026"
    )
    validate_r4(observation)
    assert observation["status"] == "final"
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["code"]["coding"][0]["code"] == "srs/total"
    assert observation["valueQuantity"]["value"] == 35.9
    assert observation["interpretation"][0]["coding"][0]["code"] == "AA"
    assert [(r["low"]["value"], r["high"]["value"]) for r in observation["referenceRange"]] == [
        (0, 36),
        (36, 40),
    ]
    assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/qr-1"}]
    assert observation["subject"] == {"reference": "Patient/1"}


def test_observation_notes_name_the_provisional_facts_its_value_and_flag_rest_on() -> None:
    """Each Observation notes the provisional facts its own value rests on and the band its flag
    came from: a WAI-SR task score notes the task membership, not the bond's; an SRS total of
    35.9 notes the band [0, 36)."""
    wai = ak.get_scale("wai-sr")
    answers = {item.id: 3 for item in wai.items}
    by_code = {o["code"]["coding"][0]["code"]: o for o in fhir.to_observations(wai.score(answers))}
    task = [note["text"] for note in by_code["wai-sr/task"]["note"]]
    assert any("'task'" in text for text in task)
    assert not any("'bond'" in text for text in task)
    srs = ak.get_scale("srs")
    (observation,) = fhir.to_observations(srs.score({"q1": 8.6, "q2": 9.7, "q3": 9.9, "q4": 7.7}))
    notes = [note["text"] for note in observation["note"]]
    assert notes[1:] == list(
        ak.interpret(srs.score({"q1": 8.6, "q2": 9.7, "q3": 9.9, "q4": 7.7}))["total"].warnings
    )
    assert "provisional: band [0, 36) of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)" in notes


def test_a_score_without_value_is_a_data_absent_observation() -> None:
    """A score whose missing-data rule fails is an Observation with dataAbsentReason and the
    reason, not a missing record."""
    (observation,) = fhir.to_observations(ak.get_scale("srs").score({"q1": 5}))
    validate_r4(observation)
    assert "valueQuantity" not in observation
    assert observation["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert "3 of 4 items missing" in observation["dataAbsentReason"]["text"]


def test_norm_bands_are_used_for_the_ors() -> None:
    """ORS has no bands of its own: the adult norm's bands (watch below 25 -> A) apply."""
    (observation,) = fhir.to_observations(
        ak.get_scale("ors").score({"q1": 5, "q2": 5, "q3": 5, "q4": 5})
    )
    validate_r4(observation)
    assert observation["interpretation"][0]["coding"][0]["code"] == "A"
    assert observation["referenceRange"][0]["appliesTo"][0]["text"].startswith("adults")


@pytest.mark.parametrize("scale", SCALES, ids=IDS)
def test_observations_are_valid_r4(scale: ak.Scale) -> None:
    """Observations of any result (some scores missing) are valid R4, one per score."""

    @settings(max_examples=10, deadline=None)
    @given(answers(scale))
    def check(given_answers: dict[str, Any]) -> None:
        result = scale.score(given_answers, notify=False)
        observations = fhir.to_observations(result, scale=scale)
        assert len(observations) == len(scale.scores)
        for observation in observations:
            validate_r4(observation)

    check()


def test_deeply_nested_items_are_a_clear_error() -> None:
    """Items nested thousands deep are refused with an issue, not a RecursionError."""
    nested: dict[str, Any] = {"linkId": "q1"}
    for _ in range(5000):
        nested = {"linkId": "g", "item": [nested]}
    with pytest.raises(ResponseError) as error:
        fhir.from_questionnaire_response(_wai_sr_response(nested))
    assert "malformed-resource" in {issue.code for issue in error.value.issues}
