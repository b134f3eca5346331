"""Storage benchmark: the store's API against raw driver calls on the same rows and schema.

1. insert N administrations (WAI-SR: one record and five score rows each) with
   ``Store.save_many`` in batches, against ``executemany`` of exactly the rows the store writes,
   in the same batches and transactions, with the same durability settings;
2. ``Store.save`` one at a time (one transaction each) against single-row inserts and commits;
3. fill a store with M records (SRS, 10 occasions per respondent) and fetch one respondent's
   history, against an indexed ``SELECT`` of the same records.

SQLite always; PostgreSQL when a throwaway cluster can be started (see tests/storage/pg_cluster.py).
Run by hand, e.g. ``python bench/bench_storage.py`` (defaults: N = 100,000, M = 1,000,000) or
``python bench/bench_storage.py --records 10000 --history-rows 100000`` for a quick look.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "storage"))

import alliancekit as ak
from alliancekit.storage import Administration, sqlite_url
from alliancekit.storage._records import RECORD_COLUMNS, SCORE_COLUMNS, prepare, score_rows
from alliancekit.storage._sqlite import sqlite_location

BATCH = 1_000
SINGLE = 300
LOOKUPS = 500
FILL_BATCH = 10_000


def wai_answers(i: int) -> dict[str, int]:
    """Deterministic WAI-SR answers (1..5) for administration ``i``."""
    return {f"q{j}": (i * 7 + j * 3) % 5 + 1 for j in range(1, 13)}


def administrations(n: int, scale: ak.Scale, occasions: int) -> list[Administration]:
    """``n`` administrations of ``scale``, ``occasions`` per respondent."""
    answers: Callable[[int], dict[str, Any]]
    if scale.id == "wai-sr":
        answers = wai_answers
    else:
        answers = lambda i: {f"q{j}": (i + j) % 11 for j in range(1, 5)}  # noqa: E731
    return [
        Administration(
            result=scale.score(answers(i)),
            respondent=f"resp-{i // occasions}",
            occasion=i % occasions,
        )
        for i in range(n)
    ]


def raw_rows(
    batch: Sequence[Administration], key: Callable[[str], str], first_id: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The record and score rows the store writes for ``batch``, with ids from ``first_id``."""
    import datetime as dt

    now = dt.datetime.now(dt.timezone.utc)
    records, scores = [], []
    for offset, a in enumerate(batch):
        p = prepare(
            a.result,
            key=key(a.respondent),
            occasion=a.occasion,
            administered_at=None,
            administered_by=None,
            saved_at=now,
        )
        records.append((first_id + offset, *p.values))
        scores.extend(score_rows(first_id + offset, p.scores))
    return records, scores


def chunks(items: Sequence[Administration], size: int) -> Iterator[Sequence[Administration]]:
    """Consecutive slices of ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


class Backend:
    """How to make an empty store and run raw SQL on it."""

    name = ""
    placeholder = "?"
    prefix = ""

    def new_url(self) -> str:
        """The URL of a new, empty store."""
        raise NotImplementedError

    def raw(self, url: str) -> Any:
        """A raw driver connection to the store at ``url`` (autocommit; explicit transactions)."""
        raise NotImplementedError

    def begin(self, connection: Any) -> None:
        """Start a write transaction."""
        connection.execute("BEGIN")

    def sql(self, text: str) -> str:
        """``text`` with this driver's placeholders and table names."""
        text = text.replace("?", self.placeholder)
        for table in ("records", "scores"):
            text = text.replace(f" {table} ", f" {self.prefix}{table} ")
        return text


class SQLiteBackend(Backend):
    """SQLite files in a temp dir, with the store's pragmas."""

    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def new_url(self) -> str:
        self.count += 1
        return sqlite_url(self.folder / f"bench-{self.count}.db")

    def raw(self, url: str) -> Any:
        connection = sqlite3.connect(sqlite_location(url)[0], isolation_level=None)
        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            "secure_delete = ON",
            "busy_timeout = 30000",
        ):
            connection.execute(f"PRAGMA {pragma}")
        return connection

    def begin(self, connection: Any) -> None:
        connection.execute("BEGIN IMMEDIATE")


class PostgresBackend(Backend):
    """Databases of a throwaway cluster."""

    name = "PostgreSQL"
    placeholder = "%s"
    prefix = "alliancekit."

    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster
        self.count = 0

    def new_url(self) -> str:
        self.count += 1
        return str(self.cluster.create_database(f"bench_{self.count}"))

    def raw(self, url: str) -> Any:
        import psycopg

        return psycopg.connect(url, autocommit=True)


def insert_raw(
    backend: Backend,
    url: str,
    batches: Sequence[Sequence[Administration]],
    key: Callable[[str], str],
) -> float:
    """Seconds to insert the store's rows for ``batches`` with executemany (rows prepared
    beforehand, not timed)."""
    record_sql = backend.sql(
        f"INSERT INTO records (id, {', '.join(RECORD_COLUMNS)}) VALUES "
        f"({', '.join('?' * (len(RECORD_COLUMNS) + 1))})"
    )
    score_sql = backend.sql(
        f"INSERT INTO scores ({', '.join(SCORE_COLUMNS)}) VALUES "
        f"({', '.join('?' * len(SCORE_COLUMNS))})"
    )
    prepared, next_id = [], 1
    for batch in batches:
        prepared.append(raw_rows(batch, key, next_id))
        next_id += len(batch)
    scale = batches[0][0].result
    document = ak.get_scale(scale.scale_id)
    with closing(backend.raw(url)) as connection:
        cursor = connection.cursor()
        cursor.execute(
            backend.sql("INSERT INTO scale_documents VALUES (?, ?, ?, ?)").replace(
                " scale_documents ", f" {backend.prefix}scale_documents "
            ),
            (document.sha256, document.id, document.version, document.canonical_json().decode()),
        )
        start = time.perf_counter()
        for records, scores in prepared:
            backend.begin(connection)
            if len(records) == 1:  # as the store does
                cursor.execute(record_sql, records[0])
            else:
                cursor.executemany(record_sql, records)
            cursor.executemany(score_sql, scores)
            connection.execute("COMMIT")
        return time.perf_counter() - start


