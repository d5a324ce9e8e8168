"""S2 / S0 bootstrapping state machines against a scripted device (a fake host: no stick).

The full exchange with a real joining node runs in test_inclusion.py against the virtual
stick; here the failure paths: what the device gets (KEX Fail codes) and the failure reported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from custom_components.zwave_serial.zwave.network.bootstrap_s0 import S0Bootstrap
from custom_components.zwave_serial.zwave.network.bootstrap_s2 import Provisioned, S2Bootstrap
from custom_components.zwave_serial.zwave.network.inclusion_types import BootstrapFailure, InclusionGrant
from custom_components.zwave_serial.zwave.security.crypto import x25519_generate_key_pair
from custom_components.zwave_serial.zwave.security.keys import NetworkKeys, SecurityClass
from custom_components.zwave_serial.zwave.security.s2_kex import (
    KEXFailType,
    S2KEXFail,
    S2KEXReport,
    S2PublicKeyReport,
)

NODE = 9
KEYS = NetworkKeys.generate()
AC, AUTH, UNAUTH = SecurityClass.S2_AccessControl, SecurityClass.S2_Authenticated, SecurityClass.S2_Unauthenticated


@dataclass
class Options:
    bootstrap_timeout: float = 0.3
    bootstrap_user_timeout: float = 0.5


class FakeSecurity:
    def __init__(self, keys: NetworkKeys | None) -> None:
        self.keys = keys

    def s2_session(self) -> None:
        return None  # the bootstrapper then keeps a private S2 session


class FakeApi:
    def __init__(self, host: FakeHost) -> None:
        self._host = host

    async def send_data(self, node_id: int, data: bytes, **_: Any) -> None:
        await self._host.send_raw(node_id, data)


class FakeHost:
    """Records what the bootstrap sends; ``device(frame)`` may answer (returns frames from it)."""

    def __init__(self, keys: NetworkKeys | None = KEYS) -> None:
        self.options = Options()
        self.security = FakeSecurity(keys)
        self.api = FakeApi(self)
        self.sent: list[bytes] = []
        self.device: Callable[[bytes], list[bytes]] = lambda frame: []
        self.bootstrap: Any = None
        self.tasks: list[asyncio.Task[Any]] = []

    @property
    def own_node_id(self) -> int:
        return 1

    @property
    def home_id(self) -> int:
        return 0xC0FFEE01

    async def send_raw(self, node_id: int, data: bytes, priority: Any = None) -> None:
        assert node_id == NODE
        self.sent.append(bytes(data))
        answers = self.device(bytes(data))
        loop = asyncio.get_running_loop()
        for answer in answers:
            loop.call_soon(self.bootstrap.handle, answer)

    def create_task(self, coro: Any, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.append(task)
        return task


class Callbacks:
    def __init__(self, grant: tuple[SecurityClass, ...] | None, pin: str | None = None) -> None:
        self.grant, self.pin = grant, pin
        self.requests: list[InclusionGrant] = []
        self.dsks: list[str] = []
        self.aborted = 0

    async def grant_security_classes(self, request: InclusionGrant) -> InclusionGrant | None:
        self.requests.append(request)
        return None if self.grant is None else InclusionGrant(self.grant)

    async def validate_dsk_and_enter_pin(self, dsk: str) -> str | None:
        self.dsks.append(dsk)
        return self.pin

    def abort(self) -> None:
        self.aborted += 1


def kex_fails(host: FakeHost) -> list[int]:
    return [f[2] for f in host.sent if f[:2] == b"\x9f\x07"]


def scripted(report: S2KEXReport, public_key: bytes | None = None, after_set: bytes | None = None) -> Callable[[bytes], list[bytes]]:
    """A device that answers KEX Get with ``report`` and KEX Set with its public key (or
    ``after_set``)."""

    def device(frame: bytes) -> list[bytes]:
        if frame[:2] == b"\x9f\x04":
            return [report.to_bytes()]
        if frame[:2] == b"\x9f\x06":
            if after_set is not None:
                return [after_set]
            if public_key is not None:
                return [S2PublicKeyReport(public_key).to_bytes()]
        return []

    return device


async def run_s2(host: FakeHost, callbacks: Any = None, provisioned: Provisioned | None = None) -> Any:
    bootstrap = S2Bootstrap(host, NODE, callbacks, provisioned)
    host.bootstrap = bootstrap
    return await bootstrap.run()


async def test_no_kex_report_is_a_timeout() -> None:
    host = FakeHost()
    outcome = await run_s2(host, Callbacks((UNAUTH,)))
    assert outcome.failure == BootstrapFailure.TIMEOUT and outcome.granted == ()
    assert host.sent == [b"\x9f\x04"]  # KEX Get only


@pytest.mark.parametrize(
    ("report", "code", "failure"),
    [
        (S2KEXReport((UNAUTH,), echo=True), KEXFailType.NO_VERIFY, BootstrapFailure.PARAMETER_MISMATCH),
        (S2KEXReport((UNAUTH,), schemes=(2,)), KEXFailType.NO_SUPPORTED_SCHEME, BootstrapFailure.NO_SUPPORTED_SCHEME),
        (S2KEXReport((UNAUTH,), ecdh_profiles=(1,)), KEXFailType.NO_SUPPORTED_CURVE, BootstrapFailure.NO_SUPPORTED_CURVE),
        (S2KEXReport((UNAUTH,), request_csa=True), KEXFailType.BOOTSTRAPPING_CANCELED, BootstrapFailure.PARAMETER_MISMATCH),
        (S2KEXReport(()), KEXFailType.NO_KEY_MATCH, BootstrapFailure.NO_KEY_MATCH),
    ],
)
async def test_unacceptable_kex_report(report: S2KEXReport, code: int, failure: BootstrapFailure) -> None:
    host = FakeHost()
    host.device = scripted(report)
    callbacks = Callbacks((UNAUTH,))
    outcome = await run_s2(host, callbacks)
    assert outcome.failure == failure
    assert kex_fails(host) == [code]
    assert callbacks.requests == []  # the user is never asked


async def test_no_key_for_the_requested_class() -> None:
    host = FakeHost(NetworkKeys.generate((UNAUTH,)))
    host.device = scripted(S2KEXReport((AC,)))
    outcome = await run_s2(host, Callbacks((AC,)))
    assert outcome.failure == BootstrapFailure.NO_KEY_MATCH and kex_fails(host) == [KEXFailType.NO_KEY_MATCH]


@pytest.mark.parametrize("grant", [None, ()])
async def test_user_declines_the_grant(grant: tuple[SecurityClass, ...] | None) -> None:
    host = FakeHost()
    host.device = scripted(S2KEXReport((AC, UNAUTH)))
    callbacks = Callbacks(grant)
    outcome = await run_s2(host, callbacks)
    assert outcome.failure == BootstrapFailure.USER_CANCELED
    assert callbacks.requests == [InclusionGrant((AC, UNAUTH))] and callbacks.aborted == 1
    assert kex_fails(host) == [KEXFailType.BOOTSTRAPPING_CANCELED]


async def test_grant_fewer_classes_sends_only_those() -> None:
    host = FakeHost()
    host.device = scripted(S2KEXReport((AC, UNAUTH)))  # no public key: the exchange stops there
    outcome = await run_s2(host, Callbacks((UNAUTH, SecurityClass.S0_Legacy)))
    kex_set = next(f for f in host.sent if f[:2] == b"\x9f\x06")
    assert kex_set == bytes((0x9F, 0x06, 0x00, 0x02, 0x01, UNAUTH.key_bit))
    assert outcome.failure == BootstrapFailure.TIMEOUT


async def test_device_cancels_after_kex_set() -> None:
    host = FakeHost()
    host.device = scripted(S2KEXReport((UNAUTH,)), after_set=S2KEXFail(KEXFailType.NO_KEY_MATCH).to_bytes())
    outcome = await run_s2(host, Callbacks((UNAUTH,)))
    assert outcome.failure == BootstrapFailure.NO_KEY_MATCH


async def test_pin_step_shows_the_dsk_without_the_pin_and_cancel_aborts() -> None:
    device_key = x25519_generate_key_pair().public_key
    host = FakeHost()
    host.device = scripted(S2KEXReport((AC,)), public_key=bytes(2) + device_key[2:])
    callbacks = Callbacks((AC,), pin=None)
    outcome = await run_s2(host, callbacks)
    assert outcome.failure == BootstrapFailure.USER_CANCELED
    assert len(callbacks.dsks) == 1 and callbacks.dsks[0].startswith("xxxxx-")
    assert len(callbacks.dsks[0].split("-")) == 8
    # our public key went out before the PIN step, then the cancel
    assert any(f[:3] == b"\x9f\x08\x01" for f in host.sent)
    assert kex_fails(host) == [KEXFailType.BOOTSTRAPPING_CANCELED]


async def test_bad_pin_text_cancels() -> None:
    device_key = x25519_generate_key_pair().public_key
    host = FakeHost()
    host.device = scripted(S2KEXReport((AC,)), public_key=bytes(2) + device_key[2:])
    outcome = await run_s2(host, Callbacks((AC,), pin="12a45"))
    assert outcome.failure == BootstrapFailure.USER_CANCELED


async def test_provisioned_device_with_another_dsk_is_refused() -> None:
    device_key = x25519_generate_key_pair().public_key
    host = FakeHost()
    host.device = scripted(S2KEXReport((UNAUTH,)), public_key=device_key)
    provisioned = Provisioned("00001-00002-00003-00004-00005-00006-00007-00008", (UNAUTH,))
    outcome = await run_s2(host, None, provisioned)
    assert outcome.failure == BootstrapFailure.USER_CANCELED
    assert kex_fails(host) == [KEXFailType.BOOTSTRAPPING_CANCELED]


async def test_without_callbacks_only_classes_without_pin_are_granted() -> None:
    host = FakeHost()
    host.device = scripted(S2KEXReport((AC, UNAUTH)))
    await run_s2(host, None)
    kex_set = next(f for f in host.sent if f[:2] == b"\x9f\x06")
    assert kex_set[5] == UNAUTH.key_bit


async def test_s0_without_key_and_without_answer() -> None:
    host = FakeHost(NetworkKeys.generate((UNAUTH,)))
    bootstrap = S0Bootstrap(host, NODE)
    host.bootstrap = bootstrap
    assert (await bootstrap.run()).failure == BootstrapFailure.NO_KEYS
    assert host.sent == []
    host = FakeHost()
    bootstrap = S0Bootstrap(host, NODE)
    host.bootstrap = bootstrap
    outcome = await bootstrap.run()
    assert outcome.failure == BootstrapFailure.TIMEOUT and host.sent == [b"\x98\x04\x00"]


def test_nothing_secret_in_reprs() -> None:
    host = FakeHost()
    assert repr(S2Bootstrap(host, NODE, None)) == "S2Bootstrap(node_id=9)"
    assert KEYS.get(UNAUTH).hex() not in repr(S0Bootstrap(host, NODE))  # type: ignore[union-attr]
