"""The registration hooks, exercised with plugins registered at runtime: scales, scoring methods
and storage backends, what ``register`` accepts and refuses, and duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak
from alliancekit import hookimpl, plugins, storage as builtin_storage
from alliancekit.scoring._methods import ScoringMethod

Register = Callable[[object, str], object]


class ScalesPlugin:
    """Registers every source it is given, in order."""

    def __init__(self, *sources: object) -> None:
        self.sources = sources

    @hookimpl
    def alliancekit_register_scales(self, register: Any) -> None:
        for source in self.sources:
            register(source)


class MethodsPlugin:
    """Registers scoring methods: each entry is the positional and keyword arguments."""

    def __init__(self, *calls: tuple[tuple[Any, ...], dict[str, Any]]) -> None:
        self.calls = calls

    @hookimpl
    def alliancekit_register_scoring_methods(self, register: Any) -> None:
        for args, kwargs in self.calls:
            register(*args, **kwargs)


class StoragePlugin:
    """Registers storage factories by scheme."""

    def __init__(self, **factories: Callable[[str], Any]) -> None:
        self.factories = factories

    @hookimpl
    def alliancekit_register_storage(self, register: Any) -> None:
        for scheme, factory in self.factories.items():
            register(scheme, factory)


def highest(values: tuple[float | None, ...], score: Any) -> float:
    """A plugin method: the highest answered value."""
    return max(v for v in values if v is not None)


# -- scales ---------------------------------------------------------------------------------------


def test_hook_alliancekit_register_scales(register_plugin: Register, tiny: Any) -> None:
    """A scale registered by a plugin is listed with its origin, returned by get_scale and scores:
    answers 2, 4, 5 sum to 11."""
    register_plugin(ScalesPlugin(tiny("acme-trust")), "acme")
    info = next(s for s in ak.list_scales() if s.id == "acme-trust")
    assert (info.version, info.status, info.origin) == ("1.0.0", "verified", "acme")
    result = ak.get_scale("acme-trust").score({"q1": 2, "q2": 4, "q3": 5})
    assert result.scores["total"].value == 11.0


@pytest.mark.parametrize("form", ["scale", "mapping", "path", "str path"])
def test_register_scales_accepts_a_scale_a_mapping_or_a_path(
    form: str, register_plugin: Register, tiny: Any, tmp_path: Path
) -> None:
    """register() takes a Scale, a document mapping or a path (Path or str) to the document."""
    document = tiny("formed")
    path = tmp_path / "formed.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    source = {
        "scale": ak.load_scale(document),
        "mapping": document,
        "path": path,
        "str path": str(path),
    }[form]
    register_plugin(ScalesPlugin(source), "former")
    assert ak.get_scale("formed").sha256 == ak.load_scale(document).sha256


def test_a_document_file_must_be_named_after_its_scale(
    register_plugin: Register, tiny: Any, tmp_path: Path
) -> None:
    """A plugin's document file whose name is not ``<id>.json`` is refused with a warning."""
    path = tmp_path / "other-name.json"
    path.write_text(json.dumps(tiny("named")), encoding="utf-8")
    register_plugin(ScalesPlugin(path), "misnamed")
    with pytest.warns(ak.PluginLoadWarning, match=r"must be named named\.json \(got other-name"):
        ids = {s.id for s in ak.list_scales()}
    assert "named" not in ids


def test_an_invalid_document_voids_what_the_plugin_registered_in_that_hook(
    register_plugin: Register, tiny: Any
) -> None:
    """One invalid document (a score naming item q9) voids the plugin's other scale in that
    hook call too; the warning names the plugin and the problem; built-ins stay."""
    bad = tiny("bad-one", scores=[{"id": "total", "items": ["q9"], "method": "sum"}])
    register_plugin(ScalesPlugin(tiny("good-one"), bad), "half-broken")
    with pytest.warns(ak.PluginLoadWarning) as caught:
        ids = {s.id for s in ak.list_scales()}
    message = str(caught[0].message)
    assert message.startswith(
        "plugin 'half-broken' (registered at runtime) raised in alliancekit_register_scales: "
        "ScaleDefinitionError: 1 problem in scale document"
    )
    assert "unknown-item" in message
    assert {"good-one", "bad-one"}.isdisjoint(ids)
    assert "wai-sr" in ids


@pytest.mark.parametrize("source", [42, None, b"{}"])
def test_register_scales_refuses_other_types(source: object, register_plugin: Register) -> None:
    """Anything but a Scale, a mapping or a path is a TypeError of the plugin."""
    register_plugin(ScalesPlugin(source), "odd")
    with pytest.warns(ak.PluginLoadWarning, match="TypeError: register\\(\\) takes a Scale"):
        ak.list_scales()


