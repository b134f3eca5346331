"""The loader's checks of a document's ``interpretation`` section: bands tile the score's derived
range, norms are usable, alert rules resolve. Part of the second pass (see ``_semantics``)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence, Set
from typing import Any

from alliancekit.document._issues import IssueCollector
from alliancekit.model import AlertRule, Band, Norm, ScoreDefinition, ScoreInterpretation

__all__ = ["interpretation"]


def _bands(
    raw: Sequence[Mapping[str, Any]],
    score: ScoreDefinition,
    where: tuple[object, ...],
    issues: IssueCollector,
) -> tuple[Band, ...]:
    bands = tuple(Band(**b) for b in raw)
    low, high = score.range
    order = sorted(range(len(bands)), key=lambda i: (bands[i].lower, bands[i].upper))
    for i in order:
        if bands[i].lower >= bands[i].upper:
            issues.add(where + (i,), "empty-band", "a band needs lower < upper")
    first, last = bands[order[0]], bands[order[-1]]
    if first.lower != low or last.upper != high:
        issues.add(
            where,
            "bands-do-not-cover-range",
            f"bands span [{first.lower}, {last.upper}] but the score's range is [{low}, {high}]",
        )
    for a, b in itertools.pairwise(order):
        if bands[b].lower < bands[a].upper:
            issues.add(
                where + (b,),
                "overlapping-bands",
                f"[{bands[b].lower}, {bands[b].upper}) overlaps "
                f"[{bands[a].lower}, {bands[a].upper})",
            )
        elif bands[b].lower > bands[a].upper:
            issues.add(
                where + (b,),
                "gap-between-bands",
                f"nothing covers [{bands[a].upper}, {bands[b].lower})",
            )
    return bands


def interpretation(
    raw: Mapping[str, Any],
    scores: Mapping[str, ScoreDefinition],
    issues: IssueCollector,
    broken: Set[str] = frozenset(),
) -> dict[str, ScoreInterpretation]:
    """Check the ``interpretation`` section and build its model, score id by score id.

    :param scores: the document's scores, already checked, with their derived ranges.
    :param broken: ids of scores that are defined but broken (already reported): their
        readings are not checked, and not reported as readings of no score.
    :returns: score id -> :class:`ScoreInterpretation`; problems go to ``issues``.
    """
    result = {}
    for score_id, spec in raw.items():
        where: tuple[object, ...] = ("interpretation", score_id)
        score = scores.get(score_id)
        if score is None and score_id in broken:
            continue
        if score is None:
            issues.add(where, "unknown-score", f"no score {score_id!r}")
            continue
        bands = _bands(spec["bands"], score, where + ("bands",), issues) if "bands" in spec else ()
        norms = _norms(spec.get("norms", []), score, where + ("norms",), issues)
        reading = ScoreInterpretation(
            direction=spec.get("direction", "higher-is-better"),
            bands=bands,
            norms=norms,
            alerts=tuple(AlertRule(**a) for a in spec.get("alerts", [])),
            note=spec.get("note"),
        )
        for index, alert in enumerate(reading.alerts):
            _check_alert(alert, reading, (*where, "alerts", index), issues)
        result[score_id] = reading
    return result


def _norms(
    raw: Sequence[Mapping[str, Any]],
    score: ScoreDefinition,
    where: tuple[object, ...],
    issues: IssueCollector,
) -> tuple[Norm, ...]:
    norms = []
    seen: set[str] = set()
    for index, spec in enumerate(raw):
        at = where + (index,)
        if spec["id"] in seen:
            issues.add(at + ("id",), "duplicate-norm-id", f"norm id {spec['id']!r} repeats")
        seen.add(spec["id"])
        bands = _bands(spec["bands"], score, at + ("bands",), issues) if "bands" in spec else ()
        mean = spec.get("mean")
        if mean is not None and not score.range[0] <= mean <= score.range[1]:
            issues.add(
                at + ("mean",),
                "norm-outside-range",
                f"mean {mean} lies outside the score's range {list(score.range)}",
            )
        norms.append(Norm(**{**spec, "bands": bands}))
    if sum(n.default for n in norms) > 1:
        issues.add(where, "multiple-default-norms", "at most one norm may be the default")
    return tuple(norms)


def _check_alert(
    alert: AlertRule,
    reading: ScoreInterpretation,
    at: tuple[object, ...],
    issues: IssueCollector,
) -> None:
    """An alert rule's norm exists and can serve it; a below-cutoff rule has a band flagged
    ``alert`` among the bands it reads (those ``interpret`` reads, when it names no norm)."""
    norm = reading.norm(alert.norm)
    if alert.norm and norm is None:
        issues.add((*at, "norm"), "unknown-norm", f"no norm {alert.norm!r}")
    lacks_statistics = norm is not None and (norm.sd is None or norm.reliability is None)
    if alert.kind == "reliable-deterioration" and lacks_statistics:
        issues.add(
            (*at, "norm"),
            "norm-lacks-reliability",
            "reliable change needs the norm's sd and reliability",
        )
    if alert.kind == "below-cutoff" and not any(b.flag == "alert" for b in reading.bands_for(norm)):
        issues.add(at, "no-alert-band", "below-cutoff needs a band flagged 'alert'")
