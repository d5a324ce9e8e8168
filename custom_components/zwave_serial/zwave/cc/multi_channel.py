"""Multi Channel CC (0x60), v4, plus the v1 Multi Instance commands older devices still send.

Endpoints are discovered by the node interview (EndPointGet, then CapabilityGet per endpoint);
no values.  ``CmdEncap 0D [src ep][b7 bitmask | dst ep][command]`` carries a command from or to
an endpoint; :mod:`..encap` wraps and unwraps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import CCDecodeError, CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask
from .supervision import inner_summary

CC = CommandClass.MULTI_CHANNEL
_MARK = 0xEF


def parse_cc_list(data: bytes) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A NIF-style CC list -> (supported, controlled); CCs >= 0xF1 take two bytes."""
    supported: list[int] = []
    controlled: list[int] = []
    target, i = supported, 0
    while i < len(data):
        cc = data[i]
        if cc == _MARK:
            target = controlled
            i += 1
            continue
        if cc >= 0xF1:
            if i + 1 >= len(data):
                raise CCDecodeError("truncated extended command class in CC list")
            cc = (cc << 8) | data[i + 1]
            i += 1
        target.append(cc)
        i += 1
    return tuple(supported), tuple(controlled)


def encode_cc_list(supported: tuple[int, ...], controlled: tuple[int, ...] = ()) -> bytes:
    """Inverse of :func:`parse_cc_list`."""

    def one(cc: int) -> bytes:
        return cc.to_bytes(2 if cc > 0xFF else 1, "big")

    out = b"".join(one(cc) for cc in supported)
    if controlled:
        out += bytes((_MARK,)) + b"".join(one(cc) for cc in controlled)
    return out


def _check_endpoint(ep: int, what: str) -> None:
    if not 0 <= ep <= 0x7F:
        raise CCEncodeError(f"{what} {ep} is not 0..127")


