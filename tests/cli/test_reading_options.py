"""Options that meet files as people have them: ``analyze --ignore`` for an id column,
``trend --respondent`` for a file of several respondents, ``history --chart``."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliancekit.cli import main

Capture = pytest.CaptureFixture[str]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "srs-sessions.csv"


def test_analyze_passes_over_ignored_columns(capsys: Capture) -> None:
    """``analyze`` refuses an id column (naming --ignore), and with --ignore reads the items."""
    assert main(["analyze", "srs", str(EXAMPLE)]) == 1
    assert "--ignore COLUMN" in capsys.readouterr().err
    code = main(["analyze", "srs", str(EXAMPLE), "--ignore", "respondent", "--ignore", "session"])
    out = capsys.readouterr().out
    assert code == 0
    assert "4 items" in out
    assert "client-a" not in out


def test_analyze_ignoring_a_column_that_is_not_there(capsys: Capture) -> None:
    """--ignore of a column the file lacks is a usage error (exit 2)."""
    assert main(["analyze", "srs", str(EXAMPLE), "--ignore", "clinic"]) == 2
    assert "clinic" in capsys.readouterr().err


def test_trend_reads_one_respondent_of_several(capsys: Capture) -> None:
    """A file of several respondents is refused without --respondent (naming it), and read for
    the one chosen with it; the identifier is not printed."""
    assert main(["trend", str(EXAMPLE), "--scale", "srs"]) == 1
    assert "--respondent" in capsys.readouterr().err
    assert main(["trend", str(EXAMPLE), "--scale", "srs", "--respondent", "client-b"]) == 0
    out = capsys.readouterr().out
    sessions = [line for line in out.splitlines() if line[:1].isdigit()]
    expected = sum(line.startswith("client-b,") for line in EXAMPLE.read_text().splitlines())
    assert len(sessions) == expected
    assert "client-b" not in out


def test_history_draws_a_chart(tmp_path: Path, capsys: Capture) -> None:
    """``history --chart`` writes an SVG of the stored series."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    store = ["--store", url, "--respondent-column", "respondent", "--occasion-column", "session"]
    assert main(["score", "srs", str(EXAMPLE), *store]) == 0
    chart = tmp_path / "history.svg"
    assert (
        main(["history", "client-a", "--scale", "srs", "--store", url, "--chart", str(chart)]) == 0
    )
    capsys.readouterr()
    text = chart.read_text(encoding="utf-8")
    assert text.startswith("<svg") or text.startswith("<?xml")
    assert "</svg>" in text
