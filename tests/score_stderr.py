"""What ``alliancekit score`` says on stderr, for tests that check it."""

from __future__ import annotations

import alliancekit as ak

_NOTE = "rest on provisional facts (`alliancekit show "


def problems(err: str) -> list[str]:
    """The stderr lines other than the note on the provisional facts every score rests on."""
    return [
        line
        for line in err.splitlines()
        if _NOTE not in line and not line.startswith("  provisional: ")
    ]


def provisional_note(scale_id: str) -> list[str]:
    """The note's lines for a built-in scale: a heading, then one line per warning that every
    result of the scale carries."""
    scale = ak.get_scale(scale_id)
    return [
        f"alliancekit score: the scores of {scale.id} {scale.version} {_NOTE}{scale.id}` gives "
        "their sources):",
        *(f"  {warning}" for warning in scale.scoring_warnings),
    ]
