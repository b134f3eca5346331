"""The store logic shared by the SQL backends; each backend supplies its connection and dialect.

Queries are written once, with ``?`` placeholders, over the tables of schema 2 (see
``sqlite_schema`` and ``postgresql_schema``). A subclass implements the hooks at the bottom.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any

from alliancekit.document import Scale
from alliancekit.errors import AllianceKitError, StorageError
from alliancekit.plugins import load_scale
from alliancekit.scoring import AnswerValue, ScoreResult
from alliancekit.storage._protocol import Administration, RecordId, StoredRecord
from alliancekit.storage._records import (
    SCORE_COLUMNS,
    PreparedRecord,
    check_answers_agree,
    check_reason,
    check_respondent,
    check_unicode,
    decode_records,
    prepare,
    pseudonym,
    score_rows,
    unstored_scale,
    verify_against,
)
from alliancekit.storage._sql_queries import (
    CURRENT_ONLY,
    INSERT_DOCUMENT,
    Conflict,
    Cursor,
    insert_sql,
    select_records,
)

__all__ = ["CONFLICT_MESSAGES", "SQLStore"]

#: What a save that breaks a uniqueness rule says (never which respondent).
CONFLICT_MESSAGES: dict[Conflict, str] = {
    "occasion": "this occasion of this scale is already stored for this respondent; "
    "correct a stored record with amend()",
    "amendment": "that record has already been amended; amend the latest record",
}

#: The largest record id (a signed 64-bit integer in both databases).
MAX_RECORD_ID = 2**63 - 1

#: Records per query when exporting.
EXPORT_PAGE = 500


class SQLStore(abc.ABC):
    """A :class:`~alliancekit.storage.Store` over a SQL database; see the module docstring."""

    #: Name used in error messages, e.g. ``"SQLite"``.
    backend = "SQL"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._closed = False
        self._secret = b""
        self._scales: dict[str, Scale] = {}  # documents known to be stored, by sha256

    # -- the Store protocol ---------------------------------------------------------------------

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
        """Save one administration; see :meth:`Store.save`."""
        _check_result(result)
        check_answers_agree(result, answers)
        administration = Administration(
            result=result,
            respondent=respondent,
            occasion=occasion,
            administered_at=administered_at,
            administered_by=administered_by,
        )
        return self.save_many([administration], scale=scale)[0]

    def save_many(
        self, administrations: Iterable[Administration], *, scale: Scale | None = None
    ) -> list[RecordId]:
        """Save administrations in one transaction; see :meth:`Store.save_many`."""
        batch = list(administrations)
        if not batch:
            return []
        for administration in batch:
            if not isinstance(administration, Administration):
                raise StorageError("save_many takes Administration objects")
            _check_result(administration.result)
        with self._operation():
            new_documents = self._check_scales([a.result for a in batch], scale)
            saved_at = _now()
            keys: dict[str, str] = {}  # a batch often holds several records of one respondent
            prepared = []
            for a in batch:
                key = keys.get(a.respondent) if type(a.respondent) is str else None
                if key is None:
                    key = self._key(a.respondent)
                    if type(a.respondent) is str:
                        keys[a.respondent] = key
                prepared.append(
                    prepare(
                        a.result,
                        key=key,
                        occasion=a.occasion,
                        administered_at=a.administered_at,
                        administered_by=a.administered_by,
                        saved_at=saved_at,
                    )
                )
            ids = self._insert(prepared, new_documents)
        return ids

    def amend(
        self,
        record_id: RecordId,
        new_result: ScoreResult,
        reason: str,
        *,
        scale: Scale | None = None,
    ) -> RecordId:
        """Save a correction; see :meth:`Store.amend`."""
        _check_result(new_result)
        check_reason(reason)
        with self._operation():
            old = self._get(record_id)
            if old.superseded_by is not None:
                raise StorageError(
                    f"record {old.id} was already amended by record {old.superseded_by}; "
                    "amend the latest record of the chain"
                )
            if new_result.scale_id != old.scale_id:
                raise StorageError(
                    f"record {old.id} is for scale {old.scale_id!r}; an amendment cannot change "
                    f"it to {new_result.scale_id!r}"
                )
            new_documents = self._check_scales([new_result], scale)
            prepared = prepare(
                new_result,
                key=old.respondent_key,
                occasion=old.occasion,
                administered_at=old.administered_at,
                administered_by=old.administered_by,
                saved_at=_now(),
                amends=old.id,
                amend_reason=reason,
            )
            return self._insert([prepared], new_documents)[0]

    def get(self, record_id: RecordId) -> StoredRecord:
        """Return one record; see :meth:`Store.get`."""
        with self._operation():
            return self._get(record_id)

    def history(
        self, respondent: str, scale_id: str, *, include_superseded: bool = False
    ) -> list[StoredRecord]:
        """A respondent's records in occasion order; see :meth:`Store.history`."""
        key = self._key(respondent)
        if not isinstance(scale_id, str):
            raise StorageError(f"scale_id must be a string (got {type(scale_id).__name__})")
        check_unicode("scale_id", scale_id)
        where = "WHERE r.respondent_key = ? AND r.scale_id = ?"
        if not include_superseded:
            where += CURRENT_ONLY
        with self._operation():
            return self._select(where, "r.occasion, r.id", (key, scale_id))

    def respondent_key(self, respondent: str) -> str:
        """The pseudonymous key of a respondent; see :meth:`Store.respondent_key`."""
        return self._key(respondent)

    def scale_for(self, record: StoredRecord | RecordId) -> Scale:
        """The scale stored with a record; see :meth:`Store.scale_for`."""
        with self._operation():
            stored = record if isinstance(record, StoredRecord) else self._get(record)
            scale = self._stored_scale(stored.scale_sha256)
        if scale is None:
            raise StorageError(f"the scale document of record {stored.id} is missing")
        return scale

    def rescore(self, record_id: RecordId) -> ScoreResult:
        """Score a record again from its stored document; see :meth:`Store.rescore`."""
        record = self.get(record_id)
        scale = self.scale_for(record)
        try:
            return scale.score(record.answers, notify=False)
        except AllianceKitError as error:
            raise StorageError(f"record {record.id} cannot be re-scored: {error}") from None

    def export(self) -> Iterator[str]:
        """The store as JSON Lines; see :meth:`Store.export`."""
        header = {"type": "alliancekit-export", "format": 1, "exported_at": _now().isoformat()}
        yield _line(header)
        with self._operation(), self._cursor() as cursor:
            cursor.execute(
                self._sql(
                    "SELECT sha256, scale_id, version, document FROM scale_documents "
                    "ORDER BY scale_id, version, sha256"
                )
            )
            documents = cursor.fetchall()
        for sha256, scale_id, version, document in documents:
            yield _line(
                {
                    "type": "scale",
                    "sha256": sha256,
                    "scale_id": scale_id,
                    "version": version,
                    "document": json.loads(document),
                }
            )
        last = 0
        while True:
            with self._operation():
                page = self._select(
                    "WHERE r.id IN (SELECT id FROM records WHERE id > ? ORDER BY id LIMIT ?)",
                    "r.id",
                    (last, EXPORT_PAGE),
                )
            if not page:
                return
            for record in page:
                yield _line({"type": "record", **record.to_dict()})
            last = page[-1].id

    def erase_respondent(self, respondent: str) -> int:
        """Delete a respondent's records; see :meth:`Store.erase_respondent`."""
        key = self._key(respondent)
        with self._operation():
            with self._write() as cursor:
                cursor.execute(
                    self._sql(
                        "DELETE FROM scores WHERE record_id IN "
                        "(SELECT id FROM records WHERE respondent_key = ?)"
                    ),
                    (key,),
                )
                cursor.execute(self._sql("DELETE FROM records WHERE respondent_key = ?"), (key,))
                count = int(cursor.rowcount)
            self._after_erase()
        return count

    def close(self) -> None:
        """Close the store (again is a no-op)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._close()

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- shared machinery --

    def _key(self, respondent: str) -> str:
        return pseudonym(self._secret, check_respondent(respondent))

    @contextlib.contextmanager
    def _operation(self) -> Iterator[None]:
        """Serialise use of the connection and turn database errors into StorageError."""
        with self._lock:
            if self._closed:
                raise StorageError("the store is closed")
            try:
                yield
            except self._database_errors() as error:
                raise self._storage_error(error) from error

    def _storage_error(self, error: Exception) -> StorageError:
        conflict = self._conflict(error)
        if conflict is not None:
            return StorageError(CONFLICT_MESSAGES[conflict])
        return StorageError(f"{self.backend} error: {self._describe(error)}")

    def _get(self, record_id: RecordId) -> StoredRecord:
        if isinstance(record_id, bool) or not isinstance(record_id, int):
            raise StorageError(f"a record id is an int (got {type(record_id).__name__})")
        if not 0 < record_id <= MAX_RECORD_ID:
            shown = f"id {record_id}" if abs(record_id) < 10**20 else "such an id"
            raise StorageError(f"no record with {shown} (record ids are 1 to {MAX_RECORD_ID})")
        records = self._select("WHERE r.id = ?", "r.id", (record_id,))
        if not records:
            raise StorageError(f"no record with id {record_id}")
        return records[0]

    def _select(self, where: str, order: str, params: Sequence[Any]) -> list[StoredRecord]:
        with self._cursor() as cursor:
            cursor.execute(self._sql(select_records(where, order)), params)
            return decode_records(cursor.fetchall())

    def _stored_scale(self, sha256: str) -> Scale | None:
        if sha256 in self._scales:
            return self._scales[sha256]
        with self._cursor() as cursor:
            cursor.execute(
                self._sql("SELECT document FROM scale_documents WHERE sha256 = ?"), (sha256,)
            )
            row = cursor.fetchone()
        if row is None:
            return None
        try:
            scale = load_scale(json.loads(row[0]))
        except (AllianceKitError, ValueError) as error:
            raise StorageError(
                f"the stored scale document {sha256[:12]}… is invalid: {error}"
            ) from None
        if scale.sha256 != sha256:
            raise StorageError(
                f"the stored scale document {sha256[:12]}… does not match its sha256"
            )
        self._scales[sha256] = scale
        return scale

    def _check_scales(self, results: Sequence[ScoreResult], scale: Scale | None) -> list[Scale]:
        """Verify each result against its scale document; return the documents to insert."""
        if scale is not None and all(r.scale_sha256 != scale.sha256 for r in results):
            verify_against(results[0], scale)  # raises, naming both documents
        by_sha: dict[str, Scale] = {}
        new: list[Scale] = []
        for result in results:
            document = by_sha.get(result.scale_sha256)
            if document is None:
                document = self._stored_scale(result.scale_sha256)
                if document is None:
                    document = unstored_scale(result, scale)
                    new.append(document)
                by_sha[result.scale_sha256] = document
            verify_against(result, document)
        return new

    def _insert(self, prepared: Sequence[PreparedRecord], documents: Sequence[Scale]) -> list[int]:
        with self._write() as cursor:
            if documents:
                cursor.executemany(
                    self._sql(INSERT_DOCUMENT),
                    [(s.sha256, s.id, s.version, s.canonical_json().decode()) for s in documents],
                )
            ids = self._insert_records(cursor, [p.values for p in prepared])
            cursor.executemany(
                self._sql(insert_sql("scores", SCORE_COLUMNS)),
                [
                    row
                    for i, p in zip(ids, prepared, strict=True)
                    for row in score_rows(i, p.scores)
                ],
            )
        for scale in documents:
            self._scales[scale.sha256] = scale
        return ids

    # -- dialect hooks --

    @abc.abstractmethod
    def _sql(self, text: str) -> str:
        """The statement in this database's placeholder style (written with ``?``)."""

    @abc.abstractmethod
    def _cursor(self) -> contextlib.AbstractContextManager[Cursor]:
        """A cursor for reading (each read is one statement)."""

    @abc.abstractmethod
    def _write(self) -> contextlib.AbstractContextManager[Cursor]:
        """A cursor inside one write transaction, committed on success, rolled back otherwise."""

    @abc.abstractmethod
    def _insert_records(self, cursor: Cursor, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        """Insert :data:`RECORD_COLUMNS` rows into ``records``; return their new ids in order."""

    @abc.abstractmethod
    def _database_errors(self) -> tuple[type[Exception], ...]:
        """The exception classes of the database driver."""

    @abc.abstractmethod
    def _conflict(self, error: Exception) -> Conflict | None:
        """Which uniqueness rule a driver error broke, if any."""

    def _describe(self, error: Exception) -> str:
        """A one-line description of a driver error."""
        return str(error).splitlines()[0] if str(error) else type(error).__name__

    @abc.abstractmethod
    def _after_erase(self) -> None:
        """Make an erasure complete on disk."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Close the connection."""


def _check_result(result: object) -> None:
    if not isinstance(result, ScoreResult):
        raise StorageError(f"a store saves ScoreResult objects (got {type(result).__name__})")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _line(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"
