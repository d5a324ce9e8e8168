"""SecurityManager against a fake host: the controller side (the manager) talks to a node side
built from the room's own pieces (an S2SecurityManager / S0Session of node 6)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from custom_components.zwave_serial.zwave.cc.door_lock import DoorLockOperationReport
from custom_components.zwave_serial.zwave.cc.user_code import UserCodeReport, UserIdStatus
from custom_components.zwave_serial.zwave.errors import NodeTimeout
from custom_components.zwave_serial.zwave.events import NodeStatus
from custom_components.zwave_serial.zwave.messaging import NodeMessenger
from custom_components.zwave_serial.zwave.node import Node
from custom_components.zwave_serial.zwave.security import (
    NetworkKeys,
    S0Session,
    S2SecurityManager,
    SecurityClass,
)
from custom_components.zwave_serial.zwave.security.manager import SecurityManager
from custom_components.zwave_serial.zwave.security.s0_codec import S0NonceReport, decode_s0_command
from custom_components.zwave_serial.zwave.security.s2_codec import S2NonceGet, decode_s2_command

HOME = 0x7E570001
OWN, PEER = 1, 6
S0_HEX = "0102030405060708090a0b0c0d0e0f10"
AC_HEX = "33333333333333333333333333333333"
KEYS = NetworkKeys(
    s0_legacy=S0_HEX,
    s2_unauthenticated="11111111111111111111111111111111",
    s2_authenticated="22222222222222222222222222222222",
    s2_access_control=AC_HEX,
)
DOOR_LOCK, USER_CODE = 0x62, 0x63


@dataclass
class PeerNode:
    """Node 6's side: answers Nonce Gets, decrypts what it gets, can send to the controller."""

    s2: S2SecurityManager
    s0: S0Session
    granted: SecurityClass = SecurityClass.S2_AccessControl
    received: list[bytes] = field(default_factory=list)
    deliver: Any = None  # callback(bytes) into the controller side
    mute: bool = False

    def handle(self, data: bytes) -> None:
        if self.mute:
            return
        if data[0] == 0x9F:
            command = decode_s2_command(data)
            if isinstance(command, S2NonceGet):
                self.deliver(self.s2.receive_nonce_get(OWN, command).to_bytes())
                return
            try:
                result = self.s2.decapsulate(OWN, data, [self.granted])
            except Exception:
                self.deliver(self.s2.generate_nonce_report(OWN).to_bytes())
                return
            self.received.append(result.plaintext)
        elif data[0] == 0x98:
            if data[1] == 0x40:
                self.deliver(self.s0.nonce_report(OWN).to_bytes())
            elif data[1] == 0x80:
                report = decode_s0_command(data)
                assert isinstance(report, S0NonceReport)
                self.s0.receive_nonce_report(OWN, report)
            else:
                message = self.s0.decapsulate(OWN, data).message
                if message:
                    self.received.append(message)
        else:
            self.received.append(data)


