"""The *Network heal* sensor of the controller device: idle / running, with the progress."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory

from .const import signal_connection
from .coordinator import ZWaveCoordinator
from .heal_events import heal_counts, signal_heal
from .stick_entity import StickEntity


class HealSensor(StickEntity, SensorEntity):
    """State ``running`` while a network heal runs, else ``idle``.  Attributes: the counts
    (done, failed, queued, pending, skipped), ``nodes`` (node id -> status) and ``failed_reasons``
    of the last heal, updated as sleeping devices are healed at their wake-up."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = ["idle", "running"]
    _attr_translation_key = "heal"
    _signals = (signal_heal, signal_connection)

    def __init__(self, coordinator: ZWaveCoordinator) -> None:
        """Create the heal sensor of ``coordinator``'s network."""
        super().__init__(coordinator, "heal")

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

