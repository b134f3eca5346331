"""Item text: the wording of a scale's items in a language, from the scale document itself (where
its licence allows shipping it) or from a text pack that a plugin registers.

Text is for people (``alliancekit show --lang``, exports, user interfaces). It never changes a
score, a scale document or its sha256: packs live beside the scales, keyed by scale id and
language, and are checked once, when registered, against the scale's item ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from alliancekit.document import Scale

__all__ = [
    "ItemTextPack",
    "document_packs",
    "item_text_languages",
    "item_texts",
    "make_pack",
    "pack_key",
    "text_pack",
    "texts_for_scale",
]

#: A language tag as the meta-schema allows it in labels (``en``, ``es``, ``pt-BR``).
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_TEXT_CHARS = 5000


@attrs.frozen(kw_only=True)
class ItemTextPack:
    """The text of a scale's items in one language.

    :ivar scale_id: the scale.
    :ivar language: a language tag such as ``en`` or ``pt-BR``.
    :ivar texts: item id -> text, in the scale's item order (a pack may leave items out).
    :ivar license_note: under which licence the text is used.
    :ivar origin: who provides it: the distribution of the plugin, or ``alliancekit``.
    """

    scale_id: str
    language: str
    texts: Mapping[str, str]
    license_note: str
    origin: str


def pack_key(scale_id: str, language: str) -> str:
    """The registry key of a pack, e.g. ``"wai-sr:de"``."""
    return f"{scale_id}:{language}"


def make_pack(
    scale: Scale,
    language: str,
    texts: Mapping[str, str],
    *,
    license_note: str,
    origin: str,
) -> ItemTextPack:
    """Check a text pack against its scale and build it.

    :returns: the :class:`ItemTextPack`, its texts in the scale's item order.
    :raises ValueError: for a bad language tag, an empty pack, an unknown item id, or an empty
        or overlong text or licence note.
    :raises TypeError: when ``texts`` is not a mapping of strings to strings.
    """
    if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
        raise ValueError(f"language must be a tag such as 'en' or 'pt-BR' (got {language!r:.40})")
    if not isinstance(texts, Mapping):
        raise TypeError(f"texts must map item ids to text, not {type(texts).__name__}")
    if not isinstance(license_note, str) or not license_note.strip():
        raise ValueError(f"the item text of {scale.id!r} ({language}) needs a license_note")
    if not texts:
        raise ValueError(f"the item text of {scale.id!r} ({language}) is empty")
    item_ids = [item.id for item in scale.items]
    unknown = sorted(repr(key)[:40] for key in texts if key not in item_ids)
    if unknown:
        raise ValueError(
            f"the item text of {scale.id!r} ({language}) names items the scale does not have: "
            + ", ".join(unknown)
        )
    for item_id, text in texts.items():
        if not isinstance(text, str):
            raise TypeError(f"the text of {scale.id!r} item {item_id!r} is not a string")
        if not text.strip() or len(text) > MAX_TEXT_CHARS:
            raise ValueError(
                f"the text of {scale.id!r} item {item_id!r} ({language}) must have 1 to "
                f"{MAX_TEXT_CHARS} characters"
            )
    ordered = {item_id: texts[item_id] for item_id in item_ids if item_id in texts}
    return ItemTextPack(
        scale_id=scale.id,
        language=language,
        texts=MappingProxyType(ordered),
        license_note=license_note,
        origin=origin,
    )


def document_packs(scale: Scale, *, origin: str) -> list[ItemTextPack]:
    """The item text a scale document itself carries, one pack per language (sorted)."""
    by_language: dict[str, dict[str, str]] = {}
    for item in scale.items:
        for language, text in (item.text or {}).items():
            by_language.setdefault(language, {})[item.id] = text
    note = f"{scale.license.holder}: {scale.license.terms}"
    return [
        ItemTextPack(
            scale_id=scale.id,
            language=language,
            texts=MappingProxyType(texts),
            license_note=note,
            origin=origin,
        )
        for language, texts in sorted(by_language.items())
    ]


def text_pack(scale_id: str, language: str) -> ItemTextPack | None:
    """The item text of a catalogue scale in one language.

    :returns: the pack (from the scale document or a plugin), or ``None`` when there is none.
    :raises UnknownScaleError: when no scale has this id.
    """
    from alliancekit.plugins._catalogue import get_scale
    from alliancekit.plugins._registry import item_text_packs

    get_scale(scale_id)
    return item_text_packs().get(pack_key(scale_id, language))


def item_texts(scale_id: str, language: str = "en") -> dict[str, str]:
    """Item id -> text of a catalogue scale in one language.

    :returns: the texts in item order; an empty dict when there is no text in that language.
    :raises UnknownScaleError: when no scale has this id.
    """
    pack = text_pack(scale_id, language)
    return dict(pack.texts) if pack is not None else {}


def item_text_languages(scale_id: str) -> list[str]:
    """The languages a catalogue scale has item text in, sorted.

    :raises UnknownScaleError: when no scale has this id.
    """
    from alliancekit.plugins._catalogue import get_scale
    from alliancekit.plugins._registry import item_text_packs

    get_scale(scale_id)
    return sorted(p.language for p in item_text_packs().values() if p.scale_id == scale_id)


def texts_for_scale(scale: Scale, language: str) -> ItemTextPack | None:
    """The item text for a scale that may or may not be the catalogue's (e.g. a file being shown).

    :returns: the catalogue's pack when ``scale`` is the catalogue scale of that id (same
        sha256); otherwise the text the document itself carries; ``None`` when there is none.
    """
    from alliancekit.errors import UnknownScaleError
    from alliancekit.plugins._catalogue import get_scale
    from alliancekit.plugins._registry import item_text_packs

    try:
        registered = get_scale(scale.id)
    except UnknownScaleError:
        registered = None
    if registered is not None and registered.sha256 == scale.sha256:
        return item_text_packs().get(pack_key(scale.id, language))
    for pack in document_packs(scale, origin="the scale document"):
        if pack.language == language:
            return pack
    return None
