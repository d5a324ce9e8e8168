"""Version CC (0x86), v3.

Values: ``library_type`` (int), ``protocol_version`` and ``firmware_version`` ("major.minor"),
``hardware_version`` (int, v2+); extra firmware targets as ``firmware_version`` with key =
target number; ``sdk_version``/``application_version`` ("a.b.c", v3 Z-Wave Software Report).
Per-CC versions (CommandClassGet/Report) are stored by the node, not as values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.VERSION


def _version(major: int, minor: int) -> str:
    return f"{major}.{minor}"


@register
@dataclass(frozen=True, slots=True)
class VersionReport(CCCommand):
    """Report 12 ``[library][proto major][proto minor][fw major][fw minor][hw (v2)][n][extra fw…]``."""

    cc_id = CC
    command_id = 0x12
    library_type: int
    protocol_version: str
    firmware_version: str
    hardware_version: int | None = None
    extra_firmware_versions: tuple[str, ...] = ()

    def encode_payload(self) -> bytes:
        def split(v: str) -> bytes:
            major, _, minor = v.partition(".")
            return bytes((int(major), int(minor or 0)))

        out = bytes((self.library_type,)) + split(self.protocol_version) + split(self.firmware_version)
        if self.hardware_version is None:
            return out
        out += bytes((self.hardware_version, len(self.extra_firmware_versions)))
        return out + b"".join(split(v) for v in self.extra_firmware_versions)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 5, "Version Report")
        proto, fw = _version(payload[1], payload[2]), _version(payload[3], payload[4])
        if len(payload) < 7:
            return cls(payload[0], proto, fw, payload[5] if len(payload) == 6 else None)
        n = payload[6]
        require(payload, 7 + 2 * n, "Version Report firmware targets")
        extra = tuple(_version(payload[7 + 2 * i], payload[8 + 2 * i]) for i in range(n))
        return cls(payload[0], proto, fw, payload[5], extra)

    def value_updates(self) -> list[ValueUpdate]:
        updates = [
            ValueUpdate("library_type", self.library_type),
            ValueUpdate("protocol_version", self.protocol_version),
            ValueUpdate("firmware_version", self.firmware_version),
        ]
        if self.hardware_version is not None:
            updates.append(ValueUpdate("hardware_version", self.hardware_version))
        updates += [ValueUpdate("firmware_version", v, i) for i, v in enumerate(self.extra_firmware_versions, 1)]
        return updates


@register
@dataclass(frozen=True, slots=True)
class VersionGet(CCCommand):
    cc_id = CC
    command_id = 0x11
    expects = VersionReport


@register
@dataclass(frozen=True, slots=True)
class VersionCommandClassReport(CCCommand):
    """Report 14 ``[cc][version]`` (0 = not supported)."""

    cc_id = CC
    command_id = 0x14
    command_class: int
    version: int

    def encode_payload(self) -> bytes:
        return bytes((self.command_class, self.version))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Version Command Class Report")
        return cls(payload[0], payload[1])

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, VersionCommandClassGet) and get.command_class == self.command_class


@register
@dataclass(frozen=True, slots=True)
class VersionCommandClassGet(CCCommand):
    cc_id = CC
    command_id = 0x13
    expects = VersionCommandClassReport
    command_class: int

    def encode_payload(self) -> bytes:
        return bytes((self.command_class,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Version Command Class Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class VersionCapabilitiesReport(CCCommand):
    """Report 16 ``[b2 Z-Wave software get, b1 command class, b0 version]``."""

    cc_id = CC
    command_id = 0x16
    zwave_software: bool
    command_class: bool = True
    version: bool = True

    def encode_payload(self) -> bytes:
        return bytes(((4 if self.zwave_software else 0) | (2 if self.command_class else 0) | (1 if self.version else 0),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Version Capabilities Report")
        return cls(bool(payload[0] & 4), bool(payload[0] & 2), bool(payload[0] & 1))


@register
@dataclass(frozen=True, slots=True)
class VersionCapabilitiesGet(CCCommand):
    cc_id = CC
    command_id = 0x15
    expects = VersionCapabilitiesReport


_SOFTWARE_FIELDS = ("sdk", "application_framework", "host_interface", "zwave_protocol", "application")
_SOFTWARE_LAYOUT = ((0, None), (3, 6), (8, 11), (13, 16), (18, 21))  # (version offset, build offset)


@register
@dataclass(frozen=True, slots=True)
class ZWaveSoftwareReport(CCCommand):
    """Report 18 (23 bytes): SDK, AF API (+build), host interface (+build), protocol (+build),
    application (+build); version "0.0.0" = unused (None here)."""

    cc_id = CC
    command_id = 0x18
    sdk_version: str | None = None
    application_framework_version: str | None = None
    application_framework_build: int = 0
    host_interface_version: str | None = None
    host_interface_build: int = 0
    zwave_protocol_version: str | None = None
    zwave_protocol_build: int = 0
    application_version: str | None = None
    application_build: int = 0

    def encode_payload(self) -> bytes:
        out = bytearray(23)
        for name, (voff, boff) in zip(_SOFTWARE_FIELDS, _SOFTWARE_LAYOUT):
            version = getattr(self, f"{name}_version")
            if version:
                out[voff : voff + 3] = bytes(int(p) for p in version.split("."))
            if boff is not None:
                out[boff : boff + 2] = int(getattr(self, f"{name}_build")).to_bytes(2, "big")
        return bytes(out)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 23, "Z-Wave Software Report")
        kwargs: dict[str, object] = {}
        for name, (voff, boff) in zip(_SOFTWARE_FIELDS, _SOFTWARE_LAYOUT):
            triple = payload[voff : voff + 3]
            kwargs[f"{name}_version"] = ".".join(str(b) for b in triple) if any(triple) else None
            if boff is not None:
                kwargs[f"{name}_build"] = int.from_bytes(payload[boff : boff + 2], "big")
        return cls(**kwargs)  # type: ignore[arg-type]

    def value_updates(self) -> list[ValueUpdate]:
        updates = []
        if self.sdk_version:
            updates.append(ValueUpdate("sdk_version", self.sdk_version))
        if self.application_version:
            updates.append(ValueUpdate("application_version", self.application_version))
        return updates


@register
@dataclass(frozen=True, slots=True)
class ZWaveSoftwareGet(CCCommand):
    cc_id = CC
    command_id = 0x17
    expects = ZWaveSoftwareReport


async def _interview(ctx: CCContext) -> None:
    """Versions of the node; v3: capabilities and, when supported, the Z-Wave software report."""
    await ctx.get(VersionGet())
    if ctx.version < 3:
        return
    try:
        caps = await ctx.get(VersionCapabilitiesGet())
        if isinstance(caps, VersionCapabilitiesReport) and caps.zwave_software:
            await ctx.get(ZWaveSoftwareGet())
    except NodeError:
        pass


INFO = register_cc(CCInfo(CC, "Version", 3, interview=_interview, interview_order=2))
