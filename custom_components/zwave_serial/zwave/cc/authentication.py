"""Authentication CC (0xA1), v1 (2024A spec; "never certified", not in zwave-js).

Authentication data (RFID tags, cards…) is stored under data ids; a *technologies combination*
(auth id) ties data ids, a User Code slot and a Generic Schedule together.  Authentication data
is secret: those commands are ``secret`` and never show the data in ``repr``.
Unconfirmed (no implementation to check against): the checksum-type bitmask of the
Capability Report is taken as one byte, and the Combination Report's block length as the number
of bytes after the length byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import CCDecodeError, CCEncodeError, NodeError
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import bitmask_to_set, require, set_to_bitmask

CC = CommandClass.AUTHENTICATION

TECH_RFID = 1
TECH_MAGNETIC_CARD = 2
#: Technology type -> name.
TECHNOLOGIES: dict[int, str] = {TECH_RFID: "RFID", TECH_MAGNETIC_CARD: "magnetic card"}


def _u16(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset : offset + 2], "big")


def _put_u16(value: int, what: str) -> bytes:
    if not 0 <= value <= 0xFFFF:
        raise CCEncodeError(f"{what} must be 0..65535")
    return value.to_bytes(2, "big")


@register
@dataclass(frozen=True, slots=True)
class AuthenticationCapabilityReport(CCCommand):
    """Report 02 ``[#data ids u16][#auth ids u16][b7 MAR, b6 MADR, b5 OR | n][tech mask]``
    ``[checksum type mask][n][fallback status mask]``."""

    cc_id = CC
    command_id = 0x02
    data_ids: int
    auth_ids: int
    technologies: tuple[int, ...] = ()
    checksum_types: tuple[int, ...] = ()
    fallback_statuses: tuple[int, ...] = ()
    mar: bool = False
    madr: bool = False
    or_logic: bool = False

    def encode_payload(self) -> bytes:
        tech = set_to_bitmask(set(self.technologies))
        flags = (0x80 if self.mar else 0) | (0x40 if self.madr else 0) | (0x20 if self.or_logic else 0)
        checksum = set_to_bitmask(set(self.checksum_types), length=1)
        fallback = set_to_bitmask(set(self.fallback_statuses))
        return (_put_u16(self.data_ids, "data id count") + _put_u16(self.auth_ids, "auth id count")
                + bytes((flags | len(tech),)) + tech + checksum + bytes((len(fallback),)) + fallback)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 5, "Authentication Capability Report")
        n = payload[4] & 0x0F
        off = 5
        require(payload, off + n + 2, "Authentication Capability Report masks")
        tech = tuple(sorted(bitmask_to_set(payload[off : off + n]) - {0}))
        off += n
        checksum = tuple(sorted(bitmask_to_set(payload[off : off + 1])))
        off += 1
        m = payload[off] & 0x1F
        off += 1
        require(payload, off + m, "Authentication Capability Report fallback mask")
        fallback = tuple(sorted(bitmask_to_set(payload[off : off + m])))
        flags = payload[4]
        return cls(_u16(payload, 0), _u16(payload, 2), tech, checksum, fallback,
                   bool(flags & 0x80), bool(flags & 0x40), bool(flags & 0x20))


@register
@dataclass(frozen=True, slots=True)
class AuthenticationCapabilityGet(CCCommand):
    cc_id = CC
    command_id = 0x01
    expects = AuthenticationCapabilityReport


@dataclass(frozen=True, slots=True)
class AuthenticationData:
    """One data block: data id, technology type and the (secret) data."""

    data_id: int
    technology: int
    data: bytes = b""

    def __repr__(self) -> str:
        return f"AuthenticationData(data_id={self.data_id}, technology={self.technology}, data=<redacted>)"


@register
@dataclass(frozen=True, slots=True)
class AuthenticationDataSet(CCCommand):
    """Set 03 ``[data id u16][tech type (low nibble)][len][data]``; data id 0 erases all data of
    that technology, empty data erases the entry."""

    cc_id = CC
    command_id = 0x03
    secret = True
    entry: AuthenticationData

    def encode_payload(self) -> bytes:
        e = self.entry
        if len(e.data) > 0xFF:
            raise CCEncodeError("authentication data must be at most 255 bytes")
        return _put_u16(e.data_id, "data id") + bytes((e.technology & 0x0F, len(e.data))) + e.data

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "Authentication Data Set")
        n = payload[3]
        require(payload, 4 + n, "Authentication Data Set data")
        return cls(AuthenticationData(_u16(payload, 0), payload[2] & 0x0F, bytes(payload[4 : 4 + n])))

    def __repr__(self) -> str:
        return f"AuthenticationDataSet(entry={self.entry!r})"


@register
@dataclass(frozen=True, slots=True)
class AuthenticationDataReport(CCCommand):
    """Report 05 ``[n]{[data id u16][tech type][len][data]}[next data id u16]``."""

    cc_id = CC
    command_id = 0x05
    secret = True
    entries: tuple[AuthenticationData, ...]
    next_data_id: int = 0

    def encode_payload(self) -> bytes:
        out = bytearray((len(self.entries),))
        for e in self.entries:
            out += _put_u16(e.data_id, "data id") + bytes((e.technology & 0x0F, len(e.data))) + e.data
        return bytes(out) + _put_u16(self.next_data_id, "next data id")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Authentication Data Report")
        off, entries = 1, []
        for _ in range(payload[0]):
            require(payload, off + 4, "Authentication Data Report block")
            n = payload[off + 3]
            require(payload, off + 4 + n, "Authentication Data Report data")
            entries.append(AuthenticationData(_u16(payload, off), payload[off + 2] & 0x0F,
                                              bytes(payload[off + 4 : off + 4 + n])))
            off += 4 + n
        nxt = _u16(payload, off) if len(payload) >= off + 2 else 0
        return cls(tuple(entries), nxt)

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, AuthenticationDataGet) and any(e.data_id == get.data_id for e in self.entries)


@register
@dataclass(frozen=True, slots=True)
class AuthenticationDataGet(CCCommand):
    cc_id = CC
    command_id = 0x04
    expects = AuthenticationDataReport
    data_id: int
    report_more: bool = False

    def encode_payload(self) -> bytes:
        return _put_u16(self.data_id, "data id") + bytes((1 if self.report_more else 0,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Authentication Data Get")
        return cls(_u16(payload, 0), len(payload) >= 3 and bool(payload[2] & 1))


@dataclass(frozen=True, slots=True)
class TechnologiesCombination:
    """``[auth id u16][fallback status][user id u16][schedule id u16][b7 OR | n][data ids u16…]``.

    ``user_id`` 0 = no User Code (``fallback_status`` applies); ``schedule_id`` 0 = always.
    """

    auth_id: int
    fallback_status: int = 1
    user_id: int = 0
    schedule_id: int = 0
    data_ids: tuple[int, ...] = ()
    or_logic: bool = False

    def to_bytes(self) -> bytes:
        if len(self.data_ids) > 0x7F:
            raise CCEncodeError("a combination holds at most 127 data ids")
        out = (_put_u16(self.auth_id, "auth id") + bytes((self.fallback_status,))
               + _put_u16(self.user_id, "user id") + _put_u16(self.schedule_id, "schedule id")
               + bytes(((0x80 if self.or_logic else 0) | len(self.data_ids),)))
        return out + b"".join(_put_u16(d, "data id") for d in self.data_ids)

    @classmethod
    def from_bytes(cls, data: bytes) -> tuple[TechnologiesCombination, int]:
        """Parse one combination; returns it and the number of bytes used."""
        if len(data) < 8:
            raise CCDecodeError("Authentication technologies combination: need 8 bytes")
        n = data[7] & 0x7F
        if len(data) < 8 + 2 * n:
            raise CCDecodeError("Authentication technologies combination: truncated data ids")
        ids = tuple(_u16(data, 8 + 2 * i) for i in range(n))
        combo = cls(_u16(data, 0), data[2], _u16(data, 3), _u16(data, 5), ids, bool(data[7] & 0x80))
        return combo, 8 + 2 * n


@register
@dataclass(frozen=True, slots=True)
class TechnologiesCombinationSet(CCCommand):
    cc_id = CC
    command_id = 0x06
    combination: TechnologiesCombination

    def encode_payload(self) -> bytes:
        return self.combination.to_bytes()

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(TechnologiesCombination.from_bytes(bytes(payload))[0])


@register
@dataclass(frozen=True, slots=True)
class TechnologiesCombinationReport(CCCommand):
    """Report 08 ``[n]{[block len][combination]}[next auth id u16]``."""

    cc_id = CC
    command_id = 0x08
    combinations: tuple[TechnologiesCombination, ...]
    next_auth_id: int = 0

    def encode_payload(self) -> bytes:
        out = bytearray((len(self.combinations),))
        for combo in self.combinations:
            block = combo.to_bytes()
            out += bytes((len(block),)) + block
        return bytes(out) + _put_u16(self.next_auth_id, "next auth id")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Authentication Technologies Combination Report")
        off, combos = 1, []
        for _ in range(payload[0]):
            require(payload, off + 1, "Authentication Technologies Combination Report block")
            n = payload[off]
            require(payload, off + 1 + n, "Authentication Technologies Combination Report block")
            combos.append(TechnologiesCombination.from_bytes(bytes(payload[off + 1 : off + 1 + n]))[0])
            off += 1 + n
        nxt = _u16(payload, off) if len(payload) >= off + 2 else 0
        return cls(tuple(combos), nxt)

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, TechnologiesCombinationGet) and any(
            c.auth_id == get.auth_id for c in self.combinations
        )


@register
@dataclass(frozen=True, slots=True)
class TechnologiesCombinationGet(CCCommand):
    cc_id = CC
    command_id = 0x07
    expects = TechnologiesCombinationReport
    auth_id: int
    report_more: bool = False

    def encode_payload(self) -> bytes:
        return _put_u16(self.auth_id, "auth id") + bytes((1 if self.report_more else 0,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Authentication Technologies Combination Get")
        return cls(_u16(payload, 0), len(payload) >= 3 and bool(payload[2] & 1))


@register
@dataclass(frozen=True, slots=True)
class AuthenticationChecksumReport(CCCommand):
    """Report 0A ``[b6..4 checksum type | b3..0 tech type][checksum u16]``."""

    cc_id = CC
    command_id = 0x0A
    checksum_type: int
    technology: int
    checksum: int

    def encode_payload(self) -> bytes:
        return bytes((((self.checksum_type & 0x07) << 4) | (self.technology & 0x0F),)) + _put_u16(self.checksum, "checksum")

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 3, "Authentication Checksum Report")
        return cls((payload[0] >> 4) & 0x07, payload[0] & 0x0F, _u16(payload, 1))

    def answers(self, get: CCCommand) -> bool:
        return (isinstance(get, AuthenticationChecksumGet) and get.checksum_type == self.checksum_type
                and get.technology == self.technology)


@register
@dataclass(frozen=True, slots=True)
class AuthenticationChecksumGet(CCCommand):
    """Get 09 ``[b6..4 checksum type (0 auth data, 1 combinations) | b3..0 tech type]``."""

    cc_id = CC
    command_id = 0x09
    expects = AuthenticationChecksumReport
    checksum_type: int
    technology: int = 0

    def encode_payload(self) -> bytes:
        return bytes((((self.checksum_type & 0x07) << 4) | (self.technology & 0x0F),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Authentication Checksum Get")
        return cls((payload[0] >> 4) & 0x07, payload[0] & 0x0F)


async def _interview(ctx: CCContext) -> None:
    """Capabilities only."""
    try:
        caps = await ctx.get(AuthenticationCapabilityGet())
    except NodeError:
        return
    assert isinstance(caps, AuthenticationCapabilityReport)
    ctx.set_static("data_id_count", caps.data_ids)
    ctx.set_static("auth_id_count", caps.auth_ids)
    ctx.set_static("supported_technologies", list(caps.technologies))


INFO = register_cc(CCInfo(CC, "Authentication", 1, interview=_interview, interview_order=80))
