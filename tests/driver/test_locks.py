"""Lock user codes (zwave/locks.py) against the demo's virtual locks over the pty."""

from __future__ import annotations

import logging

import pytest

from custom_components.zwave_serial.zwave import CommandClass as CC
from custom_components.zwave_serial.zwave import Driver, DuplicateUserCode, LockCodes
from custom_components.zwave_serial.zwave.cc.user_code import UserIdStatus, UsersNumberGet
from custom_components.zwave_serial.zwave.errors import CCEncodeError
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

from .conftest import wait_for


def _preload(lock: object, codes: dict[int, str]) -> None:
    for slot, code in codes.items():
        lock.user_codes[slot] = code  # type: ignore[attr-defined]
        lock.user_status[slot] = 1  # type: ignore[attr-defined]


async def test_bulk_read_chains_and_checksum_skips_reread(driver: Driver, demo: DemoStick) -> None:
    """30 slots, 10 in use: three chained Extended User Code Gets (4 codes per report); an
    unchanged checksum reads nothing again; a change is picked up."""
    lock = demo.stick.node(7)
    _preload(lock, {n: f"{1000 + n}" for n in range(1, 11)})
    codes = LockCodes(driver, 7)
    assert codes.capabilities()["checksum"] and codes.version == 2
    slots = await codes.read_all()
    assert len(slots) == 30 and lock.code_gets == 3
    assert [s.slot for s in slots if s.in_use] == list(range(1, 11))
    assert all(s.status == UserIdStatus.AVAILABLE for s in slots[10:])
    assert slots[0].code == "1001" and "1001" not in repr(slots[0])

    again = await codes.read_all()
    assert lock.code_gets == 3 and again == slots

    _preload(lock, {20: "5555"})
    changed = await codes.read_all()
    assert lock.code_gets > 3 and changed[19].in_use and changed[19].code == "5555"


async def test_set_disable_enable_clear_and_names(driver: Driver, demo: DemoStick) -> None:
    lock = demo.stick.node(7)
    codes = LockCodes(driver, 7)
    await codes.read_all()
    slot = await codes.set_code(4, "24680", name="Guest")
    assert lock.user_codes[4] == "24680" and slot.name == "Guest" and slot.status == UserIdStatus.ENABLED
    assert (await codes.set_status(4, UserIdStatus.DISABLED)).status == UserIdStatus.DISABLED
    assert lock.user_status[4] == UserIdStatus.DISABLED and lock.user_codes[4] == "24680"
    assert not lock.keypad_enter("24680")
    await codes.set_status(4, UserIdStatus.ENABLED)
    assert lock.keypad_enter("24680")
    await wait_for(lambda: driver.nodes[7].get_value(CC.DOOR_LOCK, "current_mode") == 0x00)
    cleared = await codes.clear_code(4)
    assert 4 not in lock.user_codes and not cleared.in_use and cleared.name is None
    # the name and the slots live in the driver cache
    assert driver.nodes[7].get_value(CC.USER_CODE, "user_id_status", 4) == UserIdStatus.AVAILABLE


async def test_duplicate_refused_before_sending(driver: Driver, demo: DemoStick) -> None:
    lock = demo.stick.node(7)
    _preload(lock, {1: "1234"})
    codes = LockCodes(driver, 7)
    await codes.read_all()
    with pytest.raises(DuplicateUserCode) as err:
        await codes.set_code(2, "1234")
    assert err.value.other_slot == 1 and "1234" not in str(err.value)
    assert 2 not in lock.user_codes


async def test_lock_duplicate_notification_is_typed(driver: Driver, demo: DemoStick) -> None:
    """The cache does not know the lock's code: the lock refuses it and says 0x0F."""
    lock = demo.stick.node(7)
    codes = LockCodes(driver, 7)
    await codes.read_all()
    _preload(lock, {25: "7777"})  # set at the keypad, unknown to the hub
    with pytest.raises(DuplicateUserCode) as err:
        await codes.set_code(26, "7777")
    assert err.value.other_slot is None and "7777" not in repr(err.value)
    assert 26 not in lock.user_codes


async def test_invalid_codes_and_slots(driver: Driver) -> None:
    codes = LockCodes(driver, 7)
    for bad in ("12", "12345678901", "12a4", "\uff11\uff12\uff13\uff14"):
        with pytest.raises(CCEncodeError) as err:
            await codes.set_code(3, bad)
        assert bad not in str(err.value)
    with pytest.raises(CCEncodeError):
        await codes.set_code(31, "1234")
    with pytest.raises(CCEncodeError):
        await codes.set_code(3, "1234", status=UserIdStatus.AVAILABLE)


async def test_extended_slot_above_255(driver: Driver, demo: DemoStick) -> None:
    lock = demo.stick.node(7)
    lock.users_number = 300
    await driver.nodes[7].get(UsersNumberGet())
    codes = LockCodes(driver, 7)
    await codes.set_code(300, "9753")
    assert lock.user_codes[300] == "9753"
    assert (await codes.read_slot(300)).code == "9753"


async def test_v1_lock_reads_slot_by_slot(driver: Driver, demo: DemoStick, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    lock = demo.stick.node(9)
    _preload(lock, {3: "8642"})
    codes = LockCodes(driver, 9)
    assert codes.version == 1
    slots = await codes.read_all()
    assert lock.code_gets == 30 and slots[2].code == "8642"
    await codes.read_all()
    assert lock.code_gets == 30  # cached
    await codes.set_code(5, "97531")
    assert lock.user_codes[5] == "97531"
    with pytest.raises(DuplicateUserCode):
        await codes.set_code(6, "8642")
    assert "8642" not in caplog.text and "97531" not in caplog.text


async def test_without_supervision_the_slot_is_read_back(driver: Driver, demo: DemoStick) -> None:
    """A lock without Supervision: the set is confirmed by reading the slot back; the lock's
    duplicate notification still becomes DuplicateUserCode."""
    node = driver.nodes[9]
    node.set_command_classes(0, {cc: v for cc, v in node.command_classes(0).items() if cc != CC.SUPERVISION})
    lock = demo.stick.node(9)
    codes = LockCodes(driver, 9)
    before = lock.code_gets
    slot = await codes.set_code(7, "13579")
    assert lock.user_codes[7] == "13579" and slot.code == "13579" and lock.code_gets == before + 1
    _preload(lock, {8: "2468"})  # unknown to the hub
    with pytest.raises(DuplicateUserCode):
        await codes.set_code(9, "2468")
    assert 9 not in lock.user_codes
