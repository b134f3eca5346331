"""``alliancekit score``: files of answers in, the same rows with their scores out."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from score_stderr import problems, provisional_note
from scoring_strategies import cell_text

import alliancekit as ak
from alliancekit.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "wai-sr-sessions.csv"
SRS_HEADER = "id,session,q1,q2,q3,q4\n"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["score", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_quick_start_example(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's example file scores every row: respondent and session copied, then task,
    goal, bond, total and mean; the first row worked by hand. Stderr says only that the scores
    rest on provisional facts, and which."""
    code, out, err = _run(capsys, "wai-sr", str(EXAMPLE))
    assert (code, err.splitlines()) == (0, provisional_note("wai-sr"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 48
    assert list(rows[0]) == [
        "respondent",
        "session",
        "task",
        "goal",
        "bond",
        "total",
        "total_mean",
        "error",
    ]
    # client-a session 1 answers 3,3,3,2,3,2,3,3,3,3,4,2: task q1+q2+q10+q12 = 3+3+3+2 = 11,
    # goal q4+q6+q8+q11 = 2+2+3+4 = 11, bond q3+q5+q7+q9 = 3+3+3+3 = 12, total 34, mean 34/12
    assert rows[0] == {
        "respondent": "client-a",
        "session": "1",
        "task": "11.0",
        "goal": "11.0",
        "bond": "12.0",
        "total": "34.0",
        "total_mean": repr(34 / 12),
        "error": "",
    }


def test_a_blank_answer_leaves_its_scores_empty(capsys: pytest.CaptureFixture[str]) -> None:
    """The example's blank q7 (client-e, session 3) empties bond, total and mean only."""
    _, out, _ = _run(capsys, "wai-sr", str(EXAMPLE))
    row = next(
        r
        for r in csv.DictReader(io.StringIO(out))
        if r["respondent"] == "client-e" and r["session"] == "3"
    )
    assert (row["bond"], row["total"], row["total_mean"]) == ("", "", "")
    assert row["task"] and row["goal"] and row["error"] == ""


@pytest.mark.parametrize("engine", ["python", "numpy"])
def test_bad_rows_are_reported_and_the_rest_scored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str
) -> None:
    """report: bad rows get an error column and a stderr line with their row number; good rows
    are scored; the exit code is 1."""
    path = _write(
        tmp_path,
        SRS_HEADER + "a,1,8.6,9.7,9.9,7.8\nb,1,1,x,3,4\nc,1,1,2\nd,2,11,1,1,1\n",
    )
    code, out, err = _run(capsys, "srs", path, "--engine", engine)
    assert code == 1
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1] == ["a", "1", "36.0", ""]  # 86 + 97 + 99 + 78 = 360 tenths
    assert rows[2][:3] == ["b", "1", ""] and "[not-a-number]" in rows[2][3]
    assert rows[3][2:] == ["", "*: [malformed-row] the row has 4 fields but the header has 6"]
    assert rows[4][3].startswith("q1: [out-of-range]")
    assert err.splitlines() == [
        f"alliancekit score: row 2: {rows[2][3]}",
        f"alliancekit score: row 3: {rows[3][3]}",
        f"alliancekit score: row 4: {rows[4][3]}",
        "alliancekit score: 3 of 4 rows failed",
        *provisional_note("srs"),
    ]


@pytest.mark.parametrize("engine", ["python", "numpy"])
def test_fail_stops_at_the_first_bad_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str
) -> None:
    """fail: the rows before the first bad one are written, then it stops with exit code 1."""
    path = _write(tmp_path, SRS_HEADER + "a,1,1,1,1,1\nb,1,1,1,1,-1\nc,1,2,2,2,2\n")
    code, out, err = _run(capsys, "srs", path, "--on-error", "fail", "--engine", engine)
    assert code == 1
    assert out == "id,session,total\na,1,4.0\n"
    assert err.splitlines()[0].startswith("alliancekit score: row 2: q4: [out-of-range]")
    assert "stopped at the first bad row" in err


