"""Virtual FLiRS door lock: Door Lock v4, User Code v2 (or v1), Notification v8 (Access Control),
Battery, Supervision (WORKING then SUCCESS for the bolt), Time (the lock asks the hub).

Lock reports go to the lifeline wrapped in Supervision GET, as the door lock best-practice
document (seed 002) shows; the hub must answer each with a Supervision REPORT.
"""

from __future__ import annotations

import logging
from typing import Any

from ..cc.crc16 import crc16_ccitt
from .ccutil import (
    CC_BATTERY,
    CC_DOOR_LOCK,
    CC_NOTIFICATION,
    CC_TIME,
    CC_USER_CODE,
    SUPERVISION_FAIL,
    SUPERVISION_SUCCESS,
    bitmask,
    notification_report,
    u16,
)
from .lock_extras import LockExtrasMixin
from .lock_schedule import LockScheduleMixin
from .node import NodeInfo, RxContext, VirtualNode
from .sensors import BatteryMixin

_LOGGER = logging.getLogger(__name__)

MODE_UNSECURED = 0x00
MODE_SECURED = 0xFF
ACCESS_CONTROL = 0x06
EV_MANUAL_LOCK, EV_MANUAL_UNLOCK = 0x01, 0x02
EV_RF_LOCK, EV_RF_UNLOCK = 0x03, 0x04
EV_KEYPAD_LOCK, EV_KEYPAD_UNLOCK = 0x05, 0x06
EV_JAMMED = 0x0B
EV_ALL_CODES_DELETED, EV_CODE_DELETED, EV_CODE_ADDED, EV_CODE_DUPLICATE = 0x0C, 0x0D, 0x0E, 0x0F
SUPPORTED_EVENTS = {1, 2, 3, 4, 5, 6, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F}


