"""The alliancekit pytest plugin (registered under the ``pytest11`` entry point).

It is loaded into every pytest session of anyone who installs alliancekit, so it stays cheap and
quiet: it imports neither Hypothesis nor the property suite until a test asks for them, and it
adds no autouse fixture. What it offers:

- ``alliancekit_scale`` (session-scoped fixture): a :class:`~alliancekit.Scale`. A test
  that asks for it runs once per scale given with ``--alliancekit-scale ID_OR_PATH`` (repeatable),
  or once per catalogue scale when the option is not given. Choose scales in the test itself with
  ``@pytest.mark.parametrize("alliancekit_scale", ["wai-sr", "my.json"], indirect=True)``.
- ``alliancekit_strategies`` (session-scoped fixture): the module
  :mod:`alliancekit.testing.strategies` (needs Hypothesis).
- :func:`scale_file_tests`: one line that checks a researcher's own scale documents with
  :func:`~alliancekit.testing.check_scale`.
"""

from __future__ import annotations

import glob
import importlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = ["scale_file_tests"]

_FIXTURE = "alliancekit_scale"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--alliancekit-scale``."""
    group = parser.getgroup("alliancekit", "alliancekit rating scales")
    group.addoption(
        "--alliancekit-scale",
        action="append",
        default=[],
        dest="alliancekit_scales",
        metavar="ID_OR_PATH",
        help="run tests that use the alliancekit_scale fixture on this scale (a catalogue id or "
        "a .json document); repeatable; default: every catalogue scale",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``alliancekit_scale`` unless the test parametrizes it itself."""
    if _FIXTURE not in metafunc.fixturenames or _parametrized_by_test(metafunc):
        return
    names: list[str] = metafunc.config.getoption("alliancekit_scales")
    if not names:
        from alliancekit.plugins import list_scales

        names = [info.id for info in list_scales()]
    metafunc.parametrize(_FIXTURE, names, indirect=True, ids=names, scope="session")


def _parametrized_by_test(metafunc: pytest.Metafunc) -> bool:
    for marker in metafunc.definition.iter_markers("parametrize"):
        argnames = marker.args[0] if marker.args else marker.kwargs.get("argnames", ())
        if isinstance(argnames, str):
            argnames = [name.strip() for name in argnames.split(",")]
        if _FIXTURE in argnames:
            return True
    return False


@pytest.fixture(scope="session")
def alliancekit_scale(request: pytest.FixtureRequest) -> Scale:
    """The scale this test runs on: a catalogue id, or a path to a ``.json`` document relative
    to the directory pytest was started in. A scale that does not load fails the test."""
    from alliancekit.errors import ScaleDefinitionError, UnknownScaleError
    from alliancekit.plugins import get_scale, load_scale

    name = str(getattr(request, "param", ""))
    path = request.config.invocation_params.dir / name
    try:
        if name.endswith(".json") or path.is_file():
            return load_scale(path)
        return get_scale(name)
    except (ScaleDefinitionError, UnknownScaleError) as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def alliancekit_strategies() -> ModuleType:
    """The module :mod:`alliancekit.testing.strategies` (``answers``, ``invalid_answers``,
    ``scale_documents``); fails the test when Hypothesis is not installed."""
    try:
        return importlib.import_module("alliancekit.testing.strategies")
    except ImportError as error:
        pytest.fail(str(error), pytrace=False)


def scale_file_tests(
    *patterns: str | os.PathLike[str],
    max_examples: int = 100,
    skip: Iterable[str] = (),
    root: str | os.PathLike[str] | None = None,
) -> Callable[[str], None]:
    """A pytest test that runs :func:`~alliancekit.testing.check_scale` on every scale document
    matching the glob ``patterns``, one test case per file::

        from alliancekit.testing import scale_file_tests

        test_my_scales = scale_file_tests("../scales/*.json")

    Assign it to a module-level name starting with ``test_`` so pytest collects it. A failing
    case shows every failed check with its counterexample; a pattern that matches no file is a
    failing case too, so a typo cannot pass silently.

    :param patterns: glob patterns (``**`` allowed); a relative one is relative to ``root``.
    :param max_examples: examples per searched property (see ``check_scale``).
    :param skip: names of checks not to run.
    :param root: the directory relative patterns start from; by default the directory of the
        module that calls this function.
    :returns: the test function, parametrized by ``scale_file``.
    :raises TypeError: when no pattern is given.
    """
    if not patterns:
        raise TypeError("scale_file_tests() needs at least one glob pattern")
    base = Path(root) if root is not None else _caller_directory()
    files: list[str] = []
    for pattern in patterns:
        full = str(base / pattern)
        matches = sorted(glob.glob(full, recursive=True))
        files.extend(matches or [full])  # an unmatched pattern stays, to fail loudly
    skipped = tuple(skip)

    def test_scale_file(scale_file: str) -> None:
        """The scale document passes every check of alliancekit.testing.check_scale."""
        if not Path(scale_file).is_file():
            pytest.fail(f"no scale document matches {scale_file}", pytrace=False)
        from alliancekit.testing.properties import check_scale

        report = check_scale(scale_file, max_examples=max_examples, skip=skipped)
        if not report.passed:
            pytest.fail(report.format(failures_only=True), pytrace=False)

    ids = [_case_id(base, f) for f in files]
    parametrized: Callable[[str], None] = pytest.mark.parametrize("scale_file", files, ids=ids)(
        test_scale_file
    )
    return parametrized


def _caller_directory() -> Path:
    caller = sys._getframe(2).f_globals.get("__file__")
    return Path(caller).resolve().parent if caller else Path.cwd()


def _case_id(base: Path, file: str) -> str:
    try:
        return Path(file).relative_to(base).as_posix()
    except ValueError:
        return Path(file).as_posix()
