"""``alliancekit show`` prints every fact with its status and source; ``validate`` refuses a
verified fact without a source; ``upgrade`` turns a v1 document into v2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import alliancekit as ak
from alliancekit.cli import main

ROOT = Path(__file__).resolve().parents[2]
V1_SRS = ROOT / "tests" / "data" / "v1" / "srs.json"


def test_show_srs_marks_the_cut_off_provisional_with_its_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each band of the SRS is listed as a provisional fact naming its cut-off, with the vendor
    source and the third-party source that disputes the boundary."""
    assert main(["show", "srs"]) == 0
    out = capsys.readouterr().out
    assert "status: provisional" in out
    assert "derived: 0 of 8 facts verified" in out
    lines = out.splitlines()
    start = lines.index("  provisional  band [0, 36) of 'total' (cut-off 36)")
    source = " ".join(line.strip() for line in lines[start + 1 : start + 6])
    assert source.startswith("source: OpenFIT KA-01028, vendor:")
    assert "psychologyroots.org" in source
    assert "  provisional  band [36, 40] of 'total' (cut-off 36)" in lines


def test_show_lists_every_fact_once(capsys: pytest.CaptureFixture[str]) -> None:
    """`show` has one status line per fact of the document, in document order."""
    scale = ak.get_scale("cors")
    assert main(["show", "cors"]) == 0
    lines = capsys.readouterr().out.splitlines()
    shown = [line[15:] for line in lines if line.startswith(("  verified ", "  provisional "))]
    assert shown == [fact.subject for fact in scale.facts]
    assert any(line.startswith("  verified     population: children aged 6–12") for line in lines)


def test_show_of_a_v1_document_says_its_status_is_document_wide(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A v1 document has no per-fact status: `show` says so for each fact."""
    assert main(["show", str(V1_SRS)]) == 0
    out = capsys.readouterr().out
    assert "meta-schema v1" in out
    assert "  (provisional, v1) band [0, 36) of 'total' (cut-off 36)" in out


def test_validate_refuses_a_verified_fact_without_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A band marked verified with no source: exit 1, code verified-without-source, its path."""
    document = json.loads((ROOT / "scales" / "srs.json").read_text("utf-8"))
    band = document["interpretation"]["total"]["bands"][0]
    del band["source"]
    band["status"] = "verified"
    path = tmp_path / "srs.json"
    path.write_text(json.dumps(document), "utf-8")
    assert main(["validate", "--json", str(path)]) == 1
    (issue,) = json.loads(capsys.readouterr().out)[str(path)]
    assert (issue["json_path"], issue["code"]) == (
        "$.interpretation.total.bands[0]",
        "verified-without-source",
    )


def test_upgrade_prints_a_valid_v2_document_that_scores_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`upgrade FILE` prints the v2 form of a v1 document; it validates and scores alike."""
    assert main(["upgrade", str(V1_SRS)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["$schema"] == "urn:alliancekit:schema:scale:2"
    path = tmp_path / "srs.json"
    path.write_text(json.dumps(document), "utf-8")
    assert main(["validate", str(path)]) == 0
    answers = {"q1": 8.7, "q2": 9.1, "q3": 9.5, "q4": 8.7}
    old, new = ak.load_scale(V1_SRS), ak.load_scale(path)
    assert new.score(answers, notify=False).values() == old.score(answers, notify=False).values()


def test_score_names_the_provisional_facts_its_scores_rest_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """After writing the scores of a provisional scale, ``score`` says on stderr which
    provisional facts they rest on, the trust scale's traced reverse key among them; it says
    nothing of the cut-off, which scoring does not use."""
    answers = tmp_path / "answers.csv"
    answers.write_text("client,q1,q2,q3,q4,q5\nA,2,4,5,3,4\n", encoding="utf-8")
    assert main(["score", "wfpts-5", str(answers)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "client,total,error\nA,20.0,\n"  # (6 - 2) + 4 + 5 + 3 + 4
    note = captured.err.splitlines()
    assert note[0].startswith("alliancekit score: the scores of wfpts-5 0.1.0 rest on")
    assert note[1:] == [f"  {w}" for w in ak.get_scale("wfpts-5").scoring_warnings]
    assert any("reverse keys (q1 reversed)" in line for line in note)
    srs = tmp_path / "srs.csv"
    srs.write_text("q1,q2,q3,q4\n8,8,9,10\n", encoding="utf-8")
    assert main(["score", "srs", str(srs)]) == 0
    assert "cut-off" not in capsys.readouterr().err


def test_score_of_a_verified_scale_says_nothing_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A scale whose every fact is verified carries no warning, so ``score`` prints no note."""
    document = json.loads(V1_SRS.read_text("utf-8"))
    document["verification"] = {**document["verification"], "status": "verified"}
    document["verification"]["open_questions"] = []
    path = tmp_path / "verified.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert ak.load_scale(document).scoring_warnings == ()
    answers = tmp_path / "answers.csv"
    answers.write_text("q1,q2,q3,q4\n8,8,9,10\n", encoding="utf-8")
    assert main(["score", str(path), str(answers)]) == 0
    assert capsys.readouterr().err == ""
