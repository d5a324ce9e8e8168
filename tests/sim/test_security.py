"""Secure virtual devices: S2 / S0 bootstrapping (joining side) and secure communication,
driven over a real pty by a scripted including side built on the driver's crypto modules."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable

import pytest

from custom_components.zwave_serial.zwave.security.crypto import (
    derive_temp_keys,
    x25519_generate_key_pair,
    x25519_shared_secret,
)
from custom_components.zwave_serial.zwave.security.errors import DecryptionFailed, NonceRequired
from custom_components.zwave_serial.zwave.security.keys import NetworkKeys, SecurityClass, public_key_with_pin
from custom_components.zwave_serial.zwave.security.s0 import S0NonceTable, S0Reassembler
from custom_components.zwave_serial.zwave.security.s0 import decapsulate as s0_decapsulate
from custom_components.zwave_serial.zwave.security.s0 import encapsulate as s0_encapsulate
from custom_components.zwave_serial.zwave.security.s2 import S2SecurityManager
from custom_components.zwave_serial.zwave.security.s2_codec import S2NonceReport, decode_s2_command
from custom_components.zwave_serial.zwave.security.s2_kex import (
    KEXFailType,
    S2KEXFail,
    S2KEXGet,
    S2KEXReport,
    S2KEXSet,
    S2NetworkKeyGet,
    S2NetworkKeyReport,
    S2PublicKeyReport,
    S2TransferEnd,
)
from custom_components.zwave_serial.zwave.sim import (
    DEMO_NETWORK_KEYS,
    BinarySwitch,
    DepartedNode,
    DoorLock,
    MultilevelSensor,
    TimingProfile,
    VirtualStick,
    build_demo_network,
    run_simulator,
)
from custom_components.zwave_serial.zwave.sim.security import S0_TEMP_KEYS

from .conftest import PtyHost, TcpHost, fast_link
from .test_inclusion import include, node_list, status

AC, AUTH, UNAUTH, S0 = (
    SecurityClass.S2_AccessControl,
    SecurityClass.S2_Authenticated,
    SecurityClass.S2_Unauthenticated,
    SecurityClass.S0_Legacy,
)
TEMP = SecurityClass.TEMPORARY
KEYS = NetworkKeys.generate()


class SecureHost:
    """The including side of S2, scripted on a raw host with the driver's S2 manager."""

    def __init__(self, host: PtyHost, home_id: int, keys: NetworkKeys | None = None) -> None:
        self.host = host
        self.s2 = S2SecurityManager(keys or NetworkKeys(), 1, home_id)

    async def plain(self, node: int, cc: bytes) -> None:
        _, callback = await self.host.send_data(node, cc)
        assert callback.payload[1] == 0x00

    async def send(self, node: int, cc: bytes, cls: SecurityClass) -> None:
        try:
            frame = self.s2.encapsulate(node, cc, cls)
        except NonceRequired:
            await self.plain(node, self.s2.nonce_get(node).to_bytes())
            report = decode_s2_command(await self.host.report(node, b"\x9f\x02"))
            assert isinstance(report, S2NonceReport)
            self.s2.receive_nonce_report(node, report)
            frame = self.s2.encapsulate(node, cc, cls)
        await self.plain(node, frame)

    async def receive(self, node: int, timeout: float = 5.0) -> tuple[bytes, SecurityClass | None]:
        """The next S2 command from ``node``: decrypted ``(payload, class)`` or plain ``(frame, None)``;
        its Nonce Gets are answered on the way. DecryptionFailed when it does not decrypt."""
        while True:
            frame = await self.host.report(node, b"\x9f", timeout)
            if frame[1] == 0x01:
                get = decode_s2_command(frame)
                await self.plain(node, self.s2.receive_nonce_get(node, get).to_bytes())
            elif frame[1] == 0x02:
                self.s2.receive_nonce_report(node, decode_s2_command(frame))
            elif frame[1] == 0x03:
                result = self.s2.decapsulate(node, frame)
                return result.plaintext, result.security_class
            else:
                return frame, None


async def wait_until(predicate: Callable[[], bool], limit: float = 10.0) -> None:
    """Poll ``predicate`` (the limit only stops a broken test from hanging)."""
    async with asyncio.timeout(limit):
        while not predicate():
            await asyncio.sleep(0.01)


