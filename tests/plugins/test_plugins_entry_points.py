"""Plugins installed as distributions: found by their ``alliancekit`` entry point, loaded lazily
and one at a time, broken ones reported and skipped, duplicates refused, environment switches.

The distributions are real ``.dist-info`` folders on ``sys.path`` (see ``FakeSite`` in
conftest.py), so ``importlib.metadata`` finds them exactly as it finds a pip-installed plugin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import warnings
from typing import Any

import pytest

import alliancekit as ak
from alliancekit import plugins
from alliancekit.plugins import _manager as plugin_manager

FakeSite = Any  # conftest.FakeSite: .path, .add(distribution, source, *, version, entry_point)


@pytest.fixture
def scale_plugin(tiny: Any) -> Any:
    """``scale_plugin(scale_id, extra="")``: source of a plugin module that registers a tiny
    scale with this id (``extra`` is appended at module level)."""

    def source(scale_id: str, *, extra: str = "") -> str:
        document = json.dumps(tiny(scale_id))
        return f"""
            import json
            from alliancekit import hookimpl

            DOCUMENT = json.loads({document!r})

            @hookimpl
            def alliancekit_register_scales(register):
                register(DOCUMENT)
            {extra}
        """

    return source


BROKEN_AT_IMPORT = """
    from alliancekit import hookimpl

    1 / 0
"""

RAISES_IN_A_HOOK = """
    from alliancekit import hookimpl

    @hookimpl
    def alliancekit_register_scales(register):
        raise RuntimeError("licence server unreachable")

    @hookimpl
    def alliancekit_register_storage(register):
        register("hooky", lambda url: url)
"""


def scale_ids() -> set[str]:
    """The ids in the catalogue."""
    return {info.id for info in ak.list_scales()}


def test_entry_points_load_on_first_use_not_at_import(
    scale_plugin: Any, fake_site: FakeSite
) -> None:
    """Importing alliancekit imports no plugin; the first list_scales() does (checked in a fresh
    interpreter, with a plugin that leaves a marker file when imported)."""
    marker = fake_site.path / "imported.txt"
    fake_site.add(
        "fake-lazy",
        scale_plugin("lazy-scale", extra=f"open({str(marker)!r}, 'w').close()"),
    )
    script = (
        "import os, alliancekit\n"
        f"before = os.path.exists({str(marker)!r})\n"
        "ids = {s.id for s in alliancekit.list_scales()}\n"
        f"print(before, os.path.exists({str(marker)!r}), 'lazy-scale' in ids)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(fake_site.path))
    for name in ("ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD", "ALLIANCEKIT_LOAD_PLUGINS"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True", "True"], done.stdout + done.stderr


def test_an_installed_plugin_is_found_by_its_entry_point(
    scale_plugin: Any, fake_site: FakeSite
) -> None:
    """The plugin's scale is listed with its distribution as origin and scores (1+2+3 = 6)."""
    fake_site.add("alliancekit-fake-good", scale_plugin("good-scale"), version="2.1")
    plugins.reload()
    info = next(s for s in ak.list_scales() if s.id == "good-scale")
    assert info.origin == "alliancekit-fake-good"
    assert str(plugins.registered_scales()["good-scale"].source) == (
        "plugin 'alliancekit_fake_good' from distribution alliancekit-fake-good 2.1 "
        "(entry point alliancekit_fake_good = alliancekit_fake_good)"
    )
    assert ak.get_scale("good-scale").score({"q1": 1, "q2": 2, "q3": 3}).values() == {"total": 6.0}


