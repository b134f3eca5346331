"""Scoring one set of answers: strict checks, reverse keys, missing-data rules, exact arithmetic.

A :class:`ScoringPlan` is compiled once per scale (:attr:`Scale.plan`, kept on the scale);
:meth:`Scale.score` calls it.
Answers are checked here, at the edge (see ``_answers``), and everything after that
trusts them. Arithmetic is exact: integers stay integers, a real-valued mark is taken at its
decimal value (``8.7`` is 87/10), and a value becomes a float only once, at the end, correctly
rounded.

The common case (int options, some perhaps missing, on a scale whose scores are sums and means
of items) takes a fast path: the answers are packed into one integer that holds the answered
count and keyed sum of every item set, which determine every score, and the (immutable)
:class:`~alliancekit.Score` objects already built for that key are reused. It gives exactly
what the general path (:meth:`ScoringPlan.score_general`) gives; the tests compare the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import getitem
from typing import TYPE_CHECKING, Any, cast

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring._answers import ItemCheck, check_text, check_value, key_label
from alliancekit.scoring._compiled import CompiledScore, members_getter, score_members
from alliancekit.scoring._exact import CACHE_LIMIT, Exact, exact_float
from alliancekit.scoring._results import AnswerValue, Score, ScoreResult, build_result

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = ["Answers", "CompiledScore", "ScoringPlan"]

Answers = Mapping[str, Any]
_INT_ONLY = frozenset({int})
_INT_OR_NONE = frozenset({int, type(None)})


class ScoringPlan:
    """The compiled scoring rules of a scale. Get one as :attr:`Scale.plan`; callers use
    :meth:`Scale.score`."""

    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        methods = scale.methods
        self.item_ids = tuple(item.id for item in scale.items)
        self.checks = {item.id: ItemCheck(i, item) for i, item in enumerate(scale.items)}
        self.item_checks = tuple(self.checks.values())
        # One warning per provisional fact the scores rest on (every score is computed).
        self.warnings: tuple[str, ...] = scale.scoring_warnings
        #: what every result of the scale starts with: its id, version, sha256 and status
        self.header = (scale.id, scale.version, scale.sha256, scale.status)
        positions = {item_id: i for i, item_id in enumerate(self.item_ids)}
        score_index: dict[str, int] = {}
        self.scores: list[CompiledScore] = []
        for definition in scale.scores:
            members = (
                tuple(positions[i] for i in definition.items)
                if definition.items
                else tuple(score_index[s] for s in definition.scores)
            )
            score_index[definition.id] = len(self.scores)
            self.scores.append(CompiledScore(definition, methods[definition.method], members))
        self.score_ids = tuple(s.id for s in self.scores)
        self.reversed = tuple(
            (c.index, c.reverse_sum) for c in self.item_checks if c.reverse_sum is not None
        )
        # The fast path needs every item ordinal with one shared option set (values are then
        # ints), and reverse keys that stay ints.
        option_sets = {c.allowed for c in self.item_checks}
        uniform = len(option_sets) == 1 and all(c.ordinal for c in self.item_checks)
        self.uniform_options: frozenset[int] | None = option_sets.pop() if uniform else None
        self.sum_scores: tuple[tuple[str, int, dict[int, Score], CompiledScore], ...] | None = None
        self.sum_steps: tuple[tuple[bool, Any], ...] = ()
        if all(s.by_items and s.kind in {"sum", "mean"} for s in self.scores):
            steps, step_of = _sum_steps([s.positions for s in self.scores])
            self.sum_steps = steps
            self.sum_scores = tuple(
                (s.id, step_of[i], s.cache, s) for i, s in enumerate(self.scores)
            )
        #: per item, option (or None) -> its share of the packed key (see _packing)
        self.packing: tuple[dict[int | None, int], ...] | None = None
        #: packed key -> the scores of every answer vector with that key
        self.by_key: dict[int, dict[str, Score]] = {}
        if self.sum_scores is not None and self.uniform_options is not None:
            self.packing = _packing(
                self.uniform_options,
                dict(self.reversed),
                [s.positions for s in self.scores],
                len(self.item_ids),
            )
        #: the NumPy kernel of score_table, built on first use (False: it cannot be exact)
        self.kernel: Any = None

    # -- validation -------------------------------------------------------------------------

    def validate(self, answers: Answers, *, coerce: bool = False) -> list[AnswerValue]:
        """Check answers and return them as a list in item order (``None`` = missing).

        :raises ResponseError: listing every problem, each with the item id and a stable code.
        """
        if not isinstance(answers, Mapping):
            raise ResponseError(
                [
                    ResponseIssue(
                        item_id="*",
                        code="not-a-mapping",
                        message="answers must map item ids to values, "
                        f"not {type(answers).__name__}",
                    )
                ],
                scale_id=self.scale.id,
            )
        values: list[AnswerValue] = [None] * len(self.item_ids)
        issues: list[ResponseIssue] = []
        checks = self.checks
        for key, value in answers.items():
            check = checks.get(key)
            if check is None:
                issues.append(
                    ResponseIssue(
                        item_id=key_label(key),
                        code="unknown-item",
                        message=f"not an item of scale {self.scale.id!r}",
                    )
                )
            elif type(value) is int and value in check.allowed:
                values[check.index] = value
            elif coerce and type(value) is str:
                checked = check_text(check, value)
                if isinstance(checked, ResponseIssue):
                    issues.append(checked)
                else:
                    values[check.index] = checked
            else:
                checked = check_value(check, value, coerce)
                if isinstance(checked, ResponseIssue):
                    issues.append(checked)
                else:
                    values[check.index] = checked
        if issues:
            raise ResponseError(issues, scale_id=self.scale.id)
        return values

    def _complete_ints(self, answers: dict[str, Any]) -> tuple[list[int], dict[str, int]] | None:
        """For a dict with as many keys as there are items, in another order: the answers in
        item order and a copy of the dict in item order when every item has a valid ``int``
        option; ``None`` otherwise (the general path then decides)."""
        allowed = self.uniform_options
        assert allowed is not None
        try:
            values = list(map(answers.__getitem__, self.item_ids))
        except KeyError:
            return None
        if _INT_ONLY.issuperset(map(type, values)) and allowed.issuperset(values):
            return values, dict(zip(self.item_ids, values, strict=True))
        return None

    # -- scoring ---------------------------------------------------------------------------

    def score(self, answers: Answers, *, coerce: bool = False) -> ScoreResult:
        """Validate and score one set of answers; see :meth:`Scale.score` (which announces
        the result)."""
        allowed = self.uniform_options
        complete = None
        if allowed is not None and type(answers) is dict:
            if tuple(answers) == self.item_ids:
                # The fast path: a dict in item order whose every value is an int option (or
                # None). A bool, a float or a numpy number can equal an option, hence the type
                # check; a value that is no option is not in the packing tables.
                values = list(answers.values())
                if self.packing is not None:
                    if _INT_OR_NONE.issuperset(map(type, values)):
                        try:
                            key = sum(map(getitem, self.packing, values))
                        except KeyError:
                            pass  # not an option: the general path reports it
                        else:
                            return self._score_packed(key, values, answers.copy())
                elif _INT_ONLY.issuperset(map(type, values)) and allowed.issuperset(values):
                    return self._score_complete_ints(values, answers.copy())
            elif len(answers) == len(self.item_ids):
                if self.packing is not None:
                    # Every item answered, in another order: the same packed key, in item order.
                    try:
                        values = list(map(answers.__getitem__, self.item_ids))
                        if _INT_OR_NONE.issuperset(map(type, values)):
                            key = sum(map(getitem, self.packing, values))
                            ordered = dict(zip(self.item_ids, values, strict=True))
                            return self._score_packed(key, values, ordered)
                    except KeyError:
                        pass  # an unknown key or a value that is no option: the general path
                else:
                    complete = self._complete_ints(answers)
        if complete is None:
            return self.score_values(self.validate(answers, coerce=coerce))
        return self._score_complete_ints(*complete)

    def _score_packed(self, key: int, values: list[Any], answers: dict[str, Any]) -> ScoreResult:
        """Score valid int options (``None`` = missing) by their packed key (see
        :func:`_packing`): the key determines every item set's answered count and keyed sum,
        which determine every score, so the scores found for a key are reused."""
        scores = self.by_key.get(key)
        if scores is None:
            if None in values:
                result = self._score_partial_ints(values.copy(), answers)
            else:
                result = self._score_complete_ints(values.copy(), answers)
            scores = dict(result.scores)
            if len(self.by_key) < CACHE_LIMIT:
                self.by_key[key] = scores
        return build_result(self.header, answers, scores.copy(), self.warnings)

    def _score_complete_ints(self, values: list[int], answers: dict[str, int]) -> ScoreResult:
        keyed: list[Any] = values
        if self.reversed:
            keyed = cast("list[Any]", values.copy())
            for index, reverse_sum in self.reversed:
                keyed[index] = reverse_sum - keyed[index]
        scores: dict[str, Score] = {}
        if self.sum_scores is not None:
            # Every score is a sum or mean of items: its Score depends on the integer sum only,
            # and a Score is immutable, so the one built for that sum is reused.
            sums: list[int] = []
            for of_sums, get in self.sum_steps:
                sums.append(sum(get(sums if of_sums else keyed)))
            for score_id, step, cache, compiled in self.sum_scores:
                key = sums[step]
                score = cache.get(key)
                if score is None:
                    score = score_members(compiled, list(compiled.get(keyed)))[1]
                    if len(cache) < CACHE_LIMIT:
                        cache[key] = score
                scores[score_id] = score
        else:
            raws: list[Exact | None] = []
            for compiled in self.scores:
                raw, score = score_members(
                    compiled, list(compiled.get(keyed if compiled.by_items else raws))
                )
                raws.append(raw)
                scores[compiled.id] = score
        return build_result(self.header, answers, scores, self.warnings)

    def _score_partial_ints(self, values: list[int | None], answers: dict[str, Any]) -> ScoreResult:
        """Score valid int options with at least one missing (``None``) answer, when every score
        is a sum or mean of items. Such a Score depends only on how many of its items are
        answered and on their integer sum (prorating, rounding, the mean and a transform are
        functions of the two), so the one built by the general path for that pair is reused."""
        keyed: list[Any] = values.copy()
        for index, reverse_sum in self.reversed:
            value = keyed[index]
            if value is not None:
                keyed[index] = reverse_sum - value
        sums: list[int] = []
        counts: list[int] = []
        for of_sums, get in self.sum_steps:
            if of_sums:  # a disjoint union of sets already summed: add sums and counts
                sums.append(sum(get(sums)))
                counts.append(sum(get(counts)))
            else:
                members = get(keyed)
                if None in members:
                    present = [value for value in members if value is not None]
                    sums.append(sum(present))
                    counts.append(len(present))
                else:  # usually most sets are complete
                    sums.append(sum(members))
                    counts.append(len(members))
        assert self.sum_scores is not None
        scores: dict[str, Score] = {}
        for score_id, step, cache, compiled in self.sum_scores:
            count, total = counts[step], sums[step]
            if count == compiled.size:
                score = cache.get(total)
                if score is None:
                    score = score_members(compiled, list(compiled.get(keyed)))[1]
                    if len(cache) < CACHE_LIMIT:
                        cache[total] = score
            elif count < compiled.need:
                score = compiled.failure(count)
            else:
                score = compiled.partial.get((count, total))
                if score is None:
                    score = score_members(compiled, list(compiled.get(keyed)))[1]
                    if len(compiled.partial) < CACHE_LIMIT:
                        compiled.partial[count, total] = score
            scores[score_id] = score
        return build_result(self.header, answers, scores, self.warnings)

    def score_values(self, values: list[AnswerValue]) -> ScoreResult:
        """Score answers already checked by :meth:`validate` (a list in item order); fires no
        event."""
        if self.packing is not None and _INT_OR_NONE.issuperset(map(type, values)):
            key: int = sum(map(getitem, self.packing, values))  # type: ignore[arg-type]
            return self._score_packed(key, values, dict(zip(self.item_ids, values, strict=True)))
        if self.uniform_options is not None and _INT_ONLY.issuperset(map(type, values)):
            ints = cast("list[int]", values)
            return self._score_complete_ints(ints, dict(zip(self.item_ids, ints, strict=True)))
        return self.score_general(values)

    def score_general(self, values: list[AnswerValue]) -> ScoreResult:
        """Score checked answers by the general path: every score from its members' exact
        values, no fast path and no reused Score; the reference the fast paths are tested
        against."""
        keyed: list[Exact | None] = [
            value if value is None or type(value) is int else exact_float(value) for value in values
        ]
        for index, reverse_sum in self.reversed:
            number = keyed[index]
            if number is not None:
                keyed[index] = reverse_sum - number
        raws: list[Exact | None] = []
        scores: dict[str, Score] = {}
        for compiled in self.scores:
            members = list(compiled.get(keyed if compiled.by_items else raws))
            raw, score = score_members(compiled, members)
            raws.append(raw)
            scores[compiled.id] = score
        answers = dict(zip(self.item_ids, values, strict=True))
        return build_result(self.header, answers, scores, self.warnings)

    def raw_values(self, values: list[AnswerValue]) -> list[float | None]:
        """The float value of every score (in plan order) for checked answers, building no
        result; the reference the table and file paths are tested against."""
        result = self.score_values(values)
        return [result.scores[score_id].value for score_id in self.score_ids]


def _sum_steps(
    member_lists: list[tuple[int, ...]],
) -> tuple[tuple[tuple[bool, Any], ...], list[int]]:
    """Plan the integer sums of several item sets, each distinct set once, and a set that is the
    disjoint union of sets already summed as the sum of their sums (WAI-SR: total = task + goal
    + bond). Integer addition is exact, so the order does not matter.

    :returns: the steps ``(of_sums, getter)`` (the getter picks items, or earlier sums when
        ``of_sums``) and, per item set, the index of the step giving its sum.
    """
    steps: list[tuple[bool, Any]] = []
    done: dict[frozenset[int], int] = {}
    step_of: list[int] = []
    for members in member_lists:
        wanted = frozenset(members)
        if wanted in done:
            step_of.append(done[wanted])
            continue
        parts: list[int] = []
        covered: set[int] = set()
        for items, step in done.items():
            if items <= wanted and not items & covered:
                parts.append(step)
                covered |= items
        if len(parts) > 1 and covered == wanted:
            steps.append((True, members_getter(tuple(parts))))
        else:
            steps.append((False, members_getter(members)))
        done[wanted] = len(steps) - 1
        step_of.append(len(steps) - 1)
    return tuple(steps), step_of


def _packing(
    options: frozenset[int],
    reversed_sums: dict[int, Any],
    member_lists: list[tuple[int, ...]],
    items: int,
) -> tuple[dict[int | None, int], ...]:
    """Tables that pack, for answers that are all options of one set (``None`` = missing), the
    answered count and keyed sum of every distinct item set into one integer: the sum of each
    item's table entry for its answer. Each set has two bit fields, the count and the sum of
    ``keyed - lowest`` (never negative); fields are wide enough never to carry, so the key is
    the same exactly when every set's count and sum are (the sum is the field plus ``count *
    lowest``).
    """
    low, high = min(options), max(options)
    sets = sorted({frozenset(m) for m in member_lists}, key=sorted)
    # An item in no set adds nothing, but its options must still be known (others are not).
    shares: list[dict[int | None, int]] = [dict.fromkeys([None, *options], 0) for _ in range(items)]
    offset = 0
    for members in sets:
        count_bits = len(members).bit_length()
        sum_bits = (len(members) * (high - low)).bit_length()
        for i in members:
            for option in options:
                keyed = reversed_sums[i] - option if i in reversed_sums else option
                share = shares[i].get(option, 0)
                shares[i][option] = share + (1 << offset) + ((keyed - low) << (offset + count_bits))
        offset += count_bits + sum_bits
    return tuple(shares)
