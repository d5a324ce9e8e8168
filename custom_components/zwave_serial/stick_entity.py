"""Entities of the stick's own device (counters, heal, backups): the shared base."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity

from .const import signal_connection
from .devices import controller_device_info

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator


class StickEntity(Entity):
    """An entity of the stick's device, unique ID ``<home id>.controller.<key>``, available while
    the stick is connected, its state written again on each of :attr:`_signals`."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    #: Dispatcher signals (functions of the config entry ID) after which the state is written.
    _signals: tuple[Callable[[str], str], ...] = (signal_connection,)

    def __init__(self, coordinator: ZWaveCoordinator, key: str) -> None:
        self.coordinator = coordinator
        self._attr_unique_id = f"{coordinator.home_id:08x}.controller.{key}"
        self._attr_device_info = controller_device_info(coordinator.driver.controller)

    @property
    def available(self) -> bool:
        """Available while the stick is connected."""
        return self.coordinator.connected

    async def async_added_to_hass(self) -> None:
        """Follow the signals."""
        for signal in self._signals:
            self.async_on_remove(async_dispatcher_connect(self.hass, signal(self.coordinator.entry_id), self._refresh))

    @callback
    def async_entity_id_changed(self, old_entity_id: str) -> None:
        """Opt in to entity_id changes in place (see ZWaveEntity.async_entity_id_changed)."""
        if (parent := getattr(super(), "async_entity_id_changed", None)) is not None:
            parent(old_entity_id)

    @callback
    def _refresh(self, *_args: object) -> None:
        self.async_write_ha_state()
