"""FHIRPath ``calculatedExpression`` of each score: exactly what :meth:`Scale.score` computes.

Every expression reads answers from ``%resource`` (the QuestionnaireResponse) and option weights
from ``%questionnaire`` (the ``itemWeight`` extension of each answer option, which already carries
the reverse key), and uses standard FHIRPath only (``combine``, ``aggregate``, ``count``, ``iif``,
``select``, ``div``): no ``ordinal()``/``weight()`` and no ``round()`` (which engines disagree on).

* a member's value is empty when it is not answered. Where no member may be missing, the score
  is ``(m1) + (m2) + …`` (``/ n`` for a mean): ``+`` is empty when an operand is, which is the
  rule. Otherwise ``combine`` keeps repeated values, so
  ``(m1).combine(m2)….aggregate($this + $total, 0)`` is the sum of the answered ones,
  ``.count()`` their number, and the missing-data rule is an ``iif`` on that count: an empty
  result where ``score()`` gives ``None``;
* prorating is ``sum × n / answered`` (weighted: ``× total weight / answered weight``), only when
  something is missing, and rounding half away from zero is done with integer division:
  ``round(P / Q, d) = sign(P) × ((2·|P|·10^d + Q) div 2Q) / 10^d``;
* a transform is ``to_low + (x − raw_low) × factor``; a score of scores inlines the expressions
  of its components (so it never depends on a renderer having filled them in).

An expression is *exact* when it never divides by anything but a power of ten: then a decimal
FHIRPath engine gives exactly the decimal value ``score()`` converts to a float. A mean, an
unrounded prorated sum or a transform by a non-decimal factor divide, and an engine's decimal
division is only as precise as its decimal type.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from alliancekit.document import Scale
    from alliancekit.model import Item, ScoreDefinition

__all__ = [
    "BUILTIN_METHODS",
    "ITEM_WEIGHT",
    "ORDINAL_VALUE",
    "ScoreExpression",
    "decimal_text",
    "exact_number",
    "keyed_value",
    "score_expressions",
]

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#: The methods whose arithmetic is known here; a plugin's method cannot be written in FHIRPath.
BUILTIN_METHODS = frozenset({"sum", "mean", "weighted_sum"})


@attrs.frozen
class ScoreExpression:
    """The FHIRPath of one score, or why there is none.

    :ivar expression: the FHIRPath, ``None`` when the score cannot be expressed.
    :ivar exact: whether the expression divides only by powers of ten (see the module doc).
    :ivar reason: why there is no expression.
    """

    expression: str | None
    exact: bool = True
    reason: str | None = None


def exact_number(number: float | Fraction) -> Fraction:
    """The exact decimal value of a document's number (``0.1`` is 1/10)."""
    if isinstance(number, Fraction):
        return number
    if isinstance(number, int):
        return Fraction(number)
    return Fraction(repr(number))


def keyed_value(item: Item, value: float | Fraction) -> Fraction:
    """An answer's keyed value: ``min + max − value`` for a reversed item, else the value."""
    number = exact_number(value)
    if not item.reverse:
        return number
    rs = item.response_set
    assert rs.min is not None and rs.max is not None  # the loader guarantees bounds
    return exact_number(rs.min) + exact_number(rs.max) - number


def _terminates(number: Fraction) -> bool:
    den = number.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def decimal_text(number: Fraction) -> str:
    """A terminating decimal as plain text without an exponent (``6.25``, ``-3``, ``0.001``)."""
    assert _terminates(number)
    if number.denominator == 1:
        return str(number.numerator)
    with localcontext() as context:
        context.prec = 200
        value = Decimal(number.numerator) / Decimal(number.denominator)
    return format(value.normalize(), "f")


def _literal(number: Fraction) -> tuple[str, bool]:
    """A FHIRPath literal for ``number`` and whether it is exact (a division otherwise)."""
    if _terminates(number):
        text = decimal_text(number)
        return (f"({text})" if number < 0 else text), True
    return f"({number.numerator} / {number.denominator})", False


def _string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _item_expression(item: Item) -> str:
    answer = f"%resource.item.where(linkId = {_string(item.id)}).answer"
    rs = item.response_set
    if rs.kind == "ordinal":
        return (
            f"%questionnaire.item.where(linkId = {_string(item.id)}).answerOption"
            f".where(valueCoding.code = {answer}.valueCoding.code)"
            f".extension.where(url = {_string(ITEM_WEIGHT)}).valueDecimal"
        )
    if not item.reverse:
        return f"{answer}.valueDecimal"
    assert rs.min is not None and rs.max is not None
    pivot, _ = _literal(exact_number(rs.min) + exact_number(rs.max))
    return f"{answer}.valueDecimal.select({pivot} - $this)"


def _combined(parts: list[str]) -> str:
    text = f"({parts[0]})"
    for part in parts[1:]:
        text += f".combine({part})"
    return text


def _needed(definition: ScoreDefinition, size: int) -> int:
    rule = definition.missing
    if rule.max_missing is not None:
        return max(size - rule.max_missing, 1)
    if rule.min_answered is not None:
        return max(math.ceil(exact_number(rule.min_answered) * size), 1)
    return size


