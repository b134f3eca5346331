"""`change`: reliable change and the cut-off combined into recovered / improved / unchanged /
deteriorated / not-applicable, from the norms in the scale document."""

from __future__ import annotations

import pytest
from interpretation_builders import norm

import alliancekit as ak

# Higher is better. Clinical: mean 20, sd 6, r .75; functional: mean 30, sd 4.
# SE = 6·√0.25 = 3; S_diff = 3√2 = 4.2426407; threshold = 1.96·4.2426407 = 8.3155758 points.
# c = (4·20 + 6·30)/(4 + 6) = 260/10 = 26.
BETTER = {
    "direction": "higher-is-better",
    "norms": [
        norm("clinical", mean=20, sd=6, reliability=0.75, clinical=True),
        norm("community", mean=30, sd=4, clinical=False),
    ],
}

# Higher is worse. Clinical: mean 30, sd 6, r .75 (same threshold 8.3155758); functional:
# mean 12, sd 4. c = (4·30 + 6·12)/(4 + 6) = 192/10 = 19.2.
WORSE = {
    "direction": "higher-is-worse",
    "norms": [
        norm("clinical", mean=30, sd=6, reliability=0.75, clinical=True),
        norm("community", mean=12, sd=4, clinical=False),
    ],
}


@pytest.mark.parametrize(
    ("before", "after", "category"),
    [
        (18, 28, "recovered"),  # +10 > 8.32, reliable; 28 > c = 26: functional side
        (15, 25, "improved"),  # +10 reliable; 25 < 26: still clinical
        (17, 26, "improved"),  # +9 reliable; ends exactly on c = 26: not beyond it
        (20, 24, "unchanged"),  # +4 < 8.32
        (18, 26, "unchanged"),  # +8 < 8.32, though it reaches c
        (24, 14, "deteriorated"),  # −10 reliable, the wrong way
        (27, 35, "not-applicable"),  # starts on the functional side (27 > 26)
        (26, 36, "not-applicable"),  # starts exactly on c: not on the clinical side
    ],
)
def test_higher_is_better_categories(make_scale, results, before, after, category) -> None:
    """Categories for a higher-is-better score with clinical and functional norms (c = 26)."""
    scale = make_scale(BETTER)
    first, second = results(scale, before, after)
    outcome = ak.change(first, second, scale=scale)
    assert outcome.category == category
    assert (outcome.cutoff, outcome.cutoff_method) == (26, "c")
    assert (outcome.norm, outcome.functional_norm) == ("clinical", "community")


@pytest.mark.parametrize(
    ("before", "after", "category"),
    [
        (30, 15, "recovered"),  # −15 reliable; 15 < c = 19.2: functional side
        (30, 20, "improved"),  # −10 reliable; 20 > 19.2: still clinical
        (22, 32, "deteriorated"),  # +10 reliable, the wrong way for a higher-is-worse score
        (25, 20, "unchanged"),  # −5 < 8.32
        (18, 8, "not-applicable"),  # 18 < 19.2: starts on the functional side
    ],
)
def test_higher_is_worse_categories(make_scale, results, before, after, category) -> None:
    """Categories for a higher-is-worse score (c = 19.2)."""
    scale = make_scale(WORSE)
    first, second = results(scale, before, after)
    outcome = ak.change(first, second, scale=scale)
    assert outcome.category == category
    assert outcome.cutoff == pytest.approx(19.2, abs=1e-12)


def test_change_reports_rci_and_cutoffs(make_scale, results) -> None:
    """The change carries the RCI (+10/4.2426407 = 2.3570226), every cut-off and the sources."""
    scale = make_scale(BETTER)
    outcome = ak.change(*results(scale, 18, 28), scale=scale)
    assert outcome.rci == pytest.approx(2.3570226, abs=1e-7)
    assert outcome.reliable
    assert outcome.reliable_change.threshold == pytest.approx(8.3155758, abs=1e-7)
    assert outcome.cutoffs is not None
    # a = 20 + 2·6 = 32; b = 30 − 2·4 = 22
    assert (outcome.cutoffs.a, outcome.cutoffs.b, outcome.cutoffs.c) == (32, 22, 26)
    assert len(outcome.sources) == 2


def test_without_functional_norm_cutoff_a_is_used(make_scale, results) -> None:
    """With only a clinical norm (mean 20, sd 6) the cut-off is a = 20 + 2·6 = 32:
    18 → 33 (+15, reliable) ends beyond 32 → recovered; 18 → 31 → improved."""
    scale = make_scale({"norms": [BETTER["norms"][0]]})
    recovered = ak.change(*results(scale, 18, 33), scale=scale)
    assert (recovered.category, recovered.cutoff, recovered.cutoff_method) == ("recovered", 32, "a")
    assert recovered.cutoffs is None and recovered.functional_norm is None
    assert ak.change(*results(scale, 18, 31), scale=scale).category == "improved"


def test_named_clinical_norm_is_used(make_scale, results) -> None:
    """``norm=`` picks among several clinical norms. With 'strict' (mean 20, sd 2, r .5:
    SE = 2·√0.5 = 1.4142; S_diff = 2; threshold 3.92) 20 → 24 is reliable and, with
    c = (4·20 + 2·30)/(4 + 2) = 140/6 = 23.33, ends on the functional side; with 'clinical'
    (threshold 8.32) it is not reliable."""
    scale = make_scale(
        {
            "norms": [
                *BETTER["norms"],
                norm("strict", mean=20, sd=2, reliability=0.5, clinical=True),
            ]
        }
    )
    first, second = results(scale, 20, 24)
    with pytest.raises(ak.InterpretationError, match="several clinical norms"):
        ak.change(first, second, scale=scale)
    strict = ak.change(first, second, norm="strict", scale=scale)
    assert strict.category == "recovered"
    assert strict.cutoff == pytest.approx(23.3333333, abs=1e-7)
    assert ak.change(first, second, norm="clinical", scale=scale).category == "unchanged"


@pytest.mark.parametrize(
    ("interpretation", "message"),
    [
        ({}, "no clinical norm"),
        ({"norms": [norm("c", mean=20, sd=6, clinical=True)]}, "needs mean, sd and reliability"),
        ({"norms": [norm("f", mean=30, sd=4, clinical=False)]}, "no clinical norm"),
    ],
)
def test_missing_norms_are_an_error(make_scale, results, interpretation, message) -> None:
    """Without a clinical norm with mean, sd and reliability there is no change to classify."""
    scale = make_scale(interpretation)
    with pytest.raises(ak.InterpretationError, match=message):
        ak.change(*results(scale, 18, 28), scale=scale)


def test_named_norm_must_be_clinical(make_scale, results) -> None:
    """Naming the functional norm as the clinical one is refused."""
    scale = make_scale(BETTER)
    with pytest.raises(ak.InterpretationError, match="not marked clinical"):
        ak.change(*results(scale, 18, 28), norm="community", scale=scale)


def test_missing_value_is_an_error(make_scale, results) -> None:
    """A result whose score has no value cannot be compared; the reason is given."""
    scale = make_scale(BETTER)
    first, second = results(scale, 18, None)
    with pytest.raises(ak.InterpretationError, match="has no value after"):
        ak.change(first, second, scale=scale)


def test_results_of_different_scales_are_refused(make_scale, results) -> None:
    """Two results of different documents cannot be compared."""
    scale = make_scale(BETTER)
    other = make_scale(WORSE)
    with pytest.raises(ak.InterpretationError, match="scored with"):
        ak.change(results(scale, 18)[0], results(other, 28)[0], scale=scale)


def test_unknown_score_is_an_error(make_scale, results) -> None:
    """Asking for a score the scale does not have raises ValueError."""
    scale = make_scale(BETTER)
    with pytest.raises(ak.InterpretationError, match="no score 'bond'"):
        ak.change(*results(scale, 18, 28), score="bond", scale=scale)
