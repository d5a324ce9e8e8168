"""Scenes and events through the config flow: Central Scene and Scene Activation event entities,
notification event entities, device triggers / conditions / actions, logbook entries."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType, async_get_device_automations
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.setup import async_setup_component

from custom_components.zwave_serial import device_action, device_condition, logbook
from custom_components.zwave_serial.const import (
    DOMAIN,
    EVENT_CENTRAL_SCENE,
    EVENT_LOCK,
    EVENT_NODE_ADDED,
    EVENT_NODE_REMOVED,
    EVENT_NOTIFICATION,
    EVENT_SCENE_ACTIVATION,
)

from .conftest import entity_id_of, node_device, wait_for_state

SCENE_NODE, LOCK_NODE, SWITCH_NODE = 20, 7, 2
SCENE_UID = "c0ffee01.20.0.91.supported_key_attributes.{}"
SCENE_ACTIVATION_UID = "c0ffee01.20.0.43.scene_id"
ACCESS_CONTROL_UID = "c0ffee01.7.0.113.supported_events.access_control"
ALL_KEYS = ["pressed", "released", "held", "pressed_2x", "pressed_3x", "pressed_4x", "pressed_5x"]


class BusEvents:
    """Records bus events of one type; ``wait(predicate)`` waits (event-driven) for a match."""

    def __init__(self, hass: HomeAssistant, event_type: str) -> None:
        self.hass = hass
        self.events: list[dict[str, Any]] = []
        self._waiters: list[tuple[Callable[[dict[str, Any]], bool], asyncio.Future[dict[str, Any]]]] = []
        self.unsub = hass.bus.async_listen(event_type, self._on_event)

    @callback
    def _on_event(self, event: Event) -> None:
        data = dict(event.data)
        self.events.append(data)
        for predicate, future in list(self._waiters):
            if not future.done() and predicate(data):
                future.set_result(data)

    async def wait(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
        for data in self.events:
            if predicate(data):
                return data
        future: asyncio.Future[dict[str, Any]] = self.hass.loop.create_future()
        self._waiters.append((predicate, future))
        async with asyncio.timeout(timeout):
            return await future


def _controller(entry: ConfigEntry) -> Any:
    return entry.runtime_data.demo.stick.node(SCENE_NODE)


async def test_central_scene_event_entity(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """One event entity per scene, its event types from the supported key attributes; a press
    fires it (and the bus event with the device)."""
    bus = BusEvents(hass, EVENT_CENTRAL_SCENE)
    entity_ids = [entity_id_of(hass, "event", SCENE_UID.format(scene)) for scene in (1, 2, 3, 4)]
    state = hass.states.get(entity_ids[0])
    assert state.attributes["event_types"] == ALL_KEYS
    assert state.attributes["device_class"] == "button"
    assert state.attributes["friendly_name"].endswith("Scene 1")

    _controller(demo_entry).press(1, "pressed_2x")
    state = await wait_for_state(hass, entity_ids[0], lambda s: s.attributes.get("event_type") == "pressed_2x")
    assert state.attributes["scene"] == 1
    data = await bus.wait(lambda d: d["scene"] == 1)
    device = node_device(hass, demo_entry, SCENE_NODE)
    assert data == {
        "home_id": "c0ffee01",
        "device_id": device.id,
        "node_id": SCENE_NODE,
        "endpoint": 0,
        "scene": 1,
        "key_attribute": "pressed_2x",
        "key_attribute_id": 3,
    }
    assert hass.states.get(entity_ids[1]).attributes.get("event_type") is None  # other scenes: untouched


async def test_held_released_and_duplicates(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A held key fires ``held`` once (refreshes are not events), then ``released``; a repeated
    sequence number (a retransmission) fires nothing."""
    bus = BusEvents(hass, EVENT_CENTRAL_SCENE)
    controller = _controller(demo_entry)
    controller.press(3)
    controller.repeat_last()  # same sequence number: dropped
    controller.hold(4)
    controller.hold(4)  # a refresh while the key stays down
    controller.release(4)
    await bus.wait(lambda d: d["scene"] == 4 and d["key_attribute"] == "released")
    assert [(d["scene"], d["key_attribute"]) for d in bus.events] == [(3, "pressed"), (4, "held"), (4, "released")]
    entity_id = entity_id_of(hass, "event", SCENE_UID.format(4))
    await wait_for_state(hass, entity_id, lambda s: s.attributes.get("event_type") == "released")


