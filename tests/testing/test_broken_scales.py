"""``check_scale`` catches every defect of the deliberately broken documents in
``tests/data/broken-scales/``: those the loader rejects (reported by ``document`` with their JSON
path and code) and those the loader accepts but a property catches (with a counterexample that
reproduces). Each document's ``description`` says what is wrong with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from toolkit_helpers import BROKEN, broken

import alliancekit as ak
from alliancekit.document import Scale
from alliancekit.errors import ScoringError
from alliancekit.testing import check_scale

#: file -> (JSON path, code) of the loader issue that must be reported.
LOADER_REJECTS = {
    "gap-between-bands.json": ("$.interpretation.total.bands[1]", "gap-between-bands"),
    "overlapping-bands.json": ("$.interpretation.total.bands[1]", "overlapping-bands"),
    "cutoff-outside-range.json": ("$.interpretation.total.bands", "bands-do-not-cover-range"),
    "norm-mean-outside-range.json": (
        "$.interpretation.total.norms[0].mean",
        "norm-outside-range",
    ),
    "sum-missing-without-prorate.json": ("$.scores[0].missing.impute", "sum-without-prorate"),
    "reverse-on-asymmetric-options.json": ("$.items[1].reverse", "reverse-asymmetric-options"),
    "mean-missing-mixed-ranges.json": ("$.scores[0].missing", "missing-mixed-ranges"),
    "prorated-round-leaves-range.json": ("$.scores[0].missing.round", "round-off-grid"),
    "prorated-mixed-sign-weights.json": ("$.scores[0].weights", "prorate-nonpositive-weights"),
}

#: file -> the property that must fail although the document loads.
PROPERTY_CATCHES = {
    "reversed-item-wrong-range.json": "reverse-key-range",
}

#: documents that name a scoring method the misbehaving_methods fixture registers.
PLUGIN_CATCHES = {
    "plugin-method-out-of-range.json": "score-in-range",
    "plugin-method-not-monotone.json": "monotone",
}


def test_every_broken_document_has_an_expectation() -> None:
    """No document in broken-scales/ goes untested, and no expectation names a missing file."""
    files = {path.name for path in BROKEN.glob("*.json")}
    assert files == set(LOADER_REJECTS) | set(PROPERTY_CATCHES) | set(PLUGIN_CATCHES)


@pytest.mark.parametrize(("name", "issue"), sorted(LOADER_REJECTS.items()))
def test_loader_defects_fail_the_document_check(name: str, issue: tuple[str, str]) -> None:
    """The document check fails with the loader issue at its JSON path; nothing else can run."""
    report = check_scale(broken(name), max_examples=10)
    document = report.result("document")
    assert document.status == "failed"
    assert issue in {(i.json_path, i.code) for i in document.issues}
    assert {r.status for r in report.results[1:]} == {"skipped"}


@pytest.mark.parametrize(("name", "prop"), sorted(PROPERTY_CATCHES.items()))
def test_loader_accepts_but_a_property_fails(name: str, prop: str) -> None:
    """The loader accepts the document, yet check_scale fails the named property."""
    assert ak.validate_scale(broken(name)) == []
    report = check_scale(broken(name), max_examples=50)
    assert report.result("document").status == "passed"
    assert report.result(prop).status == "failed", report.format()
    assert not report.passed


@pytest.mark.parametrize(("name", "prop"), sorted(PLUGIN_CATCHES.items()))
def test_misbehaving_plugin_methods_are_caught(
    name: str, prop: str, misbehaving_methods: None
) -> None:
    """A plugin method that leaves its declared range, or that is not monotone, loads fine but
    fails the property."""
    report = check_scale(broken(name), max_examples=50)
    assert report.result("document").status == "passed"
    assert report.result(prop).status == "failed", report.format()


@pytest.fixture
def loader_gaps(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Scale]:
    """Load a broken document with one loader rule switched off, as if the loader had a gap:
    the defence in depth that ``check_scale``'s properties provide is then visible."""
    from alliancekit.document._issues import IssueCollector

    def load(name: str, code: str) -> Scale:
        original = IssueCollector.add

        def add(self: Any, parts: Any, found: str, message: str) -> None:
            if found != code:
                original(self, parts, found, message)

        monkeypatch.setattr(IssueCollector, "add", add)
        return ak.load_scale(broken(name))

    return load


