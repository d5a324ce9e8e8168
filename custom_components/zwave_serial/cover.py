"""Covers: the Multilevel Switch of a motor control device (shades, blinds).

Position: Z-Wave level 0 (closed) .. 99 (open) shown as 0..100 %.  Open and close move to 99
and 0, stop sends Stop Level Change (and reads the position back).  While the device reports a
target different from its position (Multilevel Switch v4), the cover is opening or closing.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.cover import ATTR_POSITION, CoverEntity, CoverEntityFeature
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import CommandClass, SwitchValue, ValueId, ZWaveError
from .zwave.cc.switch_multilevel import SwitchMultilevelStopLevelChange

PARALLEL_UPDATES = 0

LEVEL_OPEN = 99


def level_to_percent(level: int) -> int:
    """Z-Wave position 0..99 -> HA 0..100 %."""
    return round(max(0, min(level, LEVEL_OPEN)) * 100 / LEVEL_OPEN)


def percent_to_level(percent: int) -> int:
    """HA 0..100 % -> Z-Wave 0..99 (never 0 for a non-zero position)."""
    if percent <= 0:
        return 0
    return max(1, min(LEVEL_OPEN, round(percent * LEVEL_OPEN / 100)))


async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up covers discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.COVER, async_add_entities, ZWaveCover)


class ZWaveCover(ZWaveEntity, CoverEntity):
    """A motor control Multilevel Switch."""

    _attr_supported_features = (
        CoverEntityFeature.OPEN | CoverEntityFeature.CLOSE | CoverEntityFeature.STOP | CoverEntityFeature.SET_POSITION
    )

    def _watches(self, value_id: ValueId) -> bool:
        return value_id.cc == self.value_id.cc and value_id.property in (
            SwitchValue.CURRENT_VALUE,
            SwitchValue.TARGET_VALUE,
            SwitchValue.DURATION,
        )

    def _update_from_values(self) -> None:
        level = self.value()
        if level is None:
            self._attr_current_cover_position = None
            self._attr_is_closed = None
            self._attr_is_opening = self._attr_is_closing = False
            return
        self._attr_current_cover_position = level_to_percent(level)
        self._attr_is_closed = level == 0
        target = self.value(SwitchValue.TARGET_VALUE)
        duration = self.value(SwitchValue.DURATION)
        moving = isinstance(target, int) and target != level and bool(duration)
        self._attr_is_opening = moving and target > level
        self._attr_is_closing = moving and target < level

    async def async_open_cover(self, **kwargs: Any) -> None:
        """Open fully."""
        await self._set_value(SwitchValue.TARGET_VALUE, LEVEL_OPEN)

    async def async_close_cover(self, **kwargs: Any) -> None:
        """Close fully."""
        await self._set_value(SwitchValue.TARGET_VALUE, 0)

    async def async_set_cover_position(self, **kwargs: Any) -> None:
        """Move to a position (0..100 %)."""
        await self._set_value(SwitchValue.TARGET_VALUE, percent_to_level(int(kwargs[ATTR_POSITION])))

    async def async_stop_cover(self, **kwargs: Any) -> None:
        """Stop moving, then read where it stopped."""
        node = self.node
        if node is None:
            return
        try:
            await node.send_command(SwitchMultilevelStopLevelChange(), endpoint=self.value_id.endpoint)
            await node.refresh_values(CommandClass.SWITCH_MULTILEVEL, self.value_id.endpoint)
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="set_value_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err
