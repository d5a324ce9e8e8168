"""Device-side S0/S2 of a virtual node: its identity (DSK, PIN, QR code), its keys and
sessions with the controller, and what it accepts in plain text.

A virtual node built with ``security=(SecurityClass...)`` gets a :class:`DeviceSecurity`
(``node.sec``). It reuses the driver's validated crypto and codecs (``zwave/security``):

* in: Security 2 Nonce Get is answered with a Nonce Report (SOS); an encapsulated frame is
  decrypted with the granted keys (the temporary key while bootstrapping), or answered with a
  Nonce Report (SOS) when it does not decrypt; S0 Nonce Get gets a nonce; S0 frames are checked
  and decrypted. Key exchange commands go to the bootstrapping state machine
  (:mod:`.bootstrap`); Commands Supported Get is answered with the secure CC list (an empty one
  for a lower granted class, as the specification requires).
* plain text: a securely included node ignores a plain command of a CC it supports only
  securely (:meth:`DeviceSecurity.secure_only`); its NIF then lists just the CCs it supports
  without security (Z-Wave Plus Info, Security 2 / Security, Supervision, Version, and Transport
  Service for a device that has it); before it is securely included its NIF lists everything.
* out: :meth:`DeviceSecurity.send` encrypts with the class asked for (the node's reports use its
  highest granted class; answers use the class of the request), asking the controller for a
  nonce first when needed, one frame at a time, in order; an SOS Nonce Report right after a
  frame makes it resend that frame once (as libs2).

Nothing secret (keys, nonces, plaintext) is logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ZWaveError
from ..security.crypto import S0Keys, s0_derive_keys, x25519_key_pair_from_private
from ..security.errors import DuplicateFrame, NonceRequired, SecurityError
from ..security.keys import (
    SECURITY_CLASS_ORDER,
    NetworkKeys,
    SecurityClass,
    dsk_from_public_key,
    dsk_to_string,
    highest_security_class,
    security_classes_to_bits,
)
from ..security.s0 import S0NonceTable, S0Reassembler, split_payload
from ..security.s0 import decapsulate as s0_decapsulate
from ..security.s0 import encapsulate as s0_encapsulate
from ..security.s0_codec import S0CommandsSupportedReport
from ..security.s2 import S2SecurityManager
from ..security.s2_codec import S2CommandsSupportedReport, S2NonceGet, S2NonceReport, decode_s2_command
from .ccutil import CC_BASIC, CC_SUPERVISION, CC_VERSION, CC_ZWAVEPLUS_INFO

if TYPE_CHECKING:
    from .bootstrap import Joiner
    from .node import VirtualNode

_LOGGER = logging.getLogger(__name__)

S2_CC = 0x9F
S0_CC = 0x98
CC_TRANSPORT_SERVICE = 0x55
HOST = 1
#: How long the node waits for the controller's Nonce Report.
NONCE_TIMEOUT = 3.0
#: An SOS Nonce Report this soon after our frame: the controller could not decrypt it.
RESEND_WINDOW = 3.0
#: CCs a securely included node still supports without security (its NIF lists them).
PLAIN_CCS = frozenset({CC_ZWAVEPLUS_INFO, CC_TRANSPORT_SERVICE, S2_CC, S0_CC, CC_SUPERVISION})
#: CCs it supports both ways (in the NIF and in the secure list).
BOTH_WAYS = frozenset({CC_VERSION})
#: The all-zero key S0 uses to send the network key during inclusion.
S0_TEMP_KEYS = s0_derive_keys(bytes(16))

S2_NONCE_GET, S2_NONCE_REPORT, S2_ENCAP, S2_CMDS_GET = 0x01, 0x02, 0x03, 0x0D
S0_CMDS_GET, S0_SCHEME_GET, S0_NONCE_GET, S0_NONCE_REPORT = 0x02, 0x04, 0x40, 0x80
S0_ENCAP = (0x81, 0xC1)


def demo_private_key(name: str) -> bytes:
    """A fixed X25519 private key for a named demo device (so its DSK/PIN stay the same)."""
    return hashlib.sha256(f"zwave_serial virtual device {name}".encode()).digest()


class DeviceSecurity:
    """The security side of one virtual node (see the module docs).

    ``classes``: what the device supports and requests (S2 classes and/or ``S0_Legacy``).
    ``keys``: the network keys of a device that is already included securely; it is then granted
    ``classes``. ``private_key``: its X25519 key (random by default; it gives the DSK).
    """

    def __init__(
        self,
        node: VirtualNode,
        classes: tuple[SecurityClass, ...],
        keys: NetworkKeys | None = None,
        private_key: bytes | None = None,
    ) -> None:
        self.node = node
        self.classes = tuple(c for c in SECURITY_CLASS_ORDER if c in classes)
        self.s2_requested = tuple(c for c in self.classes if c.is_s2)
        self.supports_s0 = SecurityClass.S0_Legacy in self.classes
        self.key_pair = x25519_key_pair_from_private(private_key or os.urandom(32))
        self.granted: tuple[SecurityClass, ...] = ()
        self.keys = NetworkKeys()
        if keys is not None:
            self.keys = _only(keys, self.classes)
            self.granted = self.keys.security_classes
        self.joiner: Joiner | None = None
        self.s0_joiner: Joiner | None = None
        self.frames_sent = 0
        self._s2: S2SecurityManager | None = None
        self._s2_identity: tuple[int, int] | None = None
        self._s0_nonces = S0NonceTable()
        self._s0_reassembler = S0Reassembler()
        self._s0_counter = 0
        self._waiters: dict[tuple[str, int], asyncio.Future[Any]] = {}
        self._lock: asyncio.Lock | None = None
        self._last_s2: tuple[int, bytes, SecurityClass, float] | None = None

    def __repr__(self) -> str:
        granted = ",".join(c.name for c in self.granted) or "none"
        return f"DeviceSecurity(node={self.node.node_id}, granted={granted}, keys={self.keys!r})"

    # ------------------------------------------------------------------ identity
    @property
    def public_key(self) -> bytes:
        return self.key_pair.public_key

    @property
    def dsk_bytes(self) -> bytes:
        return dsk_from_public_key(self.public_key)

    @property
    def dsk(self) -> str:
        return dsk_to_string(self.dsk_bytes)

    @property
    def pin(self) -> str:
        return self.dsk[:5]

    def qr_code(self, smart_start: bool) -> str:
        """The S2 / SmartStart QR code text (Z-Wave JS ``packages/core/src/qr`` layout)."""
        info = self.node.info
        keys = security_classes_to_bits(self.classes)
        dsk_digits = "".join(f"{int.from_bytes(self.dsk_bytes[i : i + 2], 'big'):05d}" for i in range(0, 16, 2))
        product_type = _tlv(0x00, f"{info.generic << 8 | info.specific:05d}{info.icon:05d}")
        fw = info.firmware[0] << 8 | info.firmware[1]
        product_id = _tlv(
            0x01, f"{info.manufacturer_id:05d}{info.product_type:05d}{info.product_id:05d}{fw:05d}"
        )
        body = f"{keys:03d}{dsk_digits}{product_type}{product_id}"
        checksum = int.from_bytes(hashlib.sha1(body.encode()).digest()[:2], "big")
        return f"90{1 if smart_start else 0:02d}{checksum:05d}{body}"

    # ------------------------------------------------------------------ state
    @property
    def highest(self) -> SecurityClass | None:
        """The class the node sends its reports with (None: not securely included)."""
        cls = highest_security_class(self.granted)
        return None if cls is SecurityClass.NONE else cls

    @property
    def s2(self) -> S2SecurityManager:
        """The S2 sessions of the node with its current node ID and home ID."""
        stick = self.node.stick
        identity = (self.node.node_id, stick.home_id if stick is not None else 0)
        if self._s2 is None or identity != self._s2_identity:
            self._s2 = S2SecurityManager(self.keys, identity[0], identity[1])
            self._s2_identity = identity
        return self._s2

    def scaled(self, seconds: float) -> float:
        """A bootstrapping timer, scaled by the stick's ``timing.bootstrap_scale``."""
        stick = self.node.stick
        return seconds * (stick.timing.bootstrap_scale if stick is not None else 1.0)

    def nif_ccs(self, ccs: list[int]) -> list[int]:
        """The CCs the NIF lists: all of them until the node is included securely."""
        if not self.granted:
            return list(ccs)
        return [cc for cc in ccs if cc in PLAIN_CCS or cc in BOTH_WAYS]

    def secure_ccs(self) -> list[int]:
        """The CCs the node supports only (or also) with security: its Commands Supported Report."""
        return [cc for cc in self.node.nif_ccs if cc not in PLAIN_CCS]

    def secure_only(self, cc: int) -> bool:
        """True when a plain command of ``cc`` must be ignored (the node is included securely
        and supports ``cc`` only securely)."""
        if not self.granted or cc in PLAIN_CCS or cc in BOTH_WAYS:
            return False
        return cc in self.node.nif_ccs or (cc == CC_BASIC and self.node.basic_get is not None)

    # ------------------------------------------------------------------ keys
    def clear_keys(self) -> None:
        """Forget every key and session (a new inclusion starts, or the node resets)."""
        self.keys = NetworkKeys()
        self.granted = ()
        self._s2 = None
        self._s0_nonces = S0NonceTable()
        self._s0_reassembler = S0Reassembler()
        self._last_s2 = None

    def add_key(self, security_class: SecurityClass, key: bytes) -> None:
        """A key received during bootstrapping (usable at once, e.g. for Network Key Verify)."""
        values = {c.key_name: self.keys.get(c) for c in self.keys.security_classes}
        values[security_class.key_name] = key
        self.keys = NetworkKeys(**values)
        if self._s2 is not None:
            self._s2.keys = self.keys

    def s0_keys(self) -> S0Keys | None:
        """The keys S0 frames are decrypted with now (the all-zero key while S0 bootstraps)."""
        if self.s0_joiner is not None and self.s0_joiner.expects_temp_key:
            return S0_TEMP_KEYS
        if self.keys.has(SecurityClass.S0_Legacy):
            return self.keys.s0_keys()
        return None

    # ------------------------------------------------------------------ lifecycle
    def on_included(self) -> None:
        """The node was just added to a network: wait for the controller to bootstrap it."""
        from .bootstrap import S0Joiner, S2Joiner

        self.cancel_bootstrap()
        self.clear_keys()
        if self.s2_requested:
            self.joiner = S2Joiner(self)
            self.joiner.start()
        if self.supports_s0:
            self.s0_joiner = S0Joiner(self)
            self.s0_joiner.start()

    def cancel_bootstrap(self) -> None:
        for joiner in (self.joiner, self.s0_joiner):
            if joiner is not None:
                joiner.cancel()
        self.joiner = self.s0_joiner = None

    def bootstrap_started(self, joiner: Joiner) -> None:
        """One scheme started: the other one will not run."""
        other = self.s0_joiner if joiner is self.joiner else self.joiner
        if other is not None and other is not joiner:
            other.cancel()
            if other is self.joiner:
                self.joiner = None
            else:
                self.s0_joiner = None

    def bootstrap_done(self, granted: tuple[SecurityClass, ...]) -> None:
        self.granted = tuple(c for c in SECURITY_CLASS_ORDER if c in granted)
        self.keys = _only(self.keys, self.granted)
        if self._s2 is not None:
            self._s2.keys = self.keys
        self.joiner = self.s0_joiner = None
        _LOGGER.info(
            "virtual node %d: security bootstrapping done (%s)",
            self.node.node_id,
            ", ".join(c.name for c in self.granted) or "no keys",
        )

    def bootstrap_failed(self, reason: str) -> None:
        """Bootstrapping failed or timed out: the node resets itself and leaves the network."""
        _LOGGER.info("virtual node %d: security bootstrapping failed (%s): resetting", self.node.node_id, reason)
        self.joiner = self.s0_joiner = None
        self.node.leave_network()

    # ------------------------------------------------------------------ receive
    def receive(self, data: bytes, src: int) -> tuple[bytes, SecurityClass | None] | None:
        """A frame for the node: ``(CC bytes to dispatch, class they arrived with)``, or None
        when the security layer consumed it."""
        try:
            if data[0] == S2_CC and len(data) > 1 and self.s2_requested:
                return self._receive_s2(data, src)
            if data[0] == S0_CC and len(data) > 1 and self.supports_s0:
                return self._receive_s0(data, src)
        except DuplicateFrame:
            return None
        except SecurityError as err:
            _LOGGER.debug("virtual node %d: security frame dropped: %s", self.node.node_id, err)
            return None
        return data, None

    def _receive_s2(self, data: bytes, src: int) -> tuple[bytes, SecurityClass | None] | None:
        s2 = self.s2
        command = data[1]
        if command == S2_NONCE_GET:
            get = decode_s2_command(data)
            assert isinstance(get, S2NonceGet)
            self.send_plain(s2.receive_nonce_get(src, get).to_bytes())
            return None
        if command == S2_NONCE_REPORT:
            report = decode_s2_command(data)
            assert isinstance(report, S2NonceReport)
            s2.receive_nonce_report(src, report)
            if not self._resolve(("s2", src), report) and report.sos:
                self._resend_last(src)
            return None
        if command != S2_ENCAP:
            if self.joiner is not None:
                self.joiner.handle(data, None)
            return None  # a key exchange command, plain text
        classes = tuple(c for c in self.granted if c.is_s2)
        try:
            result = s2.decapsulate(src, data, classes)
        except DuplicateFrame:
            raise
        except SecurityError as err:
            _LOGGER.debug("virtual node %d: S2 frame did not decrypt (%s)", self.node.node_id, type(err).__name__)
            self.send_plain(s2.generate_nonce_report(src).to_bytes())
            return None
        return self._secure_payload(result.plaintext, result.security_class)

    def _secure_payload(self, payload: bytes, cls: SecurityClass) -> tuple[bytes, SecurityClass | None] | None:
        if not payload:
            return None
        if payload[0] == S2_CC and len(payload) > 1:
            if payload[1] == S2_CMDS_GET and cls.is_s2:
                ccs = self.secure_ccs() if cls == self.highest else []
                self.send(S2CommandsSupportedReport(tuple(ccs)).to_bytes(), cls)
            elif self.joiner is not None:
                self.joiner.handle(payload, cls)
            return None
        if payload[0] == S0_CC and len(payload) > 1:
            if payload[1] == S0_CMDS_GET and cls == SecurityClass.S0_Legacy and cls in self.granted:
                ccs = self.secure_ccs() if cls == self.highest else []
                self.send(S0CommandsSupportedReport(tuple(ccs)).to_bytes(), cls)
            elif self.s0_joiner is not None:
                self.s0_joiner.handle(payload, cls)
            return None
        if cls not in self.granted:
            return None  # the temporary keys carry only key exchange commands
        return payload, cls

    def _receive_s0(self, data: bytes, src: int) -> tuple[bytes, SecurityClass | None] | None:
        command = data[1]
        if command == S0_NONCE_GET:
            self.send_plain(bytes((S0_CC, S0_NONCE_REPORT)) + self._s0_nonces.generate(src))
            return None
        if command == S0_NONCE_REPORT:
            if len(data) >= 10:
                self._s0_nonces.store_received(src, data[2:10])
                self._resolve(("s0", src), None)
            return None
        if command not in S0_ENCAP:
            if self.s0_joiner is not None:
                self.s0_joiner.handle(data, None)
            return None
        keys = self.s0_keys()
        if keys is None:
            return None
        decrypted = s0_decapsulate(keys, self.node.node_id, src, data, self._s0_nonces)
        if decrypted.request_nonce:
            self.send_plain(bytes((S0_CC, S0_NONCE_REPORT)) + self._s0_nonces.generate(src))
        message = self._s0_reassembler.add(src, decrypted)
        if not message:
            return None
        return self._secure_payload(message, SecurityClass.S0_Legacy)

    # ------------------------------------------------------------------ send
    def send_plain(self, frame: bytes) -> None:
        """A frame to the controller as is (nonce exchange, plain key exchange commands)."""
        self.node.deliver(frame)

    def send(
        self, cc: bytes, security_class: SecurityClass, after: Callable[[], None] | None = None
    ) -> asyncio.Task[None]:
        """Encrypt ``cc`` with ``security_class`` and send it to the controller (in order,
        after the frames before it); ``after`` runs once it went out (or failed)."""
        return self.node.spawn(self._send(bytes(cc), security_class, after))

    async def _send(self, cc: bytes, cls: SecurityClass, after: Callable[[], None] | None) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            try:
                if cls == SecurityClass.S0_Legacy:
                    await self._send_s0(cc)
                else:
                    await self._send_s2(cc, cls)
            except (TimeoutError, ZWaveError, ValueError) as err:
                _LOGGER.debug("virtual node %d: secure frame not sent: %s", self.node.node_id, type(err).__name__)
            finally:
                if after is not None:
                    after()

    async def _send_s2(self, cc: bytes, cls: SecurityClass, resend: bool = False) -> None:
        s2 = self.s2
        try:
            frame = s2.encapsulate(HOST, cc, cls)
        except NonceRequired:
            future = self._waiter(("s2", HOST))
            self.send_plain(s2.nonce_get(HOST).to_bytes())
            await asyncio.wait_for(future, NONCE_TIMEOUT)
            frame = s2.encapsulate(HOST, cc, cls)
        loop = asyncio.get_running_loop()
        self._last_s2 = None if resend else (HOST, cc, cls, loop.time())
        self.frames_sent += 1
        self.node.deliver(frame)

    def _resend_last(self, peer: int) -> None:
        last, self._last_s2 = self._last_s2, None
        if last is None or last[0] != peer:
            return
        _, cc, cls, sent_at = last
        if asyncio.get_running_loop().time() - sent_at > RESEND_WINDOW:
            return

        async def resend() -> None:
            if self._lock is None:
                self._lock = asyncio.Lock()
            async with self._lock:
                try:
                    await self._send_s2(cc, cls, resend=True)
                except (TimeoutError, ZWaveError) as err:
                    _LOGGER.debug("virtual node %d: resend failed: %s", self.node.node_id, type(err).__name__)

        self.node.spawn(resend())

    async def _send_s0(self, cc: bytes) -> None:
        keys = self.keys.s0_keys()
        self._s0_counter = (self._s0_counter + 1) & 0x0F
        segments = split_payload(cc, self._s0_counter)
        future = self._waiter(("s0", HOST))
        self.send_plain(bytes((S0_CC, S0_NONCE_GET)))
        for segment in segments:
            await asyncio.wait_for(future, NONCE_TIMEOUT)
            receiver_nonce = self._s0_nonces.take_received(HOST)
            frame = s0_encapsulate(
                keys,
                self.node.node_id,
                HOST,
                receiver_nonce,
                segment.data,
                sequence_info=segment.sequence_info,
                request_nonce=segment.request_nonce,
            )
            if segment.request_nonce:
                future = self._waiter(("s0", HOST))  # the 0xC1 frame asks for the next nonce
            self.frames_sent += 1
            self.node.deliver(frame)

    # ------------------------------------------------------------------ waiters
    def _waiter(self, key: tuple[str, int]) -> asyncio.Future[Any]:
        old = self._waiters.get(key)
        if old is not None and not old.done():
            old.cancel()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters[key] = future
        return future

    def _resolve(self, key: tuple[str, int], value: Any) -> bool:
        future = self._waiters.pop(key, None)
        if future is None or future.done():
            return False
        future.set_result(value)
        return True


def _only(keys: NetworkKeys, classes: tuple[SecurityClass, ...]) -> NetworkKeys:
    """``keys`` restricted to ``classes`` (a device holds only the keys it was granted)."""
    return NetworkKeys(**{c.key_name: keys.get(c) for c in classes if keys.has(c)})


def _tlv(tlv_type: int, data: str) -> str:
    return f"{tlv_type << 1:02d}{len(data):02d}{data}"


__all__ = ["DeviceSecurity", "demo_private_key"]
