"""Transport Service and S2 multicast through the real driver over the pty.

The test plays a node's radio side: it injects frames with ``stick.deliver_to_host`` (multicast
ones with the multicast receive status) and reads what the driver sent in the virtual node's
``received`` list.  Frames are built with Z-Wave JS's byte vectors (Transport Service) and the
driver's own S2 module acting as the node (S2).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, MemoryCache
from custom_components.zwave_serial.zwave.cc.configuration import (
    ConfigurationBulkSet,
    ConfigurationInfoGet,
    ConfigurationInfoReport,
)
from custom_components.zwave_serial.zwave.cc.switch_binary import SwitchBinaryReport
from custom_components.zwave_serial.zwave.cc.transport_service import (
    TransportServiceSegmentComplete,
    TransportServiceSegmentRequest,
    TransportServiceSubsequentSegment,
    TransportServiceTimeouts,
    decode_transport_service,
    segment_datagram,
)
from custom_components.zwave_serial.zwave.messaging.messenger import DEFAULT_MAX_PAYLOAD_SIZE
from custom_components.zwave_serial.zwave.node import SetValueStatus
from custom_components.zwave_serial.zwave.security import NetworkKeys, S2SecurityManager, SecurityClass
from custom_components.zwave_serial.zwave.security.s2_codec import S2NonceReport, decode_s2_command
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

from .conftest import fast_options, wait_for

h = bytes.fromhex
TS, SWITCH, CONFIG = 0x55, 0x25, 0x70
MULTICAST = 0x08  # ApplicationCommandHandler receive status: multicast frame
TEXT = "Loooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooong text"
# Z-Wave JS's transportService.test.ts datagram (a Configuration Info Report) in its three
# segments, as @zwave-js/cc 15.29.0 serializes them (session 1).
FIRST = h("55c05910700d0001004c6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6fe4ab")
SECOND = h("55e05910276f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6fa990")
THIRD = h("55e059104e6f6f6f6f6e67207465787492e2")
KEYS = NetworkKeys(s2_unauthenticated="11111111111111111111111111111111")
U = SecurityClass.S2_Unauthenticated
#: Long timers: a slow test machine must not turn a waiting step into a timeout.
PATIENT = TransportServiceTimeouts(request_missing_segment=30.0, segment_complete=30.0)


def _sent_to(demo: DemoStick, node_id: int, prefix: bytes) -> list[bytes]:
    return [bytes(f) for f in demo.stick.node(node_id).received if bytes(f).startswith(prefix)]


async def test_long_report_in_segments_with_one_missing(demo: DemoStick, driver: Driver) -> None:
    node = driver.nodes[2]
    driver.messenger.transport.timeouts = PATIENT
    get = asyncio.create_task(node.get(ConfigurationInfoGet(1), timeout=30))
    await wait_for(lambda: _sent_to(demo, 2, b"\x70\x0c"), what="Configuration Info Get")
    demo.stick.deliver_to_host(2, FIRST)
    demo.stick.deliver_to_host(2, THIRD)  # the second segment is lost on the way
    await wait_for(lambda: _sent_to(demo, 2, b"\x55\xc8"), what="Segment Request")
    (request,) = _sent_to(demo, 2, b"\x55\xc8")
    assert decode_transport_service(request) == TransportServiceSegmentRequest(1, 39)
    demo.stick.deliver_to_host(2, SECOND)
    report = await get
    assert isinstance(report, ConfigurationInfoReport) and report.text == TEXT
    await wait_for(lambda: _sent_to(demo, 2, b"\x55\xe8"), what="Segment Complete")
    assert decode_transport_service(_sent_to(demo, 2, b"\x55\xe8")[0]) == TransportServiceSegmentComplete(1)
    stats = driver.statistics()
    assert stats["transport_service_datagrams_received"] == 1
    assert stats["transport_service_segment_requests_sent"] == 1


async def test_bad_segment_is_counted_and_other_traffic_flows(demo: DemoStick, driver: Driver) -> None:
    bad = bytearray(FIRST)
    bad[-3] ^= 0x40
    demo.stick.deliver_to_host(2, bytes(bad))
    demo.stick.deliver_to_host(2, SwitchBinaryReport(True).to_bytes())
    await wait_for(lambda: driver.nodes[2].get_value(SWITCH, "current_value") is True)
    assert driver.statistics()["transport_service_crc_errors"] == 1


async def test_long_command_goes_out_in_segments(demo: DemoStick, driver: Driver) -> None:
    node = driver.nodes[2]
    node.set_cc_version(TS, 2)  # the node has Transport Service v2
    driver.messenger.transport.timeouts = PATIENT
    command = ConfigurationBulkSet(1, tuple(range(30)), size=2)
    data = command.to_bytes()
    assert len(data) > DEFAULT_MAX_PAYLOAD_SIZE
    sending = asyncio.create_task(driver.messenger.send_set(node, command, supervise=False, verify=False))

    def segments() -> list[Any]:
        return [decode_transport_service(f) for f in _sent_to(demo, 2, bytes((TS,)))]

    def complete() -> bool:
        return any(s.datagram_offset + len(s.partial_datagram) == len(data) for s in segments())

    await wait_for(complete, what="the last segment")
    # the node confirms (as Z-Wave JS's and the Silicon Labs receivers do)
    demo.stick.deliver_to_host(2, TransportServiceSegmentComplete(segments()[0].session_id).to_bytes())
    result = await sending
    assert result.status is SetValueStatus.SENT
    frames = _sent_to(demo, 2, bytes((TS,)))
    assert all(len(f) <= DEFAULT_MAX_PAYLOAD_SIZE for f in frames)
    assert not _sent_to(demo, 2, data[:2])  # never sent in one piece
    datagram = bytearray(len(data))
    for segment in segments():
        start = segment.datagram_offset
        datagram[start : start + len(segment.partial_datagram)] = segment.partial_datagram
    assert bytes(datagram) == data
    assert isinstance(segments()[-1], TransportServiceSubsequentSegment)
    assert driver.statistics()["transport_service_datagrams_sent"] == 1


# --- S2: Transport Service outside S2, multicast ----------------------------------------------


@pytest.fixture
async def secure_driver(demo: DemoStick) -> AsyncIterator[Driver]:
    drv = Driver(demo.port, cache=MemoryCache(), options=fast_options(), keys=KEYS)
    await drv.start()
    await drv.wait_for_nodes_ready(timeout=30)
    node = drv.nodes[2]
    node.security_class = U  # as if node 2 had been included with S2 Unauthenticated
    node.secure_ccs = {SWITCH, CONFIG}
    try:
        yield drv
    finally:
        await drv.stop()


async def _peer_with_span(demo: DemoStick, driver: Driver) -> S2SecurityManager:
    """Node 2's S2 side: asks the driver for a nonce and takes its Nonce Report."""
    peer = S2SecurityManager(KEYS, 2, driver.home_id)
    demo.stick.deliver_to_host(2, peer.nonce_get(1).to_bytes())
    await wait_for(lambda: _sent_to(demo, 2, b"\x9f\x02"), what="the driver's Nonce Report")
    report = decode_s2_command(_sent_to(demo, 2, b"\x9f\x02")[-1])
    assert isinstance(report, S2NonceReport) and report.sos
    peer.receive_nonce_report(1, report)
    return peer


