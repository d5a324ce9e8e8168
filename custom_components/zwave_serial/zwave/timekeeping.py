"""The hub's time duties (seed 002, "Time CC vs. Clock CC vs. Time Parameters CC").

* Answer a device's Time GET, Date GET (local time) and Time Offset GET (the zone's standard
  offset, its DST offset and this year's DST start and end) — :func:`hub_time_answer`, called
  by the receive path.
* Set the clock of devices that support Time Parameters CC (UTC date and time) and/or Clock
  CC (local weekday, hour, minute): at the end of their interview, after each DST change and
  when the hub's time zone changes — :class:`TimeKeeper`.

The time zone is the driver option ``time_zone`` (an IANA name; Home Assistant passes its
configured zone), else the system's zone (``/etc/localtime``), else the current fixed offset.
DST start/end hours are given in local standard time.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cc.base import CCCommand
from .cc.clock import ClockSet
from .cc.ids import CommandClass
from .cc.time import DateGet, DateReport, TimeGet, TimeOffsetGet, TimeOffsetReport, TimeReport
from .cc.time_parameters import TimeParametersSet
from .errors import ZWaveError
from .events import DriverEvent, DriverReadyEvent, NodeReadyEvent

if TYPE_CHECKING:
    from .driver import Driver
    from .node import Node

_LOGGER = logging.getLogger(__name__)

#: The DST watcher wakes at least this often (clock jumps, suspended hosts) to look again.
MAX_SLEEP = 6 * 3600.0


@lru_cache(maxsize=8)
def _named_zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _LOGGER.warning("Unknown time zone %r: using the system's", name)
        return None


@lru_cache(maxsize=1)
def _system_zone() -> tzinfo:
    try:
        with open("/etc/localtime", "rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError):
        return datetime.now().astimezone().tzinfo or UTC


def zone(name: str | None = None) -> tzinfo:
    """The time zone ``name`` (IANA), or the system's when None or unknown."""
    return (_named_zone(name) if name else None) or _system_zone()


def _offset(tz: tzinfo, instant: datetime) -> timedelta:
    return instant.astimezone(tz).utcoffset() or timedelta(0)


def transitions(tz: tzinfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) where the zone's UTC offset changes (to the second)."""
    found: list[datetime] = []
    step = timedelta(days=1)
    t = start.astimezone(UTC)
    while t < end:
        nxt = min(t + step, end)
        if _offset(tz, t) != _offset(tz, nxt):
            lo, hi = t, nxt  # offset(lo) != offset(hi): bisect to the second
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if _offset(tz, mid) == _offset(tz, lo) else (lo, mid)
            found.append(hi.replace(microsecond=0))
        t = nxt
    return found


def next_transition(tz: tzinfo, after: datetime) -> datetime | None:
    """The zone's next offset change after ``after`` (within about a year), or None."""
    later = transitions(tz, after, after + timedelta(days=370))
    return later[0] if later else None


@dataclass(frozen=True, slots=True)
class DstInfo:
    """A zone in one year: standard offset and DST offset in minutes, DST start and end in
    local standard time (None without DST)."""

    standard_offset: int
    dst_offset: int = 0
    start: datetime | None = None
    end: datetime | None = None


