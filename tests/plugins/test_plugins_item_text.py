"""Item text: text packs registered by plugins, text carried by scale documents, the checks on a
pack, and ``alliancekit show --lang``. Text is for people; it never changes a score or a hash."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import alliancekit as ak
from alliancekit import hookimpl, plugins
from alliancekit.cli import main
from alliancekit.plugins._item_text import item_text_languages, text_pack

Register = Callable[[object, str], object]
GERMAN_SRS = {
    "q1": "Beziehung (Testtext)",
    "q3": "Vorgehen (Testtext)",
    "q2": "Ziele und Themen (Testtext)",
}


class TextPlugin:
    """Registers one text pack with the given arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    @hookimpl
    def alliancekit_register_item_text(self, register: Any) -> None:
        register(*self.args, **self.kwargs)


@pytest.fixture
def german_srs(register_plugin: Register) -> None:
    """A German text pack (three of four items) for the built-in SRS, from plugin 'de-pack'."""
    register_plugin(TextPlugin("srs", "de", GERMAN_SRS, license_note="Test licence 42"), "de-pack")


def test_hook_alliancekit_register_item_text(german_srs: None) -> None:
    """The pack is returned in item order (q1, q2, q3), with its licence note and origin."""
    assert ak.item_texts("srs", "de") == {
        "q1": "Beziehung (Testtext)",
        "q2": "Ziele und Themen (Testtext)",
        "q3": "Vorgehen (Testtext)",
    }
    assert list(ak.item_texts("srs", "de")) == ["q1", "q2", "q3"]
    pack = text_pack("srs", "de")
    assert pack is not None
    assert (pack.license_note, pack.origin) == ("Test licence 42", "de-pack")
    assert item_text_languages("srs") == ["de"]


def test_text_changes_neither_the_scale_document_nor_its_hash(german_srs: None) -> None:
    """The scale a pack is for keeps its document and sha256 (SRS ships no item text)."""
    scale = ak.get_scale("srs")
    assert all(item.text is None for item in scale.items)
    assert scale.sha256 == ak.load_scale(scale.to_dict()).sha256


@settings(max_examples=50, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {f"q{n}": st.one_of(st.none(), st.integers(1, 5)) for n in range(1, 13)}
    )
)
def test_a_text_pack_never_changes_a_score(answers: Mapping[str, int | None]) -> None:
    """For any WAI-SR answers, the result is the same with and without an English text pack."""
    before = ak.get_scale("wai-sr").score(answers)
    pm = plugins.get_plugin_manager()
    pack = TextPlugin("wai-sr", "en", {"q1": "some text"}, license_note="test")
    pm.register(pack, name="wai-sr-text")
    try:
        assert ak.item_texts("wai-sr", "en") == {"q1": "some text"}
        after = ak.get_scale("wai-sr").score(answers)
    finally:
        pm.unregister(name="wai-sr-text")
    assert after.to_dict() == before.to_dict()


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (
            ("srs", "de", {"q9": "x", "q1": "y"}),
            {"license_note": "n"},
            "ValueError: the item text of 'srs' (de) names items the scale does not have: 'q9'",
        ),
        (
            ("nope", "de", {"q1": "x"}),
            {"license_note": "n"},
            "LookupError: item text for unknown scale 'nope'",
        ),
        (
            ("srs", "German", {"q1": "x"}),
            {"license_note": "n"},
            "ValueError: language must be a tag such as 'en' or 'pt-BR' (got 'German')",
        ),
        (
            ("srs", "de", {"q1": "x"}),
            {"license_note": " "},
            "ValueError: the item text of 'srs' (de) needs a license_note",
        ),
        (
            ("srs", "de", {}),
            {"license_note": "n"},
            "ValueError: the item text of 'srs' (de) is empty",
        ),
        (
            ("srs", "de", {"q1": ""}),
            {"license_note": "n"},
            "ValueError: the text of 'srs' item 'q1' (de) must have 1 to 5000 characters",
        ),
        (
            ("srs", "de", {"q1": 5}),
            {"license_note": "n"},
            "TypeError: the text of 'srs' item 'q1' is not a string",
        ),
        (
            ("srs", "de", ["q1"]),
            {"license_note": "n"},
            "TypeError: texts must map item ids to text, not list",
        ),
    ],
)
def test_a_bad_pack_is_an_error_of_its_plugin(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: str, register_plugin: Register
) -> None:
    """Unknown items or scales, bad language tags, missing licence notes and empty or non-string
    texts are refused: a warning naming the plugin and the reason; no pack is registered."""
    register_plugin(TextPlugin(*args, **kwargs), "bad-pack")
    with pytest.warns(ak.PluginLoadWarning) as caught:
        packs = plugins.item_text_packs()
    assert str(caught[0].message) == (
        f"plugin 'bad-pack' (registered at runtime) raised in alliancekit_register_item_text: "
        f"{error}"
    )
    assert not [key for key in packs if key.startswith("srs:")]


