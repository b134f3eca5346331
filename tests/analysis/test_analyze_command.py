"""Specification of ``alliancekit analyze`` (``alliancekit.cli._analyze``).

The command is exercised through a parser of its own, so these tests do not depend on how the
command line registers its subcommands.
"""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alliancekit.cli import UsageError
from alliancekit.cli._analyze import register
from alliancekit.errors import ResponseError

pytest.importorskip("numpy")

PSYCH_DIR = Path(__file__).resolve().parents[1] / "data" / "psych"


@pytest.fixture
def run(
    tmp_path: Path,
    scale_document: Callable[..., dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    """Run ``analyze`` on a 12-item test scale (q3, q7 reversed when asked); return the exit
    code, stdout and stderr."""

    def call(*argv: str, reverse: tuple[str, ...] = ()) -> tuple[int, str, str]:
        document = tmp_path / "scale.json"
        document.write_text(json.dumps(scale_document(reverse=reverse)), encoding="utf-8")
        parser = argparse.ArgumentParser(prog="alliancekit")
        register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(["analyze", str(document), *argv])
        code = args.handler(args)
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _case(psych_reference: dict[str, Any], case_id: str) -> dict[str, Any]:
    return next(case for case in psych_reference["cases"] if case["id"] == case_id)


def test_json_output_has_the_psych_values(
    run: Callable[..., tuple[int, str, str]], psych_reference: dict[str, Any]
) -> None:
    """``--json`` prints every statistic; they are R's to 1e-9, reverse keys from the scale."""
    code, out, _ = run(str(PSYCH_DIR / "reversed.csv"), "--json", reverse=("q3", "q7"))
    case = _case(psych_reference, "reversed")
    data = json.loads(out)
    assert code == 0
    assert data["alpha"] == pytest.approx(case["alpha"], abs=1e-9)
    assert data["omega"] == pytest.approx(case["omega"], abs=1e-9)
    assert data["alpha_ci"] == pytest.approx(case["alpha_ci"], abs=1e-9)
    item_total = {item["id"]: item["item_total"] for item in data["items"]}
    assert item_total == pytest.approx(case["item_total"], abs=1e-9)


def test_listwise_option(
    run: Callable[..., tuple[int, str, str]], psych_reference: dict[str, Any]
) -> None:
    """``--listwise`` drops incomplete respondents (psych on na.omit(x))."""
    code, out, _ = run(str(PSYCH_DIR / "missing.csv"), "--listwise", "--json")
    case = _case(psych_reference, "missing-listwise")
    data = json.loads(out)
    assert (code, data["missing"], data["n"]) == (0, "listwise", case["n"])
    assert data["alpha"] == pytest.approx(case["alpha"], abs=1e-9)


def test_table_output_lists_items_then_statistics(
    run: Callable[..., tuple[int, str, str]], psych_reference: dict[str, Any]
) -> None:
    """The table shows each item's item-rest r and alpha if deleted, then the whole-scale lines,
    rounded to three decimals."""
    code, out, _ = run(str(PSYCH_DIR / "complete.csv"))
    case = _case(psych_reference, "complete")
    lines = out.splitlines()
    assert code == 0
    q1 = next(line for line in lines if line.startswith("q1 "))
    assert q1.split()[1:] == [
        f"{case['item_total']['q1']:.3f}",
        f"{case['alpha_if_deleted']['q1']:.3f}",
    ]
    alpha = next(line for line in lines if line.startswith("alpha "))
    low, high = case["alpha_ci"]
    assert alpha.split() == [
        "alpha",
        f"{case['alpha']:.3f}",
        "95%",
        "CI",
        "(Feldt)",
        f"{low:.3f}",
        "to",
        f"{high:.3f}",
    ]
    labels = [line[:19].strip() for line in lines[lines.index(alpha) :]]
    assert labels == ["alpha", "standardized alpha", "average r", "omega total", "SEM", "n"]
    assert lines[-1].split()[-1] == "300"


def test_score_option_selects_items(run: Callable[..., tuple[int, str, str]]) -> None:
    """``--score`` names the score to analyse; an unknown one is reported with exit code 1."""
    code, _, err = run(str(PSYCH_DIR / "complete.csv"), "--score", "nope")
    assert code == 1
    assert "has no score 'nope'" in err


def test_reads_standard_input(
    run: Callable[..., tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-`` reads the CSV from standard input; ``NA`` is a missing answer like an empty cell."""
    _, from_file, _ = run(str(PSYCH_DIR / "missing.csv"), "--json")
    text = (PSYCH_DIR / "missing.csv").read_text(encoding="utf-8").replace(",,", ",NA,")
    assert "NA" in text
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, from_stdin, _ = run("-", "--json")
    assert code == 0
    assert json.loads(from_stdin) == json.loads(from_file)


def test_unknown_column_is_a_response_error(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A header column that is not an item of the scale is refused before any analysis."""
    data = tmp_path / "data.csv"
    data.write_text("q1,q2,respondent\n1,2,a\n", encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        run(str(data))
    assert [(i.item_id, i.code) for i in caught.value.issues] == [("respondent", "unknown-item")]


def test_repeated_column_is_a_response_error(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A column named twice is refused."""
    data = tmp_path / "data.csv"
    data.write_text("q1,q2,q1\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        run(str(data))
    assert [(i.item_id, i.code) for i in caught.value.issues] == [("q1", "duplicate-item")]


def test_cell_that_is_not_a_number_is_a_response_error(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A cell that is not a number names the item and the line."""
    data = tmp_path / "data.csv"
    data.write_text("q1,q2\n1,2\n3,four\n", encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        run(str(data))
    [issue] = caught.value.issues
    assert (issue.item_id, issue.code) == ("q2", "not-a-number")
    assert "line 3" in issue.message


@pytest.mark.parametrize("cell", ["1_0", "inf", "0x4", "4,5", "Jane Doe"])
def test_cells_are_read_as_score_reads_them(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path, cell: str
) -> None:
    """A cell that ``score`` would not read as a number is refused here too, even where Python's
    ``float`` would accept it (``1_0`` is 10.0 to ``float``); the message gives its length, not
    its text, which could be anything a person typed."""
    data = tmp_path / "data.csv"
    data.write_text(f'q1,q2\n1,2\n3,"{cell}"\n', encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        run(str(data))
    [issue] = caught.value.issues
    assert (issue.item_id, issue.code) == ("q2", "not-a-number")
    assert cell not in issue.message


def test_n_slash_a_is_a_missing_answer(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """``N/A`` is missing, as in ``score``: the file with ``N/A`` in place of empty cells gives
    the same statistics."""
    _, from_file, _ = run(str(PSYCH_DIR / "missing.csv"), "--json")
    text = (PSYCH_DIR / "missing.csv").read_text(encoding="utf-8").replace(",,", ",N/A,")
    assert "N/A" in text
    data = tmp_path / "data.csv"
    data.write_text(text, encoding="utf-8")
    code, out, _ = run(str(data), "--json")
    assert code == 0
    assert json.loads(out) == json.loads(from_file)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read"), ("", "no header row")],
)
def test_unreadable_file_is_a_usage_error(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path, content: str | None, message: str
) -> None:
    """A missing file or an empty one is a usage error (exit code 2)."""
    data = tmp_path / "data.csv"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        run(str(data))


def test_a_ragged_row_is_bad_input(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A row with more or fewer cells than the header is ``malformed-row`` (exit code 1, as
    ``score`` and ``interpret`` report it), not a usage error."""
    data = tmp_path / "data.csv"
    data.write_text("q1,q2\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ResponseError, match=r"\[malformed-row\] line 2: 3 cells"):
        run(str(data))


def test_data_without_variance_exits_with_1(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """Data that cannot give the statistics is reported on stderr with exit code 1."""
    data = tmp_path / "data.csv"
    data.write_text("q1,q2\n3,1\n3,2\n3,4\n", encoding="utf-8")
    code, out, err = run(str(data), "--score", "total")
    assert (code, out) == (1, "")
    assert "no variance" in err or "answered together" in err
