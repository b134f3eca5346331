"""Control and format characters from documents never reach the terminal (issue 12): every
command prints through one helper that escapes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alliancekit.builtins._scales import builtin_scale_paths
from alliancekit.cli import main
from alliancekit.errors import DefinitionIssue, ResponseIssue, printable

HOSTILE = "\u001b]0;pwned\u0007Evil \u202etxt.exe\u2028\u200b\x9b"
UNSAFE = ["\u001b", "\u0007", "\u202e", "\u2028", "\u200b", "\x9b"]


def _srs() -> dict[str, Any]:
    path = next(p for p in builtin_scale_paths() if p.name == "srs.json")
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


@pytest.mark.parametrize("char", UNSAFE)
def test_printable_escapes_control_and_format_characters(char: str) -> None:
    """ANSI escapes, BEL, bidi overrides, line separators, zero-width and C1 characters are
    written as escapes; letters such as é and line feeds (when asked) are kept."""
    assert char not in printable(f"é{char}x")
    assert printable("é\nx", keep_newlines=True) == "é\nx"
    assert printable("é\nx") == "é\\x0ax"


def test_issue_messages_are_printable() -> None:
    """Issues escape their messages when made, so every printer of an error is safe."""
    for issue in (
        DefinitionIssue(json_path="$", code="c", message=HOSTILE),
        ResponseIssue(item_id=HOSTILE, code="c", message=HOSTILE),
    ):
        assert not any(char in str(issue) for char in UNSAFE)


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "{doc}"],
        ["show", "{doc}", "--json"],
        ["validate", "{bad}"],
        ["show", "{bad}"],
        ["validate", "{bad}", "--json"],
        ["interpret", "{doc}", "{csv}"],
    ],
)
def test_commands_escape_document_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """``show``, ``validate`` and ``interpret`` of a document whose text holds an escape
    sequence and a bidi override print neither, on stdout or stderr."""
    document = _srs()
    document["title"] = HOSTILE
    document["items"][0]["construct"] = HOSTILE
    document["interpretation"]["total"]["bands"][0]["label"] = HOSTILE
    (tmp_path / "doc.json").write_text(json.dumps(document), encoding="utf-8")
    document["id"] = "srs" + HOSTILE
    (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "a.csv").write_text("q1,q2,q3,q4\n1,2,3,4\n", encoding="utf-8")
    names = {"{doc}": "doc.json", "{bad}": "bad.json", "{csv}": "a.csv"}
    main([str(tmp_path / names[a]) if a in names else a for a in argv])
    out, err = capsys.readouterr()
    assert out or err
    assert not any(char in out + err for char in UNSAFE)
    if "--json" in argv and argv[0] == "show":
        assert json.loads(out)["title"] == HOSTILE  # escaped as JSON, read back whole


@pytest.mark.parametrize(
    "argv",
    [["show", "{doc}"], ["interpret", "{doc}", "{csv}"], ["trend", "{csv}", "--scale", "{doc}"]],
)
def test_a_line_break_in_a_value_cannot_fake_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """A line break inside a document's title or band label, or a quoted CSV session label,
    is escaped: it cannot print a fake line such as "Licence: free"."""
    document = _srs()
    document["title"] = "SRS\nLicence: free"
    document["interpretation"]["total"]["bands"][0]["label"] = "low\nLicence: free"
    (tmp_path / "doc.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "a.csv").write_text(
        'session,q1,q2,q3,q4\n"1\nLicence: free",1,2,3,4\n', encoding="utf-8"
    )
    names = {"{doc}": "doc.json", "{csv}": "a.csv"}
    main([str(tmp_path / names[a]) if a in names else a for a in argv])
    out, _ = capsys.readouterr()
    assert out
    assert not any(line.startswith("Licence: free") for line in out.splitlines())
