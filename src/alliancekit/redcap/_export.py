"""A scale as one REDCap instrument: a data dictionary whose ``calc`` fields score it."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alliancekit.document import Scale
    from alliancekit.model import ScoreDefinition

__all__ = ["HEADER", "HEADER_LINE", "field_names", "neutralise", "to_data_dictionary"]

#: REDCap's 18 data dictionary columns, in order.
HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
#: The header line exactly as REDCap writes it (every name quoted but ``Identifier?``).
HEADER_LINE = ",".join(name if name == "Identifier?" else f'"{name}"' for name in HEADER)
_BUILTIN = frozenset({"sum", "mean", "weighted_sum"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_NAME = 100
_STRUCTURED = frozenset({0, 1, 3, 5, 7, 8, 9})


def neutralise(text: str) -> str:
    """Text safe in a spreadsheet cell: one line, and a leading ``=``, ``+``, ``-``, ``@`` (a
    formula to Excel or LibreOffice) is prefixed with an apostrophe."""
    text = re.sub(r"[\r\n\t]+", " ", text).strip()
    return "'" + text if text.startswith(_FORMULA_START) else text


def _variable(text: str) -> str:
    name = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    if not name or not name[0].isalpha():
        name = "v_" + name
    return re.sub(r"_+", "_", name)


def field_names(scale: Scale, form: str) -> tuple[dict[str, str], dict[str, str]]:
    """Item id -> variable name and score id -> variable name: ``<form>_<id>`` in lower case
    (letters, digits, underscores), ``_score`` added to a score named like an item, and a number
    added where two names would still be equal; at most 100 characters."""
    taken: set[str] = set()

    def unique(base: str) -> str:
        base = base[: MAX_NAME - 4]
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        return name

    items = {item.id: unique(_variable(f"{form}_{item.id}")) for item in scale.items}
    item_ids = set(items)
    scores = {
        s.id: unique(_variable(f"{form}_{s.id}" + ("_score" if s.id in item_ids else "")))
        for s in scale.scores
    }
    return items, scores


def _number(value: float | Fraction) -> str:
    number = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    den = number.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"({number.numerator}/{number.denominator})"
    if number.denominator == 1:
        text = str(number.numerator)
    else:
        with localcontext() as context:
            context.prec = 200
            text = format((Decimal(number.numerator) / number.denominator).normalize(), "f")
    return f"({text})" if number < 0 else text


def _needed(definition: ScoreDefinition, size: int) -> int:
    rule = definition.missing
    if rule.max_missing is not None:
        return max(size - rule.max_missing, 1)
    if rule.min_answered is not None:
        wanted = Fraction(repr(rule.min_answered)) * size
        return max(-(-wanted.numerator // wanted.denominator), 1)
    return size


def _calculation(scale: Scale, definition: ScoreDefinition, names: dict[str, str]) -> str:
    """The REDCap calculation of one built-in score (see docs/interop.md for its shape)."""
    members = definition.items or definition.scores
    refs = [f"[{names[m]}]" for m in members]
    terms = []
    for member, ref in zip(members, refs, strict=True):
        if definition.items and scale.item(member).reverse:
            rs = scale.item(member).response_set
            assert rs.min is not None and rs.max is not None
            pivot = Fraction(repr(rs.min)) + Fraction(repr(rs.max))
            terms.append(f"({_number(pivot)}-{ref})")
        else:
            terms.append(ref)
    weights: list[Fraction] = []
    if definition.method == "weighted_sum":
        assert definition.weights is not None
        weights = [Fraction(repr(float(definition.weights[m]))) for m in members]
        terms = [f"{_number(w)}*{t}" for w, t in zip(weights, terms, strict=True)]
    size = len(terms)
    need = _needed(definition, size)
    plain = "+".join(terms)
    if definition.method == "mean":
        plain = f"({plain})/{size}"
    if need == size:
        value = plain
    else:
        count = "(" + "+".join(f'if({ref}<>"",1,0)' for ref in refs) + ")"
        listed = ",".join(terms)
        rule = definition.missing
        if definition.method == "mean":
            partial = f"mean({listed})"
        elif weights:
            answered = "+".join(
                f'if({ref}<>"",{_number(w)},0)' for ref, w in zip(refs, weights, strict=True)
            )
            partial = f"sum({listed})*{_number(sum(weights, Fraction(0)))}/({answered})"
        else:
            partial = f"sum({listed})*{size}/{count}"
        if rule.impute == "prorate" and rule.round is not None:
            scale_ = 10**rule.round
            partial = f"if({partial}<0,-1,1)*rounddown(abs({partial})*{scale_}+0.5,0)/{scale_}"
        if definition.method == "mean":
            value = f'if({count}>={need},{partial},"")'
        else:
            value = f'if({count}={size},{plain},if({count}>={need},{partial},""))'
    transform = definition.transform
    if transform is None:
        return value
    to_low, to_high = (Fraction(repr(float(t))) for t in transform.to)
    raw_low, raw_high = definition.raw_range
    return (
        f"{_number(to_low)}+(({value})-{_number(Fraction(raw_low))})"
        f"*{_number(to_high - to_low)}/{_number(Fraction(raw_high - raw_low))}"
    )


def _label(label: Any) -> str | None:
    if not label:
        return None
    return str(label.get("en") or next(iter(label.values())))


def to_data_dictionary(scale: Scale, *, form: str | None = None, record_id: bool = True) -> str:
    """A REDCap data dictionary (CSV text) with one instrument for ``scale``.

    Fields, in order: ``record_id`` (unless ``record_id=False``), a descriptive field with the
    title, licence and sources, one field per item (ordinal -> ``radio`` with ``value, label``
    choices; continuous -> ``text`` validated as ``number`` with min and max), then one ``calc``
    field per score. Variable names are ``<form>_<id>`` (see :func:`field_names`); the form name
    defaults to the scale id in lower case with underscores. Text cells are neutralised against
    spreadsheet formula injection.

    A score whose method is a plugin's is a ``text`` field with an annotation saying it is not
    calculated, never a wrong calculation.
    """
    form = _variable(form or scale.id)
    items, scores = field_names(scale, form)
    rows: list[list[str]] = []

    def row(name: str, kind: str, label: str, **cells: str) -> None:
        entry = dict.fromkeys(HEADER, "")
        entry.update({HEADER[0]: name, HEADER[1]: form, HEADER[3]: kind, HEADER[4]: label})
        for column, value in cells.items():
            entry[column] = value
        # Free text is neutralised; names, choices (codes may be negative) and calculations are
        # alliancekit's own structured content, which REDCap must read as written.
        rows.append(
            [entry[h] if i in _STRUCTURED else neutralise(entry[h]) for i, h in enumerate(HEADER)]
        )

    if record_id:
        row("record_id", "text", "Record ID")
    sources = "; ".join(c.text for c in scale.citations)
    about = f"{form}_about"[:MAX_NAME]
    provisional = "; ".join(scale.scoring_warnings)
    row(
        about,
        "descriptive",
        f"{scale.title} (alliancekit {scale.id} {scale.version}). Licence: "
        f"{scale.license.holder}. {scale.license.terms} Sources: {sources}"
        + (f" The scores rest on provisional facts: {provisional}." if provisional else ""),
        **{HEADER[17]: f"alliancekit scale {scale.id} {scale.version} sha256 {scale.sha256}"},
    )
    for item in scale.items:
        rs = item.response_set
        text = (item.text or {}).get("en") or item.construct or f"Item {item.number}"
        note = "reverse keyed" if item.reverse else ""
        annotation = f"alliancekit item {item.id}" + (" (reverse keyed)" if item.reverse else "")
        if rs.kind == "ordinal":
            choices = " | ".join(
                f"{o.value}, {(_label(o.label) or str(o.value)).replace('|', '/')}"
                for o in rs.options
            )
            row(
                items[item.id],
                "radio",
                text,
                **{HEADER[5]: choices, HEADER[6]: note, HEADER[17]: annotation},
            )
        else:
            assert rs.min is not None and rs.max is not None
            unit = f"{rs.min:g}–{rs.max:g}" + (f" {rs.unit}" if rs.unit else "")
            row(
                items[item.id],
                "text",
                text,
                **{
                    HEADER[6]: "; ".join(filter(None, (unit, note))),
                    HEADER[7]: "number",
                    HEADER[8]: _number(rs.min).strip("()"),
                    HEADER[9]: _number(rs.max).strip("()"),
                    HEADER[17]: annotation,
                },
            )
    for definition in scale.scores:
        label = definition.title or definition.id
        low, high = definition.range
        if definition.method not in _BUILTIN or any(
            scale.score_definition(s).method not in _BUILTIN for s in definition.scores
        ):
            row(
                scores[definition.id],
                "text",
                label,
                **{
                    HEADER[17]: f"@READONLY alliancekit score {definition.id}: not calculated in "
                    f"REDCap (method {definition.method!r} is a plugin's; score with alliancekit)",
                },
            )
            continue
        row(
            scores[definition.id],
            "calc",
            label,
            **{
                HEADER[5]: _calculation(scale, definition, {**items, **scores}),
                HEADER[6]: f"score {low:g}–{high:g}"
                + (
                    f"; rests on provisional facts (see {about})"
                    if scale.score_warnings(definition.id)
                    else ""
                ),
                HEADER[17]: f"alliancekit score {definition.id}",
            },
        )
    out = io.StringIO()
    out.write(HEADER_LINE + "\n")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
