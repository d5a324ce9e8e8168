"""Lock schedules (zwave/lock_schedules.py) against the virtual schedule locks over a real pty:
Generic Schedule + Authentication in the lock, Schedule Entry Lock, hub-managed (status and
set/clear), the model, and a restart with a missed boundary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, MemoryCache
from custom_components.zwave_serial.zwave.lock_schedule_model import (
    InvalidLockSchedule,
    LockSchedule,
    LockScheduleFull,
    LockScheduleUnsupported,
)
from custom_components.zwave_serial.zwave.lock_schedules import ScheduleSlotEmpty
from custom_components.zwave_serial.zwave.locks import LockCodes
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick
from custom_components.zwave_serial.zwave.sim.schedule_locks import start_schedule_lock_stick

from .conftest import fast_options, wait_for

GENERIC, SEL, PLAIN = 2, 3, 4
# Monday 2 March 2026
MON_0900, MON_1200, MON_1800 = (
    datetime(2026, 3, 2, 9, 0),
    datetime(2026, 3, 2, 12, 0),
    datetime(2026, 3, 2, 18, 0),
)
WORKDAYS = LockSchedule.weekly((["mon", "tue", "wed", "thu", "fri"], "08:00", "17:00"))


@pytest.fixture
async def locks() -> AsyncIterator[DemoStick]:
    demo = await start_schedule_lock_stick(bolt_time=0.05, supervision_timeout=0.5)
    try:
        yield demo
    finally:
        await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs


async def _driver(demo: DemoStick, cache: MemoryCache, clock: list[datetime]) -> Driver:
    drv = Driver(demo.port, cache=cache, options=fast_options(), keys=DEMO_NETWORK_KEYS)
    drv.lock_schedules.clock = lambda: clock[0]
    drv.options.time_zone = "Europe/Berlin"
    await drv.start()
    await drv.wait_for_nodes_ready(timeout=60, include_sleeping=True)
    return drv


@pytest.fixture
def clock() -> list[datetime]:
    return [MON_1200]


@pytest.fixture
async def driver(locks: DemoStick, clock: list[datetime]) -> AsyncIterator[Driver]:
    drv = await _driver(locks, MemoryCache(), clock)
    try:
        yield drv
    finally:
        await drv.stop()


async def keypad(lock: Any, code: str) -> bool:
    """Type ``code`` on the lock's keypad and wait until the hub confirmed the lock's supervised
    reports (a frame of the hub crossing them would leave the S2 exchange out of step)."""
    result = lock.keypad_enter(code)
    await wait_for(
        lambda: lock._session == 0 or lock._session in lock.supervision_results, what="reports confirmed"
    )
    return bool(result)


async def _code(driver: Driver, node_id: int, slot: int, code: str) -> None:
    await LockCodes(driver, node_id).set_code(slot, code)


def test_model_active_and_boundaries() -> None:
    assert WORKDAYS.active(MON_1200) and not WORKDAYS.active(MON_1800)
    assert not WORKDAYS.active(datetime(2026, 3, 1, 12, 0))  # Sunday
    assert WORKDAYS.next_boundary(MON_1200) == datetime(2026, 3, 2, 17, 0)
    assert WORKDAYS.next_boundary(MON_1800) == datetime(2026, 3, 3, 8, 0)
    stay = LockSchedule.date_range("2026-03-02T15:00", "2026-03-05T11:00")
    assert (
        stay.next_boundary(MON_1200) == datetime(2026, 3, 2, 15, 0)
        and stay.next_boundary(datetime(2026, 4, 1)) is None
    )
    assert LockSchedule.from_dict(WORKDAYS.as_dict()) == WORKDAYS
    assert WORKDAYS.as_dict() == {
        "kind": "weekly",
        "windows": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "start_time": "08:00", "end_time": "17:00"}
        ],
    }
    night = LockSchedule.weekly((["fri"], "22:00", "06:00"))  # Friday night into Saturday
    assert night.active(datetime(2026, 3, 6, 23, 0)) and night.active(datetime(2026, 3, 7, 5, 59))
    assert not night.active(datetime(2026, 3, 7, 6, 0)) and not night.active(datetime(2026, 3, 6, 5, 0))
    assert night.next_boundary(datetime(2026, 3, 6, 23, 0)) == datetime(2026, 3, 7, 6, 0)
    assert [(w.days, w.start, w.end) for w in night.windows[0].split()] == [
        ((5,), 1320, 1439),
        ((6,), 0, 360),
    ]
    for bad in (
        {"kind": "daily", "start_time": "17:00", "end_time": "17:00"},
        {"kind": "yearly"},
        {"kind": "weekly", "windows": [{"days": ["funday"], "start_time": "08:00", "end_time": "09:00"}]},
        {"kind": "date_range", "start": "2026-03-05T00:00", "end": "2026-03-01T00:00"},
    ):
        with pytest.raises(InvalidLockSchedule):
            LockSchedule.from_dict(bad)


def test_now_is_local_wall_time() -> None:
    """An aware clock is shown in the hub's zone (the driver option ``time_zone``), naive."""
    from datetime import UTC
    from types import SimpleNamespace

    from custom_components.zwave_serial.zwave.lock_schedules import LockSchedules

    schedules = LockSchedules(SimpleNamespace(options=SimpleNamespace(time_zone="Europe/Berlin")))  # type: ignore[arg-type]
    schedules.clock = lambda: datetime(2026, 7, 1, 6, 30, 15, tzinfo=UTC)
    assert schedules.now() == datetime(2026, 7, 1, 8, 30)
    schedules.clock = lambda: datetime(2026, 1, 1, 6, 30, tzinfo=UTC)
    assert schedules.now() == datetime(2026, 1, 1, 7, 30)


