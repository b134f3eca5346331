"""Change between two administrations: Jacobson & Truax (1991) reliable change and clinical
significance.

Formulas (Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
defining meaningful change in psychotherapy research. Journal of Consulting and Clinical
Psychology, 59(1), 12–19)::

    SE = sd·√(1 − r)            S_diff = √2·SE            RCI = (x2 − x1) / S_diff
    reliable when |RCI| > 1.96; in raw points when |x2 − x1| > 1.96·S_diff

    a = M1 + 2·s1   b = M0 − 2·s0   c = (s0·M1 + s1·M0) / (s0 + s1)     (higher is better;
                                                                       signs flip otherwise)

with 1 = the clinical population and 0 = the functional one. ``b`` uses the functional SD, as
Jacobson & Truax and Evans define it (the R package clinicalsignificance uses the clinical SD).

Decisions are made in exact decimal arithmetic, so that a change exactly on the threshold, or a
score exactly on a cut-off, is classified the same way on every machine: reliable means
(x2 − x1)² > 1.96²·2·sd²·(1 − r), strictly. A score exactly on the cut-off is on neither side: a
client who starts there is ``not-applicable`` and one who ends there has not ``recovered``.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Literal

import attrs

from alliancekit.document import Scale
from alliancekit.errors import InterpretationError
from alliancekit.interpretation._readings import reading_of, scale_of
from alliancekit.model import Direction, Norm, choose_norm, fact_warning, norm_subject
from alliancekit.scoring import ScoreResult, exact_fraction

__all__ = [
    "Z_CRITICAL",
    "Category",
    "Change",
    "ClinicalCutoffs",
    "Outcome",
    "ReliableChange",
    "change",
    "clinical_cutoffs",
    "reliable_change",
]

#: The two-tailed 5% critical value Jacobson & Truax use for reliable change.
Z_CRITICAL = 1.96
_Z_SQUARED = Fraction(196, 100) ** 2

Outcome = Literal["improved", "deteriorated", "unchanged"]
Category = Literal["recovered", "improved", "unchanged", "deteriorated", "not-applicable"]
Side = Literal["clinical", "functional", "on the cut-off"]


@attrs.frozen(kw_only=True)
class ReliableChange:
    """The reliable change from ``before`` to ``after``.

    :ivar difference: after − before, raw points.
    :ivar se: standard error of measurement, sd·√(1 − reliability).
    :ivar s_diff: standard error of the difference, √2·se.
    :ivar rci: difference / s_diff (positive when the score rose, whatever its direction).
    :ivar threshold: 1.96·s_diff, the smallest difference in raw points that is reliable.
    :ivar reliable: |rci| > 1.96.
    :ivar direction: ``improved`` or ``deteriorated`` (read by ``score_direction``) when the
        change is reliable, ``unchanged`` when it is not.
    """

    before: float
    after: float
    difference: float
    sd: float
    reliability: float
    score_direction: Direction
    se: float
    s_diff: float
    rci: float
    threshold: float
    reliable: bool
    direction: Outcome


@attrs.frozen(kw_only=True)
class ClinicalCutoffs:
    """Jacobson & Truax cut-offs between a clinical and a functional population.

    :ivar a: 2 clinical SDs from the clinical mean toward function.
    :ivar b: 2 functional SDs from the functional mean toward dysfunction.
    :ivar c: the point as many (own) SDs from either mean (independent of direction).
    """

    a: float
    b: float
    c: float
    direction: Direction
    clinical_mean: float
    clinical_sd: float
    functional_mean: float
    functional_sd: float


@attrs.frozen(kw_only=True)
class Change:
    """The change of one score between two results, classified.

    :ivar category: ``recovered`` (reliable improvement that ends beyond the cut-off on the
        functional side), ``improved``, ``unchanged``, ``deteriorated``, or ``not-applicable``
        when ``before`` was not on the clinical side of the cut-off.
    :ivar cutoff: the cut-off used: ``c`` when the score has a functional norm, else ``a``.
    :ivar cutoff_method: ``"c"`` or ``"a"``.
    :ivar cutoffs: every cut-off, when there is a functional norm.
    :ivar norm: id of the clinical norm (sd and reliability for the RCI, mean for the cut-off).
    :ivar functional_norm: id of the functional norm, if any.
    :ivar sources: the citations of the norms used.
    :ivar warnings: one line per provisional fact used: those the score's value rests on, then
        each provisional norm (for a v1 document, the before result's warnings).
    """

    score: str
    before: float
    after: float
    reliable_change: ReliableChange
    cutoff: float
    cutoff_method: Literal["a", "c"]
    cutoffs: ClinicalCutoffs | None
    category: Category
    norm: str
    functional_norm: str | None
    sources: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def rci(self) -> float:
        """The reliable change index."""
        return self.reliable_change.rci

    @property
    def reliable(self) -> bool:
        """Whether the change is reliable (|RCI| > 1.96)."""
        return self.reliable_change.reliable


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InterpretationError(
            f"{name} must be a number (got {type(value).__name__} {value!r:.40})"
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        shown = f"{number!r}" if math.isnan(number) else "a number beyond the float range"
        raise InterpretationError(f"{name} must be a finite number (got {shown})")
    return number


def _finite(what: str, *values: float | Fraction) -> list[float]:
    """``values`` as floats, or an InterpretationError when one lies beyond the float range
    (e.g. the change from -1e308 to 1e308)."""
    floats = []
    for value in values:
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise InterpretationError(
                f"the {what} is too large to compute as a float (the inputs are too far apart)"
            )
        floats.append(number)
    return floats


def _positive(name: str, value: object) -> float:
    number = _number(name, value)
    if number <= 0:
        raise InterpretationError(f"{name} must be greater than 0 (got {value!r})")
    return number


def _direction(value: object) -> Direction:
    if value == "higher-is-better":
        return "higher-is-better"
    if value == "higher-is-worse":
        return "higher-is-worse"
    raise InterpretationError(
        f"direction must be 'higher-is-better' or 'higher-is-worse' (got {value!r:.40})"
    )


def reliable_change(
    before: float,
    after: float,
    *,
    sd: float,
    reliability: float,
    direction: Direction = "higher-is-better",
) -> ReliableChange:
    """Jacobson & Truax reliable change from ``before`` to ``after``.

    :param sd: standard deviation of the reference (pre-treatment, clinical) population.
    :param reliability: reliability coefficient of the score, 0 ≤ r < 1.
    :param direction: which way is better.
    :returns: a :class:`ReliableChange`.
    :raises ValueError: for a value that is not a finite number, sd ≤ 0, a reliability outside
        [0, 1), or an unknown direction.
    """
    x1, x2 = _number("before", before), _number("after", after)
    sd_f = _positive("sd", sd)
    r = _number("reliability", reliability)
    if not 0 <= r < 1:
        raise InterpretationError(
            f"reliability must be at least 0 and below 1 (got {reliability!r})"
        )
    score_direction = _direction(direction)
    se = sd_f * math.sqrt(1.0 - r)
    s_diff = math.sqrt(2.0) * se
    difference = exact_fraction(x2) - exact_fraction(x1)
    [difference_f] = _finite("reliable change", difference)
    rci, threshold = _finite("reliable change", difference_f / s_diff, Z_CRITICAL * s_diff)
    reliable = difference**2 > _Z_SQUARED * 2 * exact_fraction(sd_f) ** 2 * (1 - exact_fraction(r))
    outcome: Outcome = "unchanged"
    if reliable:
        rose = difference > 0
        outcome = "improved" if rose == (score_direction == "higher-is-better") else "deteriorated"
    return ReliableChange(
        before=x1,
        after=x2,
        difference=difference_f,
        sd=sd_f,
        reliability=r,
        score_direction=score_direction,
        se=se,
        s_diff=s_diff,
        rci=rci,
        threshold=threshold,
        reliable=reliable,
        direction=outcome,
    )


def _toward_function(direction: Direction) -> int:
    """+1 when a higher score is more functional, −1 when it is less."""
    return 1 if direction == "higher-is-better" else -1


def _cutoffs_exact(
    m1: Fraction, s1: Fraction, m0: Fraction, s0: Fraction, direction: Direction
) -> tuple[Fraction, Fraction, Fraction]:
    a = m1 + _toward_function(direction) * 2 * s1
    b = m0 - _toward_function(direction) * 2 * s0
    c = (s0 * m1 + s1 * m0) / (s0 + s1)
    return a, b, c


def clinical_cutoffs(
    *,
    clinical_mean: float,
    clinical_sd: float,
    functional_mean: float,
    functional_sd: float,
    direction: Direction = "higher-is-better",
) -> ClinicalCutoffs:
    """Jacobson & Truax cut-offs a, b and c.

    :returns: a :class:`ClinicalCutoffs`.
    :raises ValueError: for a value that is not a finite number, an SD ≤ 0, an unknown direction,
        or means in the wrong order for the direction (the clinical mean must be the worse one).
    """
    m1 = _number("clinical_mean", clinical_mean)
    s1 = _positive("clinical_sd", clinical_sd)
    m0 = _number("functional_mean", functional_mean)
    s0 = _positive("functional_sd", functional_sd)
    score_direction = _direction(direction)
    worse = m1 < m0 if score_direction == "higher-is-better" else m1 > m0
    if not worse:
        relation = "below" if score_direction == "higher-is-better" else "above"
        raise InterpretationError(
            f"for a {score_direction} score the clinical mean ({clinical_mean!r}) must lie "
            f"{relation} the functional mean ({functional_mean!r})"
        )
    a, b, c = _cutoffs_exact(
        exact_fraction(m1),
        exact_fraction(s1),
        exact_fraction(m0),
        exact_fraction(s0),
        score_direction,
    )
    a_f, b_f, c_f = _finite("clinical cut-off", a, b, c)
    return ClinicalCutoffs(
        a=a_f,
        b=b_f,
        c=c_f,
        direction=score_direction,
        clinical_mean=m1,
        clinical_sd=s1,
        functional_mean=m0,
        functional_sd=s0,
    )


def side_of(value: float, cutoff: Fraction, direction: Direction) -> Side:
    """Which side of ``cutoff`` ``value`` lies on (exactly on it is neither side)."""
    point = exact_fraction(value)
    if point == cutoff:
        return "on the cut-off"
    above = point > cutoff
    return "functional" if above == (direction == "higher-is-better") else "clinical"


def _pick(norms: list[Norm], what: str, score_id: str) -> Norm | None:
    """The norm of this kind, by the one rule (:func:`~alliancekit.model.choose_norm`); several
    without a default cannot be chosen between, which change must not guess at."""
    chosen = choose_norm(norms)
    if chosen is None and len(norms) > 1:
        names = ", ".join(n.id for n in norms)
        raise InterpretationError(
            f"score {score_id!r} has several {what} norms ({names}); name one with norm="
        )
    return chosen


def change(
    before_result: ScoreResult,
    after_result: ScoreResult,
    score: str = "total",
    norm: str | None = None,
    *,
    scale: Scale | None = None,
) -> Change:
    """Classify the change of ``score`` from ``before_result`` to ``after_result``.

    Uses the score's clinical norm (``clinical: true``, with mean, sd and reliability) for the
    reliable change index and cut-off ``a``, and its functional norm (``clinical: false``, with
    mean and sd), when there is one, for cut-off ``c``, which is then the one used.

    :param norm: id of the clinical norm; by default the score's only (or default) clinical norm.
    :param scale: the document that scored both results (default: the catalogue's).
    :returns: a :class:`Change`.
    :raises ValueError: when the results come from different documents, the score is unknown or
        has no value in either result, or the norms needed are missing or ambiguous.
    """
    scale = scale_of(before_result, scale)
    scale_of(after_result, scale)
    if score not in before_result.scores:
        raise InterpretationError(f"scale {scale.id!r} has no score {score!r}")
    values = []
    for label, result in (("before", before_result), ("after", after_result)):
        value = result.scores[score].value
        if value is None:
            raise InterpretationError(
                f"score {score!r} has no value {label}: {result.scores[score].reason}"
            )
        values.append(value)
    reading = reading_of(scale, score)
    clinical = _clinical_norm(reading.norms, score, norm)
    functional = _pick(
        [n for n in reading.norms if n.clinical is False and n.sd is not None], "functional", score
    )
    assert clinical.mean is not None and clinical.sd is not None
    assert clinical.reliability is not None
    direction = reading.direction
    rc = reliable_change(
        values[0], values[1], sd=clinical.sd, reliability=clinical.reliability, direction=direction
    )
    cutoffs = None
    m1, s1 = exact_fraction(clinical.mean), exact_fraction(clinical.sd)
    if functional is not None:
        assert functional.mean is not None and functional.sd is not None
        cutoffs = clinical_cutoffs(
            clinical_mean=clinical.mean,
            clinical_sd=clinical.sd,
            functional_mean=functional.mean,
            functional_sd=functional.sd,
            direction=direction,
        )
        cut = _cutoffs_exact(
            m1, s1, exact_fraction(functional.mean), exact_fraction(functional.sd), direction
        )[2]
    else:
        cut = m1 + _toward_function(direction) * 2 * s1  # cut-off a, as in _cutoffs_exact
    return Change(
        score=score,
        before=values[0],
        after=values[1],
        reliable_change=rc,
        cutoff=float(cut),
        cutoff_method="c" if functional is not None else "a",
        cutoffs=cutoffs,
        category=_category(rc, values[0], values[1], cut, direction),
        norm=clinical.id,
        functional_norm=functional.id if functional is not None else None,
        sources=tuple(n.source for n in (clinical, functional) if n is not None and n.source),
        warnings=before_result.warnings
        if scale.schema_version == 1
        else scale.score_warnings(score)
        + tuple(
            fact_warning(norm_subject(n.id, score), n.source)
            for n in (clinical, functional)
            if n is not None and n.status == "provisional"
        ),
    )


def _clinical_norm(norms: tuple[Norm, ...], score_id: str, norm_id: str | None) -> Norm:
    if norm_id is not None:
        chosen = next((n for n in norms if n.id == norm_id), None)
        if chosen is None:
            raise InterpretationError(f"score {score_id!r} has no norm {norm_id!r}")
        if chosen.clinical is not True:
            raise InterpretationError(f"norm {norm_id!r} is not marked clinical (clinical: true)")
    else:
        chosen = _pick([n for n in norms if n.clinical is True], "clinical", score_id)
        if chosen is None:
            raise InterpretationError(
                f"score {score_id!r} has no clinical norm (clinical: true) to measure change by"
            )
    if chosen.mean is None or chosen.sd is None or chosen.reliability is None:
        raise InterpretationError(
            f"norm {chosen.id!r} needs mean, sd and reliability for reliable change and cut-offs"
        )
    return chosen


def _category(
    rc: ReliableChange, before: float, after: float, cut: Fraction, direction: Direction
) -> Category:
    if side_of(before, cut, direction) != "clinical":
        return "not-applicable"
    if rc.direction == "improved":
        return "recovered" if side_of(after, cut, direction) == "functional" else "improved"
    return rc.direction