@dataclass(frozen=True, slots=True)
class _EndpointGet(CCCommand):
    """``[endpoint]`` (Capability Get 09, Aggregated Members Get 0E)."""

    endpoint: int

    def encode_payload(self) -> bytes:
        _check_endpoint(self.endpoint, "endpoint")
        return bytes((self.endpoint,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multi Channel endpoint Get")
        return cls(payload[0] & 0x7F)


@register
@dataclass(frozen=True, slots=True)
class MultiChannelEndPointReport(CCCommand):
    """``[b7 dynamic, b6 identical][individual count][aggregated count (v4)]``."""

    cc_id = CC
    command_id = 0x08
    individual_count: int
    dynamic: bool = False
    identical: bool = False
    aggregated_count: int | None = None

    def encode_payload(self) -> bytes:
        flags = (0x80 if self.dynamic else 0) | (0x40 if self.identical else 0)
        out = bytes((flags, self.individual_count & 0x7F))
        return out if self.aggregated_count is None else out + bytes((self.aggregated_count & 0x7F,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multi Channel End Point Report")
        aggregated = payload[2] & 0x7F if len(payload) >= 3 else None
        return cls(payload[1] & 0x7F, bool(payload[0] & 0x80), bool(payload[0] & 0x40), aggregated)

    @property
    def endpoints(self) -> list[int]:
        """All endpoint numbers, individual then aggregated."""
        return list(range(1, self.individual_count + (self.aggregated_count or 0) + 1))


@register
@dataclass(frozen=True, slots=True)
class MultiChannelEndPointGet(CCCommand):
    cc_id = CC
    command_id = 0x07
    expects = MultiChannelEndPointReport


@register
@dataclass(frozen=True, slots=True)
class MultiChannelCapabilityReport(CCCommand):
    """``[b7 dynamic | ep][generic][specific][CCs]``."""

    cc_id = CC
    command_id = 0x0A
    endpoint: int
    generic_class: int
    specific_class: int
    supported_ccs: tuple[int, ...] = ()
    dynamic: bool = False
    controlled_ccs: tuple[int, ...] = ()

    def encode_payload(self) -> bytes:
        head = bytes(((0x80 if self.dynamic else 0) | (self.endpoint & 0x7F), self.generic_class, self.specific_class))
        return head + encode_cc_list(self.supported_ccs, self.controlled_ccs)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Multi Channel Capability Report")
        supported, controlled = parse_cc_list(payload[3:])
        return cls(payload[0] & 0x7F, payload[1], payload[2], supported, bool(payload[0] & 0x80), controlled)

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, MultiChannelCapabilityGet) and get.endpoint == self.endpoint


@register
@dataclass(frozen=True, slots=True)
class MultiChannelCapabilityGet(_EndpointGet):
    cc_id = CC
    command_id = 0x09
    expects = MultiChannelCapabilityReport


@register
@dataclass(frozen=True, slots=True)
class MultiChannelEndPointFindReport(CCCommand):
    """``[reports to follow][generic][specific][endpoints…]``."""

    cc_id = CC
    command_id = 0x0C
    reports_to_follow: int
    generic_class: int
    specific_class: int
    endpoints: tuple[int, ...] = ()

    def encode_payload(self) -> bytes:
        head = bytes((self.reports_to_follow, self.generic_class, self.specific_class))
        return head + bytes(ep & 0x7F for ep in self.endpoints)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Multi Channel End Point Find Report")
        eps = tuple(b & 0x7F for b in payload[3:] if b & 0x7F)
        return cls(payload[0], payload[1], payload[2], eps)


@register
@dataclass(frozen=True, slots=True)
class MultiChannelEndPointFind(CCCommand):
    """``[generic][specific]`` (0xFF = any)."""

    cc_id = CC
    command_id = 0x0B
    expects = MultiChannelEndPointFindReport
    generic_class: int = 0xFF
    specific_class: int = 0xFF

    def encode_payload(self) -> bytes:
        return bytes((self.generic_class, self.specific_class))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multi Channel End Point Find")
        return cls(payload[0], payload[1])


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAggregatedMembersReport(CCCommand):
    """``[aggregated ep][n][bitmask, bit0 = endpoint 1]``."""

    cc_id = CC
    command_id = 0x0F
    endpoint: int
    members: tuple[int, ...] = ()

    def encode_payload(self) -> bytes:
        mask = set_to_bitmask(set(self.members), start=1)
        return bytes((self.endpoint & 0x7F, len(mask))) + mask

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multi Channel Aggregated Members Report")
        n = payload[1]
        require(payload, 2 + n, "Multi Channel Aggregated Members Report bitmask")
        return cls(payload[0] & 0x7F, tuple(sorted(bitmask_to_set(payload[2 : 2 + n], start=1))))

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, MultiChannelAggregatedMembersGet) and get.endpoint == self.endpoint


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAggregatedMembersGet(_EndpointGet):
    cc_id = CC
    command_id = 0x0E
    expects = MultiChannelAggregatedMembersReport


@register
@dataclass(frozen=True, slots=True)
class MultiChannelCmdEncap(CCCommand):
    """``[src ep][b7 bitmask | dst ep][command]``; with ``bit_address`` the destination is a
    bitmask of endpoints 1..7 (multicast to endpoints)."""

    cc_id = CC
    command_id = 0x0D
    source: int
    destination: int
    command: bytes
    bit_address: bool = False

    def encode_payload(self) -> bytes:
        _check_endpoint(self.source, "source endpoint")
        _check_endpoint(self.destination, "destination endpoint")
        if len(self.command) < 1:
            raise CCEncodeError("Multi Channel Encap: empty command")
        dst = (0x80 if self.bit_address else 0) | self.destination
        return bytes((self.source, dst)) + self.command

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Multi Channel Cmd Encap")
        return cls(payload[0] & 0x7F, payload[1] & 0x7F, bytes(payload[2:]), bool(payload[1] & 0x80))

    def __repr__(self) -> str:
        return (
            f"MultiChannelCmdEncap(source={self.source}, destination={self.destination}, "
            f"bit_address={self.bit_address}, command={inner_summary(self.command)})"
        )


# --- v1 Multi Instance -------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class MultiInstanceReport(CCCommand):
    """v1 Report 05 ``[cc][instances (7 bits)]``."""

    cc_id = CC
    command_id = 0x05
    command_class: int
    instances: int

    def encode_payload(self) -> bytes:
        return bytes((self.command_class, self.instances & 0x7F))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multi Instance Report")
        return cls(payload[0], payload[1] & 0x7F)

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, MultiInstanceGet) and get.command_class == self.command_class


@register
@dataclass(frozen=True, slots=True)
class MultiInstanceGet(CCCommand):
    """v1 Get 04 ``[cc]``."""

    cc_id = CC
    command_id = 0x04
    expects = MultiInstanceReport
    command_class: int

    def encode_payload(self) -> bytes:
        return bytes((self.command_class,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multi Instance Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class MultiInstanceEncap(CCCommand):
    """v1 Encap 06 ``[instance][command]``."""

    cc_id = CC
    command_id = 0x06
    instance: int
    command: bytes

    def encode_payload(self) -> bytes:
        _check_endpoint(self.instance, "instance")
        if len(self.command) < 1:
            raise CCEncodeError("Multi Instance Encap: empty command")
        return bytes((self.instance,)) + self.command

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Multi Instance Encap")
        return cls(payload[0] & 0x7F, bytes(payload[1:]))

    def __repr__(self) -> str:
        return f"MultiInstanceEncap(instance={self.instance}, command={inner_summary(self.command)})"


INFO = register_cc(CCInfo(CC, "Multi Channel", 4, interview_order=8))
