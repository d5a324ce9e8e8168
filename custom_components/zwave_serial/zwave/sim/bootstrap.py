"""Joining side of security bootstrapping for a virtual node (S2 and S0).

:class:`S2Joiner` follows the joining-node state machine of Silicon Labs' libs2
(``s2_inclusion.c``) with its timers (scaled by the stick's ``timing.bootstrap_scale``):

1. after inclusion, wait up to TB1 (30 s) for KEX Get; none: the node stays included without
   security (not a failure);
2. KEX Get (plain) → KEX Report ``[echo 0][scheme 1][Curve25519][requested keys]``; TB2 240 s;
3. KEX Set (plain) → checked (one supported scheme, KEX_SCHEME 0x02; one supported curve,
   KEX_CURVES 0x03; only requested keys and no CSA, KEX_KEY 0x01) → Public Key Report (ours,
   bytes 0-1 zeroed when S2 Authenticated or Access Control was granted); TB3 10 s;
4. the controller's Public Key Report → ECDH, temporary keys → KEX Set echo encrypted with
   the temporary key, resent every TB5 (10 s) for up to TBI1 (240 s) while the controller's
   user checks the DSK / types the PIN;
5. KEX Report echo (temporary key) must repeat our KEX Report exactly (else KEX Fail AUTH 0x07)
   → per granted key, lowest first: Network Key Get (temporary key) → Network Key Report (the
   key asked for, else KEX Fail 0x0A) → Network Key Verify encrypted with that key → Transfer End
   (key verified) → ... → our Transfer End (key request complete) under the temporary key.

A command under the wrong key (or in plain text when it must be encrypted) gets KEX Fail AUTH
(0x07). A KEX Fail from the controller, a timeout, or any failure above ends bootstrapping: the
node then resets itself (leaves the network and waits to be included again).

:class:`S0Joiner`: Scheme Get → Scheme Report; the Network Key Set arrives encrypted with the
all-zero temporary key; Network Key Verify goes back encrypted with the new key. 10 s per step.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

from ..errors import ZWaveError
from ..security.crypto import derive_temp_keys, x25519_shared_secret
from ..security.errors import SecurityDecodeError
from ..security.keys import SecurityClass, security_classes_from_bits, security_classes_to_bits
from ..security.s2_codec import decode_s2_command
from ..security.s2_kex import (
    KEXFailType,
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

if TYPE_CHECKING:
    from .security import DeviceSecurity

_LOGGER = logging.getLogger(__name__)

TB1, TB2, TB3, TB5, TB7, TBI1 = 30.0, 240.0, 10.0, 10.0, 10.0, 240.0
S0_STEP = 10.0
SCHEME_1 = 0x02  # bit 1 of the schemes byte
CURVE_25519 = 0x01
ECHO, CSA = 0x01, 0x02
TEMP = SecurityClass.TEMPORARY
_AUTHENTICATED = SecurityClass.S2_Authenticated.key_bit | SecurityClass.S2_AccessControl.key_bit


class Step(Enum):
    IDLE = "idle"
    AWAIT_KEX_GET = "await KEX Get"
    AWAIT_KEX_SET = "await KEX Set"
    AWAIT_PUBLIC_KEY = "await public key"
    ECHO_KEX_SET = "sending KEX Set echo"
    AWAIT_NETWORK_KEY = "await Network Key Report"
    KEY_VERIFIED = "await Transfer End"
    AWAIT_SCHEME_GET = "await Scheme Get"
    AWAIT_KEY_SET = "await Network Key Set"
    DONE = "done"
    FAILED = "failed"


class Joiner:
    """Common timer / end handling of :class:`S2Joiner` and :class:`S0Joiner`."""

    #: S0 frames are decrypted with the all-zero key while this is True.
    expects_temp_key = False

    def __init__(self, sec: DeviceSecurity) -> None:
        self.sec = sec
        self.step = Step.IDLE
        self._timer: asyncio.TimerHandle | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.step.value})"

    @property
    def active(self) -> bool:
        return self.step not in (Step.IDLE, Step.DONE, Step.FAILED)

    def start(self) -> None:
        raise NotImplementedError

    def handle(self, data: bytes, cls: SecurityClass | None) -> None:
        raise NotImplementedError

    def _arm(self, seconds: float, expired: Callable[[], None]) -> None:
        self._disarm()
        self._timer = asyncio.get_running_loop().call_later(self.sec.scaled(seconds), expired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def cancel(self) -> None:
        """Stop without any effect (the other scheme runs, or the node resets)."""
        self._disarm()
        self.step = Step.IDLE

    def _never_started(self) -> None:
        """The controller did not bootstrap this scheme: the node stays included without it."""
        self._timer = None
        self.step = Step.IDLE
        if self.sec.joiner is self:
            self.sec.joiner = None
        if self.sec.s0_joiner is self:
            self.sec.s0_joiner = None

    def _timeout(self) -> None:
        self._timer = None
        self._abort(f"timeout in step '{self.step.value}'")

    def _abort(self, reason: str) -> None:
        self._disarm()
        self.step = Step.FAILED
        self.sec.bootstrap_failed(reason)

    def _finish(self, granted: tuple[SecurityClass, ...]) -> None:
        self._disarm()
        self.step = Step.DONE
        self.sec.bootstrap_done(granted)


class S2Joiner(Joiner):
    """S2 bootstrapping, joining side (see the module docs)."""

    def __init__(self, sec: DeviceSecurity) -> None:
        super().__init__(sec)
        self.requested_mask = security_classes_to_bits(sec.s2_requested)
        self.granted_mask = 0
        self.kex_flags = 0
        self.pending: list[SecurityClass] = []
        self.current: SecurityClass | None = None
        self.received: list[SecurityClass] = []
        self.echo_left = 0

    def start(self) -> None:
        self.step = Step.AWAIT_KEX_GET
        self._arm(TB1, self._never_started)

    # --- receive ------------------------------------------------------------------------
    def handle(self, data: bytes, cls: SecurityClass | None) -> None:
        if not self.active:
            return
        try:
            command = decode_s2_command(data)
        except SecurityDecodeError:
            if len(data) > 1 and 0x04 <= data[1] <= 0x0C:
                self._abort("malformed key exchange command")  # libs2: too short -> error
            return
        if isinstance(command, S2KEXFail):
            if cls in (None, TEMP):
                self._abort(f"the controller sent KEX Fail 0x{int(command.fail_type):02X}")
            return
        expected = self._expected_class(command)
        if expected is False:
            return  # not something the joining node receives
        if cls != expected:
            self._fail(KEXFailType.WRONG_SECURITY_LEVEL)
            return
        step = self.step
        if step == Step.AWAIT_KEX_GET and isinstance(command, S2KEXGet):
            self._kex_get()
        elif step == Step.AWAIT_KEX_SET and isinstance(command, S2KEXSet) and not data[2] & ECHO:
            self._kex_set(data)
        elif step == Step.AWAIT_PUBLIC_KEY and isinstance(command, S2PublicKeyReport) and command.including_node:
            self._public_key(command.public_key)
        elif step == Step.ECHO_KEX_SET and isinstance(command, S2KEXReport) and command.echo:
            self._kex_report_echo(data)
        elif step == Step.AWAIT_NETWORK_KEY and isinstance(command, S2NetworkKeyReport):
            self._network_key(command)
        elif step == Step.KEY_VERIFIED and isinstance(command, S2TransferEnd):
            self._transfer_end(command)
        # anything else in the wrong step is ignored (late repeats), as libs2 does

    @staticmethod
    def _expected_class(command: object) -> SecurityClass | None | bool:
        """The class a command must arrive with (None: plain), or False for commands only the
        joining node sends."""
        if isinstance(command, S2KEXGet | S2PublicKeyReport):
            return None
        if isinstance(command, S2KEXSet | S2KEXReport):
            return TEMP if command.echo else None
        if isinstance(command, S2NetworkKeyReport | S2TransferEnd):
            return TEMP
        return False

    # --- steps -------------------------------------------------------------------------
    def _kex_get(self) -> None:
        self.sec.bootstrap_started(self)
        self.sec.clear_keys()  # libs2 forgets old keys once the controller really starts
        report = S2KEXReport(self.sec.s2_requested)
        self.sec.send_plain(report.to_bytes())
        self.step = Step.AWAIT_KEX_SET
        self._arm(TB2, self._timeout)

    def _kex_set(self, data: bytes) -> None:
        flags, schemes, curves, keys = data[2], data[3], data[4], data[5]
        if schemes & (schemes - 1) or not schemes & SCHEME_1:
            self._fail(KEXFailType.NO_SUPPORTED_SCHEME)
        elif curves & (curves - 1) or not curves & CURVE_25519:
            self._fail(KEXFailType.NO_SUPPORTED_CURVE)
        elif keys & ~self.requested_mask or flags & CSA:
            self._fail(KEXFailType.NO_KEY_MATCH)
        else:
            self.granted_mask, self.kex_flags = keys, flags
            public_key = self.sec.public_key
            if keys & _AUTHENTICATED:
                public_key = bytes(2) + public_key[2:]  # the user types bytes 0-1 as the PIN
            self.sec.send_plain(S2PublicKeyReport(public_key, including_node=False).to_bytes())
            self.step = Step.AWAIT_PUBLIC_KEY
            self._arm(TB3, self._timeout)

    def _public_key(self, host_key: bytes) -> None:
        try:
            secret = x25519_shared_secret(self.sec.key_pair.private_key, host_key)
        except ValueError:
            self._abort("invalid public key from the controller")
            return
        temp = derive_temp_keys(secret, host_key, self.sec.public_key)
        self.sec.s2.set_temporary_keys(1, temp)
        self._disarm()
        self.step = Step.ECHO_KEX_SET
        self.echo_left = max(1, round(TBI1 / TB5))
        self._send_echo()

    def _send_echo(self) -> None:
        self._timer = None
        if self.echo_left <= 0:
            self._abort("no KEX Report echo")
            return
        self.echo_left -= 1
        echo = S2KEXSet(
            security_classes_from_bits(self.granted_mask), echo=True, permit_csa=bool(self.kex_flags & CSA)
        )
        self.sec.send(echo.to_bytes(), TEMP)
        self._arm(TB5, self._send_echo)

    def _kex_report_echo(self, data: bytes) -> None:
        flags, schemes, curves, keys = data[2], data[3], data[4], data[5]
        if (flags, schemes, curves, keys) != (ECHO, SCHEME_1, CURVE_25519, self.requested_mask):
            self._fail(KEXFailType.WRONG_SECURITY_LEVEL)
            return
        granted = security_classes_from_bits(self.granted_mask)
        self.pending = sorted(granted, key=lambda c: c.key_bit)  # lowest key bit first
        if not self.pending:
            self._final_transfer_end()
            return
        self._request_key()

    def _request_key(self) -> None:
        self.current = self.pending.pop(0)
        self.sec.send(S2NetworkKeyGet(self.current).to_bytes(), TEMP)
        self.step = Step.AWAIT_NETWORK_KEY
        self._arm(TB5, self._timeout)

    def _network_key(self, report: S2NetworkKeyReport) -> None:
        current = self.current
        if current is None or report.granted_key != current:
            self._fail(KEXFailType.DIFFERENT_KEY)
            return
        self.sec.add_key(current, report.network_key)
        self.received.append(current)
        self.sec.send(S2NetworkKeyVerify().to_bytes(), current)
        self.step = Step.KEY_VERIFIED
        self._arm(TB7, self._timeout)

    def _transfer_end(self, command: S2TransferEnd) -> None:
        if not command.key_verified or command.key_request_complete:
            self._abort("unexpected Transfer End")
        elif self.pending:
            self._request_key()
        else:
            self._final_transfer_end()

    def _final_transfer_end(self) -> None:
        self._disarm()
        self.step = Step.DONE
        granted = tuple(self.received)
        done = S2TransferEnd(key_request_complete=True).to_bytes()

        def after() -> None:
            self.sec.s2.clear_temporary_keys(1)

        self.sec.send(done, TEMP, after=after)
        self._finish(granted)

    def _fail(self, code: KEXFailType) -> None:
        """Send KEX Fail (plain text, as libs2) and give up."""
        self.sec.send_plain(S2KEXFail(code).to_bytes())
        self._abort(f"sent KEX Fail 0x{int(code):02X}")


class S0Joiner(Joiner):
    """S0 bootstrapping, joining side."""

    def start(self) -> None:
        self.step = Step.AWAIT_SCHEME_GET
        self._arm(TB1, self._never_started)

    @property
    def expects_temp_key(self) -> bool:  # type: ignore[override]
        return self.step == Step.AWAIT_KEY_SET

    def handle(self, data: bytes, cls: SecurityClass | None) -> None:
        if not self.active or len(data) < 2:
            return
        command = data[1]
        if self.step == Step.AWAIT_SCHEME_GET and command == 0x04 and cls is None:
            self.sec.bootstrap_started(self)
            self.sec.clear_keys()
            self.sec.send_plain(bytes((0x98, 0x05, 0x00)))  # Scheme Report: scheme 0 only
            self.step = Step.AWAIT_KEY_SET
            self._arm(S0_STEP, self._timeout)
        elif self.step == Step.AWAIT_KEY_SET and command == 0x06 and cls == SecurityClass.S0_Legacy:
            if len(data) < 18:
                self._abort("short Network Key Set")
                return
            try:
                self.sec.add_key(SecurityClass.S0_Legacy, bytes(data[2:18]))
            except ZWaveError:
                self._abort("unusable network key")
                return
            self.step = Step.DONE  # from now on frames use the new key
            self.sec.send(bytes((0x98, 0x07)), SecurityClass.S0_Legacy)  # Network Key Verify
            self._finish((SecurityClass.S0_Legacy,))
