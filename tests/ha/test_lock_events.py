"""Lock events through the config flow on the demo network: the lock entity's attributes
(changed_by, last_event, user slot and name, jammed), ``zwave_serial_lock_event``, the lock event
entity, device triggers with a user slot filter, the logbook, and no code anywhere."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from homeassistant.components.device_automation import DeviceAutomationType, async_get_device_automations
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.zwave_serial import device_trigger, logbook
from custom_components.zwave_serial.const import DOMAIN, EVENT_LOCK
from custom_components.zwave_serial.diagnostics import (
    async_get_config_entry_diagnostics,
    async_get_device_diagnostics,
)
from custom_components.zwave_serial.zwave import LockCodes

from .conftest import entity_id_of, node_device, wait_for_state, wait_ready
from .test_events import BusEvents

LOCK_NODE = 7
LOCK_UID = f"c0ffee01.{LOCK_NODE}.0.98.current_mode"
EVENT_UID = f"{LOCK_UID}.lock_event"
CONTRACT_KEYS = {"home_id", "device_id", "entity_id", "node_id", "event", "user_slot", "user_name"}


def _lock(entry: ConfigEntry) -> Any:
    return entry.runtime_data.demo.stick.node(LOCK_NODE)


async def _named_code(entry: ConfigEntry, slot: int, code: str, name: str) -> None:
    codes = LockCodes(entry.runtime_data.coordinator.driver, LOCK_NODE)
    await codes.read_all()
    await codes.set_code(slot, code, name=name)


def _trigger(device_id: str, kind: str, ran: str, **extra: Any) -> dict[str, Any]:
    return {
        "triggers": [{"platform": "device", "domain": DOMAIN, "device_id": device_id, "type": kind, **extra}],
        "actions": [{"event": ran, "event_data": {"slot": "{{ trigger.event.data.user_slot }}"}}],
    }


async def test_keypad_unlock_by_user_3(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """User 3 (Alice) unlocks at the keypad: the lock says who, the bus event follows the
    contract, the event entity fires, and only the automation for slot 3 runs."""
    await _named_code(demo_entry, 3, "4711", "Alice")
    lock_id = entity_id_of(hass, "lock", LOCK_UID)
    event_id = entity_id_of(hass, "event", EVENT_UID)
    assert event_id.endswith("_lock_event")
    assert hass.states.get(event_id).attributes["event_types"] == [
        "keypad_unlock",
        "keypad_lock",
        "manual_unlock",
        "manual_lock",
        "rf_unlock",
        "rf_lock",
        "auto_lock",
        "wrong_code",
        "duplicate_code",
        "jammed",
        "tamper",
        "code_added",
        "code_deleted",
        "all_codes_deleted",
    ]
    device = node_device(hass, demo_entry, LOCK_NODE)
    triggers = (await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device.id]))[
        device.id
    ]
    kinds = {t["type"] for t in triggers}
    assert {"lock_keypad_unlock", "lock_wrong_code", "lock_jammed", "lock_tamper", "lock_code_added"} <= kinds
    caps = await device_trigger.async_get_trigger_capabilities(
        hass, {"platform": "device", "domain": DOMAIN, "device_id": device.id, "type": "lock_keypad_unlock"}
    )
    assert "user_slot" in caps["extra_fields"].schema
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                _trigger(device.id, "lock_keypad_unlock", "ran_slot_3", user_slot=3),
                _trigger(device.id, "lock_keypad_unlock", "ran_slot_4", user_slot=4),
                _trigger(device.id, "lock_keypad_unlock", "ran_any"),
            ]
        },
    )
    bus = BusEvents(hass, EVENT_LOCK)
    ran3, ran4, ran_any = (
        BusEvents(hass, "ran_slot_3"),
        BusEvents(hass, "ran_slot_4"),
        BusEvents(hass, "ran_any"),
    )

    _lock(demo_entry).keypad_unlock(3)
    data = await bus.wait(lambda d: d["event"] == "keypad_unlock")
    assert set(data) == CONTRACT_KEYS
    assert data == {
        "home_id": "c0ffee01",
        "device_id": device.id,
        "entity_id": lock_id,
        "node_id": LOCK_NODE,
        "event": "keypad_unlock",
        "user_slot": 3,
        "user_name": "Alice",
    }
    state = await wait_for_state(hass, lock_id, lambda s: s.attributes.get("last_event") == "keypad_unlock")
    assert state.attributes["changed_by"] == "User 3 (Alice)"
    assert state.attributes["user_slot"] == 3 and state.attributes["user_name"] == "Alice"
    await wait_for_state(hass, lock_id, lambda s: s.state == "unlocked")
    event_state = await wait_for_state(
        hass, event_id, lambda s: s.attributes.get("event_type") == "keypad_unlock"
    )
    assert event_state.attributes["user_slot"] == 3 and event_state.attributes["user_name"] == "Alice"
    await ran3.wait(lambda d: d["slot"] == 3)
    await ran_any.wait(lambda d: True)
    await hass.async_block_till_done()
    assert ran4.events == []

    # the logbook says who
    described: dict[str, Any] = {}
    logbook.async_describe_events(hass, lambda domain, event, describe: described.setdefault(event, describe))
    entry = described[EVENT_LOCK](Event(EVENT_LOCK, data))
    assert entry["message"] == "unlocked at the keypad by user 3 (Alice)"

    # a hand on the thumb-turn: changed_by follows, no user
    _lock(demo_entry).manual_lock()
    state = await wait_for_state(hass, lock_id, lambda s: s.attributes.get("last_event") == "manual_lock")
    assert state.attributes["changed_by"] == "Manual" and state.attributes["user_slot"] is None


async def test_jammed_then_cleared(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A jam: the bus event, the event entity, the lock's jammed state; cleared when the lock
    reports the bolt in another position (no notification needed), and by a lock operation."""
    lock, lock_id = _lock(demo_entry), entity_id_of(hass, "lock", LOCK_UID)
    bus = BusEvents(hass, EVENT_LOCK)
    lock.jam()
    data = await bus.wait(lambda d: d["event"] == "jammed")
    assert data["user_slot"] is None and data["entity_id"] == lock_id
    await wait_for_state(hass, lock_id, lambda s: s.state == "jammed")
    await wait_for_state(
        hass, entity_id_of(hass, "event", EVENT_UID), lambda s: s.attributes.get("event_type") == "jammed"
    )

    lock.unjam()
    lock.mode = lock.target_mode = 0x00  # someone freed the bolt by hand: only a Door Lock report
    lock.send_report(lock.operation_report(), supervised=True)
    await wait_for_state(hass, lock_id, lambda s: s.state == "unlocked")

    lock.jam()
    await wait_for_state(hass, lock_id, lambda s: s.state == "jammed")
    lock.unjam()
    lock.keypad_lock(1)
    await wait_for_state(hass, lock_id, lambda s: s.state == "locked")


