"""Security S0 session logic: nonce tables, encapsulation, two-frame sequencing. No I/O.

Flow to send ``payload`` to node B (protocol-facts.md §5.1): Nonce Get → B's Nonce Report
(store it with :meth:`S0NonceTable.store_received`) → :func:`encapsulate` with that receiver
nonce. A payload longer than :data:`MAX_SEGMENT` (26 CC bytes, Silicon Labs' S0 layer) goes in
two sequenced frames (:func:`split_payload`): the first is sent as Message Encapsulation Nonce
Get (0xC1) so B answers with the nonce for the second.

Receiving: we hand out nonces with :meth:`S0NonceTable.generate` (in a Nonce Report);
:func:`decapsulate` looks the frame's receiver nonce ID up, consumes it (one use; all other
nonces issued to that node are dropped too, as Z-Wave JS and the Silicon Labs layer do),
checks the MAC and decrypts. :class:`S0Reassembler` joins sequenced halves.

Nonces live :data:`NONCE_LIFETIME` = 10 s (Silicon Labs' ``NONCE_TIMEOUT``; the spec allows
3..20 s, Z-Wave JS defaults to 5 s). Time comes from an injectable clock (seconds, monotonic).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from ..errors import CCEncodeError
from .codec import Clock, RandomBytes
from .crypto import (
    S0_NONCE_SIZE,
    S0Keys,
    s0_compute_mac,
    s0_decrypt,
    s0_encrypt,
    s0_verify_mac,
)
from .errors import DecryptionFailed, NonceNotFound, NonceRequired, S0SequenceError, SecurityDecodeError
from .keys import NetworkKeys
from .s0_codec import (
    CC,
    MESSAGE_ENCAPSULATION,
    MESSAGE_ENCAPSULATION_NONCE_GET,
    SEQUENCE_COUNTER_MASK,
    SEQUENCE_SECOND_FRAME,
    SEQUENCE_SEQUENCED,
    S0MessageEncapsulation,
    S0MessageEncapsulationNonceGet,
    S0NonceReport,
    decode_s0_command,
    encode_sequence_info,
)

NONCE_LIFETIME = 10.0
MIN_NONCE_LIFETIME = 3.0
MAX_NONCE_LIFETIME = 20.0
#: CC bytes per encapsulated frame before the message is split in two.
MAX_SEGMENT = 26
#: A split message carries at most two frames.
MAX_PAYLOAD = 2 * MAX_SEGMENT
#: How long the first half of a split message waits for its second half.
REASSEMBLY_TIMEOUT = 10.0
#: Own nonces kept at most (the oldest is dropped first); the Silicon Labs table holds 15.
MAX_OWN_NONCES = 32

S0KeyInput = S0Keys | NetworkKeys


def _s0_keys(keys: S0KeyInput) -> S0Keys:
    return keys.s0_keys() if isinstance(keys, NetworkKeys) else keys


# --- nonce table ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Nonce:
    nonce: bytes
    peer: int
    expires: float


class S0NonceTable:
    """Our nonces handed out to peers (by nonce ID, unique among the live ones) and the nonces
    peers handed to us (per peer). Every nonce is used once and expires after ``lifetime``."""

    def __init__(
        self,
        lifetime: float = NONCE_LIFETIME,
        *,
        clock: Clock = time.monotonic,
        random_bytes: RandomBytes = os.urandom,
    ) -> None:
        if not MIN_NONCE_LIFETIME <= lifetime <= MAX_NONCE_LIFETIME:
            raise ValueError(
                f"the S0 nonce lifetime must be {MIN_NONCE_LIFETIME:g}..{MAX_NONCE_LIFETIME:g} s"
            )
        self.lifetime = lifetime
        self._clock = clock
        self._random = random_bytes
        self._own: dict[int, _Nonce] = {}  # nonce ID -> our nonce
        self._received: dict[int, list[_Nonce]] = {}  # peer -> its nonces for us, oldest first

    def __repr__(self) -> str:
        self._purge()
        received = sum(len(v) for v in self._received.values())
        return f"S0NonceTable(own={len(self._own)}, received={received}, lifetime={self.lifetime:g})"

    def _purge(self) -> None:
        now = self._clock()
        for nonce_id in [i for i, n in self._own.items() if n.expires <= now]:
            del self._own[nonce_id]
        for peer in list(self._received):
            live = [n for n in self._received[peer] if n.expires > now]
            if live:
                self._received[peer] = live
            else:
                del self._received[peer]

    # our nonces

    def generate(self, peer: int) -> bytes:
        """A fresh nonce for ``peer`` (to send in a Nonce Report); its first byte (the nonce
        ID) differs from every other live nonce of ours."""
        self._purge()
        if len(self._own) >= MAX_OWN_NONCES:
            oldest = min(self._own, key=lambda i: self._own[i].expires)
            del self._own[oldest]
        while True:
            nonce = bytes(self._random(S0_NONCE_SIZE))
            if len(nonce) != S0_NONCE_SIZE:
                raise ValueError("the random source returned the wrong number of bytes")
            if nonce[0] not in self._own:
                break
        self._own[nonce[0]] = _Nonce(nonce, peer, self._clock() + self.lifetime)
        return nonce

    def nonce_report(self, peer: int) -> S0NonceReport:
        """The Nonce Report answering ``peer``'s Nonce Get (with a freshly generated nonce)."""
        return S0NonceReport(self.generate(peer))

    def consume_own(self, peer: int, nonce_id: int) -> bytes:
        """Our nonce ``nonce_id`` that ``peer`` used; it and all other nonces we issued to
        ``peer`` are gone afterwards. Raises :class:`NonceNotFound` when it is unknown,
        expired, already used or was issued to another node."""
        self._purge()
        entry = self._own.get(nonce_id)
        if entry is None or entry.peer != peer:
            raise NonceNotFound(
                f"S0 nonce 0x{nonce_id:02X} from node {peer} is unknown, expired or already used", peer
            )
        self.forget_own(peer)
        return entry.nonce

    def forget_own(self, peer: int) -> None:
        """Drop every nonce we issued to ``peer``."""
        for nonce_id in [i for i, n in self._own.items() if n.peer == peer]:
            del self._own[nonce_id]

    def own_count(self, peer: int | None = None) -> int:
        """Live nonces of ours (for ``peer``, or all)."""
        self._purge()
        return sum(1 for n in self._own.values() if peer is None or n.peer == peer)

    # peers' nonces

    def store_received(self, peer: int, nonce: bytes) -> None:
        """Remember a nonce ``peer`` sent us in a Nonce Report."""
        nonce = bytes(nonce)
        if len(nonce) != S0_NONCE_SIZE:
            raise ValueError(f"an S0 nonce is {S0_NONCE_SIZE} bytes")
        self._purge()
        self._received.setdefault(peer, []).append(_Nonce(nonce, peer, self._clock() + self.lifetime))

    def has_received(self, peer: int) -> bool:
        self._purge()
        return bool(self._received.get(peer))

    def take_received(self, peer: int) -> bytes:
        """The newest live nonce from ``peer``, used up (with all older ones: the peer drops
        the rest once one is used). Raises :class:`NonceRequired` when there is none."""
        self._purge()
        nonces = self._received.pop(peer, None)
        if not nonces:
            raise NonceRequired(f"no S0 nonce from node {peer}: send a Nonce Get first", peer)
        return nonces[-1].nonce

    def forget(self, peer: int) -> None:
        """Drop all nonces for and from ``peer`` (e.g. after a failed transmission)."""
        self.forget_own(peer)
        self._received.pop(peer, None)


