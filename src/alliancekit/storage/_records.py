"""Backend-neutral record handling: checking what is saved, keying respondents, row encoding.

Every SQL backend stores the same columns; this module turns an :class:`Administration` into
those values and rows back into a :class:`StoredRecord`, so the backends hold only SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from alliancekit.document import Scale
from alliancekit.errors import AllianceKitError, StorageError, UnknownScaleError
from alliancekit.scoring import AnswerValue, Score, ScoreResult, slot_setters
from alliancekit.storage._protocol import StoredRecord

__all__ = [
    "MAX_OCCASION",
    "RECORD_COLUMNS",
    "RECORD_SELECT",
    "SCORE_COLUMNS",
    "PreparedRecord",
    "check_answers_agree",
    "check_reason",
    "check_respondent",
    "decode_records",
    "prepare",
    "pseudonym",
    "score_rows",
    "unstored_scale",
    "v1_score_rows",
    "verify_against",
]

MAX_OCCASION = 2**31 - 1

#: Columns of ``records`` as written by :func:`prepare` (``id`` is assigned by the database).
RECORD_COLUMNS = (
    "respondent_key",
    "scale_id",
    "occasion",
    "scale_version",
    "scale_sha256",
    "status",
    "administered_at",
    "administered_by",
    "saved_at",
    "answers",
    "warnings",
    "amends",
    "amend_reason",
)

#: Columns of ``scores``; ``position`` keeps the scale's order of scores.
SCORE_COLUMNS = (
    "record_id",
    "position",
    "score_id",
    "value",
    "n_answered",
    "n_missing",
    "imputed",
    "reason",
    "range_low",
    "range_high",
)


def pseudonym(secret: bytes, respondent: str) -> str:
    """The pseudonymous key of a respondent: HMAC-SHA256 of its UTF-8 bytes, lowercase hex."""
    return hmac.new(secret, respondent.encode("utf-8"), hashlib.sha256).hexdigest()


def check_respondent(respondent: object) -> str:
    """Return ``respondent`` if it is a non-empty string.

    :raises StorageError: otherwise (the message never contains the value).
    """
    if not isinstance(respondent, str) or not respondent:
        raise StorageError("respondent must be a non-empty string")
    return check_unicode("respondent", respondent)


def check_unicode(name: str, text: str) -> str:
    """Return ``text`` if it can be written as UTF-8 (no lone surrogate such as ``"\\ud800"``).

    :raises StorageError: otherwise, naming ``name`` (the message never contains the value).
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise StorageError(
            f"{name} must be valid Unicode text (it holds a lone surrogate, \\ud800-\\udfff)"
        ) from None
    return text


