"""The README's main job, end to end on the embedded default: score the example SRS sessions into
a SQLite store, then read one client's history with its alerts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from alliancekit.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "srs-sessions.csv"

# Totals worked by hand from examples/srs-sessions.csv (sum of the four 0-10 marks):
#   client-a: 9.1+9.0+8.8+9.2 = 36.1; 9.3+9.2+9.0+9.4 = 36.9; 8.5+8.7+8.2+8.6 = 34.0;
#             9.0+9.1+8.9+9.0 = 36.0; 9.4+9.5+9.3+9.6 = 37.8; 9.6+9.7+9.5+9.8 = 38.6
#   client-b: 7.5+8.0+7.8+8.1 = 31.4; 8.4+8.6+8.8+8.9 = 34.7; 9.2+9.4+9.1+9.5 = 37.2
TOTALS = ["36.1", "36.9", "34.0", "36.0", "37.8", "38.6", "31.4", "34.7", "37.2"]


def test_main_job_scores_stores_and_reports_alerts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row is scored exactly; the history of client-a flags session 3 (34 < 36, and a
    drop of 36.9 - 34.0 = 2.9 >= 1 point) and nothing else — session 4 is exactly 36, which is
    not below the cut-off."""
    monkeypatch.chdir(tmp_path)
    store = "sqlite:///alliancekit-demo.db"
    args = ["--store", store, "--respondent-column", "respondent", "--occasion-column", "session"]
    assert main(["score", "srs", str(EXAMPLE), *args]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [float(r["total"]) for r in rows] == [float(t) for t in TOTALS]

    assert main(["history", "client-a", "--scale", "srs", "--store", store]) == 0
    out = capsys.readouterr().out
    alert_lines = [line for line in out.splitlines() if line.strip().startswith("occasion")]
    assert len(alert_lines) == 2
    assert all(line.strip().startswith("occasion 3 ") for line in alert_lines)
    assert "[below-cutoff]" in alert_lines[0] + alert_lines[1]
    assert "[drop]" in alert_lines[0] + alert_lines[1]
    assert "client-a" not in out
