"""Schedules inside the virtual lock: Generic Schedule (0xA3) + Authentication (0xA1), the lock's
own clock, and a keypad tests can type on.

Mixed into :class:`~.lock.DoorLock`; Generic Schedule/Authentication are only offered with the
option ``generic_schedule=True``.  ``lock.clock = datetime(...)`` sets the lock's local time
(None: the machine's).  :meth:`LockScheduleMixin.keypad_enter` checks the code (known, enabled,
inside its schedule) and unlocks, or (option ``deny_events``, on for the schedule locks) reports
why not with Access Control 0x32 (invalid credential), 0x2F (valid code, user disabled) or 0x30
(valid code, schedule inactive).

Wire formats written here independently of the driver's codecs:
time range ``[b7 in use | weekday mask (bit 0 Sunday)][start year u16 (b7 of the first byte: in
use)][stop year u16][start/stop month][start/stop day][start/stop hour][start/stop minute]
[daily start/stop hour][daily start/stop minute]``, every byte with b7 = in use; schedule
``[id u16][n]{[b7 include | range id (15 bits)]}``; combination ``[auth id u16][fallback][user
id u16][schedule id u16][b7 OR | n][data ids]`` (user 0 and no data: erased).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .ccutil import CC_NOTIFICATION, CC_USER_CODE, notification_report, u16

CC_AUTHENTICATION = 0xA1
CC_GENERIC_SCHEDULE = 0xA3
ACCESS_CONTROL = 0x06
EV_KEYPAD_UNLOCK = 0x06
EV_USER_DISABLED = 0x2F
EV_SCHEDULE_INACTIVE = 0x30
EV_INVALID_CREDENTIAL = 0x32
DENY_EVENTS = {EV_USER_DISABLED, EV_SCHEDULE_INACTIVE, EV_INVALID_CREDENTIAL}
RANGE_LEN = 17
IN_USE = 0x80

__all__ = ["CC_NOTIFICATION", "LockScheduleMixin", "range_matches", "weekday"]


def weekday(now: datetime) -> int:
    """0 = Sunday ... 6 = Saturday."""
    return (now.weekday() + 1) % 7


def _field(raw: bytes, index: int, mask: int) -> int | None:
    return raw[index] & mask if raw[index] & IN_USE else None


def range_matches(raw: bytes, now: datetime) -> bool:
    """Does the 17-byte time range ``raw`` contain ``now``?  Unused fields are wildcards; the
    start/stop date-time fields in use are compared in order (year, month, day, hour, minute),
    the daily window is start <= time < stop."""
    if raw[0] & IN_USE and not raw[0] & (1 << weekday(now)):
        return False
    start_year = ((raw[1] & 0x7F) << 8 | raw[2]) if raw[1] & IN_USE else None
    stop_year = ((raw[3] & 0x7F) << 8 | raw[4]) if raw[3] & IN_USE else None
    masks = (0x0F, 0x1F, 0x1F, 0x3F)
    starts = [start_year] + [_field(raw, 5 + 2 * i, m) for i, m in enumerate(masks)]
    stops = [stop_year] + [_field(raw, 6 + 2 * i, m) for i, m in enumerate(masks)]
    current = (now.year, now.month, now.day, now.hour, now.minute)
    start_t = tuple(c for c, s in zip(current, starts, strict=True) if s is not None)
    if start_t and tuple(s for s in starts if s is not None) > start_t:
        return False
    stop_t = tuple(c for c, s in zip(current, stops, strict=True) if s is not None)
    if stop_t and tuple(s for s in stops if s is not None) <= stop_t:
        return False
    daily = [_field(raw, 13 + i, m) for i, m in enumerate((0x1F, 0x1F, 0x3F, 0x3F))]
    if daily[0] is not None and daily[1] is not None:
        minute = now.hour * 60 + now.minute
        start = daily[0] * 60 + (daily[2] or 0)
        stop = daily[1] * 60 + (daily[3] or 0)
        if not start <= minute < stop:
            return False
    return True


class LockScheduleMixin:
    """Generic Schedule + Authentication state and keypad checks of a virtual lock."""

    user_codes: dict[int, str]
    user_status: dict[int, int]
    users_number: int
    keypad_mode: int

    def init_schedules(self, options: dict[str, Any]) -> None:
        """Called by the lock's ``__init__`` (after its CCs are registered)."""
        #: The lock's local time (None: the machine's clock).
        self.clock: datetime | None = options.get("clock")
        self.deny_events: bool = options.get("deny_events", bool(options.get("generic_schedule")))
        self.gs_schedules: int = options.get("gs_schedules", 8)
        self.gs_time_ranges: int = options.get("gs_time_ranges", 16)
        self.gs_ranges_per_schedule: int = options.get("gs_ranges_per_schedule", 4)
        self.auth_ids: int = options.get("auth_ids", 8)
        self.time_ranges: dict[int, bytes] = {}
        self.schedules: dict[int, list[tuple[int, bool]]] = {}
        #: auth id -> (fallback status, user id, schedule id)
        self.combinations: dict[int, tuple[int, int, int]] = {}
        self.keypad_results: list[tuple[str, int | None]] = []
        #: (CC, command) of every Generic Schedule / Authentication Set received, in order.
        self.schedule_writes: list[tuple[int, int]] = []
        if options.get("generic_schedule"):
            self.register(CC_GENERIC_SCHEDULE, self._generic_schedule, version=1)  # type: ignore[attr-defined]
            self.register(CC_AUTHENTICATION, self._authentication, version=1)  # type: ignore[attr-defined]

    def extra_events(self) -> set[int]:
        """Access Control events this lock sends beyond the basic ones."""
        return set(DENY_EVENTS) if self.deny_events else set()

    def now(self) -> datetime:
        return self.clock if self.clock is not None else datetime.now()

    # ----------------------------------------------------------------- keypad
    def code_allowed(self, uid: int, now: datetime) -> bool:
        """Generic Schedule: a user linked by a combination may enter only inside a linked schedule."""
        linked = [sched for fallback, user, sched in self.combinations.values() if user == uid]
        if not linked:
            return True
        return any(sched == 0 or self.schedule_active(sched, now) for sched in linked)

    def schedule_active(self, schedule_id: int, now: datetime) -> bool:
        entries = self.schedules.get(schedule_id)
        if not entries:
            return False
        included = [r for r, inc in entries if inc and r in self.time_ranges]
        excluded = [r for r, inc in entries if not inc and r in self.time_ranges]
        return any(range_matches(self.time_ranges[r], now) for r in included) and not any(
            range_matches(self.time_ranges[r], now) for r in excluded
        )

    def keypad_enter(self, code: str) -> bool:
        """Someone types ``code``: an enabled code inside its schedule unlocks the door (the
        notification names the user); anything else leaves the bolt as it is."""
        uid = next((u for u, c in self.user_codes.items() if c == code), None)
        if uid is None:
            return self._deny("invalid", None, EV_INVALID_CREDENTIAL)
        if self.keypad_mode != 0:
            return self._deny("keypad_mode", uid, None)
        if self.user_status.get(uid) != 1:
            return self._deny("disabled", uid, EV_USER_DISABLED)
        if not self.code_allowed(uid, self.now()):
            return self._deny("schedule", uid, EV_SCHEDULE_INACTIVE)
        self.keypad_results.append(("unlocked", uid))
        self.keypad_unlock(uid)  # type: ignore[attr-defined]
        return True

    def _deny(self, reason: str, uid: int | None, event: int | None) -> bool:
        self.keypad_results.append((reason, uid))
        if self.deny_events and event is not None:
            # the user's slot as a User Code Report without the code
            params = b"" if uid is None else bytes((CC_USER_CODE, 0x03, uid, self.user_status.get(uid, 0)))
            self.send_report(notification_report(ACCESS_CONTROL, event, params), supervised=True)  # type: ignore[attr-defined]
        return False

    # ----------------------------------------------------------------- Generic Schedule
    def _generic_schedule(self, ctx: Any, cmd: int, payload: bytes) -> None:
        if cmd in (0x03, 0x06):
            self.schedule_writes.append((CC_GENERIC_SCHEDULE, cmd))
        if cmd == 0x01:
            ctx.reply(
                bytes((CC_GENERIC_SCHEDULE, 0x02))
                + u16(self.gs_schedules)
                + u16(self.gs_time_ranges)
                + bytes((self.gs_ranges_per_schedule, 0x07))
            )
        elif cmd == 0x03 and len(payload) >= 2 + RANGE_LEN:
            rid, raw = (payload[0] & 0x7F) << 8 | payload[1], bytes(payload[2 : 2 + RANGE_LEN])
            in_use = raw[0] & IN_USE or any(b & IN_USE for i, b in enumerate(raw[1:], 1) if i not in (2, 4))
            if rid == 0:
                self.time_ranges.clear()
            elif rid > self.gs_time_ranges:
                ctx.fail()
            elif not in_use:
                self.time_ranges.pop(rid, None)
            else:
                self.time_ranges[rid] = raw
        elif cmd == 0x04 and len(payload) >= 2:
            rid = (payload[0] & 0x7F) << 8 | payload[1]
            later = sorted(r for r in self.time_ranges if r > rid)
            ctx.reply(
                bytes((CC_GENERIC_SCHEDULE, 0x05))
                + u16(rid)
                + self.time_ranges.get(rid, bytes(RANGE_LEN))
                + u16(later[0] if later else 0)
            )
        elif cmd == 0x06 and len(payload) >= 3:
            sid, n = int.from_bytes(payload[0:2], "big"), payload[2]
            entries = [
                ((payload[3 + 2 * i] & 0x7F) << 8 | payload[4 + 2 * i], bool(payload[3 + 2 * i] & 0x80))
                for i in range(min(n, (len(payload) - 3) // 2))
            ]
            if sid == 0:
                self.schedules.clear()
            elif sid > self.gs_schedules or n > self.gs_ranges_per_schedule:
                ctx.fail()
            elif not entries:
                self.schedules.pop(sid, None)
            else:
                self.schedules[sid] = entries
        elif cmd == 0x07 and len(payload) >= 2:
            sid = int.from_bytes(payload[0:2], "big")
            entries = self.schedules.get(sid, [])
            body = b"".join(u16(r | (0x8000 if inc else 0)) for r, inc in entries)
            later = sorted(s for s in self.schedules if s > sid)
            ctx.reply(
                bytes((CC_GENERIC_SCHEDULE, 0x08))
                + u16(sid)
                + bytes((len(entries),))
                + body
                + u16(later[0] if later else 0)
            )

    # ----------------------------------------------------------------- Authentication
    def _combination(self, auth_id: int) -> bytes:
        fallback, user, sched = self.combinations.get(auth_id, (0, 0, 0))
        return u16(auth_id) + bytes((fallback,)) + u16(user) + u16(sched) + b"\x00"

    def _authentication(self, ctx: Any, cmd: int, payload: bytes) -> None:
        if cmd in (0x03, 0x06):
            self.schedule_writes.append((CC_AUTHENTICATION, cmd))
        if cmd == 0x01:
            # no data ids (codes only), no technologies, fallback status 1 supported
            ctx.reply(bytes((CC_AUTHENTICATION, 0x02)) + u16(0) + u16(self.auth_ids) + bytes((0, 0, 1, 0x02)))
        elif cmd == 0x06 and len(payload) >= 8:
            auth_id, fallback = int.from_bytes(payload[0:2], "big"), payload[2]
            user, sched, n = (
                int.from_bytes(payload[3:5], "big"),
                int.from_bytes(payload[5:7], "big"),
                payload[7] & 0x7F,
            )
            if not 1 <= auth_id <= self.auth_ids or user > self.users_number:
                ctx.fail()
            elif user == 0 and n == 0:
                self.combinations.pop(auth_id, None)
            else:
                self.combinations[auth_id] = (fallback, user, sched)
        elif cmd == 0x07 and len(payload) >= 2:
            auth_id = int.from_bytes(payload[0:2], "big")
            block = self._combination(auth_id)
            later = sorted(a for a in self.combinations if a > auth_id)
            ctx.reply(bytes((CC_AUTHENTICATION, 0x08, 1, len(block))) + block + u16(later[0] if later else 0))
        elif cmd in (0x03, 0x04):
            ctx.fail()  # no authentication data (RFID...) on this lock
