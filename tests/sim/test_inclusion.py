"""AddNodeToNetwork (0x4A) / RemoveNodeFromNetwork (0x4B) of the virtual stick, raw frames over a pty."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from custom_components.zwave_serial.zwave.frame import Control, Frame
from custom_components.zwave_serial.zwave.security.keys import (
    SecurityClass,
    dsk_from_string,
    nwi_home_id_from_dsk,
)
from custom_components.zwave_serial.zwave.sim import (
    BinarySwitch,
    DoorLock,
    MeteringPlug,
    TimingProfile,
    VirtualStick,
)
from custom_components.zwave_serial.zwave.sim.inclusion import DepartedNode, auth_home_id

from .conftest import PtyHost, fast_link

ANY_NW = 0x01 | 0x80 | 0x40  # Any, high power, network wide
STOP_NW = 0x05 | 0x80 | 0x40
READY, NODE_FOUND, ADDING, PROTOCOL_DONE, DONE, FAILED = 1, 2, 3, 5, 6, 7


@pytest.fixture
async def small() -> AsyncIterator[VirtualStick]:
    """Nodes 2 and 5 included; a plain switch waiting to be added."""
    stick = VirtualStick(link=fast_link(), timing=TimingProfile(add_node_step=0.02, remove_node_step=0.02))
    stick.add_node(BinarySwitch(2))
    stick.add_node(BinarySwitch(5))
    stick.add_waiting(BinarySwitch(0))
    yield stick
    await stick.stop()


@pytest.fixture
async def host(small: VirtualStick, tmp_path) -> AsyncIterator[PtyHost]:
    await small.start_pty(str(tmp_path))
    h = PtyHost(small.port)
    yield h
    await h.close()


def bit(mask: bytes, k: int) -> bool:
    return bool(mask[k // 8] & (1 << (k % 8)))


async def request(host: PtyHost, function: int, mode: int, cbid: int, extra: bytes = b"") -> None:
    """0x4A / 0x4B: ACK only, no response."""
    assert await host.send(Frame.request(function, bytes((mode, cbid)) + extra)) == Control.ACK


async def status(host: PtyHost, function: int, cbid: int, timeout: float = 10.0) -> bytes:
    """The next callback ``[status][node][len][info]`` of ``function`` with ``cbid``."""
    frame = await host.expect(
        lambda f: f.type == 0 and f.function == function and f.payload[0] == cbid, timeout
    )
    return frame.payload[1:]


async def node_list(host: PtyHost) -> list[int]:
    init = await host.call(0x02)
    return [k + 1 for k in range(29 * 8) if bit(init.payload[3:32], k)]


async def include(stick: VirtualStick, host: PtyHost, node, expect_id: int) -> None:
    cbid = host.next_cbid()
    await request(host, 0x4A, ANY_NW, cbid)
    assert await status(host, 0x4A, cbid) == bytes((READY, 0, 0))
    stick.press_button(node)
    assert await status(host, 0x4A, cbid) == bytes((NODE_FOUND, 0, 0))
    adding = await status(host, 0x4A, cbid)
    assert adding[:2] == bytes((ADDING, expect_id))
    assert await status(host, 0x4A, cbid) == bytes((PROTOCOL_DONE, expect_id, 0))
    stop = host.next_cbid()
    await request(host, 0x4A, STOP_NW, stop)
    assert await status(host, 0x4A, stop) == bytes((DONE, expect_id, 0))
    await request(host, 0x4A, STOP_NW, 0)  # "as recommended": a second Stop without callback


async def test_add_and_remove_are_advertised(host: PtyHost) -> None:
    mask = (await host.call(0x07)).payload[8:]
    assert bit(mask, 0x4A - 1) and bit(mask, 0x4B - 1)


async def test_classic_inclusion_callback_stream(small: VirtualStick, host: PtyHost) -> None:
    device = small.waiting_nodes[0]
    cbid = host.next_cbid()
    await request(host, 0x4A, ANY_NW, cbid)
    assert await status(host, 0x4A, cbid) == bytes((READY, 0, 0))
    assert small.in_add_mode
    small.press_button(device)
    assert await status(host, 0x4A, cbid) == bytes((NODE_FOUND, 0, 0))
    adding = await status(host, 0x4A, cbid)
    # the next ID after the last one used (5), with the NIF: basic, generic, specific, CCs
    assert adding[:2] == bytes((ADDING, 6)) and adding[2] == len(adding) - 3
    assert adding[3:6] == bytes((0x04, 0x10, 0x01)) and 0x25 in adding[6:]
    assert await status(host, 0x4A, cbid) == bytes((PROTOCOL_DONE, 6, 0))
    assert small.node(6) is device and device.node_id == 6 and not small.waiting_nodes
    stop = host.next_cbid()
    await request(host, 0x4A, STOP_NW, stop)
    assert await status(host, 0x4A, stop) == bytes((DONE, 6, 0))
    await request(host, 0x4A, STOP_NW, 0)
    await host.quiet(lambda f: f.function == 0x4A, 0.2)  # callback ID 0: no callback
    assert not small.in_add_mode
    assert await node_list(host) == [1, 2, 5, 6]
    # the new node answers
    await host.send_data(6, b"\x25\x02")
    assert await host.report(6, b"\x25\x03") == b"\x25\x03\x00\x00\x00"
    # a button press outside add / remove mode just sends the NIF
    small.press_button(device)
    nif = await host.expect(lambda f: f.function == 0x49)
    assert nif.payload[:2] == b"\x84\x06" and nif.payload[3:6] == bytes((0x04, 0x10, 0x01))


async def test_stop_without_a_node_reports_done_with_node_zero(small: VirtualStick, host: PtyHost) -> None:
    cbid = host.next_cbid()
    await request(host, 0x4A, ANY_NW, cbid)
    assert await status(host, 0x4A, cbid) == bytes((READY, 0, 0))
    stop = host.next_cbid()
    await request(host, 0x4A, STOP_NW, stop)
    assert await status(host, 0x4A, stop) == bytes((DONE, 0, 0))
    await request(host, 0x4B, 0xC1, 0)  # remove mode without callbacks: nothing at all
    await request(host, 0x4B, 0x05, 0)
    await host.quiet(lambda f: f.function in (0x4A, 0x4B), 0.2)
    assert small.inclusion_mode == "idle"


async def test_requests_during_an_inclusion_are_dropped(small: VirtualStick, host: PtyHost) -> None:
    """While NodeFound / AddingSlave is the last status, the firmware drops every 0x4A / 0x4B
    request (a Stop too): ACK, and nothing else."""
    small.timing.add_node_step = 0.3
    device = small.waiting_nodes[0]
    cbid = host.next_cbid()
    await request(host, 0x4A, ANY_NW, cbid)
    assert (await status(host, 0x4A, cbid))[0] == READY
    small.press_button(device)
    assert (await status(host, 0x4A, cbid))[0] == NODE_FOUND
    other, stop, remove = host.next_cbid(), host.next_cbid(), host.next_cbid()
    await request(host, 0x4A, ANY_NW, other)
    await request(host, 0x4A, STOP_NW, stop)
    assert (await status(host, 0x4A, cbid))[0] == ADDING
    await request(host, 0x4B, 0xC1, remove)
    assert await status(host, 0x4A, cbid) == bytes((PROTOCOL_DONE, 6, 0))
    assert [(d.function, d.mode) for d in small.api.inclusion.dropped] == [
        (0x4A, ANY_NW),
        (0x4A, STOP_NW),
        (0x4B, 0xC1),
    ]
    assert not any(f.function in (0x4A, 0x4B) and f.payload[0] in (other, stop, remove) for f in host.received)
    # after ProtocolDone a Stop is accepted again
    stop = host.next_cbid()
    await request(host, 0x4A, STOP_NW, stop)
    assert await status(host, 0x4A, stop) == bytes((DONE, 6, 0))


async def test_exclusion_and_ids_are_not_reused(small: VirtualStick, host: PtyHost) -> None:
    device = small.waiting_nodes[0]
    await include(small, host, device, 6)
    cbid = host.next_cbid()
    await request(host, 0x4B, 0xC1, cbid)
    assert await status(host, 0x4B, cbid) == bytes((READY, 0, 0))
    assert small.in_remove_mode
    small.press_button(device)
    assert await status(host, 0x4B, cbid) == bytes((NODE_FOUND, 0, 0))
    assert (await status(host, 0x4B, cbid))[:2] == bytes((0x03, 6))  # RemovingSlave
    assert await status(host, 0x4B, cbid) == bytes((DONE, 6, 0))
    await request(host, 0x4B, 0x05, 0)
    assert device.node_id == 0 and device in small.waiting_nodes and 6 not in small.nodes
    assert await node_list(host) == [1, 2, 5]
    # included again: the next ID, not the freed one
    await include(small, host, device, 7)
    # a device of no network is "removed" as node 0
    stranger = small.add_waiting(BinarySwitch(0))
    cbid = host.next_cbid()
    await request(host, 0x4B, 0xC1, cbid)
    assert (await status(host, 0x4B, cbid))[0] == READY
    small.press_button(stranger)
    assert (await status(host, 0x4B, cbid))[0] == NODE_FOUND
    assert (await status(host, 0x4B, cbid))[:2] == bytes((0x03, 0))
    assert await status(host, 0x4B, cbid) == bytes((DONE, 0, 0))
    assert await node_list(host) == [1, 2, 5, 7]


async def test_auto_join_and_auto_leave(small: VirtualStick, host: PtyHost) -> None:
    plain = small.waiting_nodes[0]
    joiner = small.add_waiting(BinarySwitch(0), auto_join=True)
    cbid = host.next_cbid()
    await request(host, 0x4A, ANY_NW, cbid)
    assert (await status(host, 0x4A, cbid))[0] == READY
    assert (await status(host, 0x4A, cbid))[0] == NODE_FOUND  # nobody pressed a button
    assert (await status(host, 0x4A, cbid))[:2] == bytes((ADDING, 6))
    assert await status(host, 0x4A, cbid) == bytes((PROTOCOL_DONE, 6, 0))
    assert small.node(6) is joiner and plain in small.waiting_nodes
    stop = host.next_cbid()
    await request(host, 0x4A, STOP_NW, stop)
    assert (await status(host, 0x4A, stop))[:2] == bytes((DONE, 6))
    # remove mode: the latest auto-joined node leaves by itself
    cbid = host.next_cbid()
    await request(host, 0x4B, 0xC1, cbid)
    assert (await status(host, 0x4B, cbid))[0] == READY
    assert (await status(host, 0x4B, cbid))[0] == NODE_FOUND
    assert (await status(host, 0x4B, cbid))[:2] == bytes((0x03, 6))
    assert await status(host, 0x4B, cbid) == bytes((DONE, 6, 0))
    assert joiner.node_id == 0 and joiner in small.waiting_nodes


async def test_smart_start_announce_and_inclusion(small: VirtualStick, host: PtyHost) -> None:
    plug = small.add_waiting(
        MeteringPlug(0, security=(SecurityClass.S2_Authenticated,), smart_start=True), auto_join=False
    )
    dsk = dsk_from_string(plug.dsk)
    assert plug.qr_code.startswith("9001")
    await request(host, 0x4A, 0x09 | 0x40, 0)  # SmartStart listen, as Z-Wave JS: no callback
    update = await host.expect(lambda f: f.function == 0x49)
    payload = update.payload
    assert payload[0] == 0x85  # SmartStart Home ID received
    assert payload[1] == 0 and int.from_bytes(payload[3:7], "big") == nwi_home_id_from_dsk(dsk)
    nif = plug.nif()
    assert payload[7] == len(nif) - 3 and payload[8:] == nif
    assert 0x9F in payload[11:]
    # a second announcement follows while the stick listens
    again = await host.expect(lambda f: f.function == 0x49)
    assert again.payload == payload
    # include it by its NWI home ID
    cbid = host.next_cbid()
    await request(host, 0x4A, 0x08 | 0x80 | 0x40, cbid, payload[3:7] + auth_home_id(dsk))
    assert (await status(host, 0x4A, cbid))[0] == READY
    assert (await status(host, 0x4A, cbid))[0] == NODE_FOUND
    assert (await status(host, 0x4A, cbid))[:2] == bytes((ADDING, 6))
    assert await status(host, 0x4A, cbid) == bytes((PROTOCOL_DONE, 6, 0))
    stop = host.next_cbid()
    await request(host, 0x4A, STOP_NW, stop)
    assert (await status(host, 0x4A, stop))[:2] == bytes((DONE, 6))
    assert small.node(6) is plug
    # no device with that home ID: Failed
    small.timing.smart_start_find_time = 0.2
    cbid = host.next_cbid()
    await request(host, 0x4A, 0x08 | 0x40, cbid, bytes.fromhex("c1020304") + bytes.fromhex("01020305"))
    assert (await status(host, 0x4A, cbid))[0] == READY
    assert (await status(host, 0x4A, cbid))[0] == FAILED


async def test_soft_reset_ends_add_mode(small: VirtualStick, host: PtyHost) -> None:
    cbid = host.next_cbid()
    await request(host, 0x4A, ANY_NW, cbid)
    assert (await status(host, 0x4A, cbid))[0] == READY
    assert await host.send(Frame.request(0x08)) == Control.ACK
    await host.expect(lambda f: f.function == 0x0A)
    assert small.inclusion_mode == "idle"
    small.press_button(small.waiting_nodes[0])
    await host.quiet(lambda f: f.function == 0x4A, 0.2)


async def test_departed_node_can_be_removed_as_failed(small: VirtualStick, host: PtyHost) -> None:
    lock = small.add_waiting(DoorLock(0, security=(SecurityClass.S0_Legacy,)))
    await include(small, host, lock, 6)
    lock.leave_network()  # e.g. its bootstrapping failed
    assert isinstance(small.node(6), DepartedNode) and lock.node_id == 0 and lock in small.waiting_nodes
    assert await node_list(host) == [1, 2, 5, 6]  # the stick does not know yet
    _, callback = await host.send_data(6, b"\x62\x02")
    assert callback.payload[1] == 0x01  # NoAck
    assert (await host.call(0x62, b"\x06")).payload == b"\x01"
    cbid = host.next_cbid()
    assert (await host.call(0x61, bytes((6, cbid)))).payload == b"\x00"
    assert await status(host, 0x61, cbid) == b"\x01"  # removed
    assert await node_list(host) == [1, 2, 5]
