"""The README quick start and CI stay in step."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _quick_start_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README has no '## Quick start' section"
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", section.group(1), re.S)]


def test_quick_start_has_exactly_two_command_blocks() -> None:
    """One block runs the main job, one runs the test suite."""
    blocks = _quick_start_blocks()
    assert len(blocks) == 2
    assert "alliancekit score" in blocks[0]
    assert "pytest" in blocks[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """.ci/run contains the README's test command verbatim, on a line of its own."""
    ci_lines = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert _quick_start_blocks()[1] in ci_lines


def test_quick_start_example_file_exists() -> None:
    """The main job's example data file is in the repository."""
    for path in re.findall(r"examples/[\w./-]+", _quick_start_blocks()[0]):
        assert (ROOT / path).is_file(), path
