"""``alliancekit check FILE...``: loader checks with JSON paths, then the property suite; exit 0
when all holds, 1 when a check or property fails, 2 on usage errors; never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from toolkit_helpers import BROKEN, REPO

from alliancekit.cli import main

SRS = str(REPO / "scales" / "srs.json")
GAP = str(BROKEN / "gap-between-bands.json")
WRONG_KEY = str(BROKEN / "reversed-item-wrong-range.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process with a small search budget; (exit code, stdout,
    stderr)."""
    code = main(["check", "--max-examples", "5", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_sound_documents_and_ids_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    """A sound document and a catalogue id both pass: exit 0, one ``ok`` header each."""
    code, out, err = run(capsys, SRS, "wai-s")
    assert code == 0, out + err
    assert f"{SRS}: ok" in out and "wai-s: ok" in out
    assert err == ""


def test_loader_failure_exits_1_with_its_json_path(capsys: pytest.CaptureFixture[str]) -> None:
    """A document the loader rejects: exit 1, the issue printed with its JSON path and code."""
    code, out, _ = run(capsys, GAP)
    assert code == 1
    assert "FAILED  document" in out
    assert "$.interpretation.total.bands[1]: [gap-between-bands]" in out


def test_property_failure_exits_1_with_its_counterexample(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A document that loads but fails a property: exit 1, the property and its
    counterexample printed."""
    code, out, _ = run(capsys, WRONG_KEY)
    assert code == 1
    assert "FAILED  reverse-key-range" in out
    assert 'counterexample: {"score": "total", "item": "q4"' in out


def test_one_failing_file_among_sound_ones_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """Every file is checked; one failure is enough for exit 1."""
    code, out, _ = run(capsys, SRS, WRONG_KEY)
    assert code == 1
    assert f"{SRS}: ok" in out and f"{WRONG_KEY}: FAILED" in out


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("no-such-file.json", "cannot read no-such-file.json"),
        ("no-such-scale", "unknown scale 'no-such-scale'"),
    ],
)
def test_unreadable_files_and_unknown_ids_exit_2(
    capsys: pytest.CaptureFixture[str], argument: str, message: str
) -> None:
    """A missing file or an unknown scale id is a usage error (exit 2) on stderr; the other
    arguments are still checked and reported."""
    code, out, err = run(capsys, argument, SRS)
    assert code == 2
    assert message in err
    assert f"{SRS}: ok" in out


def test_a_directory_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A directory named like a document cannot be read: exit 2."""
    folder = tmp_path / "folder.json"
    folder.mkdir()
    code, _, err = run(capsys, str(folder))
    assert code == 2
    assert "cannot read" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "--max-examples", "0", SRS],
        ["check", "--max-examples", "many", SRS],
        ["check", "--skip", "document", SRS],
        ["check", "--skip", "no-such-check", SRS],
    ],
)
def test_bad_options_exit_2(argv: list[str]) -> None:
    """No file, a budget below 1, skipping ``document`` or an unknown check: argparse usage
    error, exit 2."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


def test_json_output_holds_every_result(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` prints one report per argument with every check, its status, message,
    counterexample and loader issues."""
    code, out, _ = run(capsys, "--json", SRS, WRONG_KEY)
    assert code == 1
    reports = json.loads(out)
    assert reports[SRS]["passed"] is True
    failed = [r for r in reports[WRONG_KEY]["results"] if r["status"] == "failed"]
    assert [r["name"] for r in failed] == ["reverse-key-range"]
    assert failed[0]["counterexample"]["item"] == "q4"


def test_skipped_checks_are_not_run(capsys: pytest.CaptureFixture[str]) -> None:
    """``--skip reverse-key-range`` turns the wrong-key document's only failure into a skip."""
    code, out, _ = run(capsys, "--skip", "reverse-key-range", WRONG_KEY)
    assert code == 0
    assert "skipped reverse-key-range - skipped on request" in out


def test_missing_hypothesis_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Hypothesis the property suite cannot run: exit 2 with how to install it."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    for module in ("properties", "strategies", "scale_documents"):
        monkeypatch.delitem(sys.modules, f"alliancekit.testing.{module}", raising=False)
    code, _, err = run(capsys, SRS)
    assert code == 2
    assert "pip install 'alliancekit[testing]'" in err
