"""The lock blueprints (blueprints/automation/zwave_serial/): each loads through Home Assistant's
blueprint integration and runs as an automation against the virtual stick's lock (node 7).
Calendar and auto-lock (time driven): test_blueprints_timed.py."""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote

from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.zwave_serial.const import DOMAIN

from .blueprint_support import (
    BATTERY,
    BATTERY_LOW,
    BLUEPRINTS,
    DONE,
    LOCK,
    LOCK_NODE,
    REPO,
    REPO_URL,
    SOURCE,
    automation,
    blueprint_folder,  # noqa: F401 (autouse fixture)
    done_action,
    next_event,
)
from .conftest import entity_id_of, node_device, wait_for_state

# ----------------------------------------------------------------------------- loading


def test_five_blueprints_with_their_import_urls() -> None:
    """Each file is a blueprint whose source URL is its own place in the repository, and the
    README links each through my.home-assistant.io."""
    assert BLUEPRINTS == [
        "auto_lock_when_closed.yaml",
        "disable_codes_when_armed_away.yaml",
        "guest_code_from_calendar.yaml",
        "lock_low_battery.yaml",
        "notify_user_unlocked.yaml",
    ]
    readme = (REPO / "README.md").read_text()
    for name in BLUEPRINTS:
        text = (SOURCE / name).read_text()
        url = f"{REPO_URL}/blob/main/blueprints/automation/zwave_serial/{name}"
        assert re.search(rf"^  source_url: {re.escape(url)}$", text, re.MULTILINE), name
        raw = f"https://raw.githubusercontent.com/zwave-serial/zwave_serial/main/blueprints/automation/zwave_serial/{name}"
        import_url = (
            f"https://my.home-assistant.io/redirect/blueprint_import/?blueprint_url={quote(raw, safe='')}"
        )
        assert import_url in readme, name


async def test_blueprints_validate(hass: HomeAssistant) -> None:
    """Home Assistant's blueprint schema accepts every file; lock inputs only offer this
    integration's locks."""
    assert await async_setup_component(hass, "automation", {})
    blueprints = async_get_blueprints(hass)
    for name in BLUEPRINTS:
        blueprint = await blueprints.async_get_blueprint(f"zwave_serial/{name}")
        assert blueprint.domain == "automation"
        assert blueprint.metadata["source_url"].endswith(f"/{name}")
        if name == "lock_low_battery.yaml":
            continue  # battery entities, filtered on the integration too
        (lock_filter,) = blueprint.inputs["lock"]["selector"]["entity"]["filter"]
        assert lock_filter["integration"] == DOMAIN and lock_filter["domain"] in ("lock", ["lock"])


async def test_optional_inputs_left_out(hass: HomeAssistant) -> None:
    """Only the required inputs given (no door sensor, no battery-low sensors, no slot lists):
    every automation is valid and on (the calendar one needs a calendar entity: timed tests)."""
    notify = [{"event": "x"}]
    required = {
        "notify_user_unlocked.yaml": {"lock": "lock.front_door", "notify_action": notify},
        "auto_lock_when_closed.yaml": {"lock": "lock.front_door"},
        "lock_low_battery.yaml": {"battery_sensors": ["sensor.front_door_battery"], "notify_action": notify},
        "disable_codes_when_armed_away.yaml": {
            "alarm_panel": "alarm_control_panel.house",
            "lock": "lock.front_door",
        },
    }
    configs = [
        {
            "alias": name.removesuffix(".yaml"),
            "use_blueprint": {"path": f"zwave_serial/{name}", "input": inputs},
        }
        for name, inputs in required.items()
    ]
    assert await async_setup_component(hass, "automation", {"automation": configs})
    await hass.async_block_till_done()
    for name in required:
        state = hass.states.get(f"automation.{name.removesuffix('.yaml')}")
        assert state is not None and state.state == "on", (name, state)


# ----------------------------------------------------------------------------- running


async def test_notify_user_unlocked(hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry) -> None:
    """The action runs for the chosen user's keypad unlock on the chosen lock, with the user's
    name; other users, other events and other locks are ignored."""
    lock_entity = entity_id_of(hass, "lock", LOCK)
    await automation(
        hass,
        "notify_user_unlocked.yaml",
        lock=lock_entity,
        user_slot=3,
        notify_action=done_action(who="{{ user_name }}", slot="{{ user_slot }}", lock="{{ lock_name }}"),
    )
    done = async_capture_events(hass, DONE)
    base = {"home_id": "c0ffee01", "device_id": "d", "entity_id": lock_entity, "node_id": LOCK_NODE}
    for event, slot, name in [
        ("keypad_unlock", 4, "Bob"),  # another user
        ("keypad_lock", 3, "Alice"),  # locking (not asked for)
        ("rf_unlock", None, None),
        ("keypad_unlock", 3, "Alice"),
        ("keypad_unlock", 3, None),  # a slot without a name
    ]:
        hass.bus.async_fire(
            "zwave_serial_lock_event", {**base, "event": event, "user_slot": slot, "user_name": name}
        )
    hass.bus.async_fire(
        "zwave_serial_lock_event",
        {**base, "entity_id": "lock.other", "event": "keypad_unlock", "user_slot": 3, "user_name": "Alice"},
    )
    await hass.async_block_till_done()
    friendly = hass.states.get(lock_entity).name
    assert [e.data for e in done] == [
        {"who": "Alice", "slot": 3, "lock": friendly},
        {"who": "User 3", "slot": 3, "lock": friendly},
    ]


