"""The virtual stick's neighbour update (0x48), faithful to the firmware: only its short
controller exchanges use the TX queue; while the node probes its neighbours SendData to other
nodes runs (strict mode too), a SendData to the node under update fails, and other
network-management jobs are refused (strict) or "busy" (firmware).  Raw frames over a pty."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.frame import Control, Frame
from custom_components.zwave_serial.zwave.sim import VirtualStick

from .conftest import PtyHost

STRICT = pytest.mark.parametrize("stick_options", [{"strict": True}])
LONG = 60.0  # the update's probing: ended by the test with finish_network_wait()


def is_callback(function: int):
    return lambda f: f.type == 0 and f.function == function


def send_data(node: int, cc: bytes, cbid: int, tx: int = 0x25) -> Frame:
    return Frame.request(0x13, bytes((node, len(cc))) + cc + bytes((tx, cbid)))


async def start_update(stick: VirtualStick, host: PtyHost, node: int, cbid: int) -> None:
    stick.neighbor_update_time = LONG
    assert await host.send(Frame.request(0x48, bytes((node, cbid)))) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == bytes((cbid, 0x21))
    assert stick.jobs.updating_node == node


async def finish_update(stick: VirtualStick, host: PtyHost, cbid: int) -> None:
    assert stick.jobs.finish_network_wait()
    assert (await host.expect(is_callback(0x48))).payload == bytes((cbid, 0x22))
    assert stick.jobs.updating_node is None and not stick.jobs.busy


@STRICT
async def test_strict_send_data_to_another_node_runs_during_the_update(
    stick: VirtualStick, host: PtyHost
) -> None:
    await start_update(stick, host, 2, 0x07)
    response, callback = await host.send_data(3, b"\x26\x02")  # another node: queued and sent
    assert response.payload == b"\x01" and callback.payload[1] == 0x00
    await host.report(3, b"\x26\x03")
    assert stick.jobs.updating_node == 2  # still probing
    assert (await host.call(0x60, b"\x03")).payload == b"\x01"  # RequestNodeInfo: TX queue too
    await host.expect(lambda f: f.function == 0x49)
    await finish_update(stick, host, 0x07)
    order = [f.function for f in host.received if f.type == 0 and f.function in (0x48, 0x13)]
    assert order == [0x48, 0x13, 0x48]
    assert stick.overlap_refusals == 0 and stick.jobs.sends_to_busy_node == []


@STRICT
async def test_strict_refuses_network_management_during_the_update(
    stick: VirtualStick, host: PtyHost
) -> None:
    await start_update(stick, host, 2, 0x07)
    for frame in (
        Frame.request(0x46, b"\x02\x01\x09"),  # a return route
        Frame.request(0x48, b"\x03\x0a"),  # a second neighbour update
        Frame.request(0x51, b"\x03\x0b"),  # the SUC route
    ):
        assert await host.send(frame) == Control.ACK
    await finish_update(stick, host, 0x07)
    await host.quiet(
        lambda f: f.function in (0x46, 0x51) or (f.function == 0x48 and f.payload[:1] == b"\x0a"), 0.1
    )
    assert [(r.function, r.pending_function, r.pending_node_id) for r in stick.refused_jobs] == [
        (0x46, 0x48, 2),
        (0x48, 0x48, 2),
        (0x51, 0x48, 2),
    ]
    # after the final callback: accepted
    assert (await host.call(0x46, b"\x02\x01\x0c")).payload == b"\x01"
    assert (await host.expect(is_callback(0x46))).payload == b"\x0c\x00"
    assert stick.overlap_refusals == 3


async def test_send_data_to_the_node_under_update_fails(stick: VirtualStick, host: PtyHost) -> None:
    """The node is busy probing its neighbours and misses the frame: NoAck after the retries
    (recorded, so a host test can assert it never happens)."""
    await start_update(stick, host, 2, 0x07)
    response, callback = await host.send_data(2, b"\x25\x02")
    assert response.payload == b"\x01" and callback.payload[1] == 0x01  # NoAck
    assert [node for node, _ in stick.jobs.sends_to_busy_node] == [2]
    await finish_update(stick, host, 0x07)
    _, callback = await host.send_data(2, b"\x25\x02")  # done probing: it answers again
    assert callback.payload[1] == 0x00


async def test_firmware_answers_busy_to_network_management_during_the_update(
    stick: VirtualStick, host: PtyHost
) -> None:
    await start_update(stick, host, 2, 0x07)
    assert await host.send(Frame.request(0x48, b"\x03\x08")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x08\x23"  # at once
    assert (await host.call(0x46, b"\x03\x01\x09")).payload == b"\x01"  # a route job: queued
    assert (await host.expect(is_callback(0x46))).payload == b"\x09\x00"
    await finish_update(stick, host, 0x08)  # the first update's done, under the newest ID
    assert stick.overlap_refusals == 0


async def test_unreachable_node_fails_without_started(stick: VirtualStick, host: PtyHost) -> None:
    """The node does not take the request: 0x23 comes without 0x21 (real sticks do this)."""
    stick.set_dead(4)
    assert await host.send(Frame.request(0x48, b"\x04\x05")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x05\x23"
    assert stick.jobs.updating_node is None and not stick.jobs.busy
    assert [f.payload for f in host.received if f.function == 0x48] == [b"\x05\x23"]


async def test_reset_drops_the_update(stick: VirtualStick, host: PtyHost) -> None:
    await start_update(stick, host, 2, 0x07)
    stick.jobs.clear()  # what a SoftReset / power loss does to the protocol's jobs
    assert stick.jobs.updating_node is None and not stick.jobs.busy
    assert not stick.jobs.finish_network_wait()
    await host.quiet(is_callback(0x48), 0.1)
