"""`alliancekit interpret` and `alliancekit trend` through ``alliancekit.cli.main``."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import alliancekit as ak
from alliancekit.cli import main

# 10 + 10 + 10 + 5.9 = 35.9: below the SRS cut-off of 36.
BELOW = {"q1": 10, "q2": 10, "q3": 10, "q4": 5.9}
# 10 + 10 + 10 + 6 = 36: exactly on the cut-off, not flagged.
AT = {"q1": 10, "q2": 10, "q3": 10, "q4": 6}


def write(tmp_path: Path, name: str, text: str) -> str:
    """Write a file in the test's directory and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_interpret_json_object_gives_one_json_object(tmp_path, capsys) -> None:
    """One JSON object in, one interpretation out: 35.9 is flagged alert, with its source; the
    warnings name each provisional fact used, the cut-off and its boundary among them."""
    path = write(tmp_path, "answers.json", json.dumps(BELOW))
    assert main(["interpret", "srs", path, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    total = out["scores"]["total"]
    assert (total["value"], total["flag"]) == (35.9, "alert")
    assert "OpenFIT" in total["source"]
    assert out["scale_id"] == "srs"
    assert all(w.startswith("provisional: ") for w in out["warnings"])
    result = ak.get_scale("srs").score(BELOW, notify=False)
    assert out["warnings"][: len(result.warnings)] == list(result.warnings)
    assert out["warnings"][len(result.warnings) :] == [
        "provisional: band [0, 36) of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)"
    ]


def test_interpret_json_list_from_stdin(monkeypatch, capsys) -> None:
    """A JSON list on stdin gives a list: 35.9 alert, 36 none."""
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps([BELOW, AT])))
    assert main(["interpret", "srs", "-", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["scores"]["total"]["flag"] for r in out] == ["alert", "none"]


def test_interpret_json_lines(tmp_path, capsys) -> None:
    """JSON Lines are read one response per line."""
    path = write(tmp_path, "answers.jsonl", f"{json.dumps(AT)}\n\n{json.dumps(BELOW)}\n")
    assert main(["interpret", "srs", path, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["scores"]["total"]["value"] for r in out] == [36, 35.9]


def test_interpret_csv_table(tmp_path, capsys) -> None:
    """CSV with item-id headers gives a table per response with value, flag, band and source."""
    path = write(tmp_path, "answers.csv", "q1,q2,q3,q4\n10,10,10,5.9\n10,10,10,6\n")
    assert main(["interpret", "srs", path]) == 0
    out = capsys.readouterr().out
    assert "Response 1" in out and "Response 2" in out
    first, second = out.split("Response 2")
    assert "35.9  alert" in first and "below cut-off" in first and "band source: OpenFIT" in first
    assert "36  none" in second


def test_interpret_ors_and_cors_cutoffs(tmp_path, capsys) -> None:
    """6 + 6 + 6 + 7 = 25: on the ORS not flagged (adult cut-off 25); on the CORS, the separate
    children's form, watch (cut-off 32); the warnings about the provisional facts used, the
    children's cut-off among them, are printed."""
    path = write(tmp_path, "a.json", json.dumps({"q1": 6, "q2": 6, "q3": 6, "q4": 7}))
    assert main(["interpret", "ors", path, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scores"]["total"]["flag"] == "none"
    assert main(["interpret", "cors", path]) == 0
    out = capsys.readouterr().out
    assert "25  watch" in out and "norm child" in out
    assert (
        "warning: provisional: band [0, 32) of 'total', norm 'child' (cut-off 32) "
        "(OpenFIT KA-01031, vendor)" in out
    )


def test_ors_has_no_child_norm_any_more(tmp_path, capsys) -> None:
    """The children's cut-off moved to the CORS document: asking the ORS for it is an error."""
    path = write(tmp_path, "a.json", json.dumps({"q1": 6, "q2": 6, "q3": 6, "q4": 7}))
    assert main(["interpret", "ors", path, "--norm", "child"]) == 2
    assert "no norm 'child'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "text", "code", "message"),
    [
        (["--norm", "teen"], json.dumps(AT), 2, "no norm 'teen'"),
        ([], "q1,q2,q3,q5\n1,2,3,4\n", 1, "columns that are neither item ids"),
        ([], "q1,q2,q3,q4\n1,2,3,40\n", 1, "response 1: q4"),
        ([], '{"q1": 1,', 1, "not JSON"),
        ([], '"just a string"', 1, "object of answers"),
        ([], "[1, 2]", 1, "response 1: answers must be a JSON object"),
    ],
)
def test_interpret_bad_input(tmp_path, capsys, argv, text, code, message) -> None:
    """Bad input gives exit code 1 (bad content) or 2 (bad usage) and a message, no traceback."""
    name = "in.csv" if text.startswith("q1") else "in.json"
    path = write(tmp_path, name, text)
    assert main(["interpret", "srs", path, *argv]) == code
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


def test_interpret_unreadable_file_is_usage_error(tmp_path, capsys) -> None:
    """A file that cannot be read is a usage error (exit 2)."""
    assert main(["interpret", "srs", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_interpret_unknown_scale_is_usage_error(tmp_path, capsys) -> None:
    """An unknown scale id is a usage error (exit 2)."""
    path = write(tmp_path, "a.json", json.dumps(AT))
    assert main(["interpret", "nope", path]) == 2
    assert "nope" in capsys.readouterr().err


# Sessions out of order in the file: 1 = 38, 2 = 37, 3 = 35.9 (10 + 10 + 10 + 5.9), 4 = missing.
SESSIONS = "session,q1,q2,q3,q4\n3,10,10,10,5.9\n1,9.5,9.5,9.5,9.5\n4,,9,9,9\n2,9.5,9.5,9,9\n"


def test_trend_table_sorts_sessions_and_lists_alerts(tmp_path, capsys) -> None:
    """Sessions are sorted by number; 38 → 37 (drop of 1: alert), 37 → 35.9 (drop 1.1 and
    below 36); session 4 has no total and raises nothing."""
    path = write(tmp_path, "s.csv", SESSIONS)
    assert main(["trend", path, "--scale", "srs"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines()[2:6]]
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    assert [row[1] for row in rows] == ["38", "37", "35.9", "no"]
    assert rows[1][-1] == "drop"
    assert rows[2][-2:] == ["below-cutoff,", "drop"]
    # trend over (0, 38), (1, 37), (2, 35.9): Σ(x − 1)(y − 36.9667) / 2 = (−1.0333 − 1.0667)/2
    # = −2.1/2 = −1.05
    assert "trend: -1.05 points per session" in out
    assert "session 3 [below-cutoff]" in out and "source: OpenFIT" in out


def test_trend_warns_about_the_provisional_bands_its_flags_read(tmp_path, capsys) -> None:
    """Sessions 1 and 2 read in [36, 40], session 3 in [0, 36): both bands are named as
    provisional (printed and in JSON), not only the facts the totals rest on."""
    path = write(tmp_path, "s.csv", SESSIONS)
    assert main(["trend", path, "--scale", "srs"]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warning")]
    assert main(["trend", path, "--scale", "srs", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["warnings"]
    assert printed == [f"warning: {warning}" for warning in listed]
    bands = [warning for warning in listed if "band [" in warning]
    assert [band.split(" of ")[0] for band in bands] == [
        "provisional: band [36, 40]",
        "provisional: band [0, 36)",
    ]


def test_trend_json(tmp_path, capsys) -> None:
    """JSON output has per-session values, changes and the alerts with their session labels."""
    path = write(tmp_path, "s.csv", SESSIONS)
    assert main(["trend", path, "--scale", "srs", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["value"] for s in out["sessions"]] == [38, 37, 35.9, None]
    assert [s["since_baseline"] for s in out["sessions"]] == [None, -1.0, -2.1, None]
    assert [(a["session"], a["kind"]) for a in out["alerts"]] == [
        ("2", "drop"),
        ("3", "below-cutoff"),
        ("3", "drop"),
    ]
    assert out["trend_per_session"] == pytest.approx(-1.05, abs=1e-12)


def test_trend_chart_is_written(tmp_path, capsys) -> None:
    """``--chart`` writes a well-formed SVG with the session labels and one alert marker per
    alerted session (2 and 3)."""
    path = write(tmp_path, "s.csv", SESSIONS)
    svg = tmp_path / "out.svg"
    assert main(["trend", path, "--scale", "srs", "--chart", str(svg)]) == 0
    assert "chart written" in capsys.readouterr().err
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    markers = [e for e in root.iter() if e.get("class") == "alert-marker"]
    assert len(markers) == 2


def test_trend_scale_from_column(tmp_path, capsys) -> None:
    """A scale column names the scale when --scale is not given."""
    path = write(tmp_path, "s.csv", "scale,session,q1,q2,q3,q4\nsrs,1,9,9,9,9\nsrs,2,9,9,9,9\n")
    assert main(["trend", path]) == 0
    assert "Session Rating Scale" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "argv", "code", "message"),
    [
        ("session,q1,q2,q3,q4\n1,9,9,9,9\n", [], 2, "name the scale"),
        ("scale,q1,q2,q3,q4\nsrs,9,9,9,9\nors,9,9,9,9\n", [], 1, "more than one scale"),
        ("scale,q1,q2,q3,q4\nors,9,9,9,9\n", ["--scale", "srs"], 1, "scale column says ors"),
        ("session,q1,q2,q3,q4\n1,9,9,9,9\n1,9,9,9,9\n", ["--scale", "srs"], 1, "repeats"),
        ("session,q1,q2,q3,q4\n", ["--scale", "srs"], 1, "no sessions"),
        ("session,q1,q2,q3,q4\n1,9,9,9,11\n", ["--scale", "srs"], 1, "session 1: q4"),
    ],
)
def test_trend_bad_input(tmp_path, capsys, text, argv, code, message) -> None:
    """Bad trend input gives exit 1 (bad content) or 2 (usage) and a message, no traceback."""
    path = write(tmp_path, "s.csv", text)
    assert main(["trend", path, *argv]) == code
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


def test_trend_refuses_several_respondents_without_naming_them(tmp_path, capsys) -> None:
    """Two respondents in one file are refused, and their identifiers are never printed."""
    text = "respondent,session,q1,q2,q3,q4\nalice-77,1,9,9,9,9\nbob-42,2,9,9,9,9\n"
    path = write(tmp_path, "s.csv", text)
    assert main(["trend", path, "--scale", "srs"]) == 1
    captured = capsys.readouterr()
    assert "more than one respondent" in captured.err
    assert "alice" not in captured.err + captured.out and "bob" not in captured.err + captured.out
