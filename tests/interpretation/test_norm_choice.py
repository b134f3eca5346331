"""The one rule for which norm a reading uses (``alliancekit.model.choose_norm``), which
interpret, series, chart, change and the loader all follow."""

from __future__ import annotations

import pytest

from alliancekit.model import Norm, choose_norm


def _norm(norm_id: str, *, default: bool = False) -> Norm:
    return Norm(id=norm_id, population="p", source="s", status="provisional", default=default)


@pytest.mark.parametrize(
    ("norms", "asked", "chosen"),
    [
        ([], None, None),  # no norm
        (["a"], None, "a"),  # the only norm
        (["a", "b*"], None, "b"),  # the default, wherever it stands
        (["a*", "b"], None, "a"),
        (["a", "b"], None, None),  # several, none the default: the caller must name one
        (["a", "b"], "b", "b"),  # named
        (["a*", "b"], "b", "b"),  # named beats the default
        (["a"], "z", None),  # named but absent
    ],
)
def test_choose_norm(norms: list[str], asked: str | None, chosen: str | None) -> None:
    """Named, else default, else the only one, else none."""
    given = [_norm(n.rstrip("*"), default=n.endswith("*")) for n in norms]
    result = choose_norm(given, asked)
    assert (result.id if result is not None else None) == chosen
