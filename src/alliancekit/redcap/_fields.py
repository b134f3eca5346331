"""The fields of a REDCap instrument read as items, and calc fields read as scores."""

from __future__ import annotations

import html
import re
from fractions import Fraction
from typing import Any

from alliancekit.redcap._calc import Node
from alliancekit.redcap._export import HEADER

__all__ = ["Draft", "Found", "recognise"]

_CODE = re.compile(r"-?\d{1,4}")
_TAG = re.compile(r"<[^>]*>")
_ID = re.compile(r"[^A-Za-z0-9_-]+")


def plain_text(text: str) -> str:
    """Text without HTML tags and entities."""
    return html.unescape(_TAG.sub("", text)).strip()


def _number(text: str) -> int | float | None:
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?(\d+\.\d*|\.\d+)", text):
        return float(text)
    return None


class Draft:
    """The items of a draft document, built field by field."""

    def __init__(self, form: str) -> None:
        self.form = form
        self.response_sets: dict[str, Any] = {}
        self.items: list[dict[str, Any]] = []
        self.ids: dict[str, str] = {}  # variable -> item id
        self.bounds: dict[str, tuple[Fraction, Fraction]] = {}  # variable -> (min, max)
        self.symmetric: dict[str, bool] = {}  # variable -> min + max - x maps options on options
        self.notes: list[str] = []

    def local(self, variable: str) -> str:
        prefix = self.form + "_"
        name = variable[len(prefix) :] if variable.startswith(prefix) else variable
        return _ID.sub("_", name)[:64] or "item"

    def skip(self, variable: str, why: str) -> None:
        self.notes.append(f"field {variable[:60]!r} not carried over: {why}")

    def add(self, row: dict[str, str], spec: dict[str, Any], low: Any, high: Any) -> None:
        variable = row[HEADER[0]]
        name = next((k for k, v in self.response_sets.items() if v == spec), None)
        if name is None:
            name = f"rs{len(self.response_sets) + 1}"
            self.response_sets[name] = spec
        item_id = self.local(variable)
        while item_id in self.ids.values():
            item_id += "_"
        self.ids[variable] = item_id
        self.bounds[variable] = (Fraction(repr(low)), Fraction(repr(high)))
        values = {o["value"] for o in spec.get("options", ())}
        self.symmetric[variable] = all(min(values) + max(values) - v in values for v in values)
        entry: dict[str, Any] = {
            "id": item_id,
            "number": len(self.items) + 1,
            "response_set": name,
        }
        label = plain_text(row[HEADER[4]])
        if label:
            entry["text"] = {"en": label[:5000]}
        self.items.append(entry)

    def choices(self, row: dict[str, str]) -> None:
        variable = row[HEADER[0]]
        options: dict[int, str] = {}
        for part in row[HEADER[5]].split("|"):
            if not part.strip():
                continue
            code, _, label = part.partition(",")
            code = code.strip()
            if not _CODE.fullmatch(code):
                self.skip(variable, f"choice code {code[:20]!r} is not a whole number")
                return
            if int(code) in options:
                self.skip(variable, f"choice code {code} appears twice")
                return
            options[int(code)] = plain_text(label)
        if len(options) < 2:
            self.skip(variable, "fewer than two choices")
            return
        spec = {
            "kind": "ordinal",
            "options": [
                {"value": v, "label": {"en": label}} if label else {"value": v}
                for v, label in sorted(options.items())
            ],
        }
        self.add(row, spec, min(options), max(options))

    def numeric(self, row: dict[str, str], slider: bool) -> None:
        variable = row[HEADER[0]]
        low, high = _number(row[HEADER[8]]), _number(row[HEADER[9]])
        if slider and row[HEADER[8]] == "" and row[HEADER[9]] == "":
            low, high = 0, 100
        if low is None or high is None or not low < high:
            self.skip(variable, "a number field needs a validation min below its max")
            return
        spec: dict[str, Any] = {"kind": "continuous", "min": low, "max": high}
        self.add(row, spec, low, high)


def _terms(node: Node) -> list[Node]:
    if node[0] == "bin" and node[1] == "+":
        return _terms(node[2]) + _terms(node[3])
    return [node]


