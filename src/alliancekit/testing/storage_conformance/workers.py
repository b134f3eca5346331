"""Functions that run in worker processes of the reliability tests, and how to start them."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from typing import Any

from alliancekit.storage import open_store
from alliancekit.testing.storage_conformance.data import srs

__all__ = ["SAVES_PER_WORKER", "WORKERS", "concurrent_writer", "endless_writer", "process_context"]

WORKERS, SAVES_PER_WORKER = 4, 250


def concurrent_writer(url: str, worker: int, ready: Any, go: Any) -> None:
    # Runs in a worker process: worker w saves occasions 0..249 with q1 = w, q2 = occasion % 11.
    with open_store(url) as store:
        ready.release()
        go.wait(60)
        for occasion in range(SAVES_PER_WORKER):
            store.save(
                srs(worker, occasion % 11, 0, 0), respondent=f"worker-{worker}", occasion=occasion
            )


def endless_writer(url: str, report: str) -> None:
    # Runs in a worker process until killed: reports each returned id, durably, before going on.
    with open_store(url) as store, open(report, "a", encoding="ascii") as out:
        for occasion in itertools.count():
            record_id = store.save(
                srs(occasion % 11, 1, 2, 3), respondent="killed-writer", occasion=occasion
            )
            out.write(f"{record_id} {occasion}\n")
            out.flush()
            os.fsync(out.fileno())


def process_context() -> Any:
    # fork is fast (no re-import per worker) and safe here: a worker never touches the parent's
    # store and ends with os._exit. Elsewhere (macOS, Windows) fork is unsafe or missing.
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
