"""Entities of each platform on the demo network: classes, units, state, actions, reports."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.light import ATTR_BRIGHTNESS, ATTR_BRIGHTNESS_PCT, ATTR_TRANSITION
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event

from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.light import brightness_to_level, level_to_brightness

from .conftest import entities_with, entity_id_of, wait_for_state

SWITCH_NODE, DIMMER_NODE, MOTION_NODE, LOCK_NODE = 2, 3, 5, 7
SWITCH_UID = f"c0ffee01.{SWITCH_NODE}.0.37.current_value"
LIGHT_UID = f"c0ffee01.{DIMMER_NODE}.0.38.current_value"
LOCK_UID = f"c0ffee01.{LOCK_NODE}.0.98.current_mode"


def _demo(entry: ConfigEntry) -> Any:
    return entry.runtime_data.demo


async def test_switch(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Binary Switch -> switch; on/off reach the device; local presses come back."""
    entity_id = entity_id_of(hass, "switch", SWITCH_UID)
    device = _demo(demo_entry).stick.node(SWITCH_NODE)
    assert hass.states.get(entity_id).state == (STATE_ON if device.on else STATE_OFF)

    await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    assert device.on is True
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)

    await hass.services.async_call("switch", "turn_off", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    assert device.on is False
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_OFF)

    device.press()  # local button: the device reports to the lifeline
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)


async def test_light(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Multilevel Switch -> light; dim to 40 % reaches the device as level 40."""
    entity_id = entity_id_of(hass, "light", LIGHT_UID)
    device = _demo(demo_entry).stick.node(DIMMER_NODE)
    state = hass.states.get(entity_id)
    assert state.attributes["supported_color_modes"] == ["brightness"]

    await hass.services.async_call(
        "light", "turn_on", {ATTR_ENTITY_ID: entity_id, ATTR_BRIGHTNESS_PCT: 40}, blocking=True
    )
    await wait_for_state(
        hass,
        entity_id,
        lambda s: s.state == STATE_ON and s.attributes.get(ATTR_BRIGHTNESS) == level_to_brightness(40),
    )
    assert device.level == 40

    await hass.services.async_call(
        "light", "turn_off", {ATTR_ENTITY_ID: entity_id, ATTR_TRANSITION: 0}, blocking=True
    )
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_OFF)
    assert device.level == 0

    await hass.services.async_call("light", "turn_on", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)
    assert device.level > 0


@pytest.mark.parametrize(("brightness", "level"), [(0, 0), (1, 1), (102, 40), (128, 50), (255, 99)])
def test_brightness_conversion(brightness: int, level: int) -> None:
    """HA brightness 0..255 <-> Z-Wave 0..99."""
    assert brightness_to_level(brightness) == level
    assert level_to_brightness(99) == 255
    assert level_to_brightness(0) == 0


async def test_lock(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Door Lock -> lock; lock/unlock reach the device."""
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    device = _demo(demo_entry).stick.node(LOCK_NODE)

    seen: list[str] = []
    unsub = async_track_state_change_event(
        hass, [entity_id], callback(lambda event: seen.append(event.data["new_state"].state))
    )
    await hass.services.async_call("lock", "unlock", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == "unlocked")
    unsub()
    assert device.locked is False
    # supervision WORKING while the bolt moves: "unlocking" until the lock reports
    assert seen == ["unlocking", "unlocked"]

    await hass.services.async_call("lock", "lock", {ATTR_ENTITY_ID: entity_id}, blocking=True)
    await wait_for_state(hass, entity_id, lambda s: s.state == "locked")
    assert device.locked is True

    device.jam()
    await wait_for_state(hass, entity_id, lambda s: s.state == "jammed")


async def test_lock_usercode_services(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """set/clear_lock_usercode reach the lock; bad codes are rejected before sending."""
    entity_id = entity_id_of(hass, "lock", LOCK_UID)
    device = _demo(demo_entry).stick.node(LOCK_NODE)
    await hass.services.async_call(
        DOMAIN,
        "set_lock_usercode",
        {ATTR_ENTITY_ID: entity_id, "code_slot": 3, "usercode": "4321"},
        blocking=True,
    )
    assert device.user_codes[3] == "4321"
    await hass.services.async_call(
        DOMAIN, "clear_lock_usercode", {ATTR_ENTITY_ID: entity_id, "code_slot": 3}, blocking=True
    )
    assert not device.user_codes.get(3)
    import voluptuous as vol

    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            "set_lock_usercode",
            {ATTR_ENTITY_ID: entity_id, "code_slot": 3, "usercode": "12"},
            blocking=True,
        )


async def test_sensors(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Multilevel sensors, meters and battery with device class, unit and state class."""
    expected = {
        "temperature": ("°C", "measurement"),
        "humidity": ("%", "measurement"),
        "power": ("W", "measurement"),
        "energy": ("kWh", "total_increasing"),
        "voltage": ("V", "measurement"),
        "battery": ("%", "measurement"),
    }
    for device_class, (unit, state_class) in expected.items():
        entries = entities_with(hass, "sensor", device_class)
        assert entries, device_class
        state = hass.states.get(entries[0].entity_id)
        assert state is not None, device_class
        assert state.attributes["unit_of_measurement"] == unit
        assert state.attributes["state_class"] == state_class
        assert state.state not in ("unknown", "unavailable"), device_class
    battery = entities_with(hass, "sensor", "battery")[0]
    assert battery.entity_category is er.EntityCategory.DIAGNOSTIC


async def test_sensor_reports(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A device report changes the sensor state (push)."""
    temp = entities_with(hass, "sensor", "temperature")[0]
    node_id = int(temp.unique_id.split(".")[1])
    device = _demo(demo_entry).stick.node(node_id)
    device.set_temperature(25.5)
    await wait_for_state(hass, temp.entity_id, lambda s: float(s.state) == 25.5)


async def _wake_motion_sensor(hass: HomeAssistant, entry: ConfigEntry) -> Any:
    """The sleeping PIR sensor wakes up: its interview finishes and its entities appear."""
    device = _demo(entry).stick.node(MOTION_NODE)
    assert not entities_with(hass, "binary_sensor", "motion")  # setup did not wait for it
    device.wake_up()
    await entry.runtime_data.coordinator.driver.wait_for_nodes_ready(timeout=60, include_sleeping=True)
    await hass.async_block_till_done()
    return device


async def test_binary_sensors(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Notification/Sensor Binary states, the lock's door sensor and battery low."""
    door = entities_with(hass, "binary_sensor", "door")
    assert door
    assert hass.states.get(door[0].entity_id).state == STATE_OFF  # closed
    low = entities_with(hass, "binary_sensor", "battery")
    assert low
    assert low[0].entity_category is er.EntityCategory.DIAGNOSTIC
    await _wake_motion_sensor(hass, demo_entry)
    motion = entities_with(hass, "binary_sensor", "motion")
    assert motion
    assert all(hass.states.get(e.entity_id).state == STATE_OFF for e in motion)
    tamper = entities_with(hass, "binary_sensor", "tamper")
    for entry in tamper:
        assert entry.entity_category is er.EntityCategory.DIAGNOSTIC


async def test_motion_reports(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """The sensor's motion report turns the binary sensors on and off (push)."""
    device = await _wake_motion_sensor(hass, demo_entry)
    motion = entities_with(hass, "binary_sensor", "motion")
    device.trigger()
    for entry in motion:
        await wait_for_state(hass, entry.entity_id, lambda s: s.state == STATE_ON)
    device.clear()
    for entry in motion:
        await wait_for_state(hass, entry.entity_id, lambda s: s.state == STATE_OFF)
