"""Virtual lock extras: Door Lock v4 configuration checked against the lock's capabilities,
Time Parameters CC and Clock CC (the hub sets the clock; what arrived is recorded), and the
lock's Time Offset GET to the hub (the answer is recorded).

Options of the lock: ``door_lock_features`` (Capabilities Report feature bits: b0
block-to-block, b1 twist assist, b2 hold-and-release, b3 auto-relock; default 0x0E: all but block-to-block),
``time_parameters`` (support Time Parameters CC, default True), ``clock`` (support Clock CC,
default False).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .ccutil import CC_DOOR_LOCK, CC_TIME, notification_report
from .node import RxContext

CC_CLOCK = 0x81
CC_TIME_PARAMETERS = 0x8B
OPERATION_TYPES = 0x06  # bitmask: 1 constant, 2 timed
CAP_HANDLES = 0x11  # outside handle 1, inside handle 1
FEAT_BLOCK_TO_BLOCK, FEAT_TWIST_ASSIST, FEAT_HOLD_AND_RELEASE, FEAT_AUTO_RELOCK = 0x01, 0x02, 0x04, 0x08


class LockExtrasMixin:
    """Mixed into the virtual DoorLock (which provides register / transmit / the config fields)."""

    register: Any
    transmit: Any
    send_report: Any
    operation_type: int
    config_handles: int
    lock_timeout: tuple[int, int]
    auto_relock: int
    hold_and_release: int
    twist_assist: bool
    block_to_block: bool

    def init_extras(self, options: dict[str, Any]) -> None:
        self.door_lock_features: int = options.get(
            "door_lock_features", FEAT_AUTO_RELOCK | FEAT_HOLD_AND_RELEASE | FEAT_TWIST_ASSIST
        )
        #: Time Parameters Sets received (UTC), Clock Sets received (weekday, hour, minute)
        self.time_parameters_received: list[datetime] = []
        self.clock_received: list[tuple[int, int, int]] = []
        #: the hub's last Time Offset Report: (tz minutes, DST minutes, start m/d/h, end m/d/h)
        self.time_offset: tuple[int, int, tuple[int, int, int], tuple[int, int, int]] | None = None
        if options.get("time_parameters", True):
            self.register(CC_TIME_PARAMETERS, self._time_parameters, version=1)
        if options.get("clock", False):
            self.register(CC_CLOCK, self._clock, version=1)

    # ----------------------------------------------------------------- door lock configuration
    def capabilities_report(self) -> bytes:
        """``62 08``: both operation types, modes 00/FF, handle 1 each side, door/bolt/latch."""
        return bytes(
            (
                CC_DOOR_LOCK,
                0x08,
                1,
                OPERATION_TYPES,
                2,
                0x00,
                0xFF,
                CAP_HANDLES,
                0x07,
                self.door_lock_features,
            )
        )

    def configure(self, ctx: RxContext, payload: bytes) -> None:
        """Configuration Set: refused (Supervision FAIL, nothing changed) when it asks for what
        the capabilities do not offer or has an invalid timeout."""
        op, handles, minutes, seconds = payload[0], payload[1], payload[2], payload[3]
        ok = op in (1, 2) and not handles & ~CAP_HANDLES
        if op == 2:
            ok = ok and minutes <= 0xFD and seconds <= 59 and (minutes or seconds)
        relock = hold = 0
        flags = 0
        if len(payload) >= 9:
            relock = int.from_bytes(payload[4:6], "big")
            hold = int.from_bytes(payload[6:8], "big")
            flags = payload[8]
            feats = self.door_lock_features
            ok = (
                ok
                and (not relock or feats & FEAT_AUTO_RELOCK)
                and (not hold or feats & FEAT_HOLD_AND_RELEASE)
            )
            ok = (
                ok
                and (not flags & 0x01 or feats & FEAT_TWIST_ASSIST)
                and (not flags & 0x02 or feats & FEAT_BLOCK_TO_BLOCK)
            )
        if not ok:
            ctx.fail()
            return
        self.operation_type, self.config_handles = op, handles
        self.lock_timeout = (minutes, seconds) if op == 2 else (0xFE, 0xFE)
        if len(payload) >= 9:
            self.auto_relock, self.hold_and_release = relock, hold
            self.twist_assist, self.block_to_block = bool(flags & 0x01), bool(flags & 0x02)

    # ----------------------------------------------------------------- keypad / tamper
    def wrong_code_limit(self) -> None:
        """Too many wrong codes at the keypad: Access Control 0x13 (code limit exceeded)."""
        self.send_report(notification_report(0x06, 0x13), supervised=True)

    def tamper(self) -> None:
        """Someone pries the cover off: Home Security 0x03."""
        self.send_report(notification_report(0x07, 0x03), supervised=True)

    # ----------------------------------------------------------------- time
    def request_time_offset(self) -> None:
        """Ask the hub for its time zone and DST rules (Time Offset GET)."""
        self.transmit(1, bytes((CC_TIME, 0x06)))

    def time_offset_report(self, payload: bytes) -> None:
        if len(payload) < 9:
            return
        tz = (payload[0] & 0x7F) * 60 + payload[1]
        dst = payload[2] & 0x7F
        self.time_offset = (
            -tz if payload[0] & 0x80 else tz,
            -dst if payload[2] & 0x80 else dst,
            (payload[3], payload[4], payload[5]),
            (payload[6], payload[7], payload[8]),
        )

    def _time_parameters(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and len(payload) >= 7:
            try:
                moment = datetime(int.from_bytes(payload[0:2], "big"), *payload[2:7], tzinfo=UTC)
            except ValueError:
                ctx.fail()
                return
            self.time_parameters_received.append(moment)
        elif cmd == 0x02:
            last = (
                self.time_parameters_received[-1]
                if self.time_parameters_received
                else datetime(2000, 1, 1, tzinfo=UTC)
            )
            ctx.reply(
                bytes((CC_TIME_PARAMETERS, 0x03))
                + last.year.to_bytes(2, "big")
                + bytes((last.month, last.day, last.hour, last.minute, last.second))
            )

    def _clock(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x04 and len(payload) >= 2:
            self.clock_received.append((payload[0] >> 5, payload[0] & 0x1F, payload[1]))
        elif cmd == 0x05:
            wd, hour, minute = self.clock_received[-1] if self.clock_received else (0, 0, 0)
            ctx.reply(bytes((CC_CLOCK, 0x06, (wd << 5) | hour, minute)))
