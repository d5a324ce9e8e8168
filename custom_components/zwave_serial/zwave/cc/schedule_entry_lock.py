"""Schedule Entry Lock CC (0x4E) v1-v3 (deprecated in favour of Generic Schedule; older locks).

Per user (User Code slot) and schedule slot: week day (v1), year day (v1, years 2000-2099 as
0-99) and daily repeating (v3: weekday mask, start, duration) schedules; Enable Set turns a
user's schedules on or off; v2 Time Offset.  Erased slots report 0xFF (v3 daily repeating: 0).
Weekdays: 0 = Sunday ... 6 = Saturday.  Layouts as in Z-Wave JS's ScheduleEntryLockCC.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any, ClassVar, Self

from ..errors import CCEncodeError, NodeError
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask

CC = CommandClass.SCHEDULE_ENTRY_LOCK
ERASE, MODIFY, UNSET = 0, 1, 0xFF  # set actions; UNSET: an erased field


def _byte(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CCEncodeError(f"{what} must be {low}..{high}")
    return value


_HM = (("hour", 0, 23), ("minute", 0, 59))
WEEK_DAY_FIELDS = (("weekday", 0, 6), *_HM, *_HM)
#: years on the wire are 0-99 for 2000-2099
YEAR_DAY_FIELDS = (("year after 2000", 0, 99), ("month", 1, 12), ("day", 1, 31), *_HM) * 2
DAILY_FIELDS = (*_HM, ("duration hours", 0, 23), ("duration minutes", 0, 59))


def _pack(values: tuple[int, ...], limits: tuple[tuple[str, int, int], ...]) -> bytes:
    return bytes(_byte(v, lo, hi, name) for v, (name, lo, hi) in zip(values, limits, strict=True))


@dataclass(frozen=True, slots=True)
class WeekDaySchedule:
    """``[weekday][start hour][start minute][stop hour][stop minute]``."""

    weekday: int
    start_hour: int
    start_minute: int
    stop_hour: int
    stop_minute: int

    def to_bytes(self) -> bytes:
        return _pack(astuple(self), WEEK_DAY_FIELDS)

    @classmethod
    def from_bytes(cls, data: bytes) -> WeekDaySchedule | None:
        """None when the fields say "erased" (0xFF)."""
        return None if UNSET in data[:5] else cls(*data[:5])


@dataclass(frozen=True, slots=True)
class YearDaySchedule:
    """``[start year][month][day][hour][minute][stop year][month][day][hour][minute]``;
    years are full (2000-2099), 0-99 on the wire."""

    start_year: int
    start_month: int
    start_day: int
    start_hour: int
    start_minute: int
    stop_year: int
    stop_month: int
    stop_day: int
    stop_hour: int
    stop_minute: int

    def to_bytes(self) -> bytes:
        values = astuple(self)
        return _pack((values[0] - 2000, *values[1:5], values[5] - 2000, *values[6:]), YEAR_DAY_FIELDS)

    @classmethod
    def from_bytes(cls, data: bytes) -> YearDaySchedule | None:
        if UNSET in data[:10]:
            return None
        d = data[:10]
        return cls(2000 + d[0], d[1], d[2], d[3], d[4], 2000 + d[5], d[6], d[7], d[8], d[9])


@dataclass(frozen=True, slots=True)
class DailyRepeatingSchedule:
    """``[weekday mask (bit 0 Sunday)][start hour][start minute][duration hour][duration minute]``."""

    weekdays: tuple[int, ...]
    start_hour: int
    start_minute: int
    duration_hour: int
    duration_minute: int

    def to_bytes(self) -> bytes:
        if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
            raise CCEncodeError("weekdays must be 0 (Sunday) .. 6 (Saturday), at least one")
        return set_to_bitmask(set(self.weekdays), length=1) + _pack(astuple(self)[1:], DAILY_FIELDS)

    @classmethod
    def from_bytes(cls, data: bytes) -> DailyRepeatingSchedule | None:
        days = tuple(sorted(d for d in bitmask_to_set(data[:1]) if d <= 6))
        return cls(days, *data[1:5]) if days else None


def _ids(payload: bytes, offset: int, what: str) -> tuple[int, int]:
    require(payload, offset + 2, what)
    return payload[offset], payload[offset + 1]


def _user_slot(user_id: int, slot_id: int) -> bytes:
    return bytes((_byte(user_id, 1, 255, "user id"), _byte(slot_id, 1, 255, "slot")))


@dataclass(frozen=True, slots=True)
class _SlotGet(CCCommand):
    user_id: int
    slot_id: int

    def encode_payload(self) -> bytes:
        return _user_slot(self.user_id, self.slot_id)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(*_ids(payload, 0, f"Schedule Entry Lock {cls.__name__}"))


@dataclass(frozen=True, slots=True)
class _SlotSet(CCCommand):
    """``[action][user id][slot id][schedule]`` (erase: the schedule bytes are 0xFF)."""

    kind: ClassVar[Any]
    size: ClassVar[int]
    action: int
    user_id: int
    slot_id: int
    schedule: Any = None

    def encode_payload(self) -> bytes:
        head = bytes((_byte(self.action, 0, 1, "set action"),)) + _user_slot(self.user_id, self.slot_id)
        if self.action == ERASE:
            return head + bytes((UNSET,)) * self.size
        if not isinstance(self.schedule, self.kind):
            raise CCEncodeError(f"a {self.kind.__name__} is needed to modify a slot")
        return head + self.schedule.to_bytes()

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        what = f"Schedule Entry Lock {cls.__name__}"
        require(payload, 3, what)
        if payload[0] == ERASE:
            return cls(ERASE, payload[1], payload[2])
        require(payload, 3 + cls.size, what)
        return cls(payload[0], payload[1], payload[2], cls.kind.from_bytes(payload[3 : 3 + cls.size]))


@dataclass(frozen=True, slots=True)
class _SlotReport(CCCommand):
    """``[user id][slot id][schedule]``; an empty slot has ``empty`` bytes (schedule None)."""

    kind: ClassVar[Any]
    size: ClassVar[int]
    empty: ClassVar[int] = UNSET
    user_id: int
    slot_id: int
    schedule: Any = None

    def encode_payload(self) -> bytes:
        body = self.schedule.to_bytes() if self.schedule is not None else bytes((self.empty,)) * self.size
        return bytes((self.user_id & 0xFF, self.slot_id & 0xFF)) + body

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        user, slot = _ids(payload, 0, f"Schedule Entry Lock {cls.__name__}")
        raw = payload[2 : 2 + cls.size]
        return cls(user, slot, cls.kind.from_bytes(raw) if len(raw) == cls.size else None)

    def answers(self, get: CCCommand) -> bool:
        return (
            isinstance(get, _SlotGet)
            and get.expects is type(self)
            and (get.user_id, get.slot_id) == (self.user_id, self.slot_id)
        )


@register
@dataclass(frozen=True, slots=True)
class EnableSet(CCCommand):
    """01 ``[user id][enabled]``: the user's schedules apply (1) or not (0)."""

    cc_id = CC
    command_id = 0x01
    user_id: int
    enabled: bool

    def encode_payload(self) -> bytes:
        return bytes((_byte(self.user_id, 1, 255, "user id"), 1 if self.enabled else 0))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        user, enabled = _ids(payload, 0, "Schedule Entry Lock Enable Set")
        return cls(user, enabled == 1)


