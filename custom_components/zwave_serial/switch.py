"""Switches: Binary Switch CC."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import SwitchValue

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up switches discovered on the network."""
    async_listen_for_entities(
        entry.runtime_data.coordinator, Platform.SWITCH, async_add_entities, ZWaveSwitch
    )


class ZWaveSwitch(ZWaveEntity, SwitchEntity):
    """A Binary Switch."""

    def _update_from_values(self) -> None:
        value = self.value()
        self._attr_is_on = None if value is None else bool(value)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the switch on."""
        await self._set_value(SwitchValue.TARGET_VALUE, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the switch off."""
        await self._set_value(SwitchValue.TARGET_VALUE, False)