# --- frames -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S0Segment:
    """One frame's share of a message: the CC bytes and the sequence info byte. Send it as
    0xC1 (Encapsulation Nonce Get) when :attr:`request_nonce` is set."""

    data: bytes
    sequence_info: int = 0
    request_nonce: bool = False

    def __repr__(self) -> str:
        return (
            f"S0Segment(<{len(self.data)} bytes>, sequence_info=0x{self.sequence_info:02X}, "
            f"request_nonce={self.request_nonce})"
        )


def split_payload(payload: bytes, sequence_counter: int = 0) -> tuple[S0Segment, ...]:
    """One segment for up to :data:`MAX_SEGMENT` bytes, else two sequenced ones (the first
    asks for the next nonce). ``sequence_counter`` (0..15) tells the halves of one message
    apart from another's."""
    payload = bytes(payload)
    if not payload:
        raise CCEncodeError("nothing to encapsulate")
    if len(payload) <= MAX_SEGMENT:
        return (S0Segment(payload),)
    if len(payload) > MAX_PAYLOAD:
        raise CCEncodeError(f"an S0 message carries at most {MAX_PAYLOAD} bytes, got {len(payload)}")
    counter = sequence_counter & SEQUENCE_COUNTER_MASK
    return (
        S0Segment(payload[:MAX_SEGMENT], encode_sequence_info(True, False, counter), request_nonce=True),
        S0Segment(payload[MAX_SEGMENT:], encode_sequence_info(True, True, counter)),
    )


