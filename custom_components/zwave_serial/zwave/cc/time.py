"""Time CC (0x8A), v2.  The hub *supports* Time CC: devices (locks) ask it for local time.

TimeGet 01 / TimeReport 02 ``[b7 RTC failure | hour][minute][second]``; DateGet 03 /
DateReport 04 ``[year u16][month][day]``; TimeOffset Set 05 / Get 06 / Report 07
``[sign|tz hours][tz minutes][sign|DST minutes][DST start month][day][hour][DST end month][day][hour]``.
:func:`answer_time_request` builds the hub's answer to a device's Time GET / Date GET
(``..timekeeping`` answers all three GETs in the hub's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Self

from ..errors import CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.TIME


@register
@dataclass(frozen=True, slots=True)
class TimeReport(CCCommand):
    cc_id = CC
    command_id = 0x02
    hour: int
    minute: int
    second: int
    rtc_failure: bool = False

    def encode_payload(self) -> bytes:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59 and 0 <= self.second <= 59):
            raise CCEncodeError("Time Report: invalid time")
        return bytes(((0x80 if self.rtc_failure else 0) | self.hour, self.minute, self.second))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Time Report")
        return cls(payload[0] & 0x1F, payload[1], payload[2], bool(payload[0] & 0x80))


@register
@dataclass(frozen=True, slots=True)
class TimeGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = TimeReport


@register
@dataclass(frozen=True, slots=True)
class DateReport(CCCommand):
    cc_id = CC
    command_id = 0x04
    year: int
    month: int
    day: int

    def encode_payload(self) -> bytes:
        if not (0 <= self.year <= 0xFFFF and 1 <= self.month <= 12 and 1 <= self.day <= 31):
            raise CCEncodeError("Date Report: invalid date")
        return self.year.to_bytes(2, "big") + bytes((self.month, self.day))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Date Report")
        return cls(int.from_bytes(payload[0:2], "big"), payload[2], payload[3])


@register
@dataclass(frozen=True, slots=True)
class DateGet(CCCommand):
    cc_id = CC
    command_id = 0x03
    expects = DateReport


def _signed(byte: int) -> int:
    """``[b7 sign | 7-bit magnitude]`` -> int (sign 1 = negative)."""
    return -(byte & 0x7F) if byte & 0x80 else byte & 0x7F


def _sign_byte(value: int) -> int:
    if abs(value) > 0x7F:
        raise CCEncodeError("Time Offset: value does not fit in 7 bits")
    return (0x80 | -value) if value < 0 else value


@dataclass(frozen=True, slots=True)
class _TimeOffset(CCCommand):
    """Time zone offset (minutes from UTC, standard time), DST offset (minutes) and the DST
    start/end as (month, day, hour)."""

    tz_offset: int
    dst_offset: int = 0
    dst_start: tuple[int, int, int] = (0, 0, 0)
    dst_end: tuple[int, int, int] = (0, 0, 0)

    def encode_payload(self) -> bytes:
        hours, minutes = divmod(abs(self.tz_offset), 60)
        sign = 0x80 if self.tz_offset < 0 else 0
        if hours > 0x7F:
            raise CCEncodeError("Time Offset: time zone offset too large")
        return (bytes((sign | hours, minutes, _sign_byte(self.dst_offset)))
                + bytes(self.dst_start) + bytes(self.dst_end))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 9, "Time Offset")
        tz = (payload[0] & 0x7F) * 60 + payload[1]
        if payload[0] & 0x80:
            tz = -tz
        return cls(tz, _signed(payload[2]), tuple(payload[3:6]), tuple(payload[6:9]))  # type: ignore[arg-type]


@register
@dataclass(frozen=True, slots=True)
class TimeOffsetSet(_TimeOffset):
    cc_id = CC
    command_id = 0x05


@register
@dataclass(frozen=True, slots=True)
class TimeOffsetReport(_TimeOffset):
    cc_id = CC
    command_id = 0x07


@register
@dataclass(frozen=True, slots=True)
class TimeOffsetGet(CCCommand):
    cc_id = CC
    command_id = 0x06
    expects = TimeOffsetReport


def answer_time_request(get: CCCommand, now: datetime) -> CCCommand | None:
    """The hub's Time Report / Date Report (local time ``now``) for a device's Time GET /
    Date GET; None for anything else.  (The receive path uses ``timekeeping.hub_time_answer``,
    which also answers Time Offset GET in the hub's time zone.)"""
    if isinstance(get, TimeGet):
        return TimeReport(now.hour, now.minute, now.second)
    if isinstance(get, DateGet):
        return DateReport(now.year, now.month, now.day)
    return None


INFO = register_cc(CCInfo(CC, "Time", 2))