def dst_info(tz: tzinfo, year: int) -> DstInfo:
    begin = datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    changes = transitions(tz, begin, datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1))
    changes = [c for c in changes if c.astimezone(tz).year == year] or changes
    offsets = {_offset(tz, datetime(year, m, 1, tzinfo=UTC)) for m in range(1, 13)}
    standard = min(offsets)
    minutes = int(standard.total_seconds() // 60)
    if len(offsets) < 2 or not changes:
        return DstInfo(minutes)
    dst = int((max(offsets) - standard).total_seconds() // 60)
    std_zone = _FixedZone(standard)
    start = next((c for c in changes if _offset(tz, c) > standard), None)
    end = next((c for c in changes if _offset(tz, c) == standard), None)
    return DstInfo(minutes, dst, start and start.astimezone(std_zone), end and end.astimezone(std_zone))


class _FixedZone(tzinfo):
    def __init__(self, offset: timedelta) -> None:
        self._offset = offset

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "standard"


def time_offset_report(tz: tzinfo, now: datetime) -> TimeOffsetReport:
    """The hub's Time Offset Report for its zone in the year of ``now``."""
    info = dst_info(tz, now.astimezone(tz).year)

    def mdh(moment: datetime | None) -> tuple[int, int, int]:
        return (moment.month, moment.day, moment.hour) if moment else (0, 0, 0)

    return TimeOffsetReport(info.standard_offset, info.dst_offset, mdh(info.start), mdh(info.end))


def answer_time_get(get: CCCommand, tz: tzinfo, now: datetime | None = None) -> CCCommand | None:
    """The hub's answer to a Time GET / Date GET / Time Offset GET (None for anything else)."""
    moment = (now or datetime.now(UTC)).astimezone(tz)
    if isinstance(get, TimeGet):
        return TimeReport(moment.hour, moment.minute, moment.second)
    if isinstance(get, DateGet):
        return DateReport(moment.year, moment.month, moment.day)
    if isinstance(get, TimeOffsetGet):
        return time_offset_report(tz, moment)
    return None


def host_zone(host: Any) -> tzinfo:
    """The zone of a driver (its ``time_zone`` option), the system's for other hosts."""
    options = getattr(host, "options", None)
    return zone(getattr(options, "time_zone", None))


def hub_time_answer(get: CCCommand, host: Any) -> CCCommand | None:
    """The receive path's hook: answer a Time CC GET in the host driver's zone."""
    return answer_time_get(get, host_zone(host))


class TimeKeeper:
    """Sets device clocks (Time Parameters / Clock CC) after interviews and DST changes."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        self._watcher: asyncio.Task[None] | None = None
        #: node id -> what was sent last ("time_parameters", "clock") and when (UTC)
        self.last_sync: dict[int, tuple[list[str], datetime]] = {}
        driver.subscribe(self._on_event)

    @property
    def tz(self) -> tzinfo:
        return host_zone(self._driver)

    def _on_event(self, event: DriverEvent) -> None:
        if isinstance(event, DriverReadyEvent):
            if self._watcher is None or self._watcher.done():
                self._watcher = self._driver.create_task(self._watch_dst(), "DST watcher")
        elif isinstance(event, NodeReadyEvent):
            node = self._driver.nodes.get(event.node_id)
            if node is not None and _keeps_time(node):
                self._driver.create_task(self.set_node_time(node), f"set time node {node.node_id}")

    async def set_node_time(self, node: Node, now: datetime | None = None) -> list[str]:
        """Send the node the time over the CCs it supports; returns what was sent."""
        moment = now or datetime.now(UTC)
        sent: list[str] = []
        commands: list[tuple[str, CCCommand]] = []
        if node.supports(CommandClass.TIME_PARAMETERS):
            commands.append(("time_parameters", TimeParametersSet.at(moment)))
        if node.supports(CommandClass.CLOCK):
            commands.append(("clock", ClockSet.at(moment.astimezone(self.tz))))
        for name, command in commands:
            try:
                await node.send_command(command, verify=False)
            except ZWaveError as err:
                _LOGGER.debug("Setting the %s of node %s failed: %s", name, node.node_id, err)
                continue
            sent.append(name)
        if sent:
            self.last_sync[node.node_id] = (sent, moment)
            _LOGGER.debug("Node %s clock set (%s)", node.node_id, ", ".join(sent))
        return sent

    async def sync_all(self, reason: str) -> dict[int, list[str]]:
        """Set the time of every ready node that keeps time (DST change, new time zone)."""
        _LOGGER.info("Setting device clocks: %s", reason)
        results = {}
        for node in list(self._driver.nodes.values()):
            if node.ready and not node.is_controller and _keeps_time(node):
                results[node.node_id] = await self.set_node_time(node)
        return results

    def time_zone_changed(self) -> None:
        """The hub's zone changed (driver option ``time_zone``): re-send clocks, re-plan DST."""
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None
        if self._driver.ready:
            self._watcher = self._driver.create_task(self._watch_dst(), "DST watcher")
            self._driver.create_task(self.sync_all("time zone changed"), "set device clocks")

    async def _watch_dst(self) -> None:
        while True:
            now = datetime.now(UTC)
            upcoming = next_transition(self.tz, now)
            delay = MAX_SLEEP if upcoming is None else min(MAX_SLEEP, (upcoming - now).total_seconds() + 1)
            await asyncio.sleep(max(delay, 1.0))
            if upcoming is not None and datetime.now(UTC) >= upcoming:
                await self.sync_all("daylight saving time changed")


def _keeps_time(node: Node) -> bool:
    return node.supports(CommandClass.TIME_PARAMETERS) or node.supports(CommandClass.CLOCK)
