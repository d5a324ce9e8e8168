"""The ``$if`` conditions of Z-Wave JS's device files: parse once, evaluate per device.

Grammar (as Z-Wave JS's LogicParser): ``a || b``, ``a && b`` (binds tighter), parentheses, and
comparisons ``identifier OP literal`` with OP one of ``=== !== == != < <= > >=``. Literals are
numbers (``0x0102``, ``3``) or versions (``2.10``, ``1.2.3``). ``firmwareVersion`` and
``sdkVersion`` compare as versions (``2.10`` > ``2.9``); the IDs as numbers. A comparison with a
variable the context lacks is false, as in Z-Wave JS.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from functools import lru_cache

__all__ = ["ConditionError", "evaluate", "parse", "parse_version"]

Version = tuple[int, int, int]
Context = Mapping[str, int | str | None]
Predicate = Callable[[Context], bool]

VERSION_VARIABLES = frozenset({"firmwareVersion", "sdkVersion"})
_TOKEN = re.compile(
    r"\s*(?:(?P<hex>0x[0-9a-fA-F]+)|(?P<num>\d+(?:\.\d+){0,2})|(?P<id>[A-Za-z_]\w*)"
    r"|(?P<op>===|!==|==|!=|<=|>=|<|>|&&|\|\||\(|\)))"
)
_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "===": operator.eq,
    "==": operator.eq,
    "!==": operator.ne,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class ConditionError(ValueError):
    """A condition that does not parse."""


def parse_version(text: str) -> Version | None:
    """``"2.10"`` → (2, 10, 0); None if it is not a version of 1 to 3 numbers."""
    parts = str(text).strip().split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return numbers[0], numbers[1], numbers[2]


def evaluate(condition: str, context: Context) -> bool:
    """Whether ``condition`` holds for a device (``productType``, ``firmwareVersion``, ...)."""
    return parse(condition)(context)


@lru_cache(maxsize=1024)
def parse(condition: str) -> Predicate:
    """Compile a condition (cached); :class:`ConditionError` if malformed."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = condition.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ConditionError(f"bad condition {condition!r} at {pos}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    parser = _Parser(condition, tokens)
    predicate = parser.disjunction()
    if parser.index != len(tokens):
        raise ConditionError(f"bad condition {condition!r}: unexpected {tokens[parser.index][1]!r}")
    return predicate


class _Parser:
    def __init__(self, condition: str, tokens: list[tuple[str, str]]) -> None:
        self.condition = condition
        self.tokens = tokens
        self.index = 0

    def _peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def _take(self, kind: str) -> str:
        if self.index >= len(self.tokens) or self.tokens[self.index][0] != kind:
            raise ConditionError(f"bad condition {self.condition!r}: expected {kind}")
        self.index += 1
        return self.tokens[self.index - 1][1]

    def disjunction(self) -> Predicate:
        terms = [self.conjunction()]
        while self._peek() == "||":
            self.index += 1
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else lambda ctx: any(t(ctx) for t in terms)

    def conjunction(self) -> Predicate:
        terms = [self.comparison()]
        while self._peek() == "&&":
            self.index += 1
            terms.append(self.comparison())
        return terms[0] if len(terms) == 1 else lambda ctx: all(t(ctx) for t in terms)

    def comparison(self) -> Predicate:
        if self._peek() == "(":
            self.index += 1
            inner = self.disjunction()
            if self._peek() != ")":
                raise ConditionError(f"bad condition {self.condition!r}: missing ')'")
            self.index += 1
            return inner
        name = self._take("id")
        op = self._take("op")
        if op not in _COMPARE:
            raise ConditionError(f"bad condition {self.condition!r}: {op!r} is not a comparison")
        compare = _COMPARE[op]
        if self.index < len(self.tokens) and self.tokens[self.index][0] == "hex":
            literal: object = int(self._take("hex"), 16)
        else:
            raw = self._take("num")
            literal = parse_version(raw) if name in VERSION_VARIABLES else _number(raw)
        if name in VERSION_VARIABLES:
            if not isinstance(literal, tuple):
                raise ConditionError(f"bad condition {self.condition!r}: {name} needs a version")
            return _version_test(name, compare, literal)
        return _number_test(name, compare, literal)


def _number(raw: str) -> float | int:
    return float(raw) if "." in raw else int(raw)


def _version_test(name: str, compare: Callable[[object, object], bool], literal: Version) -> Predicate:
    def test(ctx: Context) -> bool:
        value = ctx.get(name)
        version = parse_version(str(value)) if value is not None else None
        return version is not None and compare(version, literal)

    return test


def _number_test(name: str, compare: Callable[[object, object], bool], literal: object) -> Predicate:
    def test(ctx: Context) -> bool:
        value = ctx.get(name)
        return isinstance(value, int) and compare(value, literal)

    return test
