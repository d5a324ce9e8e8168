"""Lock schedules as users give them: weekly windows, a date range, a daily window.

Times are local wall-clock times (naive datetimes in the hub's time zone, the zone the lock's
clock follows through Time CC).  Weekdays are 0 = Sunday ... 6 = Saturday, as on the wire;
users write them as ``sun``..``sat`` (or ``monday`` etc.).  A window runs from its start up to,
not including, its end; an end before the start means the next day (22:00-06:00 overnight).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from .errors import NodeError, ZWaveError

KIND_WEEKLY = "weekly"
KIND_DATE_RANGE = "date_range"
KIND_DAILY = "daily"
KINDS = (KIND_WEEKLY, KIND_DATE_RANGE, KIND_DAILY)
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
ALL_DAYS = tuple(range(7))
LAST_MINUTE = 23 * 60 + 59


class InvalidLockSchedule(ZWaveError, ValueError):
    """A schedule that cannot be (kind unknown, start not before end, bad day...)."""


class LockScheduleUnsupported(NodeError):
    """The lock (or the chosen method) cannot hold this schedule (e.g. no date fields, a year
    outside 2000-2099 for Schedule Entry Lock, a slot above 255, no code in the slot)."""


class LockScheduleFull(NodeError):
    """The lock has no room left: ``what`` (time ranges, schedules, week day slots...) needs
    ``needed`` and ``available`` are free."""

    def __init__(self, node_id: int, what: str, needed: int, available: int) -> None:
        super().__init__(
            f"node {node_id}: the lock is full ({what}: {needed} needed, {available} free)", node_id
        )
        self.what = what
        self.needed = needed
        self.available = available


def weekday(moment: datetime) -> int:
    """0 = Sunday ... 6 = Saturday."""
    return (moment.weekday() + 1) % 7


def parse_day(day: Any) -> int:
    if isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6:
        return day
    if isinstance(day, str) and day[:3].lower() in DAYS:
        return DAYS.index(day[:3].lower())
    raise InvalidLockSchedule(f"unknown weekday {day!r} (sun, mon, ... sat)")


def parse_time(value: Any) -> int:
    """``"08:30"`` / ``"08:30:00"`` / :class:`datetime.time` -> minutes after midnight."""
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            pass
        else:
            return parsed.hour * 60 + parsed.minute
    raise InvalidLockSchedule(f"not a time of day: {value!r} (HH:MM)")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).replace(second=0, microsecond=0)
        except ValueError:
            pass
    raise InvalidLockSchedule(f"not a date and time: {value!r}")


@dataclass(frozen=True, slots=True)
class Window:
    """On ``days``, from ``start`` to ``end`` (minutes after midnight, end excluded)."""

    days: tuple[int, ...]
    start: int
    end: int

    def __post_init__(self) -> None:
        if not self.days:
            raise InvalidLockSchedule("a window needs at least one weekday")
        if not (0 <= self.start <= LAST_MINUTE and 0 <= self.end <= LAST_MINUTE) or self.start == self.end:
            raise InvalidLockSchedule(f"the window {_hhmm(self.start)}-{_hhmm(self.end)} is empty")

    @property
    def overnight(self) -> bool:
        """The window starts on its days and ends the next morning (e.g. 22:00-06:00)."""
        return self.end < self.start

    def active(self, now: datetime) -> bool:
        minute = now.hour * 60 + now.minute
        if not self.overnight:
            return weekday(now) in self.days and self.start <= minute < self.end
        return (weekday(now) in self.days and minute >= self.start) or (
            (weekday(now) - 1) % 7 in self.days and minute < self.end
        )

    def boundaries_after(self, now: datetime) -> list[datetime]:
        out = []
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        end_day = 1 if self.overnight else 0
        for offset in range(-1, 8):
            day = midnight + timedelta(days=offset)
            if weekday(day) in self.days:
                start = day + timedelta(minutes=self.start)
                end = day + timedelta(days=end_day, minutes=self.end)
                out += [b for b in (start, end) if b > now]
        return out

    def split(self) -> list[Window]:
        """Same-day pieces (an overnight window: until 23:59 and from 00:00 the next days)."""
        if not self.overnight:
            return [self]
        pieces = [Window(self.days, self.start, LAST_MINUTE)] if self.start < LAST_MINUTE else []
        if self.end > 0:
            pieces.append(Window(tuple(sorted((d + 1) % 7 for d in self.days)), 0, self.end))
        return pieces

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": [DAYS[d] for d in self.days],
            "start_time": _hhmm(self.start),
            "end_time": _hhmm(self.end),
        }


@dataclass(frozen=True, slots=True)
class LockSchedule:
    """One slot's schedule: ``weekly`` (windows), ``daily`` (one window, every day) or
    ``date_range`` (``start`` .. ``end``)."""

    kind: str
    windows: tuple[Window, ...] = ()
    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidLockSchedule(f"unknown schedule kind {self.kind!r}")
        if self.kind == KIND_DATE_RANGE:
            if self.start is None or self.end is None or not self.start < self.end:
                raise InvalidLockSchedule("a date range needs a start before its end")
        elif not self.windows:
            raise InvalidLockSchedule("a weekly or daily schedule needs a window")

    # --- construction --------------------------------------------------------------------

    @classmethod
    def weekly(cls, *windows: tuple[Any, Any, Any]) -> LockSchedule:
        """``weekly((["mon", "tue"], "08:00", "17:00"), ...)``."""
        return cls(
            KIND_WEEKLY,
            tuple(
                Window(tuple(sorted({parse_day(d) for d in days})), parse_time(start), parse_time(end))
                for days, start, end in windows
            ),
        )

    @classmethod
    def daily(cls, start: Any, end: Any) -> LockSchedule:
        return cls(KIND_DAILY, (Window(ALL_DAYS, parse_time(start), parse_time(end)),))

    @classmethod
    def date_range(cls, start: Any, end: Any) -> LockSchedule:
        return cls(KIND_DATE_RANGE, start=_parse_datetime(start), end=_parse_datetime(end))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LockSchedule:
        """Inverse of :meth:`as_dict` (also what the HA services build)."""
        try:
            kind = data["kind"]
            if kind == KIND_WEEKLY:
                return cls.weekly(*((w["days"], w["start_time"], w["end_time"]) for w in data["windows"]))
            if kind == KIND_DAILY:
                return cls.daily(data["start_time"], data["end_time"])
            if kind == KIND_DATE_RANGE:
                return cls.date_range(data["start"], data["end"])
        except (KeyError, TypeError) as err:
            raise InvalidLockSchedule(f"incomplete schedule: {err}") from None
        raise InvalidLockSchedule(f"unknown schedule kind {kind!r}")

    def as_dict(self) -> dict[str, Any]:
        if self.kind == KIND_DATE_RANGE:
            assert self.start is not None and self.end is not None
            return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.kind == KIND_DAILY:
            window = self.windows[0]
            return {"kind": self.kind, "start_time": _hhmm(window.start), "end_time": _hhmm(window.end)}
        return {"kind": self.kind, "windows": [w.as_dict() for w in self.windows]}

    # --- evaluation (local wall-clock time) ------------------------------------------------

    def active(self, now: datetime) -> bool:
        """Is the code allowed at ``now`` (naive local time)?"""
        if self.kind == KIND_DATE_RANGE:
            assert self.start is not None and self.end is not None
            return self.start <= now < self.end
        return any(w.active(now) for w in self.windows)

    def next_boundary(self, now: datetime) -> datetime | None:
        """The next moment after ``now`` at which :meth:`active` may change (None: never)."""
        if self.kind == KIND_DATE_RANGE:
            assert self.start is not None and self.end is not None
            return next((b for b in (self.start, self.end) if b > now), None)
        return min((b for w in self.windows for b in w.boundaries_after(now)), default=None)


__all__ = [
    "DAYS",
    "KINDS",
    "InvalidLockSchedule",
    "LockSchedule",
    "LockScheduleFull",
    "LockScheduleUnsupported",
    "Window",
    "weekday",
]
