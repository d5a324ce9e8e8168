"""Logbook entries for the integration's bus events: notifications, scenes, lock events,
nodes added/removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import (
    DOMAIN,
    EVENT_CENTRAL_SCENE,
    EVENT_LOCK,
    EVENT_NODE_ADDED,
    EVENT_NODE_REMOVED,
    EVENT_NOTIFICATION,
    EVENT_SCENE_ACTIVATION,
)

#: Wording of the Central Scene key attributes in the logbook.
KEY_WORDS = {
    "pressed": "pressed",
    "pressed_2x": "pressed twice",
    "pressed_3x": "pressed 3 times",
    "pressed_4x": "pressed 4 times",
    "pressed_5x": "pressed 5 times",
    "held": "held down",
    "released": "released",
}

#: Wording of the lock events (``zwave_serial_lock_event``) in the logbook.
LOCK_WORDS = {
    "keypad_unlock": "unlocked at the keypad",
    "keypad_lock": "locked at the keypad",
    "manual_unlock": "unlocked by hand",
    "manual_lock": "locked by hand",
    "rf_unlock": "unlocked remotely",
    "rf_lock": "locked remotely",
    "auto_lock": "locked automatically",
    "wrong_code": "wrong code entered",
    "duplicate_code": "refused a code already in use",
    "jammed": "jammed",
    "tamper": "detected tampering",
    "code_added": "user code added",
    "code_deleted": "user code deleted",
    "all_codes_deleted": "all user codes deleted",
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the integration's events for the logbook."""
    dev_reg = dr.async_get(hass)

    def _name(data: dict[str, Any]) -> str:
        device = dev_reg.async_get(data["device_id"]) if data.get("device_id") else None
        if device is not None and (device.name_by_user or device.name):
            return str(device.name_by_user or device.name)
        return f"Z-Wave node {data.get('node_id')}"

    @callback
    def _notification(event: Event) -> dict[str, str]:
        data = event.data
        label = data.get("event_label") or f"event {data.get('event')}"
        where = data.get("type_label") or "notification"
        return {LOGBOOK_ENTRY_NAME: _name(data), LOGBOOK_ENTRY_MESSAGE: f"sent {where} notification: {label}"}

    @callback
    def _central_scene(event: Event) -> dict[str, str]:
        data = event.data
        key = str(data.get("key_attribute"))
        return {
            LOGBOOK_ENTRY_NAME: _name(data),
            LOGBOOK_ENTRY_MESSAGE: f"scene {data.get('scene')} {KEY_WORDS.get(key, key)}",
        }

    @callback
    def _scene_activation(event: Event) -> dict[str, str]:
        data = event.data
        return {LOGBOOK_ENTRY_NAME: _name(data), LOGBOOK_ENTRY_MESSAGE: f"activated scene {data.get('scene_id')}"}

    @callback
    def _lock_event(event: Event) -> dict[str, str]:
        data = event.data
        words = LOCK_WORDS.get(str(data.get("event")), str(data.get("event")))
        slot = data.get("user_slot")
        if slot is not None:
            words += f" by user {slot}" + (f" ({data['user_name']})" if data.get("user_name") else "")
        return {LOGBOOK_ENTRY_NAME: _name(data), LOGBOOK_ENTRY_MESSAGE: words}

    @callback
    def _node_added(event: Event) -> dict[str, str]:
        return {LOGBOOK_ENTRY_NAME: _name(event.data), LOGBOOK_ENTRY_MESSAGE: "joined the Z-Wave network"}

    @callback
    def _node_removed(event: Event) -> dict[str, str]:
        return {LOGBOOK_ENTRY_NAME: _name(event.data), LOGBOOK_ENTRY_MESSAGE: "left the Z-Wave network"}

    async_describe_event(DOMAIN, EVENT_NOTIFICATION, _notification)
    async_describe_event(DOMAIN, EVENT_CENTRAL_SCENE, _central_scene)
    async_describe_event(DOMAIN, EVENT_SCENE_ACTIVATION, _scene_activation)
    async_describe_event(DOMAIN, EVENT_NODE_ADDED, _node_added)
    async_describe_event(DOMAIN, EVENT_LOCK, _lock_event)
    async_describe_event(DOMAIN, EVENT_NODE_REMOVED, _node_removed)