async def test_generic_schedule_in_lock(driver: Driver, locks: DemoStick) -> None:
    """Time ranges, schedule and combination written in that order; the lock enforces them with
    its own clock; clearing unlinks everything."""
    lock = locks.stick.node(GENERIC)
    await _code(driver, GENERIC, 5, "2468")
    assert driver.lock_schedules.method_for(driver.nodes[GENERIC]) == "generic_schedule"
    assert await driver.lock_schedules.set_schedule(GENERIC, 5, WORKDAYS) == "generic_schedule"
    # seed 002's order: time range, schedule, then the combination linking the code
    assert lock.schedule_writes == [(0xA3, 0x03), (0xA3, 0x06), (0xA1, 0x06)]
    assert lock.combinations == {5: (1, 5, 1)} and lock.schedules == {1: [(1, True)]}
    lock.clock = MON_0900
    assert await keypad(lock, "2468")
    lock.clock = MON_1800
    assert not await keypad(lock, "2468") and lock.keypad_results[-1] == ("schedule", 5)
    assert driver.lock_schedules.get_schedules(GENERIC)[5]["method"] == "generic_schedule"

    # another slot gets other ids; a daily window and a date range too
    await _code(driver, GENERIC, 6, "1357")
    await driver.lock_schedules.set_schedule(GENERIC, 6, LockSchedule.daily("18:00", "20:00"))
    assert lock.combinations[6] == (1, 6, 2) and set(lock.time_ranges) == {1, 2}
    assert await keypad(lock, "1357")  # 18:00 Monday
    await driver.lock_schedules.set_schedule(
        GENERIC, 6, LockSchedule.date_range("2026-03-10T00:00", "2026-03-11T00:00")
    )
    assert not await keypad(lock, "1357")
    lock.clock = datetime(2026, 3, 10, 23, 59)
    assert await keypad(lock, "1357")
    # overnight, Friday 22:00 to Saturday 06:00: two time ranges in the lock
    await driver.lock_schedules.set_schedule(GENERIC, 6, LockSchedule.weekly((["fri"], "22:00", "06:00")))
    assert len(lock.schedules[lock.combinations[6][2]]) == 2
    lock.clock = datetime(2026, 3, 7, 5, 30)
    assert await keypad(lock, "1357")
    lock.clock = datetime(2026, 3, 7, 22, 30)
    assert not await keypad(lock, "1357")

    assert await driver.lock_schedules.clear_schedule(GENERIC, 5)
    assert 5 not in lock.combinations and 1 not in lock.schedules and 1 not in lock.time_ranges
    assert await keypad(lock, "2468")  # no schedule: any time
    assert not await driver.lock_schedules.clear_schedule(GENERIC, 5)