async def test_scene_trigger_automation(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """The automation editor offers "Scene 1 pressed twice"; that device trigger runs an
    automation on that key of that scene only."""
    device = node_device(hass, demo_entry, SCENE_NODE)
    triggers = (await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device.id]))[device.id]
    wanted = {
        "platform": "device",
        "domain": DOMAIN,
        "device_id": device.id,
        "type": "scene_pressed_2x",
        "scene": 1,
        "endpoint": 0,
        "subtype": "Scene 1",
    }
    assert any(all(t.get(k) == v for k, v in wanted.items()) for t in triggers)
    types = {t["type"] for t in triggers}
    assert {"scene_held", "scene_released", "scene_activated", "node_status"} <= types
    assert "lock_keypad_unlock" not in types  # not a lock

    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [{**wanted}],
                "actions": [{"event": "scene_automation_ran", "event_data": {"scene": "{{ trigger.event.data.scene }}"}}],
            }
        },
    )
    ran = BusEvents(hass, "scene_automation_ran")
    controller = _controller(demo_entry)
    controller.press(2, "pressed_2x")  # another scene: no run
    controller.press(1, "pressed")  # another key: no run
    controller.press(1, "pressed_2x")
    await ran.wait(lambda d: True)
    await hass.async_block_till_done()
    assert [int(d["scene"]) for d in ran.events] == [1]


async def test_scene_activation(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """A remote's Scene Activation (a CC it only controls) fires its event entity, the bus event
    and a device trigger with a scene id."""
    device = node_device(hass, demo_entry, SCENE_NODE)
    entity_id = entity_id_of(hass, "event", SCENE_ACTIVATION_UID)
    assert hass.states.get(entity_id).attributes["event_types"] == ["scene_activated"]
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {
                        "platform": "device",
                        "domain": DOMAIN,
                        "device_id": device.id,
                        "type": "scene_activated",
                        "scene_id": 7,
                    }
                ],
                "actions": [{"event": "scene_7_ran"}],
            }
        },
    )
    ran = BusEvents(hass, "scene_7_ran")
    bus = BusEvents(hass, EVENT_SCENE_ACTIVATION)
    _controller(demo_entry).activate_scene(5, 3)
    _controller(demo_entry).activate_scene(7)
    state = await wait_for_state(hass, entity_id, lambda s: s.attributes.get("scene_id") == 7)
    assert state.attributes["event_type"] == "scene_activated"
    await ran.wait(lambda d: True)
    assert [(d["scene_id"], d["dimming_duration"]) for d in bus.events] == [(5, 3.0), (7, None)]
    assert len(ran.events) == 1


