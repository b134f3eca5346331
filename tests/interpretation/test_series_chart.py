"""`series_chart`: a well-formed SVG with the scale range, cut-off lines, alert markers and a
legend, escaping every text that comes from a document or a caller."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from interpretation_builders import answers_for, band

import alliancekit as ak
from alliancekit.interpretation import _chart as chart
from alliancekit.interpretation._chart import series_chart

SVG = "{http://www.w3.org/2000/svg}"
SRS = ak.get_scale("srs")


def srs_chart(*totals: float | None, **kwargs) -> ET.Element:
    """The parsed chart of an SRS series with these totals."""
    series = ak.Series([SRS.score(answers_for(t)) for t in totals])
    return ET.fromstring(series_chart(series, **kwargs))


def texts(root: ET.Element) -> list[str]:
    """The text of every <text> element."""
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_y_axis_spans_the_score_range() -> None:
    """The y-axis is labelled with the score's full range, 0 and 40, and names the score."""
    labels = texts(srs_chart(38, 30))
    assert "0" in labels and "40" in labels
    assert any(label.startswith("Total (0–40; higher is better)") for label in labels)
    assert "Session" in labels


def test_cutoff_line_is_drawn_at_36() -> None:
    """One dashed cut-off line at 36: y = BOTTOM − 36/40·(BOTTOM − TOP), labelled provisional
    (both SRS bands are)."""
    root = srs_chart(38, 30)
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("class") == "cutoff"]
    assert len(dashed) == 1
    expected = chart.BOTTOM - 36 / 40 * (chart.BOTTOM - chart.TOP)
    assert float(dashed[0].get("y1", "nan")) == pytest.approx(expected, abs=0.05)
    assert "cut-off 36 (provisional)" in texts(root)


def test_alert_sessions_are_marked() -> None:
    """38, 30, 37, 37: session 2 (index 1) is below 36 and a drop: one alert marker (ring)."""
    root = srs_chart(38, 30, 37, 37)
    rings = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "alert-marker"]
    assert len(rings) == 1
    assert "alert (1 session)" in texts(root)


def test_every_value_is_plotted_and_missing_sessions_are_crossed() -> None:
    """Three values are plotted as points; the missing session is drawn as a cross."""
    root = srs_chart(38, None, 37, 36.5)
    points = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "point"]
    assert len(points) == 3
    crosses = [p for p in root.iter(f"{SVG}path") if p.get("class") == "no-score"]
    assert len(crosses) == 1
    assert "no score" in texts(root)  # in the legend


def test_legend_and_source_are_shown() -> None:
    """The legend names the score, the cut-off (provisional) and the alert band; the cut-off's
    source is cited and called provisional."""
    labels = texts(srs_chart(38, 37))
    assert {"Legend", "Total", "cut-off 36 (provisional)", "alert band"} <= set(labels)
    assert any(label.startswith("Provisional cut-off source: OpenFIT") for label in labels)


def test_text_from_documents_and_callers_is_escaped(make_scale, results) -> None:
    """Labels with markup and XML-illegal characters still give a well-formed SVG that shows
    them as text."""
    label = 'low <script>alert("x")</script> & co\x01'
    scale = make_scale({"bands": [band(0, 20, "alert", label), band(20, 40, "none")]})
    series = ak.Series(results(scale, 10, 30), scale=scale)
    svg = series_chart(series, labels=["<b>1</b>", "2 & 3"], title="A <title> & more")
    root = ET.fromstring(svg)
    assert "<script>" not in svg and "\x01" not in svg
    band_titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert 'low <script>alert("x")</script> & co' in band_titles
    assert {"<b>1</b>", "2 & 3", "A <title> & more"} <= set(texts(root))


def test_norm_bands_give_the_watch_cutoff() -> None:
    """A norm's bands give the cut-off line: the CORS (child norm) at 32, the ORS (adult norm)
    at 25, both flagged watch."""
    cors, ors = ak.get_scale("cors"), ak.get_scale("ors")
    labels = texts(
        ET.fromstring(
            series_chart(
                ak.Series([cors.score(answers_for(t)) for t in (20, 28, 33)]), norm="child"
            )
        )
    )
    assert "cut-off 32 (provisional)" in labels and "watch band" in labels
    adult = texts(ET.fromstring(series_chart(ak.Series([ors.score(answers_for(20))]))))
    assert "cut-off 25 (provisional)" in adult


def test_unknown_norm_is_refused_not_replaced_by_the_score_bands() -> None:
    """A misspelt norm raises InterpretationError rather than silently drawing the score's own
    cut-offs, which a reader would take for the norm's."""
    ors = ak.get_scale("ors")
    series = ak.Series([ors.score(answers_for(20))])
    with pytest.raises(ak.InterpretationError, match="score 'total' has no norm 'chlid'"):
        series_chart(series, norm="chlid")


def test_labels_must_match_sessions() -> None:
    """One label per session, or ValueError."""
    series = ak.Series([SRS.score(answers_for(30))])
    with pytest.raises(ValueError, match="2 labels for 1 sessions"):
        series_chart(series, labels=["1", "2"])


@pytest.mark.parametrize("count", [1, 2, 60])
def test_any_length_gives_a_well_formed_chart(count: int) -> None:
    """One session, two, or many give a well-formed chart with one point per value."""
    root = srs_chart(*([37.5] * count))
    points = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "point"]
    assert len(points) == count


def test_a_verified_cutoff_is_not_called_provisional(make_scale, results) -> None:
    """A v1 document's bands have its status: verified, the cut-off is plain; provisional, it is
    labelled provisional (line, legend and source)."""
    bands = {"bands": [band(0, 20, "alert"), band(20, 40, "none")]}
    for status, mark in (("verified", ""), ("provisional", " (provisional)")):
        scale = make_scale(bands, status=status)
        labels = texts(ET.fromstring(series_chart(ak.Series(results(scale, 10, 30), scale=scale))))
        assert labels.count(f"cut-off 20{mark}") == 2  # on the line and in the legend
        prefix = "Provisional cut-off" if mark else "Cut-off"
        assert any(label.startswith(f"{prefix} source: invented") for label in labels)
