"""One respondent's results on one scale, in session order: baseline, trend, changes and alerts.

Alert rules are data: each score's ``interpretation.alerts`` in the scale document says which
alerts to raise (``below-cutoff``, ``drop`` with its ``min_drop``, ``reliable-deterioration`` with
the norm whose sd and reliability define it), with the source of each rule.

A session whose score has no value is skipped: it raises no alert and is never the "previous"
session of another. "Previous" is the latest earlier session with a value; the baseline of a
score is its first session with a value. ``reliable-deterioration`` compares a session with both
the previous session (a sudden rupture) and the baseline (a sustained decline) and raises one
alert naming each comparison that is reliably worse.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from fractions import Fraction
from typing import Literal

import attrs

from alliancekit.document import Scale
from alliancekit.errors import InterpretationError
from alliancekit.interpretation._change import ReliableChange, reliable_change
from alliancekit.interpretation._readings import (
    band_for,
    reading_of,
    reading_warnings,
    scale_of,
)
from alliancekit.model import AlertRule, Direction, alert_subject, fact_warning
from alliancekit.scoring import ScoreResult, exact_fraction

__all__ = ["Alert", "AlertKind", "Series", "SessionChange"]

AlertKind = Literal["below-cutoff", "drop", "reliable-deterioration"]


@attrs.frozen(kw_only=True)
class Alert:
    """An alert raised by one session.

    :ivar index: position of the session in the series, counting from 0 (0 = baseline), as
        Python indexes ``Series.results``; :attr:`session` counts from 1, as people do.
    :ivar kind: ``below-cutoff``, ``drop`` or ``reliable-deterioration``.
    :ivar score: the score id.
    :ivar value: the score at that session.
    :ivar message: a sentence for a clinician.
    :ivar source: the citation of the rule that raised it.
    :ivar compared_with: positions of the sessions the value was compared with (empty for
        ``below-cutoff``).
    :ivar warnings: one line per provisional fact that raised it: the rule, and the band
        (``below-cutoff``) or norm (``reliable-deterioration``) it read. Empty when every such
        fact is verified, and for a v1 document.
    """

    index: int
    kind: AlertKind
    score: str
    value: float
    message: str
    source: str | None
    compared_with: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def provisional(self) -> bool:
        """Whether a fact that raised this alert is provisional (see :attr:`warnings`)."""
        return bool(self.warnings)

    @property
    def session(self) -> int:
        """The session's number counting from 1 (the baseline is session 1): ``index + 1``."""
        return self.index + 1


@attrs.frozen(kw_only=True)
class SessionChange:
    """A session's score and how it moved.

    :ivar index: position of the session in the series.
    :ivar value: the score, or ``None`` when it has no value.
    :ivar previous_index: the latest earlier session with a value (``None`` if none).
    :ivar baseline_index: the first session with a value (``None`` if none).
    :ivar since_previous: value − previous value, raw points.
    :ivar since_baseline: value − baseline value, raw points.
    :ivar reliable_since_previous: the reliable change from the previous session, when a norm
        with sd and reliability is chosen.
    :ivar reliable_since_baseline: the same from the baseline.
    """

    index: int
    value: float | None
    previous_index: int | None = None
    baseline_index: int | None = None
    since_previous: float | None = None
    since_baseline: float | None = None
    reliable_since_previous: ReliableChange | None = None
    reliable_since_baseline: ReliableChange | None = None

    @property
    def session(self) -> int:
        """The session's number counting from 1: ``index + 1``."""
        return self.index + 1


