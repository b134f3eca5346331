"""Provenance of the facts a score or a reading rests on: each fact's source and status, and the
one wording of a warning about a provisional fact.

A *fact* is a part of a scale document that decides a number or how it is read: a response set
(its range and anchors), the reverse keys, the members of a score, a missing-data rule, a
transform, a band (and so its cut-offs), a norm, an alert rule, and the population the scale is
for. In a meta-schema v2 document every fact states its ``status``: ``verified`` when a primary or
peer-reviewed source states it, ``provisional`` otherwise. A v1 document states one status for the
whole document, so its facts carry ``status=None``.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = [
    "Fact",
    "FactKind",
    "FactStatus",
    "alert_subject",
    "band_subject",
    "brief_source",
    "fact_warning",
    "interval",
    "norm_subject",
]

FactStatus = Literal["verified", "provisional"]
FactKind = Literal[
    "population",
    "response-set",
    "keying",
    "membership",
    "missing",
    "transform",
    "band",
    "norm",
    "alert",
]

#: A source names itself in this many characters at most in a warning.
BRIEF_CHARS = 80


@attrs.frozen(kw_only=True)
class Fact:
    """One fact of a scale document, with where it is and what vouches for it.

    :ivar kind: what sort of fact it is (``band``, ``norm``, ``response-set`` …).
    :ivar subject: what it says, for a person (``band [0, 36) of 'total' (cut-off 36)``).
    :ivar path: its JSON path in the document (``$.interpretation.total.bands[0]``).
    :ivar status: ``verified`` or ``provisional``; ``None`` in a v1 document, which states one
        status for the whole document (:attr:`Verification.status`).
    :ivar source: the source that states it; ``None`` when the document names none.
    :ivar scores: the ids of the scores whose *value* rests on it (scoring facts; empty for facts
        that are only read, such as bands, norms and alert rules).
    """

    kind: FactKind
    subject: str
    path: str
    status: FactStatus | None
    source: str | None
    scores: tuple[str, ...] = ()

    @property
    def provisional(self) -> bool:
        """Whether the document states this fact as provisional (never for a v1 document)."""
        return self.status == "provisional"

    def warning(self) -> str:
        """The warning a result or reading that used this fact carries (:func:`fact_warning`)."""
        return fact_warning(self.subject, self.source)


def brief_source(source: str | None) -> str:
    """A source's short name: the text before its first ``": "`` (the convention of the built-in
    documents: ``"OpenFIT KA-01028, vendor: https://…"``), cut to :data:`BRIEF_CHARS`.
    ``no source`` when there is none."""
    if source is None or not source.strip():
        return "no source"
    head = source.split(": ", 1)[0].strip()
    if len(head) > BRIEF_CHARS:
        head = head[: BRIEF_CHARS - 1].rstrip() + "…"
    return head


def fact_warning(subject: str, source: str | None) -> str:
    """``provisional: <subject> (<brief source>)`` — the one wording of a warning about a
    provisional fact, e.g. ``provisional: band [0, 36) of 'total' (cut-off 36) (OpenFIT
    KA-01028, vendor)``."""
    return f"provisional: {subject} ({brief_source(source)})"


def interval(lower: float, upper: float, maximum: float) -> str:
    """A band as a person reads it: ``[0, 36)``, or ``[36, 40]`` for the band closed at the
    score's maximum."""
    closing = "]" if upper == maximum else ")"
    return f"[{lower:g}, {upper:g}{closing}"


def band_subject(
    lower: float,
    upper: float,
    score_id: str,
    score_range: tuple[float, float],
    norm_id: str | None = None,
) -> str:
    """How a band is named in ``show`` and in warnings: ``band [0, 36) of 'total' (cut-off
    36)``; a norm's band adds ``, norm 'adult'``. The cut-offs are the band's edges inside the
    score's range, and the bracket shows on which side of each the boundary value falls."""
    low, high = score_range
    where = f"of {score_id!r}" + (f", norm {norm_id!r}" if norm_id is not None else "")
    cuts = [f"{edge:g}" for edge in (lower, upper) if low < edge < high]
    cut = f" (cut-off{'s' if len(cuts) > 1 else ''} {' and '.join(cuts)})" if cuts else ""
    return f"band {interval(lower, upper, high)} {where}{cut}"


def norm_subject(norm_id: str, score_id: str) -> str:
    """``norm 'adult' of 'total'``."""
    return f"norm {norm_id!r} of {score_id!r}"


def alert_subject(
    kind: str, score_id: str, min_drop: float | None = None, norm_id: str | None = None
) -> str:
    """``alert rule 'drop' of 'total' (1 point or more)`` and the like."""
    detail = ""
    if min_drop is not None:
        detail = f" ({min_drop:g} point{'' if min_drop == 1 else 's'} or more)"
    elif norm_id is not None:
        detail = f" (norm {norm_id!r})"
    return f"alert rule {kind!r} of {score_id!r}{detail}"
