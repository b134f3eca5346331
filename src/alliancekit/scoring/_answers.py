"""Checking one answer against its item's response set, and reading answers written as text.

Every path into the scoring engine (a mapping given to :meth:`Scale.score`, a row of a table, a
cell of a CSV file) ends in :func:`check_value`, so they accept and reject exactly the same
answers, with the same issue codes and messages:

``unknown-item``, ``value-not-an-option``, ``out-of-range``, ``boolean-not-allowed``,
``not-finite``, ``number-too-large`` (an integer of hundreds of digits), ``inexact-number``
(text such as ``3.0000000000000001`` that no float holds exactly), ``wrong-type``,
``not-a-number`` (text that is no number, with ``coerce``) and ``not-a-mapping``.

A message never repeats text from the answers (it could be a name, or a phone number, typed into
the wrong column): it gives the text's length.
"""

from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from alliancekit.errors import ResponseIssue
from alliancekit.scoring._exact import Exact, exact
from alliancekit.scoring._results import AnswerValue

if TYPE_CHECKING:
    from alliancekit.model import Item

__all__ = [
    "MISSING_TEXT",
    "AnswerValue",
    "ItemCheck",
    "check_text",
    "check_value",
    "key_label",
    "parse_text",
]

#: Text that stands for a missing answer when coercing (after stripping white space).
MISSING_TEXT = frozenset({"", "NA", "N/A", "NaN", "nan", "null", "None"})

_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_MAX_DIGITS = 400
_KEY_CHARS = 40
_NUMBER_CHARS = 40


def key_label(key: object) -> str:
    """An answer key as an issue's ``item_id``: the key itself when it is text (shortened to 40
    characters), the ``repr`` of a number, and ``<type>`` for any other key (whose ``repr`` could
    nest without limit or run a caller's code)."""
    if isinstance(key, str):
        text = key
    elif type(key) in (bool, float) or (type(key) is int and -_HUGE < key < _HUGE):
        text = repr(key)
    else:
        text = f"<{type(key).__name__}>"
    return text if len(text) <= _KEY_CHARS else text[: _KEY_CHARS - 1] + "…"


class ItemCheck:
    """How one item's answers are checked and keyed; built once per scale by the scoring plan.

    :ivar index: the item's position in the scale.
    :ivar allowed: the option values of an ordinal item (empty for a continuous one).
    :ivar low: lowest valid answer; :ivar high: highest.
    :ivar reverse_sum: ``min + max`` (exact) of a reversed item, ``None`` otherwise.
    """

    __slots__ = (
        "allowed",
        "high",
        "id",
        "index",
        "low",
        "options",
        "ordinal",
        "reverse_sum",
        "texts",
    )

    def __init__(self, index: int, item: Item) -> None:
        rs = item.response_set
        assert rs.min is not None and rs.max is not None  # guaranteed by the loader
        self.index = index
        self.id = item.id
        self.ordinal = rs.kind == "ordinal"
        self.allowed: frozenset[int] = rs.values
        self.low: float = rs.min
        self.high: float = rs.max
        self.options = ", ".join(str(v) for v in sorted(self.allowed))
        self.reverse_sum: Exact | None = exact(rs.min) + exact(rs.max) if item.reverse else None
        #: text -> what :func:`check_value` makes of it with ``coerce`` (a file has few texts)
        self.texts: dict[str, AnswerValue | ResponseIssue] = {}


def _shown(value: object) -> str:
    """A value for a message: numbers in full (shortened); text never, only its length (text that
    looks like a number may be a phone number or a record number typed into the wrong column);
    nothing for any other value (its type is named instead)."""
    if isinstance(value, str):
        return f"text of {len(value)} character{'s' if len(value) != 1 else ''}"
    if isinstance(value, int) and not -_HUGE < value < _HUGE:
        return "an integer too large to show"
    if not isinstance(value, numbers.Number):
        # Never the repr of bytes, a container or an arbitrary object: it may hold text, nest
        # 100,000 levels deep (RecursionError) or run a caller's __repr__.
        return ""
    text = repr(value)
    return text if len(text) <= _NUMBER_CHARS else text[: _NUMBER_CHARS - 1] + "…"


def parse_text(text: str) -> int | float | str | None:
    """Read an answer written as text (a CSV cell, a form field).

    :returns: ``None`` for a missing answer (see :data:`MISSING_TEXT`), an ``int`` for a whole
        number written without a decimal point, a ``float`` for any other decimal number, or the
        original text when it is not a number (``inf``, ``1_000`` and ``0x10`` are not) or is a
        decimal that no float holds exactly (``3.0000000000000001`` would be read as 3, and
        ``1e-400`` as 0: scores are computed on each answer's decimal value, so such text is
        refused, see :func:`check_value`). A number too large for a float (``1e999``, an
        integer of more than 400 digits) is an infinite float, which :func:`check_value`
        reports as ``not-finite`` (``number-too-large`` for the integer, whose digits Python
        would refuse to read).
    """
    stripped = text.strip()
    if stripped in MISSING_TEXT:
        return None
    if _INTEGER_TEXT.fullmatch(stripped):
        # Python reads at most 4,300 digits; a longer integer is beyond every range anyway.
        return int(stripped) if len(stripped) <= _MAX_DIGITS else float(stripped)
    if _NUMBER_TEXT.fullmatch(stripped):
        value = float(stripped)
        if math.isfinite(value) and not _holds_exactly(stripped, value):
            return text
        return value
    return text


def _holds_exactly(text: str, value: float) -> bool:
    """Whether ``value`` (read from ``text``) denotes the same decimal number as ``text``: the
    scoring engine computes with the shortest decimal of each float (``repr``)."""
    if len(text) <= 16 and "e" not in text and "E" not in text:
        return True  # at most 15 significant digits: every such decimal round-trips
    return Decimal(text) == Decimal(repr(value))


