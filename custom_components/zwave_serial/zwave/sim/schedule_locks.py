"""Virtual locks for the three schedule methods, and a network holding them.

- :func:`generic_schedule_lock`: the door lock with Generic Schedule + Authentication (S2 AC).
- :class:`ScheduleEntryDoorLock`: an older lock with Schedule Entry Lock v3 (v1/v2 by option),
  User Code v1, S0; it enforces its week day, year day and daily repeating slots.
- :class:`PlainCodeLock`: User Code v2 only, whose statuses are just available/enabled (no
  *disabled*), so a hub-managed schedule clears and sets the code.

:func:`add_schedule_locks` puts them on a stick (nodes 2, 3, 4 by default);
:func:`start_schedule_lock_stick` starts a stick holding only them.  Schedule Entry Lock wire
formats (written here independently of the driver): week day ``[weekday][start h][m][stop h][m]``,
year day ``[yy][month][day][h][m]`` twice, daily repeating ``[weekday mask][start h][m]
[duration h][m]``; erased slots report 0xFF (daily repeating: 0x00).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..security.keys import NetworkKeys, SecurityClass
from .ccutil import CC_USER_CODE, bitmask
from .lock import DoorLock
from .lock_schedule import weekday
from .node import NodeInfo, RxContext
from .security import demo_private_key

CC_SCHEDULE_ENTRY_LOCK = 0x4E
UNSET = 0xFF


def lock_info(product_id: int, name: str) -> NodeInfo:
    return NodeInfo(
        0x40,
        0x03,
        listening=False,
        flirs=1000,
        role_type=7,
        product_type=0x0003,
        product_id=product_id,
        name=name,
        icon=0x0300,
    )


def generic_schedule_lock(node_id: int, **options: Any) -> DoorLock:
    """A keypad lock that keeps schedules itself (Generic Schedule + Authentication)."""
    return DoorLock(node_id, lock_info(0x0070, "Scheduling lock"), generic_schedule=True, **options)


def _ranges_ok(values: bytes, limits: tuple[tuple[int, int], ...]) -> bool:
    return len(values) >= len(limits) and all(
        lo <= v <= hi for v, (lo, hi) in zip(values, limits, strict=False)
    )


WEEK_DAY_LIMITS = ((0, 6), (0, 23), (0, 59), (0, 23), (0, 59))
YEAR_DAY_LIMITS = ((0, 99), (1, 12), (1, 31), (0, 23), (0, 59)) * 2
DAILY_LIMITS = ((1, 0x7F), (0, 23), (0, 59), (0, 23), (0, 59))


class ScheduleEntryDoorLock(DoorLock):
    """Older keypad lock with Schedule Entry Lock (options ``sel_version`` 1-3, default 3;
    ``week_day_slots`` 7, ``year_day_slots`` 2, ``daily_repeating_slots`` 2)."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        options.setdefault("user_code_version", 1)
        options.setdefault("deny_events", True)
        super().__init__(node_id, info or lock_info(0x0071, "Older scheduling lock"), **options)
        self.sel_version: int = options.get("sel_version", 3)
        self.week_day_slots: int = options.get("week_day_slots", 7)
        self.year_day_slots: int = options.get("year_day_slots", 2)
        self.daily_repeating_slots: int = (
            options.get("daily_repeating_slots", 2) if self.sel_version >= 3 else 0
        )
        self.week_day: dict[tuple[int, int], bytes] = {}
        self.year_day: dict[tuple[int, int], bytes] = {}
        self.daily_repeating: dict[tuple[int, int], bytes] = {}
        self.schedule_enabled: dict[int, bool] = {}
        self.sel_time_offset = bytes(3)
        self.register(CC_SCHEDULE_ENTRY_LOCK, self._schedule_entry_lock, version=self.sel_version)

    # ----------------------------------------------------------------- enforcement
    def code_allowed(self, uid: int, now: datetime) -> bool:
        if not super().code_allowed(uid, now):
            return False
        if not self.schedule_enabled.get(uid):
            return True  # schedules off for this user: the code works at any time
        minute = now.hour * 60 + now.minute
        for (user, _slot), raw in self.week_day.items():
            if (
                user == uid
                and raw[0] == weekday(now)
                and raw[1] * 60 + raw[2] <= minute < raw[3] * 60 + raw[4]
            ):
                return True
        for (user, _slot), raw in self.year_day.items():
            start = datetime(2000 + raw[0], raw[1], raw[2], raw[3], raw[4])
            stop = datetime(2000 + raw[5], raw[6], raw[7], raw[8], raw[9])
            if user == uid and start <= now < stop:
                return True
        for (user, _slot), raw in self.daily_repeating.items():
            if user != uid:
                continue
            duration = timedelta(hours=raw[3], minutes=raw[4])
            for back in (0, 1):  # a window started yesterday may still run
                day = now - timedelta(days=back)
                start = day.replace(hour=raw[1], minute=raw[2], second=0, microsecond=0)
                if raw[0] & (1 << weekday(day)) and start <= now < start + duration:
                    return True
        return False

    # ----------------------------------------------------------------- Schedule Entry Lock
    def _slot_set(
        self,
        ctx: RxContext,
        payload: bytes,
        table: dict[tuple[int, int], bytes],
        count: int,
        size: int,
        limits: tuple[tuple[int, int], ...],
    ) -> None:
        if len(payload) < 3:
            return
        action, uid, slot = payload[0], payload[1], payload[2]
        if action > 1 or not 1 <= uid <= self.users_number or not 1 <= slot <= count:
            ctx.fail()
        elif action == 0:
            table.pop((uid, slot), None)
        elif not _ranges_ok(payload[3 : 3 + size], limits):
            ctx.fail()
        else:
            table[(uid, slot)] = bytes(payload[3 : 3 + size])
            self.schedule_enabled[uid] = True  # setting a slot enables the user's schedule

    def _slot_report(
        self,
        ctx: RxContext,
        cmd: int,
        payload: bytes,
        table: dict[tuple[int, int], bytes],
        size: int,
        empty: int,
    ) -> None:
        if len(payload) >= 2:
            key = (payload[0], payload[1])
            ctx.reply(bytes((CC_SCHEDULE_ENTRY_LOCK, cmd, *key)) + table.get(key, bytes((empty,)) * size))

    def _schedule_entry_lock(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        v3 = self.sel_version >= 3
        if cmd == 0x01 and len(payload) >= 2:
            if not 1 <= payload[0] <= self.users_number:
                ctx.fail()
            else:
                self.schedule_enabled[payload[0]] = payload[1] == 1
        elif cmd == 0x02 and payload:
            for uid in range(1, self.users_number + 1):
                self.schedule_enabled[uid] = payload[0] == 1
        elif cmd == 0x03:
            self._slot_set(ctx, payload, self.week_day, self.week_day_slots, 5, WEEK_DAY_LIMITS)
        elif cmd == 0x04:
            self._slot_report(ctx, 0x05, payload, self.week_day, 5, UNSET)
        elif cmd == 0x06:
            self._slot_set(ctx, payload, self.year_day, self.year_day_slots, 10, YEAR_DAY_LIMITS)
        elif cmd == 0x07:
            self._slot_report(ctx, 0x08, payload, self.year_day, 10, UNSET)
        elif cmd == 0x09:
            counts = (self.week_day_slots, self.year_day_slots) + (
                (self.daily_repeating_slots,) if v3 else ()
            )
            ctx.reply(bytes((CC_SCHEDULE_ENTRY_LOCK, 0x0A, *counts)))
        elif cmd == 0x0B and self.sel_version >= 2:
            ctx.reply(bytes((CC_SCHEDULE_ENTRY_LOCK, 0x0C)) + self.sel_time_offset)
        elif cmd == 0x0D and self.sel_version >= 2 and len(payload) >= 3:
            self.sel_time_offset = bytes(payload[:3])
        elif cmd == 0x0E and v3:
            self._slot_report(ctx, 0x0F, payload, self.daily_repeating, 5, 0)
        elif cmd == 0x10 and v3:
            self._slot_set(ctx, payload, self.daily_repeating, self.daily_repeating_slots, 5, DAILY_LIMITS)


class PlainCodeLock(DoorLock):
    """User Code v2 without the *disabled* status (only available / enabled), no schedules."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        options.setdefault("deny_events", True)
        super().__init__(node_id, info or lock_info(0x0072, "Basic keypad lock"), **options)
        self.register(CC_USER_CODE, self._plain_user_code, version=2)

    def _plain_user_code(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x06:  # capabilities: statuses 0 and 1 only, no admin code, no checksum
            status_mask, keypad_mask, keys = bitmask({0, 1}), bitmask({0}), bitmask(set(range(0x30, 0x3A)))
            ctx.reply(
                bytes((CC_USER_CODE, 0x07, len(status_mask)))
                + status_mask
                + bytes((len(keypad_mask),))
                + keypad_mask
                + bytes((len(keys),))
                + keys
            )
        elif (cmd == 0x01 and len(payload) >= 2 and payload[1] not in (0, 1)) or cmd in (0x0E, 0x11):
            ctx.fail()
        else:
            self._user_code(ctx, cmd, payload)


def add_schedule_locks(
    stick: Any,
    keys: NetworkKeys | None = None,
    first_id: int = 2,
    clock: datetime | None = None,
    **options: Any,
) -> dict[str, DoorLock]:
    """Add the three locks (``generic``, ``schedule_entry``, ``plain``) to ``stick``."""
    from .demo import DEMO_NETWORK_KEYS

    keys = keys or DEMO_NETWORK_KEYS
    locks: dict[str, DoorLock] = {
        "generic": generic_schedule_lock(
            first_id,
            security=(SecurityClass.S2_AccessControl,),
            keys=keys,
            private_key=demo_private_key("scheduling lock"),
            clock=clock,
            **options,
        ),
        "schedule_entry": ScheduleEntryDoorLock(
            first_id + 1, security=(SecurityClass.S0_Legacy,), keys=keys, clock=clock, **options
        ),
        "plain": PlainCodeLock(
            first_id + 2,
            security=(SecurityClass.S2_AccessControl,),
            keys=keys,
            private_key=demo_private_key("basic keypad lock"),
            clock=clock,
            **options,
        ),
    }
    for lock in locks.values():
        stick.add_node(lock)
    return locks


async def start_schedule_lock_stick(home_id: int = 0xC0FFEE05, **options: Any) -> Any:
    """A virtual stick on a pty holding only the three schedule locks (``.stick``, ``.port``)."""
    from .demo import DemoStick
    from .stick import VirtualStick

    stick = VirtualStick(home_id=home_id, strict=options.pop("strict", True))
    add_schedule_locks(stick, **options)
    port = await stick.start_pty(None)
    return DemoStick(stick, port)
