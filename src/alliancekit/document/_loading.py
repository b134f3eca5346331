"""Scale documents: JSON -> size limits -> meta-schema -> semantic checks -> :class:`Scale`.

Loading never touches the network and never executes anything from a document: the meta-schema is
package data held in an in-memory :class:`referencing.Registry` whose retriever refuses every
unknown URI, and every validator is given that registry.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from alliancekit.document._issues import child_path, json_path
from alliancekit.document._scale import Scale, canonical_json
from alliancekit.document._semantics import build_scale
from alliancekit.errors import DefinitionIssue, ScaleDefinitionError
from alliancekit.scoring import (
    BUILTIN_METHODS,
    JsonTextError,
    ScoringMethod,
    duplicate_keys,
    read_json,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "SCHEMA_URI",
    "SCHEMA_URIS",
    "ScaleSource",
    "load_scale",
    "meta_schema",
    "parse_json",
    "validate_scale",
]

#: the meta-schema of new documents; a v1 document (``SCHEMA_URIS[1]``) still loads as before
SCHEMA_URI = "urn:alliancekit:schema:scale:2"
#: meta-schema version -> its ``$id``
SCHEMA_URIS = {1: "urn:alliancekit:schema:scale:1", 2: SCHEMA_URI}
ScaleSource = str | os.PathLike[str] | Mapping[str, Any]

#: Limits that keep a hostile document from exhausting memory or the stack.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32
MAX_STRING_CHARS = 100_000
MAX_NODES = 200_000
MAX_MESSAGE_CHARS = 300


def _read_schema(version: int) -> dict[str, Any]:
    path = f"schemas/scale-{version}.json"
    text = resources.files("alliancekit").joinpath(path).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _refuse_retrieval(uri: str) -> referencing.Resource[Any]:
    # Anything not in the registry is unknown: never fetch it.
    raise referencing.exceptions.NoSuchResource(uri)


_SCHEMAS = {version: _read_schema(version) for version in SCHEMA_URIS}
_REGISTRY: referencing.Registry[Any] = referencing.Registry(
    retrieve=_refuse_retrieval,  # type: ignore[call-arg]  # attrs field, unseen by mypy
).with_resources(
    (SCHEMA_URIS[version], DRAFT202012.create_resource(schema))
    for version, schema in _SCHEMAS.items()
)
_VALIDATORS = {
    SCHEMA_URIS[version]: jsonschema.Draft202012Validator(schema, registry=_REGISTRY)
    for version, schema in _SCHEMAS.items()
}


def meta_schema(version: int = 2) -> dict[str, Any]:
    """Return a copy of a scale meta-schema (JSON Schema 2020-12): version 2 (``$id``
    :data:`SCHEMA_URI`, per-fact provenance) by default, or version 1.

    :raises KeyError: for a version that does not exist.
    """
    return json.loads(json.dumps(_SCHEMAS[version]))  # type: ignore[no-any-return]


def load_scale(source: ScaleSource, *, methods: Mapping[str, ScoringMethod] | None = None) -> Scale:
    """Load and validate a scale document from a path or a mapping.

    :param methods: the scoring methods a document may name (default: the built-in ones;
        ``alliancekit.load_scale`` passes every registered method).
    :returns: the :class:`~alliancekit.Scale`.
    :raises ScaleDefinitionError: with every problem found (JSON path, code, message).
    """
    document, label = _document_from(source)
    issues = _schema_issues(document)
    if issues:
        raise ScaleDefinitionError(issues, source=label)
    digest = hashlib.sha256(canonical_json(document)).hexdigest()
    return build_scale(
        document,
        sha256=digest,
        source=label,
        methods=BUILTIN_METHODS if methods is None else methods,
    )


def validate_scale(
    source: ScaleSource, *, methods: Mapping[str, ScoringMethod] | None = None
) -> list[DefinitionIssue]:
    """Check a scale document from a path or a mapping (see :func:`load_scale`).

    :returns: every problem found, each with a JSON path, a stable code and a message; an empty
        list when the document is valid.
    """
    try:
        load_scale(source, methods=methods)
    except ScaleDefinitionError as error:
        return error.errors
    return []


def _document_from(source: object) -> tuple[Any, str | None]:
    if isinstance(source, Mapping):
        _check_limits(source)
        # Through JSON and back: the document keeps plain JSON types only (no subclasses of
        # int or str, no caller-owned objects), exactly what a file would have given.
        return json.loads(canonical_json(_plain(source))), None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return _parse_file(path), str(path)
    raise ScaleDefinitionError(
        [
            _issue(
                "$", "not-a-document", f"expected a path or a mapping, got {type(source).__name__}"
            )
        ]
    )


def _issue(path: str, code: str, message: str) -> DefinitionIssue:
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    return DefinitionIssue(json_path=path, code=code, message=message)


def _parse_file(path: Path) -> Any:
    label = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ScaleDefinitionError(
            [_issue("$", "unreadable-file", f"cannot read the file: {reason}")],
            source=label,
        ) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise ScaleDefinitionError(
            [_issue("$", "document-too-large", f"larger than {MAX_DOCUMENT_BYTES} bytes")],
            source=label,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScaleDefinitionError(
            [_issue("$", "not-utf-8", f"not UTF-8 text (byte {error.start})")], source=label
        ) from None
    try:
        document = parse_json(text)
    except ScaleDefinitionError as error:
        raise ScaleDefinitionError(error.errors, source=label) from None
    return document


#: How :func:`parse_json` reports each code of :func:`~alliancekit.scoring.read_json`.
_JSON_CODES = {
    "not-finite": "invalid-json",
    "too-deep": "document-too-deep",
}


def parse_json(text: str) -> Any:
    """Parse JSON text strictly (no NaN/Infinity, no overflowing numbers, no repeated member
    names, no lone surrogates) within the limits.

    :raises ScaleDefinitionError: code ``invalid-json``, ``duplicate-key`` (one issue per
        repeated name, at the path of the member), ``number-too-large``, ``lone-surrogate``,
        ``document-too-deep`` or a limit code.
    """
    try:
        document = read_json(text)
    except JsonTextError as error:
        if error.code == "duplicate-key":
            repeated = duplicate_keys(text) or [((), error.key or "")]
            raise ScaleDefinitionError(
                [
                    _issue(
                        json_path((*parts, key)),
                        "duplicate-key",
                        "the member appears more than once in its object (JSON readers would "
                        "silently keep only one of them)",
                    )
                    for parts, key in repeated
                ]
            ) from None
        code = _JSON_CODES.get(error.code, error.code)
        message = (
            f"nested deeper than {MAX_DEPTH} levels" if code == "document-too-deep" else str(error)
        )
        raise ScaleDefinitionError([_issue("$", code, message)]) from None
    _check_limits(document)
    return document


def _check_limits(document: Any) -> None:
    """Walk a decoded document iteratively, refusing non-JSON values and oversized structure."""
    issues: list[DefinitionIssue] = []
    stack: list[tuple[Any, str, int]] = [(document, "$", 0)]
    nodes = 0
    while stack and not issues:
        value, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            issues.append(_issue("$", "document-too-large", f"more than {MAX_NODES} values"))
        elif depth > MAX_DEPTH:
            issues.append(
                _issue(path, "document-too-deep", f"nested deeper than {MAX_DEPTH} levels")
            )
        elif isinstance(value, Mapping):
            for key, child in value.items():
                if not isinstance(key, str):
                    issues.append(
                        _issue(
                            path, "not-json", f"a key of type {type(key).__name__} is not a string"
                        )
                    )
                    break
                if _lone_surrogate(key):
                    issues.append(_issue(path, "lone-surrogate", f"a member name {_SURROGATE}"))
                    break
                stack.append((child, child_path(path, key), depth + 1))
        elif isinstance(value, (list, tuple)):
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(value))
        elif isinstance(value, str):
            if _lone_surrogate(value):
                issues.append(_issue(path, "lone-surrogate", _SURROGATE_MESSAGE))
            elif len(value) > MAX_STRING_CHARS:
                issues.append(
                    _issue(path, "string-too-long", f"longer than {MAX_STRING_CHARS} characters")
                )
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                issues.append(_issue(path, "not-finite", "numbers must be finite"))
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > 10**15:
                issues.append(_issue(path, "number-too-large", "integers are limited to 10**15"))
        elif value is not None and not isinstance(value, bool):
            issues.append(_issue(path, "not-json", f"{type(value).__name__} is not a JSON value"))
    if issues:
        raise ScaleDefinitionError(issues)


_SURROGATE = "holds a lone surrogate (\\ud800-\\udfff), which is not text"
_SURROGATE_MESSAGE = f"the text {_SURROGATE}"


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _plain(value: Any) -> Any:
    """Turn mappings and tuples into dicts and lists (after :func:`_check_limits`)."""
    if isinstance(value, Mapping):
        return {key: _plain(child) for key, child in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(child) for child in value]
    return value


_END_OF_TEXT = "$(?![\\s\\S])"


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _is_language_map(schema: Any) -> bool:
    """Whether a (sub)schema is the meta-schema's text-by-language map (``label``)."""
    if isinstance(schema, Mapping) and schema.get("$ref") == "#/$defs/label":
        return True
    names = schema.get("propertyNames") if isinstance(schema, Mapping) else None
    return isinstance(names, Mapping) and "pattern" in names and schema.get("type") == "object"


