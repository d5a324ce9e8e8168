"""Logbook entries for the integration's bus events: notifications, scenes, nodes added/removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import (
    DOMAIN,
    EVENT_CENTRAL_SCENE,
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
    def _node_added(event: Event) -> dict[str, str]:
        return {LOGBOOK_ENTRY_NAME: _name(event.data), LOGBOOK_ENTRY_MESSAGE: "joined the Z-Wave network"}

    @callback
    def _node_removed(event: Event) -> dict[str, str]:
        return {LOGBOOK_ENTRY_NAME: _name(event.data), LOGBOOK_ENTRY_MESSAGE: "left the Z-Wave network"}

    async_describe_event(DOMAIN, EVENT_NOTIFICATION, _notification)
    async_describe_event(DOMAIN, EVENT_CENTRAL_SCENE, _central_scene)
    async_describe_event(DOMAIN, EVENT_SCENE_ACTIVATION, _scene_activation)
    async_describe_event(DOMAIN, EVENT_NODE_ADDED, _node_added)
    async_describe_event(DOMAIN, EVENT_NODE_REMOVED, _node_removed)