def _in_order(values: Iterable[object]) -> tuple[ScoreResult, ...]:
    """The results of a series; stored records (anything with ``occasion`` and ``to_result()``)
    become their results once their occasions are checked to increase strictly."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InterpretationError(
            f"a series takes an iterable of results (got {type(values).__name__})"
        )
    results = []
    last: int | None = None
    respondent: object = None
    for position, value in enumerate(values):
        occasion = getattr(value, "occasion", None)
        if not isinstance(value, ScoreResult) and isinstance(occasion, int):
            key = getattr(value, "respondent_key", None)
            if respondent is not None and key != respondent:
                raise InterpretationError(
                    f"stored record {position + 1} is of another respondent than the first; a "
                    "series is one respondent's records"
                )
            respondent = key
            if last is not None and occasion <= last:
                problem = "repeats occasion" if occasion == last else "is out of occasion order:"
                raise InterpretationError(
                    f"stored record {position + 1} {problem} {occasion} after occasion {last}; "
                    "a series takes one record per occasion in occasion order (as "
                    "Store.history() returns them without include_superseded)"
                )
            last = occasion
            value = value.to_result()  # type: ignore[attr-defined]
        if not isinstance(value, ScoreResult):
            raise InterpretationError(
                f"result {position + 1} of the series is a {type(value).__name__}, "
                "not a ScoreResult"
            )
        results.append(value)
    return tuple(results)


def _rule_warnings(rule: AlertRule, score: str) -> tuple[str, ...]:
    if rule.status != "provisional":
        return ()
    subject = alert_subject(rule.kind, score, rule.min_drop, rule.norm)
    return (fact_warning(subject, rule.source),)


def _fmt(number: float) -> str:
    return f"{number:g}"


def _points(number: float) -> str:
    return f"{number:g} point" + ("" if number == 1 else "s")


class Series:
    """One respondent's results on one scale, in session order.

    :param results: the results, first session first: :class:`~alliancekit.ScoreResult`
        objects, or stored records (``Store.history()``), which must be one respondent's, in
        occasion order with each occasion once (a repeated occasion, e.g. from
        ``include_superseded=True``, or records out of order are refused rather than read as
        sessions in the wrong order).
    :param scale: the document that scored them (default: the catalogue's; see
        :func:`~alliancekit.interpretation.scale_of`).
    :raises ValueError: (:class:`~alliancekit.InterpretationError`) when there are no results,
        one is not a result, stored records are out of occasion order or repeat an occasion, or
        they come from different scales or different versions of a scale document.
    """

    def __init__(self, results: Iterable[ScoreResult], *, scale: Scale | None = None) -> None:
        self.results: tuple[ScoreResult, ...] = _in_order(results)
        if not self.results:
            raise InterpretationError("a series needs at least one result")
        first = self.results[0]
        for position, result in enumerate(self.results):
            if (result.scale_id, result.scale_sha256) != (first.scale_id, first.scale_sha256):
                raise InterpretationError(
                    f"a series holds results of one scale document: result {position} was scored "
                    f"with {result.scale_id!r} {result.scale_version} (sha256 "
                    f"{result.scale_sha256[:12]}…), result 0 with {first.scale_id!r} "
                    f"{first.scale_version} (sha256 {first.scale_sha256[:12]}…)"
                )
        self.scale: Scale = scale_of(first, scale)

    def __len__(self) -> int:
        return len(self.results)

    @property
    def baseline(self) -> ScoreResult:
        """The first result of the series."""
        return self.results[0]

    def values(self, score: str = "total") -> list[float | None]:
        """The value of ``score`` at each session (``None`` where it has none).

        :raises ValueError: when the scale has no such score.
        """
        if score not in self.baseline.scores:
            known = ", ".join(self.baseline.scores)
            raise InterpretationError(
                f"scale {self.scale.id!r} has no score {score!r} (known: {known})"
            )
        return [result.scores[score].value for result in self.results]

    def trend(self, score: str = "total") -> float | None:
        """The least-squares slope of ``score`` per session (sessions with no value skipped).

        :returns: points per session, or ``None`` with fewer than two values.
        :raises ValueError: when the scale has no such score.
        """
        points = [(x, exact_fraction(v)) for x, v in enumerate(self.values(score)) if v is not None]
        if len(points) < 2:
            return None
        mean_x = Fraction(sum(x for x, _ in points), len(points))
        mean_y = sum((y for _, y in points), Fraction(0)) / len(points)
        covariance = sum((x - mean_x) * (y - mean_y) for x, y in points)
        variance = sum((x - mean_x) ** 2 for x, _ in points)
        return float(covariance / variance)

    def changes(self, score: str = "total", norm: str | None = None) -> list[SessionChange]:
        """Every session's score with its change since the previous session and the baseline.

        :param norm: id of the norm whose sd and reliability give the reliable change; by default
            the score's default (or only) norm. Without sd and reliability there is none.
        :returns: one :class:`SessionChange` per session.
        :raises ValueError: when the scale has no such score or ``norm`` names no norm of it.
        """
        values = self.values(score)
        reading = reading_of(self.scale, score)
        chosen = reading.norm(norm)
        if norm is not None and chosen is None:
            raise InterpretationError(f"score {score!r} has no norm {norm!r}")
        statistics = None
        if chosen is not None and chosen.sd is not None and chosen.reliability is not None:
            statistics = (chosen.sd, chosen.reliability)
        changes = []
        previous: int | None = None
        baseline: int | None = None
        for index, value in enumerate(values):
            if value is None:
                changes.append(SessionChange(index=index, value=None))
                continue
            fields: dict[str, object] = {"index": index, "value": value}
            for name, other in (("previous", previous), ("baseline", baseline)):
                if other is None:
                    continue
                before = values[other]
                assert before is not None
                fields[f"{name}_index"] = other
                fields[f"since_{name}"] = float(exact_fraction(value) - exact_fraction(before))
                if statistics is not None:
                    fields[f"reliable_since_{name}"] = reliable_change(
                        before,
                        value,
                        sd=statistics[0],
                        reliability=statistics[1],
                        direction=reading.direction,
                    )
            changes.append(SessionChange(**fields))  # type: ignore[arg-type]
            previous = index
            baseline = index if baseline is None else baseline
        return changes

    def alerts(self) -> list[Alert]:
        """Every alert the scale document's rules raise over the series.

        :returns: alerts in session order; within a session, in the order of the scale's scores
            and of each score's rules.
        """
        found: list[tuple[int, int, Alert]] = []
        order = 0
        for definition in self.scale.scores:
            reading = reading_of(self.scale, definition.id)
            for rule in reading.alerts:
                for alert in self._apply(rule, definition.id, reading.direction):
                    found.append((alert.index, order, alert))
                order += 1
        return [alert for _, _, alert in sorted(found, key=lambda entry: entry[:2])]

    def _apply(self, rule: AlertRule, score: str, direction: Direction) -> list[Alert]:
        name = self.scale.score_definition(score).title or score
        present = [(i, v) for i, v in enumerate(self.values(score)) if v is not None]
        if rule.kind == "below-cutoff":
            return self._below_cutoff(rule, score, name, present)
        if rule.kind == "drop":
            return self._drop(rule, score, name, direction, present)
        return self._reliable_deterioration(rule, score, name, direction, present)

    def _drop(
        self,
        rule: AlertRule,
        score: str,
        name: str,
        direction: Direction,
        present: list[tuple[int, float]],
    ) -> list[Alert]:
        assert rule.min_drop is not None  # required by the meta-schema
        better_up = direction == "higher-is-better"
        verb = "fell" if better_up else "rose"
        alerts = []
        for (previous, before), (index, value) in itertools.pairwise(present):
            worsening = (exact_fraction(before) - exact_fraction(value)) * (1 if better_up else -1)
            if worsening >= exact_fraction(rule.min_drop):
                alerts.append(
                    Alert(
                        index=index,
                        kind="drop",
                        score=score,
                        value=value,
                        message=f"{name} {verb} {_points(float(worsening))} since the "
                        f"previous session ({_fmt(before)} to {_fmt(value)}); the rule alerts "
                        f"on a worsening of {_points(rule.min_drop)} or more",
                        source=rule.source,
                        compared_with=(previous,),
                        warnings=_rule_warnings(rule, score),
                    )
                )
        return alerts

    def _below_cutoff(
        self, rule: AlertRule, score: str, name: str, present: list[tuple[int, float]]
    ) -> list[Alert]:
        reading = reading_of(self.scale, score)
        # Without a norm of its own the rule reads the bands interpret() reads by default, so
        # the FLAG a clinician sees and the alert never disagree.
        norm = reading.norm(rule.norm)
        bands = reading.bands_for(norm)
        score_range = self.scale.score_definition(score).range
        maximum = score_range[1]
        alerts = []
        for index, value in present:
            band = band_for(value, bands, maximum)
            if band is not None and band.flag == "alert":
                alerts.append(
                    Alert(
                        index=index,
                        kind="below-cutoff",
                        score=score,
                        value=value,
                        message=f"{name} {_fmt(value)} is in the band "
                        f"[{_fmt(band.lower)}, {_fmt(band.upper)}): {band.label}",
                        source=rule.source,
                        warnings=_rule_warnings(rule, score)
                        + reading_warnings(
                            score, score_range, norm if norm and norm.bands else None, band
                        ),
                    )
                )
        return alerts

    def _reliable_deterioration(
        self,
        rule: AlertRule,
        score: str,
        name: str,
        direction: Direction,
        present: list[tuple[int, float]],
    ) -> list[Alert]:
        norm = reading_of(self.scale, score).norm(rule.norm)
        # The loader guarantees the rule's norm exists and has sd and reliability.
        assert norm is not None and norm.sd is not None and norm.reliability is not None
        alerts = []
        for position in range(1, len(present)):
            index, value = present[position]
            comparisons = [("the previous session", present[position - 1])]
            if position > 1:
                comparisons.append(("the baseline", present[0]))
            worse: list[tuple[str, int, ReliableChange]] = []
            for what, (other, before) in comparisons:
                rc = reliable_change(
                    before, value, sd=norm.sd, reliability=norm.reliability, direction=direction
                )
                if rc.direction == "deteriorated":
                    worse.append((what, other, rc))
            if not worse:
                continue
            details = "; ".join(
                f"than {what} ({_fmt(rc.before)}; change {_fmt(rc.difference)}, RCI {rc.rci:.2f})"
                for what, _, rc in worse
            )
            threshold = worse[0][2].threshold
            alerts.append(
                Alert(
                    index=index,
                    kind="reliable-deterioration",
                    score=score,
                    value=value,
                    message=f"{name} {_fmt(value)} is reliably worse {details}; reliable change "
                    f"needs {threshold:.2f} points (norm {norm.id!r})",
                    source=rule.source,
                    compared_with=tuple(other for _, other, _ in worse),
                    warnings=_rule_warnings(rule, score)
                    + reading_warnings(score, self.scale.score_definition(score).range, norm, None),
                )
            )
        return alerts
