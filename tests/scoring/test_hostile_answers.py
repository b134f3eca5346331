"""Hostile answers (issue 12): every bad row gets a clear error, nothing crashes, nothing is
silently taken."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from score_stderr import problems

from alliancekit.cli import main
from alliancekit.files import JsonLinesReader, text_stream

GOOD = '{"id": "c", "q1": 1, "q2": 2, "q3": 3, "q4": 4}'


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _problems(text: str) -> dict[int, str]:
    reader = JsonLinesReader(text_stream(io.BytesIO(text.encode())), 10)
    problems: dict[int, str] = {}
    for chunk in reader.chunks():
        problems.update({chunk.start + k: v for k, v in chunk.problems.items()})
    return problems


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"id": "a", "q1": 1, "q1": 9, "q2": 2, "q3": 3, "q4": 4}', "repeats a member name"),
        ("null", "is a JSON null, not an object"),
        ('{"id": "\\ud800", "q1": 1}', "is not valid Unicode"),
        ('{"\\udfff": 1}', "is not valid Unicode"),
        ('{"q1": ' + "1" * 5000 + "}", "holds a number too large to read"),
        ('{"q1": 1e999}', "holds a number too large to read"),
        ('{"q1": NaN}', "is not valid JSON"),
        ("[" * 100_000, "is nested too deeply"),
    ],
)
def test_a_hostile_json_lines_row_is_malformed(line: str, why: str) -> None:
    """A JSON Lines row with a repeated member name, ``null``, a lone surrogate, an over-long
    number or deep nesting is a malformed row (never scored, never echoed), and the rows around
    it are read."""
    problems = _problems(f"{GOOD}\n{line}\n{GOOD}\n")
    assert list(problems) == [2]
    assert problems[2].startswith(why)


def test_score_refuses_hostile_json_lines_rows_and_scores_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``alliancekit score`` on JSON Lines with a surrogate id, a repeated item and ``null``
    exits 1, reports each row as malformed, writes no respondent text and scores the good row."""
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "\\ud800", "q1": 1, "q2": 2, "q3": 3, "q4": 4}\n'
        '{"id": "b", "q1": 1, "q1": 9, "q2": 2, "q3": 3, "q4": 4}\n'
        "null\n" + GOOD + "\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, "score", "srs", str(path))
    assert code == 1
    assert err.count("malformed-row") == 3
    assert out.splitlines()[-1] == "c,10.0,"


@pytest.mark.parametrize(
    ("scale_id", "value", "coerce"),
    [
        ("srs", "1" * 5000, True),
        ("srs", "-" + "9" * 4400, True),
        ("wai-sr", "7" * 5000, True),
        ("srs", 10**5000, False),
        ("wai-sr", -(10**5000), False),
    ],
    ids=["digits", "negative-digits", "ordinal-digits", "int", "ordinal-int"],
)
def test_a_number_too_large_to_read_is_an_issue(scale_id: str, value: object, coerce: bool) -> None:
    """An integer beyond Python's 4,300-digit limit (as text with ``coerce`` or as an int) is a
    ``number-too-large`` issue, not a ``ValueError`` from ``int()`` or
    ``repr()``; the digits are not repeated."""
    import alliancekit as ak

    scale = ak.get_scale(scale_id)
    answers = {item.id: 1 for item in scale.items} | {"q1": value}
    with pytest.raises(ak.ResponseError) as caught:
        scale.score(answers, coerce=coerce)
    [issue] = caught.value.issues
    assert (issue.item_id, issue.code) == ("q1", "number-too-large")
    assert "1111111111" not in str(caught.value)


@pytest.mark.parametrize("command", ["score", "interpret", "analyze"])
def test_commands_refuse_an_over_long_integer_cell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """A CSV cell of 5,000 digits makes ``score``, ``interpret`` and ``analyze`` exit 1 with a
    message, never a traceback."""
    path = tmp_path / "big.csv"
    path.write_text("q1,q2,q3,q4\n" + "1" * 5000 + ",2,3,4\n", encoding="utf-8")
    code, _, err = _run(capsys, command, "srs", str(path))
    assert code == 1
    assert "q1" in err and "Traceback" not in err


