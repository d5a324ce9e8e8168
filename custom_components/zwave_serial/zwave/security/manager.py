"""Security manager: S0/S2 with nodes that are already securely included (no bootstrapping).

The driver owns one :class:`SecurityManager` and hands it a small :class:`SecurityHost`
(send a raw CC payload with SendData, own node ID, home ID, timeouts), so it can be tested
with a fake host. It holds the :class:`NetworkKeys`, the S0 session and the S2 manager.

* Out: :meth:`SecurityManager.wrap` turns a (multi channel / supervision wrapped) payload into
  a Security 2 Message Encapsulation (Nonce Get → Nonce Report first when there is no SPAN) or
  an S0 Message Encapsulation (Nonce Get → Nonce Report → encapsulation). Each Nonce Get is its
  own SendData through the engine; callers hold :meth:`node_lock` across wrap and send, so the
  frames of one node leave in nonce order.
* In: :meth:`SecurityManager.receive` answers Nonce Gets, takes Nonce Reports and decrypts
  encapsulated frames; it returns the plaintext and the class it arrived with. A frame that
  does not decrypt is counted (``security_decrypt_failures``) and answered with a Nonce Report
  (SOS), as Z-Wave JS does; with MOS too when it was the follow-up of a multicast group whose
  MPAN we lack.
* Multicast (Z-Wave JS): an S2 multicast decrypts with the sender's MPAN of its group; without
  one the group is marked out of sync and the frame dropped (``security_mpan_out_of_sync``).
  The follow-up then has :attr:`SecureMessage.mpan_out_of_sync`: the messaging layer answers
  MOS (on its Supervision Report, else :meth:`SecurityManager.send_mos`).
* Which CCs go encrypted (Z-Wave JS's rule): every CC a secure node supports securely; such a
  CC is accepted only encrypted with the node's granted class (:meth:`SecurityManager.refused`).

Nothing secret (keys, nonces, plaintext) is logged or shown in a repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import NodeTimeout
from .errors import DecryptionFailed, DuplicateFrame, MpanOutOfSync, NonceRequired, SecurityError
from .keys import NetworkKeys, SecurityClass
from .s0 import S0Session
from .s0_codec import (
    S0CommandsSupportedGet,
    S0CommandsSupportedReport,
    S0NonceGet,
    S0NonceReport,
    decode_s0_command,
)
from .s2 import S2SecurityManager
from .s2_codec import (
    S2CommandsSupportedGet,
    S2CommandsSupportedReport,
    S2NonceGet,
    S2NonceReport,
    decode_s2_command,
)
from .s2_frames import S2Decapsulated
from .s2_mpan import follow_up_out_of_sync

_LOGGER = logging.getLogger(__name__)

S0_CC = 0x98
S2_CC = 0x9F
_S2_NONCE_GET, _S2_NONCE_REPORT, _S2_ENCAP, _S2_CMDS_REPORT = 0x01, 0x02, 0x03, 0x0E
_S0_CMDS_REPORT, _S0_NONCE_GET, _S0_NONCE_REPORT = 0x03, 0x40, 0x80
_S0_ENCAP = (0x81, 0xC1)
#: An SOS Nonce Report this soon after our last S2 frame means the node could not decrypt it:
#: it is sent again once, re-encrypted (Z-Wave JS does the same).
RESEND_WINDOW = 3.0
#: Encapsulation CCs never count as "supported securely" for the downgrade rule.
_ENCAPSULATION_CCS = frozenset({0x98, 0x9F, 0x60, 0x6C, 0x8F, 0x56, 0x55})


class SecurityHost(Protocol):
    """What the security manager needs from its owner (the driver)."""

    options: Any  # DriverOptions: report_timeout

    @property
    def own_node_id(self) -> int: ...

    @property
    def home_id(self) -> int: ...

    async def send_raw(self, node_id: int, data: bytes, priority: Any = None) -> None:
        """SendData of ``data`` as is (no encapsulation), one radio job through the engine."""

    def create_task(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]: ...


class SecureNode(Protocol):
    node_id: int
    security_class: SecurityClass | None
    secure_ccs: set[int]

    def supports(self, cc: int, endpoint: int = 0) -> bool: ...


@dataclass(frozen=True, slots=True)
class SecureMessage:
    """A decrypted incoming frame: the CC bytes and the class it was received with.

    ``multicast``: it arrived as an S2 multicast of group ``multicast_group``; with
    ``multicast`` False a ``multicast_group`` marks the singlecast follow-up of that multicast,
    and ``mpan_out_of_sync`` that we lack the sender's MPAN for the group (answer MOS)."""

    payload: bytes
    security_class: SecurityClass
    multicast: bool = False
    multicast_group: int | None = None
    mpan_out_of_sync: bool = False

    def __repr__(self) -> str:
        group = "" if self.multicast_group is None else f", group={self.multicast_group}"
        return (
            f"SecureMessage(<{len(self.payload)} bytes>, {self.security_class.name}, "
            f"multicast={self.multicast}{group}, mpan_out_of_sync={self.mpan_out_of_sync})"
        )


