"""Time Parameters CC (0x8B), v1: the hub sets a device's clock to UTC.

Set 01 / Report 03 ``[year u16][month][day][hour][minute][second]`` (UTC per SDS13782;
Z-Wave JS keeps a per-device flag for the few that want local time); Get 02.
The hub sends a Set at the end of the interview and after each DST change
(:mod:`..timekeeping`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Self

from ..errors import CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.TIME_PARAMETERS


@dataclass(frozen=True, slots=True)
class _DateTime(CCCommand):
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int

    def encode_payload(self) -> bytes:
        if not (
            0 <= self.year <= 0xFFFF
            and 1 <= self.month <= 12
            and 1 <= self.day <= 31
            and 0 <= self.hour <= 23
            and 0 <= self.minute <= 59
            and 0 <= self.second <= 59
        ):
            raise CCEncodeError("Time Parameters: invalid date or time")
        return self.year.to_bytes(2, "big") + bytes(
            (self.month, self.day, self.hour, self.minute, self.second)
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 7, "Time Parameters")
        return cls(int.from_bytes(payload[0:2], "big"), *payload[2:7])

    @classmethod
    def at(cls, moment: datetime) -> Self:
        """The command for an aware ``moment`` (converted to UTC)."""
        if moment.tzinfo is None:
            raise CCEncodeError("Time Parameters: the time needs a time zone")
        utc = moment.astimezone(UTC)
        return cls(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)

    def as_datetime(self) -> datetime:
        """The UTC date and time it carries (CCDecodeError-free: invalid fields raise ValueError)."""
        return datetime(self.year, self.month, self.day, self.hour, self.minute, self.second, tzinfo=UTC)


@register
@dataclass(frozen=True, slots=True)
class TimeParametersSet(_DateTime):
    cc_id = CC
    command_id = 0x01


@register
@dataclass(frozen=True, slots=True)
class TimeParametersReport(_DateTime):
    cc_id = CC
    command_id = 0x03


@register
@dataclass(frozen=True, slots=True)
class TimeParametersGet(CCCommand):
    cc_id = CC
    command_id = 0x02
    expects = TimeParametersReport


INFO = register_cc(CCInfo(CC, "Time Parameters", 1))
