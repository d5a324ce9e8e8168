"""Wake Up CC (0x84), v3.

Values: ``wake_up_interval`` (s), ``controller_node_id``; from the capabilities (v2+):
``wake_up_interval_min``, ``wake_up_interval_max``, ``wake_up_interval_default``,
``wake_up_interval_step`` (s) and ``wake_up_on_demand`` (v3, bool).

IntervalSet 04 ``[seconds u24][node id]``; IntervalGet 05; IntervalReport 06 ``[u24][node id]``;
Notification 07 (the node is awake); NoMoreInformation 08 (the node may sleep);
IntervalCapabilitiesGet 09; IntervalCapabilitiesReport 0A ``[min u24][max u24][default u24]
[step u24][b0 wake up on demand (v3)]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from ..errors import CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.WAKE_UP

MAX_INTERVAL = 0xFFFFFF


def _u24(value: int, what: str) -> bytes:
    if not 0 <= value <= MAX_INTERVAL:
        raise CCEncodeError(f"Wake Up: {what} must be 0..{MAX_INTERVAL} s")
    return value.to_bytes(3, "big")


def _node_byte(node_id: int) -> bytes:
    if not 0 <= node_id <= 0xFF:
        raise CCEncodeError("Wake Up: controller node id must fit in one byte")
    return bytes((node_id,))


@dataclass(frozen=True, slots=True)
class _Interval(CCCommand):
    """``[interval (s), 24 bit][controller node id]`` (IntervalSet 04, IntervalReport 06)."""

    interval: int
    controller_node_id: int

    def encode_payload(self) -> bytes:
        return _u24(self.interval, "interval") + _node_byte(self.controller_node_id)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Wake Up Interval")
        return cls(int.from_bytes(payload[0:3], "big"), payload[3])


@register
@dataclass(frozen=True, slots=True)
class WakeUpIntervalSet(_Interval):
    """Set the wake-up interval (s, 0 = never) and the node to notify on wake-up."""

    cc_id = CC
    command_id = 0x04


@register
@dataclass(frozen=True, slots=True)
class WakeUpIntervalReport(_Interval):
    """The wake-up interval (s) and the node notified on wake-up."""

    cc_id = CC
    command_id = 0x06

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate("wake_up_interval", self.interval, unit="s"),
            ValueUpdate("controller_node_id", self.controller_node_id),
        ]


@register
@dataclass(frozen=True, slots=True)
class WakeUpIntervalGet(CCCommand):
    """Ask for the wake-up interval."""

    cc_id = CC
    command_id = 0x05
    expects = WakeUpIntervalReport


@register
@dataclass(frozen=True, slots=True)
class WakeUpNotification(CCCommand):
    """Sent by a sleeping node when it wakes up."""

    cc_id = CC
    command_id = 0x07


@register
@dataclass(frozen=True, slots=True)
class WakeUpNoMoreInformation(CCCommand):
    """Sent to a node to let it go back to sleep."""

    cc_id = CC
    command_id = 0x08


@register
@dataclass(frozen=True, slots=True)
class WakeUpIntervalCapabilitiesReport(CCCommand):
    """Allowed wake-up intervals (s) and, in v3, wake-up-on-demand support."""

    cc_id = CC
    command_id = 0x0A
    min_interval: int
    max_interval: int
    default_interval: int
    step: int
    #: None when the v3 byte is absent.
    on_demand: bool | None = None

    def encode_payload(self) -> bytes:
        out = (
            _u24(self.min_interval, "minimum interval")
            + _u24(self.max_interval, "maximum interval")
            + _u24(self.default_interval, "default interval")
            + _u24(self.step, "interval step")
        )
        if self.on_demand is not None:
            out += bytes((0x01 if self.on_demand else 0x00,))
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 12, "Wake Up IntervalCapabilitiesReport")
        values = [int.from_bytes(payload[i : i + 3], "big") for i in range(0, 12, 3)]
        on_demand = bool(payload[12] & 0x01) if len(payload) >= 13 else None
        return cls(*values, on_demand=on_demand)

    def value_updates(self) -> list[ValueUpdate]:
        updates = [
            ValueUpdate("wake_up_interval_min", self.min_interval, unit="s"),
            ValueUpdate("wake_up_interval_max", self.max_interval, unit="s"),
            ValueUpdate("wake_up_interval_default", self.default_interval, unit="s"),
            ValueUpdate("wake_up_interval_step", self.step, unit="s"),
        ]
        if self.on_demand is not None:
            updates.append(ValueUpdate("wake_up_on_demand", self.on_demand))
        return updates


@register
@dataclass(frozen=True, slots=True)
class WakeUpIntervalCapabilitiesGet(CCCommand):
    """Ask for the allowed wake-up intervals (v2+)."""

    cc_id = CC
    command_id = 0x09
    expects = WakeUpIntervalCapabilitiesReport


async def _interview(ctx: CCContext) -> None:
    """Read capabilities and interval; point the wake-up notifications at the controller.

    The controller's node id comes from ``ctx.controller_node_id`` when the context offers it
    (it is not part of the :class:`CCContext` protocol); without it the destination is left alone.
    """
    caps: WakeUpIntervalCapabilitiesReport | None = None
    if ctx.version >= 2:
        try:
            answer = await ctx.get(WakeUpIntervalCapabilitiesGet())
        except NodeError:
            answer = None
        if isinstance(answer, WakeUpIntervalCapabilitiesReport):
            caps = answer
    report = await ctx.get(WakeUpIntervalGet())
    own_id = getattr(ctx, "controller_node_id", None)
    if not isinstance(report, WakeUpIntervalReport) or not isinstance(own_id, int):
        return
    if report.controller_node_id != own_id:
        interval = report.interval
        if interval != 0 and caps is not None and caps.min_interval <= caps.max_interval:
            interval = max(caps.min_interval, min(caps.max_interval, interval))
        await ctx.send(WakeUpIntervalSet(interval, own_id))
        ctx.set_static("wake_up_interval", interval)
        ctx.set_static("controller_node_id", own_id)


async def _refresh(ctx: CCContext) -> None:
    await ctx.get(WakeUpIntervalGet())


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    if prop != "wake_up_interval":
        raise CCEncodeError(f"Wake Up: property {prop!r} is not writable")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INTERVAL:
        raise CCEncodeError(f"Wake Up: wake_up_interval must be 0..{MAX_INTERVAL} seconds")
    node_id = options.get("controller_node_id")
    if isinstance(node_id, bool) or not isinstance(node_id, int) or not 1 <= node_id <= 0xFF:
        raise CCEncodeError("Wake Up: options['controller_node_id'] (1..255) is required")
    return WakeUpIntervalSet(value, node_id)


INFO = register_cc(
    CCInfo(CC, "Wake Up", 3, interview=_interview, refresh=_refresh, set_value=_set_value, interview_order=20)
)
