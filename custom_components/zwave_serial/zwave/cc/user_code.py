"""User Code CC (0x63), v1-v2.  **Codes are secrets.**

Commands carrying a code are ``secret`` and their ``repr`` never shows it; ``user_code`` values
carry meta ``{"secret": True}``; error messages never echo a code.
Values: ``user_id_status`` and ``user_code`` (key = user id) from reports, ``users_number``,
``keypad_mode``.  Writable: ``user_code`` (key = user id; str of 4-10 digits, or None to clear).
The interview only reads the number of users: reading every code is done by ``zwave/locks.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask


class UserCodeValue(StrEnum):
    """Value names of User Code (per slot: property key = user id)."""

    USER_ID_STATUS = "user_id_status"
    USER_CODE = "user_code"
    USERS_NUMBER = "users_number"
    KEYPAD_MODE = "keypad_mode"
    ADMIN_CODE = "admin_code"
    USER_CODE_CHECKSUM = "user_code_checksum"


CC = CommandClass.USER_CODE
SECRET_META = {"secret": True}
CODE_ERROR = "user code must be 4 to 10 digits"


class UserIdStatus(IntEnum):
    AVAILABLE = 0x00
    ENABLED = 0x01
    DISABLED = 0x02
    MESSAGING = 0x03
    PASSAGE_MODE = 0x04
    NOT_AVAILABLE = 0xFE


class KeypadMode(IntEnum):
    NORMAL = 0
    VACATION = 1
    PRIVACY = 2
    LOCKED_OUT = 3


def validate_user_code(code: Any, allowed_keys: str | None = None) -> str:
    """Return ``code`` if it is 4-10 ASCII digits (or allowed keys); else CCEncodeError.

    The message never contains the code.
    """
    if not isinstance(code, str) or not 4 <= len(code) <= 10 or not code.isascii():
        raise CCEncodeError(CODE_ERROR)
    if allowed_keys:
        if any(ch not in allowed_keys for ch in code):
            raise CCEncodeError("user code contains keys the lock does not support")
    elif not code.isdigit():
        raise CCEncodeError(CODE_ERROR)
    return code


def _decode_code(raw: bytes) -> str:
    """Code bytes -> str: trailing NULs dropped; printable ASCII kept, else hex."""
    raw = raw.rstrip(b"\x00")
    text = raw.decode("latin-1")
    if text.isascii() and text.strip().isprintable():
        return text.strip()
    return raw.hex()


def _redacted(self: CCCommand, fields: str) -> str:
    return f"{type(self).__name__}({fields}, code=<redacted>)"


@register
@dataclass(frozen=True, slots=True)
class UserCodeSet(CCCommand):
    """Set 01 ``[user id][status][code]``; status 0 (clear) sends four 0x00 (as zwave-js);
    user id 0 with status 0 clears all codes.  Build with :meth:`build` to validate."""

    cc_id = CC
    command_id = 0x01
    secret = True
    user_id: int
    status: int
    code: str = ""

    @classmethod
    def build(cls, user_id: int, code: str | None, *, users_number: int | None = None,
              allowed_keys: str | None = None) -> UserCodeSet:
        """Validated Set: a code enables the slot, None clears it."""
        limit = users_number or 255
        if not isinstance(user_id, int) or not 1 <= user_id <= min(limit, 255):
            raise CCEncodeError(f"user id must be 1..{min(limit, 255)}")
        if code is None:
            return cls(user_id, UserIdStatus.AVAILABLE)
        return cls(user_id, UserIdStatus.ENABLED, validate_user_code(code, allowed_keys))

    def encode_payload(self) -> bytes:
        code = b"\x00\x00\x00\x00" if self.status == UserIdStatus.AVAILABLE else self.code.encode("latin-1")
        return bytes((self.user_id, self.status)) + code

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "User Code Set")
        code = "" if payload[1] == UserIdStatus.AVAILABLE else bytes(payload[2:]).decode("latin-1")
        return cls(payload[0], payload[1], code)

    def __repr__(self) -> str:
        return _redacted(self, f"user_id={self.user_id}, status={self.status}")


@register
@dataclass(frozen=True, slots=True)
class UserCodeReport(CCCommand):
    """Report 03 ``[user id][status][code]`` (2 bytes when available / not available)."""

    cc_id = CC
    command_id = 0x03
    secret = True
    user_id: int
    status: int
    code: str = ""

    def encode_payload(self) -> bytes:
        return bytes((self.user_id, self.status)) + self.code.encode("latin-1")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "User Code Report")
        return cls(payload[0], payload[1], _decode_code(bytes(payload[2:])))

    def value_updates(self) -> list[ValueUpdate]:
        code = "" if self.status in (UserIdStatus.AVAILABLE, UserIdStatus.NOT_AVAILABLE) else self.code
        return [
            ValueUpdate(UserCodeValue.USER_ID_STATUS, self.status, self.user_id),
            ValueUpdate(UserCodeValue.USER_CODE, code, self.user_id, meta=dict(SECRET_META)),
        ]

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, UserCodeGet) and get.user_id == self.user_id

    def __repr__(self) -> str:
        return _redacted(self, f"user_id={self.user_id}, status={self.status}")


@register
@dataclass(frozen=True, slots=True)
class UserCodeGet(CCCommand):
    cc_id = CC
    command_id = 0x02
    expects = UserCodeReport
    user_id: int

    def encode_payload(self) -> bytes:
        return bytes((self.user_id,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "User Code Get")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class UsersNumberReport(CCCommand):
    """Report 05 ``[count ≤ 255][count u16 (v2)]``."""

    cc_id = CC
    command_id = 0x05
    users_number: int

    def encode_payload(self) -> bytes:
        return bytes((min(self.users_number, 255),)) + self.users_number.to_bytes(2, "big")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Users Number Report")
        if len(payload) >= 3:
            return cls(int.from_bytes(payload[1:3], "big"))
        return cls(payload[0])

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(UserCodeValue.USERS_NUMBER, self.users_number)]


@register
@dataclass(frozen=True, slots=True)
class UsersNumberGet(CCCommand):
    cc_id = CC
    command_id = 0x04
    expects = UsersNumberReport


@register
@dataclass(frozen=True, slots=True)
class UserCodeCapabilitiesReport(CCCommand):
    """Report 07 ``[b7 admin, b6 admin deactivation | n][status mask][b7 checksum, b6 multi
    report, b5 multi set | n][keypad mode mask][n][ASCII key mask]``."""

    cc_id = CC
    command_id = 0x07
    admin_code: bool
    admin_code_deactivation: bool
    statuses: tuple[int, ...]
    checksum: bool
    multiple_report: bool
    multiple_set: bool
    keypad_modes: tuple[int, ...]
    keys: str

    def encode_payload(self) -> bytes:
        status_mask = set_to_bitmask(set(self.statuses))
        mode_mask = set_to_bitmask(set(self.keypad_modes))
        key_mask = set_to_bitmask({ord(c) for c in self.keys})
        b0 = (0x80 if self.admin_code else 0) | (0x40 if self.admin_code_deactivation else 0) | len(status_mask)
        b1 = (0x80 if self.checksum else 0) | (0x40 if self.multiple_report else 0) | (0x20 if self.multiple_set else 0)
        return (bytes((b0,)) + status_mask + bytes((b1 | len(mode_mask),)) + mode_mask
                + bytes((len(key_mask),)) + key_mask)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "User Code Capabilities Report")
        n = payload[0] & 0x1F
        off = 1
        require(payload, off + n + 1, "User Code Capabilities Report statuses")
        statuses = tuple(sorted(bitmask_to_set(payload[off : off + n])))
        off += n
        flags, n = payload[off], payload[off] & 0x1F
        off += 1
        require(payload, off + n + 1, "User Code Capabilities Report keypad modes")
        modes = tuple(sorted(bitmask_to_set(payload[off : off + n])))
        off += n
        n = payload[off] & 0x1F
        off += 1
        require(payload, off + n, "User Code Capabilities Report keys")
        keys = "".join(chr(c) for c in sorted(bitmask_to_set(payload[off : off + n])) if c < 128)
        return cls(bool(payload[0] & 0x80), bool(payload[0] & 0x40), statuses,
                   bool(flags & 0x80), bool(flags & 0x40), bool(flags & 0x20), modes, keys)


@register
@dataclass(frozen=True, slots=True)
class UserCodeCapabilitiesGet(CCCommand):
    cc_id = CC
    command_id = 0x06
    expects = UserCodeCapabilitiesReport


@dataclass(frozen=True, slots=True)
class _KeypadMode(CCCommand):
    mode: int

    def encode_payload(self) -> bytes:
        return bytes((self.mode,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Keypad Mode")
        return cls(payload[0])


@register
@dataclass(frozen=True, slots=True)
class KeypadModeSet(_KeypadMode):
    cc_id = CC
    command_id = 0x08


@register
@dataclass(frozen=True, slots=True)
class KeypadModeReport(_KeypadMode):
    cc_id = CC
    command_id = 0x0A

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(UserCodeValue.KEYPAD_MODE, self.mode)]


@register
@dataclass(frozen=True, slots=True)
class KeypadModeGet(CCCommand):
    cc_id = CC
    command_id = 0x09
    expects = KeypadModeReport


@dataclass(frozen=True, slots=True)
class UserCodeEntry:
    """One block of an Extended User Code Set/Report."""

    user_id: int
    status: int
    code: str = ""

    def __repr__(self) -> str:
        return f"UserCodeEntry(user_id={self.user_id}, status={self.status}, code=<redacted>)"


def _encode_entries(entries: tuple[UserCodeEntry, ...]) -> bytes:
    if len(entries) > 255:
        raise CCEncodeError("at most 255 user codes per frame")
    out = bytearray((len(entries),))
    for e in entries:
        code = e.code.encode("latin-1")
        if len(code) > 0x0F:
            raise CCEncodeError(CODE_ERROR)
        out += e.user_id.to_bytes(2, "big") + bytes((e.status, len(code))) + code
    return bytes(out)


def _decode_entries(payload: bytes) -> tuple[tuple[UserCodeEntry, ...], int]:
    require(payload, 1, "Extended User Code")
    count, off, entries = payload[0], 1, []
    for _ in range(count):
        require(payload, off + 4, "Extended User Code block")
        n = payload[off + 3] & 0x0F
        require(payload, off + 4 + n, "Extended User Code block code")
        uid, status = int.from_bytes(payload[off : off + 2], "big"), payload[off + 2]
        entries.append(UserCodeEntry(uid, status, _decode_code(bytes(payload[off + 4 : off + 4 + n]))))
        off += 4 + n
    return tuple(entries), off


@register
@dataclass(frozen=True, slots=True)
class ExtendedUserCodeSet(CCCommand):
    """Set 0B ``[n]{[user id u16][status][len (low nibble)][code]}``."""

    cc_id = CC
    command_id = 0x0B
    secret = True
    entries: tuple[UserCodeEntry, ...]

    def encode_payload(self) -> bytes:
        return _encode_entries(self.entries)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(_decode_entries(payload)[0])


@register
@dataclass(frozen=True, slots=True)
class ExtendedUserCodeReport(CCCommand):
    """Report 0D ``[n]{blocks}[next user id u16]``."""

    cc_id = CC
    command_id = 0x0D
    secret = True
    entries: tuple[UserCodeEntry, ...]
    next_user_id: int = 0

    def encode_payload(self) -> bytes:
        return _encode_entries(self.entries) + self.next_user_id.to_bytes(2, "big")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        entries, off = _decode_entries(payload)
        require(payload, off + 2, "Extended User Code Report next user id")
        return cls(entries, int.from_bytes(payload[off : off + 2], "big"))

    def value_updates(self) -> list[ValueUpdate]:
        updates: list[ValueUpdate] = []
        for e in self.entries:
            code = "" if e.status in (UserIdStatus.AVAILABLE, UserIdStatus.NOT_AVAILABLE) else e.code
            updates.append(ValueUpdate(UserCodeValue.USER_ID_STATUS, e.status, e.user_id))
            updates.append(ValueUpdate(UserCodeValue.USER_CODE, code, e.user_id, meta=dict(SECRET_META)))
        return updates

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, ExtendedUserCodeGet) and any(e.user_id == get.user_id for e in self.entries)


@register
@dataclass(frozen=True, slots=True)
class ExtendedUserCodeGet(CCCommand):
    """Get 0C ``[user id u16][b0 report more]``."""

    cc_id = CC
    command_id = 0x0C
    expects = ExtendedUserCodeReport
    user_id: int
    report_more: bool = False

    def encode_payload(self) -> bytes:
        if not 0 <= self.user_id <= 0xFFFF:
            raise CCEncodeError("user id must be 1..65535")
        return self.user_id.to_bytes(2, "big") + bytes((1 if self.report_more else 0,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Extended User Code Get")
        return cls(int.from_bytes(payload[0:2], "big"), bool(payload[2] & 1))


@dataclass(frozen=True, slots=True)
class _AdminCode(CCCommand):
    """``[len (low nibble)][code]``; an empty code deactivates the admin code."""

    secret = True
    code: str = ""

    def encode_payload(self) -> bytes:
        raw = self.code.encode("latin-1")
        if len(raw) > 0x0F:
            raise CCEncodeError("admin code must be at most 10 digits")
        return bytes((len(raw),)) + raw

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Admin Code")
        n = payload[0] & 0x0F
        if len(payload) < 1 + n:
            raise CCDecodeError("Admin Code: truncated")
        return cls(_decode_code(bytes(payload[1 : 1 + n])))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code=<redacted>)"


@register
@dataclass(frozen=True, slots=True, repr=False)  # keep the redacting __repr__
class AdminCodeSet(_AdminCode):
    cc_id = CC
    command_id = 0x0E


@register
@dataclass(frozen=True, slots=True, repr=False)  # keep the redacting __repr__
class AdminCodeReport(_AdminCode):
    cc_id = CC
    command_id = 0x10

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(UserCodeValue.ADMIN_CODE, self.code, meta=dict(SECRET_META))]


@register
@dataclass(frozen=True, slots=True)
class AdminCodeGet(CCCommand):
    cc_id = CC
    command_id = 0x0F
    expects = AdminCodeReport


@register
@dataclass(frozen=True, slots=True)
class UserCodeChecksumReport(CCCommand):
    """Report 12 ``[checksum u16]`` (CRC over all user codes)."""

    cc_id = CC
    command_id = 0x12
    checksum: int

    def encode_payload(self) -> bytes:
        return self.checksum.to_bytes(2, "big")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "User Code Checksum Report")
        return cls(int.from_bytes(payload[0:2], "big"))

    def value_updates(self) -> list[ValueUpdate]:
        return [ValueUpdate(UserCodeValue.USER_CODE_CHECKSUM, self.checksum)]


@register
@dataclass(frozen=True, slots=True)
class UserCodeChecksumGet(CCCommand):
    cc_id = CC
    command_id = 0x11
    expects = UserCodeChecksumReport


async def _interview(ctx: CCContext) -> None:
    """Users number (and v2 capabilities, keypad mode); codes are read on demand."""
    await ctx.get(UsersNumberGet())
    if ctx.version < 2:
        return
    try:
        caps = await ctx.get(UserCodeCapabilitiesGet())
    except NodeError:
        return
    assert isinstance(caps, UserCodeCapabilitiesReport)
    ctx.set_static("supported_keys", caps.keys)
    ctx.set_static("supported_statuses", list(caps.statuses))
    ctx.set_static("supported_keypad_modes", list(caps.keypad_modes))
    ctx.set_static("supports_admin_code", caps.admin_code)
    ctx.set_static("supports_checksum", caps.checksum)
    if caps.keypad_modes:
        try:
            await ctx.get(KeypadModeGet())
        except NodeError:
            pass


def _set_value(prop: str, value: Any, key: Any, options: dict[str, Any], version: int) -> CCCommand:
    """``user_code``: key = user id, value = code or None (clear).  ``options`` may carry
    ``users_number`` and ``supported_keys`` (from the interview) for stricter checks."""
    if prop == UserCodeValue.KEYPAD_MODE:
        if not isinstance(value, int) or value not in KeypadMode._value2member_map_:
            raise CCEncodeError("keypad_mode must be 0..3")
        return KeypadModeSet(value)
    if prop != UserCodeValue.USER_CODE:
        raise CCEncodeError(f"User Code: property {prop!r} is not writable")
    users = options.get("users_number")
    keys = options.get("supported_keys") or None
    if isinstance(key, int) and not isinstance(key, bool) and key > 255 and version >= 2:
        if not key <= min(users or 0xFFFF, 0xFFFF):
            raise CCEncodeError(f"user id must be 1..{min(users or 0xFFFF, 0xFFFF)}")
        if value is None:
            return ExtendedUserCodeSet((UserCodeEntry(key, UserIdStatus.AVAILABLE),))
        return ExtendedUserCodeSet((UserCodeEntry(key, UserIdStatus.ENABLED, validate_user_code(value, keys)),))
    if isinstance(key, bool):
        raise CCEncodeError("user id must be an integer")
    return UserCodeSet.build(key, value, users_number=users, allowed_keys=keys)


INFO = register_cc(CCInfo(CC, "User Code", 2, interview=_interview, set_value=_set_value, interview_order=70))
