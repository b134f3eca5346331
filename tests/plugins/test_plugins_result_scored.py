"""The ``alliancekit_result_scored`` event: every handler runs after every score, a failing
handler is reported without losing the result or stopping the others, and the event costs next
to nothing when nobody listens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import alliancekit as ak
from alliancekit import hookimpl, plugins
from alliancekit.plugins import _registry as plugins_registry

Register = Callable[[object, str], object]
WAI_SR_ALL_FOURS = {f"q{n}": 4 for n in range(1, 13)}


class Recorder:
    """Records every (result, context) it is given."""

    def __init__(self, calls: list[tuple[str, Any, Any]] | None = None, label: str = "") -> None:
        self.calls = calls if calls is not None else []
        self.label = label

    @hookimpl
    def alliancekit_result_scored(self, result: Any, context: Any) -> None:
        self.calls.append((self.label, result, context))


class Failing:
    """Raises, quoting the context's respondent key in its message."""

    @hookimpl
    def alliancekit_result_scored(self, result: Any, context: Any) -> None:
        raise ValueError(f"alert service down for {context.get('respondent_key')}")


def test_hook_alliancekit_result_scored(register_plugin: Register) -> None:
    """A handler gets the very result that score() returns and a context holding the scale;
    WAI-SR with every item 4 totals 12 × 4 = 48."""
    recorder = Recorder()
    register_plugin(recorder, "recorder")
    scale = ak.get_scale("wai-sr")
    result = scale.score(WAI_SR_ALL_FOURS)
    [(_, seen, context)] = recorder.calls
    assert seen is result
    assert seen.scores["total"].value == 48.0
    assert context["scale"] is scale


def test_callers_context_reaches_the_handler(register_plugin: Register) -> None:
    """score(..., context=...) hands the caller's keys to handlers, with the scale added (a
    caller's own "scale" key cannot replace the scale that scored)."""
    recorder = Recorder()
    register_plugin(recorder, "recorder")
    scale = ak.get_scale("wai-sr")
    scale.score(WAI_SR_ALL_FOURS, context={"respondent_key": "k-1", "scale": "not this"})
    [(_, _, context)] = recorder.calls
    assert context["respondent_key"] == "k-1"
    assert context["scale"] is scale


@pytest.mark.parametrize("answers", [WAI_SR_ALL_FOURS, {**WAI_SR_ALL_FOURS, "q1": None}])
def test_notify_false_fires_nothing(register_plugin: Register, answers: dict[str, Any]) -> None:
    """score(..., notify=False) scores (fast and general paths alike) without an event."""
    recorder = Recorder()
    register_plugin(recorder, "recorder")
    result = ak.get_scale("wai-sr").score(answers, notify=False)
    assert result.scale_id == "wai-sr"
    assert recorder.calls == []


def test_a_failing_handler_loses_no_result_and_stops_no_other_handler(
    register_plugin: Register,
) -> None:
    """The handler registered after a failing one still runs; score() returns the result; the
    failure is one PluginLoadWarning naming the plugin, the hook and the error."""
    calls: list[tuple[str, Any, Any]] = []
    register_plugin(Failing(), "failing")
    register_plugin(Recorder(calls, "after"), "after")
    with pytest.warns(ak.PluginLoadWarning) as caught:
        result = ak.get_scale("wai-sr").score(WAI_SR_ALL_FOURS)
    assert result.scores["total"].value == 48.0
    assert [label for label, _, _ in calls] == ["after"]
    assert [str(w.message) for w in caught] == [
        "plugin 'failing' (registered at runtime) raised in alliancekit_result_scored: "
        "ValueError: alert service down for None"
    ]


def test_a_failing_handler_is_a_warning_even_in_strict_mode(
    register_plugin: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Strict mode is about loading; a listener never turns a score into an exception."""
    monkeypatch.setenv("ALLIANCEKIT_STRICT_PLUGINS", "1")
    register_plugin(Failing(), "failing")
    with pytest.warns(ak.PluginLoadWarning):
        result = ak.get_scale("wai-sr").score(WAI_SR_ALL_FOURS)
    assert result.scores["total"].value == 48.0


def test_a_failure_message_never_quotes_the_context(register_plugin: Register) -> None:
    """A respondent key the handler put in its exception message is redacted from the warning."""
    scale = ak.get_scale("wai-sr")
    result = scale.score(WAI_SR_ALL_FOURS)
    register_plugin(Failing(), "failing")
    with pytest.warns(ak.PluginLoadWarning) as caught:
        plugins.notify_result_scored(result, {"scale": scale, "respondent_key": "client-8841"})
    message = str(caught[0].message)
    assert "client-8841" not in message
    assert message.endswith("ValueError: alert service down for <redacted>")


def test_handlers_run_in_registration_order(register_plugin: Register) -> None:
    """Handlers run in the order their plugins were registered."""
    calls: list[tuple[str, Any, Any]] = []
    for label in ("first", "second", "third"):
        register_plugin(Recorder(calls, label), label)
    ak.get_scale("srs").score({"q1": 9.0, "q2": 9.0, "q3": 9.0, "q4": 9.0})
    assert [label for label, _, _ in calls] == ["first", "second", "third"]


def test_a_handler_may_take_only_the_arguments_it_uses(register_plugin: Register) -> None:
    """An implementation with just ``result`` is called with just the result."""
    seen: list[Any] = []

    class ResultOnly:
        @hookimpl
        def alliancekit_result_scored(self, result: Any) -> None:
            seen.append(result)

    register_plugin(ResultOnly(), "result-only")
    result = ak.get_scale("srs").score({"q1": 1.0, "q2": 2.0, "q3": 3.0, "q4": 4.0})
    assert seen == [result]


def test_handlers_cannot_change_the_context_another_handler_sees(
    register_plugin: Register,
) -> None:
    """The context is read-only: a handler that writes to it fails (reported) and the next
    handler sees the context unchanged."""
    calls: list[tuple[str, Any, Any]] = []

    class Writer:
        @hookimpl
        def alliancekit_result_scored(self, context: Any) -> None:
            context["scale"] = None

    register_plugin(Writer(), "writer")
    register_plugin(Recorder(calls, "reader"), "reader")
    scale = ak.get_scale("wai-sr")
    with pytest.warns(ak.PluginLoadWarning, match="TypeError"):
        scale.score(WAI_SR_ALL_FOURS)
    assert calls[0][2]["scale"] is scale


def test_with_no_handler_the_event_does_not_touch_the_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once the (empty) handler list is known, scoring reads only that: the plugin manager and
    the handler lookup are not called again."""
    scale = ak.get_scale("wai-sr")
    scale.score(WAI_SR_ALL_FOURS)
    assert plugins.get_plugin_manager().cache["result handlers"] == ()

    def forbidden(*args: object) -> None:
        raise AssertionError("the registry was consulted on the hot path")

    monkeypatch.setattr(plugins_registry, "get_plugin_manager", forbidden)
    monkeypatch.setattr(plugins_registry, "_result_handlers", forbidden)
    assert scale.score(WAI_SR_ALL_FOURS).scores["total"].value == 48.0


def test_registering_a_handler_later_is_seen_by_the_next_score(register_plugin: Register) -> None:
    """The cached (empty) handler list is dropped when a plugin registers."""
    ak.get_scale("wai-sr").score(WAI_SR_ALL_FOURS)
    recorder = Recorder()
    register_plugin(recorder, "late")
    ak.get_scale("wai-sr").score(WAI_SR_ALL_FOURS)
    assert len(recorder.calls) == 1
