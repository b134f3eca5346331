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
