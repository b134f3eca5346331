"""A session-by-session chart of one score as a standalone SVG document (no plotting dependency).

What clinicians look at in measurement-feedback tools: the score per session on the scale's full
range, the flagged bands shaded, each cut-off as a dashed line, sessions with an alert marked, a
legend, and the source of the cut-offs. Every text that comes from a document or a caller is
escaped (and stripped of characters XML cannot hold).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from alliancekit.errors import InterpretationError
from alliancekit.interpretation._readings import reading_of
from alliancekit.interpretation._series import Series
from alliancekit.model import Band

__all__ = ["series_chart"]

WIDTH, HEIGHT = 780, 460
LEFT, RIGHT, TOP, BOTTOM = 78, WIDTH - 210, 64, HEIGHT - 86
LINE, ALERT, WATCH, GREY = "#1f5fa8", "#c0392b", "#b7791f", "#7f8c8d"
FILL = {"alert": "#fbe4e1", "watch": "#fdf2d6"}
MAX_SOURCE_CHARS = 120


def _clean(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold removed, then escaped."""
    kept = "".join(
        ch
        for ch in text
        if ch in "\t\n\r"
        or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    )
    return escape(kept, {'"': "&quot;"})


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ticks(low: float, high: float) -> list[float]:
    """About six round values between ``low`` and ``high``, always including both ends."""
    raw = (high - low) / 6
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [low]
    value = math.ceil(low / step) * step
    while value < high - 0.4 * step:
        if value > low + 0.4 * step:
            ticks.append(value)
        value += step
    return [*ticks, high]


def _cutoffs(bands: Sequence[Band], document_status: str) -> list[tuple[float, str, bool]]:
    """The boundaries between neighbouring bands of different flags, with the flag that matters
    and whether either band is provisional (a v1 band has its document's status)."""
    ordered = sorted(bands, key=lambda b: b.lower)
    lines = []
    for below, above in itertools.pairwise(ordered):
        if below.flag != above.flag:
            worst = "alert" if "alert" in (below.flag, above.flag) else "watch"
            provisional = "provisional" in (
                below.status or document_status,
                above.status or document_status,
            )
            lines.append((above.lower, worst, provisional))
    return lines


def _cutoff_label(value: float, provisional: bool) -> str:
    return f"cut-off {value:g}" + (" (provisional)" if provisional else "")


