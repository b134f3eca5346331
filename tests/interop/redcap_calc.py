"""A test-only evaluator of REDCap calculations, over the parse tree of
``alliancekit.redcap._calc`` and exact fractions: a blank field is ``None``, arithmetic with a
blank is blank (as REDCap's operators), ``sum()``/``mean()`` skip blanks (as REDCap's do), and
``if`` evaluates only the branch it takes."""

from __future__ import annotations

import csv
import io
import math
from fractions import Fraction
from typing import Any

from alliancekit.redcap._calc import Node, parse_calc

Value = Any


def _blank(value: Value) -> bool:
    return value is None or value == ""


def evaluate(node: Node, data: dict[str, Fraction | None]) -> Value:
    """The value of a calculation with field values ``data`` (``None`` = blank)."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "str":
        return node[1]
    if kind == "var":
        return data[node[1]]
    if kind == "neg":
        value = evaluate(node[1], data)
        return None if _blank(value) else -value
    if kind == "call":
        name, args = node[1], node[2]
        if name == "if":
            condition, yes, no = args
            return evaluate(yes if evaluate(condition, data) else no, data)
        values = [evaluate(a, data) for a in args]
        present = [v for v in values if not _blank(v)]
        if name == "sum":
            return sum(present, Fraction(0)) if present else None
        if name == "mean":
            return Fraction(sum(present, Fraction(0)), len(present)) if present else None
        if name == "abs":
            return None if _blank(values[0]) else abs(values[0])
        if name == "rounddown":
            number, digits = values
            if _blank(number):
                return None
            scale = 10 ** int(digits)
            return Fraction(math.trunc(number * scale), scale)
        raise AssertionError(f"function {name} not in the test evaluator")
    assert kind == "bin"
    op, left, right = node[1], evaluate(node[2], data), None
    if op in ("and", "or"):
        right = evaluate(node[3], data)
        return (left and right) if op == "and" else (left or right)
    right = evaluate(node[3], data)
    if op in ("=", "<>") and ("" in (left, right)):
        equal = _blank(left) and _blank(right)
        return equal if op == "=" else not equal
    if _blank(left) or _blank(right):
        return None
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return None if right == 0 else Fraction(left) / right
    if op == "^":
        return Fraction(left) ** int(right)
    return {
        "=": left == right,
        "<>": left != right,
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
    }[op]


def rows(dictionary: str) -> list[dict[str, str]]:
    """The rows of a data dictionary as dicts by column name."""
    return list(csv.DictReader(io.StringIO(dictionary)))


def run_calcs(dictionary: str, fields: dict[str, Fraction | None]) -> dict[str, Value]:
    """Evaluate every calc field in order (a calc may use an earlier one); blank is ``None``."""
    data = dict(fields)
    for row in rows(dictionary):
        if row["Field Type"] == "calc":
            value = evaluate(parse_calc(row["Choices, Calculations, OR Slider Labels"]), data)
            data[row["Variable / Field Name"]] = None if _blank(value) else value
    return data
