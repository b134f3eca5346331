"""Conformance tests of a store's life: erasure, concurrent and killed writers, migration."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest

from alliancekit.errors import StorageError
from alliancekit.storage import Store, open_store
from alliancekit.testing.storage_conformance.backend import BackendHooks
from alliancekit.testing.storage_conformance.data import old_srs, previous_store_content, srs
from alliancekit.testing.storage_conformance.workers import (
    SAVES_PER_WORKER,
    WORKERS,
    concurrent_writer,
    endless_writer,
    process_context,
)

__all__ = ["FileErasureConformance", "LifecycleConformance"]


def _contains(files: Sequence[Path], needle: bytes) -> bool:
    return any(path.exists() and needle in path.read_bytes() for path in files)


class LifecycleConformance(BackendHooks):
    """Conformance tests of erasure, reliability and migration."""

    # -- erasure --

    def test_erase_removes_every_record_of_the_respondent(self, store: Store) -> None:
        """Erasure deletes the respondent's records, amendments included (3 here), and nothing
        else; ids of erased records are never handed out again."""
        first = store.save(srs(1, 1, 1, 1), respondent="victim", occasion=1)
        store.save(srs(1, 1, 1, 1), respondent="victim", occasion=2)
        last = store.amend(first, srs(2, 1, 1, 1), "fix")
        kept = store.save(srs(4, 4, 4, 4), respondent="other", occasion=1)
        assert store.erase_respondent("victim") == 3
        assert store.history("victim", "srs", include_superseded=True) == []
        with pytest.raises(StorageError, match="no record"):
            store.get(first)
        assert store.get(kept).values()["total"] == 16
        key = store.respondent_key("victim")
        assert not any(key in line for line in store.export())
        assert store.save(srs(1, 1, 1, 1), respondent="victim", occasion=1) > last
        assert store.erase_respondent("never-stored") == 0

    @pytest.mark.parametrize(
        "mistake", ["duplicate", "bad-occasion", "bad-time", "forged", "unknown-scale", "closed"]
    )
    def test_errors_never_name_the_respondent(self, store: Store, mistake: str) -> None:
        """No error raised while saving for a respondent contains the identifier."""
        identifier = "Jane-Doe-MRN-0042"
        store.save(srs(1, 1, 1, 1), respondent=identifier, occasion=1)
        result, occasion, moment = srs(1, 1, 1, 1), 2, None
        if mistake == "duplicate":
            occasion = 1
        elif mistake == "bad-occasion":
            occasion = -5
        elif mistake == "bad-time":
            moment = dt.datetime(2024, 1, 1)
        elif mistake == "forged":
            result = attrs.evolve(result, scale_version="9", scale_sha256="0" * 64)
        elif mistake == "unknown-scale":
            result = old_srs().score({"q1": 1, "q2": 1, "q3": 1, "q4": 1})
        else:
            store.close()
        with pytest.raises(StorageError) as caught:
            store.save(result, respondent=identifier, occasion=occasion, administered_at=moment)
        assert identifier not in str(caught.value)
        assert identifier not in repr(caught.value.__cause__)

    # -- reliability --

    def test_concurrent_writers_lose_nothing(self, store: Store, store_url: str) -> None:
        """4 processes x 250 saves at once give exactly 1,000 records, each worker's occasions
        0..249 once, each total = worker + occasion % 11 (q3 = q4 = 0)."""
        context = process_context()
        ready, go = context.Semaphore(0), context.Event()
        workers = [
            context.Process(target=concurrent_writer, args=(store_url, w, ready, go))
            for w in range(WORKERS)
        ]
        for process in workers:
            process.start()
        for _ in workers:
            assert ready.acquire(timeout=120)
        go.set()
        for process in workers:
            process.join(300)
        assert [p.exitcode for p in workers] == [0] * WORKERS
        ids = set()
        for w in range(WORKERS):
            history = store.history(f"worker-{w}", "srs")
            assert [r.occasion for r in history] == list(range(SAVES_PER_WORKER))
            assert all(r.values()["total"] == w + r.occasion % 11 for r in history)
            ids |= {r.id for r in history}
        assert len(ids) == WORKERS * SAVES_PER_WORKER

    @pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
    def test_killed_writer_loses_no_returned_save(
        self, store: Store, store_url: str, tmp_path: Path
    ) -> None:
        """A writer killed with SIGKILL mid-stream leaves an intact store holding every record
        whose save had returned, with the right total (occasion % 11 + 1 + 2 + 3)."""
        report = tmp_path / "returned-ids.txt"
        writer = process_context().Process(target=endless_writer, args=(store_url, str(report)))
        writer.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and writer.is_alive():
            if report.exists() and report.read_text().count("\n") >= 100:
                break
            time.sleep(0.02)
        writer.kill()
        writer.join(30)
        text = report.read_text()
        complete = text[: text.rfind("\n") + 1].splitlines()  # a torn last line is not a report
        returned = [(int(i), int(o)) for i, o in (line.split() for line in complete)]
        assert len(returned) >= 100, "the writer did not get going"
        self.check_integrity(store_url)
        with open_store(store_url) as reopened:
            for record_id, occasion in returned:
                record = reopened.get(record_id)
                assert (record.occasion, record.values()["total"]) == (occasion, occasion % 11 + 6)
            reopened.save(srs(1, 1, 1, 1), respondent="after-kill", occasion=1)

    # -- migration --

    def test_previous_schema_is_migrated(self, store_url: str) -> None:
        """A store written in the previous schema opens with every record intact: client-A's
        history is record 3 (7.5 + 8 + 6.5 + 9 = 31, amending record 1: 7.5 + 8 + 6.25 + 9 =
        30.75) then record 2 (2 + 3 + 4 + 5 = 14); new records get ids above 4."""
        content = previous_store_content()
        self.build_previous_schema(store_url, content)
        with open_store(store_url) as store:
            history = store.history("client-A", "srs", include_superseded=True)
            assert [(r.id, r.occasion, r.values()["total"], r.superseded_by) for r in history] == [
                (1, 1, 30.75, 3),
                (3, 1, 31.0, None),
                (2, 2, 14.0, None),
            ]
            assert [r.id for r in store.history("client-A", "srs")] == [3, 2]
            for previous in content.records:
                record = store.get(previous.id)
                assert record.to_result() == previous.result
                assert (record.amends, record.amend_reason) == (
                    previous.amends,
                    previous.amend_reason,
                )
                assert record.administered_at == previous.administered_at
                assert record.saved_at == previous.saved_at
            assert store.rescore(3) == content.records[2].result
            assert store.save(srs(1, 1, 1, 1), respondent="client-B", occasion=2) > 4
            assert store.erase_respondent("client-A") == 3


class FileErasureConformance(BackendHooks):
    """The raw-file erasure check, for backends that keep their data in files they can name
    (:meth:`BackendHooks.raw_files`); add it next to :class:`StoreConformance`."""

    def test_erased_data_is_not_on_disk(self, store: Store, store_url: str) -> None:
        """After erasure, neither the identifier, its key, nor a distinctive answer (3.14159)
        or amendment reason is anywhere in the store's files; they were there before."""
        files = self.raw_files(store_url)
        identifier = "victim-ZQXJ-4711"
        first = store.save(srs(3.14159, 1, 1, 1), respondent=identifier, occasion=1)
        store.amend(first, srs(3.14159, 2, 1, 1), "reason-ZQXJ-marker")
        store.save(srs(2.71828, 1, 1, 1), respondent="other", occasion=1)
        key = store.respondent_key(identifier).encode()
        needles = [identifier.encode(), key, b"3.14159", b"reason-ZQXJ-marker"]
        assert [_contains(files, n) for n in needles[1:]] == [True, True, True]
        store.erase_respondent(identifier)
        assert [n for n in needles if _contains(files, n)] == []
        assert _contains(files, b"2.71828")
        store.close()
        assert [n for n in needles if _contains(files, n)] == []
