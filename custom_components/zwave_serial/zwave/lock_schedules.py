"""Time-limited lock codes: one schedule per User Code slot, kept by the best method the lock has.

1. ``generic_schedule``: Generic Schedule CC + Authentication CC, enforced by the lock.
2. ``schedule_entry_lock``: Schedule Entry Lock CC (older locks), enforced by the lock.
3. ``hub``: the driver enables/disables the code at the schedule's boundaries
   (:mod:`.lock_schedule_hub`).

``driver.lock_schedules`` (:class:`LockSchedules`) is the public API: :meth:`set_schedule`
returns the method used, :meth:`clear_schedule`, :meth:`get_schedules`.  Each slot's schedule,
method and lock-side ids live in the node cache (User Code values ``lock_schedule``; for
hub-managed slots on locks without a *disabled* status also ``lock_schedule_code``, secret), so
they survive restarts.  Times are local wall-clock times in :attr:`LockSchedules.tz`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cc.ids import CommandClass
from .cc.user_code import SECRET_META
from .errors import NodeNotFound
from .lock_schedule_hub import METHOD_HUB, HubScheduler
from .lock_schedule_inlock import GenericScheduleBackend, ScheduleEntryLockBackend
from .lock_schedule_model import InvalidLockSchedule, LockSchedule, LockScheduleUnsupported
from .locks import LockCodes, has_lock_codes
from .values import ValueUpdate

if TYPE_CHECKING:
    from .driver import Driver
    from .node import Node

CC = CommandClass.USER_CODE
RECORD = "lock_schedule"
STORED_CODE = "lock_schedule_code"
METHOD_GENERIC = GenericScheduleBackend.method
METHOD_SEL = ScheduleEntryLockBackend.method
METHODS = (METHOD_GENERIC, METHOD_SEL, METHOD_HUB)


class ScheduleSlotEmpty(LockScheduleUnsupported):
    """The slot has no code: set the code first, then its schedule."""


class LockSchedules:
    """Schedules of every lock of one driver (see the module docstring)."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        #: The hub's time zone; None: the driver option ``time_zone`` (Home Assistant's), else the system's.
        self.tz: tzinfo | None = None
        #: Injectable clock returning the current time (aware or naive local); None = real time.
        self.clock: Callable[[], datetime] | None = None
        self.hub = HubScheduler(self)
        self._locks: dict[int, asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"LockSchedules(hub_running={self.hub.running})"

    # --- time and lifecycle ----------------------------------------------------------------

    def zone(self) -> tzinfo | None:
        """:attr:`tz`, else the driver option ``time_zone`` (the hub's IANA zone), else None."""
        if self.tz is not None:
            return self.tz
        name = getattr(self.driver.options, "time_zone", None)
        if isinstance(name, str) and name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                return None
        return None

    def now(self) -> datetime:
        """Local wall-clock time now (naive)."""
        zone = self.zone()
        moment = self.clock() if self.clock is not None else datetime.now(zone)
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone) if zone is not None else moment.astimezone()
        return moment.replace(tzinfo=None, second=0, microsecond=0)

    def start(self) -> None:
        """Start the hub scheduler (the driver calls this after start-up): missed boundaries
        are applied at once."""
        self.hub.start()

    async def stop(self) -> None:
        await self.hub.stop()

    def lock(self, node: Node) -> asyncio.Lock:
        """Serialises schedule changes per lock."""
        return self._locks.setdefault(node.node_id, asyncio.Lock())

    # --- methods ---------------------------------------------------------------------------

    def methods(self, node: Node) -> list[str]:
        """Methods this lock can use, best first."""
        out = []
        if not node.supports(CC):
            # A User Credential lock: the in-lock methods link User Code slots, which it has
            # not; the hub switches the lock user's active state at the boundaries.
            return [METHOD_HUB]
        if node.supports(CommandClass.GENERIC_SCHEDULE) and node.supports(CommandClass.AUTHENTICATION):
            out.append(METHOD_GENERIC)
        if node.supports(CommandClass.SCHEDULE_ENTRY_LOCK):
            out.append(METHOD_SEL)
        return [*out, METHOD_HUB]

    def method_for(self, node: Node) -> str:
        """The method :meth:`set_schedule` picks by default."""
        return self.methods(node)[0]

    def _node(self, node: Node | int) -> Node:
        found = self.driver.nodes.get(node if isinstance(node, int) else node.node_id)
        if found is None or not has_lock_codes(found):
            raise NodeNotFound(f"node {node if isinstance(node, int) else node.node_id} has no user codes")
        return found

    # --- cache -------------------------------------------------------------------------------

    def records(self, node: Node) -> dict[int, dict[str, Any]]:
        """Slot -> stored record (``schedule``, ``method``, ``ids``, hub: ``applied``/``via``)."""
        out = {}
        for vid, stored in node.values().items():
            if vid.cc == CC and vid.property == RECORD and isinstance(stored.value, dict):
                out[int(vid.property_key)] = stored.value
        return dict(sorted(out.items()))

    def store(self, node: Node, slot: int, record: dict[str, Any] | None) -> None:
        node.apply_update(CC, 0, ValueUpdate(RECORD, record, slot), emit=False)

    def stored_code(self, node: Node, slot: int) -> str:
        code = node.get_value(CC, STORED_CODE, slot)
        return code if isinstance(code, str) else ""

    def store_code(self, node: Node, slot: int, code: str | None) -> None:
        node.apply_update(CC, 0, ValueUpdate(STORED_CODE, code, slot, meta=dict(SECRET_META)), emit=False)

    def _used(self, node: Node, skip: int) -> dict[str, set[int]]:
        used: dict[str, set[int]] = {"time_ranges": set(), "schedules": set(), "auth": set()}
        for slot, record in self.records(node).items():
            ids = record.get("ids") or {}
            if slot != skip and record.get("method") == METHOD_GENERIC:
                used["time_ranges"].update(ids.get("time_ranges", []))
                used["schedules"].add(ids.get("schedule_id", 0))
                used["auth"].add(ids.get("auth_id", 0))
        return used

    # --- public API --------------------------------------------------------------------------

    def get_schedules(self, node: Node | int) -> dict[int, dict[str, Any]]:
        """Slot -> ``{"schedule": {...}, "method": ..., "active": bool}`` (active: the code is
        allowed now by its schedule)."""
        found = self._node(node)
        now = self.now()
        out = {}
        for slot, record in self.records(found).items():
            schedule = LockSchedule.from_dict(record["schedule"])
            out[slot] = {
                "schedule": schedule.as_dict(),
                "method": record["method"],
                "active": schedule.active(now),
            }
        return out

    async def set_schedule(
        self,
        node: Node | int,
        slot: int,
        schedule: LockSchedule | dict[str, Any],
        *,
        method: str | None = None,
    ) -> str:
        """Limit the code in ``slot`` to ``schedule``; returns the method used.

        Raises InvalidLockSchedule, ScheduleSlotEmpty, LockScheduleUnsupported (method not
        available or schedule not expressible), LockScheduleFull, or a NodeError."""
        found = self._node(node)
        if not isinstance(schedule, LockSchedule):
            schedule = LockSchedule.from_dict(schedule)
        available = self.methods(found)
        method = method or available[0]
        if method not in METHODS:
            raise InvalidLockSchedule(f"unknown method {method!r} ({', '.join(METHODS)})")
        if method not in available:
            raise LockScheduleUnsupported(
                f"node {found.node_id} cannot keep schedules with {method}", found.node_id
            )
        codes = LockCodes(self.driver, found.node_id)
        async with self.lock(found):
            await codes._check_slot(slot)  # same package: the slot range check of the codes
            current = codes.slot(slot)
            old = self.records(found).get(slot)
            if not current.in_use or (not current.code and method == METHOD_HUB):
                current = await codes.read_slot(slot)
            hub_cleared = old is not None and old.get("method") == METHOD_HUB and old.get("applied") is False
            if not current.in_use and not hub_cleared:
                raise ScheduleSlotEmpty(f"node {found.node_id}: slot {slot} has no code", found.node_id)
            if old is not None and old.get("method") != method:
                await self._remove(found, slot, old)
                old = None
            if method == METHOD_HUB:
                await self._set_hub(found, codes, slot, schedule, old)
            else:
                backend = (
                    GenericScheduleBackend(found)
                    if method == METHOD_GENERIC
                    else ScheduleEntryLockBackend(found, self.zone())
                )
                ids = await backend.write(slot, schedule, (old or {}).get("ids"), self._used(found, slot))
                self.store(found, slot, {"schedule": schedule.as_dict(), "method": method, "ids": ids})
        if method == METHOD_HUB:
            self.hub.wake()
        self.driver.schedule_cache_save(immediate=True)
        return method

    async def _set_hub(
        self, node: Node, codes: LockCodes, slot: int, schedule: LockSchedule, old: dict[str, Any] | None
    ) -> None:
        via = "status" if "disabled" in codes.capabilities()["statuses"] else "code"
        if via == "code" and codes.slot(slot).code:
            self.store_code(node, slot, codes.slot(slot).code)
        record = {
            "schedule": schedule.as_dict(),
            "method": METHOD_HUB,
            "ids": {},
            "via": via,
            "applied": (old or {}).get("applied"),
        }
        self.store(node, slot, record)
        await self.hub.apply(node, slot, record, schedule.active(self.now()))

    async def clear_schedule(self, node: Node | int, slot: int) -> bool:
        """Remove the slot's schedule (the code is then valid at any time); False when it had none."""
        found = self._node(node)
        async with self.lock(found):
            old = self.records(found).get(slot)
            if old is None:
                return False
            await self._remove(found, slot, old)
        self.driver.schedule_cache_save(immediate=True)
        return True

    async def _remove(self, node: Node, slot: int, record: dict[str, Any]) -> None:
        method, ids = record.get("method"), record.get("ids") or {}
        if method == METHOD_GENERIC:
            await GenericScheduleBackend(node).erase(ids)
        elif method == METHOD_SEL:
            await ScheduleEntryLockBackend(node).erase(slot, ids)
        elif method == METHOD_HUB:
            await self.hub.apply(node, slot, record, True)  # the code is valid again
        self.store(node, slot, None)
        self.store_code(node, slot, None)


def cached_schedules(node: Node) -> dict[int, dict[str, Any]]:
    """Slot -> ``{"schedule", "method"}`` as cached (diagnostics; no codes)."""
    out = {}
    for vid, stored in node.values().items():
        if vid.cc == CC and vid.property == RECORD and isinstance(stored.value, dict):
            out[int(vid.property_key)] = {
                "schedule": stored.value.get("schedule"),
                "method": stored.value.get("method"),
            }
    return out


__all__ = ["METHODS", "LockSchedules", "ScheduleSlotEmpty", "cached_schedules"]
