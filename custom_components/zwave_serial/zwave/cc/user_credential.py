"""User Credential CC (0x83), v1: constants, capabilities and the interview.

Users and checksums are in :mod:`.user_credential_users`; credentials (Credential Set/Get/Report,
PIN codes: **secrets**) and User Credential Association in :mod:`.user_credential_data`.  Newer
locks use this CC instead of User Code: a lock has *users* (type, active state, credential rule,
name) and each user owns *credentials* (PIN code = type 1, RFID, ...), each in a slot of its
type.  Lock-code slots over this CC are in ``zwave/locks_credential.py``.

Byte layouts and constants: Z-Wave JS ``packages/cc/src/cc/UserCredentialCC.ts`` and
``packages/cc/src/lib/_Types.ts`` (zwave-js/zwave-js @99b4038, 2026-08), which cite the Z-Wave
specification's requirement numbers (CC:0083.01.xx); checksums are CRC-16-CCITT (init 0x1D0F)
over the data listed in the spec (CC:0083.01.15/17/19.11.002).  Credential Learn, Admin PIN Code
and the v2 Key Locker are not implemented.

Values (static, from the interview): ``supported_users``, ``supported_credential_rules``,
``max_user_name_length``, ``supported_user_name_encodings``, ``supported_user_types``,
``supports_all_users_checksum``, ``supports_user_checksum``, ``supports_credential_checksum``,
``supports_admin_code``, ``supported_credential_types`` and ``credential_capabilities`` (key =
credential type: slots, min/max length...).  Per user (key = user id): ``user_type``,
``user_active``, ``credential_rule``, ``expiring_timeout_minutes``, ``user_name``.  Checksums
(``all_users_checksum``, ``user_checksum`` key user, ``credential_checksum`` key type) are kept
secret too: a 16-bit CRC over one short PIN gives the PIN away by brute force.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Self

from ..errors import CCEncodeError, NodeError
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask

CC = CommandClass.USER_CREDENTIAL
SECRET_META = {"secret": True}


class CredentialType(IntEnum):
    NONE = 0x00
    PIN_CODE = 0x01
    PASSWORD = 0x02
    RFID_CODE = 0x03
    BLE = 0x04
    NFC = 0x05
    UWB = 0x06
    EYE_BIOMETRIC = 0x07
    FACE_BIOMETRIC = 0x08
    FINGER_BIOMETRIC = 0x09
    HAND_BIOMETRIC = 0x0A
    UNSPECIFIED_BIOMETRIC = 0x0B
    DESFIRE = 0x0C


class UserType(IntEnum):
    GENERAL = 0x00
    PROGRAMMING = 0x03
    NON_ACCESS = 0x04
    DURESS = 0x05
    DISPOSABLE = 0x06
    EXPIRING = 0x07
    REMOTE_ONLY = 0x09


class CredentialRule(IntEnum):
    SINGLE = 0x01
    DUAL = 0x02
    TRIPLE = 0x03


class OperationType(IntEnum):
    ADD = 0x00
    MODIFY = 0x01
    DELETE = 0x02


class UserReportType(IntEnum):
    ADDED = 0x00
    MODIFIED = 0x01
    DELETED = 0x02
    UNCHANGED = 0x03
    RESPONSE_TO_GET = 0x04
    ADD_REJECTED_LOCATION_OCCUPIED = 0x05
    MODIFY_REJECTED_LOCATION_EMPTY = 0x06
    ZERO_EXPIRING_MINUTES_INVALID = 0x07


class ModifierType(IntEnum):
    DOES_NOT_EXIST = 0x00
    UNKNOWN = 0x01
    ZWAVE = 0x02
    LOCALLY = 0x03
    OTHER = 0x04


class NameEncoding(IntEnum):
    ASCII = 0x00
    EXTENDED_ASCII = 0x01
    UTF16BE = 0x02


class UserCredentialValue(StrEnum):
    SUPPORTED_USERS = "supported_users"
    SUPPORTED_CREDENTIAL_RULES = "supported_credential_rules"
    MAX_USER_NAME_LENGTH = "max_user_name_length"
    SUPPORTED_USER_NAME_ENCODINGS = "supported_user_name_encodings"
    SUPPORTED_USER_TYPES = "supported_user_types"
    SUPPORTS_USER_SCHEDULE = "supports_user_schedule"
    SUPPORTS_ALL_USERS_CHECKSUM = "supports_all_users_checksum"
    SUPPORTS_USER_CHECKSUM = "supports_user_checksum"
    SUPPORTS_CREDENTIAL_CHECKSUM = "supports_credential_checksum"
    SUPPORTS_ADMIN_CODE = "supports_admin_code"
    SUPPORTED_CREDENTIAL_TYPES = "supported_credential_types"
    CREDENTIAL_CAPABILITIES = "credential_capabilities"
    USER_TYPE = "user_type"
    USER_ACTIVE = "user_active"
    CREDENTIAL_RULE = "credential_rule"
    EXPIRING_TIMEOUT = "expiring_timeout_minutes"
    USER_NAME = "user_name"
    CREDENTIAL = "credential"
    CREDENTIAL_USER = "credential_user"
    ALL_USERS_CHECKSUM = "all_users_checksum"
    USER_CHECKSUM = "user_checksum"
    CREDENTIAL_CHECKSUM = "credential_checksum"


def u16(value: int, what: str) -> bytes:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFF:
        raise CCEncodeError(f"{what} must be 0..65535")
    return value.to_bytes(2, "big")


def u8(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFF:
        raise CCEncodeError(f"{what} must be 0..255")
    return value


def encode_name(name: str, encoding: int) -> bytes:
    """A user name in its encoding (ASCII, extended ASCII = Latin-1, UTF-16BE)."""
    try:
        if encoding == NameEncoding.UTF16BE:
            raw = name.encode("utf-16-be")
        else:
            raw = name.encode("ascii" if encoding == NameEncoding.ASCII else "latin-1")
    except UnicodeEncodeError:
        raise CCEncodeError("the user name has characters its encoding cannot carry") from None
    if len(raw) > 0xFF:
        raise CCEncodeError("the user name is too long")
    return raw


def decode_name(raw: bytes, encoding: int) -> str:
    if encoding == NameEncoding.UTF16BE:
        return raw[: len(raw) & ~1].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


# --- capabilities ---------------------------------------------------------------------


@register
@dataclass(frozen=True, slots=True)
class UserCapabilitiesReport(CCCommand):
    """Report 02 ``[users u16][rules mask][max name len][b7 schedule, b6 all-users checksum,
    b5 user checksum, b4..2 name encodings mask][n][user types mask (n bytes)]``; an empty
    encodings mask means all three."""

    cc_id = CC
    command_id = 0x02
    users: int
    credential_rules: tuple[int, ...] = (CredentialRule.SINGLE,)
    max_name_length: int = 0
    user_schedule: bool = False
    all_users_checksum: bool = False
    user_checksum: bool = False
    name_encodings: tuple[int, ...] = (NameEncoding.ASCII,)
    user_types: tuple[int, ...] = (UserType.GENERAL,)

    def encode_payload(self) -> bytes:
        rules = set_to_bitmask(set(self.credential_rules), length=1)
        encodings = set_to_bitmask(set(self.name_encodings), length=1)[0] & 0x07
        flags = (
            (0x80 if self.user_schedule else 0)
            | (0x40 if self.all_users_checksum else 0)
            | (0x20 if self.user_checksum else 0)
            | encodings << 2
        )
        types = set_to_bitmask(set(self.user_types))
        return (
            u16(self.users, "users")
            + rules
            + bytes((u8(self.max_name_length, "name length"), flags, len(types)))
            + types
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 6, "User Capabilities Report")
        n = payload[5]
        require(payload, 6 + n, "User Capabilities Report user types")
        flags = payload[4]
        encodings = bitmask_to_set(bytes(((flags >> 2) & 0x07,))) or set(NameEncoding)
        return cls(
            int.from_bytes(payload[0:2], "big"),
            tuple(sorted(r for r in bitmask_to_set(payload[2:3]) if r in CredentialRule._value2member_map_)),
            payload[3],
            bool(flags & 0x80),
            bool(flags & 0x40),
            bool(flags & 0x20),
            tuple(sorted(int(e) for e in encodings)),
            tuple(sorted(bitmask_to_set(payload[6 : 6 + n]))),
        )


@register
@dataclass(frozen=True, slots=True)
class UserCapabilitiesGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = UserCapabilitiesReport


@dataclass(frozen=True, slots=True)
class CredentialTypeCapability:
    """What a lock supports for one credential type (a block of the report)."""

    credential_type: int
    slots: int
    min_length: int
    max_length: int
    learn: bool = False
    learn_timeout: int = 0
    learn_steps: int = 0
    max_hash_length: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "slots": self.slots,
            "min_length": self.min_length,
            "max_length": self.max_length,
            "learn": self.learn,
            "max_hash_length": self.max_hash_length,
        }


@register
@dataclass(frozen=True, slots=True)
class CredentialCapabilitiesReport(CCCommand):
    """Report 04 ``[b7 checksum, b6 admin code, b5 admin code deactivation][n]`` then n-byte
    groups: types, learn flags (b7), slots (u16 each), min lengths, max lengths, learn timeouts,
    learn steps, max hash lengths."""

    cc_id = CC
    command_id = 0x04
    checksum: bool
    admin_code: bool
    admin_code_deactivation: bool
    types: tuple[CredentialTypeCapability, ...] = ()

    def encode_payload(self) -> bytes:
        t = self.types
        if len(t) > 0xFF:
            raise CCEncodeError("too many credential types")
        flags = (
            (0x80 if self.checksum else 0)
            | (0x40 if self.admin_code else 0)
            | (0x20 if self.admin_code_deactivation else 0)
        )
        out = bytearray((flags, len(t)))
        out += bytes(u8(c.credential_type, "credential type") for c in t)
        out += bytes(0x80 if c.learn else 0 for c in t)
        for c in t:
            out += u16(c.slots, "number of slots")
        for attr in ("min_length", "max_length", "learn_timeout", "learn_steps", "max_hash_length"):
            out += bytes(u8(getattr(c, attr), attr) for c in t)
        return bytes(out)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Credential Capabilities Report")
        n = payload[1]
        require(payload, 2 + 9 * n, "Credential Capabilities Report types")

        def group(index: int, i: int) -> int:  # one-byte groups after the slots group
            return payload[2 + 4 * n + index * n + i]

        types = tuple(
            CredentialTypeCapability(
                payload[2 + i],
                int.from_bytes(payload[2 + 2 * n + 2 * i : 4 + 2 * n + 2 * i], "big"),
                group(0, i),
                group(1, i),
                bool(payload[2 + n + i] & 0x80),
                group(2, i),
                group(3, i),
                group(4, i),
            )
            for i in range(n)
        )
        flags = payload[0]
        return cls(bool(flags & 0x80), bool(flags & 0x40), bool(flags & 0x20), types)


@register
@dataclass(frozen=True, slots=True)
class CredentialCapabilitiesGet(CCCommand):
    cc_id = CC
    command_id = 0x03
    expects = CredentialCapabilitiesReport


# --- interview -----------------------------------------------------------------------


async def _interview(ctx: CCContext) -> None:
    """Capabilities only (users, credential types and their slots/lengths, checksums); the
    credentials are read on demand by ``zwave/locks_credential.py``.  A lock reporting 0 users
    works in User Code mode (CL:0083.01.21.00.4): nothing more to ask."""
    users = await ctx.get(UserCapabilitiesGet())
    assert isinstance(users, UserCapabilitiesReport)
    V = UserCredentialValue
    ctx.set_static(V.SUPPORTED_USERS, users.users)
    ctx.set_static(V.SUPPORTED_CREDENTIAL_RULES, list(users.credential_rules))
    ctx.set_static(V.MAX_USER_NAME_LENGTH, users.max_name_length)
    ctx.set_static(V.SUPPORTED_USER_NAME_ENCODINGS, list(users.name_encodings))
    ctx.set_static(V.SUPPORTED_USER_TYPES, list(users.user_types))
    ctx.set_static(V.SUPPORTS_USER_SCHEDULE, users.user_schedule)
    ctx.set_static(V.SUPPORTS_ALL_USERS_CHECKSUM, users.all_users_checksum)
    ctx.set_static(V.SUPPORTS_USER_CHECKSUM, users.user_checksum)
    if users.users == 0:
        return
    try:
        creds = await ctx.get(CredentialCapabilitiesGet())
    except NodeError:
        return
    assert isinstance(creds, CredentialCapabilitiesReport)
    ctx.set_static(V.SUPPORTS_CREDENTIAL_CHECKSUM, creds.checksum)
    ctx.set_static(V.SUPPORTS_ADMIN_CODE, creds.admin_code)
    ctx.set_static(V.SUPPORTED_CREDENTIAL_TYPES, [c.credential_type for c in creds.types])
    for cap in creds.types:
        ctx.set_static(V.CREDENTIAL_CAPABILITIES, cap.as_dict(), cap.credential_type)


INFO = register_cc(CCInfo(CC, "User Credential", 1, interview=_interview, interview_order=70))
