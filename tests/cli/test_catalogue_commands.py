"""``alliancekit list``, ``show`` and ``validate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliancekit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_list_shows_every_builtin_scale(capsys: pytest.CaptureFixture[str]) -> None:
    """`list` prints one line per scale with its status."""
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    expected = [
        ("wai-sr", "provisional"),
        ("srs", "provisional"),
        ("ors", "provisional"),
        ("cors", "provisional"),
        ("csrs", "provisional"),
        ("wai-s", "provisional"),
        ("wfpts-5", "provisional"),
    ]
    for scale_id, status in expected:
        line = next(line for line in out.splitlines() if line.startswith(scale_id + " "))
        assert status in line


def test_list_json_is_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    """`list --json` prints records with id, version, title and status."""
    assert main(["list", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"id", "version", "title", "status"} <= set(records[0])


def test_show_prints_items_scores_bands_licence_and_questions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`show srs` lists the items, the total's range, the cut-off band, licence and open
    questions; the top band is closed at the maximum."""
    assert main(["show", "srs"]) == 0
    out = capsys.readouterr().out
    assert "q4" in out
    assert "total: sum of q1, q2, q3, q4  (range 0–40)" in out
    assert "[0, 36) below cut-off" in out
    assert "[36, 40] at or above cut-off" in out
    assert "Licence:" in out
    assert "Open questions:" in out


def test_show_json_prints_the_canonical_document(capsys: pytest.CaptureFixture[str]) -> None:
    """`show --json` prints the document exactly as shipped."""
    assert main(["show", "wai-sr", "--json"]) == 0
    shipped = json.loads((ROOT / "scales" / "wai-sr.json").read_text("utf-8"))
    assert json.loads(capsys.readouterr().out) == shipped


def test_show_unknown_scale_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown id exits 2 with a one-line message and no traceback."""
    assert main(["show", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown scale 'nope'" in err
    assert "Traceback" not in err


def test_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate exits 0 for valid files, 1 when one is invalid, 2 when one cannot be read."""
    good = str(ROOT / "scales" / "srs.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": 1}', "utf-8")
    assert main(["validate", good]) == 0
    assert main(["validate", good, str(bad)]) == 1
    assert main(["validate", good, str(tmp_path / "absent.json")]) == 2
    out = capsys.readouterr().out
    assert "$.id: [schema-type]" in out


def test_validate_json_lists_every_issue_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate --json` maps each file to its issues (json_path, code, message)."""
    doc = json.loads((ROOT / "scales" / "srs.json").read_text("utf-8"))
    doc["scores"][0]["items"] = ["q1", "q9"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), "utf-8")
    assert main(["validate", "--json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {
        "json_path": "$.scores[0].items[1]",
        "code": "unknown-item",
        "message": "no item 'q9'",
    } in report[str(path)]


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing argument is an argparse usage error (exit 2)."""
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2


def test_show_prints_the_option_labels(capsys: pytest.CaptureFixture[str]) -> None:
    """``show`` lists each response set with its options' labels (WAI-SR: 1 Seldom … 5
    Always) and a continuous set's range and unit (SRS: 0 to 10 cm)."""
    assert main(["show", "wai-sr"]) == 0
    assert "freq5: 1 = Seldom, 2 = Sometimes, 3 = Fairly often, 4 = Very often, 5 = Always" in (
        capsys.readouterr().out
    )
    assert main(["show", "srs"]) == 0
    assert "vas10: any number from 0 to 10 cm" in capsys.readouterr().out