@pytest.fixture
async def stick(tmp_path) -> AsyncIterator[VirtualStick]:
    s = VirtualStick(link=fast_link(), timing=TimingProfile(add_node_step=0.01), strict=True)
    s.add_node(BinarySwitch(2))
    await s.start_pty(str(tmp_path))
    yield s
    await s.stop()
    assert s.overlap_refusals == 0


@pytest.fixture
async def host(stick: VirtualStick) -> AsyncIterator[PtyHost]:
    h = PtyHost(stick.port)
    yield h
    await h.close()


async def s2_key_exchange(
    stick: VirtualStick, sh: SecureHost, node_id: int, device, grant: tuple[SecurityClass, ...], pin: str | None
) -> tuple[bytes, SecurityClass | None]:
    """KEX Get .. the joining node's KEX Set echo: what the host receives after the public keys."""
    await sh.plain(node_id, S2KEXGet().to_bytes())
    report = decode_s2_command(await sh.host.report(node_id, b"\x9f\x05"))
    assert isinstance(report, S2KEXReport) and not report.echo
    assert set(report.requested_keys) == set(device.sec.s2_requested)
    assert report.schemes == (1,) and report.ecdh_profiles == (0,)
    await sh.plain(node_id, S2KEXSet(grant).to_bytes())
    public = decode_s2_command(await sh.host.report(node_id, b"\x9f\x08"))
    assert isinstance(public, S2PublicKeyReport) and not public.including_node
    pair = x25519_generate_key_pair()
    await sh.plain(node_id, S2PublicKeyReport(pair.public_key, including_node=True).to_bytes())
    node_key = public.public_key
    if pin is not None:
        assert node_key[:2] == b"\x00\x00"  # the user types the missing bytes as the PIN
        node_key = public_key_with_pin(node_key, pin)
    else:
        assert node_key == device.sec.public_key
    secret = x25519_shared_secret(pair.private_key, node_key)
    sh.s2.set_temporary_keys(node_id, derive_temp_keys(secret, pair.public_key, node_key))
    return await sh.receive(node_id)


async def test_s2_bootstrap_access_control_then_secure_lock(stick: VirtualStick, host: PtyHost) -> None:
    lock = stick.add_waiting(DoorLock(0, security=(AC,), bolt_time=0.01))
    assert len(lock.dsk.split("-")) == 8 and lock.pin == lock.dsk[:5] and lock.qr_code.startswith("9000")
    await include(stick, host, lock, 3)
    sh = SecureHost(host, stick.home_id)
    echo, cls = await s2_key_exchange(stick, sh, 3, lock, (AC,), lock.pin)
    assert cls == TEMP and echo == S2KEXSet((AC,), echo=True).to_bytes()
    await sh.send(3, S2KEXReport((AC,), echo=True).to_bytes(), TEMP)
    get, cls = await sh.receive(3)
    assert cls == TEMP and get == S2NetworkKeyGet(AC).to_bytes()
    await sh.send(3, S2NetworkKeyReport(AC, KEYS.get(AC)).to_bytes(), TEMP)
    sh.s2.keys = NetworkKeys(s2_access_control=KEYS.get(AC))
    verify, cls = await sh.receive(3)
    assert verify == b"\x9f\x0b" and cls == AC  # encrypted with the new key
    await sh.send(3, S2TransferEnd(key_verified=True).to_bytes(), TEMP)
    end, cls = await sh.receive(3)
    assert cls == TEMP and end == S2TransferEnd(key_request_complete=True).to_bytes()
    assert lock.granted == (AC,)
    sh.s2.clear_temporary_keys(3)

    # secure communication with the granted class
    await sh.send(3, b"\x9f\x0d", AC)  # Commands Supported Get
    supported, cls = await sh.receive(3)
    assert cls == AC and supported[:2] == b"\x9f\x0e"
    assert {0x62, 0x63, 0x71, 0x86} <= set(supported[2:]) and 0x5E not in supported[2:]
    await sh.send(3, b"\x62\x02", AC)
    report, cls = await sh.receive(3)
    assert cls == AC and report[:3] == b"\x62\x03\xff"
    # the NIF now lists only what works without security
    assert (await host.call(0x60, b"\x03")).payload == b"\x01"
    nif = (await host.expect(lambda f: f.function == 0x49)).payload[6:]
    assert set(nif) <= {0x5E, 0x55, 0x9F, 0x6C, 0x86} and 0x62 not in nif
    # plain text of a secure CC is ignored; of a non-secure CC answered in plain text
    await sh.plain(3, b"\x62\x01\x00")
    await sh.plain(3, b"\x5e\x01")
    assert (await host.report(3, b"\x5e\x02"))[:2] == b"\x5e\x02"
    await host.quiet(lambda f: f.function == 0x04 and f.payload[3:5] == b"\x62\x03", 0.2)
    assert lock.mode == 0xFF
    # supervised unlock: the Supervision Report and the lock's own reports come encrypted
    await sh.send(3, bytes.fromhex("6c0101036201 00".replace(" ", "")), AC)
    first, cls = await sh.receive(3)
    assert cls == AC and first[:2] == b"\x6c\x02"
    wrapped, cls = await sh.receive(3)
    assert cls == AC and wrapped[:2] == b"\x6c\x01" and wrapped[4:7] == b"\x62\x03\x00"
    assert lock.mode == 0x00