async def test_lock_notification_event_and_trigger(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Access Control events of a lock: an event entity (keypad unlock with the user id, never
    the code) and the "Unlocked at the keypad" device trigger."""
    device = node_device(hass, demo_entry, LOCK_NODE)
    triggers = (await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, [device.id]))[device.id]
    assert {"lock_keypad_unlock", "lock_manual_lock", "notification"} <= {t["type"] for t in triggers}
    entity_id = entity_id_of(hass, "event", ACCESS_CONTROL_UID)
    assert "keypad_unlock_operation" in hass.states.get(entity_id).attributes["event_types"]
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {"platform": "device", "domain": DOMAIN, "device_id": device.id, "type": "lock_keypad_unlock"}
                ],
                "actions": [{"event": "keypad_unlock_ran"}],
            }
        },
    )
    ran = BusEvents(hass, "keypad_unlock_ran")
    demo_entry.runtime_data.demo.stick.node(LOCK_NODE).keypad_unlock(3)
    state = await wait_for_state(
        hass, entity_id, lambda s: s.attributes.get("event_type") == "keypad_unlock_operation"
    )
    assert state.attributes["parameters"]["user_id"] == 3
    assert "code" not in str(state.attributes["parameters"]).replace("user_id", "")  # never the code
    await ran.wait(lambda d: True)


async def test_device_conditions_and_actions(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Conditions: node status and a value; actions: set a value, ping, refresh."""
    device = node_device(hass, demo_entry, SWITCH_NODE)
    switch = demo_entry.runtime_data.demo.stick.node(SWITCH_NODE)
    conditions = (await async_get_device_automations(hass, DeviceAutomationType.CONDITION, [device.id]))[device.id]
    assert {c["type"] for c in conditions if c["domain"] == DOMAIN} == {"node_status", "value"}
    actions = (await async_get_device_automations(hass, DeviceAutomationType.ACTION, [device.id]))[device.id]
    assert {a["type"] for a in actions if a["domain"] == DOMAIN} == {"set_value", "ping", "refresh_values"}

    base = {"device_id": device.id, "domain": DOMAIN}
    alive = device_condition.async_condition_from_config(
        hass, device_condition.CONDITION_SCHEMA({**base, "condition": "device", "type": "node_status", "status": "alive"})
    )
    assert alive(hass) is True
    switch_value = {"command_class": 0x25, "property": "current_value"}
    is_on = device_condition.async_condition_from_config(
        hass,
        device_condition.CONDITION_SCHEMA({**base, "condition": "device", "type": "value", **switch_value, "value": "True"}),
    )

    await device_action.async_call_action_from_config(
        hass,
        device_action.ACTION_SCHEMA(
            {**base, "type": "set_value", "command_class": 0x25, "property": "target_value", "value": "true"}
        ),
        {},
        None,
    )
    assert switch.on is True
    entity_id = entity_id_of(hass, "switch", f"c0ffee01.{SWITCH_NODE}.0.37.current_value")
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_ON)
    assert is_on(hass) is True
    for kind in ("ping", "refresh_values"):
        await device_action.async_call_action_from_config(hass, device_action.ACTION_SCHEMA({**base, "type": kind}), {}, None)
    switch.set_local(False)
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_OFF)
    assert is_on(hass) is False


async def test_logbook_descriptions(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    """Each bus event of the integration has a logbook line naming the device."""
    described: dict[str, Callable[[Event], dict[str, str]]] = {}
    logbook.async_describe_events(hass, lambda domain, event, fn: described.__setitem__(event, fn))
    assert set(described) == {
        EVENT_NOTIFICATION,
        EVENT_CENTRAL_SCENE,
        EVENT_SCENE_ACTIVATION,
        EVENT_NODE_ADDED,
        EVENT_NODE_REMOVED,
        EVENT_LOCK,
    }
    device = node_device(hass, demo_entry, SCENE_NODE)
    name = device.name_by_user or device.name
    scene = described[EVENT_CENTRAL_SCENE](
        Event(EVENT_CENTRAL_SCENE, {"device_id": device.id, "node_id": 20, "scene": 1, "key_attribute": "pressed_2x"})
    )
    assert scene == {"name": name, "message": "scene 1 pressed twice"}
    activation = described[EVENT_SCENE_ACTIVATION](
        Event(EVENT_SCENE_ACTIVATION, {"device_id": device.id, "node_id": 20, "scene_id": 4})
    )
    assert activation["message"] == "activated scene 4"
    note = described[EVENT_NOTIFICATION](
        Event(
            EVENT_NOTIFICATION,
            {"device_id": None, "node_id": 7, "type_label": "Access Control", "event_label": "Keypad unlock operation"},
        )
    )
    assert note == {"name": "Z-Wave node 7", "message": "sent Access Control notification: Keypad unlock operation"}
    removed = described[EVENT_NODE_REMOVED](Event(EVENT_NODE_REMOVED, {"device_id": None, "node_id": 12}))
    assert removed == {"name": "Z-Wave node 12", "message": "left the Z-Wave network"}
    added = described[EVENT_NODE_ADDED](Event(EVENT_NODE_ADDED, {"device_id": device.id, "node_id": 20}))
    assert added["message"] == "joined the Z-Wave network"
