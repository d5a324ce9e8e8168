"""Security 2 CC (0x9F, "S2") command codecs and extensions. No crypto here: see :mod:`.s2`.

Commands (protocol-facts.md §5.2; Z-Wave JS Security2CC.ts):

* 01 Nonce Get ``[seq]``; 02 Nonce Report ``[seq][b1 MOS, b0 SOS][receiver EI 16 if SOS]``
* 03 Message Encapsulation ``[seq][b1 encrypted ext, b0 unencrypted ext][unencrypted
  extensions][ciphertext (encrypted extensions + CC)][tag 8]``
* 04..0C the key exchange commands (:mod:`.s2_kex`)
* 0D Commands Supported Get; 0E Commands Supported Report ``[CC list]``

Extension: ``[length incl. header][b7 more to follow, b6 critical, b5..0 type][data]``:
SPAN 01 (sender EI 16, unencrypted), MPAN 02 (group + inner MPAN state 16, encrypted), MGRP 03
(group, unencrypted), MOS 04 (unencrypted, no data). Parsing follows Z-Wave JS
``parseExtensions``: a known type whose length field is wrong is skipped (by its expected
length), an unknown critical one or a length that runs past the frame discards the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Self

from ..cc.base import CCCommand
from ..cc.ids import CommandClass
from ..errors import CCEncodeError
from .codec import command_table, decode_with, encode_cc_list, parse_cc_list, redacted_repr, require
from .crypto import S2_TAG_SIZE
from .s2_kex import (
    S2KEXFail,
    S2KEXGet,
    S2KEXReport,
    S2KEXSet,
    S2NetworkKeyGet,
    S2NetworkKeyReport,
    S2NetworkKeyVerify,
    S2PublicKeyReport,
    S2TransferEnd,
)

CC = CommandClass.SECURITY_2
ENTROPY_INPUT_SIZE = 16
MPAN_STATE_SIZE = 16

NONCE_GET = 0x01
NONCE_REPORT = 0x02
MESSAGE_ENCAPSULATION = 0x03


class S2ExtensionType(IntEnum):
    SPAN = 0x01
    MPAN = 0x02
    MGRP = 0x03
    MOS = 0x04


_EXT_MORE = 0x80
_EXT_CRITICAL = 0x40
_EXT_TYPE = 0x3F
#: total lengths (header included) of the known extensions
_EXPECTED_LENGTH: dict[int, int] = {
    S2ExtensionType.SPAN: 18,
    S2ExtensionType.MPAN: 19,
    S2ExtensionType.MGRP: 3,
    S2ExtensionType.MOS: 2,
}


def _check_byte(value: int, what: str) -> None:
    if not 0 <= value <= 0xFF:
        raise CCEncodeError(f"{what} {value} is not 0..255")


# --- extensions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S2Extension:
    """One S2 extension; build the known ones with :meth:`span`, :meth:`mpan`, :meth:`mgrp`,
    :meth:`mos`. Only MPAN travels encrypted. The MPAN state never shows in the repr."""

    ext_type: int
    data: bytes = b""
    critical: bool = False

    @classmethod
    def span(cls, sender_ei: bytes) -> S2Extension:
        if len(sender_ei) != ENTROPY_INPUT_SIZE:
            raise CCEncodeError(f"the sender EI is {ENTROPY_INPUT_SIZE} bytes")
        return cls(S2ExtensionType.SPAN, bytes(sender_ei), critical=True)

    @classmethod
    def mpan(cls, group_id: int, inner_state: bytes) -> S2Extension:
        _check_byte(group_id, "multicast group")
        if len(inner_state) != MPAN_STATE_SIZE:
            raise CCEncodeError(f"the MPAN state is {MPAN_STATE_SIZE} bytes")
        return cls(S2ExtensionType.MPAN, bytes((group_id,)) + bytes(inner_state), critical=True)

    @classmethod
    def mgrp(cls, group_id: int) -> S2Extension:
        _check_byte(group_id, "multicast group")
        return cls(S2ExtensionType.MGRP, bytes((group_id,)), critical=True)

    @classmethod
    def mos(cls) -> S2Extension:
        return cls(S2ExtensionType.MOS)

    @property
    def encrypted(self) -> bool:
        """True when the extension belongs in the encrypted part (MPAN)."""
        return self.ext_type == S2ExtensionType.MPAN

    @property
    def sender_ei(self) -> bytes | None:
        return self.data if self.ext_type == S2ExtensionType.SPAN else None

    @property
    def group_id(self) -> int | None:
        if self.ext_type in (S2ExtensionType.MPAN, S2ExtensionType.MGRP) and self.data:
            return self.data[0]
        return None

    @property
    def mpan_state(self) -> bytes | None:
        return self.data[1:] if self.ext_type == S2ExtensionType.MPAN else None

    def encode(self, more_to_follow: bool) -> bytes:
        if not 0 <= self.ext_type <= _EXT_TYPE:
            raise CCEncodeError(f"S2 extension type {self.ext_type} is not 0..63")
        if len(self.data) + 2 > 0xFF:
            raise CCEncodeError("S2 extension too long")
        head = (_EXT_MORE if more_to_follow else 0) | (_EXT_CRITICAL if self.critical else 0) | self.ext_type
        return bytes((len(self.data) + 2, head)) + self.data

    def __repr__(self) -> str:
        try:
            name = S2ExtensionType(self.ext_type).name
        except ValueError:
            name = f"0x{self.ext_type:02X}"
        if self.ext_type == S2ExtensionType.MPAN:
            detail = f"group={self.group_id}, state=<redacted>"
        elif self.ext_type == S2ExtensionType.MGRP:
            detail = f"group={self.group_id}"
        elif self.ext_type == S2ExtensionType.SPAN:
            detail = f"sender_ei={self.data.hex()}"
        else:
            detail = f"<{len(self.data)} bytes>"
        return f"S2Extension({name}, {detail})"


def encode_extensions(extensions: tuple[S2Extension, ...] | list[S2Extension]) -> bytes:
    """The extensions back to back, "more to follow" set on all but the last."""
    return b"".join(ext.encode(i < len(extensions) - 1) for i, ext in enumerate(extensions))


def parse_extensions(data: bytes, *, encrypted: bool) -> tuple[tuple[S2Extension, ...], int, bool]:
    """Parse the extensions at the start of ``data``: ``(accepted extensions, bytes read,
    discard the command)``. For the unencrypted part ``data`` still includes the ciphertext
    and tag, so an extension may not reach into the last 8 bytes."""
    extensions: list[S2Extension] = []
    offset = 0
    reserve = 0 if encrypted else S2_TAG_SIZE
    while True:
        if len(data) < offset + 2:
            return tuple(extensions), offset, True
        actual, head = data[offset], data[offset + 1]
        ext_type = head & _EXT_TYPE
        expected = _EXPECTED_LENGTH.get(ext_type)
        length = expected if expected is not None else actual
        if length < 2 or length > len(data) - offset - reserve:
            return tuple(extensions), offset, True
        ext = S2Extension(ext_type, bytes(data[offset + 2 : offset + length]), bool(head & _EXT_CRITICAL))
        offset += length
        if expected is None:
            if ext.critical:  # an unsupported critical extension discards the command
                return tuple(extensions), offset, True
        elif actual == expected and ext.encrypted == encrypted:
            extensions.append(ext)
        # else: wrong length field, or an extension in the wrong part: ignore it
        if not head & _EXT_MORE:
            return tuple(extensions), offset, False


# --- nonces ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S2NonceReport(CCCommand):
    """SOS: the sender has no SPAN with us (or could not decrypt our last frame) and gives its
    receiver EI; MOS: it has no MPAN for the group of our last singlecast follow-up."""

    cc_id = CC
    command_id = NONCE_REPORT
    sequence_number: int
    sos: bool = True
    mos: bool = False
    receiver_ei: bytes | None = None

    def encode_payload(self) -> bytes:
        _check_byte(self.sequence_number, "sequence number")
        if not (self.sos or self.mos):
            raise CCEncodeError("an S2 Nonce Report needs SOS or MOS")
        head = bytes((self.sequence_number, (0x02 if self.mos else 0) | (0x01 if self.sos else 0)))
        if not self.sos:
            return head
        if self.receiver_ei is None or len(self.receiver_ei) != ENTROPY_INPUT_SIZE:
            raise CCEncodeError(f"an SOS Nonce Report carries a {ENTROPY_INPUT_SIZE}-byte receiver EI")
        return head + bytes(self.receiver_ei)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "S2 Nonce Report")
        sos, mos = bool(payload[1] & 0x01), bool(payload[1] & 0x02)
        if sos:
            require(payload, 2 + ENTROPY_INPUT_SIZE, "S2 Nonce Report (SOS)")
            return cls(payload[0], True, mos, bytes(payload[2 : 2 + ENTROPY_INPUT_SIZE]))
        if not mos:
            raise ValueError("neither SOS nor MOS is set")
        return cls(payload[0], False, True)

    def __repr__(self) -> str:
        ei = self.receiver_ei.hex() if self.receiver_ei is not None else None
        return (
            f"S2NonceReport(sequence_number={self.sequence_number}, sos={self.sos}, mos={self.mos}, "
            f"receiver_ei={ei})"
        )


@dataclass(frozen=True, slots=True)
class S2NonceGet(CCCommand):
    cc_id = CC
    command_id = NONCE_GET
    expects = S2NonceReport
    sequence_number: int

    def encode_payload(self) -> bytes:
        _check_byte(self.sequence_number, "sequence number")
        return bytes((self.sequence_number,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "S2 Nonce Get")
        return cls(payload[0])


# --- message encapsulation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S2MessageEncapsulation(CCCommand):
    """The frame layer of an S2 message: sequence number, unencrypted extensions, and the
    ciphertext (encrypted extensions + CC) with its tag. ``malformed_extensions`` is set by the
    decoder when an unencrypted extension says "discard the command" (the receiver still steps
    its nonce state before dropping it). ``received_header`` keeps the bytes as received
    (reserved flag bits, skipped extensions): the AAD must cover exactly those."""

    cc_id = CC
    command_id = MESSAGE_ENCAPSULATION
    sequence_number: int
    extensions: tuple[S2Extension, ...] = ()
    ciphertext: bytes = b""
    tag: bytes = b""
    has_encrypted_extensions: bool = False
    malformed_extensions: bool = field(default=False, compare=False)
    received_header: bytes | None = field(default=None, compare=False)

    @property
    def header(self) -> bytes:
        """``[seq][flags][unencrypted extensions]``: the frame's part of the CCM additional data."""
        if self.received_header is not None:
            return self.received_header
        _check_byte(self.sequence_number, "sequence number")
        flags = (0x02 if self.has_encrypted_extensions else 0) | (0x01 if self.extensions else 0)
        return bytes((self.sequence_number, flags)) + encode_extensions(self.extensions)

    @property
    def message_length(self) -> int:
        """Length of the whole command (0x9F 0x03 to the tag), as the AAD states it."""
        return 2 + len(self.header) + len(self.ciphertext) + len(self.tag)

    def extension(self, ext_type: S2ExtensionType) -> S2Extension | None:
        return next((e for e in self.extensions if e.ext_type == ext_type), None)

    def encode_payload(self) -> bytes:
        if len(self.tag) != S2_TAG_SIZE:
            raise CCEncodeError(f"the S2 tag is {S2_TAG_SIZE} bytes")
        if any(ext.encrypted for ext in self.extensions):
            raise CCEncodeError("an MPAN extension must be encrypted")
        return self.header + bytes(self.ciphertext) + bytes(self.tag)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2 + S2_TAG_SIZE, "S2 Message Encapsulation")
        flags = payload[1]
        extensions: tuple[S2Extension, ...] = ()
        malformed = False
        offset = 2
        if flags & 0x01:
            extensions, read, malformed = parse_extensions(payload[2:], encrypted=False)
            offset += read
        require(payload, offset + S2_TAG_SIZE, "S2 Message Encapsulation")
        return cls(
            sequence_number=payload[0],
            extensions=extensions,
            ciphertext=bytes(payload[offset:-S2_TAG_SIZE]),
            tag=bytes(payload[-S2_TAG_SIZE:]),
            has_encrypted_extensions=bool(flags & 0x02),
            malformed_extensions=malformed,
            received_header=bytes(payload[:offset]),
        )

    def __repr__(self) -> str:
        return redacted_repr(
            "S2MessageEncapsulation",
            sequence_number=self.sequence_number,
            extensions=list(self.extensions),
            ciphertext=f"<{len(self.ciphertext)} bytes>",
        )


# --- commands supported ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S2CommandsSupportedReport(CCCommand):
    cc_id = CC
    command_id = 0x0E
    supported: tuple[int, ...] = ()

    def encode_payload(self) -> bytes:
        return encode_cc_list(self.supported)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        return cls(parse_cc_list(payload)[0])


@dataclass(frozen=True, slots=True)
class S2CommandsSupportedGet(CCCommand):
    cc_id = CC
    command_id = 0x0D
    expects = S2CommandsSupportedReport


_COMMANDS = command_table(
    S2NonceGet,
    S2NonceReport,
    S2MessageEncapsulation,
    S2KEXGet,
    S2KEXReport,
    S2KEXSet,
    S2KEXFail,
    S2PublicKeyReport,
    S2NetworkKeyGet,
    S2NetworkKeyReport,
    S2NetworkKeyVerify,
    S2TransferEnd,
    S2CommandsSupportedGet,
    S2CommandsSupportedReport,
)


def decode_s2_command(data: bytes) -> CCCommand:
    """Decode a Security 2 command (CC byte 0x9F, command, payload); raises only
    :class:`~.errors.SecurityDecodeError`."""
    return decode_with(_COMMANDS, CC, data, "Security 2")
