"""Provenance per fact (meta-schema v2): every fact states its status and source, the document's
status is derived from them, a verified fact must name its source, results warn only about the
provisional facts their scores rest on, and a v1 document loads exactly as before."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import alliancekit as ak
from alliancekit.builtins._scales import builtin_scale_paths
from alliancekit.document import SCHEMA_URIS, canonical_json, upgrade_document
from alliancekit.testing.strategies import answers, scale_documents

DATA = Path(__file__).resolve().parents[1] / "data" / "v1"
BUILTIN = [path.stem for path in builtin_scale_paths()]
SOURCE = "Invented 2024, test: a source made up for the alliancekit test suite"

#: the sha256 of tests/data/v1/srs.json (the SRS as shipped before meta-schema v2), as the
#: release before v2 computed it
V1_SRS_SHA256 = "63974b263f6b1237c739bd2c487e4aea93abd8f1a767084cda4422bc42e5b32c"


def fact(status: str = "verified", **fields: Any) -> dict[str, Any]:
    """A fact's provenance: its source and status, plus any other members."""
    return {"source": SOURCE, "status": status, **fields}


def v2_document(status: str = "verified") -> dict[str, Any]:
    """A valid v2 document whose every fact has ``status``: items q1–q3 (1–5, q2 reversed),
    ``sub`` = q1 + q2, ``total`` = sub + q3 (a score of scores), ``pct`` = the total on 0–100;
    bands, a norm and alert rules on the total."""
    return {
        "$schema": SCHEMA_URIS[2],
        "id": "prov",
        "version": "1.0.0",
        "title": "A provenance test scale",
        "citations": [{"text": "Invented for the alliancekit test suite."}],
        "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
        "verification": {"sources": [SOURCE], "open_questions": []},
        "population": fact(status, description="adults"),
        "keying": fact(status),
        "response_sets": {
            "five": fact(status, kind="ordinal", options=[{"value": v} for v in range(1, 6)])
        },
        "items": [
            {"id": "q1", "number": 1, "response_set": "five"},
            {"id": "q2", "number": 2, "response_set": "five", "reverse": True},
            {"id": "q3", "number": 3, "response_set": "five"},
        ],
        "scores": [
            fact(status, id="sub", items=["q1", "q2"], method="sum", missing=fact(status)),
            fact(status, id="other", items=["q3"], method="sum", missing=fact(status)),
            fact(status, id="total", scores=["sub", "other"], method="sum", missing=fact(status)),
            fact(
                status,
                id="pct",
                items="all",
                method="sum",
                missing=fact(status),
                transform=fact(status, to=[0, 100]),
            ),
        ],
        "interpretation": {
            "total": {
                "bands": [
                    fact(status, lower=3, upper=9, label="low", flag="alert"),
                    fact(status, lower=9, upper=15, label="high", flag="none"),
                ],
                "norms": [
                    fact(status, id="adults", population="adults", mean=9, sd=2, reliability=0.8)
                ],
                "alerts": [
                    fact(status, kind="below-cutoff"),
                    fact(status, kind="drop", min_drop=2),
                    fact(status, kind="reliable-deterioration", norm="adults"),
                ],
            }
        },
    }


def codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(json_path, code) of every problem ``validate_scale`` finds."""
    return [(i.json_path, i.code) for i in ak.validate_scale(document)]


# -- v1 documents load as before ------------------------------------------------------------------


def test_v1_document_loads_with_the_same_sha256() -> None:
    """The SRS as shipped in v1 still loads; its sha256 is that of its canonical JSON as given,
    unchanged by the v2 work."""
    path = DATA / "srs.json"
    scale = ak.load_scale(path)
    document = json.loads(path.read_text("utf-8"))
    assert document["$schema"] == SCHEMA_URIS[1]
    assert scale.schema_version == 1
    assert scale.sha256 == hashlib.sha256(canonical_json(document)).hexdigest()
    assert scale.sha256 == V1_SRS_SHA256


@pytest.mark.parametrize("name", ["srs", "wai-sr"])
def test_v1_document_keeps_its_stated_status_and_warnings(name: str) -> None:
    """A v1 document keeps its stated status, and a result carries one warning per open question
    when it is provisional (none when verified), as before; a reading adds nothing."""
    scale = ak.load_scale(DATA / f"{name}.json")
    stated = json.loads((DATA / f"{name}.json").read_text("utf-8"))["verification"]["status"]
    assert scale.status == stated
    result = scale.score({item.id: 3 for item in scale.items}, notify=False)
    expected = (
        tuple(f"provisional scale {name!r}: {q}" for q in scale.verification.open_questions)
        if stated == "provisional"
        else ()
    )
    assert result.warnings == expected
    readings = ak.interpret(result, scale=scale)
    assert all(reading.warnings == result.warnings for reading in readings.values())
    assert all(fact.status is None for fact in scale.facts)


@pytest.mark.parametrize("name", ["srs", "wai-sr"])
def test_v1_and_v2_documents_give_the_same_scores(name: str) -> None:
    """The v1 document, the shipped v2 document and the upgrade of the v1 document score every
    golden case alike."""
    old = ak.load_scale(DATA / f"{name}.json")
    upgraded = ak.load_scale(upgrade_document(DATA / f"{name}.json"))
    shipped = ak.get_scale(name)
    cases = json.loads((Path(__file__).parents[1] / "cases" / f"{name}.json").read_text("utf-8"))
    for case in cases["cases"]:
        if "error" in case:
            continue
        coerce = bool(case.get("coerce"))
        values = old.score(case["answers"], coerce=coerce, notify=False).values()
        assert upgraded.score(case["answers"], coerce=coerce, notify=False).values() == values
        assert shipped.score(case["answers"], coerce=coerce, notify=False).values() == values


def test_meta_schema_versions() -> None:
    """meta_schema() is v2 by default; v1 is still available."""
    assert ak.meta_schema()["$id"] == "urn:alliancekit:schema:scale:2"
    assert ak.meta_schema(1)["$id"] == "urn:alliancekit:schema:scale:1"


# -- v2: per-fact status, derived document status -----------------------------------------------


def test_v2_document_with_every_fact_verified_is_verified() -> None:
    """The document's status is derived: verified when every fact is."""
    scale = ak.load_scale(v2_document("verified"))
    assert scale.schema_version == 2
    assert scale.status == "verified"
    assert {f.status for f in scale.facts} == {"verified"}
    assert scale.score({"q1": 1, "q2": 2, "q3": 3}, notify=False).warnings == ()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (("population",), "population"),
        (("keying",), "keying"),
        (("response_sets", "five"), "response-set"),
        (("scores", 0), "membership"),
        (("scores", 0, "missing"), "missing"),
        (("scores", 3, "transform"), "transform"),
        (("interpretation", "total", "bands", 1), "band"),
        (("interpretation", "total", "norms", 0), "norm"),
        (("interpretation", "total", "alerts", 1), "alert"),
    ],
)
def test_one_provisional_fact_makes_the_document_provisional(
    path: tuple[Any, ...], kind: str
) -> None:
    """A single provisional fact, wherever it is, makes the derived status provisional."""
    document = v2_document("verified")
    node: Any = document
    for key in path:
        node = node[key]
    node["status"] = "provisional"
    scale = ak.load_scale(document)
    assert scale.status == "provisional"
    assert [f.kind for f in scale.facts if f.provisional] == [kind]


def test_v2_document_may_not_state_its_status() -> None:
    """In v2 the status is derived, never stated: verification.status is refused."""
    document = v2_document()
    document["verification"]["status"] = "verified"
    assert ("$.verification", "schema-additional-properties") in codes(document)