def _round_half_away(numerator: str, denominator: str, digits: int) -> str:
    """``numerator / denominator`` rounded to ``digits`` decimals, halves away from zero, for a
    positive denominator, with integer division only."""
    scale = 10**digits
    twice = f"2 * {scale}" if digits else "2"
    quotient = f"(({twice} * $this.abs() + ({denominator})) div (2 * ({denominator})))"
    signed = f"iif($this < 0, -1 * {quotient}, {quotient})"
    if digits:
        signed = f"({signed}) / {scale}"
    return f"({numerator}).select({signed})"


def _score_expression(definition: ScoreDefinition, members: list[str]) -> tuple[str, bool]:
    size = len(members)
    need = _needed(definition, size)
    rule = definition.missing
    exact = True
    weights: list[Fraction] = []
    if need == size:
        # Nothing may be missing: FHIRPath's ``+`` is empty when an operand is, which is exactly
        # the rule, and each member is evaluated once.
        if definition.method == "weighted_sum":
            assert definition.weights is not None
            names = definition.items or definition.scores
            terms = []
            for member, name in zip(members, names, strict=True):
                text, ok = _literal(exact_number(definition.weights[name]))
                exact = exact and ok
                terms.append(f"({member}) * {text}")
        else:
            terms = [f"({member})" for member in members]
        plain = " + ".join(terms)
        if definition.method == "mean":
            return f"({plain}) / {size}", False
        return plain, exact
    if definition.method == "weighted_sum":
        assert definition.weights is not None
        names = definition.items or definition.scores
        weights = [exact_number(definition.weights[name]) for name in names]
        terms = []
        for member, weight in zip(members, weights, strict=True):
            text, ok = _literal(weight)
            exact = exact and ok
            terms.append(f"({member}) * {text}")
        values = _combined(terms)
    else:
        values = _combined(members)
    total = f"{values}.aggregate($this + $total, 0)"
    count = f"{values}.count()"
    if definition.method == "mean":
        return f"iif({count} >= {need}, {total} / {count})", False
    if rule.impute != "prorate":
        return f"iif({count} >= {need}, {total})", exact
    # Prorating: only when something is missing (a complete set is never rounded).
    if weights:
        all_weight, ok = _literal(sum(weights, Fraction(0)))
        exact = exact and ok
        answered = _combined(
            [f"({m}).select({_literal(w)[0]})" for m, w in zip(members, weights, strict=True)]
        )
        numerator = f"{total} * {all_weight}"
        denominator = f"{answered}.aggregate($this + $total, 0)"
    else:
        numerator = f"{total} * {size}"
        denominator = count
    if rule.round is None:
        prorated = f"{numerator} / ({denominator})"
        exact = False
    else:
        prorated = _round_half_away(numerator, denominator, rule.round)
    return f"iif({count} = {size}, {total}, iif({count} >= {need}, {prorated}))", exact


def _transformed(definition: ScoreDefinition, expression: str) -> tuple[str, bool]:
    transform = definition.transform
    if transform is None:
        return expression, True
    to_low, to_high = (exact_number(t) for t in transform.to)
    raw_low, raw_high = definition.raw_range
    factor = (to_high - to_low) / (raw_high - raw_low)
    low_text, low_ok = _literal(to_low)
    raw_text, raw_ok = _literal(Fraction(raw_low))
    if _terminates(factor):
        scaled, ok = f"* {_literal(factor)[0]}", True
    else:
        span = _literal(to_high - to_low)[0]
        raw_span = _literal(Fraction(raw_high - raw_low))[0]
        scaled, ok = f"* {span} / {raw_span}", False
    body = f"{low_text} + ($this - {raw_text}) {scaled}"
    return f"({expression}).select({body})", low_ok and raw_ok and ok


def score_expressions(scale: Scale) -> dict[str, ScoreExpression]:
    """The FHIRPath expression of every score of ``scale``, in score order.

    A score whose method is a plugin's (or that is built from such a score) gets
    ``expression=None`` and the reason.
    """
    items = {item.id: _item_expression(item) for item in scale.items}
    done: dict[str, ScoreExpression] = {}
    for definition in scale.scores:
        if definition.method not in BUILTIN_METHODS:
            done[definition.id] = ScoreExpression(
                None,
                False,
                f"scoring method {definition.method!r} is a plugin's: its arithmetic is not "
                "known to alliancekit and cannot be written in FHIRPath; score the response "
                "with alliancekit",
            )
            continue
        if definition.items:
            members = [items[i] for i in definition.items]
            exact = True
        else:
            parts = [done[s] for s in definition.scores]
            broken = [s for s, p in zip(definition.scores, parts, strict=True) if not p.expression]
            if broken:
                done[definition.id] = ScoreExpression(
                    None,
                    False,
                    f"built from score(s) {', '.join(broken)} that FHIRPath cannot express",
                )
                continue
            members = [p.expression for p in parts if p.expression is not None]
            exact = all(p.exact for p in parts)
        expression, ok = _score_expression(definition, members)
        expression, transform_ok = _transformed(definition, expression)
        done[definition.id] = ScoreExpression(expression, exact and ok and transform_ok)
    return done