def encapsulate(
    keys: S0KeyInput,
    own_node_id: int,
    peer_node_id: int,
    receiver_nonce: bytes,
    plaintext: bytes,
    sender_nonce: bytes | None = None,
    *,
    sequence_info: int = 0,
    request_nonce: bool = False,
    random_bytes: RandomBytes = os.urandom,
) -> bytes:
    """The Message Encapsulation command (0x98 0x81, or 0xC1 with ``request_nonce``) carrying
    ``plaintext`` (CC bytes) from us to ``peer_node_id``, encrypted with the peer's
    ``receiver_nonce`` and our ``sender_nonce`` (random when omitted)."""
    s0 = _s0_keys(keys)
    plaintext = bytes(plaintext)
    if not plaintext:
        raise CCEncodeError("nothing to encapsulate")
    if len(receiver_nonce) != S0_NONCE_SIZE:
        raise CCEncodeError(f"the receiver nonce must be {S0_NONCE_SIZE} bytes")
    sender = bytes(random_bytes(S0_NONCE_SIZE) if sender_nonce is None else sender_nonce)
    if len(sender) != S0_NONCE_SIZE:
        raise CCEncodeError(f"the sender nonce must be {S0_NONCE_SIZE} bytes")
    if len(plaintext) + 1 > 0xFF:
        raise CCEncodeError("the S0 plaintext is too long")
    command = MESSAGE_ENCAPSULATION_NONCE_GET if request_nonce else MESSAGE_ENCAPSULATION
    ciphertext = s0_encrypt(s0.enc_key, sender, receiver_nonce, bytes((sequence_info,)) + plaintext)
    mac = s0_compute_mac(s0.auth_key, sender, receiver_nonce, command, own_node_id, peer_node_id, ciphertext)
    cls = S0MessageEncapsulationNonceGet if request_nonce else S0MessageEncapsulation
    return cls(sender, ciphertext, receiver_nonce[0], mac).to_bytes()


@dataclass(frozen=True, slots=True)
class S0Decrypted:
    """A decrypted S0 frame: its CC bytes (one whole command, or half of a split one) and its
    sequence info. ``request_nonce``: the sender asked for a new nonce (0xC1)."""

    payload: bytes
    sequence_info: int = 0
    request_nonce: bool = False

    @property
    def sequenced(self) -> bool:
        return bool(self.sequence_info & SEQUENCE_SEQUENCED)

    @property
    def second_frame(self) -> bool:
        return bool(self.sequence_info & SEQUENCE_SECOND_FRAME)

    @property
    def sequence_counter(self) -> int:
        return self.sequence_info & SEQUENCE_COUNTER_MASK

    def __repr__(self) -> str:
        return (
            f"S0Decrypted(<{len(self.payload)} bytes>, sequence_info=0x{self.sequence_info:02X}, "
            f"request_nonce={self.request_nonce})"
        )


def _parse_frame(frame: bytes | S0MessageEncapsulation) -> S0MessageEncapsulation:
    if isinstance(frame, S0MessageEncapsulation):
        return frame
    command = decode_s0_command(frame)
    if not isinstance(command, S0MessageEncapsulation):
        raise SecurityDecodeError("not an S0 Message Encapsulation", CC, bytes(frame)[1])
    return command


def decapsulate(
    keys: S0KeyInput,
    own_node_id: int,
    peer_node_id: int,
    frame: bytes | S0MessageEncapsulation,
    nonce_table: S0NonceTable,
) -> S0Decrypted:
    """Verify and decrypt a Message Encapsulation (bytes from 0x98, or the decoded command)
    that ``peer_node_id`` sent us. Our nonce is consumed before the MAC is checked (a replay
    never gets a second try). Raises :class:`SecurityDecodeError`, :class:`NonceNotFound` or
    :class:`DecryptionFailed`."""
    s0 = _s0_keys(keys)
    command = _parse_frame(frame)
    receiver_nonce = nonce_table.consume_own(peer_node_id, command.receiver_nonce_id)
    if not s0_verify_mac(
        s0.auth_key,
        command.sender_nonce,
        receiver_nonce,
        command.command_id,
        peer_node_id,
        own_node_id,
        command.ciphertext,
        command.mac,
    ):
        raise DecryptionFailed(f"S0 MAC from node {peer_node_id} does not verify", peer_node_id)
    plaintext = s0_decrypt(s0.enc_key, command.sender_nonce, receiver_nonce, command.ciphertext)
    return S0Decrypted(plaintext[1:], plaintext[0], command.request_nonce)


# --- reassembly ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Pending:
    counter: int
    data: bytes
    expires: float


