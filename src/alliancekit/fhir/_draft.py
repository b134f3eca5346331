"""A draft scale document from someone else's FHIR Questionnaire."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from alliancekit.document import upgrade_document
from alliancekit.errors import DefinitionIssue, ScaleDefinitionError
from alliancekit.fhir._common import CALCULATED_EXPRESSION, MAX_VALUE, MIN_VALUE, UNIT
from alliancekit.fhir._expressions import ITEM_WEIGHT, ORDINAL_VALUE
from alliancekit.fhir._response import resource_mapping

__all__ = ["from_questionnaire"]

_ID = re.compile(r"[^A-Za-z0-9_-]+")
_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
_WEIGHTS = (ITEM_WEIGHT, ORDINAL_VALUE)
_SHOWN = 160
_Q = "['\"]"
_LINK = r"%{0}\.(?:repeat\(item\)|item)\.where\(linkId=" + _Q + r"(?P<{1}>[^'\"]+)" + _Q + r"\)"
_WEIGHT_TERM = re.compile(
    _LINK.format("questionnaire", "a")
    + r"\.answerOption\.where\((?:valueCoding|value)\.code="
    + _LINK.format("resource", "b")
    + r"\.answer\.(?:valueCoding|value)\.code\)\.extension\.where\(url="
    + _Q
    + r"http://hl7\.org/fhir/StructureDefinition/(?:itemWeight|ordinalValue)"
    + _Q
    + r"\)\.(?:valueDecimal|value)"
)
_ORDINAL_TERM = re.compile(
    _LINK.format("resource", "a") + r"\.answer\.value(?:Coding)?\.(?:ordinal|weight)\(\)"
)
_VALUE_TERM = re.compile(_LINK.format("resource", "a") + r"\.answer\.value(?:Decimal|Integer)?")
_SUM_ALL = re.compile(
    r"%resource\.(?:repeat\(item\)|item)\.answer\.value\.(?:ordinal|weight)\(\)\.sum\(\)"
)


def _text(value: Any, limit: int = 500) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()[:limit]
    return None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _extension(element: Mapping[str, Any], urls: tuple[str, ...]) -> Any:
    for extension in element.get("extension") or ():
        if isinstance(extension, Mapping) and extension.get("url") in urls:
            for key, value in extension.items():
                if key.startswith("value"):
                    return value
    return None


def _split_terms(expression: str) -> list[str] | None:
    """Top-level ``+`` terms of an expression without white space, outer parentheses dropped."""
    terms, depth, start, quote = [], 0, 0, ""
    for i, char in enumerate(expression):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "+" and depth == 0:
            terms.append(expression[start:i])
            start = i + 1
    terms.append(expression[start:])
    cleaned = []
    for term in terms:
        while term.startswith("(") and term.endswith(")") and _balanced(term[1:-1]):
            term = term[1:-1]
        if not term:
            return None
        cleaned.append(term)
    return cleaned


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False
    return depth == 0


def _summed_items(expression: str, kinds: dict[str, str]) -> list[str] | None:
    """The linkIds an expression sums the weights (or values) of, or ``None`` when it is not a
    plain sum of item weights."""
    compact = re.sub(r"\s+", "", expression)
    if _SUM_ALL.fullmatch(compact):
        return list(kinds) if set(kinds.values()) == {"ordinal"} else None
    terms = _split_terms(compact)
    if not terms or len(terms) < 2:
        return None
    link_ids = []
    for term in terms:
        match = _WEIGHT_TERM.fullmatch(term)
        if match is not None and match.group("a") != match.group("b"):
            return None
        kind = "ordinal"
        if match is None:
            match = _ORDINAL_TERM.fullmatch(term)
        if match is None:
            match, kind = _VALUE_TERM.fullmatch(term), "continuous"
        if match is None or kinds.get(match.group("a")) != kind:
            return None
        link_ids.append(match.group("a"))
    return link_ids if len(set(link_ids)) == len(link_ids) else None


class _Draft:
    def __init__(self) -> None:
        self.response_sets: dict[str, Any] = {}
        self.items: list[dict[str, Any]] = []
        self.ids: dict[str, str] = {}  # linkId -> item id
        self.kinds: dict[str, str] = {}  # linkId -> ordinal | continuous
        self.skipped_questions = 0
        self.notes: list[str] = []
        self.calculated: list[tuple[str, str]] = []

    def item_id(self, link_id: str) -> str:
        base = _ID.sub("_", link_id)[:60] or "item"
        candidate, n = base, 1
        while candidate in self.ids.values():
            n += 1
            candidate = f"{base[:56]}_{n}"
        if candidate != link_id:
            self.notes.append(f"item linkId {link_id[:_SHOWN]!r} is item id {candidate!r}")
        return candidate

    def response_set(self, spec: dict[str, Any]) -> str:
        for name, existing in self.response_sets.items():
            if existing == spec:
                return name
        name = f"rs{len(self.response_sets) + 1}"
        self.response_sets[name] = spec
        return name

    def skip(self, link_id: str, why: str) -> None:
        self.notes.append(f"item {link_id[:_SHOWN]!r} not carried over: {why}")

    def add(self, link_id: str, spec: dict[str, Any], text: str | None, reverse: bool) -> None:
        item_id = self.item_id(link_id)
        self.ids[link_id] = item_id
        self.kinds[link_id] = spec["kind"]
        entry: dict[str, Any] = {
            "id": item_id,
            "number": len(self.items) + 1,
            "response_set": self.response_set(spec),
            "reverse": reverse,
        }
        if text:
            entry["text"] = {"en": text}
        self.items.append(entry)

    def choice(self, link_id: str, element: Mapping[str, Any], text: str | None) -> None:
        options = element.get("answerOption")
        if not isinstance(options, list) or len(options) < 2:
            self.skip(link_id, "a choice item needs at least two answerOptions")
            return
        codes: list[int | None] = []
        weights: list[Any] = []
        labels: list[str | None] = []
        for option in options:
            coding = option.get("valueCoding") if isinstance(option, Mapping) else None
            if not isinstance(coding, Mapping):
                self.skip(link_id, "an answerOption is not a valueCoding")
                return
            code = coding.get("code")
            codes.append(
                int(code) if isinstance(code, str) and re.fullmatch(r"-?\d{1,4}", code) else None
            )
            weight = _extension(option, _WEIGHTS)
            weights.append(_extension(coding, _WEIGHTS) if weight is None else weight)
            labels.append(_text(coding.get("display")))
        reverse = False
        if all(w is not None for w in weights):
            if not all(_number(w) is not None and float(w).is_integer() for w in weights):
                self.skip(link_id, "its option weights are not all whole numbers")
                return
            values = [int(w) for w in weights]
            if None not in codes and len(set(codes)) == len(codes):
                known = [c for c in codes if c is not None]
                pivot = min(known) + max(known)
                if values != known and values == [pivot - c for c in known]:
                    values, reverse = known, True  # weights are the reverse-keyed codes
        elif None not in codes:
            values = [c for c in codes if c is not None]
            self.notes.append(
                f"item {link_id[:_SHOWN]!r}: option values are its integer codes "
                "(no ordinalValue/itemWeight)"
            )
        else:
            self.skip(link_id, "its options have neither weights nor integer codes")
            return
        if len(set(values)) != len(values):
            self.skip(link_id, "two options have the same value")
            return
        pairs = sorted(zip(values, labels, strict=True))
        spec = {
            "kind": "ordinal",
            "options": [
                {"value": v, "label": {"en": label}} if label else {"value": v}
                for v, label in pairs
            ],
        }
        self.add(link_id, spec, text, reverse)

    def numeric(self, link_id: str, element: Mapping[str, Any], text: str | None) -> None:
        low = _number(_extension(element, (MIN_VALUE,)))
        high = _number(_extension(element, (MAX_VALUE,)))
        if low is None or high is None or not low < high:
            self.skip(link_id, "a numeric item needs minValue < maxValue extensions")
            return
        spec: dict[str, Any] = {"kind": "continuous", "min": low, "max": high}
        unit = _extension(element, (UNIT,))
        if isinstance(unit, Mapping):
            name = _text(unit.get("code")) or _text(unit.get("display"))
            if name:
                spec["unit"] = name
        self.add(link_id, spec, text, False)

    def walk(self, elements: Any, depth: int = 0) -> None:
        if depth > 50:
            self.notes.append("items nested deeper than 50 were skipped")
            return
        for element in elements if isinstance(elements, list) else ():
            if not isinstance(element, Mapping) or not isinstance(element.get("linkId"), str):
                self.notes.append("an item without a linkId was skipped")
                continue
            link_id, kind = element["linkId"], element.get("type")
            text = _text(element.get("text"))
            expression = _extension(element, (CALCULATED_EXPRESSION,))
            if kind == "group":
                self.walk(element.get("item"), depth + 1)
            elif isinstance(expression, Mapping):
                self.calculated.append((link_id, str(expression.get("expression") or "")))
            elif kind == "choice":
                self.choice(link_id, element, text)
            elif kind in ("decimal", "integer"):
                self.numeric(link_id, element, text)
            else:
                self.skip(link_id, f"type {str(kind)[:20]!r} is not scored")
            if kind != "group" and element.get("item"):
                self.walk(element.get("item"), depth + 1)


def from_questionnaire(questionnaire: Any, *, default_total: bool = False) -> dict[str, Any]:
    """A draft scale document (``provisional``) from a FHIR R4 Questionnaire.

    Choice items whose options carry ``ordinalValue``/``itemWeight`` (or have integer codes)
    become ordinal response sets (weights that are the codes reversed become a reversed item);
    ``decimal``/``integer`` items with ``minValue``/``maxValue`` become continuous ones; groups
    are flattened in order. A calculated item becomes a ``sum`` score only when its expression
    is a plain sum of item weights (the one over every item is ``total``). Everything not carried
    over is named, with why, in ``verification.open_questions``.

    :param default_total: when no calculated item qualifies, add a ``total`` sum of every item
        (said so in the open questions) instead of refusing.
    :returns: the document; ``load_scale`` accepts it.
    :raises ResponseError: for malformed JSON or a resource of another type.
    :raises ScaleDefinitionError: when no item or no score can be carried over.
    """
    resource = resource_mapping(questionnaire, "Questionnaire")
    draft = _Draft()
    draft.walk(resource.get("item"))
    scores: list[dict[str, Any]] = []
    for link_id, expression in draft.calculated:
        summed = _summed_items(expression, draft.kinds)
        if summed is None or any(s not in draft.ids for s in summed):
            shown = expression[:_SHOWN] + ("…" if len(expression) > _SHOWN else "")
            draft.notes.append(
                f"calculated item {link_id[:_SHOWN]!r} not carried over: its "
                f"expression is not a plain sum of item weights ({shown!r})"
            )
            continue
        whole = sorted(summed) == sorted(draft.ids)
        taken = {s["id"] for s in scores}
        score_id = "total" if whole and "total" not in taken else _ID.sub("_", link_id)[:60]
        while score_id in taken:
            score_id += "_"
        scores.append({"id": score_id, "items": [draft.ids[s] for s in summed], "method": "sum"})
        draft.notes.append(
            f"score {score_id!r} from calculated item {link_id[:_SHOWN]!r}: a sum; "
            "no missing answer is allowed (the source's rule is not known)"
        )
    problems = []
    if not draft.items:
        problems.append("no item of the Questionnaire can be scored")
    elif not scores:
        if default_total:
            scores.append({"id": "total", "items": "all", "method": "sum"})
            draft.notes.append(
                "score 'total' (sum of every item) was added by default_total; "
                "the Questionnaire does not define it"
            )
        else:
            problems.append(
                "no calculated item is a plain sum of item weights; pass "
                "default_total=True for a sum of every item"
            )
    if problems:
        raise ScaleDefinitionError(
            [DefinitionIssue(json_path="$", code="nothing-to-score", message=p) for p in problems],
            source="FHIR Questionnaire",
        )
    url = _text(resource.get("url"))
    version = _text(resource.get("version"), 60)
    name = _text(resource.get("id"), 60) or _text(resource.get("name"), 60) or "imported"
    if version is None or not _VERSION.fullmatch(version):
        draft.notes.append(
            f"the Questionnaire's version {version!r} is not MAJOR.MINOR.PATCH; the draft is 0.1.0"
        )
        version = "0.1.0"
    source = f"FHIR Questionnaire {url or name}" + (f" version {version}" if version else "")
    copyright_ = _text(resource.get("copyright"), 5000)
    document: dict[str, Any] = {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": _ID.sub("-", name).strip("-")[:64] or "imported",
        "version": version,
        "title": _text(resource.get("title")) or name,
        "citations": [{"text": source, **({"url": url} if url else {})}],
        "license": {
            "holder": _text(resource.get("publisher"))
            or "unknown (not stated in the Questionnaire)",
            "terms": copyright_
            or "The Questionnaire states no copyright; check the rights to "
            "its item text before sharing this document.",
            "item_text": "included" if any("text" in i for i in draft.items) else "not-included",
        },
        "verification": {
            "status": "provisional",
            "sources": [source],
            "open_questions": [
                "Imported from a FHIR Questionnaire: check every item, option value, reverse key "
                "and score against the instrument's published scoring key.",
                *draft.notes,
            ][:200],
        },
        "response_sets": draft.response_sets,
        "items": draft.items,
        "scores": scores,
    }
    # In meta-schema v2, every fact provisional (a draft confirms nothing); upgrading checks it.
    return upgrade_document(document)