def bench_inserts(backend: Backend, n: int) -> None:
    """save_many in batches against raw executemany of the same rows."""
    scale = ak.get_scale("wai-sr")
    items = administrations(n, scale, occasions=10)
    batches = list(chunks(items, BATCH))
    scoring = timed(lambda: [scale.score(wai_answers(i)) for i in range(n)])
    with ak.open_store(backend.new_url()) as store:
        api = timed(lambda: [store.save_many(batch) for batch in batches])
        raw_url = backend.new_url()
        ak.open_store(raw_url).close()  # the same schema, empty
        raw = insert_raw(backend, raw_url, batches, store.respondent_key)
    print(
        f"{backend.name}: insert {n:,} WAI-SR administrations ({n * 6:,} rows) in batches of "
        f"{BATCH:,}"
    )
    print(f"  save_many      {api:8.2f} s  {n / api:>9,.0f} /s")
    print(f"  executemany    {raw:8.2f} s  {n / raw:>9,.0f} /s   ratio {api / raw:.1f}x")
    print(f"  (of save_many, re-scoring each result to check it costs about {scoring:.2f} s)")


def bench_single_saves(backend: Backend) -> None:
    """save() one at a time against single-row raw inserts, each its own transaction."""
    scale = ak.get_scale("wai-sr")
    items = administrations(SINGLE, scale, occasions=10)
    with ak.open_store(backend.new_url()) as store:
        api = timed(
            lambda: [
                store.save(a.result, respondent=a.respondent, occasion=a.occasion) for a in items
            ]
        )
        raw_url = backend.new_url()
        ak.open_store(raw_url).close()
        raw = insert_raw(backend, raw_url, [[a] for a in items], store.respondent_key)
    print(f"{backend.name}: {SINGLE} single saves, one transaction each")
    print(f"  save           {api / SINGLE * 1000:8.2f} ms each")
    print(f"  raw insert     {raw / SINGLE * 1000:8.2f} ms each            ratio {api / raw:.1f}x")


def bench_history(backend: Backend, m: int) -> None:
    """history() of one respondent among m records against an indexed SELECT."""
    scale = ak.get_scale("srs")
    occasions = 10
    url = backend.new_url()
    with ak.open_store(url) as store:
        fill = 0.0
        for start in range(0, m, FILL_BATCH):
            batch = [
                Administration(
                    result=scale.score({f"q{j}": (i + j) % 11 for j in range(1, 5)}),
                    respondent=f"resp-{i // occasions}",
                    occasion=i % occasions,
                )
                for i in range(start, min(m, start + FILL_BATCH))
            ]
            fill += timed(lambda batch=batch: store.save_many(batch))  # type: ignore[misc]
        picks = [f"resp-{random.randrange(m // occasions)}" for _ in range(LOOKUPS)]
        keys = [store.respondent_key(p) for p in picks]
        api_times = []
        for pick in picks:
            api_times.append(timed(lambda pick=pick: store.history(pick, "srs")))  # type: ignore[misc]
            assert len(store.history(pick, "srs")) == occasions
    query = backend.sql(
        "SELECT * FROM records r JOIN scores s ON s.record_id = r.id "
        "WHERE r.respondent_key = ? AND r.scale_id = ? ORDER BY r.occasion "
    )
    with closing(backend.raw(url)) as connection:
        raw_times = []
        for key in keys:
            start = time.perf_counter()
            rows = connection.execute(query, (key, "srs")).fetchall()
            raw_times.append(time.perf_counter() - start)
            assert len(rows) == occasions
    api, raw = statistics.median(api_times), statistics.median(raw_times)
    print(
        f"{backend.name}: history of one respondent ({occasions} records) among {m:,} records "
        f"(filled with save_many in {fill:.0f} s, {m / fill:,.0f} /s)"
    )
    print(f"  history()      {api * 1000:8.3f} ms median of {LOOKUPS}")
    print(f"  indexed SELECT {raw * 1000:8.3f} ms median            ratio {api / raw:.1f}x")


def main() -> None:
    """Run the benchmark on SQLite and, when possible, PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--history-rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    random.seed(1)
    print(
        f"alliancekit {ak.__version__}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="alliancekit-bench-") as folder:
            backend = SQLiteBackend(Path(folder))
            bench_inserts(backend, args.records)
            bench_single_saves(backend)
            bench_history(backend, args.history_rows)
    if args.backend in ("postgresql", "both"):
        from pg_cluster import ClusterUnavailable, running_cluster

        try:
            with running_cluster() as cluster:
                backend_pg = PostgresBackend(cluster)
                bench_inserts(backend_pg, args.records)
                bench_single_saves(backend_pg)
                bench_history(backend_pg, args.history_rows)
        except ClusterUnavailable as error:
            print(f"PostgreSQL skipped: {error}")


if __name__ == "__main__":
    main()