def _reproduces_out_of_range(scale: Scale, counterexample: dict[str, Any]) -> bool:
    """Whether scoring the counterexample's answers again gives a score outside its range (or
    the engine's refusal to return one)."""
    try:
        result = scale.score(counterexample["answers"])
    except ScoringError:
        return True
    return any(
        s.value is not None and not s.range[0] <= s.value <= s.range[1]
        for s in result.scores.values()
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # mean of a 0-10 and a 1-5 item: range (0+1)/2 = 0.5 to (10+5)/2 = 7.5; with q2 missing
        # the mean is q1 alone, anywhere in 0-10
        ("mean-missing-mixed-ranges.json", "missing-mixed-ranges"),
        # three 0-0.9 items: range 0-2.7; q1 = q2 = 0.9, q3 missing: 1.8 * 3/2 = 2.7, rounded 3
        ("prorated-round-leaves-range.json", "round-off-grid"),
        # weights 2, -1, 0.5 on 1-5: range 2 - 5 + 0.5 = -2.5 to 10 - 1 + 2.5 = 11.5; q1 = 5,
        # q2 = 1, q3 missing: (10 - 1) * (1.5 / 1) = 13.5
        ("prorated-mixed-sign-weights.json", "prorate-nonpositive-weights"),
    ],
)
def test_range_counterexamples_reproduce(
    name: str, code: str, loader_gaps: Callable[[str, str], Scale]
) -> None:
    """Were the loader rule missing, prorated-in-range would fail with a real counterexample:
    scoring its answers again leaves the range (or the engine refuses to return such a score)."""
    scale = loader_gaps(name, code)
    result = check_scale(scale, max_examples=50).result("prorated-in-range")
    assert result.status == "failed"
    assert result.counterexample is not None
    assert _reproduces_out_of_range(scale, dict(result.counterexample))


def test_reverse_on_asymmetric_options_names_the_answer(
    loader_gaps: Callable[[str, str], Scale],
) -> None:
    """Were the loader rule missing: q2 is keyed 0 + 4 - x on options 0, 1, 2, 4: 0 keys to 4
    (an option) but 1 keys to 3, which is not; the counterexample is that first bad answer."""
    scale = loader_gaps("reverse-on-asymmetric-options.json", "reverse-asymmetric-options")
    result = check_scale(scale, max_examples=5).result("reverse-involution")
    assert result.counterexample == {
        "item": "q2",
        "response_set": "skewed",
        "answer": 1,
        "keyed": 3,
    }


def test_reversed_item_on_the_wrong_range_names_both_ranges() -> None:
    """q4 is reversed on 0-6 (keyed 6 - x) while q1-q3 use 1-7 (where 8 - x was meant)."""
    report = check_scale(broken("reversed-item-wrong-range.json"), max_examples=5)
    result = report.result("reverse-key-range")
    assert result.counterexample == {
        "score": "total",
        "item": "q4",
        "item_range": [0, 6],
        "others_range": [1, 7],
    }


def test_not_monotone_counterexample_lowers_the_score(misbehaving_methods: None) -> None:
    """For 'spread' (highest minus lowest answer) the counterexample raises one answer and the
    score goes down, e.g. answers 1, 2, 2 with q1 raised to 2: spread 1 becomes 0."""
    result = check_scale(broken("plugin-method-not-monotone.json"), max_examples=50).result(
        "monotone"
    )
    example = result.counterexample
    assert example is not None
    assert example["after"] < example["before"]
    raised = {**example["answers"], example["item"]: example["raised_to"]}
    scale = ak.load_scale(broken("plugin-method-not-monotone.json"))
    assert scale.score(raised).scores["spread"].value == example["after"]
    assert scale.score(example["answers"]).scores["spread"].value == example["before"]
