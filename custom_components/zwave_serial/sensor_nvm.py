"""The *Last stick backup* sensor: when the newest backup of the stick's memory was made,
what it holds, and the progress of a running backup or restore."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .coordinator import ZWaveCoordinator
from .devices import controller_device_info
from .stick_backup import StickBackups, signal_backup


class LastStickBackupSensor(SensorEntity):
    """Timestamp of the newest stick backup; attributes: the file and the running operation."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_translation_key = "last_stick_backup"

    def __init__(self, coordinator: ZWaveCoordinator, backups: StickBackups) -> None:
        """Create the sensor of ``coordinator``'s stick."""
        self.coordinator = coordinator
        self.backups = backups
        self._attr_unique_id = f"{coordinator.home_id:08x}.controller.last_stick_backup"
        self._attr_device_info = controller_device_info(coordinator.driver.controller)

    @property
    def native_value(self) -> datetime | None:
        """When the newest backup was made."""
        return self.backups.last.created if self.backups.last is not None else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The newest backup (file name, size, series, nodes, SHA-256) and the progress."""
        last = self.backups.last
        attrs: dict[str, Any] = {"progress": self.backups.progress}
        if last is not None:
            side = last.sidecar
            attrs.update(
                file=last.path.name,
                size=side.get("size"),
                series=side.get("series"),
                nodes=side.get("nodes"),
                sha256=side.get("sha256"),
            )
        return attrs

    async def async_added_to_hass(self) -> None:
        """Follow new backups and progress."""
        self.async_on_remove(
            async_dispatcher_connect(self.hass, signal_backup(self.coordinator.entry_id), self._refresh)
        )

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place (see ZWaveEntity.async_entity_id_changed)."""
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _refresh(self, *_args: object) -> None:
        self.async_write_ha_state()