def test_column_map(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--column and --columns read items from other columns; unmapped columns pass through."""
    path = _write(tmp_path, "who,A,B,C,D\nx,1,2,3,4\n")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"q1": "A", "q2": "B"}), encoding="utf-8")
    code, out, _ = _run(
        capsys, "srs", path, "--columns", str(mapping), "--column", "q3=C", "--column", "q4=D"
    )
    assert code == 0
    assert out == "who,total,error\nx,10.0,\n"  # 1 + 2 + 3 + 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--column", "q9=A"], "q9: not an item of scale 'srs'"),
        (["--column", "q1"], "--column takes ITEM=COLUMN"),
        (["--column", "q1=A", "--column", "q2=A"], "column 'A' is mapped to more than one item"),
        (["--column", "q1=nope"], "no column for item q1 (nope)"),
    ],
)
def test_bad_column_maps_are_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    """A map naming an unknown item, a column twice or a missing column exits 2."""
    path = _write(tmp_path, "A,q1,q2,q3,q4\n1,1,1,1,1\n")
    code, out, err = _run(capsys, "srs", path, *args)
    assert (code, out) == (2, "")
    assert message in err


def test_missing_item_columns_are_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file without a column for some items exits 2 naming them."""
    code, _, err = _run(capsys, "srs", _write(tmp_path, "q1,q2\n1,2\n"))
    assert code == 2
    assert "no column for items q3, q4" in err


def test_score_column_clashes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An input column named like a score needs --prefix, which then names the score columns."""
    path = _write(tmp_path, "total,q1,q2,q3,q4\n99,1,1,1,1\n")
    code, _, err = _run(capsys, "srs", path)
    assert code == 2 and "--prefix" in err
    code, out, _ = _run(capsys, "srs", path, "--prefix", "srs_")
    assert (code, out) == (0, "total,srs_total,error\n99,4.0,\n")


def test_json_lines_in_and_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """JSON Lines input keeps every other field as it was; output has numbers and nulls."""
    lines = [
        {"client": "a", "meta": {"site": 3}, "q1": 8.6, "q2": 9.7, "q3": 9.9, "q4": 7.8},
        {"client": "b", "q1": 1, "q2": None, "q3": 1, "q4": 1},
        {"client": "c", "q1": True, "q2": 1, "q3": 1, "q4": 1},
    ]
    path = _write(tmp_path, "\n".join(json.dumps(x) for x in lines) + "\n", "in.jsonl")
    code, out, _ = _run(capsys, "srs", path, "--format", "jsonl")
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0] == {"client": "a", "meta": {"site": 3}, "total": 36.0}
    assert rows[1] == {"client": "b", "total": None}
    assert rows[2]["total"] is None
    assert rows[2]["error"] == [
        {
            "item": "q1",
            "code": "boolean-not-allowed",
            "message": "'q1' must be a number, not a boolean (True)",
        }
    ]


def test_output_file_and_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'-' reads stdin; -o writes a file and nothing to stdout."""
    stdin = io.TextIOWrapper(io.BytesIO(b"q1,q2,q3,q4\n1,1,1,1\n"))
    monkeypatch.setattr("sys.stdin", stdin)
    target = tmp_path / "out.csv"
    code, out, _ = _run(capsys, "srs", "-", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text() == "total,error\n4.0,\n"


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 2, "cannot read"),
        (b"", 1, "the input is empty"),
        (b"q1,q2,q3,q4\n\xff,1,1,1\n", 1, "not UTF-8"),
        (b"q1,q1,q3,q4\n", 1, "repeats the column name 'q1'"),
    ],
)
def test_unreadable_input(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes | None,
    code: int,
    message: str,
) -> None:
    """A missing file exits 2; an empty, non-UTF-8 or badly headed one exits 1; no traceback."""
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    got, _, err = _run(capsys, "srs", str(path))
    assert got == code
    assert message in err and "Traceback" not in err


def test_unknown_scale_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown scale id exits 2."""
    code, _, err = _run(capsys, "no-such-scale", str(EXAMPLE))
    assert code == 2 and "unknown scale" in err


def test_no_progress_line_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Scoring a file with stderr redirected writes no progress line to stderr, only the note
    on provisional facts."""
    code, _, err = _run(capsys, "wai-sr", str(EXAMPLE), "--chunk-rows", "5")
    assert (code, err.splitlines()) == (0, provisional_note("wai-sr"))


