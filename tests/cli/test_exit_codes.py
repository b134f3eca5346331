"""Exit codes as documented in ``alliancekit.cli``: 2 for a file that cannot be read, whichever
command reads the scale document (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliancekit.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{missing}"],
        ["show", "{missing}"],
        ["score", "{missing}", "{answers}"],
        ["interpret", "{missing}", "{answers}"],
        ["analyze", "{missing}", "{answers}"],
        ["trend", "{answers}", "--scale", "{missing}"],
    ],
)
def test_an_unreadable_scale_document_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """A scale document path that does not exist is a usage error (exit 2) for every command,
    as ``validate`` has it, not "input found bad" (exit 1)."""
    answers = tmp_path / "a.csv"
    answers.write_text("q1,q2,q3,q4\n1,2,3,4\n", encoding="utf-8")
    names = {"{missing}": str(tmp_path / "missing.json"), "{answers}": str(answers)}
    code = main([names.get(a, a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2
    assert "unreadable-file" in out + err


class _Stdin:
    """Standard input as bytes underneath a text stream, as a terminal or a pipe gives it."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(
    "argv",
    [
        ["interpret", "srs", "-"],
        ["trend", "-", "--scale", "srs"],
        ["analyze", "srs", "-"],
        ["history", "-", "--scale", "srs", "--store", "sqlite::memory:"],
    ],
)
def test_standard_input_that_is_not_utf8_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Bytes on standard input that are not UTF-8 are a usage error whatever the locale's
    encoding (a strict one raised ``UnicodeDecodeError``), as an unreadable file is."""
    monkeypatch.setattr("sys.stdin", _Stdin(b"\xffq1,q2,q3,q4\n1,1,1,1\n"))
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2
    assert "not UTF-8" in err


def test_utf8_standard_input_is_read_whatever_the_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """UTF-8 on standard input is read as UTF-8 (with a byte-order mark dropped)."""
    monkeypatch.setattr("sys.stdin", _Stdin("\ufeffq1,q2,q3,q4\n1,2,3,4\n".encode()))
    assert main(["interpret", "srs", "-", "--format", "json"]) == 0
    assert '"value": 10' in capsys.readouterr().out