def test_register_called_after_the_hook_returned_is_refused(register_plugin: Register) -> None:
    """A plugin that keeps the callback and calls it later gets a RuntimeError."""
    kept: list[Any] = []

    class Keeper:
        @hookimpl
        def alliancekit_register_scales(self, register: Any) -> None:
            kept.append(register)

    register_plugin(Keeper(), "keeper")
    ak.list_scales()
    with pytest.raises(RuntimeError, match="after its hook returned"):
        kept[0](ak.get_scale("srs"))


def test_registering_and_unregistering_at_runtime_is_seen_by_the_next_lookup(
    tiny: Any,
) -> None:
    """get_scale/list_scales reflect pm.register and pm.unregister without any reload."""
    pm = plugins.get_plugin_manager()
    with pytest.raises(ak.UnknownScaleError):
        ak.get_scale("coming")
    pm.register(ScalesPlugin(tiny("coming")), name="comer")
    assert ak.get_scale("coming").id == "coming"
    pm.unregister(name="comer")
    assert "coming" not in {s.id for s in ak.list_scales()}
    with pytest.raises(ak.UnknownScaleError):
        ak.get_scale("coming")


def test_builtin_scales_are_not_parsed_again(register_plugin: Register, tiny: Any) -> None:
    """get_scale returns the same object on every call, and after the registry is rebuilt."""
    first = ak.get_scale("wai-sr")
    assert ak.get_scale("wai-sr") is first
    register_plugin(ScalesPlugin(tiny("rebuild")), "rebuilder")
    assert ak.get_scale("wai-sr") is first


def test_builtin_scales_come_from_the_default_plugin() -> None:
    """Built-in scales are registered by the built-in plugin and have origin ``alliancekit``."""
    registered = plugins.registered_scales()
    assert str(registered["wai-sr"].source) == "built-in plugin 'alliancekit.scales'"
    assert {s.origin for s in ak.list_scales()} == {"alliancekit"}


def test_a_plugin_scale_id_equal_to_a_builtin_one_is_a_duplicate(
    register_plugin: Register, tiny: Any
) -> None:
    """Registering 'srs' again raises from list_scales, get_scale and reload, naming both."""
    register_plugin(ScalesPlugin(tiny("srs")), "copycat")
    for call in (ak.list_scales, lambda: ak.get_scale("wai-sr"), plugins.reload):
        with pytest.raises(ak.DuplicateRegistrationError) as caught:
            call()
        assert (caught.value.kind, caught.value.key) == ("scale", "srs")
        assert caught.value.sources == (
            "built-in plugin 'alliancekit.scales'",
            "plugin 'copycat' (registered at runtime)",
        )


def test_one_plugin_registering_an_id_twice_is_a_duplicate(
    register_plugin: Register, tiny: Any
) -> None:
    """The same plugin registering one id twice is a conflict too, not a silent override."""
    register_plugin(ScalesPlugin(tiny("twice"), tiny("twice", title="Other")), "twice")
    with pytest.raises(ak.DuplicateRegistrationError, match="scale 'twice' is registered twice"):
        ak.list_scales()


# -- scoring methods --------------------------------------------------------------------------


def test_hook_alliancekit_register_scoring_methods(register_plugin: Register, tiny: Any) -> None:
    """A plugin method named by a document scores: highest of 2, 5, 3 is 5; its range is
    highest(1, 1, 1) = 1 to highest(5, 5, 5) = 5; it records the plugin as its origin."""
    register_plugin(MethodsPlugin((("highest", highest), {})), "maths")
    assert plugins.scoring_methods()["highest"].origin == "maths"
    scale = ak.load_scale(
        tiny("peak", scores=[{"id": "peak", "items": "all", "method": "highest"}])
    )
    assert scale.score_definition("peak").range == (1.0, 5.0)
    assert scale.score({"q1": 2, "q2": 5, "q3": 3}).scores["peak"].value == 5.0


def test_a_scoring_method_may_give_its_range(register_plugin: Register, tiny: Any) -> None:
    """With range=..., the score's range is what that function returns: 3 items of 1–5 give a
    spread (highest − lowest) range of 0 to 5 − 1 = 4; answers 2, 5, 3 spread 5 − 2 = 3."""

    def spread(values: tuple[float | None, ...], score: Any) -> float:
        present = [v for v in values if v is not None]
        return max(present) - min(present)

    def spread_range(bounds: Any, score: Any) -> tuple[float, float]:
        return 0.0, max(high for _, high in bounds) - min(low for low, _ in bounds)

    register_plugin(MethodsPlugin((("spread", spread), {"range": spread_range})), "spreads")
    scale = ak.load_scale(
        tiny("spr", scores=[{"id": "spread", "items": "all", "method": "spread"}])
    )
    assert scale.score_definition("spread").range == (0.0, 4.0)
    assert scale.score({"q1": 2, "q2": 5, "q3": 3}).scores["spread"].value == 3.0


