"""The property suite any scale must pass: :func:`check_scale`.

Properties about scores are searched with Hypothesis (answers drawn by
:mod:`alliancekit.testing.strategies`, a failure shrunk to a small counterexample); properties
about the document are checked exactly by :mod:`alliancekit.testing.document_checks`. Synthetic
answers are scored without firing the ``alliancekit_result_scored`` event, so no plugin ever
stores or alerts on them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

try:
    from hypothesis import (
        HealthCheck,
        Verbosity,
        example,
        given,
        settings,
        strategies as st,
        target,
    )
    from hypothesis.errors import Flaky
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "alliancekit.testing.check_scale needs Hypothesis: pip install 'alliancekit[testing]'"
    ) from error

from alliancekit.document import Scale, ScaleSource
from alliancekit.errors import ScaleDefinitionError
from alliancekit.plugins import load_scale
from alliancekit.scoring import ScoreResult
from alliancekit.testing import document_checks
from alliancekit.testing.keyed_directions import corner_answers, directions, higher_answers
from alliancekit.testing.report import PROPERTIES, CheckReport, PropertyResult
from alliancekit.testing.strategies import answers

__all__ = ["DEFAULT_MAX_EXAMPLES", "check_scale"]

#: Examples Hypothesis tries per searched property unless told otherwise.
DEFAULT_MAX_EXAMPLES = 100

Check = Callable[[Scale, int], PropertyResult]


def check_scale(
    source: Scale | ScaleSource,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    skip: Iterable[str] = (),
) -> CheckReport:
    """Run every check of :data:`~alliancekit.testing.report.PROPERTIES` on a scale.

    A path or a mapping is first loaded: when it does not load, the ``document`` check fails
    with every loader problem (JSON path, code, message) and every other check is skipped,
    because there is no scale to run them on. A :class:`~alliancekit.Scale` object is
    checked as it is (``document`` then re-validates its :meth:`~Scale.to_dict`), so a scale
    built or changed by hand gets every check.

    The search is deterministic: the same scale and ``max_examples`` give the same report.
    Do not call this from inside a Hypothesis ``@given`` test.

    :param max_examples: examples Hypothesis tries per searched property.
    :param skip: names of checks not to run (reported as skipped); ``document`` cannot be
        skipped.
    :returns: a :class:`~alliancekit.testing.report.CheckReport`; it never raises for a bad
        scale.
    :raises ValueError: for an unknown check name in ``skip``, ``"document"`` in ``skip``, or
        ``max_examples`` below 1.
    """
    skipped = set(skip)
    unknown = sorted(skipped - set(PROPERTIES))
    if unknown:
        raise ValueError(f"unknown checks {unknown} (known: {', '.join(PROPERTIES)})")
    if "document" in skipped:
        raise ValueError("the 'document' check cannot be skipped")
    if max_examples < 1:
        raise ValueError(f"max_examples must be at least 1 (got {max_examples})")
    label, scale, document = _document(source)
    results = [document]
    for name, check in _CHECKS.items():
        if scale is None:
            results.append(_skipped(name, "the document did not load"))
        elif name in skipped:
            results.append(_skipped(name, "skipped on request"))
        else:
            results.append(check(scale, max_examples))
    return CheckReport(source=label, results=tuple(results))


def _skipped(name: str, message: str) -> PropertyResult:
    return PropertyResult(name=name, status="skipped", message=message)


def _document(source: Scale | ScaleSource) -> tuple[str, Scale | None, PropertyResult]:
    scale: Scale | None = None
    document: ScaleSource
    if isinstance(source, Scale):
        label, scale, document = source.id, source, source.to_dict()
    elif isinstance(source, Mapping):
        given_id = source.get("id")
        label = given_id if isinstance(given_id, str) else "<mapping>"
        document = source
    else:
        label = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<not a document>"
        document = source
    try:
        loaded = load_scale(document)
    except ScaleDefinitionError as error:
        count = len(error.errors)
        result = PropertyResult(
            name="document",
            status="failed",
            message=f"{count} loader problem{'s' if count != 1 else ''}",
            issues=tuple(error.errors),
        )
        return label, scale, result
    except Exception as error:  # e.g. a plugin's range function that raises while loading
        message = f"loading raised {type(error).__name__}: {error}"
        return label, scale, PropertyResult(name="document", status="failed", message=message)
    return label, scale or loaded, PropertyResult(name="document", status="passed")


# -- searched properties ----------------------------------------------------------------------


class _Falsified(Exception):
    def __init__(self, message: str, counterexample: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.counterexample = counterexample


def _search(
    name: str,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    max_examples: int,
    explicit: Iterable[Any] = (),
) -> PropertyResult:
    """Run ``check`` on the ``explicit`` examples, then on examples of ``strategy``; a failure
    is the (shrunk) counterexample."""
    for value in reversed(list(explicit)):
        check = example(value)(check)
    runner = settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
    )(given(strategy)(check))
    try:
        runner()
    except _Falsified as failure:
        # Hypothesis replays the shrunk example last, so this is the minimal counterexample.
        return PropertyResult(
            name=name,
            status="failed",
            message=failure.message,
            counterexample=_plain(failure.counterexample),
        )
    except Flaky as error:
        return PropertyResult(
            name=name,
            status="failed",
            message=f"the property failed, but not every time the same answers were scored "
            f"(is a scoring method non-deterministic?): {type(error).__name__}",
        )
    return PropertyResult(name=name, status="passed")


Scorer = Callable[[Mapping[str, Any]], ScoreResult]


def _scorer(scale: Scale) -> Scorer:
    """Score valid synthetic answers with the scale's plan, which announces nothing (no plugin
    stores or alerts on them); any exception becomes a failure of the property."""
    problem: str | None = None
    try:
        plan = scale.plan
    except Exception as error:
        problem = f"the scale cannot be scored: {type(error).__name__}: {error}"

    def score(given_answers: Mapping[str, Any]) -> ScoreResult:
        if problem is not None:
            raise _Falsified(problem, {"answers": dict(given_answers)})
        try:
            return plan.score(given_answers)
        except Exception as error:
            raise _Falsified(
                f"scoring valid answers raised {type(error).__name__}: {error}",
                {"answers": dict(given_answers)},
            ) from None

    return score


def _in_range(
    scale: Scale, score_answers: Scorer, given_answers: Mapping[str, Any], *, complete: bool
) -> None:
    result = score_answers(given_answers)
    for score in scale.scores:
        outcome = result.scores[score.id]
        low, high = score.range
        example = {
            "answers": dict(given_answers),
            "score": score.id,
            "value": outcome.value,
            "range": [low, high],
        }
        if outcome.value is None:
            if complete:
                raise _Falsified(
                    f"score {score.id!r} has no value for complete answers ({outcome.reason})",
                    example,
                )
            continue
        # steer the search towards the ends of the range, where rounding and prorating bite
        target(outcome.value - high, label=f"{score.id} above its maximum")
        target(low - outcome.value, label=f"{score.id} below its minimum")
        if not low <= outcome.value <= high:
            kind = "prorated score" if outcome.imputed else "score"
            raise _Falsified(
                f"{kind} {score.id!r} is {outcome.value:g}, outside its range [{low:g}, {high:g}]",
                example,
            )


def _range_check(scale: Scale, *, complete: bool) -> Callable[[Mapping[str, Any]], None]:
    score = _scorer(scale)

    def check(given_answers: Mapping[str, Any]) -> None:
        _in_range(scale, score, given_answers, complete=complete)

    return check


def score_in_range(scale: Scale, max_examples: int) -> PropertyResult:
    """``score-in-range``: complete valid answers give every score a value in its range."""
    return _search(
        "score-in-range",
        answers(scale),
        _range_check(scale, complete=True),
        max_examples,
        explicit=corner_answers(scale, missing=False),
    )


def prorated_in_range(scale: Scale, max_examples: int) -> PropertyResult:
    """``prorated-in-range``: answers with missing items give scores in range or no value."""
    if not any(score.missing.allows_missing for score in scale.scores):
        return _skipped("prorated-in-range", "no score allows missing items")
    return _search(
        "prorated-in-range",
        answers(scale, missing=True),
        _range_check(scale, complete=False),
        max_examples,
        explicit=corner_answers(scale, missing=True),
    )


def monotone(scale: Scale, max_examples: int) -> PropertyResult:
    """``monotone``: raising one answer never moves a score against the item's keyed direction
    (reverse key, sign of its weight, orientation of the transform)."""
    moves = directions(scale)
    answer_sets = answers(scale, missing=True)
    score_answers = _scorer(scale)

    def check(data: st.DataObject) -> None:
        before_answers = data.draw(answer_sets)
        answered = [item for item in scale.items if before_answers.get(item.id) is not None]
        if not answered:
            return
        item = data.draw(st.sampled_from(answered))
        value = before_answers[item.id]
        assert value is not None  # answered
        higher = higher_answers(item.response_set, value)
        if higher is None:
            return
        after_answers = {**before_answers, item.id: data.draw(higher)}
        before, after = score_answers(before_answers), score_answers(after_answers)
        for score in scale.scores:
            direction = moves[score.id].get(item.id)
            old, new = before.scores[score.id].value, after.scores[score.id].value
            if direction is None or old is None or new is None:
                continue
            if {"up": new < old, "down": new > old, "flat": new != old}[direction]:
                expected = {"up": "not lower", "down": "not higher", "flat": "unchanged"}
                raise _Falsified(
                    f"raising item {item.id!r} from {before_answers[item.id]} to "
                    f"{after_answers[item.id]} moves score {score.id!r} from {old:g} to "
                    f"{new:g}; expected {expected[direction]}",
                    {
                        "answers": before_answers,
                        "item": item.id,
                        "raised_to": after_answers[item.id],
                        "score": score.id,
                        "before": old,
                        "after": new,
                        "expected": expected[direction],
                    },
                )

    return _search("monotone", st.data(), check, max_examples)


def _exactly(check: Callable[[Scale], PropertyResult]) -> Check:
    return lambda scale, _: check(scale)


_CHECKS: dict[str, Check] = {
    "round-trip": _exactly(document_checks.round_trip),
    "score-in-range": score_in_range,
    "prorated-in-range": prorated_in_range,
    "reverse-involution": _exactly(document_checks.reverse_involution),
    "reverse-key-range": _exactly(document_checks.reverse_key_range),
    "monotone": monotone,
    "bands-tile-range": _exactly(document_checks.bands_tile_range),
    "cutoffs-in-range": _exactly(document_checks.cutoffs_in_range),
}
assert list(_CHECKS) == list(PROPERTIES)[1:], "PROPERTIES and _CHECKS must list the same checks"


def _plain(value: Any) -> Any:
    """JSON-ready copy of a counterexample (tuples become lists, fractions floats)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Fraction):
        return float(value)
    return value
