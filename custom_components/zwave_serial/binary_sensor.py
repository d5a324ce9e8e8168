"""Binary sensors: Binary Sensor CC, Notification states, battery low."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZWaveSerialConfigEntry
from .discovery import ZWaveBinarySensorDescription
from .entity import ZWaveEntity, async_listen_for_entities

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up binary sensors discovered on the network."""
    async_listen_for_entities(
        entry.runtime_data.coordinator, Platform.BINARY_SENSOR, async_add_entities, ZWaveBinarySensor
    )


class ZWaveBinarySensor(ZWaveEntity, BinarySensorEntity):
    """A two-state value (Notification states: idle = off)."""

    entity_description: ZWaveBinarySensorDescription

    def _update_from_values(self) -> None:
        value = self.value()
        if value is None:
            self._attr_is_on = None
        elif self.entity_description.on_values is not None:
            self._attr_is_on = value in self.entity_description.on_values
        else:
            self._attr_is_on = bool(value) != self.entity_description.inverted