async def test_s2_unauthenticated_grant_gets_the_full_public_key(stick: VirtualStick, host: PtyHost) -> None:
    sensor = stick.add_waiting(MultilevelSensor(0, security=(UNAUTH, AUTH)))
    await include(stick, host, sensor, 3)
    sh = SecureHost(host, stick.home_id, NetworkKeys(s2_unauthenticated=KEYS.get(UNAUTH)))
    echo, cls = await s2_key_exchange(stick, sh, 3, sensor, (UNAUTH,), None)
    assert cls == TEMP and echo == S2KEXSet((UNAUTH,), echo=True).to_bytes()
    # the echo must repeat what the node requested, not what it was granted
    await sh.send(3, S2KEXReport((AUTH, UNAUTH), echo=True).to_bytes(), TEMP)
    assert (await sh.receive(3))[0] == S2NetworkKeyGet(UNAUTH).to_bytes()
    await sh.send(3, S2NetworkKeyReport(UNAUTH, KEYS.get(UNAUTH)).to_bytes(), TEMP)
    assert await sh.receive(3) == (b"\x9f\x0b", UNAUTH)
    await sh.send(3, S2TransferEnd(key_verified=True).to_bytes(), TEMP)
    assert (await sh.receive(3))[0] == S2TransferEnd(key_request_complete=True).to_bytes()
    assert sensor.granted == (UNAUTH,)
    # an unsolicited report goes out encrypted with the granted class
    sensor.send_report(b"\x31\x05\x01\x22\x00\xd7")
    assert await sh.receive(3) == (b"\x31\x05\x01\x22\x00\xd7", UNAUTH)


async def test_wrong_pin_kex_fail_decrypt_then_the_device_resets(stick: VirtualStick, host: PtyHost) -> None:
    lock = stick.add_waiting(DoorLock(0, security=(AC,)))
    await include(stick, host, lock, 3)
    sh = SecureHost(host, stick.home_id)
    wrong = f"{(int(lock.pin) + 1) % 65536:05d}"
    with pytest.raises(DecryptionFailed):
        await s2_key_exchange(stick, sh, 3, lock, (AC,), wrong)
    # the including side cannot decrypt the KEX Set echo: KEX Fail DECRYPT
    await sh.plain(3, S2KEXFail(KEXFailType.DECRYPT).to_bytes())
    assert isinstance(stick.node(3), DepartedNode)
    assert lock.node_id == 0 and lock.granted == () and lock in stick.waiting_nodes
    # node 3 no longer answers: it fails and RemoveFailedNode removes it
    _, callback = await host.send_data(3, b"\x5e\x01")
    assert callback.payload[1] == 0x01
    cbid = host.next_cbid()
    assert (await host.call(0x61, bytes((3, cbid)))).payload == b"\x00"
    assert await status(host, 0x61, cbid) == b"\x01"
    assert await node_list(host) == [1, 2]
    # and it can be included again
    await include(stick, host, lock, 4)


@pytest.mark.parametrize(
    ("kex_set", "code"),
    [
        (bytes((0x9F, 0x06, 0x00, 0x04, 0x01, 0x04)), KEXFailType.NO_SUPPORTED_SCHEME),
        (bytes((0x9F, 0x06, 0x00, 0x02, 0x02, 0x04)), KEXFailType.NO_SUPPORTED_CURVE),
        (S2KEXSet((AC, AUTH)).to_bytes(), KEXFailType.NO_KEY_MATCH),  # a key it did not ask for
        (S2KEXSet((AC,), permit_csa=True).to_bytes(), KEXFailType.NO_KEY_MATCH),
    ],
)
async def test_bad_kex_set_gets_kex_fail_and_a_reset(
    stick: VirtualStick, host: PtyHost, kex_set: bytes, code: KEXFailType
) -> None:
    lock = stick.add_waiting(DoorLock(0, security=(AC,)))
    await include(stick, host, lock, 3)
    sh = SecureHost(host, stick.home_id)
    await sh.plain(3, S2KEXGet().to_bytes())
    await host.report(3, b"\x9f\x05")
    await sh.plain(3, kex_set)
    assert await host.report(3, b"\x9f\x07") == S2KEXFail(code).to_bytes()
    assert lock.node_id == 0 and isinstance(stick.node(3), DepartedNode)