async def test_wrong_code_and_tamper(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    device = node_device(hass, demo_entry, LOCK_NODE)
    assert await async_setup_component(
        hass, "automation", {"automation": [_trigger(device.id, "lock_wrong_code", "ran_wrong")]}
    )
    ran, bus = BusEvents(hass, "ran_wrong"), BusEvents(hass, EVENT_LOCK)
    _lock(demo_entry).wrong_code_limit()
    data = await bus.wait(lambda d: d["event"] == "wrong_code")
    assert data["user_slot"] is None and data["node_id"] == LOCK_NODE
    await ran.wait(lambda d: True)
    await wait_for_state(
        hass, entity_id_of(hass, "event", EVENT_UID), lambda s: s.attributes.get("event_type") == "wrong_code"
    )
    _lock(demo_entry).tamper()
    await bus.wait(lambda d: d["event"] == "tamper")


async def test_rf_operation_sets_changed_by(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    lock_id = entity_id_of(hass, "lock", LOCK_UID)
    await hass.services.async_call("lock", "unlock", {ATTR_ENTITY_ID: lock_id}, blocking=True)
    state = await wait_for_state(hass, lock_id, lambda s: s.state == "unlocked")
    assert state.attributes["changed_by"] == "Remote" and state.attributes["last_event"] == "rf_unlock"


async def test_codes_never_leak(
    hass: HomeAssistant, demo_entry: ConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """With DEBUG logging: codes set, used at the keypad, refused as duplicates; no code in any
    log record, lock event, notification event, state or diagnostics."""
    caplog.set_level(logging.DEBUG)
    events: list[Event] = []
    hass.bus.async_listen("*", events.append)
    secrets = ["918273", "564738"]
    await _named_code(demo_entry, 5, secrets[0], "Bob")
    await _named_code(demo_entry, 6, secrets[1], "Carol")
    lock, bus = _lock(demo_entry), BusEvents(hass, EVENT_LOCK)
    lock.keypad_unlock(5)
    lock.keypad_lock(6)
    await bus.wait(lambda d: d["event"] == "keypad_lock" and d["user_slot"] == 6)
    await wait_for_state(
        hass, entity_id_of(hass, "event", EVENT_UID), lambda s: s.attributes.get("user_slot") == 6
    )
    diag = await async_get_config_entry_diagnostics(hass, demo_entry)
    dev_diag = await async_get_device_diagnostics(hass, demo_entry, node_device(hass, demo_entry, LOCK_NODE))
    assert dev_diag["node"]["lock"]["configuration"]["operation_type"] == "constant"
    assert dev_diag["node"]["lock"]["clock_set"]["via"] == ["time_parameters"]
    states = [(s.entity_id, s.state, dict(s.attributes)) for s in hass.states.async_all()]
    haystacks = [
        caplog.text,
        repr([(e.event_type, e.data) for e in events]),
        json.dumps(diag, default=str),
        json.dumps(dev_diag, default=str),
        repr(states),
        *[r.getMessage() for r in caplog.records],
    ]
    for secret in secrets:
        assert not any(secret in text for text in haystacks), secret


async def test_last_event_restored_after_reload(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Who unlocked last survives a reload (and a restart) of the integration: the lock will not
    say it again, and its state read at start-up is not an event."""
    await _named_code(demo_entry, 3, "4711", "Alice")
    lock_id = entity_id_of(hass, "lock", LOCK_UID)
    _lock(demo_entry).keypad_unlock(3)
    await wait_for_state(hass, lock_id, lambda s: s.attributes.get("user_slot") == 3)
    assert await hass.config_entries.async_reload(demo_entry.entry_id)
    await wait_ready(hass, demo_entry)
    state = hass.states.get(lock_id)
    attributes = {
        "changed_by": "User 3 (Alice)",
        "last_event": "keypad_unlock",
        "user_slot": 3,
        "user_name": "Alice",
    }
    assert {key: state.attributes.get(key) for key in attributes} == attributes