async def test_generic_schedule_full_and_errors(driver: Driver, locks: DemoStick) -> None:
    lock = locks.stick.node(GENERIC)
    lock.gs_ranges_per_schedule = 2
    await _code(driver, GENERIC, 1, "1111")
    many = LockSchedule.weekly(*((["mon"], f"{h:02d}:00", f"{h:02d}:30") for h in range(8, 11)))
    with pytest.raises(LockScheduleFull) as err:
        await driver.lock_schedules.set_schedule(GENERIC, 1, many)
    assert err.value.what == "time ranges per schedule" and not lock.time_ranges
    lock.gs_schedules = 1
    await driver.lock_schedules.set_schedule(GENERIC, 1, WORKDAYS)
    await _code(driver, GENERIC, 2, "2222")
    with pytest.raises(LockScheduleFull) as err:
        await driver.lock_schedules.set_schedule(GENERIC, 2, WORKDAYS)
    assert err.value.what == "schedules"
    with pytest.raises(ScheduleSlotEmpty):
        await driver.lock_schedules.set_schedule(GENERIC, 9, WORKDAYS)
    with pytest.raises(LockScheduleUnsupported):
        await driver.lock_schedules.set_schedule(GENERIC, 1, WORKDAYS, method="schedule_entry_lock")


async def test_schedule_entry_lock(driver: Driver, locks: DemoStick) -> None:
    lock = locks.stick.node(SEL)
    await _code(driver, SEL, 3, "9753")
    assert await driver.lock_schedules.set_schedule(SEL, 3, WORKDAYS) == "schedule_entry_lock"
    assert sorted(lock.week_day) == [(3, n) for n in range(1, 6)] and lock.schedule_enabled[3]
    assert lock.sel_time_offset == bytes((0x01, 0x00, 0x3C))  # Europe/Berlin: UTC+1, DST +60 min
    lock.clock = MON_0900
    assert await keypad(lock, "9753")
    lock.clock = MON_1800
    assert not await keypad(lock, "9753")
    # a daily window: one daily repeating slot (v3); the week day slots are erased
    await driver.lock_schedules.set_schedule(SEL, 3, LockSchedule.daily("17:30", "19:00"))
    assert not lock.week_day and list(lock.daily_repeating) == [(3, 1)] and await keypad(lock, "9753")
    await driver.lock_schedules.set_schedule(
        SEL, 3, LockSchedule.date_range("2026-03-02T17:00", "2026-03-02T18:30")
    )
    assert not lock.daily_repeating and list(lock.year_day) == [(3, 1)] and await keypad(lock, "9753")
    with pytest.raises(LockScheduleUnsupported):
        await driver.lock_schedules.set_schedule(
            SEL, 3, LockSchedule.date_range("1999-01-01T00:00", "2000-01-01T00:00")
        )
    await driver.lock_schedules.set_schedule(SEL, 3, LockSchedule.daily("17:30", "01:00"))  # overnight
    assert lock.daily_repeating == {(3, 1): bytes((0x7F, 17, 30, 7, 30))}
    lock.clock = datetime(2026, 3, 3, 0, 30)
    assert await keypad(lock, "9753")
    eight = LockSchedule.weekly(
        (["sun", "mon", "tue", "wed", "thu", "fri", "sat"], "08:00", "09:00"), (["mon"], "10:00", "11:00")
    )
    await driver.lock_schedules.set_schedule(SEL, 3, eight)  # 8 week days > 7 slots: daily repeating
    assert len(lock.daily_repeating) == 2 and not lock.year_day
    await driver.lock_schedules.clear_schedule(SEL, 3)
    assert not lock.daily_repeating and not lock.schedule_enabled[3] and await keypad(lock, "9753")


async def test_hub_managed_status_and_restart(locks: DemoStick, clock: list[datetime]) -> None:
    """The plain lock has no disabled status: the code is cleared at the end of the window and
    set again at its start; the state survives a restart and a missed boundary is applied."""
    lock = locks.stick.node(PLAIN)
    cache = MemoryCache()
    driver = await _driver(locks, cache, clock)
    try:
        await _code(driver, PLAIN, 2, "8642")
        assert await driver.lock_schedules.set_schedule(PLAIN, 2, WORKDAYS) == "hub"
        assert lock.user_codes[2] == "8642" and await keypad(lock, "8642")
        clock[0] = MON_1800
        assert await driver.lock_schedules.hub.evaluate() == datetime(2026, 3, 3, 8, 0)
        assert 2 not in lock.user_codes and not await keypad(lock, "8642")
        assert driver.lock_schedules.get_schedules(PLAIN)[2]["active"] is False
        clock[0] = datetime(2026, 3, 3, 8, 0)
        await driver.lock_schedules.hub.evaluate()
        assert lock.user_codes[2] == "8642"
    finally:
        await driver.stop()
    assert "8642" not in repr(driver.lock_schedules.get_schedules(PLAIN))

    clock[0] = datetime(2026, 3, 3, 17, 30)  # the 17:00 boundary passed while stopped
    driver = await _driver(locks, cache, clock)
    try:
        await driver.lock_schedules.hub.evaluate()
        assert 2 not in lock.user_codes
        assert driver.lock_schedules.get_schedules(PLAIN)[2]["schedule"] == WORKDAYS.as_dict()
        await driver.lock_schedules.clear_schedule(PLAIN, 2)  # valid at any time again
        assert lock.user_codes[2] == "8642" and lock.user_status[2] == 1
    finally:
        await driver.stop()