def test_two_packs_for_one_scale_and_language_are_a_duplicate(
    german_srs: None, register_plugin: Register
) -> None:
    """A second German SRS pack raises DuplicateRegistrationError naming both plugins."""
    register_plugin(TextPlugin("srs", "de", {"q4": "Gesamt"}, license_note="other"), "de-two")
    with pytest.raises(ak.DuplicateRegistrationError) as caught:
        ak.item_texts("srs", "de")
    assert (caught.value.kind, caught.value.key) == ("item text", "srs:de")
    assert caught.value.sources == (
        "plugin 'de-pack' (registered at runtime)",
        "plugin 'de-two' (registered at runtime)",
    )


def test_a_pack_cannot_replace_the_text_a_document_carries(
    register_plugin: Register, tiny: Any
) -> None:
    """A document with English item text owns 'en': an English pack for it is a duplicate; its
    own text is served with the document's licence as the note."""
    document = tiny("texted")
    document["license"]["item_text"] = "included"
    for number, item in enumerate(document["items"], start=1):
        item["text"] = {"en": f"Statement {number}"}

    class Both:
        @hookimpl
        def alliancekit_register_scales(self, register: Any) -> None:
            register(document)

    register_plugin(Both(), "texted")
    assert ak.item_texts("texted", "en") == {
        "q1": "Statement 1",
        "q2": "Statement 2",
        "q3": "Statement 3",
    }
    pack = text_pack("texted", "en")
    assert pack is not None and pack.license_note == "nobody: test data"
    register_plugin(TextPlugin("texted", "en", {"q1": "Other"}, license_note="n"), "override")
    with pytest.raises(ak.DuplicateRegistrationError, match="item text 'texted:en'"):
        ak.item_texts("texted", "en")


def test_no_text_in_a_language_is_an_empty_mapping() -> None:
    """A scale without text in a language gives {} (and no pack)."""
    assert ak.item_texts("wai-sr", "fr") == {}
    assert text_pack("wai-sr", "fr") is None


def test_item_text_of_an_unknown_scale_raises() -> None:
    """An unknown scale id is an UnknownScaleError, as for get_scale."""
    with pytest.raises(ak.UnknownScaleError):
        ak.item_texts("no-such-scale", "en")


def test_show_lang_displays_the_pack_and_its_licence(german_srs: None, capsys: Any) -> None:
    """``alliancekit show srs --lang de`` prints each item's pack text (q4 has none, so its
    construct paraphrase) and the pack's licence note."""
    assert main(["show", "srs", "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "Beziehung (Testtext)" in out
    assert "Vorgehen (Testtext)" in out
    assert "overall: the session was right for the client" in out
    assert "Item text (de) from de-pack: Test licence 42" in out


def test_show_lang_without_text_says_so(capsys: Any) -> None:
    """Asking for a language without text still shows the scale, with a note on stderr."""
    assert main(["show", "srs", "--lang", "fr"]) == 0
    captured = capsys.readouterr()
    assert "no item text in 'fr' for srs" in captured.err
    assert "Session Rating Scale" in captured.out
