"""Frozen model classes of a scale document. No I/O here: :mod:`alliancekit.loading` builds them.

Every class is immutable and keyword-only. A :class:`Scale` keeps the validated document it was
built from, so :meth:`Scale.to_dict` gives it back and :attr:`Scale.sha256` identifies it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from alliancekit.results import ScoreResult
    from alliancekit.scoring import Answers, ScoringPlan

__all__ = [
    "AlertRule",
    "Band",
    "Citation",
    "Direction",
    "Flag",
    "Item",
    "License",
    "MissingRule",
    "Norm",
    "Option",
    "ResponseSet",
    "Scale",
    "ScoreDefinition",
    "ScoreInterpretation",
    "Transform",
    "Verification",
]

Direction = Literal["higher-is-better", "higher-is-worse"]
Flag = Literal["none", "watch", "alert"]
Label = Mapping[str, str]


@attrs.frozen(kw_only=True)
class Option:
    """One answer option of an ordinal response set."""

    value: int
    label: Label | None = None


@attrs.frozen(kw_only=True)
class ResponseSet:
    """The answers an item accepts: ordinal options, or a real-valued (visual-analogue) range.

    ``min`` and ``max`` are the lowest and highest option values of an ordinal set. They are
    ``None`` only for a continuous set that declares no bounds, which the loader rejects.
    """

    id: str
    kind: Literal["ordinal", "continuous"]
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    source: str | None = None

    @property
    def values(self) -> frozenset[int]:
        """The option values of an ordinal set (empty for a continuous set)."""
        return frozenset(o.value for o in self.options)


@attrs.frozen(kw_only=True)
class Item:
    """One item of a scale. ``text`` is only set where the licence allows shipping it."""

    id: str
    number: int
    response_set: ResponseSet
    reverse: bool = False
    construct: str | None = None
    text: Label | None = None


@attrs.frozen(kw_only=True)
class MissingRule:
    """How many items of a score may be missing, and what happens then.

    With neither ``max_missing`` nor ``min_answered`` no item may be missing.
    """

    max_missing: int | None = None
    min_answered: float | None = None
    impute: Literal["none", "prorate"] = "none"
    round: int | None = None
    source: str | None = None

    @property
    def allows_missing(self) -> bool:
        """Whether the rule lets any item be missing at all."""
        return bool(self.max_missing) or (self.min_answered is not None and self.min_answered < 1)


@attrs.frozen(kw_only=True)
class Transform:
    """A linear rescaling of a score's raw range onto ``to`` (e.g. ``(0, 100)``)."""

    to: tuple[float, float]
    source: str | None = None


@attrs.frozen(kw_only=True)
class ScoreDefinition:
    """A score of a scale. ``items`` lists item ids ("all" expanded); ``scores`` lists the
    component scores of a score built from other scores (then ``items`` is empty).
    ``range`` is derived by the loader from the items, method and transform."""

    id: str
    method: str
    items: tuple[str, ...] = ()
    scores: tuple[str, ...] = ()
    weights: Mapping[str, float] | None = None
    missing: MissingRule = MissingRule()
    transform: Transform | None = None
    parameters: Mapping[str, Any] | None = None
    title: str | None = None
    source: str | None = None
    range: tuple[float, float] = (0.0, 0.0)
    #: the exact range before ``transform`` (what the transform maps from)
    raw_range: tuple[Fraction, Fraction] = attrs.field(
        default=(Fraction(0), Fraction(0)), repr=False
    )


@attrs.frozen(kw_only=True)
class Band:
    """A half-open interval ``[lower, upper)`` of a score with its label, flag and source.

    The band whose ``upper`` is the score's maximum also contains the maximum.
    """

    lower: float
    upper: float
    label: str
    flag: Flag
    source: str


@attrs.frozen(kw_only=True)
class Norm:
    """A reference population of a score, with statistics and/or bands of its own."""

    id: str
    population: str
    source: str
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    reliability: float | None = None
    reliability_type: str | None = None
    clinical: bool | None = None
    default: bool = False
    bands: tuple[Band, ...] = ()


