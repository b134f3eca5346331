"""A draft scale document from one instrument of a REDCap data dictionary."""

from __future__ import annotations

import csv
import html
import io
import re
from fractions import Fraction
from typing import Any

from alliancekit import load_scale
from alliancekit.errors import DefinitionIssue, ScaleDefinitionError
from alliancekit.redcap._calc import CalcSyntaxError, Node, parse_calc
from alliancekit.redcap._export import HEADER

__all__ = ["from_data_dictionary"]

MAX_ROWS = 10_000
_CODE = re.compile(r"-?\d{1,4}")
_TAG = re.compile(r"<[^>]*>")
_ID = re.compile(r"[^A-Za-z0-9_-]+")


def _error(message: str, where: str = "$", code: str = "invalid-data-dictionary") -> Exception:
    return ScaleDefinitionError(
        [DefinitionIssue(json_path=where, code=code, message=message)],
        source="REDCap data dictionary",
    )


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).strip()


def _number(text: str) -> int | float | None:
    text = text.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?(\d+\.\d*|\.\d+)", text):
        return float(text)
    return None


def _rows(csv_text: str) -> list[dict[str, str]]:
    if not isinstance(csv_text, str):
        raise TypeError(f"csv_text must be text, not {type(csv_text).__name__}")
    reader = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise _error("the data dictionary is empty") from None
    except csv.Error as error:
        raise _error(f"not a readable CSV file: {error}") from None
    if [h.strip() for h in header] != list(HEADER):
        got = ", ".join(repr(h[:40]) for h in header[:20])
        raise _error(
            "the header is not REDCap's 18 data dictionary columns "
            f"({', '.join(HEADER)}); got {got}",
            code="wrong-header",
        )
    rows: list[dict[str, str]] = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(HEADER):
                raise _error(f"{len(cells)} cells instead of 18", f"line {line}", "wrong-row")
            if len(rows) >= MAX_ROWS:
                raise _error(f"more than {MAX_ROWS} fields", f"line {line}", "too-many-fields")
            rows.append(dict(zip(HEADER, (c.strip() for c in cells), strict=True)))
    except csv.Error as error:
        raise _error(f"not a readable CSV file: {error}") from None
    seen: dict[str, int] = {}
    duplicates = []
    for index, row in enumerate(rows):
        name = row[HEADER[0]]
        if name in seen:
            duplicates.append(name[:40])
        seen[name] = index
    if duplicates:
        raise _error(
            f"variable names used more than once: {', '.join(sorted(set(duplicates)))}",
            code="duplicate-variable",
        )
    return rows


class _Draft:
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
        label = _plain(row[HEADER[4]])
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
            options[int(code)] = _plain(label)
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


def _member(draft: _Draft, term: Node) -> tuple[str, bool] | str:
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


def _score(draft: _Draft, node: Node) -> Found | str:
    """(method, members, max_missing, note) of a calculation that sums or averages item
    fields, or why not. Two guarded forms (the ones alliancekit writes) are read too:
    ``if(count>=k, mean(…), "")`` is a mean allowing n − k missing, and
    ``if(count=n, <sum or mean>, …)`` keeps its complete-answers branch only."""
    if node[0] == "call" and node[1] == "if" and len(node[2]) == 3:
        condition, yes, no = node[2]
        fields = _counted(condition[2]) if condition[0] == "bin" else None
        if fields is None or condition[3][0] != "num":
            return "an if() that is not a count of answered fields guarding a sum or mean"
        inner = _score(draft, yes)
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


