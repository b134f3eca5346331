"""Tools for testing scales and engines: Hypothesis strategies, the property suite, a pytest plugin.

Importing this package is cheap: the names below are loaded on first use, and only
:func:`check_scale` and :mod:`alliancekit.testing.strategies` need Hypothesis
(``pip install 'alliancekit[testing]'``).

- :func:`check_scale` runs the property suite on a scale, a document or a path and returns a
  :class:`CheckReport` (see :data:`PROPERTIES` for the checks).
- :func:`scale_file_tests` turns a glob of scale documents into a parametrized pytest test.
- :mod:`alliancekit.testing.strategies`: ``answers``, ``invalid_answers``, ``scale_documents``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alliancekit.testing.properties import DEFAULT_MAX_EXAMPLES, check_scale
    from alliancekit.testing.pytest_plugin import scale_file_tests
    from alliancekit.testing.report import PROPERTIES, CheckReport, PropertyResult

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "PROPERTIES",
    "CheckReport",
    "PropertyResult",
    "check_scale",
    "scale_file_tests",
]

_HOMES = {
    "DEFAULT_MAX_EXAMPLES": "alliancekit.testing.properties",
    "PROPERTIES": "alliancekit.testing.report",
    "CheckReport": "alliancekit.testing.report",
    "PropertyResult": "alliancekit.testing.report",
    "check_scale": "alliancekit.testing.properties",
    "scale_file_tests": "alliancekit.testing.pytest_plugin",
}


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the lazily loaded ones included."""
    return sorted([*globals(), *__all__])
