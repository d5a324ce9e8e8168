"""Sealing and opening one S2 Message Encapsulation (AES-128-CCM), and the decrypted result.

AAD = sender ‖ destination (node ID, or the multicast group) ‖ home ID ‖ length of the whole
command ‖ ``[seq][flags][unencrypted extensions]`` (:func:`~.crypto.s2_auth_data`); the
plaintext is ``[encrypted extensions][CC bytes]``; nonce 13 bytes (SPAN or MPAN), tag 8 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .crypto import (
    S2_TAG_SIZE,
    AuthenticationFailed,
    aes128_ccm_decrypt,
    aes128_ccm_encrypt,
    s2_auth_data,
)
from .errors import SecurityDecodeError
from .keys import SecurityClass
from .s2_codec import (
    CC,
    MESSAGE_ENCAPSULATION,
    S2Extension,
    S2MessageEncapsulation,
    decode_s2_command,
    parse_extensions,
)


@dataclass(frozen=True, slots=True)
class S2Decapsulated:
    """A decrypted S2 frame.

    ``plaintext``: the CC bytes (may be empty: e.g. an MPAN-only frame). ``security_class``:
    the class whose key worked (``TEMPORARY`` while bootstrapping). ``multicast_group``: the
    MGRP group (a multicast, or a singlecast follow-up). ``mpan_out_of_sync``: a follow-up for a
    group we hold no MPAN for: answer with a Nonce Report (MOS). ``mos``: the peer's MOS
    extension: it lacks our MPAN, send it with ``mpan_group``."""

    plaintext: bytes
    security_class: SecurityClass
    sequence_number: int
    multicast: bool = False
    multicast_group: int | None = None
    mpan_out_of_sync: bool = False
    mos: bool = False
    extensions: tuple[S2Extension, ...] = field(default=())

    def __repr__(self) -> str:
        head = self.plaintext[:2].hex(" ")
        return (
            f"S2Decapsulated(<{head}, {len(self.plaintext)} bytes>, {self.security_class.name}, "
            f"seq={self.sequence_number}, multicast={self.multicast}, group={self.multicast_group}, "
            f"mpan_out_of_sync={self.mpan_out_of_sync}, mos={self.mos})"
        )


def parse_encapsulation(frame: bytes | S2MessageEncapsulation) -> S2MessageEncapsulation:
    """The decoded Message Encapsulation (bytes from 0x9F), or :class:`SecurityDecodeError`."""
    if isinstance(frame, S2MessageEncapsulation):
        return frame
    command = decode_s2_command(frame)
    if not isinstance(command, S2MessageEncapsulation):
        raise SecurityDecodeError("not an S2 Message Encapsulation", CC, bytes(frame)[1])
    return command


def seal_frame(
    frame: S2MessageEncapsulation,
    plaintext: bytes,
    *,
    ccm_key: bytes,
    nonce: bytes,
    sender: int,
    destination: int,
    home_id: int,
) -> bytes:
    """The whole command (from 0x9F): ``frame``'s header, then ``plaintext`` (encrypted
    extensions + CC bytes) encrypted, then the tag."""
    header = frame.header
    length = 2 + len(header) + len(plaintext) + S2_TAG_SIZE
    aad = s2_auth_data(sender, destination, home_id, length, header)
    ciphertext, tag = aes128_ccm_encrypt(ccm_key, nonce, bytes(plaintext), aad)
    return bytes((CC, MESSAGE_ENCAPSULATION)) + header + ciphertext + tag


def frame_aad(frame: S2MessageEncapsulation, sender: int, destination: int, home_id: int) -> bytes:
    return s2_auth_data(sender, destination, home_id, frame.message_length, frame.header)


def open_frame(frame: S2MessageEncapsulation, ccm_key: bytes, nonce: bytes, aad: bytes) -> bytes | None:
    """The plaintext, or ``None`` when the tag does not verify."""
    try:
        return aes128_ccm_decrypt(ccm_key, nonce, frame.ciphertext, aad, frame.tag)
    except AuthenticationFailed:
        return None


def split_encrypted_extensions(
    frame: S2MessageEncapsulation, plaintext: bytes
) -> tuple[tuple[S2Extension, ...], bytes]:
    """``(encrypted extensions, CC bytes)`` of a decrypted frame."""
    if not frame.has_encrypted_extensions:
        return (), plaintext
    extensions, offset, discard = parse_extensions(plaintext, encrypted=True)
    if discard:
        raise SecurityDecodeError("S2 frame with an invalid encrypted extension", CC, MESSAGE_ENCAPSULATION)
    return extensions, plaintext[offset:]
