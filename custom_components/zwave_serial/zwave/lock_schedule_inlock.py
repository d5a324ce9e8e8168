"""Schedules kept by the lock itself.

:class:`GenericScheduleBackend` (Generic Schedule CC 0xA3 + Authentication CC 0xA1, the way
seed 002 describes): read the capabilities, write the time ranges, then the schedule that
includes them, then the technologies combination that links the User Code slot to the schedule.
:class:`ScheduleEntryLockBackend` (Schedule Entry Lock CC 0x4E, older locks): week day, year
day and daily repeating slots per user, then Enable Set for the user.

Both return the ids they used (kept in the node cache so that they can be erased later and are
not handed out twice) and raise :class:`LockScheduleFull` when the lock has no room.
Without Supervision the last write is read back to confirm.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from .cc.authentication import (
    AuthenticationCapabilityGet,
    AuthenticationCapabilityReport,
    TechnologiesCombination,
    TechnologiesCombinationGet,
    TechnologiesCombinationReport,
    TechnologiesCombinationSet,
)
from .cc.base import CCCommand
from .cc.generic_schedule import (
    GenericScheduleCapabilitiesGet,
    GenericScheduleCapabilitiesReport,
    ScheduleSet,
    TimeRange,
    TimeRangeSet,
)
from .cc.ids import CommandClass
from .cc.schedule_entry_lock import (
    ERASE,
    MODIFY,
    DailyRepeatingSchedule,
    DailyRepeatingScheduleGet,
    DailyRepeatingScheduleSet,
    EnableSet,
    SupportedGet,
    SupportedReport,
    TimeOffsetSet,
    WeekDaySchedule,
    WeekDayScheduleGet,
    WeekDayScheduleSet,
    YearDaySchedule,
    YearDayScheduleGet,
    YearDayScheduleSet,
)
from .errors import NodeError, SupervisionFailed
from .lock_schedule_model import (
    KIND_DAILY,
    KIND_DATE_RANGE,
    LockSchedule,
    LockScheduleFull,
    LockScheduleUnsupported,
)
from .node import SetValueStatus

if TYPE_CHECKING:
    from .node import Node

_LOGGER = logging.getLogger(__name__)
FALLBACK_SCHEDULE = 0x01  # seed 002: "enable access based on the schedule"


async def _send(node: Node, command: CCCommand) -> bool:
    """Send a set; True when the lock confirmed it (Supervision SUCCESS)."""
    try:
        result = await node.send_command(command, verify=False)
    except SupervisionFailed:
        raise NodeError(f"node {node.node_id} refused {type(command).__name__}", node.node_id) from None
    return result.status in (SetValueStatus.SUCCESS, SetValueStatus.WORKING)


def _free(used: set[int], count: int, needed: int, prefer: list[int]) -> list[int]:
    """``needed`` ids from 1..count not in ``used``, ``prefer`` first."""
    ids = [i for i in prefer if 1 <= i <= count and i not in used]
    ids += [i for i in range(1, count + 1) if i not in used and i not in ids]
    return ids[:needed]


def time_ranges_for(schedule: LockSchedule) -> list[TimeRange]:
    """Generic Schedule time ranges expressing ``schedule`` (all included)."""
    if schedule.kind == KIND_DATE_RANGE:
        s, e = schedule.start, schedule.end
        assert s is not None and e is not None
        return [
            TimeRange(
                start_year=s.year,
                stop_year=e.year,
                start_month=s.month,
                stop_month=e.month,
                start_day=s.day,
                stop_day=e.day,
                start_hour=s.hour,
                stop_hour=e.hour,
                start_minute=s.minute,
                stop_minute=e.minute,
            )
        ]
    out = []
    for w in (piece for window in schedule.windows for piece in window.split()):
        out.append(
            TimeRange(
                weekdays=None if schedule.kind == KIND_DAILY else w.days,
                daily_start_hour=w.start // 60,
                daily_start_minute=w.start % 60,
                daily_stop_hour=w.end // 60,
                daily_stop_minute=w.end % 60,
            )
        )
    return out


class GenericScheduleBackend:
    """Generic Schedule + Authentication.  ids: ``{"time_ranges": [...], "schedule_id", "auth_id"}``."""

    method = "generic_schedule"

    def __init__(self, node: Node) -> None:
        self.node = node

    async def write(
        self, slot: int, schedule: LockSchedule, old: dict[str, Any] | None, used: dict[str, set[int]]
    ) -> dict[str, Any]:
        """``used``: ids held by the node's other slots (``time_ranges``, ``schedules``, ``auth``)."""
        node = self.node
        caps = await node.get(GenericScheduleCapabilitiesGet())
        auth = await node.get(AuthenticationCapabilityGet())
        assert isinstance(caps, GenericScheduleCapabilitiesReport)
        assert isinstance(auth, AuthenticationCapabilityReport)
        if schedule.kind == KIND_DATE_RANGE and not caps.date_supported:
            raise LockScheduleUnsupported(
                f"node {node.node_id}: the lock's schedules have no dates", node.node_id
            )
        if schedule.kind != KIND_DATE_RANGE and not caps.weekdays_supported and schedule.kind != KIND_DAILY:
            raise LockScheduleUnsupported(
                f"node {node.node_id}: the lock's schedules have no weekdays", node.node_id
            )
        ranges = time_ranges_for(schedule)
        old = old or {}
        if len(ranges) > caps.ranges_per_schedule:
            raise LockScheduleFull(
                node.node_id, "time ranges per schedule", len(ranges), caps.ranges_per_schedule
            )
        range_ids = _free(
            used["time_ranges"], caps.time_ranges, len(ranges), list(old.get("time_ranges", []))
        )
        if len(range_ids) < len(ranges):
            raise LockScheduleFull(node.node_id, "time ranges", len(ranges), len(range_ids))
        schedule_ids = _free(used["schedules"], caps.schedules, 1, [old.get("schedule_id", 0)])
        if not schedule_ids:
            raise LockScheduleFull(node.node_id, "schedules", 1, 0)
        auth_ids = _free(used["auth"], auth.auth_ids, 1, [old.get("auth_id", 0), slot])
        if not auth_ids:
            raise LockScheduleFull(node.node_id, "authentication combinations", 1, 0)
        # order (seed 002): time ranges, then the schedule, then the combination linking the code
        for range_id, time_range in zip(range_ids, ranges, strict=True):
            await _send(node, TimeRangeSet(range_id, time_range))
        await _send(node, ScheduleSet(schedule_ids[0], tuple((r, True) for r in range_ids)))
        combination = TechnologiesCombination(auth_ids[0], FALLBACK_SCHEDULE, slot, schedule_ids[0])
        if not await _send(node, TechnologiesCombinationSet(combination)):
            report = await node.get(TechnologiesCombinationGet(auth_ids[0]))
            assert isinstance(report, TechnologiesCombinationReport)
            if combination not in report.combinations:
                raise NodeError(
                    f"node {node.node_id} did not store the schedule of slot {slot}", node.node_id
                )
        ids = {"time_ranges": range_ids, "schedule_id": schedule_ids[0], "auth_id": auth_ids[0]}
        await self._erase_unused(old, ids)
        return ids

    async def erase(self, ids: dict[str, Any]) -> None:
        """Unlink the code first, then the schedule, then its time ranges."""
        await self._erase_unused(ids, {})

    async def _erase_unused(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        node = self.node
        if old.get("auth_id") and old["auth_id"] != new.get("auth_id"):
            await _send(node, TechnologiesCombinationSet(TechnologiesCombination(old["auth_id"], 0)))
        if old.get("schedule_id") and old["schedule_id"] != new.get("schedule_id"):
            await _send(node, ScheduleSet(old["schedule_id"]))
        for range_id in old.get("time_ranges", []):
            if range_id not in new.get("time_ranges", []):
                await _send(node, TimeRangeSet(range_id))


def _week_days(schedule: LockSchedule) -> list[WeekDaySchedule]:
    return [
        WeekDaySchedule(day, w.start // 60, w.start % 60, w.end // 60, w.end % 60)
        for window in schedule.windows
        for w in window.split()
        for day in w.days
    ]


def _daily(schedule: LockSchedule) -> list[DailyRepeatingSchedule]:
    out = []
    for w in schedule.windows:
        hours, minutes = divmod((w.end - w.start) % (24 * 60), 60)  # overnight: into the next day
        out.append(DailyRepeatingSchedule(w.days, w.start // 60, w.start % 60, hours, minutes))
    return out


class ScheduleEntryLockBackend:
    """Schedule Entry Lock.  ids: ``{"week_day": [...], "year_day": [...], "daily_repeating": [...]}``
    (the lock's schedule slots of this user)."""

    method = "schedule_entry_lock"

    def __init__(self, node: Node, tz: tzinfo | None = None) -> None:
        self.node = node
        self.tz = tz

    def time_offset(self, year: int) -> TimeOffsetSet:
        """The hub's zone as v2 Time Offset: standard and DST offsets in minutes."""
        tz = self.tz or datetime.now().astimezone().tzinfo or UTC
        offsets = [
            int(
                (datetime(year, m, 1, tzinfo=UTC).astimezone(tz).utcoffset() or timedelta(0)).total_seconds()
                // 60
            )
            for m in (1, 7)
        ]
        return TimeOffsetSet(min(offsets), max(offsets))

    def plan(self, schedule: LockSchedule, caps: SupportedReport) -> tuple[str, list[Any]]:
        """Which kind of slots express ``schedule`` on this lock, and their contents."""
        node_id = self.node.node_id
        daily_slots = caps.daily_repeating_slots or 0
        if schedule.kind == KIND_DATE_RANGE:
            s, e = schedule.start, schedule.end
            assert s is not None and e is not None
            if not (2000 <= s.year <= 2099 and 2000 <= e.year <= 2099):
                raise LockScheduleUnsupported(
                    f"node {node_id}: Schedule Entry Lock dates are 2000-2099", node_id
                )
            if caps.year_day_slots < 1:
                raise LockScheduleFull(node_id, "year day slots", 1, 0)
            return "year_day", [
                YearDaySchedule(
                    s.year, s.month, s.day, s.hour, s.minute, e.year, e.month, e.day, e.hour, e.minute
                )
            ]
        week = _week_days(schedule)
        daily = _daily(schedule)
        if schedule.kind == KIND_DAILY and 0 < len(daily) <= daily_slots:
            return "daily_repeating", daily
        if len(week) <= caps.week_day_slots:
            return "week_day", week
        if len(daily) <= daily_slots:
            return "daily_repeating", daily
        what, needed, have = ("week day slots", len(week), caps.week_day_slots)
        raise LockScheduleFull(node_id, what, needed, have)

    async def write(
        self, slot: int, schedule: LockSchedule, old: dict[str, Any] | None, used: dict[str, set[int]]
    ) -> dict[str, Any]:
        node = self.node
        if slot > 255:
            raise LockScheduleUnsupported(
                f"node {node.node_id}: Schedule Entry Lock users are 1-255", node.node_id
            )
        caps = await node.get(SupportedGet())
        assert isinstance(caps, SupportedReport)
        kind, entries = self.plan(schedule, caps)
        old = old or {}
        if node.cc_version(CommandClass.SCHEDULE_ENTRY_LOCK) >= 2:  # the lock's clock follows the hub's zone
            await _send(node, self.time_offset(datetime.now(UTC).year))
        confirmed = True
        last: CCCommand | None = None
        for slot_id, entry in enumerate(entries, start=1):
            if kind == "week_day":
                command: CCCommand = WeekDayScheduleSet(MODIFY, slot, slot_id, entry)
                last = WeekDayScheduleGet(slot, slot_id)
            elif kind == "year_day":
                command, last = (
                    YearDayScheduleSet(MODIFY, slot, slot_id, entry),
                    YearDayScheduleGet(slot, slot_id),
                )
            else:
                command = DailyRepeatingScheduleSet(MODIFY, slot, slot_id, entry)
                last = DailyRepeatingScheduleGet(slot, slot_id)
            confirmed = await _send(node, command) and confirmed
        ids = {kind: list(range(1, len(entries) + 1))}
        await self._erase_unused(slot, old, ids)
        confirmed = await _send(node, EnableSet(slot, True)) and confirmed
        if not confirmed and last is not None:
            report: Any = await node.get(last)
            if report.schedule != entries[-1]:
                raise NodeError(
                    f"node {node.node_id} did not store the schedule of slot {slot}", node.node_id
                )
        return ids

    async def erase(self, slot: int, ids: dict[str, Any]) -> None:
        await self._erase_unused(slot, ids, {})
        await _send(self.node, EnableSet(slot, False))

    async def _erase_unused(self, slot: int, old: dict[str, Any], new: dict[str, Any]) -> None:
        commands = {
            "week_day": WeekDayScheduleSet,
            "year_day": YearDayScheduleSet,
            "daily_repeating": DailyRepeatingScheduleSet,
        }
        for kind, cls in commands.items():
            for slot_id in old.get(kind, []):
                if slot_id not in new.get(kind, []):
                    await _send(self.node, cls(ERASE, slot, slot_id))
