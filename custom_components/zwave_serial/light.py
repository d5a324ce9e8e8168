"""Lights: Multilevel Switch CC (on/off, brightness, transition)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.light import (
    ATTR_BRIGHTNESS,
    ATTR_TRANSITION,
    ColorMode,
    LightEntity,
    LightEntityFeature,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import SwitchValue, ValueId

PARALLEL_UPDATES = 0

# Multilevel Switch "restore the last non-zero level"
LEVEL_PREVIOUS = 0xFF
LEVEL_MAX = 99


def level_to_brightness(level: int) -> int:
    """Z-Wave level 0..99 -> HA brightness 0..255."""
    return round(max(0, min(level, LEVEL_MAX)) * 255 / LEVEL_MAX)


def brightness_to_level(brightness: int) -> int:
    """HA brightness 0..255 -> Z-Wave level 0..99 (never 0 for a non-zero brightness)."""
    if brightness <= 0:
        return 0
    return max(1, min(LEVEL_MAX, round(brightness * LEVEL_MAX / 255)))


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up lights discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.LIGHT, async_add_entities, ZWaveLight)


class ZWaveLight(ZWaveEntity, LightEntity):
    """A dimmer."""

    _attr_color_mode = ColorMode.BRIGHTNESS
    _attr_supported_color_modes = {ColorMode.BRIGHTNESS}
    _attr_supported_features = LightEntityFeature.TRANSITION

    def _update_from_values(self) -> None:
        level = self.value()
        if level is None:
            self._attr_is_on = None
            self._attr_brightness = None
            return
        self._attr_is_on = level > 0
        self._attr_brightness = level_to_brightness(level) if level > 0 else None

    def _watches(self, value_id: ValueId) -> bool:
        return value_id.cc == self.value_id.cc and value_id.property == SwitchValue.CURRENT_VALUE

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on, optionally at a brightness and over a transition."""
        brightness = kwargs.get(ATTR_BRIGHTNESS)
        level = LEVEL_PREVIOUS if brightness is None else brightness_to_level(brightness)
        await self._set_value(SwitchValue.TARGET_VALUE, level, duration=kwargs.get(ATTR_TRANSITION))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off, optionally over a transition."""
        await self._set_value(SwitchValue.TARGET_VALUE, 0, duration=kwargs.get(ATTR_TRANSITION))
