"""The messaging layer's security rules, with a fake host and node 6's side built from the
driver's own S2/S0 modules (see test_manager.py): S2 multicast and its follow-ups (MPAN sync,
MOS), downgrade protection in both directions, decryption failures, Transport Service with
secure nodes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from custom_components.zwave_serial.zwave.cc.crc16 import Crc16Encap
from custom_components.zwave_serial.zwave.cc.door_lock import (
    DoorLockOperationGet,
    DoorLockOperationReport,
    DoorLockOperationSet,
)
from custom_components.zwave_serial.zwave.cc.notification import NotificationReport
from custom_components.zwave_serial.zwave.cc.supervision import SupervisionGet, SupervisionReport
from custom_components.zwave_serial.zwave.cc.transport_service import (
    TransportServiceTimeouts,
    decode_transport_service,
    segment_datagram,
)
from custom_components.zwave_serial.zwave.cc.user_code import UserCodeReport, UserIdStatus
from custom_components.zwave_serial.zwave.errors import NodeTimeout
from custom_components.zwave_serial.zwave.events import NodeStatus, NotificationEvent
from custom_components.zwave_serial.zwave.node import Node
from custom_components.zwave_serial.zwave.security import SecurityClass
from custom_components.zwave_serial.zwave.security.s2_codec import (
    S2ExtensionType,
    S2NonceReport,
    decode_s2_command,
)
from custom_components.zwave_serial.zwave.security.s2_mpan import MpanState
from custom_components.zwave_serial.zwave.serialapi.engine import Priority

from .test_manager import (
    DOOR_LOCK,
    OWN,
    PEER,
    USER_CODE,
    FakeHost,
    PeerNode,
    _NodeHost,
    _settle,
    _setup,
)

AC = SecurityClass.S2_AccessControl
NOTIFICATION = 0x71
ACCESS = NotificationReport(notification_type=6, event=1)  # manual lock operation


def _secure_node(driver: _NodeHost, security_class: SecurityClass = AC, ts: bool = False) -> Node:
    node = Node(driver, PEER)
    ccs = {DOOR_LOCK: 4, USER_CODE: 2, NOTIFICATION: 8, 0x9F: 1, 0x86: 3, 0x6C: 2}
    if ts:
        ccs[0x55] = 2
    node.set_command_classes(0, ccs)
    node.protocol.listening = True
    node.security_class = security_class
    node.secure_ccs = {DOOR_LOCK, USER_CODE, NOTIFICATION}
    node.status = NodeStatus.ALIVE
    driver.nodes[PEER] = node
    return node


async def _with_span(ts: bool = False) -> tuple[FakeHost, _NodeHost, PeerNode, Node]:
    host, manager, peer = _setup()
    driver = _NodeHost(host, manager)
    node = _secure_node(driver, ts=ts)
    peer.handle(await manager.wrap(node, b"\x62\x02"))  # SPAN established
    peer.received.clear()
    return host, driver, peer, node


def _nonce_reports(host: FakeHost) -> list[bytes]:
    return [f for f in host.sent if f[:2] == b"\x9f\x02"]


def _notifications(driver: _NodeHost) -> list[NotificationEvent]:
    return [e for e in driver.events if isinstance(e, NotificationEvent)]


# --- S2 multicast ---------------------------------------------------------------------------------


async def test_multicast_out_of_sync_then_unsupervised_follow_up_gets_mos() -> None:
    host, driver, peer, node = await _with_span()
    messenger, manager = driver.messenger, driver.security
    group = peer.s2.create_multicast_group([OWN, 7], AC)
    report = ACCESS.to_bytes()
    messenger.handle_application_command(PEER, peer.s2.encapsulate_multicast(group, report), multicast=True)
    assert manager.counters["security_mpan_out_of_sync"] == 1
    assert _notifications(driver) == []
    await _settle()
    assert host.sent[-1][:2] != b"\x9f\x02"  # a multicast is never answered
    # the follow-up decrypts over the SPAN, is carried out, and gets a Nonce Report with MOS
    messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, report, multicast_group=group))
    await _settle()
    assert len(_notifications(driver)) == 1
    mos = decode_s2_command(_nonce_reports(host)[-1])
    assert isinstance(mos, S2NonceReport) and mos.mos and not mos.sos


async def test_supervised_follow_up_answers_mos_on_the_supervision_report() -> None:
    host, driver, peer, node = await _with_span()
    group = peer.s2.create_multicast_group([OWN, 7], AC)
    supervised = SupervisionGet(9, ACCESS.to_bytes()).to_bytes()
    driver.messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, supervised, multicast_group=group))
    await _settle()
    frame = host.sent[-1]
    assert decode_s2_command(frame).extension(S2ExtensionType.MOS) is not None
    assert peer.received[-1] == SupervisionReport(9, 0xFF).to_bytes()  # (delivered by the fake radio)


async def test_synced_multicast_runs_once_and_is_answered_on_the_follow_up() -> None:
    host, driver, peer, node = await _with_span()
    messenger, manager = driver.messenger, driver.security
    group = peer.s2.create_multicast_group([OWN, 7], AC)
    messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, b"", mpan_group=group))
    s2 = manager._sessions()[0]
    assert s2 is not None and s2.mpan_state(PEER, group) == MpanState.MPAN
    supervised = SupervisionGet(11, ACCESS.to_bytes()).to_bytes()
    sent = len(host.sent)
    messenger.handle_application_command(PEER, peer.s2.encapsulate_multicast(group, supervised), multicast=True)
    await _settle()
    assert len(_notifications(driver)) == 1 and len(host.sent) == sent  # carried out, not answered
    messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, supervised, multicast_group=group))
    await _settle()
    assert len(_notifications(driver)) == 1  # the follow-up is not carried out again...
    # ...but its Supervision Get is answered (no MOS: in sync; the fake radio delivered it)
    assert peer.received[-1] == SupervisionReport(11, 0xFF).to_bytes()
    assert decode_s2_command(host.sent[-1]).extension(S2ExtensionType.MOS) is None
    # a different command in a later follow-up is carried out
    other = NotificationReport(notification_type=6, event=2).to_bytes()
    messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, other, multicast_group=group))
    assert len(_notifications(driver)) == 2


async def test_a_get_by_multicast_is_dropped() -> None:
    host, driver, peer, node = await _with_span()
    group = peer.s2.create_multicast_group([OWN], AC)
    driver.messenger.handle_application_command(PEER, peer.s2.encapsulate(OWN, b"", mpan_group=group))
    sent = len(host.sent)
    frame = peer.s2.encapsulate_multicast(group, DoorLockOperationGet().to_bytes())
    driver.messenger.handle_application_command(PEER, frame, multicast=True)
    await _settle()
    assert driver.messenger.counters["multicast_gets_dropped"] == 1 and len(host.sent) == sent
    # plain-text multicasts follow the same rules (and S0 is never taken by multicast)
    driver.messenger.handle_application_command(PEER, b"\x86\x13\x62", multicast=True)
    assert driver.messenger.counters["multicast_gets_dropped"] == 2
    assert driver.security.receive(PEER, b"\x98\x81" + bytes(20), node, multicast=True) is None


async def test_follow_up_that_does_not_decrypt_gets_sos_and_mos() -> None:
    host, driver, peer, node = await _with_span()
    group = peer.s2.create_multicast_group([OWN, 7], AC)
    frame = bytearray(peer.s2.encapsulate(OWN, ACCESS.to_bytes(), multicast_group=group))
    frame[-1] ^= 0x01
    driver.messenger.handle_application_command(PEER, bytes(frame))
    await _settle()
    report = decode_s2_command(_nonce_reports(host)[-1])
    assert isinstance(report, S2NonceReport) and report.sos and report.mos


# --- downgrade protection -------------------------------------------------------------------------


async def test_secure_cc_never_accepted_in_plain_text_in_any_wrapping(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host, driver, peer, node = await _with_span()
    messenger, manager = driver.messenger, driver.security
    report = DoorLockOperationReport(0xFF, bolt_locked=True).to_bytes()
    wrapped = [
        report,
        SupervisionGet(3, report).to_bytes(),
        bytes((0x60, 0x0D, 0x01, 0x00)) + report,  # multi channel, endpoint 1
        bytes((0x8F, 0x01, 0x01, len(report))) + report,  # multi command
        Crc16Encap(report).to_bytes(),
    ]
    for data in wrapped:
        messenger.handle_application_command(PEER, data)
    await _settle()
    assert node.get_value(DOOR_LOCK, "current_mode") is None
    assert manager.counters["security_plaintext_dropped"] == 5
    # a refused supervised frame is not even answered
    assert not any(f[:2] == b"\x6c\x02" for f in host.sent)
    # received encrypted with S0 from a node granted S2: refused too
    assert manager.refused(node, [DOOR_LOCK], SecurityClass.S0_Legacy)
    assert manager.counters["security_wrong_class_dropped"] == 1
    assert not manager.refused(node, [DOOR_LOCK], AC) and not manager.refused(node, [0x86], None)
    assert "supports it securely" in caplog.text


async def test_segmented_plain_text_is_refused_and_secure_commands_never_go_plain() -> None:
    host, driver, peer, node = await _with_span(ts=True)
    messenger = driver.messenger
    code = UserCodeReport(1, UserIdStatus.ENABLED, "1234567890").to_bytes()
    for segment in segment_datagram(code, 2, segment_size=6):
        messenger.handle_application_command(PEER, segment.to_bytes())
    await _settle()
    assert node.get_value(USER_CODE, "user_code", 1) is None
    assert driver.security.counters["security_plaintext_dropped"] == 1
    # a long command of a secure CC goes encrypted first, then in segments
    host.sent.clear()
    messenger.max_payload_size = 20
    messenger.transport.timeouts = TransportServiceTimeouts(segment_complete=0.01)
    peer.mute = True  # (no Segment Complete: the transfer ends unconfirmed, not in an error)
    long_set = UserCodeReport(2, UserIdStatus.ENABLED, "0987654321").to_bytes()
    await messenger._send_data(node, long_set, Priority.USER, USER_CODE)
    assert host.sent and all(f[0] == 0x55 and len(f) <= 20 for f in host.sent)
    parts = {s.datagram_offset: s for s in map(decode_transport_service, host.sent)}
    datagram = b"".join(parts[offset].partial_datagram for offset in sorted(parts))
    assert datagram[:2] == b"\x9f\x03" and len(datagram) == next(iter(parts.values())).datagram_size
    assert b"0987654321" not in b"".join(host.sent)
    peer.mute = False
    peer.handle(datagram)  # the node decrypts the reassembled frame
    assert peer.received[-1] == long_set


async def test_no_key_means_no_frame_at_all() -> None:
    host, manager, peer = _setup()
    driver = _NodeHost(host, manager)
    node = _secure_node(driver, SecurityClass.S2_Authenticated)
    manager.keys = None  # (the driver lost its keys)
    manager._identity = None
    with pytest.raises(Exception, match="no network key"):
        await driver.messenger.send_set(node, DoorLockOperationSet(0xFF), supervise=False, verify=False)
    assert host.sent == []


async def test_decryption_failure_counted_and_logged_without_payload(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host, driver, peer, node = await _with_span()
    code = UserCodeReport(3, UserIdStatus.ENABLED, "246813").to_bytes()
    frame = bytearray(peer.s2.encapsulate(OWN, code))
    frame[-2] ^= 0x10
    driver.messenger.handle_application_command(PEER, bytes(frame))
    await _settle()
    assert driver.security.counters["security_decrypt_failures"] == 1
    assert "did not decrypt" in caplog.text
    for secret in ("246813", bytes(frame).hex(), bytes(frame).hex(" "), bytes(frame[4:12]).hex()):
        assert secret not in caplog.text
    assert node.get_value(USER_CODE, "user_code", 3) is None


async def test_nonce_timeout_sends_nothing_plain() -> None:
    host, manager, peer = _setup()
    driver = _NodeHost(host, manager)
    node = _secure_node(driver)
    peer.mute = True
    with pytest.raises(NodeTimeout):
        await driver.messenger.send_set(node, DoorLockOperationSet(0xFF), supervise=False, verify=False)
    assert host.sent and all(f[:2] == b"\x9f\x01" for f in host.sent)
    await asyncio.sleep(0)
