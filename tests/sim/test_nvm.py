"""The virtual stick's NVM functions over a real pty with raw frames (500, 700 and 800 series).

The images the stick builds are read with the driver's own parsers (an independent
implementation of the same formats), and what a host writes becomes the stick's network at
the next soft reset.
"""

from __future__ import annotations

import asyncio
import copy

import pytest

from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.nvm import parse_image
from custom_components.zwave_serial.zwave.nvm.nvm500 import write_nvm500
from custom_components.zwave_serial.zwave.nvm.nvm700 import write_nvm700
from custom_components.zwave_serial.zwave.sim import VirtualStick

from .conftest import PtyHost


def bit(mask: bytes, k: int) -> bool:
    return bool(mask[k // 8] & (1 << (k % 8)))


async def op(host: PtyHost, payload: bytes, function: int = 0x2E) -> bytes:
    return (await host.call(function, payload)).payload


async def read_700(host: PtyHost, size: int) -> bytes:
    out = bytearray()
    while len(out) < size:
        res = await op(host, bytes((0x01, 255)) + len(out).to_bytes(2, "big"))
        assert res[0] in (0x00, 0xFF) and res[1] <= 64
        out += res[4 : 4 + res[1]]
        if res[0] == 0xFF:
            break
    return bytes(out)


async def read_500(host: PtyHost, size: int, chunk: int = 168) -> bytes:
    out = bytearray()
    while len(out) < size:
        res = await host.call(0x2A, len(out).to_bytes(3, "big") + min(chunk, size - len(out)).to_bytes(2, "big"))
        out += res.payload
    return bytes(out)


async def soft_reset(stick: VirtualStick, host: PtyHost) -> None:
    """SoftReset; then wait for the stick to be back (a 700 announces it with SerialAPIStarted)."""
    await host.send(Frame.request(0x08))
    while stick.rebooting or stick.soft_resets == 0:
        await asyncio.sleep(0.01)
    if stick.series != "500":
        await host.expect(lambda f: f.function == 0x0A)


async def test_700_nvm_operations_follow_the_firmware(stick: VirtualStick, host: PtyHost) -> None:
    assert (await op(host, bytes((0x01, 16, 0, 0))))[0] == 0x02  # read before open: mismatch
    opened = await op(host, b"\x00")
    assert opened == bytes((0x00, 0x00, 0xC0, 0x00)) and not stick.rf_on  # size 48 KiB, radio off
    assert await op(host, b"\x00") == bytes(4)  # a second open does nothing
    first = await op(host, bytes((0x01, 255, 0, 0)))
    assert first[:4] == bytes((0x00, 64, 0, 0)) and len(first) == 4 + 64  # 64 bytes per read
    tail = await op(host, bytes((0x01, 64, 0xBF, 0xF6)))
    assert tail[:2] == bytes((0xFF, 10)) and len(tail) == 4 + 10  # end of file, trimmed
    assert (await op(host, bytes((0x02, 1, 0, 0, 0x55))))[0] == 0x02  # write while reading: mismatch
    assert await op(host, b"\x03") == bytes(4)
    await op(host, b"\x00")
    assert (await op(host, bytes((0x02, 65, 0, 0)) + bytes(65)))[0] == 0x01  # too long: error
    await op(host, b"\x03")
    assert not stick.rf_on
    await soft_reset(stick, host)
    assert stick.rf_on  # the radio comes back with the reset


async def test_700_image_is_a_real_nvm3_of_the_network(stick: VirtualStick, host: PtyHost) -> None:
    await op(host, b"\x00")
    data = await read_700(host, 0xC000)
    await op(host, b"\x03")
    desc = parse_image(data)  # the driver's parser, written independently of the stick's
    assert desc.series == "700" and desc.protocol_file_format == 5 and len(data) == 0xC000
    assert desc.home_id == stick.home_id and desc.own_node_id == 1
    assert desc.node_ids == [1, *sorted(stick.nodes)]
    for node_id, node in stick.nodes.items():
        info = node.protocol_info()
        assert desc.nodes[node_id].protocol_info == info[:3] and desc.nodes[node_id].generic == info[4]
        assert set(desc.nodes[node_id].neighbors) == stick.api.network.neighbors(node_id)


async def test_700_written_network_comes_up_after_a_reset(stick: VirtualStick, host: PtyHost) -> None:
    await op(host, b"\x00")
    desc = parse_image(await read_700(host, 0xC000))
    other = copy.deepcopy(desc)
    other.controller.home_id = 0xDEADBEEF
    del other.nodes[3]
    image = write_nvm700(other, "7.19.1")
    await op(host, b"\x03")
    await op(host, b"\x00")
    for offset in range(0, len(image), 64):
        res = await op(host, bytes((0x02, 64)) + offset.to_bytes(2, "big") + image[offset : offset + 64])
        assert res[0] in (0x00, 0xFF)
    await op(host, b"\x03")
    assert stick.home_id != 0xDEADBEEF  # not before the reset
    await soft_reset(stick, host)
    assert stick.home_id == 0xDEADBEEF and 3 not in stick.nodes and 2 in stick.nodes
    ident = await host.call(0x20)
    assert ident.payload == bytes.fromhex("DEADBEEF01")


@pytest.mark.parametrize("stick_options", [{"series": "800"}])
async def test_800_extended_operations(stick: VirtualStick, host: PtyHost) -> None:
    caps = (await host.call(0x07)).payload
    assert bit(caps[8:], 0x3D - 1) and bit(caps[8:], 0x2E - 1)
    opened = await op(host, b"\x00", 0x3D)
    assert opened == bytes((0x00, 0x01, 0x00, 0x00, 0xA0, 0x00, 0x0F))  # size u32, sub-commands 0-3
    out = bytearray()
    while True:
        res = await op(host, bytes((0x01, 255)) + len(out).to_bytes(4, "big"), 0x3D)
        out += res[6 : 6 + res[1]]
        if res[0] == 0xFF:
            break
    await op(host, b"\x03", 0x3D)
    desc = parse_image(bytes(out))
    assert desc.series == "800" and desc.meta["shared"] and desc.home_id == stick.home_id


@pytest.mark.parametrize("stick_options", [{"series": "500"}])
async def test_500_identity_and_functions(stick: VirtualStick, host: PtyHost) -> None:
    caps = (await host.call(0x07)).payload
    mask = caps[8:]
    for fn in (0x29, 0x2A, 0x2B, 0x2C, 0x2D):
        assert bit(mask, fn - 1), hex(fn)
    for fn in (0x09, 0x2E, 0x3D):
        assert not bit(mask, fn - 1), hex(fn)
    assert (await host.call(0x15)).payload == b"Z-Wave 4.54\x00\x01"
    assert (await host.call(0x02)).payload[-2:] == b"\x05\x00"
    nvm_id = (await host.call(0x29)).payload
    assert nvm_id[3] == 0x0F  # 32 KiB
    assert len((await host.call(0x2A, bytes((0, 0, 0, 0, 200)))).payload) == 168  # capped
    data = await read_500(host, 32 * 1024)
    desc = parse_image(data)
    assert desc.series == "500" and desc.layout == "Static 6.8x" and desc.protocol_version == "6.07"
    assert desc.home_id == stick.home_id and desc.node_ids == [1, *sorted(stick.nodes)]
    assert desc.controller.stored_node_id == 0 and desc.own_node_id == 1
    assert data[0x3860:] == b"\xff" * (len(data) - 0x3860)
    assert (await host.call(0x2C, bytes((0, 0, 0x15)))).payload == b"\x54"


@pytest.mark.parametrize("stick_options", [{"series": "500", "nvm": {"profile": "zstick_gen5"}}])
async def test_500_gen5_profile_needs_small_reads(stick: VirtualStick, host: PtyHost) -> None:
    caps = (await host.call(0x07)).payload
    assert caps[2:8] == bytes.fromhex("00860001005A")
    assert (await host.call(0x29)).payload[3] == 0x12  # 256 KiB
    assert (await host.call(0x2A, bytes((0, 0, 0, 0, 168)))).payload == b""
    assert len((await host.call(0x2A, bytes((0, 0, 0, 0, 48)))).payload) == 48
    assert (await host.call(0x2B, bytes((0, 0x40, 0, 0, 44)) + bytes(44))).payload == b"\x00"  # too long
    assert (await host.call(0x2B, bytes((0, 0x40, 0, 0, 43)) + bytes(43))).payload == b"\x01"


@pytest.mark.parametrize("stick_options", [{"series": "500"}])
async def test_500_written_network_and_restored_placeholders(stick: VirtualStick, host: PtyHost) -> None:
    await host.call(0x29)
    desc = parse_image(await read_500(host, 0x3860))
    other = copy.deepcopy(desc)
    other.controller.home_id = other.controller.own_home_id = 0xCAFE0001
    other.nodes[30] = copy.deepcopy(other.nodes[2])
    other.nodes[30].node_id = 30
    image = write_nvm500(other)
    for offset in range(0, len(image), 163):
        part = image[offset : offset + 163]
        res = await host.call(0x2B, offset.to_bytes(3, "big") + len(part).to_bytes(2, "big") + part)
        assert res.payload == b"\x01"
    await soft_reset(stick, host)
    assert stick.home_id == 0xCAFE0001
    assert 30 in stick.nodes and stick.radio.is_dead(30)  # listed, but no device answers for it
    assert stick.nodes[2].__class__.__name__ == "BinarySwitch"  # still the same device
    # A 500-series stick announces nothing after a reset.
    await host.quiet(lambda f: f.function == 0x0A, 0.3)


@pytest.mark.parametrize("stick_options", [{"series": "500"}])
async def test_500_corrupt_image_gives_an_empty_network(stick: VirtualStick, host: PtyHost) -> None:
    await host.call(0x29)
    assert (await host.call(0x2B, bytes((0, 0, 0x15, 0, 2, 0, 0)))).payload == b"\x01"  # breaks 0x54 0xA5
    old = stick.home_id
    await soft_reset(stick, host)
    assert stick.home_id != old and not stick.nodes


async def test_write_faults(stick: VirtualStick, host: PtyHost) -> None:
    stick.nvm.fail_write(mode="error")
    await op(host, b"\x00")
    assert (await op(host, bytes((0x02, 4, 0, 0x10)) + b"\x01\x02\x03\x04"))[0] == 0x01
    assert (await op(host, bytes((0x02, 4, 0, 0x10)) + b"\x01\x02\x03\x04"))[0] == 0x00  # one shot
    stick.nvm.fail_write(0x22, mode="corrupt")
    assert (await op(host, bytes((0x02, 4, 0, 0x20)) + b"\x01\x02\x03\x04"))[0] == 0x00  # accepted...
    await op(host, b"\x03")
    await op(host, b"\x00")
    res = await op(host, bytes((0x01, 4, 0, 0x20)))
    assert res[4:] == b"\x01\x02\xfc\x04"  # ...but stored wrong
    await op(host, b"\x03")