async def test_hub_managed_with_disabled_status(
    driver: Driver, locks: DemoStick, clock: list[datetime]
) -> None:
    """Forced hub method on a lock with the disabled status: enable/disable, code kept."""
    lock = locks.stick.node(GENERIC)
    await _code(driver, GENERIC, 7, "7531")
    clock[0] = MON_1800
    assert await driver.lock_schedules.set_schedule(GENERIC, 7, WORKDAYS, method="hub") == "hub"
    assert lock.user_status[7] == 2 and lock.user_codes[7] == "7531"
    assert not await keypad(lock, "7531") and lock.keypad_results[-1] == ("disabled", 7)
    clock[0] = datetime(2026, 3, 3, 8, 0)
    await driver.lock_schedules.hub.evaluate()
    assert lock.user_status[7] == 1
    # switching to the in-lock method leaves the code enabled and the lock in charge
    assert await driver.lock_schedules.set_schedule(GENERIC, 7, WORKDAYS) == "generic_schedule"
    assert lock.user_status[7] == 1 and 7 in {u for _f, u, _s in lock.combinations.values()}


def test_virtual_lock_enforces_seed_002_schedule() -> None:
    """Seed 002's example in the virtual lock: Monday-Friday 08:00-17:00 included, 5 June 2019
    14:23-18:45 excluded (the seed's bytes), linked to user 5."""
    from custom_components.zwave_serial.zwave.sim.schedule_locks import generic_schedule_lock

    lock = generic_schedule_lock(2)
    lock.time_ranges = {
        1: bytes.fromhex("BE 00 00 00 00 00 00 00 00 00 00 00 00 88 91 00 00"),
        2: bytes.fromhex("00 87 E3 87 E3 86 86 85 85 8E 92 97 AD 00 00 00 00"),
    }
    lock.schedules = {1: [(1, True), (2, False)]}
    lock.combinations = {5: (1, 5, 1)}
    assert lock.code_allowed(5, datetime(2019, 6, 5, 10, 0))
    assert not lock.code_allowed(5, datetime(2019, 6, 5, 14, 30))  # the excluded afternoon
    assert lock.code_allowed(5, datetime(2019, 6, 6, 14, 30))
    assert not lock.code_allowed(5, datetime(2019, 6, 8, 10, 0))  # Saturday
    assert not lock.code_allowed(5, datetime(2019, 6, 6, 17, 0))  # the end is not included
    assert lock.code_allowed(4, datetime(2019, 6, 8, 10, 0))  # no combination: any time


async def test_hub_managed_on_a_user_credential_lock(clock: list[datetime]) -> None:
    """A User Credential lock has no User Code slots to link in-lock schedules to: the hub
    switches the lock user's active state at the boundaries, and the PIN stays in the lock."""
    from custom_components.zwave_serial.zwave.sim.lock_credential import start_credential_demo

    demo = await start_credential_demo(bolt_time=0.05, users=10, pin_slots=10)
    try:
        driver = await _driver(demo, MemoryCache(), clock)
        try:
            lock = demo.stick.node(2)
            await _code(driver, 2, 3, "2468")
            assert driver.lock_schedules.methods(driver.nodes[2]) == ["hub"]
            assert await driver.lock_schedules.set_schedule(2, 3, WORKDAYS) == "hub"
            assert lock.users[3].active and lock.keypad_enter("2468")
            clock[0] = MON_1800
            await driver.lock_schedules.hub.evaluate()
            assert not lock.users[3].active and lock.pin(3) == "2468"
            assert not lock.keypad_enter("2468")
            clock[0] = datetime(2026, 3, 3, 8, 0)
            await driver.lock_schedules.hub.evaluate()
            assert lock.users[3].active
        finally:
            await driver.stop()
    finally:
        await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs
