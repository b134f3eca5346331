"""Hypothesis strategies for any scale: valid answers, defective answers, valid scale documents.

Needs Hypothesis (``pip install 'alliancekit[testing]'``)::

    from hypothesis import given
    from alliancekit import get_scale
    from alliancekit.testing.strategies import answers

    WAI_SR = get_scale("wai-sr")

    @given(answers(WAI_SR))
    def test_total_is_in_range(a):
        low, high = WAI_SR.score_definition("total").range
        assert low <= WAI_SR.score(a).scores["total"].value <= high
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import attrs

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "alliancekit.testing.strategies needs Hypothesis: pip install 'alliancekit[testing]'"
    ) from error

from alliancekit.document import Scale
from alliancekit.model import ResponseSet
from alliancekit.testing.scale_documents import scale_documents

__all__ = [
    "DEFECT_CODES",
    "InvalidAnswers",
    "answer_values",
    "answers",
    "invalid_answers",
    "scale_documents",
]

AnswerValue = int | float | None

#: The :class:`~alliancekit.errors.ResponseIssue` codes that :func:`invalid_answers` produces.
DEFECT_CODES: tuple[str, ...] = (
    "unknown-item",
    "value-not-an-option",
    "out-of-range",
    "boolean-not-allowed",
    "not-finite",
    "wrong-type",
)

_ABSENT = object()


def answer_values(response_set: ResponseSet) -> st.SearchStrategy[int | float]:
    """Valid answers for one response set.

    :returns: for an ordinal set, its option values; for a continuous set, real-valued marks:
        the exact ``min`` and ``max``, whole numbers (as ``int``), marks to one decimal such as
        ``8.7``, and any float in between.
    """
    if response_set.kind == "ordinal":
        return st.sampled_from(sorted(response_set.values))
    low, high = response_set.min, response_set.max
    assert low is not None and high is not None  # the loader rejects unbounded sets
    choices: list[st.SearchStrategy[int | float]] = [
        st.sampled_from((low, high)),
        st.floats(min_value=low, max_value=high),
    ]
    first_tenth, last_tenth = math.ceil(low * 10), math.floor(high * 10)
    if first_tenth <= last_tenth:
        choices.append(
            st.integers(first_tenth, last_tenth)
            .map(lambda k: k / 10)
            .filter(lambda v: low <= v <= high)
        )
    if math.ceil(low) <= math.floor(high):
        choices.append(st.integers(math.ceil(low), math.floor(high)))
    return st.one_of(choices)


def answers(scale: Scale, missing: bool = False) -> st.SearchStrategy[dict[str, AnswerValue]]:
    """Valid answer mappings (item id -> value) for ``scale``; scoring one never raises
    :class:`~alliancekit.errors.ResponseError`.

    :param missing: when true, any number of items (none, some or all) may be unanswered, either
        ``None`` or left out of the mapping; when false, every item is answered.
    :returns: a strategy of dicts, keys in item order.
    """
    ids = [item.id for item in scale.items]
    values = st.fixed_dictionaries(
        {item.id: answer_values(item.response_set) for item in scale.items}
    ).map(lambda drawn: {item_id: drawn[item_id] for item_id in ids})  # in item order
    if not missing:
        return values  # type: ignore[return-value]
    holes = st.lists(st.tuples(st.sampled_from(ids), st.booleans()), unique_by=lambda t: t[0])
    return st.builds(_with_holes, values, holes)


def _with_holes(
    values: dict[str, int | float], holes: list[tuple[str, bool]]
) -> dict[str, AnswerValue]:
    result: dict[str, AnswerValue] = dict(values)
    for item_id, absent in holes:
        if absent:
            del result[item_id]
        else:
            result[item_id] = None
    return result


@attrs.frozen(kw_only=True)
class InvalidAnswers:
    """A set of answers with known defects, and the issues scoring it must report.

    :ivar answers: the mapping to score (``coerce=False``).
    :ivar expected: every ``(item_id, code)`` pair the
        :class:`~alliancekit.errors.ResponseError` must list, and nothing else.
    """

    answers: dict[Any, Any]
    expected: frozenset[tuple[str, str]]

    @property
    def codes(self) -> frozenset[str]:
        """The expected issue codes."""
        return frozenset(code for _, code in self.expected)


def invalid_answers(
    scale: Scale, *, codes: Iterable[str] = DEFECT_CODES
) -> st.SearchStrategy[InvalidAnswers]:
    """Answer mappings for ``scale`` with one to three defects each, every defect of a kind in
    ``codes`` (see :data:`DEFECT_CODES`); the other items are valid or missing.

    :returns: a strategy of :class:`InvalidAnswers`, whose ``expected`` holds the
        ``(item_id, code)`` pairs that ``scale.score(case.answers)`` must report.
    :raises ValueError: for an unknown code, or when no item of the scale can carry any of the
        requested defects (e.g. only ``out-of-range`` for a scale without continuous items).
    """
    wanted = tuple(codes)
    unknown = sorted(set(wanted) - set(DEFECT_CODES))
    if unknown:
        raise ValueError(f"unknown defect codes {unknown} (known: {', '.join(DEFECT_CODES)})")
    targets: list[tuple[str, str, st.SearchStrategy[Any]]] = []
    for item in scale.items:
        kinds = [c for c in _item_defects(item.response_set) if c in wanted]
        targets.extend((item.id, code, _bad_value(item.response_set, code)) for code in kinds)
    if "unknown-item" in wanted:
        item_ids = {item.id for item in scale.items}
        unknown_keys = st.text(min_size=1, max_size=40).filter(lambda k: k not in item_ids)
        targets.append(("", "unknown-item", unknown_keys))
    if not targets:
        raise ValueError(f"no item of scale {scale.id!r} can carry a defect of {list(wanted)}")
    return _invalid_answers(answers(scale, missing=True), targets)


def _item_defects(response_set: ResponseSet) -> tuple[str, ...]:
    shape = "value-not-an-option" if response_set.kind == "ordinal" else "out-of-range"
    return (shape, "boolean-not-allowed", "not-finite", "wrong-type")


@st.composite
def _invalid_answers(
    draw: st.DrawFn,
    valid: st.SearchStrategy[dict[str, AnswerValue]],
    targets: list[tuple[str, str, st.SearchStrategy[Any]]],
) -> InvalidAnswers:
    chosen = draw(
        st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique_by=lambda t: t[0])
    )
    result: dict[Any, Any] = dict(draw(valid))
    expected = set()
    for item_id, code, bad in chosen:
        if code == "unknown-item":
            key = draw(bad)
            result[key] = draw(st.integers(-5, 5))
            expected.add((key, code))
        else:
            result[item_id] = draw(bad)
            expected.add((item_id, code))
    return InvalidAnswers(answers=result, expected=frozenset(expected))


def _bad_value(response_set: ResponseSet, code: str) -> st.SearchStrategy[Any]:
    if code == "boolean-not-allowed":
        return st.booleans()
    if code == "not-finite":
        return st.sampled_from([math.nan, math.inf, -math.inf])
    if code == "value-not-an-option":
        return st.integers().filter(lambda v: v not in response_set.values)
    if code == "out-of-range":
        low, high = response_set.min, response_set.max
        assert low is not None and high is not None
        return st.one_of(
            st.floats(max_value=low, exclude_max=True, allow_nan=False, allow_infinity=False),
            st.floats(min_value=high, exclude_min=True, allow_nan=False, allow_infinity=False),
            st.integers(max_value=math.ceil(low) - 1),
            st.integers(min_value=math.floor(high) + 1),
        )
    # wrong-type: not a real number at all, or (for an ordinal item) a number that is not whole
    # or not an int, such as 2.0 or 2.5
    others: list[st.SearchStrategy[Any]] = [
        st.text(max_size=10),
        st.binary(max_size=5),
        st.lists(st.integers(0, 5), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(0, 5), max_size=2),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.complex_numbers(allow_nan=False, allow_infinity=False),
    ]
    if response_set.kind == "ordinal":
        others.append(st.floats(allow_nan=False, allow_infinity=False))
    return st.one_of(others)
