"""Virtual switches: binary switch, dimmer, metering plug, two-channel switch."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from .ccutil import (
    CC_METER,
    CC_SWITCH_BINARY,
    CC_SWITCH_MULTILEVEL,
    duration_to_seconds,
    seconds_to_duration,
)
from .common import add_config_param, install_multi_channel
from .node import CCContainer, Endpoint, NodeInfo, RxContext, VirtualNode

_LOGGER = logging.getLogger(__name__)


class BinarySwitchLogic:
    """Binary Switch v2 state and handler, installable on a node or an end point."""

    def __init__(self, owner: CCContainer, report: Callable[[bytes], None]) -> None:
        self.on = False
        self._report = report
        owner.register(CC_SWITCH_BINARY, self._handle, version=2)
        owner.basic_get = lambda: self.report_bytes()[2:]
        owner.basic_set = lambda ctx, value: self.set(value != 0)

    def report_bytes(self) -> bytes:
        """Switch Binary Report ``25 03 [current][target][duration]``."""
        value = 0xFF if self.on else 0x00
        return bytes((CC_SWITCH_BINARY, 0x03, value, value, 0))

    def set(self, on: bool, notify: bool = False) -> None:
        """Change state; ``notify`` sends a report to the lifeline."""
        self.on = on
        if notify:
            self._report(self.report_bytes())

    def _handle(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and payload:
            if payload[0] not in (0x00, 0xFF) and payload[0] > 0x63:
                ctx.fail()
                return
            self.set(payload[0] != 0)
        elif cmd == 0x02:
            ctx.reply(self.report_bytes())


class BinarySwitch(VirtualNode):
    """Mains powered on/off switch (Switch Binary v2); ``press()`` toggles locally."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x10, 0x01, product_id=0x0025, name="Binary switch", icon=0x0700),
            **options,
        )
        self.switch = BinarySwitchLogic(self, self.send_report)
        add_config_param(self, 1, 1, 0)  # LED indicator mode

    @property
    def on(self) -> bool:
        """Current state."""
        return self.switch.on

    def press(self) -> None:
        """Local button: toggle and report to the lifeline."""
        self.switch.set(not self.switch.on, notify=True)

    def set_local(self, on: bool) -> None:
        """Local change to a given state (reported)."""
        self.switch.set(on, notify=True)