def _member(draft: Draft, term: Node) -> tuple[str, bool] | str:
    """(variable, reversed) of one term, or why it is not an item term."""
    if term[0] == "bin" and term[1] == "*" and term[2][0] == "num":
        term = term[3]
    if term[0] == "var":
        variable, reverse = term[1], False
    elif term[0] == "bin" and term[1] == "-" and term[2][0] == "num" and term[3][0] == "var":
        variable, reverse = term[3][1], True
    else:
        return "a term is neither [field] nor (k-[field])"
    if variable not in draft.ids:
        return f"[{variable[:40]}] is not an item field carried over"
    if reverse:
        if not draft.symmetric[variable]:
            return f"reverse keying [{variable[:40]}] would map its options onto non-options"
        low, high = draft.bounds[variable]
        if term[2][1] != low + high:
            return (
                f"({term[2][1]}-[{variable[:40]}]) is not a reverse key: the options of "
                f"{variable[:40]} run {low}–{high}, so k must be {low + high}"
            )
    return variable, reverse


def _counted(node: Node) -> list[str] | None:
    """The fields of ``if([a]<>"",1,0)+if([b]<>"",1,0)+…`` (a count of answered fields)."""
    fields = []
    for term in _terms(node):
        if not (
            term[0] == "call"
            and term[1] == "if"
            and len(term[2]) == 3
            and term[2][0][:2] == ("bin", "<>")
            and term[2][0][2][0] == "var"
            and term[2][0][3] == ("str", "")
            and term[2][1] == ("num", 1)
            and term[2][2] == ("num", 0)
        ):
            return None
        fields.append(term[2][0][2][1])
    return fields


Found = tuple[str, list[tuple[str, bool]], int, str | None]


def recognise(draft: Draft, node: Node) -> Found | str:
    """(method, members, max_missing, note) of a calculation that sums or averages item
    fields, or why not. Two guarded forms (the ones alliancekit writes) are read too:
    ``if(count>=k, mean(…), "")`` is a mean allowing n − k missing, and
    ``if(count=n, <sum or mean>, …)`` keeps its complete-answers branch only."""
    if node[0] == "call" and node[1] == "if" and len(node[2]) == 3:
        condition, yes, no = node[2]
        fields = _counted(condition[2]) if condition[0] == "bin" else None
        if fields is None or condition[3][0] != "num":
            return "an if() that is not a count of answered fields guarding a sum or mean"
        inner = recognise(draft, yes)
        if isinstance(inner, str):
            return inner
        method, members, _, _ = inner
        if [v for v, _ in members] != fields:
            return "the if() counts other fields than it adds up"
        bound = condition[3][1]
        if condition[1] == "=" and bound == len(fields):
            return method, members, 0, "its branch for missing items was not carried over"
        if (
            condition[1] == ">="
            and method == "mean"
            and no == ("str", "")
            and (bound.denominator == 1 and 1 <= bound <= len(fields))
        ):
            return method, members, len(fields) - int(bound), None
        return "an if() guard that is not 'count = n' or 'count >= k' around a mean"
    method = "sum"
    if node[0] == "call" and node[1] in ("sum", "mean"):
        method, terms = node[1], list(node[2])
    elif node[0] == "bin" and node[1] == "/" and node[3][0] == "num":
        terms = _terms(node[2])
        if node[3][1] != len(terms):
            return "a division by something other than the number of terms"
        method = "mean"
    else:
        terms = _terms(node)
        if len(terms) < 2:
            return "not a sum or mean of item fields"
    members = []
    weights: list[Fraction] = []
    for term in terms:
        found = _member(draft, term)
        if isinstance(found, str):
            return found
        members.append(found)
        weighted = term[0] == "bin" and term[1] == "*" and term[2][0] == "num"
        weights.append(term[2][1] if weighted else Fraction(1))
    if any(w != 1 for w in weights):
        if method != "sum" or node[0] == "call":
            return "weights inside sum() or a mean"
        method = "weighted_sum:" + ",".join(str(w) for w in weights)
    if len({m for m, _ in members}) != len(members):
        return "a field is counted twice"
    return method, members, 0, None
