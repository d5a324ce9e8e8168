"""The time-driven lock blueprints: guest codes from a calendar and auto-lock, against the
virtual stick's lock (node 7); time moves with :func:`blueprint_support.later`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockPlatform, async_capture_events, mock_platform

from .blueprint_support import (
    DONE,
    DOOR,
    LOCK,
    LOCK_NODE,
    automation,
    blueprint_folder,  # noqa: F401 (autouse fixture)
    codes,
    done_action,
    later,
)
from .conftest import entity_id_of, wait_for_state


class _Calendar(CalendarEntity):
    """A calendar holding fixed events (the test's bookings)."""

    _attr_name = "Bookings"

    def __init__(self, events: list[CalendarEvent]) -> None:
        self.events = events

    @property
    def event(self) -> CalendarEvent | None:
        now = dt_util.now()
        return next((e for e in self.events if e.start_datetime_local <= now < e.end_datetime_local), None)

    async def async_get_events(
        self, hass: HomeAssistant, start: datetime, end: datetime
    ) -> list[CalendarEvent]:
        return [e for e in self.events if e.start_datetime_local < end and e.end_datetime_local > start]


async def _calendar(hass: HomeAssistant, events: list[CalendarEvent]) -> str:
    async def setup_platform(
        hass: HomeAssistant, config: Any, add: AddEntitiesCallback, info: Any = None
    ) -> None:
        add([_Calendar(events)])

    mock_platform(hass, "bookings.calendar", MockPlatform(async_setup_platform=setup_platform))
    assert await async_setup_component(hass, "calendar", {"calendar": [{"platform": "bookings"}]})
    await hass.async_block_till_done()
    return "calendar.bookings"


async def test_guest_code_from_calendar(
    hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry
) -> None:
    """Booking A (code in its description) sets slot 20 at its start; booking B, overlapping,
    takes the slot with the fixed code; A's end leaves B's code; B's end clears the slot."""
    lock = demo_stick.stick.node(LOCK_NODE)
    lock_entity = entity_id_of(hass, "lock", LOCK)
    now = dt_util.now().replace(microsecond=0)
    a_start, a_end, b_start, b_end = (now + timedelta(minutes=m) for m in (3, 8, 6, 11))
    calendar = await _calendar(
        hass,
        [
            CalendarEvent(
                a_start, a_end, "Smith family", description="Welcome!\nDoor code: 0471\nWifi: guest"
            ),
            CalendarEvent(b_start, b_end, "Jones", description="Phone +44 1234 567890"),
        ],
    )
    await automation(
        hass,
        "guest_code_from_calendar.yaml",
        calendar=calendar,
        lock=lock_entity,
        code_slot=20,
        guest_code="2580",
        start_offset={"minutes": -1},
        end_offset={"minutes": 1},
    )

    await later(hass, a_start - timedelta(minutes=1))
    assert lock.user_codes[20] == "0471" and lock.user_status[20] == 1
    slot = (await codes(hass, lock_entity))[19]
    assert slot == {
        "slot": 20,
        "status": "enabled",
        "in_use": True,
        "name": f"Smith family ({a_start.isoformat()[:16].replace('T', ' ')})",
    }

    await later(hass, b_start - timedelta(minutes=1))
    assert lock.user_codes[20] == "2580"
    await later(hass, a_end + timedelta(minutes=1))
    assert lock.user_codes.get(20) == "2580"  # A's end: the slot is B's now
    await later(hass, b_end + timedelta(minutes=1))
    assert 20 not in lock.user_codes
    assert not (await codes(hass, lock_entity))[19]["in_use"]


async def test_guest_code_title_filter_and_no_code(
    hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Events not matching the title filter are left alone; a matching event without a code
    (and no fixed code) sets nothing and stops with an error."""
    lock = demo_stick.stick.node(LOCK_NODE)
    now = dt_util.now().replace(microsecond=0)
    calendar = await _calendar(
        hass,
        [
            CalendarEvent(
                now + timedelta(minutes=2), now + timedelta(minutes=4), "Dentist", description="code 1111"
            ),
            CalendarEvent(
                now + timedelta(minutes=3), now + timedelta(minutes=5), "Airbnb: Lee", description="no code"
            ),
        ],
    )
    await automation(
        hass,
        "guest_code_from_calendar.yaml",
        calendar=calendar,
        lock=entity_id_of(hass, "lock", LOCK),
        code_slot=21,
        title_filter="airbnb",
    )
    runs = async_capture_events(hass, "automation_triggered")
    await later(hass, now + timedelta(minutes=3))
    assert 21 not in lock.user_codes and "1111" not in lock.user_codes.values()
    assert len(runs) == 1  # the dentist's event did not pass the condition
    assert "No guest code" in caplog.text


async def test_auto_lock_when_closed(hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry) -> None:
    """Unlocked with the lock's own door sensor closed: locked after the minutes have passed."""
    lock = demo_stick.stick.node(LOCK_NODE)
    lock_entity = entity_id_of(hass, "lock", LOCK)
    door = entity_id_of(hass, "binary_sensor", DOOR)
    assert hass.states.get(door).state == "off"
    await automation(
        hass,
        "auto_lock_when_closed.yaml",
        lock=lock_entity,
        door_sensor=door,
        minutes=5,
        after_lock_action=done_action(locked="{{ lock_entity }}"),
    )
    done = async_capture_events(hass, DONE)
    await hass.services.async_call("lock", "unlock", {ATTR_ENTITY_ID: lock_entity}, blocking=True)
    await wait_for_state(hass, lock_entity, lambda s: s.state == "unlocked")
    assert not lock.locked
    await later(hass, dt_util.utcnow() + timedelta(minutes=4))
    assert not lock.locked and not done
    await later(hass, dt_util.utcnow() + timedelta(minutes=6))
    await wait_for_state(hass, lock_entity, lambda s: s.state == "locked")
    assert lock.locked and [e.data for e in done] == [{"locked": lock_entity}]


async def test_auto_lock_waits_for_the_door(
    hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry
) -> None:
    """With another door contact: an open door keeps the lock unlocked; the minutes count from
    the door closing; without a door sensor only the lock's state counts."""
    lock = demo_stick.stick.node(LOCK_NODE)
    lock_entity = entity_id_of(hass, "lock", LOCK)
    contact = "binary_sensor.back_door"
    hass.states.async_set(contact, "on", {"device_class": "door"})
    await automation(hass, "auto_lock_when_closed.yaml", lock=lock_entity, door_sensor=contact, minutes=2)
    lock.manual_unlock()  # the thumb-turn
    await wait_for_state(hass, lock_entity, lambda s: s.state == "unlocked")
    await later(hass, dt_util.utcnow() + timedelta(minutes=10))
    assert not lock.locked  # the door is open
    hass.states.async_set(contact, "off", {"device_class": "door"})
    await later(hass, dt_util.utcnow() + timedelta(minutes=3))
    await wait_for_state(hass, lock_entity, lambda s: s.state == "locked")
    assert lock.locked


async def test_auto_lock_without_door_sensor(
    hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry
) -> None:
    lock = demo_stick.stick.node(LOCK_NODE)
    lock_entity = entity_id_of(hass, "lock", LOCK)
    await automation(hass, "auto_lock_when_closed.yaml", lock=lock_entity, minutes=1)
    lock.manual_unlock()
    await wait_for_state(hass, lock_entity, lambda s: s.state == "unlocked")
    await later(hass, dt_util.utcnow() + timedelta(minutes=2))
    await wait_for_state(hass, lock_entity, lambda s: s.state == "locked")
    assert lock.locked