def series_chart(
    series: Series,
    score: str = "total",
    *,
    norm: str | None = None,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> str:
    """Draw ``score`` per session of ``series`` as an SVG document.

    :param norm: id of the norm whose bands (cut-offs) to draw; by default the score's default (or
        only) norm when it has bands, else the score's own bands.
    :param labels: one label per session for the x-axis (default 1, 2, 3, …).
    :param title: the chart title (default: the scale's abbreviation and the score's title).
    :returns: the SVG document as text.
    :raises ValueError: when the scale has no such score, ``norm`` names no norm of it, or
        ``labels`` does not have one label per session.
    """
    values = series.values(score)
    scale = series.scale
    definition = scale.score_definition(score)
    reading = reading_of(scale, score)
    chosen = reading.norm(norm)
    if norm is not None and chosen is None:
        raise InterpretationError(f"score {score!r} has no norm {norm!r}")
    bands = reading.bands_for(chosen)
    if labels is None:
        labels = [str(i + 1) for i in range(len(values))]
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} sessions")
    name = definition.title or score
    low, high = definition.range
    if high <= low:  # a plugin method may derive a one-point range; keep the axis drawable
        high = low + 1
    alerts: dict[int, list[str]] = {}
    for alert in series.alerts():
        if alert.score == score:
            alerts.setdefault(alert.index, []).append(f"{alert.kind}: {alert.message}")

    def y(value: float) -> float:
        return BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP)

    def x(index: int) -> float:
        if len(values) == 1:
            return (LEFT + RIGHT) / 2
        return LEFT + 24 + index * (RIGHT - LEFT - 48) / (len(values) - 1)

    heading = title or f"{scale.abbreviation or scale.title}: {name} by session"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="Helvetica, Arial, sans-serif">',
        f"<title>{_clean(heading)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="28" font-size="17" font-weight="bold">{_clean(heading)}</text>',
    ]
    subtitle = f"{scale.title} (document version {scale.version})"
    if chosen is not None:
        subtitle += f"; norm: {chosen.population}"
    out.append(
        f'<text x="{LEFT}" y="47" font-size="12" fill="#444">{_clean(_shorten(subtitle, 110))}'
        "</text>"
    )
    for band in bands:
        if band.flag in FILL:
            top, bottom = y(band.upper), y(band.lower)
            out.append(
                f'<rect x="{LEFT}" y="{top:.1f}" width="{RIGHT - LEFT}" '
                f'height="{bottom - top:.1f}" fill="{FILL[band.flag]}">'
                f"<title>{_clean(band.label)}</title></rect>"
            )
    out.extend(_axes(y, low, high, name, reading.direction))
    step = max(1, math.ceil(len(values) / 20))
    for index, label in enumerate(labels):
        if index % step == 0 or index == len(values) - 1:
            out.append(
                f'<text x="{x(index):.1f}" y="{BOTTOM + 18}" font-size="12" '
                f'text-anchor="middle">{_clean(_shorten(label, 12))}</text>'
            )
    cutoffs = _cutoffs(bands, scale.status)
    for value, flag, provisional in cutoffs:
        colour = ALERT if flag == "alert" else WATCH
        out.append(
            f'<line class="cutoff" x1="{LEFT}" x2="{RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="7 4"/>'
            f'<text x="{RIGHT - 4}" y="{y(value) - 5:.1f}" font-size="11" fill="{colour}" '
            f'text-anchor="end">{_cutoff_label(value, provisional)}</text>'
        )
    out.extend(_data(values, x, y, alerts))
    out.extend(_legend(name, cutoffs, bands, alerts, None in values))
    sources = sorted({b.source for b in bands if b.source})
    if sources:
        any_provisional = any(provisional for _, _, provisional in cutoffs)
        text = f"{'Provisional cut-off' if any_provisional else 'Cut-off'} source: " + "; ".join(
            sources
        )
        out.append(
            f'<text x="{LEFT}" y="{HEIGHT - 14}" font-size="10" fill="#555">'
            f"<title>{_clean(text)}</title>{_clean(_shorten(text, MAX_SOURCE_CHARS))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _axes(
    y: Callable[[float], float], low: float, high: float, name: str, direction: str
) -> list[str]:
    out = [
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}" stroke="#333"/>',
        f'<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="#333"/>',
    ]
    for tick in _ticks(low, high):
        at = y(tick)
        out.append(
            f'<line x1="{LEFT - 5}" x2="{RIGHT}" y1="{at:.1f}" y2="{at:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{LEFT - 9}" y="{at + 4:.1f}" font-size="12" text-anchor="end">'
            f"{tick:g}</text>"
        )
    middle = (TOP + BOTTOM) / 2
    reading = direction.replace("-", " ")
    out.append(
        f'<text x="22" y="{middle:.1f}" font-size="13" text-anchor="middle" '
        f'transform="rotate(-90 22 {middle:.1f})">'
        f"{_clean(_shorten(name, 30))} ({low:g}–{high:g}; {reading})</text>"
    )
    out.append(
        f'<text x="{(LEFT + RIGHT) / 2:.1f}" y="{BOTTOM + 42}" font-size="13" '
        'text-anchor="middle">Session</text>'
    )
    return out


