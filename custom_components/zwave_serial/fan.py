"""Fans: the Multilevel Switch of a fan switch; its level 1..99 is the speed (1..100 %)."""

from __future__ import annotations

import math
from typing import Any

from homeassistant.components.fan import FanEntity, FanEntityFeature
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util.percentage import percentage_to_ranged_value, ranged_value_to_percentage

from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import SwitchValue, ValueId

PARALLEL_UPDATES = 0

SPEED_RANGE = (1, 99)
#: Multilevel Switch "restore the last non-zero level"
LEVEL_PREVIOUS = 0xFF


def level_to_percentage(level: int) -> int:
    """Z-Wave level 0..99 -> fan speed 0..100 %."""
    return 0 if level <= 0 else ranged_value_to_percentage(SPEED_RANGE, min(level, SPEED_RANGE[1]))


def percentage_to_level(percentage: int) -> int:
    """Fan speed 0..100 % -> Z-Wave level 0..99 (never 0 for a non-zero speed)."""
    if percentage <= 0:
        return 0
    return max(1, math.ceil(percentage_to_ranged_value(SPEED_RANGE, percentage)))


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up fans discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.FAN, async_add_entities, ZWaveFan)


class ZWaveFan(ZWaveEntity, FanEntity):
    """A fan switch with a continuous speed."""

    _attr_supported_features = FanEntityFeature.SET_SPEED | FanEntityFeature.TURN_ON | FanEntityFeature.TURN_OFF
    _attr_speed_count = SPEED_RANGE[1] - SPEED_RANGE[0] + 1

    def _watches(self, value_id: ValueId) -> bool:
        return value_id.cc == self.value_id.cc and value_id.property == SwitchValue.CURRENT_VALUE

    def _update_from_values(self) -> None:
        level = self.value()
        self._attr_percentage = None if level is None else level_to_percentage(level)

    @property
    def is_on(self) -> bool | None:
        """On while the speed is above 0."""
        return None if self.percentage is None else self.percentage > 0

    async def async_set_percentage(self, percentage: int) -> None:
        """Set the speed (0: off)."""
        await self._set_value(SwitchValue.TARGET_VALUE, percentage_to_level(percentage))

    async def async_turn_on(self, percentage: int | None = None, preset_mode: str | None = None, **kwargs: Any) -> None:
        """Turn on at a speed, or at the last speed."""
        level = LEVEL_PREVIOUS if percentage is None else percentage_to_level(percentage)
        await self._set_value(SwitchValue.TARGET_VALUE, level)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self._set_value(SwitchValue.TARGET_VALUE, 0)
