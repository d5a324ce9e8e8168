"""Association CC (0x85), v2 (zwave-js implements v4 with the same commands).

Values: ``nodes`` and ``max_nodes`` (key = group), ``group_count``.  The lifeline (group 1 →
the controller) is set up by the node interview.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Self

from ..errors import CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.ASSOCIATION
MAX_NODE_ID = 232


def node_list(nodes: Iterable[int]) -> tuple[int, ...]:
    """Validate node ids for a Set/Remove (1..232)."""
    out = tuple(nodes)
    if any(not isinstance(n, int) or not 1 <= n <= MAX_NODE_ID for n in out):
        raise CCEncodeError("association node ids must be 1..232")
    return out


@dataclass(frozen=True, slots=True)
class _GroupNodes(CCCommand):
    """``[group][node ids…]`` (Set 01, Remove 04)."""

    group: int
    node_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "node_ids", tuple(self.node_ids))

    def encode_payload(self) -> bytes:
        return bytes((self.group,)) + bytes(node_list(self.node_ids))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Association")
        return cls(payload[0], tuple(payload[1:]))


@register
@dataclass(frozen=True, slots=True)
class AssociationSet(_GroupNodes):
    cc_id = CC
    command_id = 0x01


@register
@dataclass(frozen=True, slots=True)
class AssociationRemove(_GroupNodes):
    """Group 0 = from all groups; no node ids = all nodes of the group."""

    cc_id = CC
    command_id = 0x04


@register
@dataclass(frozen=True, slots=True)
class AssociationReport(CCCommand):
    """Report 03 ``[group][max nodes][reports to follow][node ids…]``."""

    cc_id = CC
    command_id = 0x03
    group: int
    max_nodes: int
    node_ids: tuple[int, ...] = ()
    reports_to_follow: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "node_ids", tuple(self.node_ids))

    def encode_payload(self) -> bytes:
        return bytes((self.group, self.max_nodes, self.reports_to_follow)) + bytes(self.node_ids)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Association Report")
        return cls(payload[0], payload[1], tuple(payload[3:]), payload[2])

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate("nodes", list(self.node_ids), self.group),
            ValueUpdate("max_nodes", self.max_nodes, self.group),
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, AssociationGet) and get.group == self.group


@register
@dataclass(frozen=True, slots=True)
class AssociationGet(CCCommand):
    cc_id = CC
    command_id = 0x02
    expects = AssociationReport
    group: int

    def encode_payload(self) -> bytes:
        return bytes((self.group,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Association Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class AssociationSupportedGroupingsReport(CCCommand):
    cc_id = CC
    command_id = 0x06
    group_count: int

    def encode_payload(self) -> bytes:
        return bytes((self.group_count,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Association Supported Groupings Report")
        return cls(payload[0])

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate("group_count", self.group_count)]


@register
@dataclass(frozen=True, slots=True)
class AssociationSupportedGroupingsGet(CCCommand):
    cc_id = CC
    command_id = 0x05
    expects = AssociationSupportedGroupingsReport


@register
@dataclass(frozen=True, slots=True)
class AssociationSpecificGroupReport(CCCommand):
    """Report 0C ``[group]``: the group the last local operation used (0 = none)."""

    cc_id = CC
    command_id = 0x0C
    group: int

    def encode_payload(self) -> bytes:
        return bytes((self.group,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Association Specific Group Report")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class AssociationSpecificGroupGet(CCCommand):
    cc_id = CC
    command_id = 0x0B
    expects = AssociationSpecificGroupReport


async def read_groups(ctx: CCContext, group_count: int, group_get: Callable[[int], CCCommand]) -> None:
    """Ask for the members of groups 1..group_count; a group that does not answer is skipped.

    Shared with Multi Channel Association, which reads its groups with its own Get.
    """
    for group in range(1, group_count + 1):
        try:
            await ctx.get(group_get(group))
        except NodeError:
            continue


async def _interview(ctx: CCContext) -> None:
    """Number of groups, then the members of each."""
    report = await ctx.get(AssociationSupportedGroupingsGet())
    assert isinstance(report, AssociationSupportedGroupingsReport)
    await read_groups(ctx, report.group_count, AssociationGet)


INFO = register_cc(CCInfo(CC, "Association", 2, interview=_interview, interview_order=10))
