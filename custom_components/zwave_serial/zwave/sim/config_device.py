"""A virtual plug with Configuration v4: parameters that describe themselves.

:class:`ConfigurablePlug` is a Binary Switch whose parameters answer Properties Get (format,
size, range, default, read-only / advanced / alters-capabilities flags, and the "next
parameter" chain starting at parameter 0), Name Get and Info Get (long descriptions come in
several reports, "reports to follow" counting down), Get / Set (with the "default" flag),
Bulk Get / Bulk Set (parameters above 255) and Default Reset.

A Set the device does not accept (unknown or read-only parameter, wrong size, value out of
range, a bit outside a bit field) is ignored, as a device does: the host sees it by reading the
value back, or with Supervision as FAIL (``supervision=True`` keeps the Supervision CC every
virtual node has; the default device has none, so the host reads its sets back).

Like the rest of the simulator, an independent implementation of the byte layouts (the
Configuration CC specification), not the driver's codecs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from .ccutil import CC_CONFIGURATION, CC_SUPERVISION, u16
from .node import NodeInfo, RxContext, VirtualNode
from .switches import BinarySwitchLogic

_LOGGER = logging.getLogger(__name__)

SIGNED, UNSIGNED, ENUMERATED, BIT_FIELD = 0, 1, 2, 3
#: Text bytes per Name/Info Report (longer texts are split over several reports).
TEXT_CHUNK = 32


@dataclass
class SimParameter:
    """One parameter of the virtual device."""

    number: int
    size: int
    fmt: int
    minimum: int
    maximum: int
    default: int
    name: str
    info: str = ""
    readonly: bool = False
    advanced: bool = False
    alters_capabilities: bool = False
    no_bulk_support: bool = False

    def accepts(self, value: int) -> bool:
        if self.fmt == BIT_FIELD:
            return value & ~self.maximum == 0
        return self.minimum <= value <= self.maximum

    def encode(self, value: int) -> bytes:
        return value.to_bytes(self.size, "big", signed=self.fmt == SIGNED)

    def decode(self, data: bytes) -> int:
        return int.from_bytes(data, "big", signed=self.fmt == SIGNED)


#: The demo plug's parameters: each format, a bit field, an advanced one, a read-only one, one
#: above 255, and a description long enough for several Info Reports.
DEFAULT_PARAMETERS: tuple[SimParameter, ...] = (
    SimParameter(1, 1, UNSIGNED, 0, 100, 50, "LED brightness", "Brightness of the status LED in percent."),
    SimParameter(2, 1, SIGNED, -50, 50, 0, "Power offset", "Added to every power reading, in watts."),
    SimParameter(3, 2, UNSIGNED, 0, 43200, 0, "Auto-off timer", "Seconds until the plug turns off; 0 never."),
    SimParameter(4, 1, ENUMERATED, 0, 2, 0, "State after power failure", "0 off, 1 on, 2 as before the failure."),
    SimParameter(5, 1, ENUMERATED, 0, 3, 1, "LED mode", "0 off, 1 on with the load, 2 on without, 3 always on."),
    SimParameter(6, 1, UNSIGNED, 0, 1, 0, "Child lock", "1 disables the local button."),
    SimParameter(
        7, 1, BIT_FIELD, 0, 0x0F, 0x05, "Report triggers",
        "Which changes the plug reports: bit 0 switch state, bit 1 power changes above the "
        "threshold, bit 2 energy every hour, bit 3 the local button.",
    ),
    SimParameter(
        8, 4, UNSIGNED, 0, 100000, 1000, "Energy report threshold", "Milliwatt-hours between energy reports.",
        advanced=True,
    ),
    SimParameter(9, 2, UNSIGNED, 0, 0xFFFF, 0x0102, "Hardware revision", "Read-only.", readonly=True),
    SimParameter(
        300, 2, SIGNED, -1000, 1000, 0, "Power calibration", "Calibration of the power meter in 0.1 %.",
        advanced=True, alters_capabilities=True,
    ),
)


class ConfigurablePlug(VirtualNode):
    """Binary Switch v2 with Configuration v4 (see the module docstring)."""

    def __init__(
        self,
        node_id: int,
        info: NodeInfo | None = None,
        parameters: tuple[SimParameter, ...] = DEFAULT_PARAMETERS,
        supervision: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(
            node_id,
            info or NodeInfo(0x10, 0x01, product_id=0x0070, name="Configurable plug", icon=0x0700),
            **options,
        )
        self.switch = BinarySwitchLogic(self, self.send_report)
        self.parameters: dict[int, SimParameter] = {p.number: replace(p) for p in parameters}
        self.values: dict[int, int] = {p.number: p.default for p in parameters}
        self.register(CC_CONFIGURATION, self._configuration, version=4)
        if not supervision:
            self._handlers.pop(CC_SUPERVISION, None)
            self.cc_versions.pop(CC_SUPERVISION, None)
            self.nif_ccs.remove(CC_SUPERVISION)

    @property
    def on(self) -> bool:
        """Switch state."""
        return self.switch.on

    def value(self, number: int) -> int:
        """The current value of a parameter (as the device holds it)."""
        return self.values[number]

    # ------------------------------------------------------------------ Configuration CC
    def _configuration(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        handler = {
            0x01: self._default_reset,
            0x04: self._set,
            0x05: self._get,
            0x07: self._bulk_set,
            0x08: self._bulk_get,
            0x0A: self._name_get,
            0x0C: self._info_get,
            0x0E: self._properties_get,
        }.get(cmd)
        if handler is not None:
            handler(ctx, payload)

    def _default_reset(self, ctx: RxContext, payload: bytes) -> None:
        self.values = {n: p.default for n, p in self.parameters.items()}

    def _store(self, ctx: RxContext, number: int, flags: int, data: bytes) -> bool:
        """Apply one Set value; False (and FAIL under Supervision) when not accepted."""
        param = self.parameters.get(number)
        if param is None or param.readonly:
            ctx.fail()
            return False
        if flags & 0x80:
            self.values[number] = param.default
            return True
        size = flags & 0x07
        if size != param.size or len(data) < size:
            ctx.fail()
            return False
        value = param.decode(data[:size])
        if not param.accepts(value):
            _LOGGER.debug("node %d: parameter %d value %d refused", self.node_id, number, value)
            ctx.fail()
            return False
        self.values[number] = value
        return True

    def _set(self, ctx: RxContext, payload: bytes) -> None:
        if len(payload) >= 2:
            self._store(ctx, payload[0], payload[1], payload[2:])

    def _report(self, number: int) -> bytes:
        param = self.parameters[number]
        return bytes((CC_CONFIGURATION, 0x06, number, param.size)) + param.encode(self.values[number])

    def _get(self, ctx: RxContext, payload: bytes) -> None:
        if not payload:
            return
        number = payload[0]
        if number not in self.parameters or number > 0xFF:
            # An unknown parameter: the device reports its first one instead.
            number = min(n for n in self.parameters if n <= 0xFF)
        ctx.reply(self._report(number))

    def _bulk_set(self, ctx: RxContext, payload: bytes) -> None:
        if len(payload) < 4:
            return
        first, count, flags = int.from_bytes(payload[0:2], "big"), payload[2], payload[3]
        size = 1 if flags & 0x80 else flags & 0x07
        for index in range(count):
            chunk = payload[4 + index * size : 4 + (index + 1) * size]
            self._store(ctx, first + index, flags & 0x87, chunk)
        if flags & 0x40:  # handshake: answer with the values now held
            ctx.reply(self._bulk_report(first, count))

    def _bulk_report(self, first: int, count: int) -> bytes:
        params = [self.parameters.get(first + i) for i in range(count)]
        size = next((p.size for p in params if p is not None), 1)
        body = b"".join(
            (p.encode(self.values[p.number]) if p is not None and p.size == size else bytes(size)) for p in params
        )
        return bytes((CC_CONFIGURATION, 0x09)) + u16(first) + bytes((count, 0, size)) + body

    def _bulk_get(self, ctx: RxContext, payload: bytes) -> None:
        if len(payload) >= 3:
            ctx.reply(self._bulk_report(int.from_bytes(payload[0:2], "big"), payload[2]))

    def _text(self, ctx: RxContext, payload: bytes, command: int, attribute: str) -> None:
        if len(payload) < 2:
            return
        number = int.from_bytes(payload[0:2], "big")
        param = self.parameters.get(number)
        text = (getattr(param, attribute) if param is not None else "").encode()
        chunks = [text[i : i + TEXT_CHUNK] for i in range(0, len(text), TEXT_CHUNK)] or [b""]
        for index, chunk in enumerate(chunks):
            to_follow = len(chunks) - 1 - index
            ctx.reply(bytes((CC_CONFIGURATION, command)) + u16(number) + bytes((to_follow,)) + chunk)

    def _name_get(self, ctx: RxContext, payload: bytes) -> None:
        self._text(ctx, payload, 0x0B, "name")

    def _info_get(self, ctx: RxContext, payload: bytes) -> None:
        self._text(ctx, payload, 0x0D, "info")

    def _properties_get(self, ctx: RxContext, payload: bytes) -> None:
        if len(payload) < 2:
            return
        number = int.from_bytes(payload[0:2], "big")
        following = [n for n in sorted(self.parameters) if n > number]
        next_number = following[0] if following else 0
        param = self.parameters.get(number)
        head = bytes((CC_CONFIGURATION, 0x0F)) + u16(number)
        if param is None:
            ctx.reply(head + bytes((0x00,)) + u16(next_number) + b"\x00")
            return
        flags = (
            (0x80 if param.alters_capabilities else 0)
            | (0x40 if param.readonly else 0)
            | (param.fmt << 3)
            | param.size
        )
        ranges = param.encode(param.minimum) + param.encode(param.maximum) + param.encode(param.default)
        options = (0x02 if param.no_bulk_support else 0) | (0x01 if param.advanced else 0)
        ctx.reply(head + bytes((flags,)) + ranges + u16(next_number) + bytes((options,)))


__all__ = ["DEFAULT_PARAMETERS", "ConfigurablePlug", "SimParameter"]