class SecurityManager:
    """S0/S2 sessions of the driver with every node (see module docs)."""

    def __init__(self, host: SecurityHost, keys: NetworkKeys | None = None) -> None:
        self._host = host
        self.keys = keys
        self._s2: S2SecurityManager | None = None
        self._s0: S0Session | None = None
        self._identity: tuple[int, int] | None = None
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiters: dict[tuple[int, int, int], asyncio.Future[Any]] = {}
        self._downgrades_logged: set[tuple[int, int]] = set()
        self._missing_logged: set[int] = set()
        # node -> (node, payload, class, sent at, may be resent): the last S2 frame (in memory only)
        self._last_sent: dict[int, tuple[SecureNode, bytes, SecurityClass, float, bool]] = {}
        #: Per node: frames wrapped so far, and that count when the caller's SendData last finished
        #: (equal: the last frame wrapped has left; see :meth:`delivered`).
        self._wrapped: dict[int, int] = {}
        self._delivered: dict[int, int] = {}
        self.counters: dict[str, int] = {
            "security_decrypt_failures": 0,
            "security_nonce_timeouts": 0,
            "security_plaintext_dropped": 0,
            "security_wrong_class_dropped": 0,
            "security_mpan_out_of_sync": 0,
        }
        #: Sends an encapsulated frame (the messaging layer sets it: Transport Service for a
        #: frame too long for one SendData); default: the host's plain SendData.
        self.send_frame: Any = None

    def __repr__(self) -> str:
        return f"SecurityManager(keys={self.keys!r}, s2={self._s2!r}, s0={self._s0!r})"

    # --- sessions -----------------------------------------------------------------------

    def has_key(self, security_class: SecurityClass) -> bool:
        return self.keys is not None and self.keys.has(security_class)

    def _sessions(self) -> tuple[S2SecurityManager | None, S0Session | None]:
        """The S2 manager / S0 session for the current own node ID and home ID (rebuilt when
        the stick changed network)."""
        identity = (self._host.own_node_id, self._host.home_id)
        if identity != self._identity:
            self._identity = identity
            keys = self.keys
            has_s2 = keys is not None and any(c.is_s2 and keys.has(c) for c in keys.security_classes)
            self._s2 = S2SecurityManager(keys, identity[0], identity[1]) if has_s2 and keys else None
            has_s0 = keys is not None and keys.has(SecurityClass.S0_Legacy)
            self._s0 = S0Session(keys.s0_keys(), identity[0]) if has_s0 and keys else None
        return self._s2, self._s0

    def s2_session(self) -> S2SecurityManager | None:
        """The S2 session shared by every exchange (None without S2 keys). S2 bootstrapping uses
        it too, so our sequence numbers towards a new node continue after its inclusion."""
        return self._sessions()[0]

    def node_lock(self, node_id: int) -> asyncio.Lock:
        """Held across wrap + SendData so one node's frames leave in nonce order."""
        lock = self._locks.get(node_id)
        if lock is None:
            lock = self._locks[node_id] = asyncio.Lock()
        return lock

    # --- policy ------------------------------------------------------------------------

    @staticmethod
    def encrypts(node: SecureNode, cc: int | None) -> bool:
        """True when a command of ``cc`` to ``node`` must go encrypted."""
        return node.security_class is not None and cc is not None and cc in node.secure_ccs

    def refused(self, node: SecureNode, ccs: list[int], received_with: SecurityClass | None) -> bool:
        """Downgrade protection: True (counted, logged once per node and CC, never the bytes)
        when a CC the node supports securely arrived in plain text (``received_with`` None) or
        encrypted with another class than the node's granted one (e.g. S0 from an S2 node)."""
        if node.security_class is None or received_with == node.security_class:
            return False
        bad = [cc for cc in ccs if cc in node.secure_ccs and cc not in _ENCAPSULATION_CCS]
        if not bad:
            return False
        how = "in plain text" if received_with is None else f"with {received_with.name}"
        self.counters["security_plaintext_dropped" if received_with is None else "security_wrong_class_dropped"] += 1
        for cc in bad:
            if (node.node_id, cc) not in self._downgrades_logged:
                self._downgrades_logged.add((node.node_id, cc))
                _LOGGER.debug(
                    "Node %s sent CC 0x%02X %s but supports it securely (%s): dropped",
                    node.node_id, cc, how, node.security_class.name,
                )
        return True

    def plaintext_refused(self, node: SecureNode, ccs: list[int]) -> bool:
        """:meth:`refused` for a frame received in plain text."""
        return self.refused(node, ccs, None)

    def note_missing_keys(self, node: SecureNode) -> None:
        if node.node_id not in self._missing_logged:
            self._missing_logged.add(node.node_id)
            _LOGGER.info(
                "Node %s is securely included but the driver has no network key for it: "
                "its secure command classes are not reachable", node.node_id
            )

    # --- outgoing ------------------------------------------------------------------------

    async def wrap(
        self,
        node: SecureNode,
        payload: bytes,
        *,
        security_class: SecurityClass | None = None,
        priority: Any = None,
        resend: bool = True,
        mos: bool = False,
    ) -> bytes:
        """``payload`` encrypted for ``node`` (with ``security_class``, default the node's;
        ``mos``: S2 with the MOS extension). Callers hold :meth:`node_lock`. Raises NodeTimeout
        when the node gives no nonce, SecurityError when there is no key; never plain text."""
        cls = security_class or node.security_class
        if cls is None:
            raise SecurityError(f"node {node.node_id} has no security class", node.node_id)
        s2, s0 = self._sessions()
        if cls.is_s2:
            if s2 is None or not self.has_key(cls):
                raise SecurityError(f"no network key for {cls.name}", node.node_id)
            loop = asyncio.get_running_loop()
            self._wrapped[node.node_id] = self._wrapped.get(node.node_id, 0) + 1
            self._last_sent[node.node_id] = (node, bytes(payload), cls, loop.time(), resend)
            try:
                return s2.encapsulate(node.node_id, payload, cls, mos=mos)
            except NonceRequired:
                pass
            get = s2.nonce_get(node.node_id)
            await self._exchange(node.node_id, get.to_bytes(), (S2_CC, _S2_NONCE_REPORT), priority)
            self._last_sent[node.node_id] = (node, bytes(payload), cls, loop.time(), resend)
            return s2.encapsulate(node.node_id, payload, cls, mos=mos)
        if cls is SecurityClass.S0_Legacy:
            if s0 is None:
                raise SecurityError("no network key for S0_Legacy", node.node_id)
            segments = s0.segments(payload)
            frame = b""
            for segment in segments:
                if frame:
                    await self._host.send_raw(node.node_id, frame, priority)
                await self._exchange(node.node_id, S0NonceGet().to_bytes(), (S0_CC, _S0_NONCE_REPORT), priority)
                frame = s0.encapsulate_segment(node.node_id, segment)
            return frame
        raise SecurityError(f"cannot encrypt with {cls.name}", node.node_id)

    def _waiter(self, node_id: int, key: tuple[int, int]) -> asyncio.Future[Any]:
        full = (node_id, *key)
        old = self._waiters.get(full)
        if old is not None and not old.done():
            old.cancel()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters[full] = future
        return future

    def _resolve(self, node_id: int, key: tuple[int, int], value: Any = None, exc: BaseException | None = None) -> bool:
        future = self._waiters.pop((node_id, *key), None)
        if future is None or future.done():
            return False
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(value)
        return True

    async def _exchange(self, node_id: int, request: bytes, answer: tuple[int, int], priority: Any) -> Any:
        """Send ``request`` (a SendData of its own) and wait for the node's ``answer``."""
        future = self._waiter(node_id, answer)
        try:
            await self._host.send_raw(node_id, request, priority)
            async with asyncio.timeout(self._host.options.report_timeout):
                return await future
        except TimeoutError:
            if answer[1] in (_S2_NONCE_REPORT, _S0_NONCE_REPORT):
                self.counters["security_nonce_timeouts"] += 1
            raise NodeTimeout(f"node {node_id} did not answer the security request", node_id) from None
        finally:
            if self._waiters.get((node_id, *answer)) is future:
                del self._waiters[(node_id, *answer)]

    async def query_secure_ccs(
        self, node: SecureNode, security_class: SecurityClass, priority: Any = None
    ) -> list[int] | None:
        """Commands Supported Get encrypted with ``security_class``: the CCs the node supports
        securely, or None when the node does not answer with that class (not granted)."""
        s2_class = security_class.is_s2
        request = (S2CommandsSupportedGet() if s2_class else S0CommandsSupportedGet()).to_bytes()
        answer = (S2_CC, _S2_CMDS_REPORT) if s2_class else (S0_CC, _S0_CMDS_REPORT)
        async with self.node_lock(node.node_id):
            frame = await self.wrap(node, request, security_class=security_class, priority=priority)
            future = self._waiter(node.node_id, answer)
            try:
                await self._send_frame(node.node_id, frame, priority)
                async with asyncio.timeout(self._host.options.report_timeout):
                    report = await future
            except (TimeoutError, DecryptionFailed):
                return None
            finally:
                if self._waiters.get((node.node_id, *answer)) is future:
                    del self._waiters[(node.node_id, *answer)]
        return [cc for cc in report.supported if cc not in _ENCAPSULATION_CCS]

    # --- incoming -------------------------------------------------------------------------

    def receive(
        self, node_id: int, data: bytes, node: SecureNode | None = None, *, multicast: bool = False
    ) -> SecureMessage | None:
        """Handle a Security (0x98) or Security 2 (0x9F) frame from ``node_id``: the decrypted
        message to process further, or None (a nonce exchange, a dropped frame).
        ``multicast``: the frame arrived as a multicast or broadcast (only S2 encapsulations
        with MGRP are taken then)."""
        try:
            if data[0] == S2_CC:
                if multicast:
                    return self._receive_s2_multicast(node_id, data)
                return self._receive_s2(node_id, data, node)
            if multicast:
                _LOGGER.debug("S0 frame from node %s sent as multicast: dropped", node_id)
                return None
            return self._receive_s0(node_id, data)
        except DuplicateFrame:
            _LOGGER.debug("Duplicate S2 frame from node %s dropped", node_id)
        except SecurityError as err:
            _LOGGER.debug("Security frame from node %s dropped: %s", node_id, err)
        return None

    def _answer(self, node_id: int, data: bytes, what: str) -> None:
        self._answer_task(self._host.send_raw(node_id, data, None), node_id, what)

    def delivered(self, node_id: int) -> None:
        """The caller's SendData of the frame last wrapped for ``node_id`` finished."""
        self._delivered[node_id] = self._wrapped.get(node_id, 0)

    def _send_frame(self, node_id: int, frame: bytes, priority: Any) -> Any:
        send = self.send_frame or self._host.send_raw
        return send(node_id, frame, priority)

    def send_mos(self, node_id: int) -> None:
        """Tell ``node_id`` we lack its MPAN: a Nonce Report with MOS only (no new SPAN)."""
        s2, _ = self._sessions()
        if s2 is not None:
            self._answer(node_id, s2.generate_nonce_report(node_id, sos=False, mos=True).to_bytes(), "S2 MOS")

    def _receive_s2_multicast(self, node_id: int, data: bytes) -> SecureMessage | None:
        s2, _ = self._sessions()
        if s2 is None or len(data) < 2 or data[1] != _S2_ENCAP:
            return None
        try:
            result = s2.decapsulate(node_id, data, multicast=True)
        except MpanOutOfSync as err:
            # Not answered: the singlecast follow-up carries the MOS answer.
            self.counters["security_mpan_out_of_sync"] += 1
            _LOGGER.debug("S2 multicast from node %s (group %s) did not decrypt: MPAN out of sync", node_id, err.group_id)
            return None
        return self._secure_payload(node_id, result.plaintext, result.security_class, result)

    def _answer_task(self, coro: Coroutine[Any, Any, Any], node_id: int, what: str) -> None:
        async def run() -> None:
            try:
                await coro
            except Exception as err:
                _LOGGER.debug("%s to node %s failed: %s", what, node_id, err)

        self._host.create_task(run(), f"{what} node {node_id}")

    def _receive_s2(self, node_id: int, data: bytes, node: SecureNode | None) -> SecureMessage | None:
        s2, _ = self._sessions()
        if s2 is None:
            return None
        command = data[1] if len(data) > 1 else -1
        if command == _S2_NONCE_GET:
            get = decode_s2_command(data)
            assert isinstance(get, S2NonceGet)
            self._answer(node_id, s2.receive_nonce_get(node_id, get).to_bytes(), "S2 nonce report")
            return None
        if command == _S2_NONCE_REPORT:
            report = decode_s2_command(data)
            assert isinstance(report, S2NonceReport)
            s2.receive_nonce_report(node_id, report)
            if not self._resolve(node_id, (S2_CC, _S2_NONCE_REPORT), report) and report.sos:
                # Unasked SOS: the node could not decrypt our last frame.
                if self._resolve(node_id, (S2_CC, _S2_CMDS_REPORT), exc=DecryptionFailed("no SPAN", node_id)):
                    self._last_sent.pop(node_id, None)  # probing a class it was not granted
                else:
                    self._resend_last(node_id)
            return None
        if command != _S2_ENCAP:
            return None  # KEX commands: bootstrapping is not handled here
        classes = None if node is None or node.security_class is None else [node.security_class]
        try:
            result = s2.decapsulate(node_id, data, classes)
        except DecryptionFailed as err:
            self.counters["security_decrypt_failures"] += 1
            _LOGGER.debug("S2 frame from node %s did not decrypt (%s): asking for a new nonce", node_id, type(err).__name__)
            mos = follow_up_out_of_sync(s2.mpans, node_id, data)
            self._answer(node_id, s2.generate_nonce_report(node_id, mos=mos).to_bytes(), "S2 nonce report")
            return None
        if result.mos:
            _LOGGER.debug("Node %s lacks our MPAN (MOS); this driver sends no S2 multicast", node_id)
        return self._secure_payload(node_id, result.plaintext, result.security_class, result)

    def _resend_last(self, node_id: int) -> None:
        last = self._last_sent.pop(node_id, None)
        if last is None:
            return
        node, payload, cls, sent_at, may_resend = last
        if not may_resend or asyncio.get_running_loop().time() - sent_at > RESEND_WINDOW:
            return
        in_exchange = self.node_lock(node_id).locked()
        if in_exchange and self._delivered.get(node_id) != self._wrapped.get(node_id):
            _LOGGER.debug("Node %s could not decrypt an S2 frame still being sent; not sent again", node_id)
            return
        _LOGGER.debug("Node %s could not decrypt our last S2 frame: sending it again", node_id)

        async def resend() -> None:
            # Held lock: an exchange waits for the answer to that frame (its SendData done), and
            # nothing else goes to the node until then, so the frame goes again now, inside the
            # exchange.  Waiting for the lock would send it only after the exchange gave up, and
            # the node would carry out a command whose caller saw a failure and may send it again.
            async with contextlib.nullcontext() if in_exchange else self.node_lock(node_id):
                frame = await self.wrap(node, payload, security_class=cls, resend=False)
                await self._send_frame(node_id, frame, None)

        self._answer_task(resend(), node_id, "S2 resend")

    def _receive_s0(self, node_id: int, data: bytes) -> SecureMessage | None:
        _, s0 = self._sessions()
        if s0 is None:
            return None
        command = data[1] if len(data) > 1 else -1
        if command == _S0_NONCE_GET:
            self._answer(node_id, s0.nonce_report(node_id).to_bytes(), "S0 nonce report")
            return None
        if command == _S0_NONCE_REPORT:
            report = decode_s0_command(data)
            assert isinstance(report, S0NonceReport)
            s0.receive_nonce_report(node_id, report)
            self._resolve(node_id, (S0_CC, _S0_NONCE_REPORT), report)
            return None
        if command not in _S0_ENCAP:
            return None
        try:
            received = s0.decapsulate(node_id, data)
        except DecryptionFailed as err:
            self.counters["security_decrypt_failures"] += 1
            _LOGGER.debug("S0 frame from node %s did not decrypt (%s)", node_id, type(err).__name__)
            return None
        if received.request_nonce:
            self._answer(node_id, s0.nonce_report(node_id).to_bytes(), "S0 nonce report")
        if not received.message:
            return None
        return self._secure_payload(node_id, received.message, SecurityClass.S0_Legacy)

    def _secure_payload(
        self, node_id: int, payload: bytes, cls: SecurityClass, s2: S2Decapsulated | None = None
    ) -> SecureMessage | None:
        if not payload:
            return None
        if payload[0] == S2_CC and len(payload) > 1 and payload[1] == _S2_CMDS_REPORT:
            report = decode_s2_command(payload)
            assert isinstance(report, S2CommandsSupportedReport)
            self._resolve(node_id, (S2_CC, _S2_CMDS_REPORT), report)
            return None
        if payload[0] == S0_CC and len(payload) > 1 and payload[1] == _S0_CMDS_REPORT:
            report0 = decode_s0_command(payload)
            assert isinstance(report0, S0CommandsSupportedReport)
            self._resolve(node_id, (S0_CC, _S0_CMDS_REPORT), report0)
            return None
        if s2 is None:
            return SecureMessage(payload, cls)
        return SecureMessage(payload, cls, s2.multicast, s2.multicast_group, s2.mpan_out_of_sync)

    def forget_node(self, node_id: int) -> None:
        s2, s0 = self._sessions()
        if s2 is not None:
            s2.reset_peer(node_id)
        if s0 is not None:
            s0.forget(node_id)


__all__ = ["SecureMessage", "SecureNode", "SecurityHost", "SecurityManager"]
