"""Supervision CC (0x6C), v2: confirmed delivery and execution of an encapsulated command.

Get 01 ``[b7 status updates | session 0..63][len][command]``; Report 02
``[b7 more updates, b6 wake-up request | session][status][duration]``.  The inner command is
kept as bytes; :mod:`..encap` decodes it.  No values: the node turns reports into
``SupervisionStatusEvent``s and answers incoming Gets (``encap.supervision_report_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Self

from ..errors import CCDecodeError, CCEncodeError
from .base import CCCommand, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import decode_duration, encode_report_duration, require

CC = CommandClass.SUPERVISION
MAX_SESSION = 63


class SupervisionStatus(IntEnum):
    """Status of a supervised command."""

    NO_SUPPORT = 0x00
    WORKING = 0x01
    FAIL = 0x02
    SUCCESS = 0xFF


def _check_session(session_id: int) -> None:
    if not 0 <= session_id <= MAX_SESSION:
        raise CCEncodeError(f"supervision session id {session_id} is not 0..63")


def inner_summary(data: bytes) -> str:
    """Log-safe summary of encapsulated bytes: CC and command id, never the payload."""
    if len(data) >= 2:
        return f"<{data[0]:02X} {data[1]:02X}, {len(data)} bytes>"
    return f"<{data.hex()}>"


@register
@dataclass(frozen=True, slots=True)
class SupervisionReport(CCCommand):
    cc_id = CC
    command_id = 0x02
    session_id: int
    status: SupervisionStatus | int
    duration: float | None = 0.0
    more_updates: bool = False
    wake_up_request: bool = False

    def encode_payload(self) -> bytes:
        _check_session(self.session_id)
        head = (0x80 if self.more_updates else 0) | (0x40 if self.wake_up_request else 0) | self.session_id
        return bytes((head, int(self.status), encode_report_duration(self.duration)))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Supervision Report")
        status: SupervisionStatus | int
        try:
            status = SupervisionStatus(payload[1])
        except ValueError:
            status = payload[1]
        duration = decode_duration(payload[2]) if len(payload) >= 3 else None
        return cls(payload[0] & 0x3F, status, duration, bool(payload[0] & 0x80), bool(payload[0] & 0x40))

    @property
    def status_name(self) -> str:
        """``SUCCESS``, ``WORKING``, ``FAIL``, ``NO_SUPPORT`` (or ``0xNN``)."""
        if isinstance(self.status, SupervisionStatus):
            return self.status.name
        return f"0x{self.status:02X}"

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, SupervisionGet) and get.session_id == self.session_id


@register
@dataclass(frozen=True, slots=True)
class SupervisionGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = SupervisionReport
    session_id: int
    command: bytes
    status_updates: bool = False

    def encode_payload(self) -> bytes:
        _check_session(self.session_id)
        if not 2 <= len(self.command) <= 0xFF:
            raise CCEncodeError("Supervision Get: encapsulated command must be 2..255 bytes")
        head = (0x80 if self.status_updates else 0) | self.session_id
        return bytes((head, len(self.command))) + self.command

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Supervision Get")
        length = payload[1]
        if length < 2 or len(payload) < 2 + length:
            raise CCDecodeError(
                f"Supervision Get: length byte {length} does not match {len(payload) - 2} encapsulated bytes"
            )
        return cls(payload[0] & 0x3F, bytes(payload[2 : 2 + length]), bool(payload[0] & 0x80))

    def __repr__(self) -> str:
        # The inner command may be secret (a User Code Set): show its ids only.
        return (
            f"SupervisionGet(session_id={self.session_id}, status_updates={self.status_updates}, "
            f"command={inner_summary(self.command)})"
        )


INFO = register_cc(CCInfo(CC, "Supervision", 2, interview_order=5))
