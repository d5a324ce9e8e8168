"""Numbers: configuration parameters with a range (``config_discovery.py``)."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .config_entity import ZWaveConfigNumber
from .coordinator import ZWaveSerialConfigEntry
from .entity import async_listen_for_entities

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up the number entities discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.NUMBER, async_add_entities, ZWaveConfigNumber)
