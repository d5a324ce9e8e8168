"""The lock event entity: one per lock (``event.front_door_lock_event``), fired with each
lock event (``keypad_unlock``, ``jammed``, ``wrong_code``...) and its ``user_slot`` /
``user_name`` (never a code).  Created alongside each discovered lock entity."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.components.event import EventEntity
from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import EntityDescription

from .const import signal_add_entities
from .coordinator import ZWaveCoordinator
from .discovery import DiscoveryInfo
from .entity import ZWaveEntity
from .zwave import DriverEvent, ValueId
from .zwave.lock_activity import LOCK_EVENTS, LockActivity


@callback
def async_setup_lock_events(coordinator: ZWaveCoordinator, async_add_entities: object) -> None:
    """Add a lock event entity whenever discovery finds a lock."""

    @callback
    def _add(infos: list[DiscoveryInfo]) -> None:
        entities = [
            ZWaveLockEventEntity(coordinator, info) for info in infos if info.platform == Platform.LOCK
        ]
        if entities:
            async_add_entities(entities)  # type: ignore[operator]

    coordinator.entry.async_on_unload(
        async_dispatcher_connect(
            coordinator.hass, signal_add_entities(coordinator.entry_id, Platform.LOCK), _add
        )
    )


class ZWaveLockEventEntity(ZWaveEntity, EventEntity):
    """Fires the lock events of its lock."""

    _attr_event_types = list(LOCK_EVENTS)
    _attr_translation_key = "lock_event"

    def __init__(self, coordinator: ZWaveCoordinator, info: DiscoveryInfo) -> None:
        """From the lock's discovery: same device, its own unique id."""
        info = replace(info, platform=Platform.EVENT, description=EntityDescription(key="lock_event"))
        super().__init__(coordinator, info)
        self._attr_unique_id = f"{self._attr_unique_id}.lock_event"
        self._attr_translation_key = "lock_event"
        self._attr_translation_placeholders = {}

    def _watches(self, value_id: ValueId) -> bool:
        return False

    def _handle_other_event(self, event: DriverEvent) -> bool:
        if not isinstance(event, LockActivity):
            return False
        if self.value_id.endpoint and event.endpoint != self.value_id.endpoint:
            return False
        self._trigger_event(event.event, {"user_slot": event.user_slot, "user_name": event.user_name})
        return True
