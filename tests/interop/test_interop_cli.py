"""The command line of the bridges: ``export``, ``import`` and ``score --input-format fhir`` /
``--format fhir``, read back with the other side's tools (the FHIR R4 models)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from fhir_checks import validate_r4
from score_stderr import problems

import alliancekit as ak
from alliancekit import fhir
from alliancekit.cli import main

Capture = pytest.CaptureFixture[str]


def _run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _srs_response(answers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return fhir.to_questionnaire_response(ak.get_scale("srs"), answers, **fields)


SESSION = {"q1": 8.7, "q2": 9.1, "q3": 9.5, "q4": 8.7}  # 36 exactly, by hand


def test_export_fhir_is_an_r4_questionnaire(capsys: Capture) -> None:
    """``export SRS --to fhir`` prints a Questionnaire the R4 models accept, one item per SRS
    mark and one calculated item for the total."""
    code, out, err = _run(capsys, "export", "srs", "--to", "fhir")
    assert (code, err) == (0, "")
    questionnaire = json.loads(out)
    validate_r4(questionnaire)
    assert [item["linkId"] for item in questionnaire["item"]] == ["q1", "q2", "q3", "q4", "total"]


def test_export_and_import_redcap_round_trip(capsys: Capture, tmp_path: Path) -> None:
    """A REDCap export imported again scores complete answers as the scale does."""
    dictionary = tmp_path / "wai_sr.csv"
    draft = tmp_path / "draft.json"
    assert _run(capsys, "export", "wai-sr", "--to", "redcap", "-o", str(dictionary))[0] == 0
    code, out, err = _run(capsys, "import", "redcap", str(dictionary), "--form", "wai_sr")
    assert code == 0
    assert "not carried over" in err
    draft.write_text(out, encoding="utf-8")
    imported = ak.load_scale(draft)
    answers = {f"q{n}": (n % 5) + 1 for n in range(1, 13)}
    assert imported.score(answers).values() == ak.get_scale("wai-sr").score(answers).values()


def test_import_redcap_needs_a_form(capsys: Capture, tmp_path: Path) -> None:
    """Without --form the import is a usage error (exit 2)."""
    path = tmp_path / "dd.csv"
    path.write_text("x\n", encoding="utf-8")
    code, _, err = _run(capsys, "import", "redcap", str(path))
    assert code == 2
    assert "--form" in err


def test_import_fhir_questionnaire(capsys: Capture, tmp_path: Path) -> None:
    """A Questionnaire exported by alliancekit imports as a draft that loads, with its total."""
    path = tmp_path / "q.json"
    path.write_text(json.dumps(fhir.to_questionnaire(ak.get_scale("srs"))), encoding="utf-8")
    code, out, _ = _run(capsys, "import", "fhir", str(path))
    assert code == 0
    draft = ak.load_scale(json.loads(out))
    assert draft.score(SESSION).values() == {"total": 36.0}


def test_score_fhir_ndjson_reports_bad_resources_by_line(capsys: Capture, tmp_path: Path) -> None:
    """NDJSON of QuestionnaireResponses: good ones scored, each bad line reported by its number
    with a stable code, exit 1."""
    good = _srs_response(SESSION, subject="Patient/1", id="r1")
    wrong = dict(good, item=[{"linkId": "q9", "answer": [{"valueDecimal": 1}]}])
    other = {"resourceType": "Patient", "id": "p"}
    lines = [json.dumps(good), json.dumps(wrong), "{not json", json.dumps(other)]
    path = tmp_path / "responses.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, "score", "srs", str(path), "--input-format", "fhir")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert (rows[0]["id"], rows[0]["subject"], rows[0]["total"]) == ("r1", "Patient/1", "36.0")
    assert "row 2: q9: [unknown-item]" in err
    assert "row 3: *: [invalid-json]" in err
    assert "row 4: *: [wrong-resource-type]" in err


def test_score_fhir_to_observations(capsys: Capture, tmp_path: Path) -> None:
    """``--format fhir`` writes one Observation per score of each scored response, valid R4,
    derived from its response; a response below the SRS cut-off is flagged AA."""
    responses = [
        _srs_response(SESSION, subject="Patient/7", id="a", authored="2026-03-01"),
        _srs_response({"q1": 5, "q2": 5, "q3": 5, "q4": 5}, subject="Patient/7", id="b"),
    ]
    path = tmp_path / "responses.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in responses), encoding="utf-8")
    code, out, err = _run(
        capsys, "score", "srs", str(path), "--input-format", "fhir", "--format", "fhir"
    )
    assert (code, problems(err)) == (0, [])
    observations = [json.loads(line) for line in out.splitlines()]
    for observation in observations:
        validate_r4(observation)
    assert [o["valueQuantity"]["value"] for o in observations] == [36, 20]
    assert observations[0]["derivedFrom"] == [{"reference": "QuestionnaireResponse/a"}]
    assert observations[1]["interpretation"][0]["coding"][0]["code"] == "AA"


def _bundle(path: Path, count: int) -> None:
    entry = json.dumps({"resource": _srs_response({"q1": 1, "q2": 2, "q3": 3, "q4": 4})})
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"resourceType": "Bundle", "type": "collection", "entry": [\n')
        handle.write(",\n".join([entry] * count))
        handle.write("\n]}\n")


def test_a_bundle_of_100k_entries_is_scored_entry_by_entry(tmp_path: Path, capsys: Capture) -> None:
    """A Bundle of 100,000 entries: every entry gets its row, in order."""
    path, out = tmp_path / "bundle.json", tmp_path / "scores.csv"
    _bundle(path, 100_000)
    assert main(["score", "srs", str(path), "--input-format", "fhir", "-o", str(out)]) == 0
    capsys.readouterr()
    with out.open(encoding="utf-8") as scores:
        assert [row["total"] for row in csv.DictReader(scores)] == ["10.0"] * 100_000


def test_a_bundle_is_read_in_bounded_memory(tmp_path: Path, capsys: Capture) -> None:
    """Reading a Bundle holds about one chunk of answers, not the file: the peak of Python's
    allocations stays far below the file's size."""
    path, out = tmp_path / "bundle.json", tmp_path / "scores.csv"
    _bundle(path, 20_000)
    tracemalloc.start()
    try:
        code = main(
            ["score", "srs", str(path), "--input-format", "fhir", "-o", str(out)]
            + ["--chunk-rows", "1000"]
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    capsys.readouterr()
    assert code == 0
    assert peak < path.stat().st_size / 4


def test_score_fhir_with_store(capsys: Capture, tmp_path: Path) -> None:
    """--store keeps working on FHIR input: the subject column gives the respondent."""
    path = tmp_path / "responses.ndjson"
    path.write_text(json.dumps(_srs_response(SESSION, subject="Patient/3")) + "\n", "utf-8")
    url = f"sqlite:///{tmp_path / 'fhir.db'}"
    code, _, err = _run(
        capsys, "score", "srs", str(path), "--input-format", "fhir", "--store", url,
        "--respondent-column", "subject", "--occasion", "1",
    )  # fmt: skip
    assert (code, problems(err)) == (0, [])
    with ak.open_store(url) as store:
        assert [r.values()["total"] for r in store.history("Patient/3", "srs")] == [36.0]


def test_a_bundle_entry_with_a_repeated_member_is_refused(tmp_path: Path, capsys: Capture) -> None:
    """JSON read from FHIR input is strict too: an entry repeating a member name is a bad row
    (``duplicate-key``), not the last value silently winning."""
    good = json.dumps({"resource": _srs_response(SESSION)})
    twice = '{"resource": {"resourceType": "QuestionnaireResponse", "status": "completed",'
    twice += ' "status": "entered-in-error"}}'
    path = tmp_path / "bundle.json"
    path.write_text(
        '{"resourceType": "Bundle", "type": "collection",\n "entry": ['
        + good
        + ",\n"
        + twice
        + "]}",
        encoding="utf-8",
    )
    assert main(["score", "srs", str(path), "--input-format", "fhir"]) == 1
    assert "row 2: *: [duplicate-key]" in capsys.readouterr().err
