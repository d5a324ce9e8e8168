"""The *Last stick backup* sensor: when the newest backup of the stick's memory was made,
what it holds, and the progress of a running backup or restore."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.const import EntityCategory

from .coordinator import ZWaveCoordinator
from .stick_backup import StickBackups, signal_backup
from .stick_entity import StickEntity


class LastStickBackupSensor(StickEntity, SensorEntity):
    """Timestamp of the newest stick backup; attributes: the file and the running operation."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_translation_key = "last_stick_backup"
    _signals = (signal_backup,)

    def __init__(self, coordinator: ZWaveCoordinator, backups: StickBackups) -> None:
        """Create the sensor of ``coordinator``'s stick."""
        super().__init__(coordinator, "last_stick_backup")
        self.backups = backups

    @property
    def available(self) -> bool:
        """Always: the backups are files, there with or without the stick."""
        return True

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

