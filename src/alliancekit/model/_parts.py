"""Frozen model classes of the parts of a scale document. No I/O here: the document layer builds
them from JSON, and :class:`~alliancekit.document.Scale` holds them together.

Every class is immutable and keyword-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs

from alliancekit.model._provenance import FactStatus

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
    "ScoreDefinition",
    "ScoreInterpretation",
    "Transform",
    "Verification",
    "choose_norm",
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
    status: FactStatus | None = None

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
    status: FactStatus | None = None

    @property
    def allows_missing(self) -> bool:
        """Whether the rule lets any item be missing at all."""
        return bool(self.max_missing) or (self.min_answered is not None and self.min_answered < 1)


@attrs.frozen(kw_only=True)
class Transform:
    """A linear rescaling of a score's raw range onto ``to`` (e.g. ``(0, 100)``)."""

    to: tuple[float, float]
    source: str | None = None
    status: FactStatus | None = None


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
    #: the status of the score's membership and method (``None`` in a v1 document)
    status: FactStatus | None = None
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
    source: str | None = None
    status: FactStatus | None = None


@attrs.frozen(kw_only=True)
class Norm:
    """A reference population of a score, with statistics and/or bands of its own."""

    id: str
    population: str
    source: str | None = None
    status: FactStatus | None = None
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
    source: str | None = None
    status: FactStatus | None = None
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

    def norm(self, norm_id: str | None = None) -> Norm | None:
        """The norm to read this score against (see :func:`choose_norm`)."""
        return choose_norm(self.norms, norm_id)

    def bands_for(self, norm: Norm | None) -> tuple[Band, ...]:
        """The bands a reading against ``norm`` uses: the norm's own bands when it has any,
        else the score's."""
        return norm.bands if norm is not None and norm.bands else self.bands


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
    """Whether every fact the document uses is confirmed by a cited source.

    In a v1 document ``status`` is stated; in a v2 document it is derived: ``verified`` only when
    every fact is (see :attr:`Scale.facts <alliancekit.Scale.facts>`).
    """

    status: Literal["verified", "provisional"]
    sources: tuple[str, ...] = ()
    open_questions: tuple[str, ...] = ()


def choose_norm(norms: tuple[Norm, ...] | list[Norm], norm_id: str | None = None) -> Norm | None:
    """The one rule for which norm applies, used by every reading and by the loader.

    With ``norm_id``: the norm of that id, or ``None`` when there is none. Without: the default
    norm, else the only norm, else ``None`` (several norms and no default: the caller must name
    one; a reading that cannot do without a norm says so).
    """
    if norm_id is not None:
        return next((n for n in norms if n.id == norm_id), None)
    default = next((n for n in norms if n.default), None)
    if default is not None:
        return default
    return norms[0] if len(norms) == 1 else None
