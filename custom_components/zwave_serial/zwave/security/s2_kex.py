"""Security 2 CC (0x9F) key exchange (inclusion bootstrap) commands; see :mod:`.s2_codec`.

04 KEX Get; 05 KEX Report / 06 KEX Set ``[b1 CSA, b0 echo][schemes][ECDH profiles][keys]``;
07 KEX Fail ``[type]``; 08 Public Key Report ``[b0 including node][public key]``; 09 Network
Key Get ``[key bit]``; 0A Network Key Report ``[key bit][key 16]`` (secret); 0B Network Key
Verify; 0C Transfer End ``[b1 key verified, b0 key request complete]``. Bit masks as Z-Wave JS:
schemes bit n = scheme n (bit 0 reserved), profiles bit 0 = Curve25519, keys bits 0-2 = S2
classes and bit 7 = S0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Self

from ..cc.base import CCCommand
from ..cc.ids import CommandClass
from ..errors import CCEncodeError
from .codec import require
from .crypto import KEY_SIZE
from .keys import SecurityClass, security_classes_from_bits, security_classes_to_bits

CC = CommandClass.SECURITY_2


def _check_byte(value: int, what: str) -> None:
    if not 0 <= value <= 0xFF:
        raise CCEncodeError(f"{what} {value} is not 0..255")


class KEXFailType(IntEnum):
    """KEX Fail codes (Z-Wave JS ``KEXFailType``; spec names in comments)."""

    NO_KEY_MATCH = 0x01  # KEX_KEY
    NO_SUPPORTED_SCHEME = 0x02  # KEX_SCHEME
    NO_SUPPORTED_CURVE = 0x03  # KEX_CURVES
    DECRYPT = 0x05  # DECRYPT
    BOOTSTRAPPING_CANCELED = 0x06  # CANCEL
    WRONG_SECURITY_LEVEL = 0x07  # AUTH
    KEY_NOT_GRANTED = 0x08  # GET
    NO_VERIFY = 0x09  # VERIFY
    DIFFERENT_KEY = 0x0A  # REPORT


class KEXScheme(IntEnum):
    KEX_SCHEME_1 = 1  # bit 1 of the schemes byte (bit 0 is reserved)


class ECDHProfile(IntEnum):
    CURVE25519 = 0  # bit 0 of the profiles byte


# --- key exchange -----------------------------------------------------------------------------


def _classes(mask: int) -> tuple[SecurityClass, ...]:
    return security_classes_from_bits(mask)


def _kex_body(
    flags: int, schemes: tuple[int, ...], profiles: tuple[int, ...], keys: tuple[SecurityClass, ...]
) -> bytes:
    scheme_mask = 0
    for scheme in schemes:
        if not 1 <= scheme <= 7:
            raise CCEncodeError(f"KEX scheme {scheme} is not 1..7")
        scheme_mask |= 1 << scheme
    profile_mask = 0
    for profile in profiles:
        if not 0 <= profile <= 7:
            raise CCEncodeError(f"ECDH profile {profile} is not 0..7")
        profile_mask |= 1 << profile
    return bytes((flags, scheme_mask, profile_mask, security_classes_to_bits(keys)))


def _bits(mask: int, start: int = 0) -> tuple[int, ...]:
    return tuple(bit for bit in range(start, 8) if mask & (1 << bit))


@dataclass(frozen=True, slots=True)
class S2KEXReport(CCCommand):
    cc_id = CC
    command_id = 0x05
    requested_keys: tuple[SecurityClass, ...] = ()
    schemes: tuple[int, ...] = (KEXScheme.KEX_SCHEME_1,)
    ecdh_profiles: tuple[int, ...] = (ECDHProfile.CURVE25519,)
    echo: bool = False
    request_csa: bool = False

    def encode_payload(self) -> bytes:
        flags = (0x02 if self.request_csa else 0) | (0x01 if self.echo else 0)
        return _kex_body(flags, self.schemes, self.ecdh_profiles, self.requested_keys)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "S2 KEX Report")
        return cls(
            _classes(payload[3]),
            _bits(payload[1], 1),
            _bits(payload[2]),
            bool(payload[0] & 1),
            bool(payload[0] & 2),
        )


@dataclass(frozen=True, slots=True)
class S2KEXGet(CCCommand):
    cc_id = CC
    command_id = 0x04
    expects = S2KEXReport


@dataclass(frozen=True, slots=True)
class S2KEXSet(CCCommand):
    cc_id = CC
    command_id = 0x06
    granted_keys: tuple[SecurityClass, ...] = ()
    scheme: int = KEXScheme.KEX_SCHEME_1
    ecdh_profile: int = ECDHProfile.CURVE25519
    echo: bool = False
    permit_csa: bool = False

    def encode_payload(self) -> bytes:
        flags = (0x02 if self.permit_csa else 0) | (0x01 if self.echo else 0)
        return _kex_body(flags, (self.scheme,), (self.ecdh_profile,), self.granted_keys)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 4, "S2 KEX Set")
        schemes, profiles = _bits(payload[1], 1), _bits(payload[2])
        if len(schemes) != 1 or len(profiles) != 1:
            raise ValueError("a KEX Set selects exactly one scheme and one ECDH profile")
        return cls(_classes(payload[3]), schemes[0], profiles[0], bool(payload[0] & 1), bool(payload[0] & 2))


@dataclass(frozen=True, slots=True)
class S2KEXFail(CCCommand):
    cc_id = CC
    command_id = 0x07
    fail_type: KEXFailType | int

    def encode_payload(self) -> bytes:
        _check_byte(int(self.fail_type), "KEX fail type")
        return bytes((int(self.fail_type),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "S2 KEX Fail")
        try:
            return cls(KEXFailType(payload[0]))
        except ValueError:
            return cls(payload[0])


@dataclass(frozen=True, slots=True)
class S2PublicKeyReport(CCCommand):
    cc_id = CC
    command_id = 0x08
    public_key: bytes
    including_node: bool = False

    def encode_payload(self) -> bytes:
        return bytes((1 if self.including_node else 0,)) + bytes(self.public_key)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 17, "S2 Public Key Report")  # as Z-Wave JS: the key is the rest
        return cls(bytes(payload[1:]), bool(payload[0] & 1))

    def __repr__(self) -> str:
        return f"S2PublicKeyReport(public_key={self.public_key.hex()}, including_node={self.including_node})"


def _single_class(mask: int) -> SecurityClass:
    classes = _classes(mask)
    if len(classes) != 1:
        raise ValueError("exactly one key bit must be set")
    return classes[0]


@dataclass(frozen=True, slots=True)
class S2NetworkKeyReport(CCCommand):
    cc_id = CC
    command_id = 0x0A
    secret = True
    granted_key: SecurityClass
    network_key: bytes = field(repr=False)

    def encode_payload(self) -> bytes:
        if len(self.network_key) != KEY_SIZE:
            raise CCEncodeError(f"a network key is {KEY_SIZE} bytes")
        return bytes((self.granted_key.key_bit,)) + bytes(self.network_key)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1 + KEY_SIZE, "S2 Network Key Report")
        return cls(_single_class(payload[0]), bytes(payload[1 : 1 + KEY_SIZE]))

    def __repr__(self) -> str:
        return f"S2NetworkKeyReport(granted_key={self.granted_key.name}, network_key=<redacted>)"


@dataclass(frozen=True, slots=True)
class S2NetworkKeyGet(CCCommand):
    cc_id = CC
    command_id = 0x09
    expects = S2NetworkKeyReport
    requested_key: SecurityClass

    def encode_payload(self) -> bytes:
        return bytes((self.requested_key.key_bit,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "S2 Network Key Get")
        return cls(_single_class(payload[0]))


@dataclass(frozen=True, slots=True)
class S2NetworkKeyVerify(CCCommand):
    cc_id = CC
    command_id = 0x0B


@dataclass(frozen=True, slots=True)
class S2TransferEnd(CCCommand):
    cc_id = CC
    command_id = 0x0C
    key_verified: bool = False
    key_request_complete: bool = False

    def encode_payload(self) -> bytes:
        return bytes(((0x02 if self.key_verified else 0) | (0x01 if self.key_request_complete else 0),))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "S2 Transfer End")
        return cls(bool(payload[0] & 0x02), bool(payload[0] & 0x01))
