"""Each problem of a scale document is reported once, at its root: a broken item or score is not
reported again wherever it is used (issue 12)."""

from __future__ import annotations

from typing import Any

import alliancekit as ak


def _found(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(issue.json_path, issue.code) for issue in ak.validate_scale(document)]


def test_an_unknown_item_in_a_score_does_not_also_report_its_interpretation(
    document: dict[str, Any],
) -> None:
    """A score naming an unknown item is reported; its bands are not "no score 'likert'"."""
    document["scores"][0]["items"][0] = "zz"
    assert _found(document) == [("$.scores[0].items[0]", "unknown-item")]


def test_an_item_with_an_unknown_response_set_is_not_also_an_unknown_item(
    document: dict[str, Any],
) -> None:
    """An item whose response set does not exist is reported once, not again as "no item" in
    every score that lists it, nor its score's readings as "no score"."""
    document["items"][1]["response_set"] = "nope"
    assert _found(document) == [("$.items[1].response_set", "unknown-response-set")]


def test_a_broken_component_score_is_not_also_an_unknown_score(document: dict[str, Any]) -> None:
    """A score built from a broken score reports only the root problem."""
    document["scores"].append({"id": "both", "scores": ["likert", "vas"], "method": "sum"})
    document["scores"][0]["items"][0] = "zz"
    assert _found(document) == [("$.scores[0].items[0]", "unknown-item")]


def test_a_weighted_score_with_a_broken_member_reports_no_missing_weight(
    document: dict[str, Any],
) -> None:
    """A weighted sum whose member item is broken does not also report "no weight" or a weight
    for a member that is not in the score."""
    document["scores"][0] = {
        "id": "likert",
        "items": ["q1", "q2", "q3"],
        "method": "weighted_sum",
        "weights": {"q1": 1, "q2": 1, "q3": 1},
    }
    document["items"][1]["response_set"] = "nope"
    assert _found(document) == [("$.items[1].response_set", "unknown-response-set")]


def test_a_truly_unknown_score_is_still_reported(document: dict[str, Any]) -> None:
    """Readings of a score that is not defined at all are still ``unknown-score``."""
    document["interpretation"]["nothing"] = document["interpretation"]["likert"]
    assert _found(document) == [("$.interpretation.nothing", "unknown-score")]


def test_reverse_asymmetric_options_names_each_stray_mapping(document: dict[str, Any]) -> None:
    """``reverse-asymmetric-options`` says which option maps onto which non-option."""
    document["response_sets"]["likert5"]["options"] = [{"value": v} for v in (1, 2, 3, 5)]
    document["interpretation"] = {}
    issues = ak.validate_scale(document)
    [issue] = [i for i in issues if i.code == "reverse-asymmetric-options"]
    assert issue.json_path == "$.items[1].reverse"
    assert "6 - x" in issue.message
    assert "2 to 4" in issue.message
