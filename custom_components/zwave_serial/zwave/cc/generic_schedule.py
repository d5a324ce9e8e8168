"""Generic Schedule CC (0xA3), v1 (2024A spec; "never certified", not in zwave-js).

Time ranges (date/time windows whose fields each have an "in use" bit; unused = wildcard) are
combined into schedules (time ranges included or excluded).  Authentication CC links a
schedule to a User Code slot.  Time Range Set/Report body: 17 bytes, see :class:`TimeRange`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.GENERIC_SCHEDULE
IN_USE = 0x80
TIME_RANGE_LENGTH = 17

#: one-byte fields after the years, in wire order, with the mask of their value bits
_BYTE_FIELDS = (
    ("start_month", 0x0F), ("stop_month", 0x0F), ("start_day", 0x1F), ("stop_day", 0x1F),
    ("start_hour", 0x1F), ("stop_hour", 0x1F), ("start_minute", 0x3F), ("stop_minute", 0x3F),
    ("daily_start_hour", 0x1F), ("daily_stop_hour", 0x1F),
    ("daily_start_minute", 0x3F), ("daily_stop_minute", 0x3F),
)


def _u15(data: bytes, offset: int) -> int:
    return ((data[offset] & 0x7F) << 8) | data[offset + 1]


def _put_u15(value: int, what: str) -> bytes:
    if not 0 <= value <= 0x7FFF:
        raise CCEncodeError(f"{what} must be 0..32767")
    return value.to_bytes(2, "big")


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A time range; ``None`` = field not in use.  ``weekdays``: 0 = Sunday … 6 = Saturday."""

    weekdays: tuple[int, ...] | None = None
    start_year: int | None = None
    stop_year: int | None = None
    start_month: int | None = None
    stop_month: int | None = None
    start_day: int | None = None
    stop_day: int | None = None
    start_hour: int | None = None
    stop_hour: int | None = None
    start_minute: int | None = None
    stop_minute: int | None = None
    daily_start_hour: int | None = None
    daily_stop_hour: int | None = None
    daily_start_minute: int | None = None
    daily_stop_minute: int | None = None

    @property
    def in_use(self) -> bool:
        """False when every field is unused (a Set then erases the range)."""
        return any(getattr(self, f.name) is not None for f in fields(self))

    def to_bytes(self) -> bytes:
        out = bytearray()
        if self.weekdays is None:
            out.append(0)
        else:
            if any(not 0 <= d <= 6 for d in self.weekdays):
                raise CCEncodeError("weekdays must be 0 (Sunday) .. 6 (Saturday)")
            out.append(IN_USE | sum(1 << d for d in set(self.weekdays)))
        for year in (self.start_year, self.stop_year):
            if year is None:
                out += b"\x00\x00"
            elif not 0 <= year <= 0x7FFF:
                raise CCEncodeError("year must be 0..32767")
            else:
                # only the MSB byte has the in-use bit; the LSB byte is plain
                out += bytes((IN_USE | (year >> 8), year & 0xFF))
        for name, mask in _BYTE_FIELDS:
            value = getattr(self, name)
            if value is None:
                out.append(0)
            elif not 0 <= value <= mask:
                raise CCEncodeError(f"{name} {value} out of range")
            else:
                out.append(IN_USE | value)
        return bytes(out)

    @classmethod
    def from_bytes(cls, data: bytes) -> TimeRange:
        if len(data) < TIME_RANGE_LENGTH:
            raise CCDecodeError(f"Generic Schedule time range: need {TIME_RANGE_LENGTH} bytes, got {len(data)}")
        weekdays = tuple(d for d in range(7) if data[0] & (1 << d)) if data[0] & IN_USE else None
        start_year = _u15(data, 1) if data[1] & IN_USE else None
        stop_year = _u15(data, 3) if data[3] & IN_USE else None
        values = {name: (data[5 + i] & mask if data[5 + i] & IN_USE else None)
                  for i, (name, mask) in enumerate(_BYTE_FIELDS)}
        return cls(weekdays, start_year, stop_year, **values)


@register
@dataclass(frozen=True, slots=True)
class GenericScheduleCapabilitiesReport(CCCommand):
    """Report 02 ``[#schedules u16][#time ranges (15 bits)][#ranges per schedule][b2 weekdays,
    b1 date, b0 hour & minute supported]``."""

    cc_id = CC
    command_id = 0x02
    schedules: int
    time_ranges: int
    ranges_per_schedule: int
    weekdays_supported: bool = True
    date_supported: bool = True
    time_supported: bool = True

    def encode_payload(self) -> bytes:
        flags = (4 if self.weekdays_supported else 0) | (2 if self.date_supported else 0) | (1 if self.time_supported else 0)
        return (self.schedules.to_bytes(2, "big") + _put_u15(self.time_ranges, "time range count")
                + bytes((self.ranges_per_schedule, flags)))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 6, "Generic Schedule Capabilities Report")
        flags = payload[5]
        return cls(int.from_bytes(payload[0:2], "big"), _u15(payload, 2), payload[4],
                   bool(flags & 4), bool(flags & 2), bool(flags & 1))


@register
@dataclass(frozen=True, slots=True)
class GenericScheduleCapabilitiesGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = GenericScheduleCapabilitiesReport


