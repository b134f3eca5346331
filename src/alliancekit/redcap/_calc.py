"""REDCap calculation syntax: a small tokenizer and recursive-descent parser (never ``eval``).

The tree is made of tuples: ``("num", Fraction)``, ``("str", text)``, ``("var", name)``,
``("neg", node)``, ``("bin", op, left, right)`` with op one of ``+ - * / ^ = <> > >= < <= and
or``, and ``("call", name, (args…))`` with the function name in lower case.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

__all__ = ["CalcSyntaxError", "Node", "parse_calc"]

Node = tuple[Any, ...]
MAX_LENGTH = 20_000
MAX_DEPTH = 100

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<var>\[[A-Za-z][A-Za-z0-9_]*\])
  | (?P<str>"[^"]*"|'[^']*')
  | (?P<op><>|!=|>=|<=|[-+*/^=<>(),])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


class CalcSyntaxError(ValueError):
    """A calculation that the parser does not understand."""


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise CalcSyntaxError(f"longer than {MAX_LENGTH} characters")
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise CalcSyntaxError(f"unexpected character at position {position + 1}")
        kind = match.lastgroup
        assert kind is not None
        value = match.group(kind)
        if kind == "name" and value.lower() in ("and", "or"):
            kind, value = "op", value.lower()
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise CalcSyntaxError(f"expected {value or 'more'} at token {self.at + 1}")
        self.at += 1
        return token

    def accept(self, *values: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in values:
            self.at += 1
            return token[1]
        return None

    def binary(self, level: int) -> Node:
        levels = (
            ("or",),
            ("and",),
            ("=", "<>", "!=", ">", ">=", "<", "<="),
            ("+", "-"),
            ("*", "/"),
        )
        if level == len(levels):
            return self.unary()
        node = self.binary(level + 1)
        while (op := self.accept(*levels[level])) is not None:
            node = ("bin", "<>" if op == "!=" else op, node, self.binary(level + 1))
        return node

    def unary(self) -> Node:
        if self.accept("-"):
            return ("neg", self.unary())
        if self.accept("+"):
            return self.unary()
        node = self.atom()
        if self.accept("^"):
            return ("bin", "^", node, self.unary())
        return node

    def atom(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CalcSyntaxError(f"nested deeper than {MAX_DEPTH}")
        kind, value = self.take()
        if kind == "num":
            node: Node = ("num", Fraction(value))
        elif kind == "str":
            node = ("str", value[1:-1])
        elif kind == "var":
            if self.peek() is not None and self.peek()[0] == "var":  # type: ignore[index]
                raise CalcSyntaxError("event-prefixed fields ([event][field]) are not supported")
            node = ("var", value[1:-1])
        elif kind == "name":
            self.take("(")
            args: list[Node] = []
            if not self.accept(")"):
                args.append(self.binary(0))
                while self.accept(","):
                    args.append(self.binary(0))
                self.take(")")
            node = ("call", value.lower(), tuple(args))
        elif (kind, value) == ("op", "("):
            node = self.binary(0)
            self.take(")")
        else:
            raise CalcSyntaxError(f"unexpected {value!r} at token {self.at}")
        self.depth -= 1
        return node


def parse_calc(text: str) -> Node:
    """Parse a REDCap calculation into a tree.

    :raises CalcSyntaxError: for anything outside the supported syntax.
    """
    parser = _Parser(text)
    node = parser.binary(0)
    if parser.peek() is not None:
        raise CalcSyntaxError(f"unexpected {parser.peek()[1]!r} after the end")  # type: ignore[index]
    return node
