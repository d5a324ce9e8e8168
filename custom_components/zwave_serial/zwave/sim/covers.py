"""Virtual motor devices on Multilevel Switch: a shade (motor control) and a fan.

The shade moves at a constant speed: ``travel_time`` seconds (default 6, multiplied by the
``time_scale`` option like the dimmer's transitions) from closed (0) to open (99).  A Set or a
Start Level Change starts a move, Stop Level Change stops it where it is; a Get during a move
answers the position now, the target and the time left; the end of a move is reported to the
lifeline.  The fan is a dimmer with the fan switch device class.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .ccutil import CC_SWITCH_MULTILEVEL, seconds_to_duration
from .common import add_config_param
from .node import NodeInfo, RxContext, VirtualNode
from .switches import Dimmer

#: Multilevel Switch primary switch type "close/open" (Supported Report).
SWITCH_TYPE_CLOSE_OPEN = 0x03
LEVEL_OPEN = 99


class Shade(VirtualNode):
    """Motor control class C (Multilevel Switch v4, close/open) moving over time."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x11, 0x07, product_id=0x0080, name="Shade", icon=0x1A00),
            **options,
        )
        self.travel_time: float = options.get("travel_time", 6.0)
        self.time_scale: float = options.get("time_scale", 1.0)
        self._position = 0.0
        self.target = 0
        self._move: tuple[float, float, int] | None = None  # start time, start position, target
        self._task: asyncio.Task[Any] | None = None
        self.register(CC_SWITCH_MULTILEVEL, self._handle, version=4)
        self.basic_get = lambda: self.report_bytes()[2:]
        self.basic_set = lambda ctx, value: self.move_to(LEVEL_OPEN if value == 0xFF else min(value, LEVEL_OPEN))
        add_config_param(self, 1, 1, 0)  # motor direction

    # --- state ---------------------------------------------------------------------------

    @property
    def speed(self) -> float:
        """Levels per second."""
        return LEVEL_OPEN / max(self.travel_time * self.time_scale, 1e-3)

    @property
    def position(self) -> int:
        """Position now (0 closed .. 99 open)."""
        return round(self._position_now())

    @property
    def moving(self) -> bool:
        return self._move is not None

    def _position_now(self) -> float:
        if self._move is None:
            return self._position
        started, start, target = self._move
        travelled = (time.monotonic() - started) * self.speed
        return min(start + travelled, target) if target >= start else max(start - travelled, target)

    def _remaining(self) -> float:
        return abs(self.target - self._position_now()) / self.speed if self._move else 0.0

    def report_bytes(self) -> bytes:
        """``26 03 [current][target][remaining duration]``."""
        return bytes((CC_SWITCH_MULTILEVEL, 0x03, self.position, self.target, seconds_to_duration(self._remaining())))

    # --- motion ----------------------------------------------------------------------------

    def move_to(self, target: int) -> None:
        """Start moving to ``target`` (0..99); the end is reported to the lifeline."""
        self._freeze()
        self.target = max(0, min(target, LEVEL_OPEN))
        if round(self._position) == self.target:
            self._position = float(self.target)
            return
        self._move = (time.monotonic(), self._position, self.target)
        seconds = abs(self.target - self._position) / self.speed

        async def _run() -> None:
            await asyncio.sleep(seconds)
            self._task = None
            self._move = None
            self._position = float(self.target)
            self.send_report(self.report_bytes())

        self._task = self.spawn(_run())

    def stop_moving(self, notify: bool = True) -> None:
        """Stop where it is (and report the position)."""
        was_moving = self.moving
        self._freeze()
        self.target = self.position
        if was_moving and notify:
            self.send_report(self.report_bytes())

    def _freeze(self) -> None:
        self._position = self._position_now()
        self._move = None
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _handle(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and payload:  # Set (0xFF: open)
            if payload[0] > LEVEL_OPEN and payload[0] != 0xFF:
                ctx.fail()
                return
            self.move_to(LEVEL_OPEN if payload[0] == 0xFF else payload[0])
        elif cmd == 0x02:
            ctx.reply(self.report_bytes())
        elif cmd == 0x04 and payload:  # Start Level Change: b6 down
            self.move_to(0 if payload[0] & 0x40 else LEVEL_OPEN)
        elif cmd == 0x05:
            self.stop_moving()
        elif cmd == 0x06:
            ctx.reply(bytes((CC_SWITCH_MULTILEVEL, 0x07, SWITCH_TYPE_CLOSE_OPEN, 0x00)))


class Fan(Dimmer):
    """Multilevel fan switch (generic 0x11, specific 0x08 fan switch): level 0..99 is the speed."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x11, 0x08, product_id=0x0081, name="Ceiling fan", icon=0x0700),
            **options,
        )

    @property
    def speed(self) -> int:
        """Current speed level (0 off .. 99)."""
        return self.level
