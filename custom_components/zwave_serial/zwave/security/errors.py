"""Typed errors of the S0/S2 session logic.

Every message names node IDs, sequence numbers, nonce IDs, group IDs or security classes, never
key material, nonces, entropy inputs, MPAN states or plaintext. What the messaging layer does
with each:

* :class:`SecurityDecodeError`: malformed Security / Security 2 bytes: drop (log).
* :class:`DuplicateFrame`: an S2 frame with the sequence number just seen: drop silently.
* :class:`DecryptionFailed` (S0 MAC / S2 tag did not verify) and its subclasses:
  - :class:`NonceNotFound` (S0: our nonce ID is unknown, expired, used, or for another node);
  - :class:`NoSpan` (S2: no SPAN with the sender yet);
  - :class:`MpanOutOfSync` (S2 multicast that could not be decrypted).
  For a singlecast S2 failure the caller answers with a Nonce Report (SOS); for S0 it drops.
* :class:`NonceRequired`: cannot encrypt yet, ask the peer for a nonce first (S0/S2 Nonce Get).
* :class:`MissingKey`: no key for the security class (or no temporary key for that peer).
* :class:`S0SequenceError`: the second half of a split S0 message without its first half.
"""

from __future__ import annotations

from ..errors import CCDecodeError, ZWaveError


class SecurityError(ZWaveError):
    """Base class of the S0/S2 session errors. ``node_id`` is the peer, when known."""

    def __init__(self, message: str, node_id: int | None = None) -> None:
        super().__init__(message)
        self.node_id = node_id


class SecurityDecodeError(CCDecodeError, SecurityError):
    """Security (0x98) or Security 2 (0x9F) bytes that do not parse."""

    def __init__(self, message: str, cc_id: int | None = None, command: int | None = None) -> None:
        CCDecodeError.__init__(self, message, cc_id, command)
        self.node_id = None


class DecryptionFailed(SecurityError):
    """The MAC (S0) or CCM tag (S2) did not verify, or there was nothing to decrypt with."""


class NonceNotFound(DecryptionFailed):
    """S0: the receiver nonce ID of a frame is not one of our live nonces for that node."""


class NoSpan(DecryptionFailed):
    """S2: no SPAN (singlecast nonce state) exists with the sender, or its SPAN extension is
    missing: the caller answers with a Nonce Report (SOS)."""


class MpanOutOfSync(DecryptionFailed):
    """S2: a multicast frame could not be decrypted (no MPAN for the group, or none of the next
    MPANs worked). The group is marked out of sync; the singlecast follow-up gets an MOS answer."""

    def __init__(self, message: str, node_id: int | None = None, group_id: int | None = None) -> None:
        super().__init__(message, node_id)
        self.group_id = group_id


class DuplicateFrame(SecurityError):
    """S2: the frame repeats the sender's last sequence number (a retransmission): drop it."""

    def __init__(self, message: str, node_id: int | None = None, sequence_number: int | None = None) -> None:
        super().__init__(message, node_id)
        self.sequence_number = sequence_number


class NonceRequired(SecurityError):
    """Cannot encrypt for this node yet: no S0 nonce from it, or (S2) no SPAN and no receiver
    entropy input, or the SPAN is for another security class. Send a Nonce Get first."""


class MissingKey(SecurityError):
    """No network key is set for the security class (or no temporary key for that node)."""


class S0SequenceError(SecurityError):
    """S0: a second frame whose first frame is missing, expired or has another sequence counter."""