class FakeHost:
    def __init__(self) -> None:
        self.options = SimpleNamespace(report_timeout=0.5, send_attempts=1, verify_delay=0.0, send_to_sleep_delay=0.0)
        self.own_node_id = OWN
        self.home_id = HOME
        self.sent: list[bytes] = []
        self.peer: PeerNode | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        self.connected = True
        self.events: list[Any] = []

    async def send_raw(self, node_id: int, data: bytes, priority: Any = None) -> None:
        self.sent.append(bytes(data))
        assert self.peer is not None
        # The node answers after the SendData callback: let the caller register its waiter first.
        asyncio.get_running_loop().call_soon(self.peer.handle, bytes(data))

    def create_task(self, coro: Any, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task


def _node(security_class: SecurityClass | None = SecurityClass.S2_AccessControl) -> SimpleNamespace:
    return SimpleNamespace(node_id=PEER, security_class=security_class, secure_ccs={DOOR_LOCK, USER_CODE})


def _setup(granted: SecurityClass = SecurityClass.S2_AccessControl) -> tuple[FakeHost, SecurityManager, PeerNode]:
    host = FakeHost()
    manager = SecurityManager(host, KEYS)
    peer = PeerNode(S2SecurityManager(KEYS, PEER, HOME), S0Session(KEYS.s0_keys(), PEER), granted)
    peer.deliver = lambda data: manager.receive(PEER, data)
    host.peer = peer
    return host, manager, peer


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_s2_nonce_exchange_then_span() -> None:
    host, manager, peer = _setup()
    node = _node()
    frame = await manager.wrap(node, b"\x62\x02")
    assert host.sent[0][:2] == b"\x9f\x01"  # Nonce Get first
    assert frame[:2] == b"\x9f\x03"
    peer.handle(frame)
    assert peer.received == [b"\x62\x02"]
    # SPAN established: no second Nonce Get.
    frame = await manager.wrap(node, b"\x63\x02\x01")
    peer.handle(frame)
    assert peer.received[-1] == b"\x63\x02\x01" and len(host.sent) == 1


async def test_s2_receive_and_sos_resync() -> None:
    host, manager, peer = _setup()
    node = _node()
    peer.handle(await manager.wrap(node, b"\x62\x02"))
    # The node answers over the SPAN.
    report = DoorLockOperationReport(0xFF, bolt_locked=True).to_bytes()
    message = manager.receive(PEER, peer.s2.encapsulate(OWN, report))
    assert message is not None and message.payload == report
    assert message.security_class is SecurityClass.S2_AccessControl
    # The node loses its SPAN (e.g. it rebooted): our next frame fails, it answers SOS, and
    # the frame is sent again once, re-encrypted with a new SPAN extension.
    peer.s2.reset_peer(OWN)
    peer.handle(await manager.wrap(node, b"\x62\x05"))
    await _settle()
    assert peer.received == [b"\x62\x02", b"\x62\x05"]
    assert host.sent[-1][:2] == b"\x9f\x03" and host.sent[-1][3] & 0x01  # SPAN extension
    peer.handle(await manager.wrap(node, b"\x62\x02"))
    assert peer.received[-1] == b"\x62\x02"
    # A frame we cannot decrypt: counted, answered with a Nonce Report (SOS).
    garbage = bytearray(peer.s2.encapsulate(OWN, report))
    garbage[-1] ^= 0xFF
    before = len(host.sent)
    assert manager.receive(PEER, bytes(garbage)) is None
    await _settle()
    assert manager.counters["security_decrypt_failures"] == 1
    assert host.sent[before][:2] == b"\x9f\x02" and host.sent[before][3] & 0x01


async def test_s2_sos_during_an_exchange_resends_inside_it() -> None:
    """Frames crossing on the air desync the SPAN: the node answers our Get with SOS while the
    exchange holds the node's lock and waits for the report.  The Get is sent again at once,
    inside the exchange (not after it timed out), and the node receives it exactly once."""
    host, manager, peer = _setup()
    node = _node()
    peer.handle(await manager.wrap(node, b"\x62\x02"))
    peer.s2.reset_peer(OWN)
    async with manager.node_lock(PEER):
        frame = await manager.wrap(node, b"\x63\x02\x01")
        await host.send_raw(PEER, frame)
        manager.delivered(PEER)
        await _settle()
        assert peer.received == [b"\x62\x02", b"\x63\x02\x01"]
    await _settle()
    assert peer.received.count(b"\x63\x02\x01") == 1


async def test_s2_sos_for_a_frame_still_being_sent_is_not_resent() -> None:
    host, manager, peer = _setup()
    node = _node()
    peer.handle(await manager.wrap(node, b"\x62\x02"))
    peer.s2.reset_peer(OWN)
    async with manager.node_lock(PEER):
        frame = await manager.wrap(node, b"\x63\x02\x01")
        await host.send_raw(PEER, frame)  # no delivered(): its SendData has not finished
        await _settle()
    await _settle()
    assert peer.received == [b"\x62\x02"]


async def test_s2_no_nonce_is_a_timeout_never_plain_text() -> None:
    host, manager, peer = _setup()
    peer.mute = True
    with pytest.raises(NodeTimeout):
        await manager.wrap(_node(), b"\x62\x01\xff")
    assert all(frame[0] == 0x9F for frame in host.sent)
    assert manager.counters["security_nonce_timeouts"] == 1


async def test_query_secure_ccs_finds_the_granted_class() -> None:
    host, manager, peer = _setup(granted=SecurityClass.S2_Authenticated)
    node = _node(None)

    def handle(data: bytes, original: Any = peer.handle) -> None:
        before = len(peer.received)
        original(data)
        if len(peer.received) > before and peer.received[-1][:2] == b"\x9f\x0d":
            answer = b"\x9f\x0e" + bytes((DOOR_LOCK, USER_CODE))
            manager.receive(PEER, peer.s2.encapsulate(OWN, answer))

    peer.handle = handle  # type: ignore[method-assign]
    assert await manager.query_secure_ccs(node, SecurityClass.S2_AccessControl) is None
    ccs = await manager.query_secure_ccs(node, SecurityClass.S2_Authenticated)
    assert ccs == [DOOR_LOCK, USER_CODE]


async def test_s0_send_and_receive() -> None:
    host, manager, peer = _setup()
    node = _node(SecurityClass.S0_Legacy)
    frame = await manager.wrap(node, b"\x62\x02")
    assert host.sent[-1] == b"\x98\x40" and frame[:2] == b"\x98\x81"
    peer.handle(frame)
    assert peer.received == [b"\x62\x02"]
    # The node sends to us: Nonce Get (we answer), then an encapsulated report.
    manager.receive(PEER, b"\x98\x40")
    await _settle()
    assert host.sent[-1][:2] == b"\x98\x80"
    (segment,) = peer.s0.segments(b"\x62\x03\x00\x00\x02\x00\x00")
    message = manager.receive(PEER, peer.s0.encapsulate_segment(OWN, segment))
    assert message is not None and message.payload == b"\x62\x03\x00\x00\x02\x00\x00"
    assert message.security_class is SecurityClass.S0_Legacy


class _NodeHost:
    def __init__(self, host: FakeHost, manager: SecurityManager) -> None:
        self.api = SimpleNamespace(send_data=self._send_data)
        self.options = host.options
        self.connected = True
        self.security = manager
        self._host = host
        self.nodes: dict[int, Node] = {}
        self.own_node_id = OWN
        self.events: list[Any] = []
        self.messenger = NodeMessenger(self)

    async def _send_data(self, node_id: int, data: bytes, priority: Any = None) -> None:
        await self._host.send_raw(node_id, data)

    def emit(self, event: Any) -> None:
        self.events.append(event)

    def create_task(self, coro: Any, name: str) -> asyncio.Task[Any]:
        return self._host.create_task(coro, name)

    def schedule_cache_save(self, *, immediate: bool = False) -> None:
        pass

    def resume_interview(self, node: Node) -> None:
        pass

    async def interview_node(self, node: Node) -> bool:
        return True


async def test_messenger_downgrade_protection_and_secure_dispatch(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host, manager, peer = _setup()
    driver = _NodeHost(host, manager)
    node = Node(driver, PEER)
    node.set_command_classes(0, {DOOR_LOCK: 4, USER_CODE: 2, 0x9F: 1, 0x86: 3})
    node.protocol.listening = True
    node.security_class = SecurityClass.S2_AccessControl
    node.secure_ccs = {DOOR_LOCK, USER_CODE}
    node.status = NodeStatus.ALIVE
    driver.nodes[PEER] = node
    messenger = driver.messenger

    # A plain-text Door Lock report from an S2 node is dropped.
    plain = DoorLockOperationReport(0xFF, bolt_locked=True).to_bytes()
    messenger.handle_application_command(PEER, plain)
    messenger.handle_application_command(PEER, plain)
    assert node.get_value(DOOR_LOCK, "current_mode") is None
    assert manager.counters["security_plaintext_dropped"] == 2
    assert caplog.text.count("in plain text but supports it securely") == 1  # logged once

    # A Door Lock command to it goes encrypted (Nonce Get, then S2), never plain.
    from custom_components.zwave_serial.zwave.cc.door_lock import DoorLockOperationSet

    await messenger.send_set(node, DoorLockOperationSet(0xFF), supervise=False, verify=False)
    assert [f[:2] for f in host.sent] == [b"\x9f\x01", b"\x9f\x03"]
    await _settle()
    assert peer.received == [DoorLockOperationSet(0xFF).to_bytes()]
    # A Version command (not in its secure list) stays plain.
    from custom_components.zwave_serial.zwave.cc.version import VersionCommandClassGet

    await messenger.send_set(node, VersionCommandClassGet(0x62), supervise=False, verify=False)
    assert host.sent[-1][:2] == b"\x86\x13"

    # The same report over S2 is accepted; a user code over S2 leaves no trace in the log.
    messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, plain))
    assert node.get_value(DOOR_LOCK, "current_mode") == 0xFF
    code = UserCodeReport(1, UserIdStatus.ENABLED, "9876").to_bytes()
    messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, code))
    await _settle()
    text = caplog.text.lower()
    for secret in ("9876", "39 38 37 36", AC_HEX, S0_HEX):
        assert secret not in text
    assert AC_HEX not in repr(manager) and AC_HEX not in repr(KEYS)
