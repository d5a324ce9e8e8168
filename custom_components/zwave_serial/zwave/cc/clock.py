"""Clock CC (0x81), v1: the hub sets a device's local weekday and time.

Set 04 / Report 06 ``[weekday << 5 | hour][minute]`` (weekday 1 = Monday .. 7 = Sunday,
0 = unknown); Get 05.  The hub sends a Set at the end of the interview and after each DST
change (:mod:`..timekeeping`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Self

from ..errors import CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.CLOCK


@dataclass(frozen=True, slots=True)
class _Clock(CCCommand):
    weekday: int  # 1 Monday .. 7 Sunday, 0 unknown
    hour: int
    minute: int

    def encode_payload(self) -> bytes:
        if not (0 <= self.weekday <= 7 and 0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise CCEncodeError("Clock: invalid weekday or time")
        return bytes(((self.weekday << 5) | self.hour, self.minute))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Clock")
        return cls(payload[0] >> 5, payload[0] & 0x1F, payload[1])

    @classmethod
    def at(cls, local: datetime) -> Self:
        """The command for a local wall-clock time."""
        return cls(local.isoweekday(), local.hour, local.minute)


@register
@dataclass(frozen=True, slots=True)
class ClockSet(_Clock):
    cc_id = CC
    command_id = 0x04


@register
@dataclass(frozen=True, slots=True)
class ClockReport(_Clock):
    cc_id = CC
    command_id = 0x06


@register
@dataclass(frozen=True, slots=True)
class ClockGet(CCCommand):
    cc_id = CC
    command_id = 0x05
    expects = ClockReport


INFO = register_cc(CCInfo(CC, "Clock", 1))
