"""``alliancekit score`` reads and writes Parquet (the ``arrow`` extra), a record batch at a
time, with the same options and error reporting as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import alliancekit as ak
from alliancekit.cli import main

Capture = pytest.CaptureFixture[str]

# SRS sessions worked by hand: 8.7 + 9.1 + 9.5 + 8.7 = 36; 1 + 2 + 3 + 4 = 10; a missing mark
# leaves the total empty (no missing-data rule); 11 is out of range.
TABLE = pa.table(
    {
        "client": ["a", "a", "b", "c"],
        "session": [1, 2, 1, 1],
        "q1": [8.7, 1.0, None, 11.0],
        "q2": [9.1, 2.0, 3.0, 1.0],
        "q3": [9.5, 3.0, 3.0, 1.0],
        "q4": [8.7, 4.0, 4.0, 1.0],
    }
)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """The four sessions in a Parquet file of two-row row groups."""
    path = tmp_path / "sessions.parquet"
    pq.write_table(TABLE, path, row_group_size=2)
    return path


def test_parquet_in_csv_out(answers: Path, capsys: Capture) -> None:
    """Each row scored as by hand, pass-through columns copied, the bad row reported by number."""
    code = main(["score", "srs", str(answers), "--chunk-rows", "3"])
    out, err = capsys.readouterr()
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["client"], r["session"], r["total"]) for r in rows] == [
        ("a", "1", "36.0"),
        ("a", "2", "10.0"),
        ("b", "1", ""),
        ("c", "1", ""),
    ]
    assert "row 4: q1: [out-of-range]" in err


def test_parquet_in_parquet_out_keeps_types(answers: Path, tmp_path: Path, capsys: Capture) -> None:
    """Parquet output: pass-through columns keep their Arrow types, scores are float64 with null
    where there is no value, and the error column names the problem."""
    out = tmp_path / "scores.parquet"
    main(["score", "srs", str(answers), "--format", "parquet", "-o", str(out)])
    capsys.readouterr()
    table = pq.read_table(out)
    assert table.schema.field("session").type == pa.int64()
    assert table.schema.field("total").type == pa.float64()
    assert table.column("total").to_pylist() == [36.0, 10.0, None, None]
    errors = table.column("error").to_pylist()
    assert errors[:3] == [None, None, None]
    assert "[out-of-range]" in errors[3]


def test_csv_in_parquet_out_equals_csv_out(tmp_path: Path, capsys: Capture) -> None:
    """The example file scored to Parquet has the scores it has in CSV."""
    example = Path(__file__).resolve().parents[2] / "examples" / "srs-sessions.csv"
    out = tmp_path / "scores.parquet"
    assert main(["score", "srs", str(example), "--format", "parquet", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["score", "srs", str(example)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = [float(r["total"]) if r["total"] else None for r in rows]
    assert pq.read_table(out).column("total").to_pylist() == expected


def test_a_boolean_column_is_not_an_answer(tmp_path: Path, capsys: Capture) -> None:
    """True is not a mark, even in a typed Parquet column."""
    path = tmp_path / "bools.parquet"
    pq.write_table(pa.table({"q1": [True], "q2": [1.0], "q3": [1.0], "q4": [1.0]}), path)
    assert main(["score", "srs", str(path)]) == 1
    assert "[boolean-not-allowed]" in capsys.readouterr().err


def test_a_file_that_is_not_parquet(tmp_path: Path, capsys: Capture) -> None:
    """A CSV named .parquet is refused with a message, not a traceback (exit 1)."""
    path = tmp_path / "wrong.parquet"
    path.write_text("q1,q2\n1,2\n", encoding="utf-8")
    assert main(["score", "srs", str(path)]) == 1
    assert "not a Parquet file" in capsys.readouterr().err


def test_parquet_from_stdin_is_a_usage_error(capsys: Capture) -> None:
    """Parquet needs a seekable file: standard input is a usage error (exit 2)."""
    assert main(["score", "srs", "-", "--input-format", "parquet"]) == 2
    assert "stdin" in capsys.readouterr().err


def test_parquet_with_store(answers: Path, tmp_path: Path, capsys: Capture) -> None:
    """--store keeps working on Parquet input; only the good rows are stored."""
    url = f"sqlite:///{tmp_path / 'parquet.db'}"
    code = main(
        ["score", "srs", str(answers), "--store", url, "--respondent-column", "client"]
        + ["--occasion-column", "session"]
    )
    capsys.readouterr()
    assert code == 1
    with ak.open_store(url) as store:
        assert [r.values()["total"] for r in store.history("a", "srs")] == [36.0, 10.0]
        assert store.history("c", "srs") == []