def _switch(driver: Driver) -> Any:
    return driver.nodes[2].get_value(SWITCH, "current_value")


async def test_segmented_s2_frame_is_reassembled_then_decrypted(demo: DemoStick, secure_driver: Driver) -> None:
    driver = secure_driver
    peer = await _peer_with_span(demo, driver)
    frame = peer.encapsulate(1, SwitchBinaryReport(True).to_bytes(), U)
    for segment in segment_datagram(frame, 6, segment_size=12):
        demo.stick.deliver_to_host(2, segment.to_bytes())
    await wait_for(lambda: _switch(driver) is True, what="the switch report")
    # a plain-text report of a CC the node supports securely is refused
    demo.stick.deliver_to_host(2, SwitchBinaryReport(False).to_bytes())
    await wait_for(lambda: driver.statistics()["security_plaintext_dropped"] == 1)
    assert _switch(driver) is True


async def test_s2_multicast_mpan_sync_and_mos(demo: DemoStick, secure_driver: Driver) -> None:
    driver = secure_driver
    peer = await _peer_with_span(demo, driver)
    demo.stick.deliver_to_host(2, peer.encapsulate(1, SwitchBinaryReport(True).to_bytes(), U))
    await wait_for(lambda: _switch(driver) is True)
    group = peer.create_multicast_group([1, 3], U)

    # a multicast before the driver has the node's MPAN: dropped, counted, not answered...
    off = SwitchBinaryReport(False).to_bytes()
    demo.stick.deliver_to_host(2, peer.encapsulate_multicast(group, off), MULTICAST)
    await wait_for(lambda: driver.statistics()["security_mpan_out_of_sync"] == 1)
    assert _switch(driver) is True
    # ...its singlecast follow-up is carried out and answered with a Nonce Report (MOS only)
    reports = len(_sent_to(demo, 2, b"\x9f\x02"))
    demo.stick.deliver_to_host(2, peer.encapsulate(1, off, multicast_group=group))
    await wait_for(lambda: len(_sent_to(demo, 2, b"\x9f\x02")) > reports, what="the MOS Nonce Report")
    mos = decode_s2_command(_sent_to(demo, 2, b"\x9f\x02")[-1])
    assert isinstance(mos, S2NonceReport) and mos.mos and not mos.sos
    assert _switch(driver) is False

    # the node sends its MPAN; from now on its multicasts decrypt
    peer.receive_nonce_report(1, mos)
    demo.stick.deliver_to_host(2, peer.encapsulate(1, b"", mpan_group=group))
    on = SwitchBinaryReport(True).to_bytes()
    demo.stick.deliver_to_host(2, peer.encapsulate_multicast(group, on), MULTICAST)
    await wait_for(lambda: _switch(driver) is True, what="the multicast report")
    demo.stick.deliver_to_host(2, peer.encapsulate(1, on, multicast_group=group))  # its follow-up
    demo.stick.deliver_to_host(2, peer.encapsulate(1, off, U))  # and a plain singlecast after it
    await wait_for(lambda: _switch(driver) is False)
    stats = driver.statistics()
    assert stats["security_decrypt_failures"] == 0 and stats["security_mpan_out_of_sync"] == 1
