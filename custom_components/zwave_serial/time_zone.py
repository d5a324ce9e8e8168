"""The hub's time zone for the driver's time duties (``zwave/timekeeping.py``): Home
Assistant's configured zone, followed when the user changes it (device clocks are set again)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Event, callback

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator


@callback
def async_track_hub_time_zone(coordinator: ZWaveCoordinator) -> CALLBACK_TYPE:
    """Give the driver Home Assistant's time zone now and after each change."""
    hass, driver = coordinator.hass, coordinator.driver
    driver.options.time_zone = hass.config.time_zone

    @callback
    def _changed(_event: Event) -> None:
        if hass.config.time_zone != driver.options.time_zone:
            driver.options.time_zone = hass.config.time_zone
            driver.timekeeper.time_zone_changed()

    return hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, _changed)