def _schema_issues(document: Any) -> list[DefinitionIssue]:
    issues = []
    # A v1 document is checked by the v1 meta-schema; anything else by the current one.
    stated = document.get("$schema") if isinstance(document, Mapping) else None
    validator = _VALIDATORS.get(stated) if isinstance(stated, str) else None
    for error in (validator or _VALIDATORS[SCHEMA_URI]).iter_errors(document):
        message = error.message
        language_map = (error.validator == "type" and _is_language_map(error.schema)) or (
            error.validator in ("oneOf", "anyOf")
            and any(_is_language_map(sub.schema) for sub in error.context or ())
        )
        if language_map and not isinstance(error.instance, Mapping):
            message = (
                "must be a map from language code to text, such as "
                f'{{"en": "..."}} (got {type(error.instance).__name__})'
            )
        elif error.validator in ("oneOf", "anyOf") and error.context:
            deepest = jsonschema.exceptions.best_match(error.context)
            if deepest is not None:
                message = f"{message}: {deepest.message}"
        if error.validator == "pattern":
            # The patterns end in "$(?![\s\S])" (end of text in ECMA-262 and Python alike);
            # the message shows the plain "$" a reader expects.
            message = message.replace(repr(_END_OF_TEXT)[1:-1], "$").replace(_END_OF_TEXT, "$")
        path = json_path(error.absolute_path)
        issues.append(_issue(path, f"schema-{_kebab(str(error.validator))}", message))
    issues.sort(key=lambda issue: (issue.json_path, issue.code))
    return issues
