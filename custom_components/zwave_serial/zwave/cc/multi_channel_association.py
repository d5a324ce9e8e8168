"""Multi Channel Association CC (0x8E), v3 (zwave-js: v5, same commands).

Layout of Set 01 / Remove 04: ``[group][node ids…][0x00 marker][{node, b7 bit-address | ep}…]``;
Report 03 adds ``[max nodes][reports to follow]`` after the group.  Values: ``nodes``,
``endpoints`` (list of ``[node, endpoint]``) and ``max_nodes`` (key = group), ``group_count``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import CCEncodeError
from ..values import ValueUpdate
from .association import node_list, read_groups
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.MULTI_CHANNEL_ASSOCIATION
MARKER = 0x00
Endpoints = tuple[tuple[int, int], ...]


def _encode_targets(node_ids: tuple[int, ...], endpoints: Endpoints) -> bytes:
    out = bytes(node_list(node_ids))
    if endpoints:
        out += bytes((MARKER,))
        for node, ep in endpoints:
            node_list((node,))
            if not 0 <= ep <= 0x7F:
                raise CCEncodeError("association endpoint must be 0..127")
            out += bytes((node, ep))
    return out


def _decode_targets(data: bytes) -> tuple[tuple[int, ...], Endpoints]:
    """Node ids until the marker, then (node, endpoint) pairs; bit-addressed endpoints expand."""
    if MARKER in data:
        split = data.index(MARKER)
        nodes, rest = tuple(data[:split]), data[split + 1 :]
    else:
        nodes, rest = tuple(data), b""
    pairs: list[tuple[int, int]] = []
    for i in range(0, len(rest) - 1, 2):
        node, ep = rest[i], rest[i + 1]
        if ep & 0x80:
            pairs += [(node, bit + 1) for bit in range(7) if ep & (1 << bit)]
        else:
            pairs.append((node, ep))
    return nodes, tuple(pairs)


@dataclass(frozen=True, slots=True)
class _GroupTargets(CCCommand):
    group: int
    node_ids: tuple[int, ...] = ()
    endpoints: Endpoints = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "node_ids", tuple(self.node_ids))
        object.__setattr__(self, "endpoints", tuple(tuple(p) for p in self.endpoints))

    def encode_payload(self) -> bytes:
        return bytes((self.group,)) + _encode_targets(self.node_ids, self.endpoints)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multi Channel Association")
        nodes, eps = _decode_targets(bytes(payload[1:]))
        return cls(payload[0], nodes, eps)


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAssociationSet(_GroupTargets):
    cc_id = CC
    command_id = 0x01


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAssociationRemove(_GroupTargets):
    cc_id = CC
    command_id = 0x04


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAssociationReport(CCCommand):
    cc_id = CC
    command_id = 0x03
    group: int
    max_nodes: int
    node_ids: tuple[int, ...] = ()
    endpoints: Endpoints = ()
    reports_to_follow: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "node_ids", tuple(self.node_ids))
        object.__setattr__(self, "endpoints", tuple(tuple(p) for p in self.endpoints))

    def encode_payload(self) -> bytes:
        head = bytes((self.group, self.max_nodes, self.reports_to_follow))
        out = head + bytes(self.node_ids)
        if self.endpoints:
            out += bytes((MARKER,)) + b"".join(bytes(p) for p in self.endpoints)
        return out

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Multi Channel Association Report")
        nodes, eps = _decode_targets(bytes(payload[3:]))
        return cls(payload[0], payload[1], nodes, eps, payload[2])

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate("nodes", list(self.node_ids), self.group),
            ValueUpdate("endpoints", [list(p) for p in self.endpoints], self.group),
            ValueUpdate("max_nodes", self.max_nodes, self.group),
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, MultiChannelAssociationGet) and get.group == self.group


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAssociationGet(CCCommand):
    cc_id = CC
    command_id = 0x02
    expects = MultiChannelAssociationReport
    group: int

    def encode_payload(self) -> bytes:
        return bytes((self.group,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multi Channel Association Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAssociationSupportedGroupingsReport(CCCommand):
    cc_id = CC
    command_id = 0x06
    group_count: int

    def encode_payload(self) -> bytes:
        return bytes((self.group_count,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multi Channel Association Supported Groupings Report")
        return cls(payload[0])

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate("group_count", self.group_count)]


@register
@dataclass(frozen=True, slots=True)
class MultiChannelAssociationSupportedGroupingsGet(CCCommand):
    cc_id = CC
    command_id = 0x05
    expects = MultiChannelAssociationSupportedGroupingsReport


async def _interview(ctx: CCContext) -> None:
    report = await ctx.get(MultiChannelAssociationSupportedGroupingsGet())
    assert isinstance(report, MultiChannelAssociationSupportedGroupingsReport)
    await read_groups(ctx, report.group_count, MultiChannelAssociationGet)


INFO = register_cc(CCInfo(CC, "Multi Channel Association", 3, interview=_interview, interview_order=10))
