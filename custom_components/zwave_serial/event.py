"""Event entities: Central Scene buttons, Scene Activation and notification events.

A Central Scene entity per scene fires ``pressed``, ``pressed_2x`` ... ``pressed_5x``,
``held`` and ``released`` (a held key fires ``held`` once, not on every refresh); the Scene
Activation entity fires ``scene_activated`` with the scene id; a notification entity fires the
momentary events of its notification type (``keypad_unlock_operation`` ...) with their
parameters (a keypad's user id, never a code).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZWaveSerialConfigEntry
from .discovery_classes import notification_event_type
from .entity import ZWaveEntity, async_listen_for_entities
from .event_lock import async_setup_lock_events
from .zwave import (
    CentralSceneEvent,
    CommandClass,
    DriverEvent,
    NotificationEvent,
    SceneActivationEvent,
    ValueId,
)
from .zwave.cc.notification import type_name

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up event entities discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.EVENT, async_add_entities, ZWaveEventEntity)
    async_setup_lock_events(entry.runtime_data.coordinator, async_add_entities)  # event_lock.py


class ZWaveEventEntity(ZWaveEntity, EventEntity):
    """Fires when its node sends the events of its value (scene, scene activation, notification)."""

    def _watches(self, value_id: ValueId) -> bool:
        return False  # the values only describe the entity; events drive it

    def _handle_other_event(self, event: DriverEvent) -> bool:
        fired = self._event_of(event)
        if fired is None:
            return False
        event_type, attributes = fired
        if event_type not in self.event_types:
            return False
        self._trigger_event(event_type, attributes)
        return True

    def _event_of(self, event: DriverEvent) -> tuple[str, dict[str, Any]] | None:
        """The event type and attributes ``event`` fires on this entity, or None."""
        vid = self.value_id
        if getattr(event, "endpoint", None) != vid.endpoint:
            return None
        if vid.cc == CommandClass.CENTRAL_SCENE and isinstance(event, CentralSceneEvent):
            if event.scene != vid.property_key or event.repeat:
                return None
            return event.label, {"scene": event.scene, "key_attribute_id": event.key_attribute}
        if vid.cc == CommandClass.SCENE_ACTIVATION and isinstance(event, SceneActivationEvent):
            return "scene_activated", {"scene_id": event.scene_id, "dimming_duration": event.dimming_duration}
        if vid.cc == CommandClass.NOTIFICATION and isinstance(event, NotificationEvent):
            event_type = notification_event_type(event.notification_type, event.event)
            if event_type is None or vid.property_key != type_name(event.notification_type):
                return None
            attributes: dict[str, Any] = {"event": event.event, "label": event.event_label}
            if event.parameters:
                attributes["parameters"] = dict(event.parameters)
            return event_type, attributes
        return None
