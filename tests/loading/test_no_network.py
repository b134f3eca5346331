"""Loading a document never touches the network, whatever URLs it contains."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

import alliancekit as ak


class _CountingHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b'{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that serves a schema and counts every request it gets."""
    _CountingHandler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _CountingHandler.requests
    httpd.shutdown()
    httpd.server_close()


def test_server_counts_requests(server: tuple[str, list[str]]) -> None:
    """The counting server works (so a zero count below means something)."""
    import urllib.request

    url, requests = server
    with urllib.request.urlopen(f"{url}/probe") as response:
        assert response.status == 200
    assert requests == ["/probe"]


@pytest.mark.parametrize(
    "mutation",
    [
        {"$schema": "{url}/schema"},
        {"$ref": "{url}/ref"},
        {"$id": "{url}/id", "$ref": "#/definitions/x"},
        {"response_sets": {"remote": {"$ref": "{url}/set"}}},
        {"interpretation": {"total": {"$ref": "{url}/interp", "$dynamicRef": "{url}/dyn"}}},
    ],
    ids=["schema", "ref", "id", "nested-ref", "dynamic-ref"],
)
def test_urls_in_a_document_are_never_fetched(
    server: tuple[str, list[str]], document: dict[str, Any], mutation: dict[str, Any]
) -> None:
    """A document whose $schema/$ref/$id point at a URL fails to load without any request."""
    url, requests = server
    for key, value in mutation.items():
        text = str(value).replace("{url}", url)
        document[key] = eval_free_format(value, url) if isinstance(value, dict) else text
    issues = ak.validate_scale(document)
    assert issues, "the document should be refused"
    assert requests == []


def eval_free_format(value: Any, url: str) -> Any:
    """Replace {url} in every string of a nested structure."""
    if isinstance(value, dict):
        return {k: eval_free_format(v, url) for k, v in value.items()}
    if isinstance(value, str):
        return value.replace("{url}", url)
    return value
