"""Sensors: Multilevel Sensor, Meter, battery level, and the controller's link counters."""

from __future__ import annotations

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription, SensorStateClass
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import signal_connection, signal_statistics
from .coordinator import ZWaveCoordinator, ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .node_sensor import async_setup_node_sensors
from .sensor_heal import HealSensor
from .sensor_nvm import LastStickBackupSensor
from .stick_backup import async_get as async_get_stick_backups
from .stick_entity import StickEntity

PARALLEL_UPDATES = 0

# Link counters of driver.statistics() shown as controller diagnostic sensors.
STATISTICS_KEYS = (
    "frames_sent",
    "frames_received",
    "acks_sent",
    "acks_received",
    "naks_sent",
    "naks_received",
    "cans_received",
    "checksum_errors",
    "out_of_frame_bytes",
    "retransmissions",
    "ack_timeouts",
    "response_timeouts",
    "callback_timeouts",
    "receive_timeouts",
)


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up sensors discovered on the network and the controller statistics."""
    coordinator = entry.runtime_data.coordinator
    stats = coordinator.driver.statistics()
    async_add_entities(ControllerStatisticSensor(coordinator, key) for key in STATISTICS_KEYS if key in stats)
    if (backups := async_get_stick_backups(hass, entry.entry_id)) is not None:
        async_add_entities([LastStickBackupSensor(coordinator, backups)])
    async_add_entities([HealSensor(coordinator)])
    async_listen_for_entities(coordinator, Platform.SENSOR, async_add_entities, ZWaveSensor)
    async_setup_node_sensors(coordinator, async_add_entities)


class ZWaveSensor(ZWaveEntity, SensorEntity):
    """A numeric value reported by a node."""

    def _update_from_values(self) -> None:
        value = self.value()
        self._attr_native_value = value if isinstance(value, int | float) else None


class ControllerStatisticSensor(StickEntity, SensorEntity):
    """One link counter of the stick (disabled by default; refreshed on a slow timer)."""

    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_entity_registry_enabled_default = False
    _signals = (signal_statistics, signal_connection)

    def __init__(self, coordinator: ZWaveCoordinator, key: str) -> None:
        """Create the counter sensor ``key``."""
        super().__init__(coordinator, f"statistics.{key}")
        self.entity_description = SensorEntityDescription(
            key=key, translation_key=key, state_class=SensorStateClass.TOTAL_INCREASING
        )

    @property
    def native_value(self) -> int | None:
        """The counter value."""
        return self.coordinator.driver.statistics().get(self.entity_description.key)

