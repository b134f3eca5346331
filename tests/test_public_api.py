"""The curated public API: what DESIGN §8–§9 promise is importable from ``alliancekit`` itself."""

from __future__ import annotations

import pytest

import alliancekit as ak


def test_all_is_sorted_and_importable() -> None:
    """``__all__`` is sorted and every name in it exists."""
    assert list(ak.__all__) == sorted(ak.__all__)
    for name in ak.__all__:
        assert hasattr(ak, name), name


@pytest.mark.parametrize(
    ("name", "bases"),
    [
        ("ScaleDefinitionError", (ak.AllianceKitError, ValueError)),
        ("UnknownScaleError", (ak.AllianceKitError, LookupError)),
        ("ResponseError", (ak.AllianceKitError, ValueError)),
        ("ScoringError", (ak.AllianceKitError,)),
        ("InterpretationError", (ak.AllianceKitError, ValueError)),
        ("StorageError", (ak.AllianceKitError,)),
        ("PluginError", (ak.AllianceKitError,)),
        ("PluginLoadError", (ak.PluginError,)),
        ("DuplicateRegistrationError", (ak.PluginError,)),
        ("PluginLoadWarning", (UserWarning,)),
    ],
)
def test_exception_hierarchy(name: str, bases: tuple[type, ...]) -> None:
    """Each error subclasses what a caller would catch (DESIGN §8)."""
    error = getattr(ak, name)
    for base in bases:
        assert issubclass(error, base)


@pytest.mark.parametrize(
    "name",
    [
        "list_scales",
        "get_scale",
        "load_scale",
        "validate_scale",
        "interpret",
        "change",
        "reliable_change",
        "clinical_cutoffs",
        "Series",
        "open_store",
        "score_many",
        "hookimpl",
    ],
)
def test_design_api_is_exported(name: str) -> None:
    """The functions of the public API (DESIGN §9 and the issues) are in ``alliancekit``."""
    assert name in ak.__all__


def test_importing_the_package_and_its_pytest_plugin_is_cheap() -> None:
    """``import alliancekit`` and the pytest plugin (loaded by every test session of a project
    that installs alliancekit) load no scale machinery: names come from their modules on first
    use, and then behave as usual."""
    import subprocess
    import sys

    probe = (
        "import sys, alliancekit, alliancekit.testing.pytest_plugin; "
        "heavy = {'jsonschema', 'alliancekit.document', 'alliancekit.plugins'}; "
        "print(sorted(heavy & set(sys.modules))); "
        "print(alliancekit.get_scale('srs').id)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "srs"]


def test_unknown_attribute_is_an_attribute_error() -> None:
    """A name the package does not export raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no_such_name"):
        ak.no_such_name  # noqa: B018


@pytest.mark.parametrize("name", [n for n in ak.__all__ if n != "__version__"])
def test_public_names_are_not_shadowed_by_submodules(name: str) -> None:
    """Every public name is the exported object even after its package has been imported (a
    subpackage named like a function would replace it)."""
    import importlib
    import types

    importlib.import_module(ak._homes()[name])
    assert not isinstance(getattr(ak, name), types.ModuleType)


def test_dir_shows_only_public_names() -> None:
    """``dir(alliancekit)`` lists the public names, not the layer packages or helpers, even
    after the layers have been imported."""
    import alliancekit.interpretation  # noqa: F401

    assert dir(ak) == sorted(ak.__all__)
    assert "interpretation" not in dir(ak)


def test_cli_help_imports_no_command_module() -> None:
    """``alliancekit --help`` lists every command without importing any command's module (nor
    attrs, jsonschema or the scale machinery): commands register lazily, so start-up stays
    cheap."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from alliancekit.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('alliancekit.cli._')"
        " or m in ('attrs', 'jsonschema', 'alliancekit.document')]\n"
        "print(loaded, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    assert "export" in done.stdout and "score" in done.stdout
