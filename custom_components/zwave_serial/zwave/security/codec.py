"""Shared pieces of the Security (S0) and Security 2 command codecs.

The commands are :class:`~..cc.base.CCCommand` dataclasses (``to_bytes()``, ``describe()``,
``secret``) but are not in the CC registry: the messaging layer hands bytes starting with 0x98
or 0x9F to :func:`.s0_codec.decode_s0_command` / :func:`.s2_codec.decode_s2_command`, which
raise only :class:`.errors.SecurityDecodeError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..cc.base import CCCommand
from .errors import SecurityDecodeError

CC_MARK = 0xEF  # support/control mark in a command class list
EXTENDED_CC_START = 0xF1  # CC ids from here on take two bytes


def require(payload: bytes, length: int, what: str) -> None:
    """Raise :class:`SecurityDecodeError` unless ``payload`` has at least ``length`` bytes."""
    if len(payload) < length:
        raise SecurityDecodeError(f"{what}: need {length} bytes, got {len(payload)}")


def parse_cc_list(data: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A command class list -> (supported, controlled), split at the 0xEF mark (a repeated mark
    is skipped); CC ids >= 0xF1 take two bytes (``first << 8 | second``)."""
    supported: list[int] = []
    controlled: list[int] = []
    target, i = supported, 0
    while i < len(data):
        cc = data[i]
        if cc == CC_MARK:
            target = controlled
            i += 1
            continue
        if cc >= EXTENDED_CC_START:
            if i + 1 >= len(data):
                raise SecurityDecodeError("truncated extended command class in a CC list")
            cc = (cc << 8) | data[i + 1]
            i += 1
        target.append(cc)
        i += 1
    return tuple(supported), tuple(controlled)


def encode_cc_list(supported: Iterable[int], controlled: Iterable[int] = ()) -> bytes:
    """Inverse of :func:`parse_cc_list` (the mark only when there are controlled CCs)."""

    def one(cc: int) -> bytes:
        return cc.to_bytes(2 if cc > 0xFF else 1, "big")

    out = b"".join(one(cc) for cc in supported)
    controlled = tuple(controlled)
    if controlled:
        out += bytes((CC_MARK,)) + b"".join(one(cc) for cc in controlled)
    return out


def decode_with(commands: dict[int, type[CCCommand]], cc_id: int, data: bytes, name: str) -> Any:
    """Decode ``data`` (CC id, command id, payload) with the class registered for its command
    id in ``commands``; every failure is a :class:`SecurityDecodeError`."""
    data = bytes(data)
    if len(data) < 2:
        raise SecurityDecodeError(f"{name}: command too short ({len(data)} bytes)", cc_id)
    if data[0] != cc_id:
        raise SecurityDecodeError(f"{name}: not a {name} command (CC 0x{data[0]:02X})", data[0])
    cls = commands.get(data[1])
    if cls is None:
        raise SecurityDecodeError(f"{name}: unknown command 0x{data[1]:02X}", cc_id, data[1])
    try:
        return cls.decode_payload(data[2:])
    except SecurityDecodeError as err:
        if err.cc_id is None:
            err.cc_id, err.command = cc_id, data[1]
        raise
    except (IndexError, ValueError, KeyError, TypeError, OverflowError) as err:
        # a decoder bug must not escape the receive path as anything else
        raise SecurityDecodeError(f"{cls.__name__}: malformed payload", cc_id, data[1]) from err


def command_table(*classes: type[CCCommand]) -> dict[int, type[CCCommand]]:
    """``{command_id: class}`` for :func:`decode_with`."""
    table: dict[int, type[CCCommand]] = {}
    for cls in classes:
        if cls.command_id in table:
            raise RuntimeError(f"duplicate command id 0x{cls.command_id:02X}")
        table[cls.command_id] = cls
    return table


def redacted_repr(name: str, **fields: object) -> str:
    """``Name(a=1, b=<redacted>)``-style text for commands whose repr must hide a field."""
    return f"{name}({', '.join(f'{key}={value}' for key, value in fields.items())})"


RandomBytes = Callable[[int], bytes]
Clock = Callable[[], float]
