"""A tolerant reader for JavaScript array/object literals embedded in list pages.

Client-rendered government lists keep their items in literals such as
`var itemObj = [{aT: '关于…', "aU": "./202603/t20260305_1.html",},];` — JSON except for single
quotes, unquoted keys, trailing commas and comments. json.loads rejects all of that, so this is a
small recursive-descent parser for exactly those literals (no expressions, no evaluation).
"""
from __future__ import annotations

import json
import re

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_NUMBER = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_ASSIGNED_ARRAY = re.compile(r"[\"']?([A-Za-z_$][\w$.]*)[\"']?\s*[:=]\s*\[")
_JSON = json.JSONDecoder()
_MAX_DEPTH = 40


class JSLiteralError(ValueError):
    """The text is not a literal this parser understands."""


class _Parser:
    def __init__(self, text: str, pos: int = 0):
        self.s, self.i = text, pos

    def skip(self) -> None:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c.isspace():
                self.i += 1
            elif s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                self.i = len(s) if end < 0 else end + 2
            else:
                return

    def value(self, depth: int = 0):
        if depth > _MAX_DEPTH:
            raise JSLiteralError("too deep")
        self.skip()
        if self.i >= len(self.s):
            raise JSLiteralError("unexpected end")
        c = self.s[self.i]
        if c == "[":
            return self.sequence(depth)
        if c == "{":
            return self.mapping(depth)
        if c in "\"'`":
            return self.string()
        m = _NUMBER.match(self.s, self.i)
        if m:
            self.i = m.end()
            text = m.group()
            return int(text, 16) if text.lower().startswith(("0x", "-0x")) else (
                float(text) if any(ch in text for ch in ".eE") else int(text))
        m = _IDENT.match(self.s, self.i)
        if m:
            self.i = m.end()
            return {"true": True, "false": False, "null": None, "undefined": None}.get(m.group())
        raise JSLiteralError(f"unexpected {c!r} at {self.i}")

    def string(self) -> str:
        quote, s = self.s[self.i], self.s
        self.i += 1
        out: list[str] = []
        while self.i < len(s):
            c = s[self.i]
            if c == quote:
                self.i += 1
                return "".join(out)
            if c == "\\" and self.i + 1 < len(s):
                self.i += 1
                e = s[self.i]
                if e == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", s[self.i + 1:self.i + 5]):
                    out.append(chr(int(s[self.i + 1:self.i + 5], 16)))
                    self.i += 4
                elif e == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", s[self.i + 1:self.i + 3]):
                    out.append(chr(int(s[self.i + 1:self.i + 3], 16)))
                    self.i += 2
                elif e != "\n":
                    out.append(_ESCAPES.get(e, e))
            else:
                out.append(c)
            self.i += 1
        raise JSLiteralError("unterminated string")

    def sequence(self, depth: int) -> list:
        self.i += 1
        items: list = []
        while True:
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == "]":
                self.i += 1
                return items
            items.append(self.value(depth + 1))
            self.separator("]")

    def mapping(self, depth: int) -> dict:
        self.i += 1
        out: dict = {}
        while True:
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == "}":
                self.i += 1
                return out
            key = self.key()
            self.skip()
            if self.i >= len(self.s) or self.s[self.i] != ":":
                raise JSLiteralError("expected ':'")
            self.i += 1
            out[key] = self.value(depth + 1)
            self.separator("}")

    def key(self) -> str:
        if self.i < len(self.s) and self.s[self.i] in "\"'":
            return self.string()
        m = _IDENT.match(self.s, self.i) or _NUMBER.match(self.s, self.i)
        if not m:
            raise JSLiteralError("bad key")
        self.i = m.end()
        return m.group()

    def separator(self, closer: str) -> None:
        self.skip()
        if self.i < len(self.s) and self.s[self.i] == ",":
            self.i += 1
        elif self.i >= len(self.s) or self.s[self.i] != closer:
            raise JSLiteralError(f"expected ',' or {closer!r}")


def parse_literal(text: str, pos: int = 0):
    """Parse the literal starting at text[pos]; return (value, end position)."""
    parser = _Parser(text, pos)
    value = parser.value()
    return value, parser.i


def loads(text: str):
    """Parse a whole literal string (JSON first, as it is much faster)."""
    try:
        return json.loads(text)
    except ValueError:
        value, end = parse_literal(text)
        if text[end:].strip().rstrip(";").strip():
            raise JSLiteralError("trailing text") from None
        return value


def assigned_arrays(script: str):
    """Yield (variable name, parsed list) for every `name = [ … ]` literal in a script."""
    for m in _ASSIGNED_ARRAY.finditer(script):
        try:
            value, _ = _JSON.raw_decode(script, m.end() - 1)
        except ValueError:
            try:
                value, _ = parse_literal(script, m.end() - 1)
            except (JSLiteralError, RecursionError, ValueError):
                continue
        if isinstance(value, list):
            yield m.group(1), value
