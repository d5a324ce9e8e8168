"""User Credential CC (0x83): Credential Set / Get / Report.  **Credential data is secret.**

The commands carrying credential data are ``secret`` (describe and frame logs show
``<redacted>``), their ``data`` field is left out of ``repr``, ``credential`` values carry meta
``{"secret": True}``, and no error message echoes the data.  Layouts: Z-Wave JS
``packages/cc/src/cc/UserCredentialCC.ts`` (see :mod:`.user_credential`).

Values (key = :func:`credential_key` ``(type << 16) | slot``): ``credential`` (str: a PIN as
its digits, other types as hex; "" when the slot is empty; None when the lock only reports a
hash) and ``credential_user`` (the owning user id, 0 when empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Self

from ..errors import CCEncodeError
from ..values import ValueUpdate
from .base import CCCommand, register
from .primitives import require
from .user_credential import (
    CC,
    SECRET_META,
    CredentialType,
    ModifierType,
    OperationType,
    UserCredentialValue,
    u8,
    u16,
)


class CredentialReportType(IntEnum):
    ADDED = 0x00
    MODIFIED = 0x01
    DELETED = 0x02
    UNCHANGED = 0x03
    RESPONSE_TO_GET = 0x04
    ADD_REJECTED_LOCATION_OCCUPIED = 0x05
    MODIFY_REJECTED_LOCATION_EMPTY = 0x06
    DUPLICATE = 0x07
    MANUFACTURER_SECURITY_RULES = 0x08
    WRONG_USER = 0x09
    DUPLICATE_ADMIN_CODE = 0x0A


#: Reports that describe the slot's content as it now is.
STATE_REPORTS = frozenset(
    {
        CredentialReportType.ADDED,
        CredentialReportType.MODIFIED,
        CredentialReportType.UNCHANGED,
        CredentialReportType.RESPONSE_TO_GET,
    }
)
DUPLICATE_REPORTS = frozenset({CredentialReportType.DUPLICATE, CredentialReportType.DUPLICATE_ADMIN_CODE})


def credential_key(credential_type: int, slot: int) -> int:
    """Value property key of one credential."""
    return (credential_type << 16) | slot


def credential_text(credential_type: int, data: bytes) -> str:
    """Credential bytes as text: a PIN code (or password) as its ASCII digits, else hex."""
    if credential_type in (CredentialType.PIN_CODE, CredentialType.PASSWORD):
        raw = data.rstrip(b"\x00")
        if raw.isascii() and raw.decode("ascii").isprintable():
            return raw.decode("ascii")
    return data.hex()


def _redacted(self: CCCommand, fields: str) -> str:
    return f"{type(self).__name__}({fields}, data=<redacted>)"


@register
@dataclass(frozen=True, slots=True)
class CredentialSet(CCCommand):
    """Set 0A ``[user id u16][credential type][slot u16][operation (b1..0)][len][data]`` (the
    length and data left out for Delete).  Zero user / type / slot with Delete widen it (all
    credentials of a user, of a type, or all)."""

    cc_id = CC
    command_id = 0x0A
    secret = True
    user_id: int
    credential_type: int
    slot: int
    operation: int
    data: bytes = field(default=b"", repr=False)

    def encode_payload(self) -> bytes:
        head = (
            u16(self.user_id, "user id")
            + bytes((u8(self.credential_type, "credential type"),))
            + u16(self.slot, "slot")
            + bytes((u8(self.operation, "operation") & 0x03,))
        )
        if self.operation == OperationType.DELETE:
            return head
        if not self.user_id or not self.credential_type or not self.slot:
            raise CCEncodeError("adding or changing a credential needs a user id, a type and a slot")
        if len(self.data) > 0xFF:
            raise CCEncodeError("credential data too long")
        return head + bytes((len(self.data),)) + bytes(self.data)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 6, "Credential Set")
        user_id, ctype = int.from_bytes(payload[0:2], "big"), payload[2]
        slot, operation = int.from_bytes(payload[3:5], "big"), payload[5] & 0x03
        data = b""
        if operation != OperationType.DELETE and len(payload) >= 7:
            require(payload, 7 + payload[6], "Credential Set data")
            data = bytes(payload[7 : 7 + payload[6]])
        return cls(user_id, ctype, slot, operation, data)

    def __repr__(self) -> str:
        return _redacted(
            self,
            f"user_id={self.user_id}, credential_type={self.credential_type}, "
            f"slot={self.slot}, operation={self.operation}",
        )


@register
@dataclass(frozen=True, slots=True)
class CredentialReport(CCCommand):
    """Report 0C ``[report type][user id u16][credential type][slot u16][b7 read back][len]
    [data][modifier type][modifier node u16][next credential type][next slot u16]``.

    A Get's answer (report type "response to get") names the next credential (type 0, slot 0:
    none), so all credentials are read in one chain.  A duplicate report names the *existing*
    credential (user and slot) that already holds the data."""

    cc_id = CC
    command_id = 0x0C
    secret = True
    report_type: int
    user_id: int
    credential_type: int
    slot: int
    data: bytes = field(default=b"", repr=False)
    read_back: bool = True
    modifier_type: int = ModifierType.ZWAVE
    modifier_node_id: int = 0
    next_type: int = 0
    next_slot: int = 0

    @property
    def empty(self) -> bool:
        """True when the slot holds no credential."""
        return self.modifier_type == ModifierType.DOES_NOT_EXIST or (self.read_back and not self.data)

    def encode_payload(self) -> bytes:
        if len(self.data) > 0xFF:
            raise CCEncodeError("credential data too long")
        return (
            bytes((u8(self.report_type, "report type"),))
            + u16(self.user_id, "user id")
            + bytes((u8(self.credential_type, "credential type"),))
            + u16(self.slot, "slot")
            + bytes((0x80 if self.read_back else 0, len(self.data)))
            + bytes(self.data)
            + bytes((u8(self.modifier_type, "modifier type"),))
            + u16(self.modifier_node_id, "modifier node")
            + bytes((u8(self.next_type, "next credential type"),))
            + u16(self.next_slot, "next slot")
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 8, "Credential Report")
        n = payload[7]
        require(payload, 8 + n + 3, "Credential Report data")
        off = 8 + n
        # the next-credential fields only matter for a Get's answer; tolerate their absence
        tail = payload[off + 3 : off + 6]
        return cls(
            payload[0],
            int.from_bytes(payload[1:3], "big"),
            payload[3],
            int.from_bytes(payload[4:6], "big"),
            bytes(payload[8:off]),
            bool(payload[6] & 0x80),
            payload[off],
            int.from_bytes(payload[off + 1 : off + 3], "big"),
            tail[0] if len(tail) >= 1 else 0,
            int.from_bytes(tail[1:3], "big") if len(tail) >= 3 else 0,
        )

    def value_updates(self) -> list[ValueUpdate]:
        if not self.credential_type or not self.slot:
            return []
        key = credential_key(self.credential_type, self.slot)
        if self.report_type == CredentialReportType.DELETED or (
            self.report_type in STATE_REPORTS and self.empty
        ):
            return [
                ValueUpdate(UserCredentialValue.CREDENTIAL, "", key, meta=dict(SECRET_META)),
                ValueUpdate(UserCredentialValue.CREDENTIAL_USER, 0, key),
            ]
        if self.report_type not in STATE_REPORTS:
            return []  # rejected / duplicate: the slot did not change
        text = credential_text(self.credential_type, self.data) if self.read_back else None
        return [
            ValueUpdate(UserCredentialValue.CREDENTIAL, text, key, meta=dict(SECRET_META)),
            ValueUpdate(UserCredentialValue.CREDENTIAL_USER, self.user_id, key),
        ]

    def answers(self, get: CCCommand) -> bool:
        if isinstance(get, CredentialGet):
            return self.report_type == CredentialReportType.RESPONSE_TO_GET
        if not isinstance(get, CredentialSet) or self.report_type == CredentialReportType.RESPONSE_TO_GET:
            return False
        if self.credential_type != get.credential_type and get.credential_type != 0:
            return False
        # a duplicate names the credential that already holds the data, not the requested slot
        return self.report_type in DUPLICATE_REPORTS or self.slot == get.slot

    def __repr__(self) -> str:
        return _redacted(
            self,
            f"report_type={self.report_type}, user_id={self.user_id}, "
            f"credential_type={self.credential_type}, slot={self.slot}, "
            f"next_type={self.next_type}, next_slot={self.next_slot}",
        )


@register
@dataclass(frozen=True, slots=True)
class CredentialGet(CCCommand):
    """Get 0B ``[user id u16][credential type][slot u16]``; zeros ask for the first credential
    (of the user / of the type / of all)."""

    cc_id = CC
    command_id = 0x0B
    expects = CredentialReport
    user_id: int
    credential_type: int
    slot: int

    def encode_payload(self) -> bytes:
        return (
            u16(self.user_id, "user id")
            + bytes((u8(self.credential_type, "credential type"),))
            + u16(self.slot, "slot")
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 5, "Credential Get")
        return cls(int.from_bytes(payload[0:2], "big"), payload[2], int.from_bytes(payload[3:5], "big"))


# --- credential association ---------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class UserCredentialAssociationSet(CCCommand):
    """Set 12 ``[credential type][slot u16][destination user id u16]``: move a credential to
    another user."""

    cc_id = CC
    command_id = 0x12
    credential_type: int
    slot: int
    user_id: int

    def encode_payload(self) -> bytes:
        return (
            bytes((u8(self.credential_type, "credential type"),))
            + u16(self.slot, "slot")
            + u16(self.user_id, "user id")
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 5, "User Credential Association Set")
        return cls(payload[0], int.from_bytes(payload[1:3], "big"), int.from_bytes(payload[3:5], "big"))


@register
@dataclass(frozen=True, slots=True)
class UserCredentialAssociationReport(CCCommand):
    """Report 13 ``[credential type][slot u16][destination user id u16][status]`` (0: success)."""

    cc_id = CC
    command_id = 0x13
    credential_type: int
    slot: int
    user_id: int
    status: int = 0

    def encode_payload(self) -> bytes:
        return (
            bytes((u8(self.credential_type, "credential type"),))
            + u16(self.slot, "slot")
            + u16(self.user_id, "user id")
            + bytes((u8(self.status, "status"),))
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 6, "User Credential Association Report")
        return cls(
            payload[0], int.from_bytes(payload[1:3], "big"), int.from_bytes(payload[3:5], "big"), payload[5]
        )

    def answers(self, get: CCCommand) -> bool:
        return (
            isinstance(get, UserCredentialAssociationSet)
            and get.credential_type == self.credential_type
            and get.slot == self.slot
        )
