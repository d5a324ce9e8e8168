"""S2 multicast state (MPAN) for :class:`~.s2.S2SecurityManager`. No I/O.

* Own groups (sending): node set, security class, group sequence number and the inner MPAN
  state (16 random bytes, created on first use).
* Peer MPANs (receiving): per (peer, group) ``NONE``, ``OUT_OF_SYNC`` (a multicast we could not
  decrypt; the singlecast follow-up is answered with MOS) or ``MPAN`` (inner state and the
  class it arrived under, from an MPAN extension).

Nonce = first 13 bytes of AES-ECB(MPAN key, inner state), then the state + 1
(:func:`~.crypto.mpan_nonce`, :func:`~.crypto.mpan_increment`). No published vector exists for
S2 multicast (protocol-facts.md §6): this follows Z-Wave JS ``SecurityManager2`` /
``Security2CC``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from .codec import RandomBytes
from .crypto import S2Keys, mpan_increment, mpan_nonce
from .errors import SecurityDecodeError, SecurityError
from .keys import SecurityClass
from .s2_codec import MPAN_STATE_SIZE, S2Extension, S2ExtensionType, S2MessageEncapsulation
from .s2_frames import frame_aad, open_frame, parse_encapsulation, seal_frame

#: Successive MPANs a receiver tries for one multicast frame (Z-Wave JS).
MAX_DECRYPT_ATTEMPTS_MULTICAST = 5


class MpanState(IntEnum):
    NONE = 0
    OUT_OF_SYNC = 1
    MPAN = 2


@dataclass(slots=True, repr=False)
class PeerMpan:
    state: MpanState
    inner: bytes | None = None
    security_class: SecurityClass | None = None


@dataclass(slots=True, repr=False)
class MulticastGroup:
    node_ids: frozenset[int]
    security_class: SecurityClass
    sequence_number: int
    inner: bytes | None = None


class MpanTables:
    """Own multicast groups and the MPANs peers gave us; holds state only, no keys."""

    def __init__(self, random_bytes: RandomBytes) -> None:
        self._random = random_bytes
        self._groups: dict[int, MulticastGroup] = {}
        self._peers: dict[tuple[int, int], PeerMpan] = {}
        self._next_group = 1

    def __repr__(self) -> str:
        return f"MpanTables(groups={len(self._groups)}, peer_mpans={len(self._peers)})"

    # own groups

    def create_group(self, node_ids: Iterable[int], security_class: SecurityClass) -> int:
        nodes = frozenset(node_ids)
        for group_id, group in self._groups.items():
            if group.node_ids == nodes and group.security_class == security_class:
                return group_id
        group_id = self._next_group
        self._next_group = group_id % 255 + 1  # 1..255, wrapping (an old group is replaced)
        self._groups[group_id] = MulticastGroup(nodes, security_class, self._random(1)[0])
        return group_id

    def group(self, group_id: int) -> MulticastGroup:
        group = self._groups.get(group_id)
        if group is None:
            raise SecurityError(f"unknown S2 multicast group {group_id}")
        return group

    def group_state(self, group_id: int) -> bytes:
        """Our inner MPAN state of ``group_id`` (created on first use)."""
        group = self.group(group_id)
        if group.inner is None:
            inner = bytes(self._random(MPAN_STATE_SIZE))
            if len(inner) != MPAN_STATE_SIZE:
                raise ValueError("the random source returned the wrong number of bytes")
            group.inner = inner
        return group.inner

    @property
    def group_count(self) -> int:
        return len(self._groups)

    # peers' MPANs

    def peer_state(self, peer: int, group_id: int) -> MpanState:
        entry = self._peers.get((peer, group_id))
        return entry.state if entry else MpanState.NONE

    def peer_entry(self, peer: int, group_id: int) -> PeerMpan | None:
        return self._peers.get((peer, group_id))

    def store_peer(self, peer: int, group_id: int, inner: bytes, security_class: SecurityClass) -> None:
        self._peers[(peer, group_id)] = PeerMpan(MpanState.MPAN, bytes(inner), security_class)

    def mark_out_of_sync(self, peer: int, group_id: int) -> None:
        self._peers[(peer, group_id)] = PeerMpan(MpanState.OUT_OF_SYNC)

    def forget_out_of_sync(self, peer: int) -> None:
        """A singlecast outside any multicast arrived: forget the groups marked out of sync."""
        for key in [k for k, v in self._peers.items() if k[0] == peer and v.state == MpanState.OUT_OF_SYNC]:
            del self._peers[key]

    def step_peer(self, peer: int, group_id: int) -> bool:
        """The follow-up step of a peer's MPAN; False when we hold none (answer MOS)."""
        entry = self._peers.get((peer, group_id))
        if entry is None or entry.state != MpanState.MPAN or entry.inner is None:
            return False
        entry.inner = mpan_increment(entry.inner)
        return True


def seal_multicast(
    keys: S2Keys, group: MulticastGroup, group_id: int, own_node_id: int, home_id: int, plaintext: bytes
) -> bytes:
    """The multicast Message Encapsulation of ``plaintext`` for ``group``; steps the group's
    sequence number and its inner state twice (this frame, and the follow-up step Z-Wave JS
    takes right after sending; receivers step on the multicast and on their follow-up)."""
    assert group.inner is not None
    nonce = mpan_nonce(keys.mpan_key, group.inner)
    group.inner = mpan_increment(mpan_increment(group.inner))
    group.sequence_number = (group.sequence_number + 1) & 0xFF
    frame = S2MessageEncapsulation(group.sequence_number, (S2Extension.mgrp(group_id),))
    return seal_frame(
        frame,
        plaintext,
        ccm_key=keys.ccm_key,
        nonce=nonce,
        sender=own_node_id,
        destination=group_id,
        home_id=home_id,
    )


def open_multicast(
    keys: S2Keys, entry: PeerMpan, peer: int, group_id: int, home_id: int, command: S2MessageEncapsulation
) -> bytes | None:
    """Decrypt a peer's multicast with its MPAN, trying up to five successive states; on
    success the entry moves past the state that worked. ``None`` when none did."""
    assert entry.inner is not None
    aad = frame_aad(command, peer, group_id, home_id)
    state = entry.inner
    for _ in range(MAX_DECRYPT_ATTEMPTS_MULTICAST):
        plaintext = open_frame(command, keys.ccm_key, mpan_nonce(keys.mpan_key, state), aad)
        state = mpan_increment(state)
        if plaintext is not None:
            entry.inner = state
            return plaintext
    return None


def follow_up_out_of_sync(tables: MpanTables, peer: int, frame: bytes) -> bool:
    """True when ``frame`` (a Message Encapsulation from ``peer``, e.g. one that did not
    decrypt) is the singlecast follow-up of a multicast group we hold no MPAN for: the Nonce
    Report that answers it carries MOS (Z-Wave JS ``mustReplyWithSecurityS2MOS``)."""
    try:
        mgrp = parse_encapsulation(frame).extension(S2ExtensionType.MGRP)
    except SecurityDecodeError:
        return False
    return mgrp is not None and mgrp.group_id is not None and tables.peer_state(peer, mgrp.group_id) != MpanState.MPAN