def _data(
    values: Sequence[float | None],
    x: Callable[[int], float],
    y: Callable[[float], float],
    alerts: dict[int, list[str]],
) -> list[str]:
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    out = []
    for (i, a), (j, b) in itertools.pairwise(present):
        gap = ' stroke-dasharray="2 4"' if j > i + 1 else ""
        colour = GREY if gap else LINE
        out.append(
            f'<line x1="{x(i):.1f}" y1="{y(a):.1f}" x2="{x(j):.1f}" y2="{y(b):.1f}" '
            f'stroke="{colour}" stroke-width="2.5"{gap}/>'
        )
    for index, value in enumerate(values):
        if value is None:
            cx, cy = x(index), BOTTOM - 10.0
            out.append(
                f'<path class="no-score" d="M{cx - 5:.1f},{cy - 5:.1f} l10,10 m0,-10 l-10,10" '
                f'stroke="{GREY}" '
                'stroke-width="2"><title>no score (missing-data rule)</title></path>'
            )
            continue
        cx, cy = x(index), y(value)
        if index in alerts:
            out.append(
                f'<circle class="alert-marker" cx="{cx:.1f}" cy="{cy:.1f}" r="10" fill="none" '
                f'stroke="{ALERT}" stroke-width="2"/><circle class="point" cx="{cx:.1f}" '
                f'cy="{cy:.1f}" r="5.5" fill="{ALERT}">'
                f"<title>{_clean(' | '.join(alerts[index]))}</title></circle>"
            )
        else:
            out.append(
                f'<circle class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="white" '
                f'stroke="{LINE}" '
                'stroke-width="2"/>'
            )
        if len(values) <= 24:
            out.append(
                f'<text x="{cx:.1f}" y="{cy - 14:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#222" stroke="white" stroke-width="3" paint-order="stroke">{value:g}</text>'
            )
    return out


def _symbol(kind: str, colour: str, left: float, at: float) -> str:
    """One legend symbol, centred vertically on ``at``."""
    if kind == "line":
        return (
            f'<line x1="{left}" x2="{left + 24}" y1="{at}" y2="{at}" stroke="{colour}" '
            'stroke-width="2.5"/>'
        )
    if kind == "dashed":
        return (
            f'<line x1="{left}" x2="{left + 24}" y1="{at}" y2="{at}" stroke="{colour}" '
            'stroke-width="1.5" stroke-dasharray="7 4"/>'
        )
    if kind == "area":
        return (
            f'<rect x="{left}" y="{at - 6}" width="24" height="12" fill="{colour}" stroke="#bbb"/>'
        )
    if kind == "alert":
        return (
            f'<circle cx="{left + 12}" cy="{at}" r="10" fill="none" stroke="{colour}" '
            f'stroke-width="2"/><circle cx="{left + 12}" cy="{at}" r="5.5" fill="{colour}"/>'
        )
    return (
        f'<path d="M{left + 7},{at - 5} l10,10 m0,-10 l-10,10" stroke="{colour}" stroke-width="2"/>'
    )


def _legend(
    name: str,
    cutoffs: list[tuple[float, str, bool]],
    bands: Sequence[Band],
    alerts: dict[int, list[str]],
    missing: bool,
) -> list[str]:
    left, row = RIGHT + 22, TOP + 4
    out = [f'<text x="{left}" y="{row}" font-size="13" font-weight="bold">Legend</text>']
    entries = [("line", LINE, _shorten(name, 22))]
    for value, flag, provisional in cutoffs:
        colour = ALERT if flag == "alert" else WATCH
        entries.append(("dashed", colour, _cutoff_label(value, provisional)))
    for flag in ("alert", "watch"):
        if any(b.flag == flag for b in bands):
            entries.append(("area", FILL[flag], f"{flag} band"))
    if alerts:
        count = f"{len(alerts)} session{'s' if len(alerts) != 1 else ''}"
        entries.append(("alert", ALERT, f"alert ({count})"))
    if missing:
        entries.append(("cross", GREY, "no score"))
    for kind, colour, text in entries:
        row += 24
        out.append(_symbol(kind, colour, left, row))
        out.append(f'<text x="{left + 34}" y="{row + 4}" font-size="12">{_clean(text)}</text>')
    return out