class Dimmer(VirtualNode):
    """Multilevel Switch v4 with transition durations and level changes."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x11, 0x01, product_id=0x0026, name="Dimmer", icon=0x0600),
            **options,
        )
        self.level = 0
        self.target = 0
        self.last_on_level = 99
        self.time_scale: float = options.get("time_scale", 1.0)
        self._transition: asyncio.Task[Any] | None = None
        self._ends_at = 0.0
        self._change: tuple[float, int, float, bool] | None = None  # start time, level, rate, up
        self.register(CC_SWITCH_MULTILEVEL, self._handle, version=4)
        self.basic_get = lambda: self.report_bytes()[2:]
        self.basic_set = lambda ctx, value: self.set_level(value, 0)
        add_config_param(self, 1, 1, 1)  # dimming curve

    def report_bytes(self) -> bytes:
        """``26 03 [current][target][remaining duration]``."""
        remaining = max(0.0, self._ends_at - time.monotonic()) / (self.time_scale or 1)
        duration = seconds_to_duration(remaining) if self._transition else 0
        return bytes((CC_SWITCH_MULTILEVEL, 0x03, self.level, self.target, duration))

    def set_level(self, value: int, duration_byte: int = 0, notify: bool = False) -> None:
        """Apply a Set value (0xFF = last level) with a duration byte."""
        if value == 0xFF:
            value = self.last_on_level
        value = min(value, 99)
        self.target = value
        self._cancel_transition()
        seconds = duration_to_seconds(duration_byte) * self.time_scale if duration_byte else 0.0
        if seconds <= 0:
            self._finish(value, notify)
            return
        self._ends_at = time.monotonic() + seconds

        async def _run() -> None:
            await asyncio.sleep(seconds)
            self._transition = None
            self._finish(value, True)

        self._transition = self.spawn(_run())

    def _finish(self, value: int, notify: bool) -> None:
        self.level = self.target = value
        if value:
            self.last_on_level = value
        if notify:
            self.send_report(self.report_bytes())

    def _cancel_transition(self) -> None:
        if self._transition is not None:
            self._transition.cancel()
            self._transition = None

    def _handle(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and payload:
            if payload[0] > 99 and payload[0] != 0xFF:
                ctx.fail()
                return
            self.set_level(payload[0], payload[1] if len(payload) > 1 else 0)
        elif cmd == 0x02:
            ctx.reply(self.report_bytes())
        elif cmd == 0x04 and payload:
            up = not payload[0] & 0x40
            start = self.level if payload[0] & 0x20 or len(payload) < 2 else min(payload[1], 99)
            seconds = duration_to_seconds(payload[2]) if len(payload) > 2 and payload[2] else 3.0
            self._cancel_transition()
            self.level = start
            self.target = 99 if up else 0
            self._change = (time.monotonic(), start, 99 / (seconds * self.time_scale or 1), up)
        elif cmd == 0x05:
            self._stop_change()
        elif cmd == 0x06:
            ctx.reply(bytes((CC_SWITCH_MULTILEVEL, 0x07, 0x02, 0x00)))

    def _stop_change(self) -> None:
        if self._change is None:
            return
        started, start, rate, up = self._change
        delta = int((time.monotonic() - started) * rate)
        level = min(99, start + delta) if up else max(0, start - delta)
        self._change = None
        self._finish(level, False)

    def press(self) -> None:
        """Local button: toggle between off and the last level, reported."""
        self.set_level(0 if self.level else self.last_on_level, notify=True)


# Electric meter scales: scale -> (attribute, precision, size)
_METER_SCALES = {0: ("kwh", 2, 4), 2: ("watts", 1, 4), 4: ("volts", 1, 2), 5: ("amps", 2, 2)}


class MeteringPlug(BinarySwitch):
    """Binary switch with an electric Meter v3 (kWh, W, V, A; reset)."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x10, 0x01, product_id=0x0032, name="Metering plug", icon=0x0700),
            **options,
        )
        self.kwh = 12.34
        self.watts = 0.0
        self.volts = 230.0
        self.amps = 0.0
        self.register(CC_METER, self._meter, version=3)

    def meter_report(self, scale: int) -> bytes:
        """``32 02 [scale2|rate|type][prec|scale|size][value][delta u16]``."""
        attr, precision, size = _METER_SCALES[scale]
        raw = round(getattr(self, attr) * 10**precision)
        byte0 = (0x80 if scale & 0x04 else 0) | (0x01 << 5) | 0x01
        byte1 = (precision << 5) | ((scale & 0x03) << 3) | size
        return bytes((CC_METER, 0x02, byte0, byte1)) + raw.to_bytes(size, "big", signed=True) + b"\x00\x00"

    def _meter(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:
            scale = (payload[0] >> 3) & 0x07 if payload else 0
            ctx.reply(self.meter_report(scale if scale in _METER_SCALES else 0))
        elif cmd == 0x03:
            mask = sum(1 << s for s in _METER_SCALES)
            ctx.reply(bytes((CC_METER, 0x04, 0x80 | 0x01, mask)))
        elif cmd == 0x05:
            self.kwh = 0.0
            self.send_report(self.meter_report(0))

    def set_power(self, watts: float) -> None:
        """Local load change: report W and A."""
        self.watts = float(watts)
        self.amps = round(self.watts / self.volts, 2) if self.volts else 0.0
        self.send_report(self.meter_report(2))
        self.send_report(self.meter_report(5))

    def set_energy(self, kwh: float) -> None:
        """Set the energy counter and report it."""
        self.kwh = float(kwh)
        self.send_report(self.meter_report(0))

    def set_voltage(self, volts: float) -> None:
        """Set the mains voltage and report it."""
        self.volts = float(volts)
        self.send_report(self.meter_report(4))


class SwitchEndpoint(Endpoint):
    """A binary-switch end point."""

    def __init__(self, node: VirtualNode, index: int) -> None:
        super().__init__(node, index, 0x10, 0x01)
        self.switch = BinarySwitchLogic(self, self.send_report)

    @property
    def on(self) -> bool:
        """Current state."""
        return self.switch.on


class MultiChannelSwitch(VirtualNode):
    """Multi Channel v4 device with ``channels`` identical binary-switch end points."""

    def __init__(self, node_id: int, channels: int = 2, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x10, 0x01, product_id=0x0060, name="Two-channel switch", icon=0x0700),
            **options,
        )
        for index in range(1, channels + 1):
            self.endpoints[index] = SwitchEndpoint(self, index)
        install_multi_channel(self, identical=True)
        self.register(CC_SWITCH_BINARY, self._root_switch, version=2)
        self.basic_get = lambda: self.endpoints[1].switch.report_bytes()[2:]  # type: ignore[attr-defined]
        self.basic_set = lambda ctx, value: self._set_all(value != 0)

    def endpoint_on(self, index: int) -> bool:
        """State of one end point."""
        return self.endpoints[index].on  # type: ignore[attr-defined]

    @property
    def on(self) -> bool:
        """True if any channel is on."""
        return any(self.endpoint_on(i) for i in self.endpoints)

    def _set_all(self, on: bool) -> None:
        for ep in self.endpoints.values():
            ep.switch.set(on)  # type: ignore[attr-defined]

    def _root_switch(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01 and payload:
            self._set_all(payload[0] != 0)
        elif cmd == 0x02:
            ctx.reply(self.endpoints[1].switch.report_bytes())  # type: ignore[attr-defined]

    def press(self, index: int = 1) -> None:
        """Local button of one channel: toggle, report encapsulated from that end point."""
        ep = self.endpoints[index]
        ep.switch.set(not ep.switch.on, notify=True)  # type: ignore[attr-defined]
