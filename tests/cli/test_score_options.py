"""``alliancekit score`` options for people who open the output or import it twice:
``--safe-csv``, ``--digits``, ``--details``, ``--skip-existing``, and what an interrupt says."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import alliancekit as ak
from alliancekit.cli import _score_output, main

Capture = pytest.CaptureFixture[str]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "srs-sessions.csv"


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_safe_csv_neutralises_formulas_but_not_scores(tmp_path: Path, capsys: Capture) -> None:
    """With --safe-csv a pass-through cell or header that starts like a formula gets a leading
    quote; score values (even negative ones) are numbers and stay as they are."""
    path = _write(tmp_path, "id,@x,q1,q2,q3,q4\n=cmd|' /c calc'!A0,-5,8.7,9.1,9.5,8.7\n")
    assert main(["score", "srs", path, "--safe-csv", "--prefix", "+"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header == "id,'@x,'+total,error"
    assert row.startswith("'=cmd|' /c calc'!A0,'-5,36.0,")


def test_without_safe_csv_cells_are_copied_exactly(tmp_path: Path, capsys: Capture) -> None:
    """The default copies the input's cells byte for byte (documented: use --safe-csv for a
    spreadsheet)."""
    path = _write(tmp_path, "id,q1,q2,q3,q4\n=1+1,1,2,3,4\n")
    assert main(["score", "srs", path]) == 0
    assert _rows(capsys.readouterr().out)[0]["id"] == "=1+1"


def test_digits_rounds_halves_away_on_the_decimal_value(tmp_path: Path, capsys: Capture) -> None:
    """--digits 2 rounds 1.125 (a mark written to a thousandth) to 1.13: the decimal value's
    half goes away from zero (Python's round() of the float would give 1.12)."""
    path = _write(tmp_path, "q1,q2,q3,q4\n1.125,0,0,0\n0.3333,0,0,0\n")
    assert main(["score", "srs", path, "--digits", "2"]) == 0
    assert [r["total"] for r in _rows(capsys.readouterr().out)] == ["1.13", "0.33"]


def test_digits_out_of_range_is_a_usage_error(tmp_path: Path, capsys: Capture) -> None:
    """--digits takes 0 to 15."""
    assert main(["score", "srs", str(EXAMPLE), "--digits", "16"]) == 2
    assert "--digits" in capsys.readouterr().err


def test_details_say_why_a_score_is_empty(tmp_path: Path, capsys: Capture) -> None:
    """--details adds n_answered and the reason of an empty score."""
    path = _write(tmp_path, "q1,q2,q3,q4\n1,2,3,4\n1,2,,4\n")
    assert main(["score", "srs", path, "--details"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert (rows[0]["total"], rows[0]["total_n_answered"], rows[0]["total_reason"]) == (
        "10.0",
        "4",
        "",
    )
    assert (rows[1]["total"], rows[1]["total_n_answered"]) == ("", "3")
    assert rows[1]["total_reason"].startswith("1 of 4 items missing")


def _store_args(url: str) -> list[str]:
    return ["--store", url, "--respondent-column", "respondent", "--occasion-column", "session"]


def test_skip_existing_makes_a_second_import_harmless(tmp_path: Path, capsys: Capture) -> None:
    """Importing the same file twice with --skip-existing stores nothing new and says how many
    rows were skipped; without it every row fails as a duplicate occasion."""
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    assert main(["score", "srs", str(EXAMPLE), *_store_args(url)]) == 0
    capsys.readouterr()
    assert main(["score", "srs", str(EXAMPLE), *_store_args(url), "--skip-existing"]) == 0
    err = capsys.readouterr().err
    total = len(_rows(EXAMPLE.read_text(encoding="utf-8")))
    assert f"{total} rows already stored were skipped" in err
    with ak.open_store(url) as store:
        assert len(store.history("client-a", "srs")) == sum(
            r["respondent"] == "client-a" for r in _rows(EXAMPLE.read_text(encoding="utf-8"))
        )
    assert main(["score", "srs", str(EXAMPLE), *_store_args(url)]) == 1
    capsys.readouterr()


def test_skip_existing_still_refuses_other_answers(tmp_path: Path, capsys: Capture) -> None:
    """A row for an occasion already stored with other answers is an error, not a skip."""
    url = f"sqlite:///{tmp_path / 'changed.db'}"
    first = _write(tmp_path, "respondent,session,q1,q2,q3,q4\nr,1,1,2,3,4\n")
    assert main(["score", "srs", first, *_store_args(url)]) == 0
    changed = _write(tmp_path, "respondent,session,q1,q2,q3,q4\nr,1,9,2,3,4\n")
    assert main(["score", "srs", changed, *_store_args(url), "--skip-existing"]) == 1
    assert "already stored were skipped" not in capsys.readouterr().err


def test_an_interrupt_says_how_many_rows_were_written_and_stored(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while scoring into a store: exit 130, and stderr says how many rows were written
    and how many stored (the row being written when it came was stored already)."""
    calls = {"n": 0}
    write = _score_output.Output.write

    def interrupted(self: _score_output.Output, *args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        write(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_score_output.Output, "write", interrupted)
    url = f"sqlite:///{tmp_path / 'cut.db'}"
    out = tmp_path / "out.csv"
    code = main(
        ["score", "srs", str(EXAMPLE), *_store_args(url), "--chunk-rows", "1", "-o", str(out)]
    )
    assert code == 130
    assert "interrupted: 1 rows written, 2 stored" in capsys.readouterr().err
