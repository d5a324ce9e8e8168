"""Lights: Multilevel Switch CC (on/off, brightness, transition) and Color Switch CC colours.

A light whose endpoint has Color Switch with red, green and blue shows RGB, or RGBW when it has
a warm (or cold) white component too; colours are set with one Color Switch Set before the
level.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.light import (
    ATTR_BRIGHTNESS,
    ATTR_RGB_COLOR,
    ATTR_RGBW_COLOR,
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
from .zwave import ColorSwitchValue, CommandClass, SwitchValue, ValueId

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


RGB = ("red", "green", "blue")
WHITES = ("warm_white", "cold_white")


def color_modes(components: Any) -> tuple[ColorMode, str | None]:
    """The colour mode for a set of Color Switch components, and its white component."""
    comps = set(components or ())
    white = next((w for w in WHITES if w in comps), None)
    if not set(RGB) <= comps:
        return ColorMode.BRIGHTNESS, None
    return (ColorMode.RGBW, white) if white else (ColorMode.RGB, None)


class ZWaveLight(ZWaveEntity, LightEntity):
    """A dimmer, with colours when the endpoint has Color Switch."""

    _attr_color_mode = ColorMode.BRIGHTNESS
    _attr_supported_color_modes = {ColorMode.BRIGHTNESS}
    _attr_supported_features = LightEntityFeature.TRANSITION
    _white: str | None = None

    def _update_from_values(self) -> None:
        level = self.value()
        self._update_colors()
        if level is None:
            self._attr_is_on = None
            self._attr_brightness = None
            return
        self._attr_is_on = level > 0
        self._attr_brightness = level_to_brightness(level) if level > 0 else None

    def _update_colors(self) -> None:
        mode, self._white = color_modes(self._color(ColorSwitchValue.SUPPORTED_COMPONENTS, None))
        self._attr_color_mode = mode
        self._attr_supported_color_modes = {mode}
        if mode is ColorMode.BRIGHTNESS:
            return
        rgb = tuple(self._color(ColorSwitchValue.CURRENT_COLOR, c) or 0 for c in RGB)
        self._attr_rgb_color = (rgb[0], rgb[1], rgb[2])
        if self._white is not None:
            white = self._color(ColorSwitchValue.CURRENT_COLOR, self._white) or 0
            self._attr_rgbw_color = (rgb[0], rgb[1], rgb[2], white)

    def _color(self, prop: str, key: Any) -> Any:
        return self.value(prop, key, cc=CommandClass.SWITCH_COLOR)

    def _watches(self, value_id: ValueId) -> bool:
        if value_id.cc == CommandClass.SWITCH_COLOR:
            return value_id.property in (ColorSwitchValue.CURRENT_COLOR, ColorSwitchValue.SUPPORTED_COMPONENTS)
        return value_id.cc == self.value_id.cc and value_id.property == SwitchValue.CURRENT_VALUE

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on, optionally with a colour, at a brightness and over a transition."""
        transition = kwargs.get(ATTR_TRANSITION)
        colors: dict[str, int] = {}
        if (rgbw := kwargs.get(ATTR_RGBW_COLOR)) is not None and self._white is not None:
            colors = {**dict(zip(RGB, rgbw[:3], strict=True)), self._white: rgbw[3]}
        elif (rgb := kwargs.get(ATTR_RGB_COLOR)) is not None:
            colors = dict(zip(RGB, rgb, strict=True))
            if self._white is not None:
                colors[self._white] = 0
        if colors:
            await self._set_value(
                ColorSwitchValue.TARGET_COLOR, colors, cc=CommandClass.SWITCH_COLOR, duration=transition
            )
        brightness = kwargs.get(ATTR_BRIGHTNESS)
        if colors and brightness is None and self.is_on:
            return  # a new colour for a light that is on: its level stays
        level = LEVEL_PREVIOUS if brightness is None else brightness_to_level(brightness)
        await self._set_value(SwitchValue.TARGET_VALUE, level, duration=transition)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off, optionally over a transition."""
        await self._set_value(SwitchValue.TARGET_VALUE, 0, duration=kwargs.get(ATTR_TRANSITION))
