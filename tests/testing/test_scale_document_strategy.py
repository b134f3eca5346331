"""``scale_documents()``: random documents that the loader accepts, that pass the property suite,
and that between them use every feature of the meta-schema the loader has rules for."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from toolkit_helpers import sample

import alliancekit as ak
from alliancekit.testing import check_scale
from alliancekit.testing.strategies import scale_documents


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale_documents())
def test_generated_documents_load(document: dict[str, Any]) -> None:
    """Every generated document passes the meta-schema and every semantic rule of the loader
    (the generator derives score ranges on its own, so bands that tile its ranges also tile the
    loader's), and is plain JSON."""
    assert ak.validate_scale(document) == []
    scale = ak.load_scale(document)
    assert scale.to_dict() == json.loads(json.dumps(document, allow_nan=False))


def _features(document: dict[str, Any]) -> set[str]:
    """The features a document uses, as names."""
    found = {f"status-{document['verification']['status']}"}
    for spec in document["response_sets"].values():
        found.add(spec["kind"])
        if spec["kind"] == "continuous" and isinstance(spec["min"], float):
            found.add("decimal-range")
    if any(item.get("reverse") for item in document["items"]):
        found.add("reversed-item")
    for score in document["scores"]:
        found.add(score["method"])
        found.add("score-of-scores" if "scores" in score else "score-of-items")
        if "transform" in score:
            to = score["transform"]["to"]
            found.add("transform-up" if to[0] < to[1] else "transform-down")
        if any(w < 0 for w in score.get("weights", {}).values()):
            found.add("negative-weight")
        rule = score.get("missing", {})
        found.update(f"missing-{key}" for key in rule)
        if rule.get("impute") == "prorate":
            found.add("prorate")
    for reading in document.get("interpretation", {}).values():
        found.update(f"interpretation-{key}" for key in reading)
        found.update(f"alert-{alert['kind']}" for alert in reading.get("alerts", []))
        if any("mean" in norm for norm in reading.get("norms", [])):
            found.add("norm-mean")
        if any("bands" in norm for norm in reading.get("norms", [])):
            found.add("norm-bands")
    return found


def test_generated_documents_cover_every_feature() -> None:
    """Across a fixed sample of 150 documents, every feature the loader has rules for appears at
    least once (a generator that never prorates would test nothing about prorating)."""
    used = set().union(*map(_features, sample(scale_documents(), 150)))
    expected = {
        "ordinal", "continuous", "decimal-range", "reversed-item",
        "sum", "mean", "weighted_sum", "negative-weight", "score-of-items", "score-of-scores",
        "transform-up", "transform-down",
        "missing-max_missing", "missing-min_answered", "missing-impute", "missing-round",
        "prorate",
        "interpretation-direction", "interpretation-bands", "interpretation-norms",
        "interpretation-alerts", "norm-mean", "norm-bands",
        "alert-below-cutoff", "alert-drop", "alert-reliable-deterioration",
        "status-verified", "status-provisional",
    }  # fmt: skip
    assert expected - used == set()


def test_generated_documents_pass_check_scale() -> None:
    """A fixed sample of generated documents passes every property of check_scale (the
    generator keeps to documents that are sound, not just loadable)."""
    for document in sample(scale_documents(), 12):
        report = check_scale(document, max_examples=15)
        assert report.passed, report.format(failures_only=True)


@pytest.mark.parametrize(
    ("options", "max_items", "max_scores", "methods"),
    [
        ({"max_items": 2, "max_scores": 1}, 2, 1, {"sum", "mean", "weighted_sum"}),
        ({"methods": ("mean",)}, 8, 4, {"mean"}),
        ({"max_items": 1, "methods": ("weighted_sum",)}, 1, 4, {"weighted_sum"}),
    ],
)
def test_generator_options_are_respected(
    options: dict[str, Any], max_items: int, max_scores: int, methods: set[str]
) -> None:
    """``max_items``, ``max_scores`` and ``methods`` bound what is generated."""
    for document in sample(scale_documents(**options), 40):
        assert 1 <= len(document["items"]) <= max_items
        assert 1 <= len(document["scores"]) <= max_scores
        assert {score["method"] for score in document["scores"]} <= methods
