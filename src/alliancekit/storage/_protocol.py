"""The storage protocol every backend implements, and the records a store gives back.

A backend is anything that satisfies :class:`Store`; the built-in SQLite and PostgreSQL stores do,
and a plugin's backend must too (run :mod:`alliancekit.testing.storage_conformance` against it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Literal, Protocol, runtime_checkable

import attrs

from alliancekit.document import Scale
from alliancekit.scoring import AnswerValue, Score, ScoreResult

__all__ = ["Administration", "RecordId", "Store", "StoreFactory", "StoredRecord"]

#: Record ids are positive integers, increasing in the order records were saved, never reused.
RecordId = int


@attrs.frozen(kw_only=True)
class Administration:
    """One administration to save with :meth:`Store.save_many`.

    :ivar result: what scoring returned.
    :ivar respondent: the caller's identifier of the person; the store keeps only a keyed hash.
    :ivar occasion: the session or measurement number (0 to 2**31 - 1).
    :ivar administered_at: when the scale was filled in (timezone-aware), if known.
    :ivar administered_by: who administered it (e.g. a clinician id), if known.
    """

    result: ScoreResult
    respondent: str = attrs.field(repr=False)
    occasion: int
    administered_at: dt.datetime | None = None
    administered_by: str | None = None


@attrs.frozen(kw_only=True)
class StoredRecord:
    """One stored administration: the result as it was scored, plus its metadata.

    It has ``.scores``, ``.answers``, ``.warnings`` and :meth:`values` like a
    :class:`~alliancekit.ScoreResult`; :meth:`to_result` gives the result itself.

    :ivar id: the record id.
    :ivar respondent_key: the pseudonymous respondent key (a keyed hash of the identifier the
        caller passed, see :meth:`Store.respondent_key`); the identifier itself is never stored.
    :ivar occasion: the session or measurement number.
    :ivar scale_id: id of the scale that scored the answers.
    :ivar scale_version: its version.
    :ivar scale_sha256: sha256 of its canonical document, which the store keeps.
    :ivar status: ``verified`` or ``provisional``.
    :ivar answers: item id -> answer (``None`` = missing), in item order.
    :ivar scores: score id -> :class:`~alliancekit.Score`, in the scale's order.
    :ivar warnings: the result's warnings.
    :ivar administered_at: when the scale was filled in (UTC), if known.
    :ivar administered_by: who administered it, if known.
    :ivar saved_at: when the record was saved (UTC).
    :ivar amends: id of the record this one corrects, or ``None`` for an original record.
    :ivar amend_reason: why the correction was made (``None`` for an original record).
    :ivar superseded_by: id of the record that corrects this one, or ``None`` when this record is
        current. Derived when the record is read; the stored record itself never changes.
    """

    id: RecordId
    respondent_key: str = attrs.field(repr=False)
    occasion: int
    scale_id: str
    scale_version: str
    scale_sha256: str
    status: Literal["verified", "provisional"]
    answers: Mapping[str, AnswerValue]
    scores: Mapping[str, Score]
    warnings: tuple[str, ...] = ()
    administered_at: dt.datetime | None = None
    administered_by: str | None = None
    saved_at: dt.datetime
    amends: RecordId | None = None
    amend_reason: str | None = None
    superseded_by: RecordId | None = None

    def values(self) -> dict[str, float | None]:
        """Score id -> value (``None`` where the missing-data rule failed)."""
        return {score_id: score.value for score_id, score in self.scores.items()}

    def to_result(self) -> ScoreResult:
        """The stored :class:`~alliancekit.ScoreResult`, exactly as it was saved."""
        return ScoreResult(
            scale_id=self.scale_id,
            scale_version=self.scale_version,
            scale_sha256=self.scale_sha256,
            status=self.status,
            answers=dict(self.answers),
            scores=dict(self.scores),
            warnings=self.warnings,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this record (timestamps as ISO 8601 strings)."""

        def iso(moment: dt.datetime | None) -> str | None:
            return None if moment is None else moment.isoformat()

        return {
            "id": self.id,
            "respondent_key": self.respondent_key,
            "occasion": self.occasion,
            "administered_at": iso(self.administered_at),
            "administered_by": self.administered_by,
            "saved_at": iso(self.saved_at),
            "amends": self.amends,
            "amend_reason": self.amend_reason,
            "superseded_by": self.superseded_by,
            **self.to_result().to_dict(),
        }


