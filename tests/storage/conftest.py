"""Fixtures of the storage tests: a throwaway PostgreSQL cluster for the session and a fresh
database per test. Without server binaries the PostgreSQL tests skip, unless
``ALLIANCEKIT_REQUIRE_POSTGRES=1`` (as in CI), which turns the skip into a failure."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from pg_cluster import ClusterUnavailable, PostgresCluster, start_cluster

REQUIRE_POSTGRES = "ALLIANCEKIT_REQUIRE_POSTGRES"

_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster started for this test session (initdb + pg_ctl in a temp dir)."""
    try:
        cluster = start_cluster()
    except ClusterUnavailable as error:
        if os.environ.get(REQUIRE_POSTGRES) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES}=1 but PostgreSQL is unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"alliancekit_test_{next(_database_numbers)}"
    yield postgres_cluster.create_database(name)
    postgres_cluster.drop_database(name)