async def test_kex_report_echo_mismatch_is_kex_fail_auth(stick: VirtualStick, host: PtyHost) -> None:
    lock = stick.add_waiting(DoorLock(0, security=(AC,)))
    await include(stick, host, lock, 3)
    sh = SecureHost(host, stick.home_id)
    await s2_key_exchange(stick, sh, 3, lock, (AC,), lock.pin)
    await sh.send(3, S2KEXReport((AC, AUTH), echo=True).to_bytes(), TEMP)
    assert await host.report(3, b"\x9f\x07") == S2KEXFail(KEXFailType.WRONG_SECURITY_LEVEL).to_bytes()
    assert lock.node_id == 0


async def test_bootstrapping_timeout_resets_the_device(stick: VirtualStick, host: PtyHost) -> None:
    stick.timing.bootstrap_scale = 0.02  # TB1 0.6 s, TB3 0.2 s
    lock = stick.add_waiting(DoorLock(0, security=(AC,)))
    await include(stick, host, lock, 3)
    sh = SecureHost(host, stick.home_id)
    await sh.plain(3, S2KEXGet().to_bytes())
    await host.report(3, b"\x9f\x05")
    await sh.plain(3, S2KEXSet((AC,)).to_bytes())
    await host.report(3, b"\x9f\x08")
    # no public key from the including side within TB3
    await wait_until(lambda: lock.node_id == 0)
    assert isinstance(stick.node(3), DepartedNode) and lock in stick.waiting_nodes


async def test_no_kex_get_leaves_the_device_included_without_security(stick: VirtualStick, host: PtyHost) -> None:
    stick.timing.bootstrap_scale = 0.005  # TB1 0.15 s
    lock = stick.add_waiting(DoorLock(0, security=(AC,)))
    await include(stick, host, lock, 3)
    await wait_until(lambda: lock.sec.joiner is None)
    assert lock.node_id == 3 and lock.granted == ()
    # not securely included: everything works in plain text and the NIF lists everything
    await host.send_data(3, b"\x62\x02")
    assert (await host.report(3, b"\x62\x03"))[2] == 0xFF
    assert 0x62 in lock.nif()


async def test_s0_bootstrap_and_secure_commands(stick: VirtualStick, host: PtyHost) -> None:
    lock = stick.add_waiting(DoorLock(0, security=(S0,)))
    assert lock.qr_code is None
    await include(stick, host, lock, 3)
    nonces = S0NonceTable()
    key = KEYS.get(S0)

    async def nonce() -> bytes:
        await host.send_data(3, b"\x98\x40")
        return (await host.report(3, b"\x98\x80"))[2:10]

    async def answer_nonce_get() -> None:
        await host.report(3, b"\x98\x40")
        await host.send_data(3, b"\x98\x80" + nonces.generate(3))

    await host.send_data(3, b"\x98\x04\x00")  # Scheme Get
    assert await host.report(3, b"\x98\x05") == b"\x98\x05\x00"
    frame = s0_encapsulate(S0_TEMP_KEYS, 1, 3, await nonce(), b"\x98\x06" + key)
    await host.send_data(3, frame)
    await answer_nonce_get()
    verify = await host.report(3, b"\x98\x81")
    s0_keys = NetworkKeys(s0_legacy=key)
    assert s0_decapsulate(s0_keys, 1, 3, verify, nonces).payload == b"\x98\x07"
    assert lock.granted == (S0,)
    # Commands Supported Get, encrypted with the network key
    await host.send_data(3, s0_encapsulate(s0_keys, 1, 3, await nonce(), b"\x98\x02"))
    await answer_nonce_get()
    report = s0_decapsulate(s0_keys, 1, 3, await host.report(3, b"\x98\x81"), nonces).payload
    assert report[:3] == b"\x98\x03\x00" and {0x62, 0x63} <= set(report[3:])
    # a plain Door Lock Get is ignored, an encrypted one answered encrypted
    await host.send_data(3, b"\x62\x02")
    await host.send_data(3, s0_encapsulate(s0_keys, 1, 3, await nonce(), b"\x62\x02"))
    await answer_nonce_get()
    answer = s0_decapsulate(s0_keys, 1, 3, await host.report(3, b"\x98\x81"), nonces).payload
    assert answer[:3] == b"\x62\x03\xff"
    assert not any(f.function == 0x04 and f.payload[3:5] == b"\x62\x03" for f in host.received)

    # a message longer than 26 bytes goes in two frames; the first (0xC1) asks for the next nonce
    reassembler = S0Reassembler()

    async def s0_message() -> bytes:
        while True:
            frame = await host.report(3, b"\x98")
            if frame[1] == 0x40:
                await host.send_data(3, b"\x98\x80" + nonces.generate(3))
                continue
            decrypted = s0_decapsulate(s0_keys, 1, 3, frame, nonces)
            if decrypted.request_nonce:
                await host.send_data(3, b"\x98\x80" + nonces.generate(3))
            message = reassembler.add(3, decrypted)
            if message is not None:
                return message

    lock.user_codes[3], lock.user_status[3] = "1234567890", 1
    lock.keypad_unlock(3)
    operation = await s0_message()
    assert operation[:2] == b"\x6c\x01" and operation[4:7] == b"\x62\x03\x00"
    note = await s0_message()
    assert len(note) > 26 and note[:2] == b"\x6c\x01" and note[4:6] == b"\x71\x05"
    assert note.endswith(b"1234567890")


