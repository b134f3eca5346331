"""Reading one result: the band a score falls in (with its flag and source) and, against a norm
population, z, T, percentile and the standard error of measurement.

Bands are half-open ``[lower, upper)`` in raw score units whatever the score's direction; the band
whose ``upper`` is the score's maximum also contains the maximum. z, T and the percentile keep the
raw orientation (they are never flipped for a higher-is-worse score): read them with
:attr:`Interpretation.direction`.

A result is read against the very document that scored it: :func:`scale_of` refuses a scale whose
sha256 differs from the one the result records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from alliancekit.document import Scale
from alliancekit.errors import InterpretationError
from alliancekit.model import (
    Band,
    Direction,
    Flag,
    Norm,
    ScoreInterpretation,
    band_subject,
    fact_warning,
    norm_subject,
)
from alliancekit.plugins import get_scale
from alliancekit.scoring import ScoreResult

__all__ = [
    "Interpretation",
    "band_for",
    "interpret",
    "normal_percentile",
    "reading_of",
    "reading_warnings",
    "scale_of",
]

_NO_READING = ScoreInterpretation()


@attrs.frozen(kw_only=True)
class Interpretation:
    """How to read one score of one result.

    :ivar score: the score id.
    :ivar value: the score, or ``None`` when its missing-data rule failed (see ``reason``).
    :ivar range: the score's (lowest, highest) possible value.
    :ivar direction: ``higher-is-better`` or ``higher-is-worse``.
    :ivar band: the label of the band the value falls in; ``None`` without a value or bands.
    :ivar flag: ``none`` | ``watch`` | ``alert`` (``none`` when there is no band).
    :ivar source: the citation of the band; ``None`` when there is no band.
    :ivar norm: id of the norm population used (its bands take precedence over the score's).
    :ivar population: who that norm describes.
    :ivar norm_source: the citation of that norm.
    :ivar z: (value − mean) / sd of the norm, raw orientation; ``None`` without a value or
        norm statistics.
    :ivar t: 50 + 10·z.
    :ivar percentile: 100·Φ(z), the percentage of the norm population scoring at or below value.
    :ivar sem: standard error of measurement, sd·√(1 − reliability), when both are known.
    :ivar reason: why ``value`` is ``None``.
    :ivar note: the scale document's note on this score.
    :ivar warnings: one line per provisional fact this reading used: those the score's value
        rests on, then the norm and the band it was read against (``provisional: band [0, 36)
        of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)``). For a v1 document, the result's
        warnings.
    """

    score: str
    value: float | None
    range: tuple[float, float]
    direction: Direction = "higher-is-better"
    band: str | None = None
    flag: Flag = "none"
    source: str | None = None
    norm: str | None = None
    population: str | None = None
    norm_source: str | None = None
    z: float | None = None
    t: float | None = None
    percentile: float | None = None
    sem: float | None = None
    reason: str | None = None
    note: str | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this interpretation."""
        data = attrs.asdict(self)
        data["range"] = list(self.range)
        data["warnings"] = list(self.warnings)
        return data


def scale_of(result: ScoreResult, scale: Scale | None = None) -> Scale:
    """The scale document that scored ``result``.

    Without ``scale`` the catalogue's scale of that id is used. Either way its sha256 must equal
    the one the result records, so that a result stored under an older version of a document is
    never read against the bands and norms of a newer one: pass that older document as ``scale``.

    :raises UnknownScaleError: when ``scale`` is not given and the catalogue has no such id.
    :raises ValueError: when the scale is a different document from the one that scored the result.
    """
    if scale is None:
        scale = get_scale(result.scale_id)
        hint = "; pass scale= the document it was scored with"
    else:
        hint = ""
    if scale.id != result.scale_id or scale.sha256 != result.scale_sha256:
        raise InterpretationError(
            f"the result was scored with {result.scale_id!r} version {result.scale_version} "
            f"(sha256 {result.scale_sha256[:12]}…), not with {scale.id!r} version "
            f"{scale.version} (sha256 {scale.sha256[:12]}…){hint}"
        )
    return scale


def reading_of(scale: Scale, score_id: str) -> ScoreInterpretation:
    """What ``scale`` says about reading ``score_id`` (an empty reading when it says nothing)."""
    return scale.interpretation.get(score_id, _NO_READING)


