"""Upgrading a meta-schema v1 document to v2: a status on every fact.

A v1 document states one status for the whole document, and ``verified`` there means that every
fact it uses is confirmed by the sources it lists. The upgrade keeps exactly that claim and adds
nothing to it: in a v1 ``verified`` document every fact becomes ``verified``, and a fact without a
source of its own is given the document's listed sources (the ones that vouched for it; with none
listed, such a fact is ``provisional``, since ``verified`` needs a source); in a v1
``provisional`` document every fact becomes ``provisional`` (the document never said which facts
were confirmed) and keeps its own source, if any. Scores and bands do not change; the sha256 does
(it is another document), and ``version`` is left for the author to bump.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from alliancekit.document._loading import SCHEMA_URI, SCHEMA_URIS, ScaleSource, load_scale

__all__ = ["upgrade_document"]


def upgrade_document(source: ScaleSource) -> dict[str, Any]:
    """Return the v2 form of a scale document (a v2 document comes back unchanged).

    :param source: a path or a mapping, as for :func:`load_scale`; it must be valid.
    :returns: a new v2 document that loads and scores exactly as the old one.
    :raises ScaleDefinitionError: when the document is not valid, or when its upgrade is not
        (which would be a defect of this function).
    """
    scale = load_scale(source)
    document = scale.to_dict()
    if document["$schema"] != SCHEMA_URIS[1]:
        return document
    verified = document["verification"]["status"] == "verified"
    listed = "; ".join(document["verification"]["sources"])
    fallback = f"per the document's sources: {listed}" if listed else None
    status = "verified" if verified else "provisional"

    def mark(fact: dict[str, Any]) -> None:
        if verified and not fact.get("source") and fallback is not None:
            fact["source"] = fallback
        fact["status"] = status if fact.get("source") or not verified else "provisional"

    upgraded = copy.deepcopy(document)
    upgraded["$schema"] = SCHEMA_URI
    del upgraded["verification"]["status"]
    keying: dict[str, Any] = {}
    mark(keying)
    upgraded["keying"] = keying
    for spec in upgraded["response_sets"].values():
        mark(spec)
    for spec in upgraded["scores"]:
        mark(spec)
        spec.setdefault("missing", {})
        mark(spec["missing"])
        if "transform" in spec:
            mark(spec["transform"])
    for reading in upgraded.get("interpretation", {}).values():
        for fact in _reading_facts(reading):
            mark(fact)
    load_scale(upgraded)  # the upgrade must be valid
    return upgraded


def _reading_facts(reading: Mapping[str, Any]) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = [*reading.get("bands", []), *reading.get("alerts", [])]
    for norm in reading.get("norms", []):
        facts.append(norm)
        facts.extend(norm.get("bands", []))
    return facts
