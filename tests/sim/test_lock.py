"""The virtual door lock: supervision, reports wrapped in Supervision GET, user codes, time.

The demo's lock (node 7) talks S2 only (see test_security.py); these tests check the lock's
command classes in plain text, on a lock that was included without security."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.sim import DoorLock, VirtualStick

from .conftest import PtyHost


@pytest.fixture(autouse=True)
def plain_lock(stick: VirtualStick) -> DoorLock:
    """Node 7 as a lock included without security."""
    stick.remove_node(7)
    return stick.add_node(DoorLock(7, bolt_time=0.05))


async def answer_supervision(host: PtyHost, node: int, session_byte: int) -> None:
    """The hub's duty: Supervision REPORT SUCCESS for a node's Supervision GET."""
    await host.send_data(node, bytes((0x6C, 0x02, session_byte & 0x3F, 0xFF, 0x00)))


async def test_supervised_lock_working_then_success(stick, host: PtyHost) -> None:
    lock = stick.node(7)
    assert lock.mode == 0xFF
    await host.send_data(7, bytes.fromhex("6c01950362 0100".replace(" ", "")))
    working = await host.report(7, b"\x6c\x02")
    assert working[:4] == b"\x6c\x02\x95\x01"  # more updates, WORKING
    done = await host.report(7, b"\x6c\x02")
    assert done == b"\x6c\x02\x15\xff\x00"
    assert lock.mode == 0x00
    wrapped = await host.report(7, b"\x6c\x01")
    assert wrapped[3] == 9 and wrapped[4:7] == b"\x62\x03\x00"
    await answer_supervision(host, 7, wrapped[2])
    assert lock.supervision_results[wrapped[2] & 0x3F] == 0xFF


async def test_supervised_lock_without_status_updates(stick, host: PtyHost) -> None:
    await host.send_data(7, bytes.fromhex("6c0115036201ff"))
    stick.node(7).mode = 0x00
    working = await host.report(7, b"\x6c\x02")
    assert working[:4] == b"\x6c\x02\x15\x01"  # WORKING, no more updates
    wrapped = await host.report(7, b"\x6c\x01")
    assert wrapped[4:7] == b"\x62\x03\xff"
    assert stick.node(7).mode == 0xFF


async def test_manual_lock_report_wrapped_in_supervision(stick, host: PtyHost) -> None:
    lock = stick.node(7)
    lock.manual_unlock()
    wrapped = await host.report(7, b"\x6c\x01")
    assert wrapped[3] == 9
    assert wrapped[4:] == bytes((0x62, 0x03, 0x00, 0x00, 0x07, 0xFE, 0xFE, 0x00, 0x00))
    note = await host.report(7, b"\x71\x05")
    assert note == bytes((0x71, 0x05, 0, 0, 0, 0xFF, 0x06, 0x02, 0x00))
    await answer_supervision(host, 7, wrapped[2])
    assert lock.supervision_results[wrapped[2] & 0x3F] == 0xFF


async def test_user_codes_and_keypad(stick, host: PtyHost) -> None:
    lock = stick.node(7)
    await host.send_data(7, bytes.fromhex("6c010108630103013132333400"[:-2]))
    assert await host.report(7, b"\x6c\x02") == b"\x6c\x02\x01\xff\x00"
    added = await host.report(7, b"\x71\x05")
    assert added[6:8] == b"\x06\x0e"
    assert lock.user_codes == {3: "1234"}
    await host.send_data(7, b"\x63\x02\x03")
    assert await host.report(7, b"\x63\x03") == b"\x63\x03\x03\x011234"
    # duplicate code at another slot: FAIL + notification 0x0F wrapped in supervision
    await host.send_data(7, bytes.fromhex("6c0102086301050131323334"))
    assert await host.report(7, b"\x6c\x02") == b"\x6c\x02\x02\x02\x00"
    dup = await host.report(7, b"\x6c\x01")
    assert dup[4:12] == bytes((0x71, 0x05, 0, 0, 0, 0xFF, 0x06, 0x0F))
    assert 5 not in lock.user_codes
    await host.send_data(7, b"\x63\x04")
    assert await host.report(7, b"\x63\x05") == b"\x63\x05\x1e\x00\x1e"
    # keypad unlock carries the User Code Report as notification parameters (seed 002)
    lock.keypad_unlock(3)
    op = await host.report(7, b"\x6c\x01")
    assert op[4:7] == b"\x62\x03\x00"
    note = await host.report(7, b"\x6c\x01")
    inner = note[4:]
    assert inner[:9] == bytes((0x71, 0x05, 0, 0, 0, 0xFF, 0x06, 0x06, 8))
    assert inner[9:] == bytes((0x63, 0x03, 0x03, 0x01)) + b"1234"


async def test_lock_config_caps_battery_jam(stick, host: PtyHost) -> None:
    lock = stick.node(7)
    await host.send_data(7, bytes.fromhex("62040111fefe000a000001"))
    await host.send_data(7, b"\x62\x05")
    assert await host.report(7, b"\x62\x06") == bytes.fromhex("62060111fefe000a000001")
    await host.send_data(7, b"\x62\x07")
    caps = await host.report(7, b"\x62\x08")
    assert caps[2:4] == b"\x01\x06" and caps[4] == 2
    lock.set_battery(5)
    warn = await host.report(7, b"\x6c\x01")
    assert warn[4:] == b"\x80\x03\xff"
    lock.jam()
    jam = await host.report(7, b"\x6c\x01")
    assert jam[4:12] == bytes((0x71, 0x05, 0, 0, 0, 0xFF, 0x06, 0x0B))
    await host.send_data(7, bytes.fromhex("6c0183036201 00".replace(" ", "")))
    assert (await host.report(7, b"\x6c\x02"))[3] == 0x01
    assert (await host.report(7, b"\x6c\x02")) == b"\x6c\x02\x03\x02\x00"  # FAIL: jammed
    assert lock.mode == 0xFF


async def test_lock_requests_time(stick, host: PtyHost) -> None:
    lock = stick.node(7)
    lock.request_time()
    assert await host.report(7, b"\x8a") == b"\x8a\x01"
    assert await host.report(7, b"\x8a") == b"\x8a\x03"
    await host.send_data(7, b"\x8a\x02\x05\x06\x07")
    await host.send_data(7, b"\x8a\x04\x07\xe3\x09\x0a")
    assert lock.time == (5, 6, 7)
    assert lock.date == (2019, 9, 10)


async def test_basic_maps_to_lock(stick, host: PtyHost) -> None:
    await host.send_data(7, b"\x20\x01\x00")
    wrapped = await host.report(7, b"\x6c\x01")
    assert wrapped[4:7] == b"\x62\x03\x00"
    await host.send_data(7, b"\x20\x02")
    assert (await host.report(7, b"\x20\x03"))[2] == 0x00
