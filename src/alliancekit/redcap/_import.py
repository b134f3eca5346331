"""A draft scale document from one instrument of a REDCap data dictionary."""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction
from typing import Any

from alliancekit.document import upgrade_document
from alliancekit.errors import DefinitionIssue, ScaleDefinitionError
from alliancekit.redcap._calc import CalcSyntaxError, parse_calc
from alliancekit.redcap._export import HEADER
from alliancekit.redcap._fields import Draft, recognise

__all__ = ["from_data_dictionary"]

MAX_ROWS = 10_000
_ID = re.compile(r"[^A-Za-z0-9_-]+")


def _error(message: str, where: str = "$", code: str = "invalid-data-dictionary") -> Exception:
    return ScaleDefinitionError(
        [DefinitionIssue(json_path=where, code=code, message=message)],
        source="REDCap data dictionary",
    )


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
    draft = Draft(form)
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
            found = recognise(draft, parse_calc(calculation))
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
    # In meta-schema v2, every fact provisional (a draft confirms nothing); upgrading checks it.
    return upgrade_document(document)
