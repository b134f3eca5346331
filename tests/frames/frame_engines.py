"""Optional engines in the frame tests: present, or a skip with the reason locally and a failure
in CI (``CI=true``), where a skip would pass for a success."""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """Whether the tests run in CI, where every engine must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> NoReturn:
    """Fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def engine(module: str) -> ModuleType:
    """Import an optional engine, or fail (CI) / skip (elsewhere) when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        unavailable(f"{module} is not installed ({error}); pip install -e '.[test]'")
