"""S2 bootstrapping, including side (Z-Wave JS ``Controller.secureBootstrapS2``; protocol-facts §5.2).

KEX Get → KEX Report (checked: no echo, scheme 1, Curve25519, no CSA, a class we hold a key
for) → the user grants classes (TAI1) → KEX Set → the device's Public Key Report (TA2) → our
Public Key Report → for S2 Authenticated / Access Control the user types the PIN hidden in the
device's key (TAI2) → ECDH → temporary key → the device's KEX Set echo, encrypted with it
(TAI2; frames that keep failing to decrypt mean a wrong PIN) → our KEX Report echo → per granted
class: Network Key Get (TA3) → Network Key Report → Network Key Verify, encrypted with that key
(TA4) → Transfer End (key verified) → finally the device's Transfer End (TA5).

Failures answer the device with KEX Fail as Z-Wave JS does and end in a :class:`BootstrapFailure`.
Provisioned devices (SmartStart, QR code) skip the user: the classes come from the entry, the
PIN from its DSK, and the DSK of the public key must match the entry.  Secrets (keys, the
shared secret, the PIN) are never logged.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from ..cc import CCCommand
from ..errors import CCDecodeError, NodeNoAck, NodeTimeout, ZWaveError
from ..security.crypto import derive_temp_keys, x25519_generate_key_pair, x25519_shared_secret
from ..security.errors import DecryptionFailed, DuplicateFrame, NonceRequired, NoSpan, SecurityError
from ..security.keys import (
    SECURITY_CLASS_ORDER,
    SecurityClass,
    dsk_to_string,
    dsk_with_hidden_pin,
    public_key_with_pin,
)
from ..security.s2 import S2SecurityManager
from ..security.s2_codec import (
    MESSAGE_ENCAPSULATION,
    NONCE_GET,
    NONCE_REPORT,
    S2NonceReport,
    decode_s2_command,
)
from ..security.s2_kex import (
    ECDHProfile,
    KEXFailType,
    KEXScheme,
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
from ..serialapi.engine import Priority
from ..serialapi.transmit import DEFAULT_TX_OPTIONS, TxOptions
from .bootstrap import BootstrapHost, BootstrapOutcome, Inbox, Received, is_command
from .inclusion_types import BootstrapFailure, InclusionGrant, InclusionUserCallbacks

_LOGGER = logging.getLogger(__name__)

S2_CC = 0x9F
_AUTHENTICATED = (SecurityClass.S2_AccessControl, SecurityClass.S2_Authenticated)


@dataclass(frozen=True, slots=True)
class Provisioned:
    """A pre-approved device (SmartStart / QR code): its DSK and the classes to grant."""

    dsk: str
    security_classes: tuple[SecurityClass, ...]


class _Failed(Exception):
    def __init__(self, failure: BootstrapFailure) -> None:
        super().__init__(failure)
        self.failure = failure


class S2Bootstrap:
    """One S2 key exchange with ``node_id``; feed it the device's frames with :meth:`handle`."""

    def __init__(
        self,
        host: BootstrapHost,
        node_id: int,
        callbacks: InclusionUserCallbacks | None,
        provisioned: Provisioned | None = None,
    ) -> None:
        self._host = host
        self.node_id = node_id
        self._callbacks = callbacks
        self._provisioned = provisioned
        self._ta: float = host.options.bootstrap_timeout
        self._tai: float = host.options.bootstrap_user_timeout
        # The driver's own S2 session (our sequence numbers must go on after the inclusion, or
        # the device drops our first secure frame as a repeat); a private one without S2 keys.
        shared = host.security.s2_session()
        self.s2 = shared or S2SecurityManager(host.security.keys, host.own_node_id, host.home_id)
        self.inbox = Inbox()
        self._nonce: asyncio.Future[None] | None = None
        self._unread_before_key = False  # an encrypted frame came before the temporary key
        self._watch_pin = False  # waiting for the KEX Set echo: decryption failures mean a wrong PIN
        self._decrypt_failures = 0
        self._temp_key_set = False

    def __repr__(self) -> str:
        return f"S2Bootstrap(node_id={self.node_id})"

    # --- frames from the device ---------------------------------------------------------

    def handle(self, data: bytes) -> None:
        if len(data) < 2 or data[0] != S2_CC:
            return
        try:
            if data[1] == NONCE_GET:
                get = decode_s2_command(data)
                self._send_soon(self.s2.receive_nonce_get(self.node_id, get).to_bytes())  # type: ignore[arg-type]
            elif data[1] == NONCE_REPORT:
                report = decode_s2_command(data)
                assert isinstance(report, S2NonceReport)
                self.s2.receive_nonce_report(self.node_id, report)
                if self._nonce is not None and not self._nonce.done() and report.sos:
                    self._nonce.set_result(None)
            elif data[1] == MESSAGE_ENCAPSULATION:
                self._receive_encrypted(data)
            else:
                self.inbox.put(Received(decode_s2_command(data)))
        except DuplicateFrame:
            pass
        except (SecurityError, CCDecodeError, ValueError) as err:
            _LOGGER.debug("S2 bootstrap of node %s: frame dropped (%s)", self.node_id, type(err).__name__)

    def _receive_encrypted(self, data: bytes) -> None:
        if not self._temp_key_set:
            self._unread_before_key = True  # read again once the PIN gave us the key
            return
        try:
            result = self.s2.decapsulate(self.node_id, data)
        except NoSpan:
            self._send_nonce_report()
            return
        except DecryptionFailed:
            self._decrypt_failures += 1
            if self._watch_pin and self._decrypt_failures > 1:
                self.inbox.put(Received(None))  # the temporary keys differ: a wrong PIN
            else:
                self._send_nonce_report()
            return
        if result.plaintext[:1] == bytes((S2_CC,)):
            self.inbox.put(Received(decode_s2_command(result.plaintext), result.security_class))

    def _send_nonce_report(self) -> None:
        self._send_soon(self.s2.generate_nonce_report(self.node_id).to_bytes())

    def _send_soon(self, frame: bytes) -> None:
        async def send() -> None:
            try:
                await self._host.send_raw(self.node_id, frame, Priority.CONTROLLER)
            except ZWaveError as err:
                _LOGGER.debug("S2 bootstrap nonce to node %s failed: %s", self.node_id, err)

        self._host.create_task(send(), f"S2 bootstrap nonce node {self.node_id}")

    # --- sending ------------------------------------------------------------------------

    async def _send(self, command: CCCommand) -> None:
        await self._host.send_raw(self.node_id, command.to_bytes(), Priority.CONTROLLER)

    async def _send_secure(self, command: CCCommand, *, ack: bool = True) -> None:
        """``command`` encrypted (the temporary key), asking for a nonce first when needed."""
        try:
            frame = self.s2.encapsulate(self.node_id, command.to_bytes())
        except NonceRequired:
            loop = asyncio.get_running_loop()
            self._nonce = loop.create_future()
            await self._host.send_raw(self.node_id, self.s2.nonce_get(self.node_id).to_bytes(), Priority.CONTROLLER)
            try:
                async with asyncio.timeout(self._ta):
                    await self._nonce
            except TimeoutError:
                raise NodeTimeout(f"node {self.node_id} sent no nonce", self.node_id) from None
            frame = self.s2.encapsulate(self.node_id, command.to_bytes())
        options = DEFAULT_TX_OPTIONS if ack else DEFAULT_TX_OPTIONS & ~TxOptions.ACK
        await self._host.api.send_data(self.node_id, frame, tx_options=options, priority=Priority.CONTROLLER)

    async def _abort(self, code: KEXFailType | None, failure: BootstrapFailure) -> _Failed:
        """Tell the device (KEX Fail ``code``) and return the failure to raise."""
        if code is not None:
            try:
                if code in (KEXFailType.DECRYPT, KEXFailType.WRONG_SECURITY_LEVEL, KEXFailType.KEY_NOT_GRANTED,
                            KEXFailType.NO_VERIFY) and self._temp_key_set:
                    await self._send_secure(S2KEXFail(code))
                else:
                    await self._send(S2KEXFail(code))
            except ZWaveError as err:
                _LOGGER.debug("KEX Fail to node %s not delivered: %s", self.node_id, err)
        return _Failed(failure)

    async def _abort_user(self) -> _Failed:
        if self._callbacks is not None:
            try:
                self._callbacks.abort()
            except Exception:  # an application callback must not break the inclusion
                _LOGGER.exception("Inclusion abort callback failed")
        return await self._abort(KEXFailType.BOOTSTRAPPING_CANCELED, BootstrapFailure.USER_CANCELED)

    async def _wait(self, *types: type[CCCommand], timeout: float) -> Received:
        item = await self.inbox.wait(is_command(S2KEXFail, *types), timeout)
        if item is None:
            raise _Failed(BootstrapFailure.TIMEOUT)
        if isinstance(item.command, S2KEXFail):
            _LOGGER.info("Node %s cancelled the S2 key exchange (KEX Fail %s)", self.node_id, item.command.fail_type)
            raise _Failed(BootstrapFailure.from_kex_fail(int(item.command.fail_type)))
        return item

    # --- the exchange -------------------------------------------------------------------

    async def run(self) -> BootstrapOutcome:
        try:
            granted, dsk = await self._exchange()
        except _Failed as failed:
            _LOGGER.warning("S2 bootstrapping of node %s failed: %s", self.node_id, failed.failure)
            return BootstrapOutcome(failure=failed.failure)
        except (NodeNoAck, NodeTimeout) as err:
            _LOGGER.warning("S2 bootstrapping of node %s failed: %s", self.node_id, err)
            return BootstrapOutcome(failure=BootstrapFailure.TIMEOUT)
        except ZWaveError as err:
            _LOGGER.warning("S2 bootstrapping of node %s failed: %s", self.node_id, err)
            return BootstrapOutcome(failure=BootstrapFailure.UNKNOWN)
        finally:
            self.s2.clear_temporary_keys(self.node_id)
        _LOGGER.info("S2 bootstrapping of node %s done: %s", self.node_id, ", ".join(c.name for c in granted))
        return BootstrapOutcome(granted=granted, dsk=dsk)

    async def _exchange(self) -> tuple[tuple[SecurityClass, ...], str]:
        keys = self._host.security.keys
        await self._send(S2KEXGet())
        report = (await self._wait(S2KEXReport, timeout=self._ta)).command
        assert isinstance(report, S2KEXReport)
        if report.echo:
            raise await self._abort(KEXFailType.NO_VERIFY, BootstrapFailure.PARAMETER_MISMATCH)
        if tuple(report.schemes) != (KEXScheme.KEX_SCHEME_1,):
            raise await self._abort(KEXFailType.NO_SUPPORTED_SCHEME, BootstrapFailure.NO_SUPPORTED_SCHEME)
        if tuple(report.ecdh_profiles) != (ECDHProfile.CURVE25519,):
            raise await self._abort(KEXFailType.NO_SUPPORTED_CURVE, BootstrapFailure.NO_SUPPORTED_CURVE)
        if report.request_csa:
            raise await self._abort(KEXFailType.BOOTSTRAPPING_CANCELED, BootstrapFailure.PARAMETER_MISMATCH)
        supported = tuple(c for c in SECURITY_CLASS_ORDER if c in report.requested_keys and keys is not None and keys.has(c))
        if not supported:
            raise await self._abort(KEXFailType.NO_KEY_MATCH, BootstrapFailure.NO_KEY_MATCH)

        granted = await self._grant(supported)
        await self._send(S2KEXSet(granted_keys=granted))
        answer = (await self._wait(S2PublicKeyReport, timeout=self._ta)).command
        assert isinstance(answer, S2PublicKeyReport)
        if answer.including_node:
            raise await self._abort(None, BootstrapFailure.NODE_CANCELED)
        loop = asyncio.get_running_loop()
        tai2_end = loop.time() + self._tai
        own = x25519_generate_key_pair()
        await self._send(S2PublicKeyReport(own.public_key, including_node=True))

        node_key = bytes(answer.public_key)
        if any(c in _AUTHENTICATED for c in granted):
            pin = await self._pin(node_key[:16], tai2_end - loop.time())
            node_key = public_key_with_pin(node_key, pin)
        elif self._provisioned is not None and dsk_to_string(node_key[:16]) != self._provisioned.dsk:
            _LOGGER.warning("Node %s: the DSK of its public key is not the provisioned one", self.node_id)
            raise await self._abort_user()
        temp = derive_temp_keys(x25519_shared_secret(own.private_key, node_key), own.public_key, node_key)
        self.s2.set_temporary_keys(self.node_id, temp)
        self._temp_key_set = True
        if self._unread_before_key:
            self._send_nonce_report()  # the device sends its KEX Set echo again, now readable

        self._watch_pin = True
        remaining = tai2_end - loop.time()
        if remaining <= 0:
            raise await self._abort_user()
        echo = await self._wait(S2KEXSet, timeout=remaining)
        self._watch_pin = False
        if echo.command is None:
            raise await self._abort(KEXFailType.BOOTSTRAPPING_CANCELED, BootstrapFailure.WRONG_PIN)
        kex_set = echo.command
        assert isinstance(kex_set, S2KEXSet)
        if not kex_set.echo:
            raise await self._abort(KEXFailType.WRONG_SECURITY_LEVEL, BootstrapFailure.NODE_CANCELED)
        if echo.security_class is not SecurityClass.TEMPORARY or set(kex_set.granted_keys) != set(granted):
            raise await self._abort(KEXFailType.WRONG_SECURITY_LEVEL, BootstrapFailure.WRONG_SECURITY_LEVEL)
        await self._send_secure(
            S2KEXReport(
                requested_keys=report.requested_keys,
                schemes=report.schemes,
                ecdh_profiles=report.ecdh_profiles,
                echo=True,
                request_csa=report.request_csa,
            )
        )
        for _ in granted:
            await self._transfer_key(granted)
        end = (await self._wait(S2TransferEnd, timeout=self._ta)).command
        assert isinstance(end, S2TransferEnd)
        if not end.key_request_complete:
            raise await self._abort(KEXFailType.NO_VERIFY, BootstrapFailure.NO_VERIFY)
        return granted, dsk_to_string(node_key[:16])

    async def _transfer_key(self, granted: tuple[SecurityClass, ...]) -> None:
        request = await self._wait(S2NetworkKeyGet, timeout=self._ta)
        get = request.command
        assert isinstance(get, S2NetworkKeyGet)
        if request.security_class is not SecurityClass.TEMPORARY:
            raise await self._abort(KEXFailType.WRONG_SECURITY_LEVEL, BootstrapFailure.WRONG_SECURITY_LEVEL)
        if get.requested_key not in granted:
            raise await self._abort(KEXFailType.KEY_NOT_GRANTED, BootstrapFailure.KEY_NOT_GRANTED)
        key = self._host.security.keys.get(get.requested_key)
        await self._send_secure(S2NetworkKeyReport(get.requested_key, key))
        verify = await self._wait(S2NetworkKeyVerify, timeout=self._ta)
        if verify.security_class is not get.requested_key:
            raise await self._abort(KEXFailType.NO_VERIFY, BootstrapFailure.NO_VERIFY)
        # Back to the temporary key for the rest of the exchange: a fresh SPAN.
        self.s2.reset_peer(self.node_id)
        await self._send_secure(S2TransferEnd(key_verified=True), ack=False)

    async def _grant(self, supported: tuple[SecurityClass, ...]) -> tuple[SecurityClass, ...]:
        if self._provisioned is not None:
            answer: InclusionGrant | None = InclusionGrant(self._provisioned.security_classes)
        elif self._callbacks is None:
            # Nobody to ask for a PIN: grant what needs none.
            answer = InclusionGrant(tuple(c for c in supported if c not in _AUTHENTICATED))
        else:
            answer = await self._ask(self._callbacks.grant_security_classes(InclusionGrant(supported)), self._tai)
        chosen = () if answer is None else tuple(c for c in supported if c in answer.security_classes)
        if not chosen:
            raise await self._abort_user()
        return chosen

    async def _pin(self, dsk: bytes, remaining: float) -> str:
        if self._provisioned is not None:
            full = self._provisioned.dsk
            if full[5:] != dsk_to_string(dsk)[5:]:
                _LOGGER.warning("Node %s: its DSK is not the provisioned one", self.node_id)
                raise await self._abort_user()
            return full[:5]
        if self._callbacks is None or remaining <= 0:
            raise await self._abort_user()
        pin = await self._ask(self._callbacks.validate_dsk_and_enter_pin(dsk_with_hidden_pin(dsk)), remaining)
        if not isinstance(pin, str) or len(pin.strip()) != 5 or not pin.strip().isdigit() or int(pin) > 0xFFFF:
            raise await self._abort_user()
        return pin.strip()

    async def _ask(self, coro: Any, timeout: float) -> Any:
        """An application callback, bounded by ``timeout``; its errors count as "cancel"."""
        try:
            async with asyncio.timeout(timeout):
                return await coro
        except TimeoutError:
            return None
        except Exception:
            _LOGGER.exception("Inclusion user callback failed")
            return None


__all__ = ["Provisioned", "S2Bootstrap"]
