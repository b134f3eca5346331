"""The built-in catalogue: every document in scales/ loads and follows the house conventions."""

from __future__ import annotations

import json
import re

import pytest

import alliancekit as ak
from alliancekit.builtins._scales import builtin_scale_paths

BUILTIN = [path.stem for path in builtin_scale_paths()]


def test_catalogue_is_not_empty_and_lists_every_file() -> None:
    """list_scales() has one record per file in scales/, with id, version, title and status."""
    records = ak.list_scales()
    assert {r.id for r in records} >= set(BUILTIN)
    assert {"wai-sr", "srs", "ors"} <= set(BUILTIN)
    for record in records:
        assert record.status in ("verified", "provisional")
        assert re.fullmatch(r"\d+\.\d+\.\d+", record.version)
        assert record.title


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_builtin_document_is_valid(scale_id: str) -> None:
    """Every built-in document passes both loader passes and its id equals its file name."""
    path = next(p for p in builtin_scale_paths() if p.stem == scale_id)
    assert ak.validate_scale(path) == []
    assert ak.load_scale(path).id == scale_id


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_builtin_items_are_numbered_in_published_order(scale_id: str) -> None:
    """Items are q1…qN in published order (the convention for built-in scales)."""
    scale = ak.get_scale(scale_id)
    assert [i.id for i in scale.items] == [f"q{n}" for n in range(1, len(scale.items) + 1)]
    assert [i.number for i in scale.items] == list(range(1, len(scale.items) + 1))


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_builtin_documents_ship_no_item_text_unless_licensed(scale_id: str) -> None:
    """No copyrighted item text: items carry a paraphrase at most, unless the licence allows."""
    scale = ak.get_scale(scale_id)
    if scale.license.item_text == "not-included":
        assert all(item.text is None for item in scale.items)


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_provisional_documents_list_what_is_unconfirmed(scale_id: str) -> None:
    """A provisional scale names at least one open question; every scale cites a source."""
    scale = ak.get_scale(scale_id)
    assert scale.citations
    assert scale.verification.sources
    if scale.status == "provisional":
        assert scale.verification.open_questions


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_scores_are_lowercase_names(scale_id: str) -> None:
    """Scores are named in lowercase (total, task, goal, bond, …)."""
    scale = ak.get_scale(scale_id)
    assert all(re.fullmatch(r"[a-z_]+", s.id) for s in scale.scores)
    assert "total" in {s.id for s in scale.scores}


def test_wai_sr_key_matches_the_cited_sources() -> None:
    """WAI-SR: task 1,2,10,12; goal 4,6,8,11; bond 3,5,7,9; no reversed item; 5 points
    (research notes §1, Rivet and Blueprint agree)."""
    scale = ak.get_scale("wai-sr")
    assert scale.score_definition("task").items == ("q1", "q2", "q10", "q12")
    assert scale.score_definition("goal").items == ("q4", "q6", "q8", "q11")
    assert scale.score_definition("bond").items == ("q3", "q5", "q7", "q9")
    assert not any(item.reverse for item in scale.items)
    assert scale.items[0].response_set.values == frozenset({1, 2, 3, 4, 5})
    assert scale.score_definition("total").range == (12.0, 60.0)
    assert scale.score_definition("task").range == (4.0, 20.0)


@pytest.mark.parametrize("scale_id", ["srs", "ors", "cors", "csrs"])
def test_visual_analogue_totals_range_from_0_to_40(scale_id: str) -> None:
    """SRS, ORS and their children's forms: four 0–10 cm marks summed, so the total runs 0–40
    (research notes §3, §4; docs/scales.md for CORS and CSRS)."""
    scale = ak.get_scale(scale_id)
    assert [(i.response_set.min, i.response_set.max) for i in scale.items] == [(0, 10)] * 4
    assert scale.score_definition("total").range == (0.0, 40.0)


def test_srs_is_provisional_and_names_both_readings_of_its_boundary() -> None:
    """The SRS cut-off rests on vendor and secondary sources that disagree on whether 36 itself
    is flagged: the document is provisional and its open question cites both."""
    scale = ak.get_scale("srs")
    assert scale.status == "provisional"
    (question,) = [q for q in scale.verification.open_questions if "36" in q and "≤36" in q]
    assert "SRSPost < CutoffSRS" in question
    assert "psychologyroots.org" in question


def test_ors_reads_adults_only_and_the_cors_is_its_own_document() -> None:
    """The ORS has one norm, adults (cut-off 25), and says adolescents have none; the children's
    cut-off (32) lives in the CORS document, and the CSRS has no cut-off at all."""
    ors = ak.get_scale("ors").interpretation["total"]
    assert [n.id for n in ors.norms] == ["adult"]
    assert "18" in ors.norms[0].population and "13–17" in ors.norms[0].population
    assert [b.upper for b in ors.norms[0].bands] == [25, 40]
    cors = ak.get_scale("cors").interpretation["total"]
    assert [(n.id, [b.upper for b in n.bands]) for n in cors.norms] == [("child", [32, 40])]
    csrs = ak.get_scale("csrs").interpretation["total"]
    assert (csrs.bands, csrs.norms, csrs.alerts) == ((), (), ())


def test_a_patient_trust_scale_scores_with_its_reverse_key_traced() -> None:
    """The Wake Forest physician trust short form scores 5–25 with its one negatively worded item
    reversed; the key is a provisional fact whose source names both halves of the trace (PhenX's
    rule and the published item list), and every score warns about it."""
    scale = ak.get_scale("wfpts-5")
    assert [item.id for item in scale.items if item.reverse] == ["q1"]
    assert scale.score_definition("total").range == (5.0, 25.0)
    (keying,) = [f for f in scale.facts if f.kind == "keying"]
    assert keying.status == "provisional"
    assert "871001" in keying.source and "Lewandowski" in keying.source
    result = scale.score({"q1": 4, "q2": 4, "q3": 4, "q4": 4, "q5": 4})
    assert result.scores["total"].value == 2 + 4 * 4
    assert any("reverse keys" in warning for warning in result.warnings)
    assert scale.license.item_text == "not-included"


def test_unknown_scale_is_a_lookup_error_naming_the_known_ids() -> None:
    """get_scale of an unknown id raises UnknownScaleError, a LookupError."""
    with pytest.raises(LookupError) as caught:
        ak.get_scale("no-such-scale")
    assert isinstance(caught.value, ak.UnknownScaleError)
    assert "wai-sr" in str(caught.value)


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_round_trip_is_identity(scale_id: str) -> None:
    """load → to_dict → load gives an equal scale with the same sha256, and to_dict is the
    document as written in the file."""
    scale = ak.get_scale(scale_id)
    again = ak.load_scale(scale.to_dict())
    assert again == scale
    assert again.sha256 == scale.sha256
    path = next(p for p in builtin_scale_paths() if p.stem == scale_id)
    assert scale.to_dict() == json.loads(path.read_text("utf-8"))


def test_sha256_is_lowercase_hex_of_the_canonical_json() -> None:
    """The sha256 is the lowercase hex digest of the sorted, compact UTF-8 JSON."""
    import hashlib

    scale = ak.get_scale("srs")
    canonical = json.dumps(
        scale.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert scale.sha256 == hashlib.sha256(canonical).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", scale.sha256)
