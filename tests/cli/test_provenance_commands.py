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