@register
@dataclass(frozen=True, slots=True)
class EnableAllSet(CCCommand):
    """02 ``[enabled]``: every user's schedules."""

    cc_id = CC
    command_id = 0x02
    enabled: bool

    def encode_payload(self) -> bytes:
        return bytes((1 if self.enabled else 0,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Schedule Entry Lock Enable All Set")
        return cls(payload[0] == 1)


@register
@dataclass(frozen=True, slots=True)
class SupportedReport(CCCommand):
    """0A ``[#week day slots][#year day slots]`` (v3: ``[#daily repeating slots]``), per user."""

    cc_id = CC
    command_id = 0x0A
    week_day_slots: int
    year_day_slots: int
    daily_repeating_slots: int | None = None

    def encode_payload(self) -> bytes:
        counts = (self.week_day_slots, self.year_day_slots, self.daily_repeating_slots)
        return bytes(_byte(c, 0, 255, "slots") for c in counts if c is not None)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Schedule Entry Lock Supported Report")
        return cls(payload[0], payload[1], payload[2] if len(payload) >= 3 else None)


@register
@dataclass(frozen=True, slots=True)
class SupportedGet(CCCommand):
    cc_id = CC
    command_id = 0x09
    expects = SupportedReport


@register
@dataclass(frozen=True, slots=True)
class WeekDayScheduleSet(_SlotSet):
    """03 ``[action][user id][slot id]`` + :class:`WeekDaySchedule`."""

    cc_id = CC
    command_id = 0x03
    kind = WeekDaySchedule
    size = 5


@register
@dataclass(frozen=True, slots=True)
class WeekDayScheduleReport(_SlotReport):
    """05 ``[user id][slot id]`` + :class:`WeekDaySchedule` (None: erased)."""

    cc_id = CC
    command_id = 0x05
    kind = WeekDaySchedule
    size = 5


@register
@dataclass(frozen=True, slots=True)
class WeekDayScheduleGet(_SlotGet):
    cc_id = CC
    command_id = 0x04
    expects = WeekDayScheduleReport


@register
@dataclass(frozen=True, slots=True)
class YearDayScheduleSet(_SlotSet):
    """06 ``[action][user id][slot id]`` + :class:`YearDaySchedule`."""

    cc_id = CC
    command_id = 0x06
    kind = YearDaySchedule
    size = 10


@register
@dataclass(frozen=True, slots=True)
class YearDayScheduleReport(_SlotReport):
    cc_id = CC
    command_id = 0x08
    kind = YearDaySchedule
    size = 10


@register
@dataclass(frozen=True, slots=True)
class YearDayScheduleGet(_SlotGet):
    cc_id = CC
    command_id = 0x07
    expects = YearDayScheduleReport


@register
@dataclass(frozen=True, slots=True)
class TimeOffsetReport(CCCommand):
    """0C (v2) ``[sign | hour][minute][DST sign | DST minutes]``; offsets in minutes."""

    cc_id = CC
    command_id = 0x0C
    standard_offset: int
    dst_offset: int

    def encode_payload(self) -> bytes:
        delta = self.dst_offset - self.standard_offset
        if abs(self.standard_offset) >= 24 * 60 or abs(delta) > 0x7F:
            raise CCEncodeError("time offset out of range")
        hours, minutes = divmod(abs(self.standard_offset), 60)
        sign, dst_sign = 0x80 if self.standard_offset < 0 else 0, 0x80 if delta < 0 else 0
        return bytes((sign | hours, minutes, dst_sign | abs(delta)))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Schedule Entry Lock Time Offset")
        standard = (-1 if payload[0] & 0x80 else 1) * ((payload[0] & 0x7F) * 60 + payload[1])
        delta = (-1 if payload[2] & 0x80 else 1) * (payload[2] & 0x7F)
        return cls(standard, standard + delta)


@register
@dataclass(frozen=True, slots=True)
class TimeOffsetSet(TimeOffsetReport):
    cc_id = CC
    command_id = 0x0D

    def answers(self, get: CCCommand) -> bool:
        return False


@register
@dataclass(frozen=True, slots=True)
class TimeOffsetGet(CCCommand):
    cc_id = CC
    command_id = 0x0B
    expects = TimeOffsetReport


@register
@dataclass(frozen=True, slots=True)
class DailyRepeatingScheduleSet(_SlotSet):
    """10 (v3) ``[action][user id][slot id]`` + :class:`DailyRepeatingSchedule`."""

    cc_id = CC
    command_id = 0x10
    kind = DailyRepeatingSchedule
    size = 5


@register
@dataclass(frozen=True, slots=True)
class DailyRepeatingScheduleReport(_SlotReport):
    """0F (v3) ``[user id][slot id]`` + :class:`DailyRepeatingSchedule` (erased: zeros)."""

    cc_id = CC
    command_id = 0x0F
    kind = DailyRepeatingSchedule
    size = 5
    empty = 0


@register
@dataclass(frozen=True, slots=True)
class DailyRepeatingScheduleGet(_SlotGet):
    cc_id = CC
    command_id = 0x0E
    expects = DailyRepeatingScheduleReport


async def _interview(ctx: CCContext) -> None:
    """Number of slots per user of each kind (schedules themselves are written by services)."""
    try:
        report = await ctx.get(SupportedGet())
    except NodeError:
        return
    assert isinstance(report, SupportedReport)
    ctx.set_static("week_day_slots", report.week_day_slots)
    ctx.set_static("year_day_slots", report.year_day_slots)
    ctx.set_static("daily_repeating_slots", report.daily_repeating_slots or 0 if ctx.version >= 3 else 0)


INFO = register_cc(CCInfo(CC, "Schedule Entry Lock", 3, interview=_interview, interview_order=80))
