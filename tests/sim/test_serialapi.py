"""Serial API functions of the virtual stick, over a real pty with raw frames."""

from __future__ import annotations

from custom_components.zwave_serial.zwave.frame import Control, Frame, checksum

from .conftest import PtyHost


def bit(mask: bytes, k: int) -> bool:
    """Bit k (0-based over all bytes)."""
    return bool(mask[k // 8] & (1 << (k % 8)))


async def test_startup_functions(stick, host: PtyHost) -> None:
    caps = await host.call(0x07)
    assert caps.payload[:2] == bytes((7, 19))
    mask = caps.payload[8:]
    assert len(mask) == 32
    for fn in (0x02, 0x05, 0x07, 0x08, 0x0B, 0x13, 0x15, 0x20, 0x41, 0x60, 0x80):
        assert bit(mask, fn - 1), hex(fn)
    assert bit(mask, 0x4A - 1) and bit(mask, 0x4B - 1)

    init = await host.call(0x02)
    assert init.payload[2] == 29 and len(init.payload) == 3 + 29 + 2
    nodes = [k + 1 for k in range(29 * 8) if bit(init.payload[3:32], k)]
    assert nodes == [1, *sorted(stick.nodes)] and {2, 3, 4, 5, 6, 7, 8, 9} <= set(nodes)
    assert init.payload[-2:] == b"\x07\x00"

    version = await host.call(0x15)
    assert version.payload == b"Z-Wave 7.19\x00\x01"
    proto = await host.call(0x09)
    assert proto.payload[:4] == bytes((0, 7, 19, 1))

    ctrl = await host.call(0x05)
    assert ctrl.payload[0] & 0x08  # was real primary
    ident = await host.call(0x20)
    assert ident.payload == bytes.fromhex("C0FFEE01") + b"\x01"

    assert (await host.call(0x56)).payload == b"\x00"
    assert (await host.call(0x54, bytes((1, 1, 0, 1, 0)))).payload == b"\x01"
    assert (await host.call(0x56)).payload == b"\x01"
    assert (await host.call(0x05)).payload[0] & 0x14 == 0x14  # SIS present + SUC

    supported = await host.call(0x0B, b"\x01")
    assert supported.payload[0] == 0x01 and supported.payload[1] & 0x02
    assert (await host.call(0x0B, b"\x02\xff")).payload == b"\x02\x01"
    assert (await host.call(0x0B, b"\x7e")).payload == b"\x00\x7e"
    # SetSerialApiTimeouts answers the previous ACK / byte timeouts (10 ms units)
    assert (await host.call(0x06, b"\xa0\x0f")).payload == bytes((30, 15))
    assert (await host.call(0x10, b"\x01")).payload == b"\x01"

    # SetApplicationNodeInformation: ACK, no response
    assert await host.send(Frame.request(0x03, bytes((1, 2, 1, 3, 0x5E, 0x86, 0x72)))) == Control.ACK

    info = await host.call(0x41, b"\x02")
    assert info.payload == bytes((0xDB, 0x9C, 0x01, 0x04, 0x10, 0x01))
    lock_info = await host.call(0x41, b"\x07")
    assert lock_info.payload[0] & 0x80 == 0 and lock_info.payload[1] & 0x60 == 0x40  # FLiRS 1000
    assert (await host.call(0x41, b"\x63")).payload == bytes(6)

    # every frame the stick sent had a valid checksum
    assert not host.bad_frames
    for frame in host.received:
        raw = frame.to_bytes()
        assert raw[-1] == checksum(raw[1:-1])


async def test_unknown_function_acked_without_response(stick, host: PtyHost) -> None:
    assert await host.send(Frame.request(0xEE, b"\x01\x02")) == Control.ACK
    version = await host.call(0x15)
    assert version.payload.startswith(b"Z-Wave")
    assert all(f.function != 0xEE for f in host.received)
    assert stick.api.unknown_functions == [0xEE]


async def test_soft_reset_sends_serial_api_started(stick, host: PtyHost) -> None:
    assert await host.send(Frame.request(0x08)) == Control.ACK
    started = await host.expect(lambda f: f.function == 0x0A)
    assert started.type == 0 and started.payload[0] == 0x07
    assert all(f.function != 0x08 for f in host.received)


async def test_send_data_basic_get(stick, host: PtyHost) -> None:
    res, callback = await host.send_data(2, b"\x20\x02")
    assert res.type == 1
    assert callback.payload[1] == 0x00  # OK
    assert len(callback.payload) == 4  # legacy: cbid, status, txTicks
    report = await host.report(2, b"\x20\x03")
    assert report == b"\x20\x03\x00\x00\x00"
    # the callback arrives before the node's answer
    order = [f.function for f in host.received if f.function in (0x13, 0x04)]
    assert order[-2:] == [0x13, 0x04]

    _, cb = await host.send_data(2, b"\x20\x01\xff")
    assert cb.payload[1] == 0x00
    await host.send_data(2, b"\x25\x02")
    assert (await host.report(2, b"\x25\x03")) == b"\x25\x03\xff\xff\x00"
    assert stick.node(2).on is True


async def test_extended_tx_report(stick, host: PtyHost) -> None:
    await host.call(0x0B, b"\x02\xff")
    _, callback = await host.send_data(3, b"\x26\x02")
    assert callback.payload[1] == 0
    report = callback.payload[2:]
    assert len(report) >= 17
    assert int.from_bytes(report[0:2], "big") >= 1


async def test_dead_node_no_ack(stick, host: PtyHost) -> None:
    stick.set_dead(2)
    _, callback = await host.send_data(2, b"\x25\x01\xff")
    assert callback.payload[1] == 0x01  # NoAck
    assert stick.node(2).on is False
    assert (await host.call(0x62, b"\x02")).payload == b"\x01"
    # node info request fails too
    assert (await host.call(0x60, b"\x02")).payload == b"\x01"
    failed = await host.expect(lambda f: f.function == 0x49)
    assert failed.payload[0] == 0x81
    stick.set_dead(2, False)
    _, callback = await host.send_data(2, b"\x25\x01\xff")
    assert callback.payload[1] == 0x00
    assert stick.node(2).on is True
    assert (await host.call(0x62, b"\x02")).payload == b"\x00"


async def test_request_node_info(stick, host: PtyHost) -> None:
    assert (await host.call(0x60, b"\x02")).payload == b"\x01"
    nif = await host.expect(lambda f: f.function == 0x49)
    assert nif.payload[0] == 0x84 and nif.payload[1] == 2
    body = nif.payload[3:]
    assert nif.payload[2] == len(body)
    assert body[:3] == bytes((0x04, 0x10, 0x01))
    assert 0x25 in body[3:] and 0x5E in body[3:] and 0x20 not in body[3:]


async def test_neighbor_update_and_routing_info(stick, host: PtyHost) -> None:
    assert await host.send(Frame.request(0x48, b"\x02\x07")) == Control.ACK
    first = await host.expect(lambda f: f.function == 0x48)
    second = await host.expect(lambda f: f.function == 0x48)
    assert first.payload == b"\x07\x21" and second.payload == b"\x07\x22"
    routing = await host.call(0x80, b"\x02\x00\x00")
    assert len(routing.payload) == 29
    assert routing.payload[0] & 0x01  # node 1 is a neighbour


async def test_send_data_abort(stick, host: PtyHost) -> None:
    stick.radio.config.noack_delay = 30.0  # would take long without the abort
    stick.set_dead(4)
    cbid = host.next_cbid()
    await host.call(0x13, bytes((4, 2, 0x31, 0x04, 0x25, cbid)))
    assert await host.send(Frame.request(0x16)) == Control.ACK
    cb = await host.expect(lambda f: f.function == 0x13 and f.type == 0)
    assert cb.payload[0] == cbid and cb.payload[1] != 0
