"""Security CC (0x98, "S0") command codecs. No crypto here: see :mod:`.s0`.

Commands (protocol-facts.md §5.1; Z-Wave JS SecurityCC.ts; Silicon Labs SDS10865):

* 02 Commands Supported Get, 03 Commands Supported Report ``[reports to follow][CC list]``
* 04 Scheme Get / 05 Scheme Report / 08 Scheme Inherit ``[schemes]`` (0x00 = scheme 0)
* 06 Network Key Set ``[key 16]`` (secret), 07 Network Key Verify
* 40 Nonce Get, 80 Nonce Report ``[nonce 8]`` (the nonce ID is its first byte)
* 81 Message Encapsulation, C1 Message Encapsulation Nonce Get:
  ``[sender nonce 8][ciphertext][receiver nonce ID][MAC 8]``; the ciphertext decrypts to
  ``[sequence info][CC bytes]`` with sequence info b5 second frame, b4 sequenced, b3..0 counter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from ..cc.base import CCCommand
from ..cc.ids import CommandClass
from ..errors import CCEncodeError
from .codec import command_table, decode_with, encode_cc_list, parse_cc_list, redacted_repr, require
from .crypto import KEY_SIZE, S0_MAC_SIZE, S0_NONCE_SIZE

CC = CommandClass.SECURITY

COMMANDS_SUPPORTED_GET = 0x02
COMMANDS_SUPPORTED_REPORT = 0x03
SCHEME_GET = 0x04
SCHEME_REPORT = 0x05
NETWORK_KEY_SET = 0x06
NETWORK_KEY_VERIFY = 0x07
SCHEME_INHERIT = 0x08
NONCE_GET = 0x40
NONCE_REPORT = 0x80
MESSAGE_ENCAPSULATION = 0x81
MESSAGE_ENCAPSULATION_NONCE_GET = 0xC1

# sequence info byte (first plaintext byte of an encapsulated message)
SEQUENCE_SECOND_FRAME = 0x20
SEQUENCE_SEQUENCED = 0x10
SEQUENCE_COUNTER_MASK = 0x0F

#: sender nonce + at least the sequence byte and one CC byte + receiver nonce ID + MAC
MIN_ENCAPSULATION_PAYLOAD = S0_NONCE_SIZE + 2 + 1 + S0_MAC_SIZE


def _check_byte(value: int, what: str) -> None:
    if not 0 <= value <= 0xFF:
        raise CCEncodeError(f"{what} {value} is not 0..255")


def encode_sequence_info(sequenced: bool = False, second_frame: bool = False, counter: int = 0) -> int:
    """The sequence info byte."""
    if not 0 <= counter <= SEQUENCE_COUNTER_MASK:
        raise CCEncodeError(f"S0 sequence counter {counter} is not 0..15")
    return (SEQUENCE_SEQUENCED if sequenced else 0) | (SEQUENCE_SECOND_FRAME if second_frame else 0) | counter


# --- nonces ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S0NonceReport(CCCommand):
    cc_id = CC
    command_id = NONCE_REPORT
    nonce: bytes

    def encode_payload(self) -> bytes:
        if len(self.nonce) != S0_NONCE_SIZE:
            raise CCEncodeError(f"an S0 nonce is {S0_NONCE_SIZE} bytes, got {len(self.nonce)}")
        return bytes(self.nonce)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, S0_NONCE_SIZE, "S0 Nonce Report")
        return cls(bytes(payload[:S0_NONCE_SIZE]))

    @property
    def nonce_id(self) -> int:
        return self.nonce[0]

    def __repr__(self) -> str:
        return f"S0NonceReport(nonce_id=0x{self.nonce[0]:02X})" if self.nonce else "S0NonceReport()"


@dataclass(frozen=True, slots=True)
class S0NonceGet(CCCommand):
    cc_id = CC
    command_id = NONCE_GET
    expects = S0NonceReport


# --- message encapsulation ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S0MessageEncapsulation(CCCommand):
    """An encrypted S0 message; :attr:`request_nonce` is True for the 0xC1 variant (the sender
    also wants a new nonce, e.g. for the second frame of a split message)."""

    cc_id = CC
    command_id = MESSAGE_ENCAPSULATION
    sender_nonce: bytes
    ciphertext: bytes
    receiver_nonce_id: int
    mac: bytes

    @property
    def request_nonce(self) -> bool:
        return self.command_id == MESSAGE_ENCAPSULATION_NONCE_GET

    def encode_payload(self) -> bytes:
        if len(self.sender_nonce) != S0_NONCE_SIZE:
            raise CCEncodeError(f"the S0 sender nonce is {S0_NONCE_SIZE} bytes")
        if len(self.mac) != S0_MAC_SIZE:
            raise CCEncodeError(f"the S0 MAC is {S0_MAC_SIZE} bytes")
        if not 2 <= len(self.ciphertext) <= 0xFF:
            raise CCEncodeError(f"the S0 ciphertext must be 2..255 bytes, got {len(self.ciphertext)}")
        _check_byte(self.receiver_nonce_id, "receiver nonce ID")
        return (
            bytes(self.sender_nonce)
            + bytes(self.ciphertext)
            + bytes((self.receiver_nonce_id,))
            + bytes(self.mac)
        )

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, MIN_ENCAPSULATION_PAYLOAD, "S0 Message Encapsulation")
        return cls(
            sender_nonce=bytes(payload[:S0_NONCE_SIZE]),
            ciphertext=bytes(payload[S0_NONCE_SIZE : -1 - S0_MAC_SIZE]),
            receiver_nonce_id=payload[-1 - S0_MAC_SIZE],
            mac=bytes(payload[-S0_MAC_SIZE:]),
        )

    def __repr__(self) -> str:
        return redacted_repr(
            type(self).__name__,
            receiver_nonce_id=f"0x{self.receiver_nonce_id:02X}",
            ciphertext=f"<{len(self.ciphertext)} bytes>",
        )


@dataclass(frozen=True, slots=True, repr=False)
class S0MessageEncapsulationNonceGet(S0MessageEncapsulation):
    cc_id = CC
    command_id = MESSAGE_ENCAPSULATION_NONCE_GET


# --- scheme and key exchange (inclusion) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S0SchemeReport(CCCommand):
    cc_id = CC
    command_id = SCHEME_REPORT
    schemes: int = 0  # bit mask; 0 = only security scheme 0

    def encode_payload(self) -> bytes:
        _check_byte(self.schemes, "S0 schemes")
        return bytes((self.schemes,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "S0 Scheme Report")
        return cls(payload[0])


@dataclass(frozen=True, slots=True)
class S0SchemeGet(CCCommand):
    cc_id = CC
    command_id = SCHEME_GET
    expects = S0SchemeReport
    schemes: int = 0

    def encode_payload(self) -> bytes:
        _check_byte(self.schemes, "S0 schemes")
        return bytes((self.schemes,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(payload[0] if payload else 0)


@dataclass(frozen=True, slots=True)
class S0SchemeInherit(S0SchemeGet):
    cc_id = CC
    command_id = SCHEME_INHERIT


@dataclass(frozen=True, slots=True)
class S0NetworkKeyVerify(CCCommand):
    cc_id = CC
    command_id = NETWORK_KEY_VERIFY


@dataclass(frozen=True, slots=True)
class S0NetworkKeySet(CCCommand):
    """Carries the S0 network key (sent encrypted with the all-zero temporary key)."""

    cc_id = CC
    command_id = NETWORK_KEY_SET
    expects = S0NetworkKeyVerify
    secret = True
    network_key: bytes = field(repr=False)

    def encode_payload(self) -> bytes:
        if len(self.network_key) != KEY_SIZE:
            raise CCEncodeError(f"an S0 network key is {KEY_SIZE} bytes")
        return bytes(self.network_key)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, KEY_SIZE, "S0 Network Key Set")
        return cls(bytes(payload[:KEY_SIZE]))

    def __repr__(self) -> str:
        return "S0NetworkKeySet(<redacted>)"


# --- commands supported -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S0CommandsSupportedReport(CCCommand):
    cc_id = CC
    command_id = COMMANDS_SUPPORTED_REPORT
    supported: tuple[int, ...] = ()
    controlled: tuple[int, ...] = ()
    reports_to_follow: int = 0

    def encode_payload(self) -> bytes:
        _check_byte(self.reports_to_follow, "reports to follow")
        return bytes((self.reports_to_follow,)) + encode_cc_list(self.supported, self.controlled)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "S0 Commands Supported Report")
        supported, controlled = parse_cc_list(payload[1:])
        return cls(supported, controlled, payload[0])


@dataclass(frozen=True, slots=True)
class S0CommandsSupportedGet(CCCommand):
    cc_id = CC
    command_id = COMMANDS_SUPPORTED_GET
    expects = S0CommandsSupportedReport


_COMMANDS = command_table(
    S0CommandsSupportedGet,
    S0CommandsSupportedReport,
    S0SchemeGet,
    S0SchemeReport,
    S0NetworkKeySet,
    S0NetworkKeyVerify,
    S0SchemeInherit,
    S0NonceGet,
    S0NonceReport,
    S0MessageEncapsulation,
    S0MessageEncapsulationNonceGet,
)


def decode_s0_command(data: bytes) -> CCCommand:
    """Decode a Security CC command (CC byte 0x98, command, payload); raises only
    :class:`~.errors.SecurityDecodeError`."""
    return decode_with(_COMMANDS, CC, data, "Security")