def band_for(value: float, bands: Sequence[Band], maximum: float) -> Band | None:
    """The band ``value`` falls in: ``lower <= value < upper``, or ``value == upper == maximum``
    for the top band; ``None`` when no band holds it."""
    for band in bands:
        if band.lower <= value < band.upper or value == band.upper == maximum:
            return band
    return None


def reading_warnings(
    score_id: str, score_range: tuple[float, float], norm: Norm | None, band: Band | None
) -> tuple[str, ...]:
    """The warnings about a provisional norm and band a reading of ``score_id`` used (``band``
    is one of ``norm``'s bands when the norm has any)."""
    warnings = []
    if norm is not None and norm.status == "provisional":
        warnings.append(fact_warning(norm_subject(norm.id, score_id), norm.source))
    if band is not None and band.status == "provisional":
        of_norm = norm.id if norm is not None and norm.bands else None
        subject = band_subject(band.lower, band.upper, score_id, score_range, of_norm)
        warnings.append(fact_warning(subject, band.source))
    return tuple(warnings)


def normal_percentile(z: float) -> float:
    """100·Φ(z): the standard normal distribution function as a percentage."""
    return 50.0 * (1.0 + math.erf(z / math.sqrt(2.0)))


def as_result(value: object) -> ScoreResult:
    """A :class:`~alliancekit.ScoreResult`, or a stored record's result (``to_result()``).

    :raises InterpretationError: for anything else (``None``, a dict of scores, …).
    """
    if isinstance(value, ScoreResult):
        return value
    to_result = getattr(value, "to_result", None)
    if callable(to_result):
        converted = to_result()
        if isinstance(converted, ScoreResult):
            return converted
    raise InterpretationError(
        f"interpret takes a ScoreResult (from Scale.score) or a stored record, "
        f"not a {type(value).__name__}"
    )


def interpret(
    result: ScoreResult, norm: str | None = None, *, scale: Scale | None = None
) -> dict[str, Interpretation]:
    """Read every score of a result.

    :param norm: id of the norm population to read against; by default each score's default
        norm, or its only norm. A score without a norm of that id is read against its own bands.
    :param scale: the document that scored the result (default: the catalogue's, see
        :func:`scale_of`).
    :returns: score id -> :class:`Interpretation`, in the scale's score order.
    :raises ValueError: (:class:`~alliancekit.InterpretationError`) when ``result`` is not a
        result (or a stored record), ``norm`` names no norm of any score of the scale, or the
        scale is not the document that scored the result.
    :raises UnknownScaleError: when the result's scale is not in the catalogue and no ``scale``
        is given.
    """
    result = as_result(result)
    scale = scale_of(result, scale)
    if norm is not None and not any(
        n.id == norm for reading in scale.interpretation.values() for n in reading.norms
    ):
        known = sorted({n.id for r in scale.interpretation.values() for n in r.norms})
        raise InterpretationError(
            f"scale {scale.id!r} has no norm {norm!r} "
            f"(known: {', '.join(known) if known else 'none'})"
        )
    return {score_id: _interpret_score(scale, result, score_id, norm) for score_id in result.scores}


def _interpret_score(
    scale: Scale, result: ScoreResult, score_id: str, norm_id: str | None
) -> Interpretation:
    score = result.scores[score_id]
    reading = reading_of(scale, score_id)
    norm = reading.norm(norm_id)
    fields: dict[str, Any] = {
        "score": score_id,
        "value": score.value,
        "range": score.range,
        "direction": reading.direction,
        "reason": score.reason,
        "note": reading.note,
        "warnings": result.warnings
        if scale.schema_version == 1
        else scale.score_warnings(score_id),
    }
    if norm is not None:
        fields.update(norm=norm.id, population=norm.population, norm_source=norm.source)
        if norm.sd is not None and norm.reliability is not None:
            fields["sem"] = norm.sd * math.sqrt(1.0 - norm.reliability)
    if score.value is None:
        fields["warnings"] += reading_warnings(score_id, score.range, norm, None)
        return Interpretation(**fields)
    band = band_for(score.value, reading.bands_for(norm), score.range[1])
    if band is not None:
        fields.update(band=band.label, flag=band.flag, source=band.source)
    fields["warnings"] += reading_warnings(score_id, score.range, norm, band)
    if norm is not None and norm.mean is not None and norm.sd is not None:
        z = (score.value - norm.mean) / norm.sd
        fields.update(z=z, t=50.0 + 10.0 * z, percentile=normal_percentile(z))
    return Interpretation(**fields)