def test_progress_line_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With stderr a terminal, a progress line is drawn and cleared at the end."""
    from alliancekit.cli._score_output import Progress

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    monkeypatch.setattr(Progress, "clock", staticmethod(iter(range(1000)).__next__))
    code, _, err = _run(capsys, "wai-sr", str(EXAMPLE), "--chunk-rows", "10")
    assert code == 0
    assert err.startswith("\rscored ") and "\rscored 48 rows (100%)" in err
    note = "".join(line + "\n" for line in provisional_note("wai-sr"))
    assert err.endswith("\r\x1b[K" + note)  # the line is cleared before the note


def test_store_saves_every_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--store saves each scored row for its respondent and occasion; a second run finds the
    occasions taken and reports those rows (exit 1) without printing any respondent id."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    args = [
        "wai-sr",
        str(EXAMPLE),
        "--store",
        url,
        "--respondent-column",
        "respondent",
        "--occasion-column",
        "session",
    ]
    code, _, err = _run(capsys, *args)
    assert (code, problems(err)) == (0, [])
    with ak.open_store(url) as store:
        history = store.history("client-a", "wai-sr")
        assert [r.occasion for r in history] == list(range(1, 9))
        assert history[0].values()["total"] == 34.0  # worked out in test_quick_start_example
    code, _, err = _run(capsys, *args)
    assert code == 1
    assert "[not-stored]" in err and "client-" not in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "--store needs one of --respondent-column or --respondent"),
        (["--respondent", "x"], "--store needs one of --occasion-column or --occasion"),
        (["--respondent-column", "nope", "--occasion", "1"], "no column 'nope' in the input"),
    ],
)
def test_store_options_are_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str], message: str
) -> None:
    """--store needs a respondent and an occasion, from columns that exist, or it exits 2."""
    code, _, err = _run(
        capsys, "wai-sr", str(EXAMPLE), "--store", f"sqlite:///{tmp_path}/s.db", *options
    )
    assert code == 2 and message in err


def test_store_rows_without_respondent_or_occasion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A row with an empty respondent or a non-integer occasion is a row error, not a save."""
    path = _write(tmp_path, "who,when,q1,q2,q3,q4\n,1,1,1,1,1\nx,first,1,1,1,1\ny,2,1,1,1,1\n")
    code, out, err = _run(
        capsys,
        "srs",
        path,
        "--store",
        f"sqlite:///{tmp_path}/s.db",
        "--respondent-column",
        "who",
        "--occasion-column",
        "when",
    )
    assert code == 1
    assert "row 1: *: [no-respondent]" in err and "row 2: *: [bad-occasion]" in err
    assert out.splitlines()[3] == "y,2,4.0,"


_ROWS = st.lists(
    st.tuples(*[cell_text(ak.get_scale("wai-sr").items[0].response_set)] * 12),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_ROWS, chunk_rows=st.integers(1, 7), fail=st.booleans())
def test_both_engines_write_the_same_bytes(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    rows: list[Any],
    chunk_rows: int,
    fail: bool,
) -> None:
    """The NumPy engine (with its vectorised CSV path) and the pure-Python engine give the same
    output, errors and exit code for any mix of good, odd and bad cells, in chunks of any size."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id"] + [f"q{n}" for n in range(1, 13)])
    writer.writerows([[f"r{i}", *row] for i, row in enumerate(rows)])
    path = tmp_path / "engines.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    on_error = ["--on-error", "fail"] if fail else []
    outcomes = [
        _run(
            capsys,
            "wai-sr",
            str(path),
            "--engine",
            engine,
            "--chunk-rows",
            str(chunk_rows),
            *on_error,
        )
        for engine in ("python", "numpy")
    ]
    assert outcomes[0] == outcomes[1]


_MARKS = st.lists(
    st.tuples(*[cell_text(ak.get_scale("srs").items[0].response_set)] * 4), min_size=1, max_size=25
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_MARKS, chunk_rows=st.integers(1, 7))
def test_both_engines_agree_on_marks(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[Any],
    chunk_rows: int,
) -> None:
    """Real-valued marks (and the fast path's table of value texts, kept tiny here so it is
    started afresh again and again) give the same bytes in both engines."""
    from alliancekit.files._csv_fast import Formatter

    monkeypatch.setattr(Formatter, "LIMIT", 3)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([["q1", "q2", "q3", "q4"], *rows])
    path = tmp_path / "marks.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    outcomes = [
        _run(capsys, "srs", str(path), "--engine", engine, "--chunk-rows", str(chunk_rows))
        for engine in ("python", "numpy")
    ]
    assert outcomes[0] == outcomes[1]


def test_a_huge_cell_costs_a_few_times_its_size(tmp_path: Path, capsys: Any) -> None:
    """One 4 MB cell (an id column gone wrong) is read at a few times its size, not the tens of
    times the vectorised reader's per-field work arrays would take (lines that long go the text
    path); the row is scored as usual."""
    import tracemalloc

    cell = 4_000_000
    path = tmp_path / "huge.csv"
    path.write_text("id,q1,q2,q3,q4\n" + "x" * cell + ",1,2,3,4\na,1,2,3,4\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    tracemalloc.start()
    try:
        code = main(["score", "srs", str(path), "-o", str(out)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    capsys.readouterr()
    assert code == 0
    assert peak < 10 * cell
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "a,10.0,"  # id, total, no error