def _is_boolean(value: object) -> bool:
    kind = type(value)
    return kind is bool or (kind.__module__ == "numpy" and kind.__name__ in {"bool", "bool_"})


def check_text(check: ItemCheck, text: str) -> AnswerValue | ResponseIssue:
    """:func:`check_value` of a text answer with ``coerce``, remembered per item (answers and
    issues are immutable, so a remembered one is as good as a new one)."""
    checked = check.texts.get(text, _UNSEEN)
    if checked is _UNSEEN:
        checked = check_value(check, text, True)
        if len(check.texts) < _TEXTS_REMEMBERED:
            check.texts[text] = checked
    return checked  # type: ignore[return-value]


_UNSEEN = object()
_TEXTS_REMEMBERED = 4096


def check_value(check: ItemCheck, value: object, coerce: bool) -> AnswerValue | ResponseIssue:
    """Check one answer against its item.

    :param coerce: read text such as ``"4"`` or ``" 8.7 "`` (empty text and ``NA`` are missing),
        accept a whole float such as ``4.0`` for an option of an ordinal item, and read a float
        NaN as a missing answer, as tables (``df.to_dict("records")``) and files give them.
        Without it, an ordinal answer must be an ``int``.
    :returns: the answer as it is scored (``int`` or ``float``; ``None`` when missing), or the
        :class:`~alliancekit.errors.ResponseIssue` that rejects it.
    """
    if value is None:
        return None
    if type(value) is float and not check.ordinal and check.low <= value <= check.high:
        # The common mark of a visual-analogue item: a finite float in range is the answer
        # (NaN and infinities fail the range test and go the long way for their message).
        return value
    if coerce and isinstance(value, str):
        parsed = parse_text(value)
        if isinstance(parsed, str):
            if _NUMBER_TEXT.fullmatch(value.strip()):
                return ResponseIssue(
                    item_id=check.id,
                    code="inexact-number",
                    message=f"{check.id!r} must be a number that a float holds exactly (got "
                    f"{_shown(value)} whose decimal value would be rounded; at most 15 "
                    "significant digits are always exact)",
                )
            comma = _NUMBER_TEXT.fullmatch(value.strip().replace(",", ".", 1))
            hint = "; use a point, not a comma, for decimals" if comma else ""
            return ResponseIssue(
                item_id=check.id,
                code="not-a-number",
                message=f"{check.id!r} must be a number (got {_shown(value)}){hint}",
            )
        if parsed is None:
            return None
        if (
            isinstance(parsed, float)
            and math.isinf(parsed)
            and _INTEGER_TEXT.fullmatch(value.strip())
        ):
            return _too_large(check, value)
        value = parsed
    if _is_boolean(value):
        return ResponseIssue(
            item_id=check.id,
            code="boolean-not-allowed",
            message=f"{check.id!r} must be a number, not a boolean ({value!r})",
        )
    if not isinstance(value, numbers.Real):
        hint = "; text is read only when coercing (coerce=True)" if isinstance(value, str) else ""
        return ResponseIssue(
            item_id=check.id,
            code="wrong-type",
            message=f"{check.id!r} must be a number "
            f"(got {' '.join(filter(None, (type(value).__name__, _shown(value))))}){hint}",
        )
    if isinstance(value, numbers.Integral) and not -_HUGE < value < _HUGE:
        return _too_large(check, value)
    if not isinstance(value, numbers.Integral) and not math.isfinite(value):
        if coerce and math.isnan(value):
            return None  # a table's NaN (pandas, NumPy) is its missing value
        return ResponseIssue(
            item_id=check.id,
            code="not-finite",
            message=f"{check.id!r} must be a finite number (got {value!r})",
        )
    if check.ordinal:
        return _check_option(check, value, coerce)
    number = int(value) if isinstance(value, numbers.Integral) else float(value)
    if not check.low <= number <= check.high:
        return ResponseIssue(
            item_id=check.id,
            code="out-of-range",
            message=f"{check.id!r} must be between {check.low:g} and {check.high:g} "
            f"(got {_shown(number)})",
        )
    return number


_HUGE = 10**_MAX_DIGITS


def _too_large(check: ItemCheck, value: object) -> ResponseIssue:
    size = len(value.strip()) if isinstance(value, str) else None
    got = f"an integer of {size} characters" if size else "an integer too large to read"
    return ResponseIssue(
        item_id=check.id,
        code="number-too-large",
        message=f"{check.id!r} must be {_expected(check)} (got {got})",
    )


def _expected(check: ItemCheck) -> str:
    if check.ordinal:
        return f"one of ({check.options})"
    return f"between {check.low:g} and {check.high:g}"


def _check_option(check: ItemCheck, value: numbers.Real, coerce: bool) -> int | ResponseIssue:
    if isinstance(value, numbers.Integral):
        number = int(value)
    elif coerce and float(value).is_integer():
        number = int(float(value))
    elif coerce:
        return ResponseIssue(
            item_id=check.id,
            code="value-not-an-option",
            message=f"{check.id!r} must be one of ({check.options}) (got {_shown(value)})",
        )
    else:
        return ResponseIssue(
            item_id=check.id,
            code="wrong-type",
            message=f"{check.id!r} must be a whole number (int) option of ({check.options}) "
            f"(got {type(value).__name__} {_shown(value)})",
        )
    if number not in check.allowed:
        return ResponseIssue(
            item_id=check.id,
            code="value-not-an-option",
            message=f"{check.id!r} must be one of ({check.options}) (got {_shown(number)})",
        )
    return number
