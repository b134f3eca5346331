"""``alliancekit plugins``: loaded plugins with distribution and version, what each registered,
and the ones that failed with why."""

from __future__ import annotations

import json
from typing import Any

import pytest

import alliancekit as ak
from alliancekit import hookimpl
from alliancekit.builtins._scales import builtin_scale_paths
from alliancekit.cli import main

BROKEN = """
    import nonexistent_dependency_of_this_plugin
"""


def builtin_lines() -> list[str]:
    """The report's lines for the three built-in plugins, in registration order."""
    scales = ", ".join(sorted(path.stem for path in builtin_scale_paths()))
    where = f"(built in, alliancekit {ak.__version__})"
    return [
        "Loaded plugins:",
        f"  alliancekit.scoring_methods  {where}",
        "      scoring method: mean, sum, weighted_sum",
        f"  alliancekit.scales  {where}",
        f"      scale: {scales}",
        f"  alliancekit.storage  {where}",
        "      storage scheme: postgres, postgresql, sqlite",
    ]


def test_plugins_lists_the_builtin_plugins_and_what_they_registered(capsys: Any) -> None:
    """With no other plugin: the three built-in plugins, their registrations, exit code 0."""
    assert main(["plugins"]) == 0
    assert capsys.readouterr().out.splitlines() == builtin_lines()


def test_plugins_shows_an_installed_plugin_and_its_registrations(
    fake_site: Any, tiny: Any, capsys: Any
) -> None:
    """An entry-point plugin is listed with distribution, version and entry point, then the
    scale and item text it registered and its event handler."""
    document = json.dumps(tiny("acme-check"))
    fake_site.add(
        "alliancekit-acme",
        f"""
        import json
        from alliancekit import hookimpl

        @hookimpl
        def alliancekit_register_scales(register):
            register(json.loads({document!r}))

        @hookimpl
        def alliancekit_register_item_text(register):
            register("acme-check", "en", {{"q1": "Hello"}}, license_note="ours")

        @hookimpl
        def alliancekit_result_scored(result):
            pass
        """,
        version="3.0.1",
        entry_point="acme",
    )
    ak.plugins.reload()
    assert main(["plugins"]) == 0
    assert capsys.readouterr().out.splitlines()[len(builtin_lines()) :] == [
        "  acme  (alliancekit-acme 3.0.1, entry point acme = alliancekit_acme)",
        "      scale: acme-check",
        "      item text: acme-check:en",
        "      event handler: alliancekit_result_scored",
    ]


def test_plugins_reports_a_failed_plugin_with_why_and_exit_code_1(
    fake_site: Any, capsys: Any
) -> None:
    """A plugin that fails to import is listed under 'Failed plugins' with the error (and not
    warned about a second time); the exit code is 1."""
    fake_site.add("alliancekit-broken", BROKEN, entry_point="broken")
    with pytest.warns(ak.PluginLoadWarning):
        ak.plugins.reload()
    assert main(["plugins"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[len(builtin_lines()) :] == [
        "",
        "Failed plugins:",
        "  plugin 'broken' from distribution alliancekit-broken 1.0 (entry point broken = "
        "alliancekit_broken) failed to import: ModuleNotFoundError: No module named "
        "'nonexistent_dependency_of_this_plugin'",
    ]


def test_plugins_json(register_plugin: Any, capsys: Any) -> None:
    """--json gives every plugin's name, distribution, version, hooks and registrations."""

    class Storage:
        @hookimpl
        def alliancekit_register_storage(self, register: Any) -> None:
            register("memory", print)

    register_plugin(Storage(), "memory-store")
    assert main(["plugins", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["failures"] == []
    assert [p["name"] for p in report["plugins"]] == [
        "alliancekit.scoring_methods",
        "alliancekit.scales",
        "alliancekit.storage",
        "memory-store",
    ]
    assert report["plugins"][-1] == {
        "name": "memory-store",
        "distribution": None,
        "version": None,
        "entry_point": None,
        "builtin": False,
        "hooks": ["alliancekit_register_storage"],
        "registered": {"storage scheme": ["memory"]},
    }


def test_plugins_with_a_duplicate_exits_1_with_the_conflict(
    register_plugin: Any, tiny: Any, capsys: Any
) -> None:
    """A conflict is not a report line but an error: exit code 1, both sources on stderr."""

    class Copy:
        @hookimpl
        def alliancekit_register_scales(self, register: Any) -> None:
            register(tiny("srs"))

    register_plugin(Copy(), "copy")
    assert main(["plugins"]) == 1
    assert capsys.readouterr().err == (
        "alliancekit plugins: scale 'srs' is registered twice: by built-in plugin "
        "'alliancekit.scales' and by plugin 'copy' (registered at runtime)\n"
    )


def test_plugins_output_escapes_control_characters(
    register_plugin: Any, tiny: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plugin scale whose title carries a terminal escape sequence is listed with the
    sequence escaped: nothing a plugin registers reaches the terminal raw."""

    class Sneaky:
        """Registers a scale with an escape sequence in its title."""

        @hookimpl
        def alliancekit_register_scales(self, register: Any) -> None:
            """Register the scale."""
            register(tiny("sneaky", title="Trust \u001b]0;pwned\u0007 check"))

    register_plugin(Sneaky(), "sneaky")
    assert main(["list"]) == 0
    assert main(["plugins"]) in (0, 1)
    out = capsys.readouterr().out
    assert "\u001b" not in out and "\u0007" not in out