async def test_notify_user_unlocked_at_the_keypad(
    hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry
) -> None:
    """End to end: a code typed on the virtual lock's keypad reaches the blueprint through the
    integration's own ``zwave_serial_lock_event``."""
    lock = demo_stick.stick.node(LOCK_NODE)
    lock_entity = entity_id_of(hass, "lock", LOCK)
    await hass.services.async_call(
        DOMAIN,
        "set_lock_usercode",
        {ATTR_ENTITY_ID: lock_entity, "code_slot": 3, "usercode": "7391", "name": "Alice"},
        blocking=True,
    )
    await automation(
        hass,
        "notify_user_unlocked.yaml",
        lock=lock_entity,
        user_slot=3,
        notify_action=done_action(who="{{ user_name }}", slot="{{ user_slot }}"),
    )
    done = async_capture_events(hass, DONE)
    run = next_event(hass, DONE)
    assert lock.keypad_enter("7391")
    async with asyncio.timeout(60):  # a safety net: the event comes when the lock's report is in
        await run
    await hass.async_block_till_done()
    assert [e.data for e in done] == [{"who": "Alice", "slot": 3}]


async def test_lock_low_battery(hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry) -> None:
    """The level dropping below the threshold runs the action once; the lock's own low-battery
    warning runs it again (with ``low``)."""
    lock = demo_stick.stick.node(LOCK_NODE)
    battery = entity_id_of(hass, "sensor", BATTERY)
    low = entity_id_of(hass, "binary_sensor", BATTERY_LOW)
    await automation(
        hass,
        "lock_low_battery.yaml",
        battery_sensors=[battery],
        battery_low_sensors=[low],
        threshold=20,
        notify_action=done_action(
            device="{{ device_name }}", level="{{ battery_level }}", entity="{{ battery_entity }}"
        ),
    )
    done = async_capture_events(hass, DONE)
    lock.set_battery(50)
    await wait_for_state(hass, battery, lambda s: s.state == "50")
    lock.set_battery(15)
    await wait_for_state(hass, battery, lambda s: s.state == "15")
    lock.set_battery(5)  # at the lock's critical level: its 0xFF warning
    await wait_for_state(hass, low, lambda s: s.state == "on")
    await hass.async_block_till_done()
    device = node_device(hass, stick_entry, LOCK_NODE)
    assert device is not None
    assert [e.data for e in done] == [
        {"device": device.name, "level": 15, "entity": battery},
        {"device": device.name, "level": "low", "entity": low},
    ]


async def test_disable_codes_when_armed_away(
    hass: HomeAssistant, demo_stick: Any, stick_entry: ConfigEntry
) -> None:
    """Armed away: every enabled code but the kept one is disabled (the keypad no longer opens
    the door); disarmed: they are enabled again."""
    lock = demo_stick.stick.node(LOCK_NODE)
    lock_entity = entity_id_of(hass, "lock", LOCK)
    for slot, code in {1: "1111", 2: "2222", 5: "5555"}.items():
        lock.user_codes[slot], lock.user_status[slot] = code, 1
    assert await async_setup_component(
        hass,
        "alarm_control_panel",
        {
            "alarm_control_panel": [
                {
                    "platform": "manual",
                    "name": "House",
                    "code_arm_required": False,
                    "arming_time": 0,
                    "delay_time": 0,
                    "trigger_time": 0,
                }
            ]
        },
    )
    await hass.async_block_till_done()
    await automation(
        hass,
        "disable_codes_when_armed_away.yaml",
        alarm_panel="alarm_control_panel.house",
        lock=lock_entity,
        keep_slots=["1"],
    )
    await hass.services.async_call(
        "alarm_control_panel", "alarm_arm_away", {ATTR_ENTITY_ID: "alarm_control_panel.house"}, blocking=True
    )
    await hass.async_block_till_done()
    assert lock.user_status == {1: 1, 2: 2, 5: 2}
    assert not lock.keypad_enter("2222") and lock.keypad_enter("1111")
    # Disarm at once: the automation's reads cross the lock's supervised keypad reports on the
    # air (S2 SOS); the frame the lock could not decrypt is sent again inside its exchange.
    await hass.services.async_call(
        "alarm_control_panel", "alarm_disarm", {ATTR_ENTITY_ID: "alarm_control_panel.house"}, blocking=True
    )
    await hass.async_block_till_done()
    assert lock.user_status == {1: 1, 2: 1, 5: 1}
