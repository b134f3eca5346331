"""Meta-tests of the hook contract (after datasette's ``test_plugin_hooks_have_tests``): every
hook has a test named ``test_hook_<hook name>``, a heading in docs/plugins.md with its exact
signature, and a docstring that documents each argument and the return value."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import alliancekit
from alliancekit.plugins import _hookspecs as hookspecs

HERE = Path(__file__).resolve().parent
DOCS = HERE.parents[1] / "docs" / "plugins.md"


def hook_specs() -> dict[str, Callable[..., Any]]:
    """Every function of hookspecs.py marked as an alliancekit hook specification."""
    return {
        name: function
        for name, function in vars(hookspecs).items()
        if callable(function) and hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
    }


HOOKS = sorted(hook_specs())


def signature_text(name: str) -> str:
    """``alliancekit_x(a, b)``: the hook name with its argument names, as documented."""
    parameters = inspect.signature(hook_specs()[name]).parameters
    return f"{name}({', '.join(parameters)})"


def test_the_hooks_are_the_five_of_the_contract() -> None:
    """The public contract: four registration hooks and one event, all prefixed alliancekit_."""
    assert HOOKS == [
        "alliancekit_register_item_text",
        "alliancekit_register_scales",
        "alliancekit_register_scoring_methods",
        "alliancekit_register_storage",
        "alliancekit_result_scored",
    ]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook: str) -> None:
    """A test function named test_hook_<hook> exists somewhere in tests/plugins."""
    names = set()
    for path in HERE.glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    assert f"test_hook_{hook}" in names


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    """docs/plugins.md has a heading ``### alliancekit_x(args)`` matching the hookspec."""
    headings = re.findall(r"^#{2,4} (alliancekit_\w+\(.*\))\s*$", DOCS.read_text("utf-8"), re.M)
    assert signature_text(hook) in headings


def test_every_documented_hook_exists() -> None:
    """No heading documents a hook that does not exist (or with a stale signature)."""
    headings = re.findall(r"^#{2,4} (alliancekit_\w+\(.*\))\s*$", DOCS.read_text("utf-8"), re.M)
    assert sorted(headings) == sorted(signature_text(hook) for hook in HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_docstring_documents_its_arguments_and_return(hook: str) -> None:
    """pytest-style docstrings: one ``:param name:`` per argument and a ``:returns:``."""
    function = hook_specs()[hook]
    doc = inspect.getdoc(function) or ""
    for name in inspect.signature(function).parameters:
        assert f":param {name}:" in doc
    assert ":returns:" in doc


@pytest.mark.parametrize("hook", [h for h in HOOKS if h.startswith("alliancekit_register_")])
def test_registration_hooks_take_only_a_register_callback(hook: str) -> None:
    """Registration hooks receive ``register`` and nothing else."""
    assert list(inspect.signature(hook_specs()[hook]).parameters) == ["register"]


def test_hookimpl_is_importable_from_alliancekit() -> None:
    """``from alliancekit import hookimpl`` gives the marker of the ``alliancekit`` project."""
    assert alliancekit.hookimpl is hookspecs.hookimpl
    assert alliancekit.hookimpl.project_name == "alliancekit"
    assert "hookimpl" in alliancekit.__all__