def test_builtin_methods_keep_their_exact_kernels() -> None:
    """sum, mean and weighted_sum come from the built-in plugin with their exact arithmetic."""
    methods = plugins.scoring_methods()
    assert {"sum", "mean", "weighted_sum"} <= set(methods)
    assert all(methods[name].exact is not None for name in ("sum", "mean", "weighted_sum"))
    assert {methods[name].origin for name in ("sum", "mean", "weighted_sum")} == {"alliancekit"}


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("has space", highest), {}, "ValueError: a scoring method name must match"),
        (("", highest), {}, "ValueError: a scoring method name must match"),
        ((7, highest), {}, "ValueError: a scoring method name must match"),
        (("nofunc", 3), {}, "TypeError: the function of scoring method 'nofunc' is not callable"),
        (("badrange", highest), {"range": 1}, "TypeError: the range of scoring method"),
    ],
)
def test_scoring_method_registrations_are_checked(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: str, register_plugin: Register
) -> None:
    """A bad name, function or range is an error of the plugin, reported with the reason."""
    register_plugin(MethodsPlugin((args, kwargs)), "sloppy")
    with pytest.warns(ak.PluginLoadWarning, match=error.replace("(", r"\(").replace(")", r"\)")):
        methods = plugins.scoring_methods()
    assert set(methods) == {"sum", "mean", "weighted_sum"}


def test_a_method_named_like_a_builtin_is_a_duplicate(register_plugin: Register) -> None:
    """A plugin cannot replace ``sum``: DuplicateRegistrationError naming both plugins."""
    register_plugin(MethodsPlugin((("sum", highest), {})), "greedy")
    with pytest.raises(ak.DuplicateRegistrationError) as caught:
        plugins.scoring_methods()
    assert caught.value.sources == (
        "built-in plugin 'alliancekit.scoring_methods'",
        "plugin 'greedy' (registered at runtime)",
    )


def test_a_ready_scoring_method_is_registered_with_the_plugins_origin(
    register_plugin: Register,
) -> None:
    """register(ScoringMethod(...)) keeps the method and sets its origin to the plugin."""
    method = ScoringMethod(name="top", function=highest)
    register_plugin(MethodsPlugin(((method,), {})), "readymade")
    assert plugins.scoring_methods()["top"].origin == "readymade"
    assert plugins.scoring_methods()["top"].function is highest


# -- storage ---------------------------------------------------------------------------------------


def test_hook_alliancekit_register_storage(register_plugin: Register) -> None:
    """A plugin's scheme maps to its factory, beside the built-in sqlite and postgresql ones."""
    opened: list[str] = []

    def open_memory(url: str) -> str:
        opened.append(url)
        return "a store"

    register_plugin(StoragePlugin(memory=open_memory), "memstore")
    factories = plugins.storage_factories()
    assert {"sqlite", "postgresql", "postgres", "memory"} <= set(factories)
    assert factories["memory"]("memory://clinic") == "a store"
    assert opened == ["memory://clinic"]


