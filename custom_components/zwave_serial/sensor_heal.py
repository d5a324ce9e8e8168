"""The *Network heal* sensor of the controller device: idle / running, with the progress."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .const import signal_connection
from .coordinator import ZWaveCoordinator
from .devices import controller_device_info
from .heal_events import heal_counts, signal_heal


class HealSensor(SensorEntity):
    """State ``running`` while a network heal runs, else ``idle``.  Attributes: the counts
    (done, failed, queued, pending, skipped), ``nodes`` (node id -> status) and ``failed_reasons``
    of the last heal, updated as sleeping devices are healed at their wake-up."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = ["idle", "running"]
    _attr_translation_key = "heal"

    def __init__(self, coordinator: ZWaveCoordinator) -> None:
        """Create the heal sensor of ``coordinator``'s network."""
        self.coordinator = coordinator
        self._attr_unique_id = f"{coordinator.home_id:08x}.controller.heal"
        self._attr_device_info = controller_device_info(coordinator.driver.controller)

    @property
    def available(self) -> bool:
        """Available while the stick is connected."""
        return self.coordinator.connected

    @property
    def native_value(self) -> str:
        """``running`` or ``idle``."""
        return "running" if self.coordinator.driver.heal.running else "idle"

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Counts, per-node statuses and failure reasons."""
        heal = self.coordinator.driver.heal
        nodes = heal.snapshot()
        attrs: dict[str, Any] = dict(heal_counts(nodes))
        attrs["nodes"] = {str(node_id): status for node_id, status in nodes.items()}
        attrs["failed_reasons"] = {
            str(node_id): reason
            for node_id, reason in sorted(heal.reasons.items())
            if nodes.get(node_id) == "failed"
        }
        return attrs

    async def async_added_to_hass(self) -> None:
        """Follow the heal's progress and the connection."""
        entry_id = self.coordinator.entry_id
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_heal(entry_id), self._refresh))
        self.async_on_remove(async_dispatcher_connect(self.hass, signal_connection(entry_id), self._refresh))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place (see ZWaveEntity.async_entity_id_changed)."""
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _refresh(self, *_args: object) -> None:
        self.async_write_ha_state()
