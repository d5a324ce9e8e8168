"""A small, strict JSON5 reader (the format of Z-Wave JS's device configuration files).

Accepts what JSON5 adds to JSON: ``//`` and ``/* */`` comments, trailing commas, unquoted
identifier keys, single-quoted strings, escaped line breaks in strings, hexadecimal numbers,
leading/trailing decimal points, ``+``, ``Infinity`` and ``NaN``. Anything else raises
:class:`JSON5Error` with the line and column. Objects keep their key order; a repeated key keeps
its last value (as JavaScript does).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["JSON5Error", "loads"]

_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0"}
_LINE_BREAKS = "\n\r\u2028\u2029"
_WHITESPACE = " \t\n\r\v\f\u00a0\u2028\u2029\ufeff"
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None, "Infinity": math.inf, "NaN": math.nan}


class JSON5Error(ValueError):
    """Malformed JSON5 input, with its position."""

    def __init__(self, message: str, text: str, pos: int) -> None:
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        super().__init__(f"{message} at line {line}, column {column}")
        self.line = line
        self.column = column


def loads(text: str) -> Any:
    """Parse one JSON5 document."""
    parser = _Parser(text)
    try:
        value = parser.value()
    except RecursionError:
        raise JSON5Error("nested too deeply", text, parser.pos) from None
    parser.skip()
    if parser.pos != len(text):
        parser.fail("unexpected content after the document")
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> None:
        raise JSON5Error(message, self.text, self.pos)

    def peek(self) -> str:
        """The next character, or NUL at the end (NUL is in none of the sets tested against)."""
        return self.text[self.pos] if self.pos < len(self.text) else "\0"

    def skip(self) -> None:
        """Skip whitespace and comments."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _WHITESPACE or char.isspace():
                self.pos += 1
            elif text.startswith("//", self.pos):
                while self.pos < len(text) and text[self.pos] not in _LINE_BREAKS:
                    self.pos += 1
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    self.fail("unterminated comment")
                self.pos = end + 2
            else:
                return

    def value(self) -> Any:
        self.skip()
        if self.pos >= len(self.text):
            self.fail("unexpected end of input")
        char = self.peek()
        if char == "{":
            return self.object()
        if char == "[":
            return self.array()
        if char in "\"'":
            return self.string()
        if char in "+-." or char.isdigit() or char in "IN":
            return self.number()
        if char.isalpha():
            word = self.identifier()
            if word in _LITERALS:
                return _LITERALS[word]
            self.pos -= len(word)
            self.fail(f"unexpected word {word!r}")
        self.fail(f"unexpected character {char!r}")
        return None  # unreachable

    def object(self) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        while True:
            self.skip()
            char = self.peek()
            if char == "}":
                self.pos += 1
                return result
            if char in "\"'":
                key = self.string()
            elif char.isalpha() or char in "_$":
                key = self.identifier()
            else:
                self.fail("expected a key or '}'")
            self.skip()
            if self.peek() != ":":
                self.fail("expected ':'")
            self.pos += 1
            result[key] = self.value()
            self.skip()
            char = self.peek()
            if char == ",":
                self.pos += 1
            elif char != "}":
                self.fail("expected ',' or '}'")

    def array(self) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        while True:
            self.skip()
            if self.peek() == "]":
                self.pos += 1
                return result
            result.append(self.value())
            self.skip()
            char = self.peek()
            if char == ",":
                self.pos += 1
            elif char != "]":
                self.fail("expected ',' or ']'")

    def identifier(self) -> str:
        start = self.pos
        text = self.text
        while self.pos < len(text) and (text[self.pos].isalnum() or text[self.pos] in "_$"):
            self.pos += 1
        return text[start : self.pos]

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        parts: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                self.fail("unterminated string")
            char = text[self.pos]
            if char == quote:
                self.pos += 1
                return "".join(parts)
            if char in "\n\r":
                self.fail("line break in string")
            if char != "\\":
                parts.append(char)
                self.pos += 1
                continue
            self.pos += 1
            escape = self.peek()
            if self.pos >= len(text):
                self.fail("unterminated string")
            if escape in _LINE_BREAKS:  # line continuation
                self.pos += 2 if text.startswith("\r\n", self.pos) else 1
            elif escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
                self.pos += 1
            elif escape in "xu":
                width = 2 if escape == "x" else 4
                digits = text[self.pos + 1 : self.pos + 1 + width]
                if len(digits) != width or any(d not in "0123456789abcdefABCDEF" for d in digits):
                    self.fail(f"bad \\{escape} escape")
                parts.append(chr(int(digits, 16)))
                self.pos += 1 + width
            elif self.pos < len(text) and not escape.isdigit():
                parts.append(escape)  # JSON5: any other character escapes to itself
                self.pos += 1
            else:
                self.fail("bad escape")

    def number(self) -> int | float:
        start = self.pos
        text = self.text
        sign = 1
        if self.peek() in "+-":
            sign = -1 if self.peek() == "-" else 1
            self.pos += 1
        word = self.identifier() if self.peek().isalpha() else ""
        if word in ("Infinity", "NaN"):
            return sign * _LITERALS[word]
        if word:
            self.pos = start
            self.fail("bad number")
        if text.startswith(("0x", "0X"), self.pos):
            self.pos += 2
            digits = self.identifier()
            if not digits or any(d not in "0123456789abcdefABCDEF" for d in digits):
                self.pos = start
                self.fail("bad hexadecimal number")
            return sign * int(digits, 16)
        body_start = self.pos
        while self.pos < len(text) and (text[self.pos].isdigit() or text[self.pos] in ".eE" or (
            text[self.pos] in "+-" and text[self.pos - 1] in "eE"
        )):
            self.pos += 1
        body = text[body_start : self.pos]
        if self.peek().isalpha() or self.peek() in "_$":
            self.pos = start
            self.fail("bad number")
        try:
            if any(c in body for c in ".eE"):
                return sign * float(body)
            if len(body) > 1 and body[0] == "0":
                raise ValueError(body)  # no octal / leading zeros
            return sign * int(body)
        except ValueError:
            self.pos = start
            self.fail("bad number")
        return 0  # unreachable
