"""Reading QuestionnaireResponses in a stream, as FHIR bulk data export writes them (NDJSON, one
resource per line) or as one Bundle, for ``alliancekit score --input-format fhir``.

A Bundle is not parsed whole: its ``entry`` array is decoded one entry at a time from a sliding
buffer, so memory stays bounded by the largest entry, not the file. Each response becomes one
row whose cells are its answers (checked as :func:`from_questionnaire_response` checks them); a
line or entry that is not a valid response to the scale is a bad row, reported by its number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import IO, Any

from alliancekit.document import Scale
from alliancekit.errors import ResponseError, ResponseIssue, UnknownScaleError
from alliancekit.fhir._response import read_response
from alliancekit.files import Chunk, InputError
from alliancekit.scoring import JsonTextError, read_json

__all__ = ["PASSTHROUGH", "ResponseReader"]

#: The columns a response contributes besides its answers (copied to CSV and JSON Lines output).
PASSTHROUGH = ("id", "subject", "authored")

_BLOCK = 1 << 16
#: The largest single entry (or line) read, so one huge resource cannot exhaust memory.
MAX_RESOURCE_CHARS = 5 * 1024 * 1024
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


class ResponseReader:
    """Read QuestionnaireResponses (NDJSON or one Bundle) to ``scale`` in chunks of rows.

    :ivar header: the pass-through columns and then the scale's item ids.
    :raises InputError: when the stream is neither NDJSON of resources nor a Bundle.
    """

    def __init__(self, stream: IO[str], chunk_rows: int, scale: Scale) -> None:
        self.scale = scale
        self.chunk_rows = chunk_rows
        self.item_ids = [item.id for item in scale.items]
        self.header = [*PASSTHROUGH, *self.item_ids]
        self._resources = _resources(stream)

    def chunks(self) -> Iterator[Chunk]:
        """The responses, chunk by chunk (rows count from 1: lines of NDJSON, entries of a
        Bundle). Each resource is turned into its row as soon as it is read, so a chunk holds
        answers, not resources."""
        start = 1
        while True:
            columns: dict[str, list[Any]] = {name: [] for name in self.header}
            refused: dict[int, list[ResponseIssue]] = {}
            size = 0
            for offset, resource in enumerate(islice(self._resources, self.chunk_rows)):
                size += 1
                row = dict.fromkeys(self.header)
                if isinstance(resource, ResponseIssue):
                    refused[offset] = [resource]
                else:
                    try:
                        _, answers = read_response(resource, self.scale)
                    except ResponseError as error:
                        refused[offset] = error.issues
                    except UnknownScaleError as error:
                        refused[offset] = [_issue("unknown-questionnaire", str(error))]
                    else:
                        row.update(answers)
                        row["id"] = _text(resource.get("id"))
                        subject = resource.get("subject")
                        if isinstance(subject, Mapping):
                            row["subject"] = _text(subject.get("reference"))
                        row["authored"] = _text(resource.get("authored"))
                for name, cells in columns.items():
                    cells.append(row[name])
            if not size:
                return
            yield Chunk(start=start, size=size, columns=columns, text=False, refused=refused)
            start += size


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _issue(code: str, message: str) -> ResponseIssue:
    return ResponseIssue(item_id="*", code=code, message=message[:300])


def _resources(stream: IO[str]) -> Iterator[dict[str, Any] | ResponseIssue]:
    """Every resource of the stream (NDJSON lines, or the entries of one Bundle), or the issue
    that makes its row bad."""
    first = stream.readline(MAX_RESOURCE_CHARS + 1)
    while first and not first.strip():
        first = stream.readline(MAX_RESOURCE_CHARS + 1)
    if not first:
        return
    if not first.lstrip().startswith("{"):
        raise InputError("expected FHIR JSON: NDJSON resources or a Bundle")
    head: Any = None
    if len(first) <= MAX_RESOURCE_CHARS:
        try:
            head = read_json(first)
        except JsonTextError:
            head = None
    if isinstance(head, dict) and head.get("resourceType") != "Bundle":
        yield head
        yield from _ndjson(stream)
    else:
        # One JSON document over many lines, or a Bundle: decoded piece by piece.
        yield from _document(_Buffer(stream, first))


def _ndjson(lines: Iterable[str]) -> Iterator[dict[str, Any] | ResponseIssue]:
    for line in lines:
        if not line.strip():
            continue
        if len(line) > MAX_RESOURCE_CHARS:
            yield _issue("resource-too-large", f"longer than {MAX_RESOURCE_CHARS} characters")
            continue
        try:
            resource = read_json(line)
        except JsonTextError as error:
            yield _issue(error.code, f"the line is not valid JSON: {error}")
            continue
        yield resource if isinstance(resource, dict) else _issue("invalid-json", "not an object")


def _document(reader: _Buffer) -> Iterator[dict[str, Any] | ResponseIssue]:
    """The entries of a Bundle, decoded one at a time; a single resource spread over many lines
    is that one resource."""
    reader.expect("{")
    members: dict[str, Any] = {}
    while reader.peek_nonspace() != "}":
        key = reader.decode_value()
        if not isinstance(key, str):
            raise InputError("not valid JSON")
        reader.expect(":")
        if key == "entry" and reader.peek_nonspace() == "[":
            yield from _entries(reader)
            members[key] = True
        else:
            value = reader.decode_value()
            if value is _PARTIAL:
                raise InputError(f"the member {key[:40]!r} is not valid JSON (or too large)")
            members[key] = value
        if reader.peek_nonspace() == ",":
            reader.expect(",")
    if members.get("resourceType") == "Bundle":
        return
    if "entry" in members or not isinstance(members.get("resourceType"), str):
        raise InputError("expected NDJSON resources or a Bundle (resourceType 'Bundle')")
    yield members


def _entries(reader: _Buffer) -> Iterator[dict[str, Any] | ResponseIssue]:
    reader.expect("[")
    if reader.peek_nonspace() == "]":
        reader.expect("]")
        return
    while True:
        entry = reader.decode_value()
        if entry is _PARTIAL:
            raise InputError("a Bundle entry is not valid JSON (or larger than the limit)")
        try:
            # Decoded again strictly: no repeated member names, lone surrogates or huge numbers.
            entry = read_json(reader.last_text)
        except JsonTextError as error:
            yield _issue(error.code, f"the entry is not valid JSON: {error}")
        else:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict):
                yield resource
            else:
                yield _issue("not-a-resource", "the entry has no resource object")
        separator = reader.peek_nonspace()
        reader.expect(separator if separator in ",]" else ",")
        if separator == "]":
            return


_PARTIAL: Any = object()


class _Buffer:
    """A text stream read in blocks, with JSON values decoded from a sliding buffer."""

    def __init__(self, stream: IO[str], start: str) -> None:
        self.stream = stream
        self.text = start
        self.at = 0
        self.done = False
        #: the text of the value :meth:`decode_value` returned last
        self.last_text = ""

    def _more(self) -> bool:
        if self.done:
            return False
        block = self.stream.read(_BLOCK)
        if not block:
            self.done = True
            return False
        if self.at > _BLOCK:  # drop what was decoded already
            self.text, self.at = self.text[self.at :], 0
        self.text += block
        return True

    def peek_nonspace(self) -> str:
        """The next character that is not white space (``""`` at the end)."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _SPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        """Consume ``char`` (after white space).

        :raises InputError: when something else comes.
        """
        if self.peek_nonspace() != char:
            raise InputError(f"the Bundle is not valid JSON (expected {char!r})")
        self.at += 1

    def decode_value(self) -> Any:
        """The next JSON value, reading more as needed; ``_PARTIAL`` when it does not complete
        (invalid, or larger than :data:`MAX_RESOURCE_CHARS`)."""
        self.peek_nonspace()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError:
                if len(self.text) - self.at > MAX_RESOURCE_CHARS or not self._more():
                    return _PARTIAL
                continue
            except RecursionError:
                return _PARTIAL
            if end == len(self.text) and isinstance(value, (int, float)) and self._more():
                continue  # a number may go on in the next block
            self.last_text = self.text[self.at : end]
            self.at = end
            return value
