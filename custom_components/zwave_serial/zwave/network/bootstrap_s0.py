"""S0 bootstrapping, including side (Z-Wave JS ``Controller.secureBootstrapS0``; protocol-facts §5.1).

Scheme Get → Scheme Report → Nonce Get → the device's nonce → Network Key Set, encrypted with
the all-zero temporary key → the device's Network Key Verify, encrypted with the network key.
Each step has ``bootstrap_timeout`` (10 s).  The device asks for our nonce to encrypt its
Verify: that nonce comes from a session holding the real key.  A controller would also get
Scheme Inherit; only end nodes are bootstrapped here.  The key is never logged.
"""

from __future__ import annotations

import asyncio
import logging

from ..cc import CCCommand
from ..errors import CCDecodeError, NodeNoAck, NodeTimeout, ZWaveError
from ..security.crypto import KEY_SIZE, s0_derive_keys
from ..security.errors import SecurityError
from ..security.keys import SecurityClass
from ..security.s0 import S0Session
from ..security.s0_codec import (
    MESSAGE_ENCAPSULATION,
    MESSAGE_ENCAPSULATION_NONCE_GET,
    NONCE_GET,
    NONCE_REPORT,
    S0NetworkKeySet,
    S0NetworkKeyVerify,
    S0NonceGet,
    S0NonceReport,
    S0SchemeGet,
    S0SchemeReport,
    decode_s0_command,
)
from ..serialapi.engine import Priority
from .bootstrap import BootstrapHost, BootstrapOutcome, Inbox, Received, is_command
from .inclusion_types import BootstrapFailure

_LOGGER = logging.getLogger(__name__)

S0_CC = 0x98


class S0Bootstrap:
    """One S0 key exchange with ``node_id``; feed it the device's frames with :meth:`handle`."""

    def __init__(self, host: BootstrapHost, node_id: int) -> None:
        self._host = host
        self.node_id = node_id
        self._timeout: float = host.options.bootstrap_timeout
        keys = host.security.keys
        self._real = S0Session(keys.s0_keys(), host.own_node_id) if keys is not None and keys.has(SecurityClass.S0_Legacy) else None
        self._temp = S0Session(s0_derive_keys(bytes(KEY_SIZE)), host.own_node_id)
        self.inbox = Inbox()
        self._nonce: asyncio.Future[None] | None = None

    def __repr__(self) -> str:
        return f"S0Bootstrap(node_id={self.node_id})"

    def handle(self, data: bytes) -> None:
        if len(data) < 2 or data[0] != S0_CC:
            return
        try:
            command = data[1]
            if command == NONCE_GET:
                if self._real is not None:
                    self._send_soon(self._real.nonce_report(self.node_id).to_bytes())
            elif command == NONCE_REPORT:
                report = decode_s0_command(data)
                assert isinstance(report, S0NonceReport)
                self._temp.receive_nonce_report(self.node_id, report)
                if self._nonce is not None and not self._nonce.done():
                    self._nonce.set_result(None)
            elif command in (MESSAGE_ENCAPSULATION, MESSAGE_ENCAPSULATION_NONCE_GET):
                if self._real is None:
                    return
                received = self._real.decapsulate(self.node_id, data)
                if received.message and received.message[0] == S0_CC:
                    self.inbox.put(Received(decode_s0_command(received.message), SecurityClass.S0_Legacy))
            else:
                self.inbox.put(Received(decode_s0_command(data)))
        except (SecurityError, CCDecodeError, ValueError) as err:
            _LOGGER.debug("S0 bootstrap of node %s: frame dropped (%s)", self.node_id, type(err).__name__)

    def _send_soon(self, frame: bytes) -> None:
        async def send() -> None:
            try:
                await self._host.send_raw(self.node_id, frame, Priority.CONTROLLER)
            except ZWaveError as err:
                _LOGGER.debug("S0 bootstrap nonce to node %s failed: %s", self.node_id, err)

        self._host.create_task(send(), f"S0 bootstrap nonce node {self.node_id}")

    async def _send(self, command: CCCommand | bytes) -> None:
        data = command if isinstance(command, bytes) else command.to_bytes()
        await self._host.send_raw(self.node_id, data, Priority.CONTROLLER)

    async def _wait(self, kind: type[CCCommand]) -> Received:
        item = await self.inbox.wait(is_command(kind), self._timeout)
        if item is None or item.command is None:
            raise NodeTimeout(f"node {self.node_id} did not answer in the S0 key exchange", self.node_id)
        return item

    async def run(self) -> BootstrapOutcome:
        if self._real is None:
            return BootstrapOutcome(failure=BootstrapFailure.NO_KEYS)
        try:
            await self._send(S0SchemeGet())
            await self._wait(S0SchemeReport)
            self._nonce = asyncio.get_running_loop().create_future()
            await self._send(S0NonceGet())
            try:
                async with asyncio.timeout(self._timeout):
                    await self._nonce
            except TimeoutError:
                raise NodeTimeout(f"node {self.node_id} sent no S0 nonce", self.node_id) from None
            key = self._host.security.keys.get(SecurityClass.S0_Legacy)
            (segment,) = self._temp.segments(S0NetworkKeySet(key).to_bytes())
            await self._send(self._temp.encapsulate_segment(self.node_id, segment))
            verify = await self._wait(S0NetworkKeyVerify)
            if verify.security_class is not SecurityClass.S0_Legacy:
                return BootstrapOutcome(failure=BootstrapFailure.NO_VERIFY)
        except (NodeNoAck, NodeTimeout) as err:
            _LOGGER.warning("S0 bootstrapping of node %s failed: %s", self.node_id, err)
            return BootstrapOutcome(failure=BootstrapFailure.TIMEOUT)
        except ZWaveError as err:
            _LOGGER.warning("S0 bootstrapping of node %s failed: %s", self.node_id, err)
            return BootstrapOutcome(failure=BootstrapFailure.UNKNOWN)
        finally:
            self._temp.forget(self.node_id)
        _LOGGER.info("S0 bootstrapping of node %s done", self.node_id)
        return BootstrapOutcome(granted=(SecurityClass.S0_Legacy,))


__all__ = ["S0Bootstrap"]
