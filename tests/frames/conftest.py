"""Fixtures of the frame tests: one local Spark session and one two-process Dask cluster for the
whole session. A missing engine (library, or Java for Spark) skips its tests locally with the
reason, and fails them in CI (``CI=true``), where a skip would pass for a success."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from frame_engines import engine, unavailable
from frame_kinds import FrameKind


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local Spark session with two cores, small shuffles and no UI."""
    sql = engine("pyspark.sql")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("Spark needs Java and there is none (bash .ci/java-setup installs it)")
    # The executors' Python workers must be this interpreter, which has alliancekit installed.
    python = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        sql.SparkSession.builder.master("local[2]")
        .appName("alliancekit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # Several Arrow batches per partition, so that batches are tested, not just partitions.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1500")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if python is None:
        del os.environ["PYSPARK_PYTHON"]
    else:
        os.environ["PYSPARK_PYTHON"] = python


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A Dask client of a local cluster with two worker processes of one thread each."""
    distributed = engine("distributed")
    engine("dask.dataframe")
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(params=["pandas", "polars", "arrow"])
def kind(request: pytest.FixtureRequest) -> FrameKind:
    """Each eager frame kind in turn."""
    return FrameKind(request.param)
