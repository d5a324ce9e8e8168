"""Multi Command CC (0x8F): several commands in one frame, ``Encap 01 [count]{[len][command]}``.

The commands stay bytes here; :func:`..encap.unwrap` decodes each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import CCDecodeError, CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import require
from .supervision import inner_summary

CC = CommandClass.MULTI_CMD


@register
@dataclass(frozen=True, slots=True)
class MultiCommandEncap(CCCommand):
    cc_id = CC
    command_id = 0x01
    commands: tuple[bytes, ...]

    def encode_payload(self) -> bytes:
        if len(self.commands) > 0xFF:
            raise CCEncodeError("Multi Command: at most 255 commands")
        out = bytearray((len(self.commands),))
        for cmd in self.commands:
            if not 1 <= len(cmd) <= 0xFF:
                raise CCEncodeError("Multi Command: each command must be 1..255 bytes")
            out += bytes((len(cmd),)) + cmd
        return bytes(out)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multi Command Encap")
        count, offset, cmds = payload[0], 1, []
        for i in range(count):
            require(payload, offset + 1, f"Multi Command Encap command {i} length")
            length = payload[offset]
            if length == 0 or len(payload) < offset + 1 + length:
                raise CCDecodeError(f"Multi Command Encap: command {i} of {length} bytes is truncated")
            cmds.append(bytes(payload[offset + 1 : offset + 1 + length]))
            offset += 1 + length
        return cls(tuple(cmds))

    def __repr__(self) -> str:
        return f"MultiCommandEncap(commands=[{', '.join(inner_summary(c) for c in self.commands)}])"


INFO = register_cc(CCInfo(CC, "Multi Command", 1, interview_order=5))
