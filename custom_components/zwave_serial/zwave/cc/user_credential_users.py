"""User Credential CC (0x83): users (User Set / Get / Report) and checksums.

Layouts: Z-Wave JS ``packages/cc/src/cc/UserCredentialCC.ts`` (see :mod:`.user_credential`).
The checksum reports are secret like the credentials they cover (never shown in logs or
describe output, values redacted in diagnostics): a 16-bit CRC over one short PIN gives the PIN
away by brute force.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import CCEncodeError
from ..values import ValueUpdate
from .base import CCCommand, register
from .primitives import require
from .user_credential import (
    CC,
    SECRET_META,
    CredentialRule,
    ModifierType,
    NameEncoding,
    OperationType,
    UserCredentialValue,
    UserReportType,
    UserType,
    decode_name,
    encode_name,
    u8,
    u16,
)

# --- users ---------------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class UserSet(CCCommand):
    """Set 05 ``[operation (b1..0)][user id u16]`` then, unless Delete, ``[user type][b0 active]
    [credential rule][expiring timeout min u16][name encoding (b2..0)][name len][name]``.  User
    id 0 with Delete deletes every user."""

    cc_id = CC
    command_id = 0x05
    operation: int
    user_id: int
    user_type: int = UserType.GENERAL
    active: bool = True
    credential_rule: int = CredentialRule.SINGLE
    expiring_timeout: int = 0
    name_encoding: int = NameEncoding.ASCII
    name: str = ""

    def encode_payload(self) -> bytes:
        head = bytes((u8(self.operation, "operation") & 0x03,)) + u16(self.user_id, "user id")
        if self.operation == OperationType.DELETE:
            return head
        if self.user_id == 0:
            raise CCEncodeError("user id must be 1..65535")
        name = encode_name(self.name, self.name_encoding)
        timeout = self.expiring_timeout if self.user_type == UserType.EXPIRING else 0
        return (
            head
            + bytes(
                (
                    u8(self.user_type, "user type"),
                    1 if self.active else 0,
                    u8(self.credential_rule, "credential rule"),
                )
            )
            + u16(timeout, "expiring timeout")
            + bytes((self.name_encoding & 0x07, len(name)))
            + name
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "User Set")
        operation, user_id = payload[0] & 0x03, int.from_bytes(payload[1:3], "big")
        if operation == OperationType.DELETE or len(payload) < 10:
            return cls(operation, user_id)
        n = payload[9]
        require(payload, 10 + n, "User Set name")
        encoding = payload[8] & 0x07
        return cls(
            operation,
            user_id,
            payload[3],
            bool(payload[4] & 1),
            payload[5],
            int.from_bytes(payload[6:8], "big"),
            encoding,
            decode_name(bytes(payload[10 : 10 + n]), encoding),
        )


@register
@dataclass(frozen=True, slots=True)
class UserReport(CCCommand):
    """Report 07 ``[report type][next user id u16][modifier type][modifier node u16][user id u16]
    [user type][b0 active][credential rule][expiring timeout u16][name encoding][name len][name]``.
    Modifier type "does not exist" means the user id is free."""

    cc_id = CC
    command_id = 0x07
    report_type: int
    user_id: int
    next_user_id: int = 0
    modifier_type: int = ModifierType.ZWAVE
    modifier_node_id: int = 0
    user_type: int = UserType.GENERAL
    active: bool = True
    credential_rule: int = CredentialRule.SINGLE
    expiring_timeout: int = 0
    name_encoding: int = NameEncoding.ASCII
    name: str = ""

    @property
    def exists(self) -> bool:
        return self.user_id != 0 and self.modifier_type != ModifierType.DOES_NOT_EXIST

    def encode_payload(self) -> bytes:
        name = encode_name(self.name, self.name_encoding)
        return (
            bytes((u8(self.report_type, "report type"),))
            + u16(self.next_user_id, "next user id")
            + bytes((u8(self.modifier_type, "modifier type"),))
            + u16(self.modifier_node_id, "modifier node")
            + u16(self.user_id, "user id")
            + bytes(
                (
                    u8(self.user_type, "user type"),
                    1 if self.active else 0,
                    u8(self.credential_rule, "credential rule"),
                )
            )
            + u16(self.expiring_timeout, "expiring timeout")
            + bytes((self.name_encoding & 0x07, len(name)))
            + name
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 15, "User Report")
        n = payload[14]
        require(payload, 15 + n, "User Report name")
        encoding = payload[13] & 0x07

        def word(at: int) -> int:
            return int.from_bytes(payload[at : at + 2], "big")

        return cls(
            payload[0],
            word(6),
            word(1),
            payload[3],
            word(4),
            payload[8],
            bool(payload[9] & 1),
            payload[10],
            word(11),
            encoding,
            decode_name(bytes(payload[15 : 15 + n]), encoding),
        )

    def value_updates(self) -> list[ValueUpdate]:
        if self.user_id == 0 or self.report_type not in _USER_STATE_REPORTS:
            return []
        uid = self.user_id
        gone = self.report_type == UserReportType.DELETED or not self.exists
        return [
            ValueUpdate(UserCredentialValue.USER_TYPE, None if gone else self.user_type, uid),
            ValueUpdate(UserCredentialValue.USER_ACTIVE, None if gone else self.active, uid),
            ValueUpdate(UserCredentialValue.CREDENTIAL_RULE, None if gone else self.credential_rule, uid),
            ValueUpdate(UserCredentialValue.EXPIRING_TIMEOUT, None if gone else self.expiring_timeout, uid),
            ValueUpdate(UserCredentialValue.USER_NAME, None if gone else self.name, uid),
        ]

    def answers(self, get: CCCommand) -> bool:
        if isinstance(get, UserGet):
            return self.report_type == UserReportType.RESPONSE_TO_GET and (get.user_id in (0, self.user_id))
        # a User Set is answered by a report of its outcome for the same user id
        return (
            isinstance(get, UserSet)
            and self.report_type != UserReportType.RESPONSE_TO_GET
            and self.user_id == get.user_id
        )


_USER_STATE_REPORTS = frozenset(
    {
        UserReportType.ADDED,
        UserReportType.MODIFIED,
        UserReportType.DELETED,
        UserReportType.UNCHANGED,
        UserReportType.RESPONSE_TO_GET,
    }
)


@register
@dataclass(frozen=True, slots=True)
class UserGet(CCCommand):
    """Get 06 ``[user id u16]`` (0: the first user)."""

    cc_id = CC
    command_id = 0x06
    expects = UserReport
    user_id: int

    def encode_payload(self) -> bytes:
        return u16(self.user_id, "user id")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "User Get")
        return cls(int.from_bytes(payload[0:2], "big"))


# --- checksums -----------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class AllUsersChecksumReport(CCCommand):
    """Report 15 ``[checksum u16]`` over every user and credential (0 when there are none)."""

    cc_id = CC
    command_id = 0x15
    secret = True  # see the module docstring
    checksum: int

    def encode_payload(self) -> bytes:
        return u16(self.checksum, "checksum")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "All Users Checksum Report")
        return cls(int.from_bytes(payload[0:2], "big"))

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(UserCredentialValue.ALL_USERS_CHECKSUM, self.checksum, meta=dict(SECRET_META))]


@register
@dataclass(frozen=True, slots=True)
class AllUsersChecksumGet(CCCommand):
    cc_id = CC
    command_id = 0x14
    expects = AllUsersChecksumReport


@register
@dataclass(frozen=True, slots=True)
class UserChecksumReport(CCCommand):
    """Report 17 ``[user id u16][checksum u16]``."""

    cc_id = CC
    command_id = 0x17
    secret = True  # see the module docstring
    user_id: int
    checksum: int

    def encode_payload(self) -> bytes:
        return u16(self.user_id, "user id") + u16(self.checksum, "checksum")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "User Checksum Report")
        return cls(int.from_bytes(payload[0:2], "big"), int.from_bytes(payload[2:4], "big"))

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(
                UserCredentialValue.USER_CHECKSUM, self.checksum, self.user_id, meta=dict(SECRET_META)
            )
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, UserChecksumGet) and get.user_id == self.user_id


@register
@dataclass(frozen=True, slots=True)
class UserChecksumGet(CCCommand):
    cc_id = CC
    command_id = 0x16
    expects = UserChecksumReport
    user_id: int

    def encode_payload(self) -> bytes:
        return u16(self.user_id, "user id")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "User Checksum Get")
        return cls(int.from_bytes(payload[0:2], "big"))


@register
@dataclass(frozen=True, slots=True)
class CredentialChecksumReport(CCCommand):
    """Report 19 ``[credential type][checksum u16]``."""

    cc_id = CC
    command_id = 0x19
    secret = True  # see the module docstring
    credential_type: int
    checksum: int

    def encode_payload(self) -> bytes:
        return bytes((u8(self.credential_type, "credential type"),)) + u16(self.checksum, "checksum")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Credential Checksum Report")
        return cls(payload[0], int.from_bytes(payload[1:3], "big"))

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(
                UserCredentialValue.CREDENTIAL_CHECKSUM,
                self.checksum,
                self.credential_type,
                meta=dict(SECRET_META),
            )
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, CredentialChecksumGet) and get.credential_type == self.credential_type


@register
@dataclass(frozen=True, slots=True)
class CredentialChecksumGet(CCCommand):
    cc_id = CC
    command_id = 0x18
    expects = CredentialChecksumReport
    credential_type: int

    def encode_payload(self) -> bytes:
        return bytes((u8(self.credential_type, "credential type"),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Credential Checksum Get")
        return cls(payload[0])