def test_analyze_numbers_respondents_from_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``alliancekit analyze`` names the first data row "respondent 1", as ``score`` numbers
    rows from 1."""
    path = tmp_path / "a.csv"
    path.write_text("q1,q2,q3,q4\n11,2,3,4\n", encoding="utf-8")
    code, _, err = _run(capsys, "analyze", "srs", str(path))
    assert code == 1
    assert "respondent 1:" in err


@pytest.mark.parametrize("engine", ["auto", "python"])
@pytest.mark.parametrize(
    "text",
    [
        "id,q1,q2,q3,q4\ra,1,2,3,4\rb,1,1,1,1\r",
        "id,q1,q2,q3,q4\ra,1,2,3,4\rb,1,1,1,1",
        "id,q1,q2,q3,q4\r\na,1,2,3,4\rb,1,1,1,1\r",
        "id,q1,q2,q3,q4\na,1,2,3,4\rb,1,1,1,1\n",
    ],
    ids=["cr", "cr-no-last", "crlf-header-then-cr", "lf-header-then-cr"],
)
def test_score_reads_carriage_return_line_ends(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, engine: str
) -> None:
    """Lines ended by a bare carriage return are read as lines (as ``interpret`` and ``trend``
    read them), not a ``_csv.Error`` traceback."""
    path = tmp_path / "cr.csv"
    path.write_bytes(text.encode())
    code, out, err = _run(capsys, "score", "srs", str(path), "--engine", engine)
    assert (code, problems(err)) == (0, [])
    assert out.splitlines() == ["id,total,error", "a,10.0,", "b,4.0,"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "[too-deep]"),
        ("dup.json", '{"q1": 1, "q1": 9, "q2": 2, "q3": 3, "q4": 4}', "[duplicate-key]"),
        ("dup.jsonl", '{"q1": 1, "q2": 2, "q3": 3, "q4": 4}\n{"q1": 1, "q1": 9}\n', "line 2"),
        ("sur.json", '{"q1": 1, "q2": 2, "q3": 3, "q4": 4, "\\ud800": 1}', "[lone-surrogate]"),
        ("big.json", '{"q1": ' + "1" * 5000 + "}", "[number-too-large]"),
        ("dup.csv", "q1,q2,q3,q1\n1,2,3,4\n", "[duplicate-column]"),
        ("short.csv", "q1,q2,q3,q4\n1,2\n", "[malformed-row]"),
        ("long.csv", "q1,q2,q3,q4\n1,2,3,4,5\n", "[malformed-row]"),
    ],
)
def test_interpret_refuses_hostile_answers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str, message: str
) -> None:
    """``alliancekit interpret`` refuses deep nesting, repeated JSON keys or CSV columns, lone
    surrogates, over-long numbers and short or long CSV rows (exit 1), never taking the last
    duplicate or reading absent cells as missing answers."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(capsys, "interpret", "srs", str(path))
    assert (code, out) == (1, "")
    assert message in err


def test_score_many_with_coerce_reads_a_table_of_floats_with_nan() -> None:
    """``score_many(df.to_dict("records"), coerce=True)``: a whole float is its option and NaN
    (Python or NumPy) is a missing answer; strict mode still refuses both."""
    import numpy as np

    import alliancekit as ak

    scale = ak.get_scale("wai-sr")
    full = {f"q{i}": 3.0 for i in range(1, 13)}
    rows = [full, full | {"q1": float("nan")}, full | {"q2": np.float64("nan")}]
    results = list(ak.score_many(scale, rows, coerce=True))
    assert [r.scores["total"].value for r in results] == [36.0, None, None]  # type: ignore[union-attr]
    assert [r.scores["bond"].value for r in results] == [12.0, 12.0, 12.0]  # type: ignore[union-attr]
    assert results[1].answers["q1"] is None  # type: ignore[union-attr]
    strict = list(ak.score_many(scale, rows[1:2]))
    assert "not-finite" in [issue.code for issue in strict[0].issues]  # type: ignore[union-attr]


def test_coerce_still_refuses_infinity() -> None:
    """With ``coerce=True`` only NaN is missing: infinity is still ``not-finite``."""
    import alliancekit as ak

    scale = ak.get_scale("srs")
    with pytest.raises(ak.ResponseError, match="not-finite"):
        scale.score({"q1": float("inf"), "q2": 1, "q3": 1, "q4": 1}, coerce=True)


def test_the_message_of_many_problems_is_capped_and_issues_are_kept() -> None:
    """200,000 unknown keys give a short message (the first 50 problems and a count) while
    ``.issues`` keeps every one."""
    import alliancekit as ak
    from alliancekit.errors import MAX_MESSAGE_PROBLEMS

    with pytest.raises(ak.ResponseError) as caught:
        ak.get_scale("srs").score({f"k{i}": 1 for i in range(200_000)})
    assert len(caught.value.issues) == 200_000
    assert len(str(caught.value)) < 10_000
    assert str(caught.value).count("[unknown-item]") == MAX_MESSAGE_PROBLEMS
    assert "and 199950 more" in str(caught.value)


def test_the_message_of_a_document_with_many_problems_is_capped() -> None:
    """A ScaleDefinitionError lists the first 50 problems; ``.errors`` keeps them all."""
    import alliancekit as ak

    error = ak.ScaleDefinitionError(
        [ak.DefinitionIssue(json_path=f"$[{i}]", code="c", message="m") for i in range(60)]
    )
    assert len(error.errors) == 60
    assert str(error).endswith("… and 10 more (all are listed in .errors)")


