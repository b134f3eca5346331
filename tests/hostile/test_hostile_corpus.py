"""The hostile-input corpus (issue 12): every file under ``tests/hostile`` is run through the
commands that read it (``validate``, ``show``, ``score``, ``score --store``, ``interpret``,
``trend``, ``analyze``, ``history``), in process.

For every run: no exception escapes ``main`` (no traceback), the exit code is the documented one
(0 success, 1 input checked and found bad, 2 usage: unreadable input, a store that cannot be
opened), no control or format character from a file reaches the output, and ``score --store``
stores exactly the rows that were scored, never a refused one. Every file has an expectation
here and every expectation a file, so the corpus cannot drift.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from alliancekit import get_scale
from alliancekit.cli import main
from alliancekit.storage import open_store, sqlite_url

HERE = Path(__file__).parent
UNSAFE = ("\u001b", "\u0007", "\u202e", "\u2028", "\u200b", "\x9b")
GOOD_ANSWERS = "q1,q2,q3,q4\n1,2,3,4\n"
RESPONDENT = "MRN-0042-Roe"

#: Documents that are valid (their hostile text is escaped on output); every other is refused.
VALID_DOCUMENTS = {"bidi-band-label.json", "control-characters.json"}

#: Answer files (srs; CSV and JSON Lines carry respondent and occasion columns): the exit code of
#: each command, and the occasions ``score --store`` stores.
ANSWERS: dict[str, dict[str, object]] = {
    "cr-only.csv": {"score": 0, "interpret": 0, "trend": 0, "stored": [1, 2]},
    "crlf-mixed.csv": {"score": 0, "interpret": 0, "trend": 0, "stored": [1, 2, 3]},
    "duplicate-column.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": []},
    "empty.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": []},
    "escape-sequence.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": [2]},
    "header-only.csv": {"score": 0, "interpret": 0, "trend": 1, "stored": []},
    "huge-integer.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": [1, 3]},
    "long-row.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": [1]},
    "not-utf8.csv": {"score": 1, "interpret": 2, "trend": 2, "stored": []},
    "nul-byte.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": [2]},
    "out-of-range.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": [5]},
    "phone-number.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": []},
    "short-row.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": [1, 3]},
    "unbalanced-quote.csv": {"score": 1, "interpret": 1, "trend": 1, "stored": []},
    "deep-row.jsonl": {"score": 1, "interpret": 1, "stored": [1, 3]},
    "duplicate-key.jsonl": {"score": 1, "interpret": 1, "stored": [1, 3]},
    "huge-integer.jsonl": {"score": 1, "interpret": 1, "stored": [1]},
    "lone-surrogate.jsonl": {"score": 1, "interpret": 1, "stored": [2]},
    "nan.jsonl": {"score": 1, "interpret": 1, "stored": [1]},
    "not-an-object.jsonl": {"score": 1, "interpret": 1, "stored": [1, 5]},
    "null-row.jsonl": {"score": 1, "interpret": 1, "stored": [1, 3]},
    "unknown-keys.jsonl": {"score": 0, "interpret": 1, "stored": [1, 2]},
    "deep.json": {"interpret": 1},
    "duplicate-key.json": {"interpret": 1},
    "huge-integer.json": {"interpret": 1},
    "list-with-null.json": {"interpret": 1},
    "lone-surrogate.json": {"interpret": 1},
    "null.json": {"interpret": 1},
}

#: Item-only CSV files for ``analyze srs``: the exit code.
ANALYZE = {
    "cr-only.csv": 0,
    "duplicate-column.csv": 1,
    "empty.csv": 2,
    "good.csv": 0,
    "huge-integer.csv": 1,
    "not-utf8.csv": 2,
    "phone-number.csv": 1,
    "short-row.csv": 1,
    "unknown-column.csv": 1,
}

#: Store files: the exit code of ``history`` and what its message says, and the exit code of
#: ``score --store`` into the file (an empty file becomes a store when written to, never when
#: read). A ``.sql`` file is applied to a new store holding one record (``-- base: store``) or
#: to a new empty database (``-- base: empty``).
STORES = {
    "empty.db": (2, "no store at", 0),
    "foreign.sql": (2, "not an alliancekit store", 2),
    "newer-schema.sql": (2, "newer than this alliancekit", 2),
    "not-a-database.db": (2, "not a database", 2),
    "secret-garbled.sql": (2, "damaged", 2),
    "secret-missing.sql": (2, "damaged", 2),
    "tampered-document.sql": (1, "is invalid", 1),
}


def _files(folder: str) -> list[str]:
    return sorted(p.name for p in (HERE / folder).iterdir())


def test_every_file_has_an_expectation() -> None:
    """The tables above name exactly the files of the corpus."""
    documents = _files("documents")
    assert set(VALID_DOCUMENTS) <= set(documents)
    assert _files("answers") == sorted(ANSWERS)
    assert _files("analyze") == sorted(ANALYZE)
    assert _files("stores") == sorted(STORES)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert not any(char in out + err for char in UNSAFE), "a raw control character was printed"
    return code, out, err


@pytest.mark.parametrize("name", _files("documents"))
def test_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """``validate``, ``show``, ``score`` and ``interpret`` with each hostile document: 0 for the
    valid ones, 1 for every refused one."""
    path = str(HERE / "documents" / name)
    answers = tmp_path / "answers.csv"
    answers.write_text(GOOD_ANSWERS, encoding="utf-8")
    expected = 0 if name in VALID_DOCUMENTS else 1
    for argv in (
        ["validate", path],
        ["validate", path, "--json"],
        ["show", path],
        ["score", path, str(answers)],
        ["interpret", path, str(answers)],
    ):
        code, _, err = _run(capsys, *argv)
        assert code == expected, (argv[0], err)


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """``score``, ``interpret`` and ``trend`` with each hostile answer file exit as expected;
    ``score --store`` stores the rows that scored and no refused row, and ``history`` reads
    them back."""
    path = str(HERE / "answers" / name)
    expected = ANSWERS[name]
    commands = {
        "score": ["score", "srs", path],
        "interpret": ["interpret", "srs", path],
        "trend": ["trend", path, "--scale", "srs"],
    }
    for command, argv in commands.items():
        if command in expected:
            code, _, err = _run(capsys, *argv)
            assert code == expected[command], (command, err)
            assert RESPONDENT not in err
    if "stored" not in expected:
        return
    url = sqlite_url(tmp_path / "store.db")
    store_options = ["--respondent-column", "respondent", "--occasion-column", "occasion"]
    code, _, err = _run(capsys, "score", "srs", path, "--store", url, *store_options)
    assert code == expected["score"], err
    assert RESPONDENT not in err
    if not (tmp_path / "store.db").exists():
        assert expected["stored"] == []
        return
    with open_store(url) as store:
        stored = [record.occasion for record in store.history(RESPONDENT, "srs")]
    assert stored == expected["stored"]
    code, out, err = _run(capsys, "history", RESPONDENT, "--scale", "srs", "--store", url)
    assert code == 0, err
    assert RESPONDENT not in out + err


@pytest.mark.parametrize("name", sorted(ANALYZE))
def test_analyze(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """``analyze`` with each hostile item-only CSV file exits as expected."""
    code, _, err = _run(capsys, "analyze", "srs", str(HERE / "analyze" / name))
    assert code == ANALYZE[name], err


def _store_file(tmp_path: Path, name: str) -> Path:
    source = HERE / "stores" / name
    target = tmp_path / (source.stem + ".db")
    if source.suffix != ".sql":
        target.write_bytes(source.read_bytes())
        return target
    script = source.read_text(encoding="utf-8")
    if script.startswith("-- base: store"):
        result = get_scale("srs").score({"q1": 1, "q2": 2, "q3": 3, "q4": 4})
        with open_store(sqlite_url(target)) as store:
            store.save(result, respondent=RESPONDENT, occasion=1)
    connection = sqlite3.connect(target)
    connection.executescript(script)
    connection.close()
    return target


@pytest.mark.parametrize("name", sorted(STORES))
def test_stores(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    """``history`` on each hostile store file exits as expected with a clear message, never
    naming the respondent, and (for files that are refused when opened) leaves the file as it
    was; ``score --store`` into such a file stores nothing."""
    path = _store_file(tmp_path, name)
    before = path.read_bytes()
    code, out, err = _run(capsys, "history", RESPONDENT, "--scale", "srs", "--store", str(path))
    expected_code, message, score_code = STORES[name]
    assert (code, out) == (expected_code, "")
    assert message in err and f" {RESPONDENT} " not in err
    if expected_code == 2:
        assert path.read_bytes() == before, "a store that was refused was changed"
    answers = tmp_path / "answers.csv"
    answers.write_text(GOOD_ANSWERS, encoding="utf-8")
    options = ["--store", str(path), "--respondent", "X", "--occasion", "2"]
    code, _, err = _run(capsys, "score", "srs", str(answers), *options)
    assert code == score_code, err
    if score_code == 2:
        assert path.read_bytes() == before, "a store that was refused was changed"