def test_a_plugin_that_fails_to_import_is_a_warning_and_the_rest_works(
    scale_plugin: Any,
    fake_site: FakeSite,
) -> None:
    """Import failure: one PluginLoadWarning naming distribution, entry point and error; the
    other plugin and the built-ins still load; the report lists the failure."""
    fake_site.add("fake-broken", BROKEN_AT_IMPORT)
    fake_site.add("fake-fine", scale_plugin("fine-scale"))
    with pytest.warns(ak.PluginLoadWarning) as caught:
        plugins.reload()
    assert [str(w.message) for w in caught] == [
        "plugin 'fake_broken' from distribution fake-broken 1.0 "
        "(entry point fake_broken = fake_broken) failed to import: "
        "ZeroDivisionError: division by zero"
    ]
    assert {"fine-scale", "wai-sr", "srs"} <= scale_ids()
    [failure] = plugins.plugin_report().failures
    assert (failure.stage, failure.source.distribution) == ("import", "fake-broken")


def test_a_broken_plugin_warns_once_per_load_not_on_every_lookup(fake_site: FakeSite) -> None:
    """After the warning at load time, lookups are quiet (warnings are errors in this suite)."""
    fake_site.add("fake-broken", BROKEN_AT_IMPORT)
    with pytest.warns(ak.PluginLoadWarning):
        plugins.reload()
    assert "wai-sr" in scale_ids()
    ak.get_scale("srs")