def from_data_dictionary(csv_text: str, *, form: str) -> dict[str, Any]:
    """A draft scale document (``provisional``) from one instrument of a REDCap data dictionary.

    ``radio``/``dropdown`` fields with whole-number codes become ordinal items (labels stripped
    of HTML; codes need not be contiguous), ``slider`` fields (0–100 unless the validation
    min/max say otherwise) and ``text`` fields validated as numbers with a min and max become
    continuous items; ``calc`` fields that sum or average item fields (``[a]+[b]+…``,
    ``sum(…)``, ``mean(…)``, ``([a]+…)/n``, with ``(k-[x])`` reverse terms where k is the
    item's min + max) become scores that need every item answered. Every other field is
    named, with why, in ``verification.open_questions``.

    :returns: the document; ``load_scale`` accepts it.
    :raises ScaleDefinitionError: for a header that is not REDCap's, duplicate variable names,
        rows of the wrong width, no such form, or nothing that can be scored.
    """
    rows = _rows(csv_text)
    forms = list(dict.fromkeys(row[HEADER[1]] for row in rows))
    chosen = [row for row in rows if row[HEADER[1]] == form]
    if not chosen:
        raise _error(
            f"no form {form[:60]!r} (forms: {', '.join(f[:40] for f in forms)})",
            code="unknown-form",
        )
    draft = _Draft(form)
    record_id = rows[0][HEADER[0]]
    calcs = []
    for row in chosen:
        variable, kind = row[HEADER[0]], row[HEADER[3]].lower()
        validation = row[HEADER[7]].lower()
        if variable == record_id:
            draft.skip(variable, "the record ID field")
        elif kind in ("radio", "dropdown"):
            draft.choices(row)
        elif kind == "slider":
            draft.numeric(row, slider=True)
        elif kind == "text" and validation.startswith(("number", "integer")):
            draft.numeric(row, slider=False)
        elif kind == "calc":
            calcs.append(row)
        else:
            draft.skip(
                variable,
                f"field type {kind[:20]!r}"
                + (f" with validation {validation[:20]!r}" if validation else "")
                + " is not scored",
            )
    scores: list[dict[str, Any]] = []
    keyed: dict[str, bool] = {}  # variable -> reversed, as the calc fields use it
    for row in calcs:
        variable, calculation = row[HEADER[0]], row[HEADER[5]]
        try:
            found = _score(draft, parse_calc(calculation))
        except CalcSyntaxError as error:
            found = f"the calculation cannot be parsed ({error})"
        if isinstance(found, str):
            draft.skip(variable, found)
            continue
        method, members, max_missing, note = found
        conflict = [v for v, r in members if keyed.get(v, r) != r]
        if conflict:
            draft.skip(
                variable,
                f"[{conflict[0][:40]}] is reverse keyed in one calc field and "
                "not in another; an item has one key",
            )
            continue
        keyed.update(members)
        score_id = draft.local(variable)
        while score_id in {s["id"] for s in scores}:
            score_id += "_"
        score: dict[str, Any] = {
            "id": score_id,
            "items": [draft.ids[v] for v, _ in members],
            "method": method.partition(":")[0],
        }
        if method.startswith("weighted_sum:"):
            weights = [Fraction(w) for w in method.partition(":")[2].split(",")]
            score["weights"] = {
                draft.ids[v]: int(w) if w.denominator == 1 else float(w)
                for (v, _), w in zip(members, weights, strict=True)
            }
            method = "weighted sum"
        if max_missing:
            score["missing"] = {"max_missing": max_missing}
        scores.append(score)
        for v, reverse in members:
            if reverse:
                next(i for i in draft.items if i["id"] == draft.ids[v])["reverse"] = True
        rule = (
            f"at most {max_missing} item(s) may be missing"
            if max_missing
            else "every item must be answered (REDCap's sum() and mean() would skip blanks)"
        )
        draft.notes.append(
            f"score {score_id!r} from calc field {variable[:60]!r}: a {method}; {rule}"
            + (f"; {note}" if note else "")
        )
    problems = [] if draft.items else ["no field of the form can be scored"]
    if draft.items and not scores:
        problems.append("no calc field is a sum or mean of the form's item fields")
    if problems:
        raise ScaleDefinitionError(
            [DefinitionIssue(json_path="$", code="nothing-to-score", message=p) for p in problems],
            source="REDCap data dictionary",
        )
    document: dict[str, Any] = {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": _ID.sub("-", form)[:64] or "imported",
        "version": "0.1.0",
        "title": f"REDCap instrument {form[:200]}",
        "citations": [{"text": f"REDCap data dictionary, instrument {form[:200]}"}],
        "license": {
            "holder": "unknown (not stated in the data dictionary)",
            "terms": "The data dictionary states no licence; check the rights to the item text "
            "before sharing this document.",
            "item_text": "included" if any("text" in i for i in draft.items) else "not-included",
        },
        "verification": {
            "status": "provisional",
            "sources": [f"REDCap data dictionary, instrument {form[:200]}"],
            "open_questions": [
                "Imported from a REDCap data dictionary: check every item, option value, reverse "
                "key and score against the instrument's published scoring key.",
                *draft.notes,
            ][:200],
        },
        "response_sets": draft.response_sets,
        "items": draft.items,
        "scores": scores,
    }
    load_scale(document)  # raises ScaleDefinitionError if the draft is not a valid document
    return document
