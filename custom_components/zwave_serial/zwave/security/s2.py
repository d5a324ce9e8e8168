"""Security S2 session logic: SPAN/MPAN tables, sequence numbers, resync. No I/O.

One :class:`S2SecurityManager` per own node ID and home ID (a Long Range node gets its own,
as in Z-Wave JS). It follows Z-Wave JS (``SecurityManager2``, ``Security2CCMessageEncapsulation``):

* SPAN per peer: ``NONE`` → ``LOCAL_EI`` (we sent our receiver EI in a Nonce Report) or
  ``REMOTE_EI`` (the peer's Nonce Report gave us its EI) → ``SPAN`` (a CTR_DRBG seeded from
  CKDF-MEI(sender EI, receiver EI) and the class's personalization string; both directions draw
  their nonces from it in order).
* Sending in ``REMOTE_EI``: a new sender EI goes in a SPAN extension, after the sequence number
  is taken. ``NONE``/``LOCAL_EI`` (or a SPAN of another class): :class:`NonceRequired`.
* Receiving: duplicate sequence numbers are dropped (:class:`DuplicateFrame`; Nonce Get/Report
  share the per-peer counter); in ``LOCAL_EI`` the SPAN extension is mixed with our EI and each
  candidate class (the temporary key first while bootstrapping) is tried; in ``SPAN`` the nonce
  we just used for sending is accepted for 500 ms for a frame that crossed ours, then up to five
  successive nonces are tried. Any failure is :class:`DecryptionFailed`/:class:`NoSpan`: answer
  with :meth:`S2SecurityManager.generate_nonce_report` (SOS).
* Multicast: MPAN per (peer, group) for receiving, one inner state per own group for sending;
  :func:`~.crypto.mpan_nonce` then increment. MGRP marks multicasts and singlecast follow-ups.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from ..errors import CCEncodeError
from .codec import Clock, RandomBytes
from .crypto import (
    CtrDrbg,
    S2Keys,
    next_span_nonce,
    span_drbg,
)
from .errors import (
    DecryptionFailed,
    DuplicateFrame,
    MissingKey,
    MpanOutOfSync,
    NonceRequired,
    NoSpan,
    SecurityDecodeError,
    SecurityError,
)
from .keys import SECURITY_CLASS_ORDER, NetworkKeys, SecurityClass
from .s2_codec import (
    CC,
    ENTROPY_INPUT_SIZE,
    MESSAGE_ENCAPSULATION,
    S2Extension,
    S2ExtensionType,
    S2MessageEncapsulation,
    S2NonceGet,
    S2NonceReport,
    encode_extensions,
)
from .s2_frames import (
    S2Decapsulated,
    frame_aad,
    open_frame,
    parse_encapsulation,
    seal_frame,
    split_encrypted_extensions,
)
from .s2_mpan import MpanState, MpanTables, open_multicast, seal_multicast

#: How long the nonce of our last sent frame decrypts a frame that crossed it (Z-Wave JS).
IN_FLIGHT_NONCE_LIFETIME = 0.5
MAX_DECRYPT_ATTEMPTS_SINGLECAST = 5
MAX_DECRYPT_ATTEMPTS_FOLLOW_UP = 1


class SpanState(IntEnum):
    NONE = 0
    REMOTE_EI = 1
    LOCAL_EI = 2
    SPAN = 3


@dataclass(slots=True)
class _Span:
    state: SpanState
    ei: bytes | None = None  # receiver EI: ours (LOCAL_EI) or the peer's (REMOTE_EI)
    security_class: SecurityClass | None = None
    drbg: CtrDrbg | None = None
    sent_nonce: bytes | None = None
    sent_expires: float = 0.0


class S2SecurityManager:
    """S2 state of one node (``own_node_id`` in ``home_id``) towards every peer."""

    def __init__(
        self,
        keys: NetworkKeys,
        own_node_id: int,
        home_id: int,
        *,
        random_bytes: RandomBytes = os.urandom,
        clock: Clock = time.monotonic,
        accept_in_flight: bool = True,
    ) -> None:
        self.keys = keys
        self.own_node_id = own_node_id
        self.home_id = home_id
        self.accept_in_flight = accept_in_flight
        self._random = random_bytes
        self._clock = clock
        self._spans: dict[int, _Span] = {}
        self._temp_keys: dict[int, S2Keys] = {}
        self._own_seq: dict[int, int] = {}
        self._peer_seq: dict[int, int] = {}
        self._last_class: dict[int, SecurityClass] = {}  # of the last permanent-key SPAN
        self.mpans = MpanTables(random_bytes)

    def __repr__(self) -> str:
        return (
            f"S2SecurityManager(own_node_id={self.own_node_id}, home_id=0x{self.home_id:08X}, "
            f"spans={sum(s.state == SpanState.SPAN for s in self._spans.values())}, groups={self.mpans.group_count})"
        )

    # --- keys -------------------------------------------------------------------------------

    def set_temporary_keys(self, peer: int, keys: S2Keys) -> None:
        """Keys from the KEX/ECDH exchange (:func:`~.crypto.derive_temp_keys`) for bootstrapping
        ``peer``; the SPAN with it is reset."""
        self._temp_keys[peer] = keys
        self.reset_peer(peer)

    def clear_temporary_keys(self, peer: int) -> None:
        self._temp_keys.pop(peer, None)
        self.reset_peer(peer)

    def has_temporary_keys(self, peer: int) -> bool:
        return peer in self._temp_keys

    def _keys(self, peer: int, security_class: SecurityClass) -> S2Keys:
        if security_class == SecurityClass.TEMPORARY:
            keys = self._temp_keys.get(peer)
            if keys is None:
                raise MissingKey(f"no temporary key for node {peer}", peer)
            return keys
        if not security_class.is_s2 or not self.keys.has(security_class):
            raise MissingKey(f"no S2 network key for {security_class.name}", peer)
        return self.keys.s2_keys(security_class)

    def _candidates(self, peer: int, classes: Iterable[SecurityClass] | None) -> list[SecurityClass]:
        wanted = SECURITY_CLASS_ORDER if classes is None else tuple(classes)
        out = [SecurityClass.TEMPORARY] if peer in self._temp_keys else []
        out += [c for c in wanted if c.is_s2 and self.keys.has(c) and c not in out]
        return out

    # --- state ------------------------------------------------------------------------------

    def span_state(self, peer: int) -> SpanState:
        span = self._spans.get(peer)
        return span.state if span else SpanState.NONE

    def span_security_class(self, peer: int) -> SecurityClass | None:
        """The class of the established SPAN with ``peer`` (the last one that worked)."""
        span = self._spans.get(peer)
        return span.security_class if span and span.state == SpanState.SPAN else None

    def mpan_state(self, peer: int, group_id: int) -> MpanState:
        return self.mpans.peer_state(peer, group_id)

    def reset_peer(self, peer: int) -> None:
        """Forget the SPAN and the last received sequence number of ``peer`` (our own
        sequence number is kept), e.g. after its re-inclusion or a failed Nonce Report."""
        self._spans.pop(peer, None)
        self._peer_seq.pop(peer, None)

    # --- sequence numbers -----------------------------------------------------------------------

    def next_sequence_number(self, peer: int) -> int:
        """Our next sequence number towards ``peer`` (random start, then +1 mod 256)."""
        seq = self._own_seq.get(peer)
        seq = self._random(1)[0] if seq is None else (seq + 1) & 0xFF
        self._own_seq[peer] = seq
        return seq

    def _accept_sequence(self, peer: int, seq: int) -> int | None:
        """Reject a repeat of the last sequence number; store it; return the previous one."""
        previous = self._peer_seq.get(peer)
        if previous == seq:
            raise DuplicateFrame(f"duplicate S2 frame from node {peer} (sequence {seq})", peer, seq)
        self._peer_seq[peer] = seq
        return previous

    # --- nonce exchange ---------------------------------------------------------------------------

    def nonce_get(self, peer: int) -> S2NonceGet:
        return S2NonceGet(self.next_sequence_number(peer))

    def generate_nonce_report(self, peer: int, sos: bool = True, mos: bool = False) -> S2NonceReport:
        """Our Nonce Report for ``peer``: with SOS a fresh receiver EI (kept, state
        ``LOCAL_EI``) replaces any SPAN; MOS alone reports a missing MPAN."""
        if not (sos or mos):
            raise ValueError("a Nonce Report needs SOS or MOS")
        seq = self.next_sequence_number(peer)
        if not sos:
            return S2NonceReport(seq, sos=False, mos=True)
        ei = bytes(self._random(ENTROPY_INPUT_SIZE))
        if len(ei) != ENTROPY_INPUT_SIZE:
            raise ValueError("the random source returned the wrong number of bytes")
        self._spans[peer] = _Span(SpanState.LOCAL_EI, ei=ei)
        return S2NonceReport(seq, sos=True, mos=mos, receiver_ei=ei)

    def receive_nonce_get(self, peer: int, command: S2NonceGet) -> S2NonceReport:
        """``peer`` asked for a nonce: the SOS Nonce Report to send back."""
        self._accept_sequence(peer, command.sequence_number)
        return self.generate_nonce_report(peer)

    def receive_nonce_report(self, peer: int, report: S2NonceReport) -> None:
        """Take ``peer``'s receiver EI (SOS): the next frame to it carries a SPAN extension.
        (MOS is for the caller: resend the MPAN of the group it used.)"""
        self._accept_sequence(peer, report.sequence_number)
        if report.sos and report.receiver_ei is not None:
            self.store_remote_ei(peer, report.receiver_ei)

    def store_remote_ei(self, peer: int, receiver_ei: bytes) -> None:
        if len(receiver_ei) != ENTROPY_INPUT_SIZE:
            raise ValueError(f"an entropy input is {ENTROPY_INPUT_SIZE} bytes")
        self._spans[peer] = _Span(SpanState.REMOTE_EI, ei=bytes(receiver_ei))

    def _init_span(
        self, peer: int, security_class: SecurityClass, sender_ei: bytes, receiver_ei: bytes
    ) -> _Span:
        keys = self._keys(peer, security_class)
        span = _Span(SpanState.SPAN, security_class=security_class)
        span.drbg = span_drbg(sender_ei, receiver_ei, keys.personalization)
        self._spans[peer] = span
        if security_class != SecurityClass.TEMPORARY:
            self._last_class[peer] = security_class
        return span

    def next_nonce(self, peer: int, *, remember: bool = False) -> bytes:
        """The next 13-byte SPAN nonce shared with ``peer`` (``remember``: keep it to decrypt a
        frame that crosses ours). :class:`NonceRequired` without a SPAN."""
        span = self._spans.get(peer)
        if span is None or span.state != SpanState.SPAN or span.drbg is None:
            raise NonceRequired(f"no SPAN with node {peer}: send a Nonce Get first", peer)
        nonce = next_span_nonce(span.drbg)
        span.sent_nonce = nonce if remember else None
        span.sent_expires = self._clock() + IN_FLIGHT_NONCE_LIFETIME
        return nonce

    # --- singlecast -------------------------------------------------------------------------------

    def encapsulate(
        self,
        peer: int,
        plaintext: bytes,
        security_class: SecurityClass | None = None,
        *,
        multicast_group: int | None = None,
        mpan_group: int | None = None,
        mos: bool = False,
    ) -> bytes:
        """The Message Encapsulation command (bytes from 0x9F) carrying ``plaintext`` (CC bytes,
        may be empty when an extension is the message) to ``peer``.

        ``security_class``: to establish a SPAN from the peer's EI it defaults to ``TEMPORARY``
        while we hold a temporary key for the peer, else to the class of the last SPAN with it
        (none: :class:`SecurityError`); with an established SPAN it must match the SPAN's class. ``multicast_group``: this is a follow-up of that multicast
        (MGRP). ``mpan_group``: send our MPAN state of that group (encrypted MPAN extension).
        ``mos``: tell the peer we lack its MPAN (MOS extension)."""
        if multicast_group is not None and mpan_group is not None:
            raise CCEncodeError("MGRP and MPAN extensions are not sent together")
        span = self._spans.get(peer)
        state = span.state if span else SpanState.NONE
        if span is None or state in (SpanState.NONE, SpanState.LOCAL_EI):
            raise NonceRequired(f"no SPAN and no receiver EI for node {peer}: send a Nonce Get first", peer)
        if state == SpanState.SPAN and security_class not in (None, span.security_class):
            raise NonceRequired(f"the SPAN with node {peer} is for another security class", peer)
        if state == SpanState.REMOTE_EI:
            if security_class is None:
                if peer in self._temp_keys:
                    security_class = SecurityClass.TEMPORARY
                elif peer in self._last_class:
                    security_class = self._last_class[peer]
                else:
                    raise SecurityError(f"no security class given to start a SPAN with node {peer}", peer)
            self._keys(peer, security_class)  # fail before spending anything
        unencrypted: list[S2Extension] = []
        if mos:
            unencrypted.append(S2Extension.mos())
        if multicast_group is not None:
            unencrypted.append(S2Extension.mgrp(multicast_group))
        encrypted = (
            [S2Extension.mpan(mpan_group, self.mpans.group_state(mpan_group))]
            if mpan_group is not None
            else []
        )
        if not plaintext and not unencrypted and not encrypted:
            raise CCEncodeError("nothing to encapsulate")

        seq = self.next_sequence_number(peer)
        if state == SpanState.REMOTE_EI:
            assert span.ei is not None and security_class is not None
            sender_ei = bytes(self._random(ENTROPY_INPUT_SIZE))
            span = self._init_span(peer, security_class, sender_ei, span.ei)
            unencrypted.append(S2Extension.span(sender_ei))
        assert span.security_class is not None
        frame = S2MessageEncapsulation(seq, tuple(unencrypted), has_encrypted_extensions=bool(encrypted))
        nonce = self.next_nonce(peer, remember=True)
        return seal_frame(
            frame,
            encode_extensions(encrypted) + bytes(plaintext),
            ccm_key=self._keys(peer, span.security_class).ccm_key,
            nonce=nonce,
            sender=self.own_node_id,
            destination=peer,
            home_id=self.home_id,
        )

    def decapsulate(
        self,
        peer: int,
        frame: bytes | S2MessageEncapsulation,
        security_classes: Iterable[SecurityClass] | None = None,
        *,
        multicast: bool = False,
    ) -> S2Decapsulated:
        """Verify and decrypt a Message Encapsulation from ``peer`` (bytes from 0x9F, or the
        decoded command). ``security_classes``: the classes to try when a new SPAN is set up
        (default: every S2 class we have a key for, highest first; the temporary key of a
        bootstrapping peer always comes first). ``multicast``: the frame arrived as a
        multicast/broadcast (it must carry MGRP). Raises :class:`SecurityDecodeError`,
        :class:`DuplicateFrame`, :class:`NoSpan`, :class:`DecryptionFailed`,
        :class:`MpanOutOfSync`."""
        command = parse_encapsulation(frame)
        mgrp = command.extension(S2ExtensionType.MGRP)
        group = mgrp.group_id if mgrp else None
        if multicast:
            if group is None:
                raise SecurityDecodeError("S2 multicast without an MGRP extension", CC, MESSAGE_ENCAPSULATION)
            return self._decapsulate_multicast(peer, command, group)
        if command.malformed_extensions:
            span = self._spans.get(peer)
            if span is not None and span.state == SpanState.SPAN:
                self.next_nonce(peer)  # the sender spent a nonce on it
            raise SecurityDecodeError("S2 frame with an invalid extension", CC, MESSAGE_ENCAPSULATION)
        previous = self._accept_sequence(peer, command.sequence_number)
        if group is None:  # a singlecast outside a multicast: forget groups marked out of sync
            self.mpans.forget_out_of_sync(peer)
        aad = frame_aad(command, peer, self.own_node_id, self.home_id)
        plaintext, security_class = self._decrypt_singlecast(
            peer, command, aad, previous, security_classes, group
        )

        inner, payload = split_encrypted_extensions(command, plaintext)
        extensions = command.extensions + inner
        mpan = next((e for e in extensions if e.ext_type == S2ExtensionType.MPAN), None)
        if mpan is not None and group is not None:
            raise SecurityDecodeError(
                "S2 frame with both MGRP and MPAN extensions", CC, MESSAGE_ENCAPSULATION
            )
        out_of_sync = False
        if mpan is not None:
            assert mpan.group_id is not None and mpan.mpan_state is not None
            self.mpans.store_peer(peer, mpan.group_id, mpan.mpan_state, security_class)
        elif group is not None:
            out_of_sync = not self.mpans.step_peer(peer, group)  # the follow-up step
        return S2Decapsulated(
            plaintext=payload,
            security_class=security_class,
            sequence_number=command.sequence_number,
            multicast_group=group,
            mpan_out_of_sync=out_of_sync,
            mos=command.extension(S2ExtensionType.MOS) is not None,
            extensions=extensions,
        )

    def _decrypt_singlecast(
        self,
        peer: int,
        command: S2MessageEncapsulation,
        aad: bytes,
        previous_seq: int | None,
        security_classes: Iterable[SecurityClass] | None,
        group: int | None,
    ) -> tuple[bytes, SecurityClass]:
        span = self._spans.get(peer)
        if span is None or span.state in (SpanState.NONE, SpanState.REMOTE_EI):
            raise NoSpan(f"no SPAN with node {peer}: answer with a Nonce Report", peer)
        span_ext = command.extension(S2ExtensionType.SPAN)
        if span.state == SpanState.LOCAL_EI:
            if span_ext is None or span.ei is None:
                raise NoSpan(f"S2 frame from node {peer} lacks the SPAN extension", peer)
            assert span_ext.sender_ei is not None
            for candidate in self._candidates(peer, security_classes):
                new = self._init_span(peer, candidate, span_ext.sender_ei, span.ei)
                assert new.drbg is not None
                key = self._keys(peer, candidate).ccm_key
                plaintext = open_frame(command, key, next_span_nonce(new.drbg), aad)
                if plaintext is not None:
                    return plaintext, candidate
                self._spans[peer] = span  # back to LOCAL_EI for the next class
            raise DecryptionFailed(f"S2 frame from node {peer} does not decrypt with any key", peer)

        assert span.security_class is not None
        key = self._keys(peer, span.security_class).ccm_key
        in_flight, span.sent_nonce = span.sent_nonce, None
        if (
            self.accept_in_flight
            and in_flight is not None
            and span.sent_expires > self._clock()
            and previous_seq is not None
            and command.sequence_number == (previous_seq + 1) & 0xFF
        ):
            plaintext = open_frame(command, key, in_flight, aad)
            if plaintext is not None:
                return plaintext, span.security_class
        if span_ext is not None:
            attempts = 1
        elif group is not None:
            attempts = MAX_DECRYPT_ATTEMPTS_FOLLOW_UP
        else:
            attempts = MAX_DECRYPT_ATTEMPTS_SINGLECAST
        for _ in range(attempts):
            plaintext = open_frame(command, key, self.next_nonce(peer), aad)
            if plaintext is not None:
                return plaintext, span.security_class
        raise DecryptionFailed(f"S2 frame from node {peer} does not decrypt with the SPAN", peer)

    # --- multicast --------------------------------------------------------------------------------

    def create_multicast_group(self, node_ids: Iterable[int], security_class: SecurityClass) -> int:
        """The group ID (1..255) for sending to ``node_ids`` with ``security_class`` (the same
        node set and class reuse their group)."""
        self._keys(0, security_class)
        return self.mpans.create_group(node_ids, security_class)

    def encapsulate_multicast(self, group_id: int, plaintext: bytes) -> bytes:
        """The multicast frame for ``group_id`` (MGRP extension, MPAN nonce, the group ID as the
        AAD destination); follow it with :meth:`encapsulate` (``multicast_group``) per node."""
        group = self.mpans.group(group_id)
        self.mpans.group_state(group_id)
        keys = self._keys(0, group.security_class)
        return seal_multicast(keys, group, group_id, self.own_node_id, self.home_id, plaintext)

    def _decapsulate_multicast(
        self, peer: int, command: S2MessageEncapsulation, group_id: int
    ) -> S2Decapsulated:
        entry = self.mpans.peer_entry(peer, group_id)
        if command.malformed_extensions or entry is None or entry.state != MpanState.MPAN:
            self.mpans.mark_out_of_sync(peer, group_id)
            if command.malformed_extensions:
                raise SecurityDecodeError("S2 multicast with an invalid extension", CC, MESSAGE_ENCAPSULATION)
            raise MpanOutOfSync(f"no MPAN for group {group_id} of node {peer}", peer, group_id)
        assert entry.security_class is not None
        keys = self._keys(peer, entry.security_class)
        plaintext = open_multicast(keys, entry, peer, group_id, self.home_id, command)
        if plaintext is None:
            self.mpans.mark_out_of_sync(peer, group_id)
            raise MpanOutOfSync(
                f"S2 multicast of node {peer} (group {group_id}) does not decrypt", peer, group_id
            )
        return S2Decapsulated(
            plaintext=split_encrypted_extensions(command, plaintext)[1],
            security_class=entry.security_class,
            sequence_number=command.sequence_number,
            multicast=True,
            multicast_group=group_id,
            extensions=command.extensions,
        )


__all__ = [
    "MpanState",
    "MpanTables",
    "S2Decapsulated",
    "S2SecurityManager",
    "SpanState",
]