def test_v2_fact_without_status_is_refused() -> None:
    """Every v2 fact states its status."""
    document = v2_document()
    del document["interpretation"]["total"]["bands"][0]["status"]
    assert ("$.interpretation.total.bands[0]", "schema-required") in codes(document)


@pytest.mark.parametrize(
    ("path", "json_path"),
    [
        (("keying",), "$.keying"),
        (("population",), "$.population"),
        (("response_sets", "five"), "$.response_sets.five"),
        (("scores", 0), "$.scores[0]"),
        (("scores", 2, "missing"), "$.scores[2].missing"),
        (("scores", 3, "transform"), "$.scores[3].transform"),
        (("interpretation", "total", "bands", 0), "$.interpretation.total.bands[0]"),
        (("interpretation", "total", "norms", 0), "$.interpretation.total.norms[0]"),
        (("interpretation", "total", "alerts", 2), "$.interpretation.total.alerts[2]"),
    ],
)
def test_verified_fact_without_source_is_refused(path: tuple[Any, ...], json_path: str) -> None:
    """A fact marked verified must name the source that states it (verified-without-source)."""
    document = v2_document("verified")
    node: Any = document
    for key in path:
        node = node[key]
    del node["source"]
    assert codes(document) == [(json_path, "verified-without-source")]


def test_blank_source_counts_as_none() -> None:
    """A source of white space names nothing."""
    document = v2_document("verified")
    document["keying"]["source"] = "   "
    assert codes(document) == [("$.keying", "verified-without-source")]


def test_provisional_fact_without_source_is_allowed_and_says_so() -> None:
    """A provisional fact may lack a source (a draft); its warning says 'no source'."""
    document = v2_document("verified")
    document["keying"] = {"status": "provisional"}
    scale = ak.load_scale(document)
    result = scale.score({"q1": 1, "q2": 2, "q3": 3}, notify=False)
    assert result.warnings == ("provisional: reverse keys (q2 reversed) (no source)",)


# -- which warnings a result carries ------------------------------------------------------------


def test_result_warns_about_the_scoring_facts_only() -> None:
    """A result warns about the provisional facts its scores rest on, never about bands, norms
    or alert rules (scoring reads none), each once."""
    scale = ak.load_scale(v2_document("provisional"))
    result = scale.score({"q1": 1, "q2": 2, "q3": 3}, notify=False)
    assert result.warnings == (
        "provisional: response set 'five' (1 … 5) (Invented 2024, test)",
        "provisional: reverse keys (q2 reversed) (Invented 2024, test)",
        "provisional: score 'sub' (sum of q1, q2) (Invented 2024, test)",
        "provisional: missing-data rule of 'sub' (no item may be missing) (Invented 2024, test)",
        "provisional: score 'other' (sum of q3) (Invented 2024, test)",
        "provisional: missing-data rule of 'other' (no item may be missing) (Invented 2024, test)",
        "provisional: score 'total' (sum of scores sub, other) (Invented 2024, test)",
        "provisional: missing-data rule of 'total' (no component score may be missing) "
        "(Invented 2024, test)",
        "provisional: score 'pct' (sum of all 3 items) (Invented 2024, test)",
        "provisional: missing-data rule of 'pct' (no item may be missing) (Invented 2024, test)",
        "provisional: transform of 'pct' to [0, 100] (Invented 2024, test)",
    )


def test_score_warnings_follow_the_scores_a_value_rests_on() -> None:
    """A score built from scores rests on its components' facts; a score of items on its own."""
    document = v2_document("verified")
    document["scores"][0]["status"] = "provisional"  # the membership of 'sub'
    scale = ak.load_scale(document)
    expected = ("provisional: score 'sub' (sum of q1, q2) (Invented 2024, test)",)
    assert scale.score_warnings("sub") == expected
    assert scale.score_warnings("total") == expected
    assert scale.score_warnings("other") == ()
    assert scale.score_warnings("pct") == ()