@runtime_checkable
class Store(Protocol):
    """What every storage backend provides. Errors are :class:`~alliancekit.StorageError`.

    Records are immutable. A store is a context manager that closes itself; one store object may
    be shared by the threads of one process, but not across a ``fork``: open one per process.
    """

    def save(
        self,
        result: ScoreResult,
        *,
        respondent: str,
        occasion: int,
        administered_at: dt.datetime | None = None,
        administered_by: str | None = None,
        answers: Mapping[str, AnswerValue] | None = None,
        scale: Scale | None = None,
    ) -> RecordId:
        """Save one administration in one transaction and return the new record's id.

        The result must be what its scale gives for its answers (it is re-scored to check).
        ``answers``, when given, must agree with ``result.answers``. ``scale`` is needed only when
        the store does not hold the result's scale document yet and the catalogue's scale with
        that id is a different version.

        :raises StorageError: for a bad argument, a result that does not match its scale, an
            occasion already stored for this respondent and scale (use :meth:`amend`), or a
            database failure.
        """
        ...

    def save_many(
        self, administrations: Iterable[Administration], *, scale: Scale | None = None
    ) -> list[RecordId]:
        """Save many administrations in one transaction (all or none); return their ids in order.

        :raises StorageError: as :meth:`save`; nothing is saved then.
        """
        ...

    def amend(
        self,
        record_id: RecordId,
        new_result: ScoreResult,
        reason: str,
        *,
        scale: Scale | None = None,
    ) -> RecordId:
        """Save ``new_result`` as a correction of record ``record_id``; return the new id.

        The correction keeps the respondent, occasion and administration metadata of the record
        it amends and must be for the same scale id. Only the latest record of a chain can be
        amended.

        :raises StorageError: for an unknown id, an already amended record, another scale id, an
            empty reason, or as :meth:`save`.
        """
        ...

    def get(self, record_id: RecordId) -> StoredRecord:
        """Return the record with this id (superseded or not).

        :raises StorageError: when there is no such record.
        """
        ...

    def history(
        self, respondent: str, scale_id: str, *, include_superseded: bool = False
    ) -> list[StoredRecord]:
        """Return the respondent's records of this scale in occasion order (then save order).

        By default an amended record is replaced by its latest amendment; with
        ``include_superseded=True`` every record is returned and superseded ones have
        ``superseded_by`` set. An unknown respondent has an empty history.
        """
        ...

    def respondent_key(self, respondent: str) -> str:
        """The pseudonymous key this store keeps for a respondent identifier (hex)."""
        ...

    def scale_for(self, record: StoredRecord | RecordId) -> Scale:
        """Return the scale, loaded from the document stored with the record.

        :raises StorageError: when there is no such record.
        """
        ...

    def rescore(self, record_id: RecordId) -> ScoreResult:
        """Score the record's answers again with its stored scale document.

        :raises StorageError: when there is no such record or its scale cannot score it.
        """
        ...

    def export(self) -> Iterator[str]:
        """The whole store as JSON Lines, each string one line ending in a newline.

        First a header line, then one ``"type": "scale"`` line per stored scale document, then
        one ``"type": "record"`` line per record in id order. ``file.writelines(store.export())``
        writes a file.
        """
        ...

    def erase_respondent(self, respondent: str) -> int:
        """Delete every record of this respondent, amendments included; return how many.

        :raises StorageError: when the deletion could not be made complete on disk (the message
            says what to do).
        """
        ...

    def close(self) -> None:
        """Close the store; using it afterwards raises :class:`~alliancekit.StorageError`."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


#: What a storage backend registers: called with the whole URL, returns an open store.
StoreFactory = Callable[[str], Store]