class S0Reassembler:
    """Joins the two halves of sequenced S0 messages, per sending node."""

    def __init__(self, timeout: float = REASSEMBLY_TIMEOUT, *, clock: Clock = time.monotonic) -> None:
        self.timeout = timeout
        self._clock = clock
        self._pending: dict[int, _Pending] = {}

    def __repr__(self) -> str:
        return f"S0Reassembler(pending={len(self._pending)})"

    def add(self, peer: int, frame: S0Decrypted) -> bytes | None:
        """The whole message once complete, ``None`` while waiting for the second half.
        Raises :class:`S0SequenceError` for a second half without its first."""
        if not frame.sequenced:
            self._pending.pop(peer, None)
            return frame.payload
        if not frame.second_frame:
            self._pending[peer] = _Pending(
                frame.sequence_counter, frame.payload, self._clock() + self.timeout
            )
            return None
        first = self._pending.pop(peer, None)
        if first is None or first.expires <= self._clock() or first.counter != frame.sequence_counter:
            raise S0SequenceError(
                f"S0 second frame (sequence {frame.sequence_counter}) from node {peer} without its first frame",
                peer,
            )
        return first.data + frame.payload

    def forget(self, peer: int) -> None:
        self._pending.pop(peer, None)


# --- one node's S0 state ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S0Received:
    """What :meth:`S0Session.decapsulate` got: the whole message (``None`` while the first half
    of a split one waits for the second), and whether the sender asked for a new nonce (0xC1:
    answer with :meth:`S0Session.nonce_report`)."""

    message: bytes | None
    request_nonce: bool = False

    def __repr__(self) -> str:
        size = "None" if self.message is None else f"<{len(self.message)} bytes>"
        return f"S0Received({size}, request_nonce={self.request_nonce})"


class S0Session:
    """Our S0 side towards every peer: keys, nonce table, reassembly and the sequence counter.

    Sending: :meth:`segments` (one or two), then per segment, once the peer's nonce arrived
    (:meth:`receive_nonce_report`), :meth:`encapsulate_segment`. Receiving: answer Nonce Gets
    (and 0xC1 frames) with :meth:`nonce_report`; :meth:`decapsulate` returns the whole message
    (:class:`S0Received`)."""

    def __init__(
        self,
        keys: S0KeyInput,
        own_node_id: int,
        *,
        nonce_lifetime: float = NONCE_LIFETIME,
        clock: Clock = time.monotonic,
        random_bytes: RandomBytes = os.urandom,
    ) -> None:
        self.keys = keys
        self.own_node_id = own_node_id
        self._random = random_bytes
        self.nonces = S0NonceTable(nonce_lifetime, clock=clock, random_bytes=random_bytes)
        self.reassembler = S0Reassembler(clock=clock)
        self._counter = random_bytes(1)[0] & SEQUENCE_COUNTER_MASK

    def __repr__(self) -> str:
        return f"S0Session(own_node_id={self.own_node_id}, {self.nonces!r})"

    def nonce_report(self, peer: int) -> S0NonceReport:
        return self.nonces.nonce_report(peer)

    def receive_nonce_report(self, peer: int, report: S0NonceReport) -> None:
        self.nonces.store_received(peer, report.nonce)

    def segments(self, payload: bytes) -> tuple[S0Segment, ...]:
        """Split ``payload`` (CC bytes); a split message gets the next sequence counter."""
        parts = split_payload(payload, self._counter)
        if len(parts) > 1:
            self._counter = (self._counter + 1) & SEQUENCE_COUNTER_MASK
        return parts

    def encapsulate_segment(self, peer: int, segment: S0Segment) -> bytes:
        """Encrypt ``segment`` with the peer's nonce (used up); :class:`NonceRequired` when
        there is none."""
        receiver_nonce = self.nonces.take_received(peer)
        return encapsulate(
            self.keys,
            self.own_node_id,
            peer,
            receiver_nonce,
            segment.data,
            sequence_info=segment.sequence_info,
            request_nonce=segment.request_nonce,
            random_bytes=self._random,
        )

    def decapsulate(self, peer: int, frame: bytes | S0MessageEncapsulation) -> S0Received:
        """Decrypt (see :func:`decapsulate` for the errors) and reassemble."""
        decrypted = decapsulate(self.keys, self.own_node_id, peer, frame, self.nonces)
        return S0Received(self.reassembler.add(peer, decrypted), decrypted.request_nonce)

    def forget(self, peer: int) -> None:
        self.nonces.forget(peer)
        self.reassembler.forget(peer)


__all__ = [
    "MAX_PAYLOAD",
    "MAX_SEGMENT",
    "NONCE_LIFETIME",
    "S0Decrypted",
    "S0NonceTable",
    "S0Reassembler",
    "S0Received",
    "S0Segment",
    "S0Session",
    "decapsulate",
    "encapsulate",
    "split_payload",
]