class DoorLock(LockScheduleMixin, LockExtrasMixin, BatteryMixin, VirtualNode):
    """FLiRS (1000 ms) keypad deadbolt.

    Options: ``bolt_time`` (s to move the bolt, default 0.2), ``users`` (number of user code
    slots, default 30), ``user_code_version`` (2: capabilities, extended codes with "report
    more", checksum, admin code, keypad mode; 1: slot by slot), ``report_budget`` (bytes of
    code blocks per Extended User Code Report, default 36), ``battery_level``,
    ``low_battery_level`` (critical level, default 10).
    """

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info
            or NodeInfo(
                0x40,
                0x03,
                listening=False,
                flirs=1000,
                role_type=7,
                product_type=0x0003,
                product_id=0x0062,
                name="Door lock",
                icon=0x0300,
            ),
            **options,
        )
        self.mode = MODE_SECURED
        self.target_mode = MODE_SECURED
        self.handles = 0x00  # outside << 4 | inside (handles able to open the door)
        self.door_closed = True
        self.jammed = False
        self.bolt_time: float = options.get("bolt_time", 0.2)
        self.moving = False
        # configuration (v4)
        self.operation_type = 0x01
        self.config_handles = 0x11
        self.lock_timeout = (0xFE, 0xFE)
        self.auto_relock = 0
        self.hold_and_release = 0
        self.twist_assist = False
        self.block_to_block = False
        # user codes
        self.users_number: int = options.get("users", 30)
        self.user_codes: dict[int, str] = {}
        self.user_status: dict[int, int] = {}
        self.keypad_mode = 0
        self.admin_code = ""
        self.user_code_version: int = options.get("user_code_version", 2)
        self.report_budget: int = options.get("report_budget", 36)
        #: User Code Get / Extended User Code Get frames received (tests count the bulk read).
        self.code_gets = 0
        # battery / time
        self.battery_level: int = options.get("battery_level", 80)
        self.low_battery_level: int = options.get("low_battery_level", 10)
        self.low_battery_warned = False
        self.time: tuple[int, int, int] | None = None
        self.date: tuple[int, int, int] | None = None
        self.register(CC_DOOR_LOCK, self._door_lock, version=4)
        self.register(CC_USER_CODE, self._user_code, version=self.user_code_version)
        self.register(CC_NOTIFICATION, self._notification, version=8)
        self.register(CC_BATTERY, self._battery, version=1)
        self.register(CC_TIME, self._time, version=2, nif=False)
        self.init_extras(options)  # lock_extras.py: capabilities, Time Parameters, Clock
        self.basic_get = lambda: bytes((self.mode, self.target_mode, 0))
        self.basic_set = lambda ctx, value: self._operate(ctx, MODE_SECURED if value else MODE_UNSECURED)
        self.init_schedules(options)  # lock_schedule.py: Generic Schedule, Authentication, clock, keypad

    @property
    def locked(self) -> bool:
        """True when secured."""
        return self.mode == MODE_SECURED

    # ----------------------------------------------------------------- door lock
    def door_condition(self) -> int:
        """b0 door closed, b1 bolt unlocked, b2 latch closed."""
        cond = 0x01 if self.door_closed else 0x00
        if self.mode != MODE_SECURED:
            cond |= 0x02
        return cond | 0x04

    def operation_report(self) -> bytes:
        """``62 03 [mode][handles][condition][FE][FE][target][duration]``."""
        duration = max(1, round(self.bolt_time)) if self.moving else 0
        return bytes(
            (
                CC_DOOR_LOCK,
                0x03,
                self.mode,
                self.handles,
                self.door_condition(),
                0xFE,
                0xFE,
                self.target_mode,
                duration,
            )
        )

    def configuration_report(self) -> bytes:
        """``62 06`` with the v4 fields."""
        flags = (0x01 if self.twist_assist else 0) | (0x02 if self.block_to_block else 0)
        return (
            bytes((CC_DOOR_LOCK, 0x06, self.operation_type, self.config_handles, *self.lock_timeout))
            + u16(self.auto_relock)
            + u16(self.hold_and_release)
            + bytes((flags,))
        )

    def _door_lock(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and payload:
            self._operate(ctx, payload[0])
        elif cmd == 0x02:
            ctx.reply(self.operation_report())
        elif cmd == 0x04 and len(payload) >= 4:
            self.configure(ctx, payload)  # lock_extras.py: checked against the capabilities
        elif cmd == 0x05:
            ctx.reply(self.configuration_report())
        elif cmd == 0x07:
            ctx.reply(self.capabilities_report())

    def _operate(self, ctx: RxContext | None, mode: int) -> None:
        """Move the bolt (takes ``bolt_time``); supervised: WORKING now, final status later."""
        if mode not in (MODE_SECURED, MODE_UNSECURED, 0x01, 0x10, 0x11, 0x20, 0x21):
            if ctx is not None:
                ctx.fail()
            return
        finish = ctx.working(max(1, round(self.bolt_time))) if ctx is not None else (lambda s: None)
        self.target_mode = mode
        self.moving = True

        def done() -> None:
            self.moving = False
            if self.jammed:
                self.target_mode = self.mode
                finish(SUPERVISION_FAIL)
                self.send_report(notification_report(ACCESS_CONTROL, EV_JAMMED), supervised=True)
                return
            self.mode = mode
            finish(SUPERVISION_SUCCESS)
            self.send_report(self.operation_report(), supervised=True)

        self.later(self.bolt_time, done)

    # ----------------------------------------------------------------- local actions
    def _local(self, mode: int, event: int, params: bytes = b"") -> None:
        self.mode = self.target_mode = mode
        self.send_report(self.operation_report(), supervised=True)
        self.send_report(notification_report(ACCESS_CONTROL, event, params), supervised=bool(params))

    def manual_lock(self) -> None:
        """Thumb-turn locked by hand."""
        self._local(MODE_SECURED, EV_MANUAL_LOCK)

    def manual_unlock(self) -> None:
        """Thumb-turn unlocked by hand."""
        self._local(MODE_UNSECURED, EV_MANUAL_UNLOCK)

    def _user_params(self, user_id: int) -> bytes:
        code = self.user_codes.get(user_id, "")
        return bytes((CC_USER_CODE, 0x03, user_id, self.user_status.get(user_id, 0))) + code.encode()

    def keypad_unlock(self, user_id: int) -> None:
        """A user typed their code to unlock (notification carries the User Code Report)."""
        self._local(MODE_UNSECURED, EV_KEYPAD_UNLOCK, self._user_params(user_id))

    def keypad_lock(self, user_id: int) -> None:
        """A user locked from the keypad."""
        self._local(MODE_SECURED, EV_KEYPAD_LOCK, self._user_params(user_id))

    def jam(self) -> None:
        """The bolt jams: notification 0x0B (state stays until :meth:`unjam`)."""
        self.jammed = True
        self.send_report(notification_report(ACCESS_CONTROL, EV_JAMMED), supervised=True)

    def unjam(self) -> None:
        """Clear the jam."""
        self.jammed = False

    def set_battery(self, level: int) -> None:
        """Battery level changes; at the critical level a one-time 0xFF warning (supervised)."""
        self.battery_level = level
        if level <= self.low_battery_level and not self.low_battery_warned:
            self.low_battery_warned = True
            self.send_report(bytes((CC_BATTERY, 0x03, 0xFF)), supervised=True)
        else:
            self.send_report(bytes((CC_BATTERY, 0x03, level)))

    def request_time(self) -> None:
        """Ask the hub for the local time and date (Time GET, Date GET)."""
        self.transmit(1, bytes((CC_TIME, 0x01)))
        self.transmit(1, bytes((CC_TIME, 0x03)))

    def _time(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x02 and len(payload) >= 3:
            self.time = (payload[0] & 0x1F, payload[1], payload[2])
        elif cmd == 0x04 and len(payload) >= 4:
            self.date = (int.from_bytes(payload[0:2], "big"), payload[2], payload[3])
        elif cmd == 0x07:
            self.time_offset_report(payload)

    # ----------------------------------------------------------------- user codes
    def _code_block(self, uid: int) -> bytes:
        code = self.user_codes.get(uid, "").encode()
        return u16(uid) + bytes((self.user_status.get(uid, 0), len(code))) + code

    def _extended_report(self, uid: int, more: bool) -> bytes:
        """The requested slot, then (report more) the next slots in use while they fit."""
        if not 1 <= uid <= self.users_number:
            return bytes((CC_USER_CODE, 0x0D, 1)) + u16(uid) + bytes((0xFE, 0)) + u16(0)
        blocks = [self._code_block(uid)]
        used = sorted(u for u in self.user_status if u > uid)
        while more and used and sum(map(len, blocks)) + len(self._code_block(used[0])) <= self.report_budget:
            blocks.append(self._code_block(used.pop(0)))
        return bytes((CC_USER_CODE, 0x0D, len(blocks))) + b"".join(blocks) + u16(used[0] if used else 0)

    def checksum(self) -> int:
        """CRC-CCITT over ``[user id u16][status][code]`` of every slot in use (0 when none)."""
        data = b"".join(self._code_block(u)[:3] + self.user_codes.get(u, "").encode() for u in sorted(self.user_status))
        return crc16_ccitt(data) if data else 0

    def _user_code(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and len(payload) >= 2:
            if self._set_code(payload[0], payload[1], payload[2:]) is False:
                ctx.fail()
        elif cmd == 0x02 and payload:
            self.code_gets += 1
            uid = payload[0]
            if 1 <= uid <= self.users_number:
                code = self.user_codes.get(uid, "").encode() or b"\x00\x00\x00\x00"
                ctx.reply(bytes((CC_USER_CODE, 0x03, uid, self.user_status.get(uid, 0))) + code)
            else:
                ctx.reply(bytes((CC_USER_CODE, 0x03, uid, 0xFE)))
        elif cmd == 0x04:
            count = self.users_number
            extra = u16(count) if self.user_code_version >= 2 else b""
            ctx.reply(bytes((CC_USER_CODE, 0x05, min(count, 255))) + extra)
        elif self.user_code_version < 2:
            return
        elif cmd == 0x06:
            status_mask = bitmask({0, 1, 2, 3, 4})
            keypad_mask = bitmask({0, 1, 2, 3})
            keys = bitmask(set(range(0x30, 0x3A)))
            ctx.reply(
                bytes((CC_USER_CODE, 0x07, 0xC0 | len(status_mask)))
                + status_mask
                + bytes((0xE0 | len(keypad_mask),))
                + keypad_mask
                + bytes((len(keys),))
                + keys
            )
        elif cmd == 0x08 and payload:
            if payload[0] > 3:
                ctx.fail()
            else:
                self.keypad_mode = payload[0]
        elif cmd == 0x09:
            ctx.reply(bytes((CC_USER_CODE, 0x0A, self.keypad_mode)))
        elif cmd == 0x0B and payload:
            off, ok = 1, True
            for _ in range(payload[0]):
                if len(payload) < off + 4:
                    break
                n = payload[off + 3] & 0x0F
                uid, status = int.from_bytes(payload[off : off + 2], "big"), payload[off + 2]
                ok = self._set_code(uid, status, payload[off + 4 : off + 4 + n]) is not False and ok
                off += 4 + n
            if not ok:
                ctx.fail()
        elif cmd == 0x0C and len(payload) >= 2:
            self.code_gets += 1
            more = len(payload) >= 3 and bool(payload[2] & 0x01)
            ctx.reply(self._extended_report(int.from_bytes(payload[0:2], "big"), more))
        elif cmd == 0x0E and payload:
            raw = payload[1 : 1 + (payload[0] & 0x0F)].decode("ascii", "replace")
            if raw and (not 4 <= len(raw) <= 10 or not raw.isdigit()):
                ctx.fail()
            else:
                self.admin_code = raw
        elif cmd == 0x0F:
            raw = self.admin_code.encode()
            ctx.reply(bytes((CC_USER_CODE, 0x10, len(raw))) + raw)
        elif cmd == 0x11:
            ctx.reply(bytes((CC_USER_CODE, 0x12)) + u16(self.checksum()))

    def _set_code(self, uid: int, status: int, raw: bytes) -> bool | None:
        """Apply one Set; False when refused (the caller answers FAIL)."""
        if uid == 0 and status == 0:
            self.user_codes.clear()
            self.user_status.clear()
            self.send_report(notification_report(ACCESS_CONTROL, EV_ALL_CODES_DELETED))
            return None
        if not 1 <= uid <= self.users_number or status > 4:
            return False
        if status == 0:
            self.user_codes.pop(uid, None)
            self.user_status.pop(uid, None)
            self.send_report(notification_report(ACCESS_CONTROL, EV_CODE_DELETED))
            return None
        code = raw.decode("ascii", "replace").rstrip("\x00")
        if not code and uid in self.user_codes:
            code = self.user_codes[uid]  # a status change may repeat the code or not
        if not 4 <= len(code) <= 10 or not code.isdigit():
            return False
        if any(other == code and user != uid for user, other in self.user_codes.items()):
            self.send_report(notification_report(ACCESS_CONTROL, EV_CODE_DUPLICATE), supervised=True)
            return False
        self.user_codes[uid] = code
        self.user_status[uid] = status
        self.send_report(notification_report(ACCESS_CONTROL, EV_CODE_ADDED))
        return None

    # ----------------------------------------------------------------- notification
    def _notification(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x04:
            event = 0x0B if self.jammed else (EV_MANUAL_LOCK if self.locked else EV_MANUAL_UNLOCK)
            ctx.reply(notification_report(ACCESS_CONTROL, event))
        elif cmd == 0x01 and payload:
            if payload[0] == ACCESS_CONTROL:
                mask = bitmask(SUPPORTED_EVENTS | self.extra_events())
                ctx.reply(bytes((CC_NOTIFICATION, 0x02, ACCESS_CONTROL, len(mask))) + mask)
            else:
                ctx.reply(bytes((CC_NOTIFICATION, 0x02, payload[0], 0)))
        elif cmd == 0x07:
            ctx.reply(bytes((CC_NOTIFICATION, 0x08, 1)) + bitmask({ACCESS_CONTROL}, length=1))