def _deep(levels: int) -> list[object]:
    outer: list[object] = []
    inner = outer
    for _ in range(levels):
        child: list[object] = []
        inner.append(child)
        inner = child
    return outer


def _deep_tuple(levels: int) -> tuple[object, ...]:
    value: tuple[object, ...] = ()
    for _ in range(levels):
        value = (value,)
    return value


@pytest.mark.parametrize("coerce", [False, True])
def test_a_deeply_nested_answer_or_key_is_an_issue_not_a_recursion_error(coerce: bool) -> None:
    """An answer nested 100,000 lists deep, or a key that is a deeply nested tuple, is reported
    by its type (``wrong-type``, ``unknown-item``), never by a ``repr`` that overflows the
    stack; ``reliability`` likewise."""
    import alliancekit as ak
    from alliancekit.analysis import reliability

    scale = ak.get_scale("srs")
    answers = {"q1": _deep(100_000), "q2": 1, "q3": 1, "q4": 1, _deep_tuple(100_000): 1}
    with pytest.raises(ak.ResponseError) as caught:
        scale.score(answers, coerce=coerce)
    found = sorted((issue.item_id, issue.code) for issue in caught.value.issues)
    assert found == [("<tuple>", "unknown-item"), ("q1", "wrong-type")]
    with pytest.raises(ak.ResponseError):
        reliability(scale, [answers] * 3)


def test_bytes_are_not_repeated() -> None:
    """A bytes answer (it could hold a name) is named by its type, not shown."""
    import alliancekit as ak

    with pytest.raises(ak.ResponseError) as caught:
        ak.get_scale("srs").score({"q1": b"Jane Doe", "q2": 1, "q3": 1, "q4": 1})
    assert "Jane" not in str(caught.value)


@pytest.mark.parametrize("header", ["q1,q2,q3,q1", "q1,q2,q3, q1 "])
def test_score_refuses_a_repeated_column_with_its_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, header: str
) -> None:
    """``score`` refuses a CSV header that repeats a column (also when the names differ only by
    surrounding spaces), with the stable code ``duplicate-column``, and scores nothing."""
    path = tmp_path / "dup.csv"
    path.write_text(f"{header}\n1,2,3,9\n", encoding="utf-8")
    code, out, err = _run(capsys, "score", "srs", str(path))
    assert (code, out) == (1, "")
    assert "[duplicate-column]" in err


@pytest.mark.parametrize(
    ("scale_id", "text"),
    [
        ("wai-sr", "3.0000000000000001"),
        ("wai-sr", "2.99999999999999999"),
        ("srs", "8.70000000000000001"),
        ("srs", "1e-400"),
        ("srs", "35.999999999999999999"),
    ],
)
def test_text_that_no_float_holds_exactly_is_refused(scale_id: str, text: str) -> None:
    """With ``coerce``, a decimal that a float would round (``3.0000000000000001`` read as the
    option 3, ``1e-400`` as 0) is ``inexact-number``: scores are computed on each answer's
    decimal value, never on a silently rounded one."""
    import alliancekit as ak

    scale = ak.get_scale(scale_id)
    answers = {item.id: 1 for item in scale.items} | {"q1": text}
    with pytest.raises(ak.ResponseError) as caught:
        scale.score(answers, coerce=True)
    assert [(i.item_id, i.code) for i in caught.value.issues] == [("q1", "inexact-number")]


@pytest.mark.parametrize("text", ["8.7", "0.30000000000000004", "1.10", "1e2", "12345678901234.5"])
def test_text_that_a_float_holds_exactly_is_read(text: str) -> None:
    """Decimals that a float holds exactly (any of at most 15 significant digits, and the
    shortest repr of any float) are read as before."""
    import alliancekit as ak
    from alliancekit.scoring import parse_text

    assert parse_text(text) == float(text)
    assert ak.get_scale("srs").score({"q1": "0.1", "q2": 1, "q3": 1, "q4": 1}, coerce=True)


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_score_refuses_inexact_text_with_either_engine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, engine: str
) -> None:
    """Both engines of ``alliancekit score`` refuse a cell that no float holds exactly."""
    path = tmp_path / "a.csv"
    path.write_text("q1,q2,q3,q4\n8.70000000000000001,1,1,1\n1,1,1,1\n", encoding="utf-8")
    code, out, err = _run(capsys, "score", "srs", str(path), "--engine", engine)
    assert code == 1
    assert "[inexact-number]" in err
    assert out.splitlines()[2] == "4.0,"  # the next row is scored