# -- the built-in catalogue ---------------------------------------------------------------------


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_every_builtin_fact_has_a_source_and_a_status(scale_id: str) -> None:
    """Built-in documents are v2, and every fact names its source and states its status."""
    scale = ak.get_scale(scale_id)
    assert scale.schema_version == 2
    assert scale.facts
    for fact_ in scale.facts:
        assert fact_.status in ("verified", "provisional"), fact_.path
        assert fact_.source and fact_.source.strip(), fact_.path


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_builtin_status_is_derived_from_the_facts(scale_id: str) -> None:
    """The status shown for a built-in scale is verified only when every fact is."""
    scale = ak.get_scale(scale_id)
    derived = all(f.status == "verified" for f in scale.facts)
    assert scale.status == ("verified" if derived else "provisional")


def test_builtin_statuses_follow_the_audit() -> None:
    """Issue 14's audit: no built-in scale is verified (their scoring facts rest on vendor and
    third-party sources); the verified facts are the CORS's age range (Duncan et al. 2006) and
    the Wake Forest short form's population (Dugan et al. 2005)."""
    verified = {
        (scale.id, f.kind)
        for scale in map(ak.get_scale, BUILTIN)
        for f in scale.facts
        if f.status == "verified"
    }
    assert verified == {("cors", "population"), ("wfpts-5", "population")}
    assert {ak.get_scale(s).status for s in BUILTIN} == {"provisional"}


def test_srs_scoring_carries_no_cut_off_warning() -> None:
    """Scoring the SRS uses no band: none of its warnings is about the cut-off."""
    result = ak.get_scale("srs").score({"q1": 9, "q2": 9, "q3": 9, "q4": 8}, notify=False)
    assert result.warnings
    assert not any("cut-off" in w or "band" in w for w in result.warnings)


# -- upgrading v1 documents ---------------------------------------------------------------------


def test_upgrade_of_a_verified_v1_document_keeps_its_claim() -> None:
    """A v1 'verified' document vouched for every fact with its listed sources: upgraded, every
    fact is verified, and a fact without a source of its own cites those sources."""
    scale = ak.load_scale(upgrade_document(DATA / "wai-sr.json"))
    assert scale.schema_version == 2
    assert scale.status == "verified"
    keying = next(f for f in scale.facts if f.kind == "keying")
    assert keying.source is not None and keying.source.startswith("per the document's sources")
    assert "Rivet" in keying.source


def test_upgrade_of_a_provisional_v1_document_marks_every_fact_provisional() -> None:
    """A v1 'provisional' document never said which facts were confirmed: all are provisional."""
    document = upgrade_document(DATA / "srs.json")
    scale = ak.load_scale(document)
    assert {f.status for f in scale.facts} == {"provisional"}
    assert "status" not in document["verification"]
    assert document["scores"][0]["missing"] == {"status": "provisional"}


def test_upgrade_leaves_a_v2_document_alone() -> None:
    """Upgrading a v2 document returns it unchanged."""
    document = v2_document()
    assert upgrade_document(copy.deepcopy(document)) == document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale_documents(), st.data())
def test_upgrade_keeps_scores_readings_and_status(document: dict[str, Any], data: Any) -> None:
    """For any valid v1 document, the upgrade is valid, has the stated status as its derived
    one, and scores and reads every answer set alike (values, bands, flags)."""
    old = ak.load_scale(document)
    new = ak.load_scale(upgrade_document(document))
    assert new.schema_version == 2
    assert new.status == old.status
    given_answers = data.draw(answers(old, missing=True))
    before = old.score(given_answers, notify=False)
    after = new.score(given_answers, notify=False)
    assert after.values() == before.values()
    readings = ak.interpret(after, scale=new)
    for score_id, reading in ak.interpret(before, scale=old).items():
        assert (readings[score_id].band, readings[score_id].flag) == (reading.band, reading.flag)