@attrs.frozen(kw_only=True)
class AlertRule:
    """A rule that raises an alert across sessions: ``below-cutoff`` (the score falls in a band
    flagged ``alert``), ``drop`` (at least ``min_drop`` points worse than the previous session) or
    ``reliable-deterioration`` (reliable change for the worse, by the statistics of ``norm``)."""

    kind: Literal["below-cutoff", "drop", "reliable-deterioration"]
    source: str
    min_drop: float | None = None
    norm: str | None = None


@attrs.frozen(kw_only=True)
class ScoreInterpretation:
    """What the scale document says about reading one score."""

    direction: Direction = "higher-is-better"
    bands: tuple[Band, ...] = ()
    norms: tuple[Norm, ...] = ()
    alerts: tuple[AlertRule, ...] = ()
    note: str | None = None


@attrs.frozen(kw_only=True)
class Citation:
    """A published source."""

    text: str
    id: str | None = None
    doi: str | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class License:
    """Who holds the rights and whether item text ships with the document."""

    holder: str
    terms: str
    item_text: Literal["included", "not-included"]
    url: str | None = None


@attrs.frozen(kw_only=True)
class Verification:
    """Whether every fact the document uses is confirmed by a cited source."""

    status: Literal["verified", "provisional"]
    sources: tuple[str, ...] = ()
    open_questions: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Scale:
    """A validated rating scale. Build one with :func:`alliancekit.load_scale`."""

    id: str
    version: str
    title: str
    citations: tuple[Citation, ...]
    license: License
    verification: Verification
    response_sets: Mapping[str, ResponseSet]
    items: tuple[Item, ...]
    scores: tuple[ScoreDefinition, ...]
    interpretation: Mapping[str, ScoreInterpretation]
    abbreviation: str | None = None
    construct: str | None = None
    respondent: str | None = None
    sha256: str = attrs.field(repr=False)
    _document: Mapping[str, Any] = attrs.field(repr=False, eq=False, alias="document")
    #: set once by the loader right after construction (the plan needs the scale)
    _plan: ScoringPlan = attrs.field(init=False, repr=False, eq=False)

    @property
    def status(self) -> Literal["verified", "provisional"]:
        """``verified`` or ``provisional`` (see :attr:`verification`)."""
        return self.verification.status

    def item(self, item_id: str) -> Item:
        """Return the item with this id; raises :class:`KeyError` if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def score_definition(self, score_id: str) -> ScoreDefinition:
        """Return the score with this id; raises :class:`KeyError` if there is none."""
        for score in self.scores:
            if score.id == score_id:
                return score
        raise KeyError(score_id)

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical document (a fresh deep copy); ``load_scale`` of it gives this
        scale back."""
        return copy.deepcopy(dict(self._document))

    def canonical_json(self) -> bytes:
        """The canonical JSON encoding of the document, whose sha256 is :attr:`sha256`."""
        from alliancekit.loading import canonical_json

        return canonical_json(self._document)

    def score(
        self,
        answers: Answers,
        *,
        coerce: bool = False,
        context: Mapping[str, Any] | None = None,
        notify: bool = True,
    ) -> ScoreResult:
        """Score one set of answers (item id -> value, ``None`` or absent for missing).

        :param coerce: accept strings such as ``"4"`` or ``"8.7"`` (e.g. from CSV); an empty
            string is a missing answer.
        :param context: passed on to ``alliancekit_result_scored`` handlers (with ``"scale"``
            added), e.g. ``{"respondent_key": ...}`` for a plugin that follows a client.
        :param notify: ``False`` scores without firing ``alliancekit_result_scored`` (for
            synthetic or simulated answers).
        :returns: a :class:`~alliancekit.results.ScoreResult`.
        :raises ResponseError: listing every bad answer.
        """
        return self._plan.score(answers, coerce=coerce, context=context, notify=notify)

    def score_table(self, table: Any) -> dict[str, Any]:
        """Score a table (rows = responses, columns = items in item order, NaN = missing),
        vectorised with NumPy when the ``fast`` extra is installed; results are identical to
        :meth:`score` row by row. Does not fire ``alliancekit_result_scored``.

        :returns: score id -> 1-D float64 NumPy array (a list of floats without NumPy), NaN
            where the missing-data rule fails.
        :raises ResponseError: listing every bad cell as ``table[row, column]`` with the item id.
        """
        from alliancekit.tables import score_table

        return score_table(self, table)
