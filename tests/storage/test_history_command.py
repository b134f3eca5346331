"""``alliancekit history``: a stored series, read with the stored documents, with alerts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import alliancekit as ak
from alliancekit.cli import main
from alliancekit.storage import open_store, sqlite_url
from alliancekit.testing.storage_conformance import old_srs, srs

RESPONDENT = "MRN-555-Jane-Roe"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """A store holding RESPONDENT's SRS totals 38, 36, 34.5 at occasions 1-3, where occasion 2
    was first saved as 30 and then amended, plus another respondent's record."""
    url = sqlite_url(tmp_path / "history.db")
    with open_store(url) as store:
        store.save(srs(9.5, 9.5, 9.5, 9.5), respondent=RESPONDENT, occasion=1)  # 38
        wrong = store.save(srs(7.5, 7.5, 7.5, 7.5), respondent=RESPONDENT, occasion=2)  # 30
        store.amend(wrong, srs(9, 9, 9, 9), "typed from the wrong form")  # 36
        store.save(srs(9, 9, 9, 7.5), respondent=RESPONDENT, occasion=3)  # 34.5
        store.save(srs(1, 1, 1, 1), respondent="someone-else", occasion=1)
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI; return the exit code, stdout and stderr."""
    code = main(["history", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_shows_values_flags_and_alerts(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """38 -> 36 -> 34.5: occasion 2 dropped 2 points (drop alert, the rule is >= 1) but sits at
    the cut-off (36 is in [36, 40]); occasion 3 dropped 1.5 and is below 36 (both alerts). The
    amended occasion 2 shows its correction, never the 30 it replaced."""
    code, out, _ = run(capsys, RESPONDENT, "--scale", "srs", "--store", store_url)
    assert code == 0
    rows = [line.split() for line in out.splitlines()[2:5]]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert rows[0][3:] == ["38", "none", "–", "–"]
    assert rows[1][2:] == ["3", "(fixes", "2)", "36", "none", "-2", "drop"]
    assert rows[2][3:] == ["34.5", "alert", "-1.5", "below-cutoff,", "drop"]
    assert "30" not in out.split("Alerts:")[0].split()
    assert "typed from the wrong form" in out


def test_flags_warn_about_the_provisional_bands_they_read(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The FLAG column reads each total against a band: 38 and 36 in [36, 40], whose boundary
    at 36 is disputed, and 34.5 in [0, 36). Both bands are named as provisional, in the table
    and in each JSON interpretation, beside the scoring facts."""
    _, out, _ = run(capsys, RESPONDENT, "--scale", "srs", "--store", store_url)
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert (
        "warning: provisional: band [36, 40] of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)"
        in warnings
    )
    assert (
        "warning: provisional: band [0, 36) of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)"
        in warnings
    )
    assert warnings[0] == f"warning: {ak.get_scale('srs').scoring_warnings[0]}"
    assert len(warnings) == len(set(warnings))
    _, out, _ = run(capsys, RESPONDENT, "--scale", "srs", "--store", store_url, "--format", "json")
    reading = json.loads(out)["records"][1]["scores"]["total"]["interpretation"]
    assert reading["flag"] == "none"
    assert any("band [36, 40]" in warning for warning in reading["warnings"])


def test_json_lists_records_with_interpretations_and_alerts(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json: three current records with each score's band and the three alerts
    (drop at 2; below-cutoff and drop at 3)."""
    code, out, _ = run(
        capsys, RESPONDENT, "--scale", "srs", "--store", store_url, "--format", "json"
    )
    data = json.loads(out)
    assert code == 0
    assert [r["scores"]["total"]["value"] for r in data["records"]] == [38, 36, 34.5]
    assert data["records"][2]["scores"]["total"]["interpretation"]["flag"] == "alert"
    assert [(a["occasion"], a["kind"]) for a in data["alerts"]] == [
        (2, "drop"),
        (3, "below-cutoff"),
        (3, "drop"),
    ]
    assert all("respondent_key" not in r for r in data["records"])


def test_superseded_records_are_listed_on_request(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--include-superseded lists the original 30 of occasion 2, marked old, without alerts."""
    code, out, _ = run(
        capsys, RESPONDENT, "--scale", "srs", "--store", store_url, "--include-superseded"
    )
    rows = [line.split() for line in out.splitlines()[2:6]]
    assert code == 0
    assert [(row[0], row[1]) for row in rows] == [("1", "–"), ("2", "–"), ("2", "–"), ("3", "–")]
    assert rows[1][3:7] == ["(old)", "30", "alert", "–"]


def test_respondent_is_never_printed(
    store_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither the output, nor the empty-history message, nor an error names the respondent;
    ``-`` reads the identifier from stdin."""
    outputs = [run(capsys, RESPONDENT, "--scale", "srs", "--store", store_url)]
    outputs.append(run(capsys, RESPONDENT, "--scale", "wai-sr", "--store", store_url))
    outputs.append(run(capsys, RESPONDENT, "--scale", "srs", "--store", "nosuch://x"))
    monkeypatch.setattr("sys.stdin", io.StringIO(RESPONDENT + "\n"))
    outputs.append(run(capsys, "-", "--scale", "srs", "--store", store_url, "--format", "json"))
    assert [code for code, _, _ in outputs] == [0, 0, 2, 0]  # a store that cannot be opened: 2
    assert len(json.loads(outputs[3][1])["records"]) == 3
    assert all(RESPONDENT not in out + err for _, out, err in outputs)


def test_empty_history_is_not_an_error(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A respondent without records gets a one-line answer and exit code 0."""
    code, out, _ = run(capsys, "unknown", "--scale", "srs", "--store", store_url)
    assert (code, out.strip()) == (
        0,
        "no stored administrations of scale 'srs' for this respondent",
    )


def test_a_new_document_version_restarts_changes_and_alerts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record of SRS 0.9.0 (total = mean: 36 / 4 = 9) followed by records of the shipped
    version (totals 36 and 30): the version line separates them, the first record of the shipped
    version has no change and the drop is counted from 36, not from 9."""
    url = sqlite_url(tmp_path / "versions.db")
    old = old_srs()
    with open_store(url) as store:
        store.save(
            old.score({"q1": 9, "q2": 9, "q3": 9, "q4": 9}), respondent="r", occasion=1, scale=old
        )
        store.save(srs(9, 9, 9, 9), respondent="r", occasion=2)
        store.save(srs(7.5, 7.5, 7.5, 7.5), respondent="r", occasion=3)
    code, out, _ = run(capsys, "r", "--scale", "srs", "--store", url)
    lines = out.splitlines()
    assert code == 0
    assert lines[2].split()[3] == "9"
    assert lines[3].startswith(f"-- scale version {ak.get_scale('srs').version}")
    assert lines[4].split()[3:6] == ["36", "none", "–"]
    assert lines[5].split()[3:6] == ["30", "alert", "-6"]


def test_unknown_norm_is_a_usage_error(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--norm naming no norm of the scale exits with 2."""
    code, _, err = run(
        capsys, RESPONDENT, "--scale", "srs", "--store", store_url, "--norm", "martians"
    )
    assert code == 2 and "martians" in err