async def test_demo_locks_are_included_securely(tmp_path) -> None:
    stick = VirtualStick(link=fast_link())
    build_demo_network(stick, wake_up_interval=0)
    assert stick.node(7).granted == (AC,) and stick.node(9).granted == (S0,)
    assert [n.info.name for n in stick.waiting_nodes] == [
        "Garage door lock",
        "Secure multisensor",
        "New switch",
        "SmartStart plug",
    ]
    assert all(n.auto_join for n in stick.waiting_nodes)
    assert stick.waiting_nodes[3].qr_code.startswith("9001")
    await stick.start_pty(str(tmp_path))
    host = PtyHost(stick.port)
    try:
        sh = SecureHost(host, stick.home_id, DEMO_NETWORK_KEYS)
        await sh.send(7, b"\x62\x02", AC)
        report, cls = await sh.receive(7)
        assert cls == AC and report[:2] == b"\x62\x03"
        # the wrong key: the lock asks for a new nonce (SOS) instead of answering
        other = SecureHost(host, stick.home_id, KEYS)
        await other.send(7, b"\x62\x02", AC)
        sos = decode_s2_command(await host.report(7, b"\x9f\x02"))
        assert isinstance(sos, S2NonceReport) and sos.sos
    finally:
        await host.close()
        await stick.stop()


async def test_simulator_keys_option_and_waiting_devices_printed(tmp_path, socket_enabled) -> None:
    keys = NetworkKeys.generate()
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(keys.to_dict()))
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "custom_components.zwave_serial.zwave.sim",
        "--tcp",
        "127.0.0.1:0",
        "--keys",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(10):
            url = (await proc.stdout.readline()).decode().strip()
            lines = [(await proc.stdout.readline()).decode().strip() for _ in range(5)]
        assert url.startswith("socket://127.0.0.1:")
        assert lines[0].startswith("Devices waiting to be added")
        assert lines[1].startswith("Garage door lock") and "PIN" in lines[1] and "DSK" in lines[1]
        assert lines[3] == "New switch"
        assert lines[4].startswith("SmartStart plug") and "SmartStart QR 9001" in lines[4]
        host = await TcpHost().connect("127.0.0.1", int(url.rsplit(":", 1)[1]))
        try:
            sh = SecureHost(host, 0xC0FFEE01, keys)
            await sh.send(7, b"\x62\x02", AC)  # node 7 was included with the given keys
            report, cls = await sh.receive(7)
            assert cls == AC and report[:2] == b"\x62\x03"
        finally:
            await host.close()
        proc.send_signal(2)
        async with asyncio.timeout(10):
            assert await proc.wait() == 0
    finally:
        if proc.returncode is None:
            proc.kill()


async def test_simulator_rejects_a_bad_keys_file(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "keys.json"
    path.write_text('{"s0_legacy": "0123"}')
    assert await run_simulator(["--keys", str(path)]) == 1
    err = capsys.readouterr().err
    assert "cannot read the network keys" in err and "0123" not in err
