"""Lock code slots over User Credential CC (zwave/locks_credential.py) against a virtual
credential lock (node 2) over the pty: the same LockCodes surface as User Code."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from custom_components.zwave_serial.zwave import CommandClass as CC
from custom_components.zwave_serial.zwave import Driver, DuplicateUserCode, LockCodes, MemoryCache
from custom_components.zwave_serial.zwave.cc.user_code import UserIdStatus
from custom_components.zwave_serial.zwave.errors import CCEncodeError, NodeError
from custom_components.zwave_serial.zwave.locks import cached_slots, has_lock_codes
from custom_components.zwave_serial.zwave.locks_credential import CredentialLockCodes
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick
from custom_components.zwave_serial.zwave.sim.lock_credential import (
    CredentialLock,
    SimCredential,
    start_credential_demo,
)

from .conftest import fast_options, wait_for

LOCK = 2


@pytest.fixture
async def cred_demo() -> AsyncIterator[DemoStick]:
    """A strict virtual stick with one User Credential lock (node 2, S2 Access Control)."""
    demo = await start_credential_demo(bolt_time=0.1, users=20, pin_slots=20)
    try:
        yield demo
    finally:
        await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs


async def _driver(demo: DemoStick, cache: MemoryCache) -> Driver:
    drv = Driver(demo.port, cache=cache, options=fast_options(), keys=DEMO_NETWORK_KEYS)
    await drv.start()
    await drv.wait_for_nodes_ready(timeout=30)
    return drv


@pytest.fixture
async def cred_driver(cred_demo: DemoStick, cache: MemoryCache) -> AsyncIterator[Driver]:
    drv = await _driver(cred_demo, cache)
    try:
        yield drv
    finally:
        await drv.stop()


def _lock(demo: DemoStick) -> CredentialLock:
    lock = demo.stick.node(LOCK)
    assert isinstance(lock, CredentialLock)
    return lock


def _frames(lock: CredentialLock, command: int) -> int:
    """User Credential commands of one kind the lock sent (every Set is answered by a report)."""
    return sum(1 for cc in lock.sent if cc[:2] == bytes((0x83, command)))


async def test_interview_and_backend_selection(cred_driver: Driver) -> None:
    node = cred_driver.nodes[LOCK]
    assert node.supports(CC.USER_CREDENTIAL) and not node.supports(CC.USER_CODE)
    assert node.get_value(CC.USER_CREDENTIAL, "supported_users") == 20
    assert node.get_value(CC.USER_CREDENTIAL, "credential_capabilities", 1)["slots"] == 20
    codes = LockCodes(cred_driver, LOCK)
    assert isinstance(codes, CredentialLockCodes) and has_lock_codes(node)
    caps = codes.capabilities()
    assert (
        caps["users_number"] == 20
        and caps["checksum"]
        and caps["statuses"] == ["available", "enabled", "disabled"]
    )
    assert [s.status for s in cached_slots(node)] == [None] * 20  # nothing read yet


@pytest.mark.parametrize(("users", "backend"), [(4, CredentialLockCodes), (0, LockCodes)])
async def test_a_lock_with_both_ccs_prefers_user_credential(users: int, backend: type) -> None:
    """Both CCs: User Credential, unless the lock reports 0 users (it then works in User Code
    mode, CL:0083.01.21.00.4)."""
    demo = await start_credential_demo(bolt_time=0.1, users=users, user_code=True)
    drv = await _driver(demo, MemoryCache())
    try:
        node = drv.nodes[LOCK]
        assert node.supports(CC.USER_CODE) and node.supports(CC.USER_CREDENTIAL)
        codes = LockCodes(drv, LOCK)
        assert type(codes) is backend and has_lock_codes(node)
        await codes.set_code(1, "1357")
        lock = _lock(demo)
        assert (lock.pin(1), lock.user_codes.get(1)) == (("1357", None) if users else (None, "1357"))
    finally:
        await drv.stop()
        await demo.stop()
    assert demo.stick.overlap_refusals == 0


async def test_bulk_read_chains_and_checksum_skips_reread(cred_driver: Driver, cred_demo: DemoStick) -> None:
    """Three PINs: one chained Credential Get each (the report names the next), one User Get per
    owner; an unchanged All Users Checksum reads nothing again; a change is picked up."""
    lock = _lock(cred_demo)
    lock.add_pin(1, "1111")
    lock.add_pin(3, "3333", name="Bob")
    lock.add_pin(5, "5555", active=False)
    codes = LockCodes(cred_driver, LOCK)
    slots = await codes.read_all()
    assert lock.credential_gets == 3 and lock.user_gets == 3
    assert len(slots) == 20 and [s.slot for s in slots if s.in_use] == [1, 3, 5]
    assert slots[2].name == "Bob" and slots[2].code == "3333" and "3333" not in repr(slots[2])
    assert slots[4].status == UserIdStatus.DISABLED and slots[1].status == UserIdStatus.AVAILABLE
    assert slots[0].as_dict() == {"slot": 1, "status": "enabled", "in_use": True, "name": None}

    again = await codes.read_all()
    assert lock.credential_gets == 3 and again == slots

    lock.add_pin(12, "1212")  # programmed at the keypad
    changed = await codes.read_all()
    assert lock.credential_gets > 3 and changed[11].in_use and changed[11].code == "1212"
    # force reads again even with the same checksum
    before = lock.credential_gets
    await codes.read_all(force=True)
    assert lock.credential_gets == before + 4


async def test_cache_survives_a_restart(cred_demo: DemoStick) -> None:
    lock = _lock(cred_demo)
    lock.add_pin(2, "2222")
    cache = MemoryCache()
    drv = await _driver(cred_demo, cache)
    await LockCodes(drv, LOCK).read_all()
    await drv.stop()
    gets = lock.credential_gets
    drv = await _driver(cred_demo, cache)
    try:
        slots = await LockCodes(drv, LOCK).read_all()
        assert lock.credential_gets == gets and slots[1].code == "2222"
    finally:
        await drv.stop()


async def test_set_disable_enable_clear(cred_driver: Driver, cred_demo: DemoStick) -> None:
    lock = _lock(cred_demo)
    codes = LockCodes(cred_driver, LOCK)
    await codes.read_all()
    slot = await codes.set_code(4, "24680", name="Guest")
    assert lock.pin(4) == "24680" and lock.users[4].name == b"Guest" and lock.users[4].active
    assert slot.name == "Guest" and slot.status == UserIdStatus.ENABLED and slot.code == "24680"

    assert (await codes.set_status(4, UserIdStatus.DISABLED)).status == UserIdStatus.DISABLED
    assert not lock.users[4].active and lock.pin(4) == "24680" and lock.users[4].name == b"Guest"
    assert not lock.keypad_enter("24680")
    await codes.set_status(4, UserIdStatus.ENABLED)
    assert lock.keypad_enter("24680")
    await wait_for(lambda: cred_driver.nodes[LOCK].get_value(CC.DOOR_LOCK, "current_mode") == 0x00)

    # a new code in a used slot modifies it; a disabled status on set
    slot = await codes.set_code(4, "13579", status=UserIdStatus.DISABLED)
    assert lock.pin(4) == "13579" and not lock.users[4].active and slot.status == UserIdStatus.DISABLED

    cleared = await codes.clear_code(4)
    assert lock.pin(4) is None and 4 not in lock.users  # the user had no other credential
    assert not cleared.in_use and cleared.name is None
    assert cred_driver.nodes[LOCK].get_value(CC.USER_CREDENTIAL, "credential_user", 0x10004) == 0
    # our own changes kept the cache in sync (checksum before = synced): no re-read
    gets = lock.credential_gets
    slots = await codes.read_all()
    assert lock.credential_gets == gets and not any(s.in_use for s in slots)
    # a change at the keypad, then one from the hub: the next read still re-reads (and sees both)
    lock.add_pin(15, "1515")
    await codes.set_code(6, "6666")
    slots = await codes.read_all()
    assert lock.credential_gets > gets and slots[14].code == "1515" and slots[5].code == "6666"


async def test_duplicate_refused_before_sending(cred_driver: Driver, cred_demo: DemoStick) -> None:
    lock = _lock(cred_demo)
    lock.add_pin(1, "1234")
    codes = LockCodes(cred_driver, LOCK)
    await codes.read_all()
    sent = len(lock.sent)
    with pytest.raises(DuplicateUserCode) as err:
        await codes.set_code(2, "1234")
    assert err.value.other_slot == 1 and "1234" not in str(err.value)
    assert len(lock.sent) == sent and 2 not in lock.users  # nothing went to the lock


async def test_duplicate_reported_by_the_lock(cred_driver: Driver, cred_demo: DemoStick) -> None:
    """The hub does not know the code yet: the lock's Credential Report "duplicate" names the
    slot holding it, the set fails, and the user created for the slot is removed again."""
    lock = _lock(cred_demo)
    codes = LockCodes(cred_driver, LOCK)
    await codes.read_all()
    lock.add_pin(9, "7777")  # set at the keypad, unknown to the hub
    with pytest.raises(DuplicateUserCode) as err:
        await codes.set_code(6, "7777")
    assert err.value.other_slot == 9 and "7777" not in repr(err.value)
    assert lock.pin(6) is None and 6 not in lock.users
    assert _frames(lock, 0x0C) >= 1


async def test_without_supervision_the_credential_report_decides(
    cred_driver: Driver, cred_demo: DemoStick
) -> None:
    """A lock without Supervision: the Credential / User Reports alone tell the outcome."""
    node = cred_driver.nodes[LOCK]
    ccs = dict(node.command_classes(0))
    ccs.pop(CC.SUPERVISION)
    node.set_command_classes(0, ccs)
    lock = _lock(cred_demo)
    lock.add_pin(1, "1234")
    codes = LockCodes(cred_driver, LOCK)
    await codes.set_code(3, "4321")
    assert lock.pin(3) == "4321"
    with pytest.raises(DuplicateUserCode) as err:
        await codes.set_code(5, "1234")  # the cache never read slot 1: the lock refuses
    assert err.value.other_slot == 1 and 5 not in lock.users


async def test_other_credentials_keep_their_user(cred_driver: Driver, cred_demo: DemoStick) -> None:
    """A user with a PIN and a card: the read stops at the card, clearing the PIN keeps the user."""
    lock = _lock(cred_demo)
    lock.add_pin(2, "2580", user_id=7, name="Ann")
    lock.credentials[(0x03, 1)] = SimCredential(7, bytes.fromhex("deadbeef"))
    codes = LockCodes(cred_driver, LOCK)
    slots = await codes.read_all()
    assert [s.slot for s in slots if s.in_use] == [2] and slots[1].name == "Ann" and lock.credential_gets == 1
    await codes.clear_code(2)
    assert lock.pin(2) is None and 7 in lock.users and (0x03, 1) in lock.credentials


async def test_more_slots_than_users() -> None:
    """PIN slot 4 on a lock with 2 users: the lowest free user gets it."""
    demo = await start_credential_demo(bolt_time=0.1, users=2, pin_slots=6)
    drv = await _driver(demo, MemoryCache())
    try:
        lock = _lock(demo)
        lock.add_pin(1, "1111")
        codes = LockCodes(drv, LOCK)
        await codes.read_all()
        await codes.set_code(4, "4444")
        assert lock.credentials[(1, 4)].user_id == 2
        with pytest.raises(NodeError, match="no free user") as err:
            await codes.set_code(5, "5555")  # no free user left
        assert "5555" not in str(err.value) and lock.pin(5) is None and set(lock.users) == {1, 2}
    finally:
        await drv.stop()
        await demo.stop()
    assert demo.stick.overlap_refusals == 0


async def test_the_lock_refuses_a_weak_code() -> None:
    """A lock's own rules (Credential Report "manufacturer security rules"): a typed encode error,
    and the user created for the slot is removed again."""
    demo = await start_credential_demo(bolt_time=0.1, refuse_weak_codes=True)
    drv = await _driver(demo, MemoryCache())
    try:
        codes = LockCodes(drv, LOCK)
        with pytest.raises(CCEncodeError, match="security rules") as err:
            await codes.set_code(2, "1234")
        assert "1234" not in str(err.value) and not _lock(demo).users
        await codes.set_code(2, "1379")
        assert _lock(demo).pin(2) == "1379"
    finally:
        await drv.stop()
        await demo.stop()
    assert demo.stick.overlap_refusals == 0


async def test_invalid_codes_slots_and_statuses(cred_driver: Driver, cred_demo: DemoStick) -> None:
    codes = LockCodes(cred_driver, LOCK)
    for bad in ("12", "12345678901", "12a4", "\uff11\uff12\uff13\uff14"):
        with pytest.raises(CCEncodeError) as err:
            await codes.set_code(3, bad)
        assert bad not in str(err.value)
    with pytest.raises(CCEncodeError):
        await codes.set_code(21, "1234")
    for status in (UserIdStatus.AVAILABLE, UserIdStatus.MESSAGING, UserIdStatus.PASSAGE_MODE):
        with pytest.raises(CCEncodeError):
            await codes.set_code(3, "1234", status=status)
    with pytest.raises(CCEncodeError):
        await codes.set_status(3, UserIdStatus.DISABLED)  # nothing in slot 3
    assert not _lock(cred_demo).users


async def test_codes_never_logged(
    cred_driver: Driver, cred_demo: DemoStick, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    lock = _lock(cred_demo)
    lock.add_pin(1, "9731")
    codes = LockCodes(cred_driver, LOCK)
    await codes.read_all()
    await codes.set_code(2, "8642", name="Guest")
    with pytest.raises(DuplicateUserCode):
        await codes.set_code(3, "8642")
    await codes.clear_code(2)
    text = caplog.text
    assert "redacted" in text  # the frames were logged...
    for code in ("9731", "8642"):
        assert code not in text and code.encode().hex(" ") not in text  # ...without the codes
