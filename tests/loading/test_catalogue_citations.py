"""Citations of the built-in catalogue: DOIs are well formed, every citation names a year and a
venue, the corrected references carry their DOIs, and a DOI that public code attaches to Tracey &
Kokotovic (1989) without support is used nowhere a citation can be shown from."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak

ROOT = Path(__file__).resolve().parents[2]
SCALES = sorted((ROOT / "scales").glob("*.json"))

# A DOI is "10." + a registrant code of digits (dot-separated parts allowed) + "/" + a suffix
# without spaces (the syntax of the DOI Handbook, section 2.2).
DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
# Shown to the reader as a citation, never as a DOI: it belongs to another article.
UNSUPPORTED_DOI = "10.1037/0033-2909.105.3.323"
# "(2006). Title. Venue ..." : a year in parentheses, then a title, then a venue.
YEAR_TITLE_VENUE = re.compile(r"\((?:19|20)\d\d\)\.\s+\S.*?[.?!]\s+\S")


def _citations() -> list[Any]:
    found = []
    for path in SCALES:
        document = json.loads(path.read_text("utf-8"))
        for index, citation in enumerate(document["citations"]):
            found.append(pytest.param(citation, id=f"{path.stem}[{index}]"))
    return found


def _strings(node: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_the_catalogue_has_citations_with_dois() -> None:
    """The checks below have something to check: every file cites, and several carry a DOI."""
    citations = [param.values[0] for param in _citations()]
    assert len(SCALES) >= 6
    assert len(citations) >= len(SCALES)
    assert sum("doi" in citation for citation in citations) >= 5


@pytest.mark.parametrize("citation", _citations())
def test_doi_is_syntactically_valid(citation: dict[str, Any]) -> None:
    """A citation's ``doi`` is a bare DOI (``10.NNNN/suffix``), not a URL or a ``doi:`` label."""
    if "doi" in citation:
        assert DOI.fullmatch(citation["doi"]), citation["doi"]


@pytest.mark.parametrize("citation", _citations())
def test_citation_names_a_year_and_a_venue(citation: dict[str, Any]) -> None:
    """Every citation reads "Authors (year). Title. Venue…": a year in parentheses followed by a
    title and a venue, so a reader can find the work."""
    assert YEAR_TITLE_VENUE.search(citation["text"]), citation["text"]


@pytest.mark.parametrize(
    ("path", "citation_id", "doi", "in_text"),
    [
        (
            "wai-sr",
            "hatcher2006",
            "10.1080/10503300500352500",
            "Psychotherapy Research, 16(1), 12–25",
        ),
        (
            "wai-sr",
            "munder2010",
            "10.1002/cpp.658",
            "Clinical Psychology & Psychotherapy, 17(3), 231–239",
        ),
        ("wai-sr", "falkenstrom2015", "10.1177/1073191114552472", "Assessment, 22(5), 581–593"),
        ("wai-sr", "horvath1989", "10.1037/0022-0167.36.2.223", "36(2), 223–233"),
        (
            "wai-s",
            "busseri2003",
            "10.1037/1040-3590.15.2.193",
            "Psychological Assessment, 15(2), 193–197",
        ),
        ("wai-s", "tracey1989", None, "1(3), 207–210"),
    ],
)
def test_corrected_citations(path: str, citation_id: str, doi: str | None, in_text: str) -> None:
    """The references corrected in issue 14 carry their volume, issue and pages, and their DOI
    where one is confirmed; Tracey & Kokotovic (1989) has none confirmed, so it has none."""
    document = json.loads((ROOT / "scales" / f"{path}.json").read_text("utf-8"))
    (citation,) = [c for c in document["citations"] if c.get("id") == citation_id]
    assert citation.get("doi") == doi
    assert in_text in citation["text"]


def test_munder_2010_links_its_pubmed_record() -> None:
    """Munder et al. (2010) is PubMed 20013760."""
    document = json.loads((ROOT / "scales" / "wai-sr.json").read_text("utf-8"))
    (citation,) = [c for c in document["citations"] if c.get("id") == "munder2010"]
    assert citation["url"] == "https://pubmed.ncbi.nlm.nih.gov/20013760/"


@pytest.mark.parametrize("path", SCALES, ids=[p.stem for p in SCALES])
def test_unsupported_doi_is_in_no_scale_document(path: Path) -> None:
    """No string anywhere in a scale document holds the DOI that public code attaches to Tracey &
    Kokotovic (1989) without support (with or without a ``doi:`` or URL prefix)."""
    strings = list(_strings(json.loads(path.read_text("utf-8"))))
    assert strings
    assert not [s for s in strings if UNSUPPORTED_DOI in s]


def test_unsupported_doi_is_in_nothing_that_ships_or_shows_citations() -> None:
    """Nor in the package, the examples or the README (docs/scales.md names it once, as the
    rejected DOI, so a reader can recognise it)."""
    roots = [ROOT / "src", ROOT / "examples", ROOT / "README.md"]
    files = [p for r in roots for p in ([r] if r.is_file() else r.rglob("*")) if p.is_file()]
    texts = [p for p in files if p.suffix in {".py", ".json", ".md", ".toml", ".txt", ".csv"}]
    assert len(texts) > 10
    assert [p for p in texts if UNSUPPORTED_DOI in p.read_text("utf-8", errors="replace")] == []


def test_the_documented_example_document_is_valid() -> None:
    """The complete example in docs/scales.md ("Writing a scale document") loads and scores, so
    a researcher can start from it."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "scales.md").read_text("utf-8")
    section = text.split("## Writing a scale document", 1)[1]
    example = re.search(r"```json\n(.*?)```", section, re.S)
    assert example is not None
    scale = ak.load_scale(json.loads(example.group(1)))
    # By hand: q3 is reversed, 1 + 5 - 2 = 4; safety = mean(4, 4) = 4; the raw total
    # 4 + 5 + 4 + 4 = 17 on 4..20 becomes (17 - 4) / 16 * 100 = 81.25 on 0..100.
    assert scale.score({"q1": 4, "q2": 5, "q3": 2, "q4": 4}).values() == {
        "safety": 4.0,
        "total": 81.25,
    }