@register
@dataclass(frozen=True, slots=True)
class TimeRangeSet(CCCommand):
    """Set 03 ``[time range id (15 bits)][17 bytes]``; id 0 erases all, an unused range erases it."""

    cc_id = CC
    command_id = 0x03
    time_range_id: int
    time_range: TimeRange = field(default_factory=TimeRange)

    def encode_payload(self) -> bytes:
        return _put_u15(self.time_range_id, "time range id") + self.time_range.to_bytes()

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2 + TIME_RANGE_LENGTH, "Generic Schedule Time Range Set")
        return cls(_u15(payload, 0), TimeRange.from_bytes(payload[2:]))


@register
@dataclass(frozen=True, slots=True)
class TimeRangeReport(CCCommand):
    """Report 05: as the Set, then ``[next time range id (15 bits)]``."""

    cc_id = CC
    command_id = 0x05
    time_range_id: int
    time_range: TimeRange = field(default_factory=TimeRange)
    next_time_range_id: int = 0

    def encode_payload(self) -> bytes:
        return (_put_u15(self.time_range_id, "time range id") + self.time_range.to_bytes()
                + _put_u15(self.next_time_range_id, "next time range id"))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4 + TIME_RANGE_LENGTH, "Generic Schedule Time Range Report")
        return cls(_u15(payload, 0), TimeRange.from_bytes(payload[2:]), _u15(payload, 2 + TIME_RANGE_LENGTH))

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, TimeRangeGet) and get.time_range_id == self.time_range_id


@register
@dataclass(frozen=True, slots=True)
class TimeRangeGet(CCCommand):
    cc_id = CC
    command_id = 0x04
    expects = TimeRangeReport
    time_range_id: int

    def encode_payload(self) -> bytes:
        return _put_u15(self.time_range_id, "time range id")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Generic Schedule Time Range Get")
        return cls(_u15(payload, 0))


ScheduleEntries = tuple[tuple[int, bool], ...]


def _encode_entries(entries: ScheduleEntries) -> bytes:
    if len(entries) > 0xFF:
        raise CCEncodeError("a schedule holds at most 255 time ranges")
    out = bytearray((len(entries),))
    for range_id, include in entries:
        out += _put_u15(range_id, "time range id")
        if include:
            out[-2] |= 0x80
    return bytes(out)


def _decode_entries(payload: bytes, offset: int) -> tuple[ScheduleEntries, int]:
    require(payload, offset + 1, "Generic Schedule entries")
    n = payload[offset]
    require(payload, offset + 1 + 2 * n, "Generic Schedule time range ids")
    entries = tuple((_u15(payload, offset + 1 + 2 * i), bool(payload[offset + 1 + 2 * i] & 0x80)) for i in range(n))
    return entries, offset + 1 + 2 * n


@register
@dataclass(frozen=True, slots=True)
class ScheduleSet(CCCommand):
    """Set 06 ``[schedule id u16][n]{[b7 include | time range id (15 bits)]}``; id 0 (n = 0)
    erases all schedules.  ``entries``: (time range id, include)."""

    cc_id = CC
    command_id = 0x06
    schedule_id: int
    entries: ScheduleEntries = ()

    def encode_payload(self) -> bytes:
        if not 0 <= self.schedule_id <= 0xFFFF:
            raise CCEncodeError("schedule id must be 0..65535")
        return self.schedule_id.to_bytes(2, "big") + _encode_entries(self.entries)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Generic Schedule Schedule Set")
        return cls(int.from_bytes(payload[0:2], "big"), _decode_entries(payload, 2)[0])


@register
@dataclass(frozen=True, slots=True)
class ScheduleReport(CCCommand):
    """Report 08: as the Set, then ``[next schedule id u16]``."""

    cc_id = CC
    command_id = 0x08
    schedule_id: int
    entries: ScheduleEntries = ()
    next_schedule_id: int = 0

    def encode_payload(self) -> bytes:
        return (self.schedule_id.to_bytes(2, "big") + _encode_entries(self.entries)
                + self.next_schedule_id.to_bytes(2, "big"))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Generic Schedule Schedule Report")
        entries, off = _decode_entries(payload, 2)
        require(payload, off + 2, "Generic Schedule Schedule Report next id")
        return cls(int.from_bytes(payload[0:2], "big"), entries, int.from_bytes(payload[off : off + 2], "big"))

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, ScheduleGet) and get.schedule_id == self.schedule_id


@register
@dataclass(frozen=True, slots=True)
class ScheduleGet(CCCommand):
    cc_id = CC
    command_id = 0x07
    expects = ScheduleReport
    schedule_id: int

    def encode_payload(self) -> bytes:
        return self.schedule_id.to_bytes(2, "big")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Generic Schedule Schedule Get")
        return cls(int.from_bytes(payload[0:2], "big"))


async def _interview(ctx: CCContext) -> None:
    """Capabilities only (schedules are written by services)."""
    try:
        caps = await ctx.get(GenericScheduleCapabilitiesGet())
    except NodeError:
        return
    assert isinstance(caps, GenericScheduleCapabilitiesReport)
    ctx.set_static("schedule_count", caps.schedules)
    ctx.set_static("time_range_count", caps.time_ranges)
    ctx.set_static("time_ranges_per_schedule", caps.ranges_per_schedule)


INFO = register_cc(CCInfo(CC, "Generic Schedule", 1, interview=_interview, interview_order=80))