@pytest.mark.parametrize(
    ("scheme", "module", "function"),
    [
        ("sqlite", "alliancekit.storage._sqlite", "open_sqlite_store"),
        ("postgresql", "alliancekit.storage._postgresql", "open_postgres_store"),
        ("postgres", "alliancekit.storage._postgresql", "open_postgres_store"),
    ],
)
def test_builtin_storage_factories_open_the_backend_module(
    scheme: str, module: str, function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each built-in scheme's factory imports its backend module when called and delegates."""

    class FakeBackend:
        pass

    backend = FakeBackend()
    setattr(backend, function, lambda url: ("opened", url))
    monkeypatch.setitem(__import__("sys").modules, module, backend)
    factory = plugins.storage_factories()[scheme]
    assert factory in (builtin_storage.open_sqlite_store, builtin_storage.open_postgres_store)
    assert factory(f"{scheme}://x") == ("opened", f"{scheme}://x")


@pytest.mark.parametrize("scheme", ["MySQL", "1db", "", "my scheme", None])
def test_storage_schemes_must_be_lowercase_url_schemes(
    scheme: Any, register_plugin: Register
) -> None:
    """A scheme that is not a lowercase URL scheme is an error of the plugin."""
    register_plugin(StoragePlugin(**{"placeholder": print}), "placeholder")
    plugin = StoragePlugin()
    plugin.factories = {scheme: print}
    register_plugin(plugin, "bad-scheme")
    with pytest.warns(ak.PluginLoadWarning, match="a URL scheme must be lowercase"):
        factories = plugins.storage_factories()
    assert "placeholder" in factories


def test_a_storage_scheme_registered_twice_is_a_duplicate(register_plugin: Register) -> None:
    """``sqlite`` registered by a plugin raises, naming the built-in plugin and the newcomer."""
    register_plugin(StoragePlugin(sqlite=print), "other-sqlite")
    with pytest.raises(ak.DuplicateRegistrationError) as caught:
        plugins.storage_factories()
    assert (caught.value.kind, caught.value.key) == ("storage scheme", "sqlite")
    assert caught.value.sources[0] == "built-in plugin 'alliancekit.storage'"


def test_a_duplicate_method_is_an_error_not_an_empty_catalogue(
    register_plugin: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plugin registering ``sum`` again: listing the catalogue raises
    DuplicateRegistrationError naming both plugins (the scales hook that met it while loading
    its documents is not blamed), and ``alliancekit list`` exits 1 saying so."""
    from alliancekit.cli import main

    class Dup:
        """Registers the built-in name ``sum``."""

        @ak.hookimpl
        def alliancekit_register_scoring_methods(self, register: Any) -> None:
            """Register ``sum``."""
            register("sum", lambda values, score: 0.0)

    register_plugin(Dup(), "dup")
    with pytest.raises(ak.DuplicateRegistrationError, match=r"'sum'.*'dup'"):
        ak.list_scales()
    assert main(["list"]) == 1
    assert "registered twice" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("function", "shown"),
    [
        (lambda values, score: float("nan"), "nan"),
        (lambda values, score: "high", "'high'"),
        (lambda values, score: 1 / 0, "ZeroDivisionError"),
        (lambda values, score: True, "True"),
    ],
)
def test_a_method_that_cannot_give_a_range_is_a_definition_issue(
    function: Any, shown: str, register_plugin: Register, tiny: Any
) -> None:
    """A plugin method that returns NaN, text or a boolean, or raises, while the loader derives
    a score's range is a ``method-failed`` issue naming the method and the plugin — never a
    traceback from ``validate_scale``."""

    class Odd:
        """Registers ``odd``."""

        @ak.hookimpl
        def alliancekit_register_scoring_methods(self, register: Any) -> None:
            """Register ``odd``."""
            register("odd", function)

    register_plugin(Odd(), "odd-plugin")
    document = tiny("odd-scale", scores=[{"id": "total", "items": "all", "method": "odd"}])
    issues = ak.validate_scale(document)
    assert [(i.json_path, i.code) for i in issues] == [("$.scores[0].method", "method-failed")]
    assert "'odd'" in issues[0].message
    assert "odd-plugin" in issues[0].message
    assert shown in issues[0].message


@pytest.mark.parametrize("hook", ["method", "scheme", "language"])
def test_names_with_a_trailing_line_break_are_refused(hook: str, register_plugin: Register) -> None:
    """Every name checked by a pattern is matched whole: a trailing line break (which ``$``
    lets through) makes a method name, URL scheme or language tag invalid, and the plugin's
    registration fails (a PluginLoadWarning) instead of adding a look-alike."""

    class Spoofing:
        """Registers names ending in a line break."""

        @ak.hookimpl
        def alliancekit_register_scoring_methods(self, register: Any) -> None:
            """Register ``sum\\n``."""
            if hook == "method":
                register("sum\n", lambda values, score: 0.0)

        @ak.hookimpl
        def alliancekit_register_storage(self, register: Any) -> None:
            """Register ``sqlite\\n``."""
            if hook == "scheme":
                register("sqlite\n", lambda url: url)

        @ak.hookimpl
        def alliancekit_register_item_text(self, register: Any) -> None:
            """Register text in ``en\\n``."""
            if hook == "language":
                register("srs", "en\n", {"q1": "x"}, license_note="test")

    register_plugin(Spoofing(), "spoofing")
    with pytest.warns(ak.PluginLoadWarning, match="must"):
        plugins.scoring_methods()
        plugins.storage_factories()
        plugins.item_text_packs()
    assert "sum\n" not in plugins.scoring_methods()
    assert "sqlite\n" not in plugins.storage_factories()
    assert "srs:en\n" not in plugins.item_text_packs()