def test_strict_mode_raises_plugin_load_error_for_an_import_failure(
    fake_site: FakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ALLIANCEKIT_STRICT_PLUGINS=1: the same message as a PluginLoadError, chained to the
    original exception, raised again on the next use rather than forgotten."""
    fake_site.add("fake-broken", BROKEN_AT_IMPORT)
    monkeypatch.setenv("ALLIANCEKIT_STRICT_PLUGINS", "1")
    with pytest.raises(ak.PluginLoadError, match="failed to import: ZeroDivisionError") as caught:
        plugins.reload()
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    with pytest.raises(ak.PluginLoadError):
        ak.list_scales()


def test_a_plugin_that_raises_in_a_hook_loses_only_that_hooks_registrations(
    fake_site: FakeSite,
) -> None:
    """A hook that raises is a warning naming the plugin, the hook and the error; the plugin's
    other hook (storage) and everyone else's registrations stand."""
    fake_site.add("fake-hooky", RAISES_IN_A_HOOK)
    with pytest.warns(ak.PluginLoadWarning) as caught:
        plugins.reload()
    assert [str(w.message) for w in caught] == [
        "plugin 'fake_hooky' from distribution fake-hooky 1.0 "
        "(entry point fake_hooky = fake_hooky) raised in alliancekit_register_scales: "
        "RuntimeError: licence server unreachable"
    ]
    assert "hooky" in plugins.storage_factories()
    assert {"wai-sr", "srs", "ors"} <= scale_ids()


def test_strict_mode_raises_for_a_hook_that_raises(
    fake_site: FakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In strict mode a raising registration hook is a PluginLoadError."""
    fake_site.add("fake-hooky", RAISES_IN_A_HOOK)
    monkeypatch.setenv("ALLIANCEKIT_STRICT_PLUGINS", "1")
    with pytest.raises(ak.PluginLoadError, match="raised in alliancekit_register_scales"):
        plugins.reload()


def test_an_installed_plugin_duplicating_a_builtin_id_is_an_error_never_a_warning(
    scale_plugin: Any,
    fake_site: FakeSite,
) -> None:
    """A plugin registering 'wai-sr': DuplicateRegistrationError from reload, list_scales and
    get_scale, naming the built-in plugin first and the installed plugin second; no warning."""
    fake_site.add("fake-dup", scale_plugin("wai-sr"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for call in (plugins.reload, ak.list_scales, lambda: ak.get_scale("srs")):
            with pytest.raises(ak.DuplicateRegistrationError) as raised:
                call()
            assert (raised.value.kind, raised.value.key) == ("scale", "wai-sr")
            assert raised.value.sources == (
                "built-in plugin 'alliancekit.scales'",
                "plugin 'fake_dup' from distribution fake-dup 1.0 "
                "(entry point fake_dup = fake_dup)",
            )
    assert caught == []


def test_two_installed_plugins_with_one_id_are_a_duplicate(
    scale_plugin: Any, fake_site: FakeSite
) -> None:
    """Two third-party plugins registering 'shared': the error names both (in load order: by
    distribution name), even outside strict mode."""
    fake_site.add("fake-b", scale_plugin("shared"))
    fake_site.add("fake-a", scale_plugin("shared"))
    with pytest.raises(ak.DuplicateRegistrationError) as raised:
        plugins.reload()
    assert [source.split(" from ")[0] for source in raised.value.sources] == [
        "plugin 'fake_a'",
        "plugin 'fake_b'",
    ]


def test_a_misspelled_hook_name_fails_loudly(fake_site: FakeSite) -> None:
    """A hookimpl named alliancekit_register_scale (no s) is refused at load time by
    check_pending: a warning naming the unknown hook, and the plugin is not registered."""
    fake_site.add(
        "fake-typo",
        """
        from alliancekit import hookimpl

        @hookimpl
        def alliancekit_register_scale(register):
            pass
        """,
    )
    with pytest.warns(ak.PluginLoadWarning) as caught:
        plugins.reload()
    message = str(caught[0].message)
    assert message.startswith(
        "plugin 'fake_typo' from distribution fake-typo 1.0 (entry point fake_typo = fake_typo) "
        "could not be registered: PluginValidationError: unknown hook 'alliancekit_register_scale'"
    )
    assert not plugins.get_plugin_manager().has_plugin("fake_typo")


def test_hook_wrappers_are_refused(fake_site: FakeSite) -> None:
    """alliancekit calls each implementation on its own, so a wrapper is refused at load time."""
    fake_site.add(
        "fake-wrapper",
        """
        from alliancekit import hookimpl

        @hookimpl(wrapper=True)
        def alliancekit_register_scales(register):
            return (yield)
        """,
    )
    with pytest.warns(ak.PluginLoadWarning, match="cannot be implemented by wrappers"):
        plugins.reload()
    assert not plugins.get_plugin_manager().has_plugin("fake_wrapper")


@pytest.fixture
def two_plugins(scale_plugin: Any, fake_site: FakeSite) -> FakeSite:
    """Distributions fake-one (entry point 'one', scale 'scale-one') and fake-two ('two')."""
    fake_site.add("fake-one", scale_plugin("scale-one"), entry_point="one")
    fake_site.add("fake-two", scale_plugin("scale-two"), entry_point="two")
    return fake_site


@pytest.mark.parametrize(
    ("environment", "loaded"),
    [
        ({}, {"scale-one", "scale-two"}),
        ({"ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD": "1"}, set()),
        ({"ALLIANCEKIT_LOAD_PLUGINS": "one"}, {"scale-one"}),
        ({"ALLIANCEKIT_LOAD_PLUGINS": "fake-two"}, {"scale-two"}),
        ({"ALLIANCEKIT_LOAD_PLUGINS": " Fake_Two , one "}, {"scale-one", "scale-two"}),
        ({"ALLIANCEKIT_LOAD_PLUGINS": ""}, set()),
        (
            {"ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD": "1", "ALLIANCEKIT_LOAD_PLUGINS": "two"},
            {"scale-two"},
        ),
    ],
)
def test_environment_switches_choose_the_entry_points(
    environment: dict[str, str],
    loaded: set[str],
    two_plugins: FakeSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Autoload can be disabled, or narrowed to an allow-list of entry-point or distribution
    names (normalized); an allow-list works even with autoload disabled."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    plugins.reload()
    assert scale_ids() & {"scale-one", "scale-two"} == loaded
    not_imported = {"scale-one": "fake_one", "scale-two": "fake_two"}
    for scale_id, module in not_imported.items():
        assert (module in sys.modules) == (scale_id in loaded)


def test_an_allow_list_naming_nothing_installed_warns(
    two_plugins: FakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelled allow-list entry is a warning, not silence."""
    monkeypatch.setenv("ALLIANCEKIT_LOAD_PLUGINS", "one,tow")
    with pytest.warns(
        ak.PluginLoadWarning,
        match="ALLIANCEKIT_LOAD_PLUGINS names 'tow', which no installed plugin provides",
    ):
        plugins.reload()
    assert "scale-one" in scale_ids()


def test_reload_reads_the_environment_again(
    two_plugins: FakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin left out by the allow-list is loaded by reload() once the switch is removed."""
    monkeypatch.setenv("ALLIANCEKIT_LOAD_PLUGINS", "one")
    plugins.reload()
    assert "scale-two" not in scale_ids()
    monkeypatch.delenv("ALLIANCEKIT_LOAD_PLUGINS")
    plugins.reload()
    assert {"scale-one", "scale-two"} <= scale_ids()


def test_a_blocked_entry_point_is_not_loaded(two_plugins: FakeSite) -> None:
    """set_blocked(name) removes a loaded plugin and keeps it out on reload."""
    plugins.reload()
    plugins.get_plugin_manager().set_blocked("two")
    assert "scale-two" not in scale_ids()
    plugins.reload()
    assert "scale-two" not in scale_ids()
    assert "scale-one" in scale_ids()


def test_trace_shows_loading_and_hook_calls_on_stderr(
    two_plugins: FakeSite, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """ALLIANCEKIT_TRACE_PLUGINS=1 writes what is loaded and which hook is called to stderr."""
    monkeypatch.setenv("ALLIANCEKIT_TRACE_PLUGINS", "1")
    plugins.reload()
    err = capsys.readouterr().err
    assert (
        "alliancekit plugins: loading plugin 'one' from distribution fake-one 1.0 "
        "(entry point one = fake_one)"
    ) in err
    assert "alliancekit plugins: calling alliancekit_register_scales of plugin 'two'" in err
    assert "registered ['scale-two']" in err


def test_without_trace_nothing_is_written(two_plugins: FakeSite, capsys: Any) -> None:
    """Loading is silent unless tracing is switched on."""
    plugins.reload()
    assert capsys.readouterr().err == ""


def test_concurrent_first_use_loads_each_plugin_once(two_plugins: FakeSite) -> None:
    """Eight threads asking for the catalogue at once: each entry point is registered once, no
    warning, and every thread sees both plugin scales."""
    plugin_manager.forget_entry_points()
    barrier = threading.Barrier(8)
    seen: list[set[str]] = []

    def first_use() -> None:
        barrier.wait()
        seen.append(scale_ids())

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=first_use) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert caught == []
    assert len(seen) == 8
    assert all({"scale-one", "scale-two"} <= ids for ids in seen)
    names = [name for name, _ in plugins.get_plugin_manager().list_name_plugin()]
    assert names.count("one") == names.count("two") == 1


def test_a_plugin_that_exits_at_import_is_named(
    fake_site: FakeSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plugin calling sys.exit() while imported does not take the command with it silently:
    the command exits 1 with a message naming the plugin and the switch that avoids it."""
    from alliancekit.cli import main

    fake_site.add("fake-exit", "import sys\nsys.exit(3)\n")
    plugin_manager.forget_entry_points()
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert "'fake_exit' from distribution fake-exit 1.0" in err
    assert "sys.exit(3)" in err
    assert "ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD=1" in err


def test_a_slow_plugin_import_is_named_on_stderr(
    fake_site: FakeSite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plugin whose import takes longer than the threshold (it may hang) is named on stderr,
    with the switch that skips plugins; the import still completes."""
    monkeypatch.setattr(plugin_manager, "SLOW_IMPORT_SECONDS", 0.05)
    fake_site.add("fake-slow", "import time\ntime.sleep(0.5)\n")
    plugins.reload()
    err = capsys.readouterr().err
    assert "still importing plugin 'fake_slow'" in err
    assert "ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD=1" in err
