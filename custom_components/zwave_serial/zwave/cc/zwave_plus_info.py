"""Z-Wave Plus Info CC (0x5E), v2.

Values: ``zwave_plus_version``, ``role_type``, ``node_type``, ``installer_icon``, ``user_icon``.
Role types: 0 central static controller … 6 sleeping reporting, 7 sleeping listening end node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require

CC = CommandClass.ZWAVEPLUS_INFO

ROLE_TYPES = {
    0: "central_static_controller",
    1: "sub_static_controller",
    2: "portable_controller",
    3: "portable_reporting_controller",
    4: "portable_end_node",
    5: "always_on_end_node",
    6: "sleeping_reporting_end_node",
    7: "sleeping_listening_end_node",
    8: "network_aware_end_node",
}
#: Node type -> name.
NODE_TYPES = {0: "zwave_plus_node", 2: "zwave_plus_for_ip_gateway"}


@register
@dataclass(frozen=True, slots=True)
class ZWavePlusInfoReport(CCCommand):
    """Report 02 ``[version][role type][node type][installer icon u16][user icon u16]``."""

    cc_id = CC
    command_id = 0x02
    zwave_plus_version: int
    role_type: int
    node_type: int
    installer_icon: int
    user_icon: int

    def encode_payload(self) -> bytes:
        return (bytes((self.zwave_plus_version, self.role_type, self.node_type))
                + self.installer_icon.to_bytes(2, "big") + self.user_icon.to_bytes(2, "big"))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 7, "Z-Wave Plus Info Report")
        return cls(payload[0], payload[1], payload[2],
                   int.from_bytes(payload[3:5], "big"), int.from_bytes(payload[5:7], "big"))

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(name, getattr(self, name)) for name in
                ("zwave_plus_version", "role_type", "node_type", "installer_icon", "user_icon")]


@register
@dataclass(frozen=True, slots=True)
class ZWavePlusInfoGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = ZWavePlusInfoReport


async def _interview(ctx: CCContext) -> None:
    await ctx.get(ZWavePlusInfoGet())


INFO = register_cc(CCInfo(CC, "Z-Wave Plus Info", 2, interview=_interview, interview_order=3))