def check_reason(reason: object) -> str:
    """Return an amendment reason if it is a string with some non-blank text.

    :raises StorageError: otherwise.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise StorageError("an amendment needs a reason (a non-empty string)")
    return check_unicode("the reason", reason)


def check_answers_agree(result: ScoreResult, answers: Mapping[str, AnswerValue] | None) -> None:
    """Check that answers passed next to a result are the result's own answers.

    An item absent from ``answers`` counts as missing (``None``); ``4`` and ``4.0`` agree.

    :raises StorageError: when an item differs or is not an item of the result's scale.
    """
    if answers is None:
        return
    unknown = sorted(set(answers) - set(result.answers))
    if unknown:
        raise StorageError(f"answers= has items the result does not have: {', '.join(unknown)}")
    differing = [
        item_id
        for item_id, value in result.answers.items()
        if not _same_answer(answers.get(item_id), value)
    ]
    if differing:
        raise StorageError(
            "answers= disagrees with the result's answers for items: " + ", ".join(differing)
        )


def _same_answer(given: object, stored: AnswerValue) -> bool:
    if given is None or stored is None:
        return given is None and stored is None
    return not isinstance(given, bool) and isinstance(given, int | float) and given == stored


def unstored_scale(result: ScoreResult, scale: Scale | None) -> Scale:
    """The document of a result whose scale the store does not hold yet: ``scale`` when it is
    that document, else the catalogue's scale of that id when it is.

    :raises StorageError: when neither is the result's document (the message says to pass
        ``scale=``).
    """
    if scale is not None and scale.sha256 == result.scale_sha256:
        return scale
    from alliancekit.plugins import get_scale

    try:
        current = get_scale(result.scale_id)
    except UnknownScaleError:
        current = None
    if current is not None and current.sha256 == result.scale_sha256:
        return current
    raise StorageError(
        f"the store does not hold scale {result.scale_id!r} version {result.scale_version} "
        f"(sha256 {result.scale_sha256[:12]}…) and the catalogue has no such document; "
        "pass the Scale that scored the result as scale="
    )


def verify_against(result: ScoreResult, scale: Scale) -> None:
    """Check that ``result`` is exactly what ``scale`` gives for the result's answers.

    :raises StorageError: when the scale is another document, cannot score the answers, or
        gives other scores.
    """
    if scale.sha256 != result.scale_sha256:
        raise StorageError(
            f"scale {scale.id!r} version {scale.version} (sha256 {scale.sha256[:12]}…) is not "
            f"the document that scored this result (sha256 {result.scale_sha256[:12]}…)"
        )
    try:
        again = scale.score(result.answers, notify=False)
    except AllianceKitError as error:
        raise StorageError(f"the result's answers cannot be scored by its scale: {error}") from None
    if again.scores != result.scores or again.status != result.status:
        raise StorageError(
            f"the result's scores are not what scale {result.scale_id!r} version "
            f"{result.scale_version} gives for its answers; refusing to store them"
        )
    if again.warnings != result.warnings:
        raise StorageError(
            f"the result's warnings are not the ones scale {result.scale_id!r} version "
            f"{result.scale_version} gives (each names a provisional fact the scores rest on); "
            "refusing to store them"
        )


@attrs.frozen(kw_only=True)
class PreparedRecord:
    """The column values of one record, ready for the database, and its scores (rows of
    :func:`score_rows` once the record has its id)."""

    values: tuple[Any, ...]
    scores: tuple[Score, ...]


def _check_occasion(occasion: object) -> int:
    if isinstance(occasion, bool) or not isinstance(occasion, int):
        raise StorageError(f"occasion must be an int (got {type(occasion).__name__})")
    if not 0 <= occasion <= MAX_OCCASION:
        got = occasion if abs(occasion) < 10**20 else "a number too large"
        raise StorageError(f"occasion must be between 0 and {MAX_OCCASION} (got {got})")
    return occasion


def _check_moment(moment: object) -> str | None:
    if moment is None:
        return None
    if not isinstance(moment, dt.datetime):
        raise StorageError(f"administered_at must be a datetime (got {type(moment).__name__})")
    if moment.utcoffset() is None:
        raise StorageError("administered_at must be timezone-aware (e.g. tzinfo=datetime.UTC)")
    return moment.astimezone(dt.timezone.utc).isoformat()


def _check_text(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise StorageError(f"{name} must be a string or None (got {type(value).__name__})")
    return None if value is None else check_unicode(name, value)


_LAST_ISO: tuple[dt.datetime, str] | None = None


def _iso(moment: dt.datetime) -> str:
    """``moment.isoformat()``, remembered for the last moment (a batch shares its saved_at)."""
    global _LAST_ISO
    last = _LAST_ISO
    if last is not None and last[0] is moment:
        return last[1]
    text = moment.isoformat()
    _LAST_ISO = (moment, text)
    return text


def prepare(
    result: ScoreResult,
    *,
    key: str,
    occasion: object,
    administered_at: object,
    administered_by: object,
    saved_at: dt.datetime,
    amends: int | None = None,
    amend_reason: str | None = None,
) -> PreparedRecord:
    """Check a record's metadata and encode it as :data:`RECORD_COLUMNS` values.

    The result itself must already be verified (:func:`verify_against`).

    :raises StorageError: for a bad occasion, timestamp or ``administered_by``.
    """
    values = (
        key,
        result.scale_id,
        _check_occasion(occasion),
        result.scale_version,
        result.scale_sha256,
        result.status,
        _check_moment(administered_at),
        _check_text("administered_by", administered_by),
        _iso(saved_at),
        _dump(result.answers if type(result.answers) is dict else dict(result.answers)),
        _warnings_text(result.warnings),
        amends,
        amend_reason,
    )
    return PreparedRecord(values=values, scores=tuple(result.scores.values()))


def score_rows(record_id: int, scores: Iterable[Score]) -> list[tuple[Any, ...]]:
    """The :data:`SCORE_COLUMNS` rows of a record's scores (in the scale's order)."""
    return [
        (
            record_id,
            position,
            s.id,
            s.value,
            s.n_answered,
            s.n_missing,
            s.imputed,
            s.reason,
            *s.range,
        )
        for position, s in enumerate(scores)
    ]


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


# JSONEncoder.encode builds a new C encoder on every call; the store encodes only dicts and lists
# of scalars (answers, warnings), so one C encoder with the same settings is made once (no
# circular-reference markers: scalars cannot hold a cycle).
_C_ENCODE = (
    json.encoder.c_make_encoder(  # type: ignore[attr-defined]
        None,
        _ENCODER.default,
        json.encoder.encode_basestring,
        None,
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        False,
        False,
        False,
    )
    if getattr(json.encoder, "c_make_encoder", None) is not None
    else None
)


def _dump(value: object) -> str:
    if _C_ENCODE is None or not isinstance(value, (dict, list)):
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]


def _load(value: Any) -> Any:
    # PostgreSQL's json columns arrive decoded; SQLite's text columns do not.
    if not isinstance(value, str):
        return value
    # The store writes compact JSON: scan it directly (json.loads adds two regex passes for
    # white space around it); anything else, an error included, goes through json.loads.
    try:
        decoded, end = _SCAN(value, 0)
    except (StopIteration, ValueError):
        return json.loads(value)
    return decoded if end == len(value) else json.loads(value)


# Reading a history decodes the same texts again and again (a batch shares its saved_at, most
# records have no warnings, a score takes few distinct rows), and saving encodes each scale's
# warnings for every record: what they decode or encode to is immutable, so it is remembered,
# up to this many of each. (Each cache is read inline, not through a shared helper: these are
# the per-record paths.)
_REMEMBERED = 4096
_MOMENTS: dict[str, dt.datetime] = {}
_WARNINGS: dict[str, tuple[str, ...]] = {}
_WARNING_TEXTS: dict[tuple[str, ...], str] = {}
_SCORES: dict[tuple[Any, ...], Score] = {}


def _warnings_text(warnings: tuple[str, ...]) -> str:
    """The JSON text of a verified result's warnings: its scale's (:func:`verify_against`),
    which all its results share, so remembered."""
    text = _WARNING_TEXTS.get(warnings)
    if text is None:
        text = _dump(list(warnings))
        if len(_WARNING_TEXTS) < _REMEMBERED:
            _WARNING_TEXTS[warnings] = text
    return text


def _moment(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        moment = _MOMENTS.get(value)
        if moment is None:
            moment = dt.datetime.fromisoformat(value).astimezone(dt.timezone.utc)
            if len(_MOMENTS) < _REMEMBERED:
                _MOMENTS[value] = moment
        return moment
    return value.astimezone(dt.timezone.utc)  # type: ignore[no-any-return]


def _warnings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, str):
        return tuple(value)
    warnings = _WARNINGS.get(value)
    if warnings is None:
        warnings = tuple(_load(value))
        if len(_WARNINGS) < _REMEMBERED:
            _WARNINGS[value] = warnings
    return warnings


def _score(row: Sequence[Any]) -> Score:
    """The Score of one row of score columns (remembered by the row's values)."""
    # Rows that compare equal decode to equal Scores (1 and 1.0 both become 1.0, True and 1
    # both 1), so the row itself is the key. A value that is not finite raises before it
    # could be remembered.
    key = tuple(row)
    score = _SCORES.get(key)
    if score is None:
        score_id, value, n_answered, n_missing, imputed, reason, low, high = row
        score = Score(
            id=score_id,
            value=_number(value),
            n_answered=int(n_answered),
            n_missing=int(n_missing),
            imputed=bool(imputed),
            reason=reason,
            range=(float(low), float(high)),
        )
        if len(_SCORES) < _REMEMBERED:
            _SCORES[key] = score
    return score


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        raise StorageError("a stored score is not a finite number; the database is damaged")
    return number


#: Columns a record query selects, in this order, followed by the score columns.
RECORD_SELECT = (*("id", *RECORD_COLUMNS), "superseded_by")


# Reading a history builds many records from values already decoded here; setting their slots
# directly skips the generated __init__ (see slot_setters). In the field order of StoredRecord.
_RECORD_SETTERS = slot_setters(
    StoredRecord,
    (
        "id",
        "respondent_key",
        "occasion",
        "scale_id",
        "scale_version",
        "scale_sha256",
        "status",
        "answers",
        "scores",
        "warnings",
        "administered_at",
        "administered_by",
        "saved_at",
        "amends",
        "amend_reason",
        "superseded_by",
    ),
)
_RECORD_WIDTH = len(RECORD_SELECT)


def decode_records(rows: Iterable[Sequence[Any]]) -> list[StoredRecord]:
    """Build the records of rows of :data:`RECORD_SELECT` followed by the score columns
    (``score_id, value, n_answered, n_missing, imputed, reason, range_low, range_high``): one
    row per score, the rows of a record consecutive and in its scores' order."""
    records: list[StoredRecord] = []
    first: Sequence[Any] | None = None
    scores: dict[str, Score] = {}
    for row in rows:
        if first is None or row[0] != first[0]:
            if first is not None:
                records.append(_decode_record(first, scores))
            first, scores = row, {}
        scores[row[_RECORD_WIDTH]] = _score(row[_RECORD_WIDTH:])
    if first is not None:
        records.append(_decode_record(first, scores))
    return records


def _decode_record(row: Sequence[Any], scores: dict[str, Score]) -> StoredRecord:
    (
        record_id,
        key,
        scale_id,
        occasion,
        version,
        sha256,
        status,
        administered_at,
        administered_by,
        saved_at,
        answers,
        warnings,
        amends,
        amend_reason,
        superseded_by,
    ) = row[:_RECORD_WIDTH]
    saved = _moment(saved_at)
    assert saved is not None  # NOT NULL column
    record = object.__new__(StoredRecord)
    (
        set_id,
        set_key,
        set_occasion,
        set_scale_id,
        set_version,
        set_sha256,
        set_status,
        set_answers,
        set_scores,
        set_warnings,
        set_administered_at,
        set_administered_by,
        set_saved_at,
        set_amends,
        set_amend_reason,
        set_superseded_by,
    ) = _RECORD_SETTERS
    set_id(record, int(record_id))
    set_key(record, key)
    set_occasion(record, int(occasion))
    set_scale_id(record, scale_id)
    set_version(record, version)
    set_sha256(record, sha256)
    set_status(record, "verified" if status == "verified" else "provisional")
    set_answers(record, _load(answers))
    set_scores(record, scores)
    set_warnings(record, _warnings(warnings))
    set_administered_at(record, _moment(administered_at))
    set_administered_by(record, administered_by)
    set_saved_at(record, saved)
    set_amends(record, None if amends is None else int(amends))
    set_amend_reason(record, amend_reason)
    set_superseded_by(record, None if superseded_by is None else int(superseded_by))
    return record


def v1_score_rows(record_id: int, scores: Any) -> list[tuple[Any, ...]]:
    """:data:`SCORE_COLUMNS` rows from a schema-1 ``records.scores`` JSON object.

    Schema 1 kept each record's scores as one JSON object, score id -> ``Score.to_dict()``, in
    the scale's order; schema 2 keeps them as rows of ``scores``.
    """
    return [
        (
            record_id,
            position,
            score_id,
            s["value"],
            s["n_answered"],
            s["n_missing"],
            bool(s["imputed"]),
            s["reason"],
            s["range"][0],
            s["range"][1],
        )
        for position, (score_id, s) in enumerate(_load(scores).items())
    ]
