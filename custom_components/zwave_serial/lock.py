"""Locks: Door Lock CC (user code services: ``services_lock.py``)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import LockEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import CommandClass, DoorLockValue, DriverEvent, SupervisionStatusEvent, ValueId

PARALLEL_UPDATES = 0

MODE_SECURED = 0xFF
MODE_UNSECURED = 0x00
MODE_UNKNOWN = 0xFE
# Notification CC, Access Control, "lock state" variable: 11 = lock jammed
NOTIFICATION_LOCK_JAMMED = 11

async def async_setup_entry(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Set up locks discovered on the network."""
    async_listen_for_entities(entry.runtime_data.coordinator, Platform.LOCK, async_add_entities, ZWaveLock)


class ZWaveLock(ZWaveEntity, LockEntity):
    """A Door Lock."""

    _target: int | None = None
    _requested: int | None = None

    def _watches(self, value_id: ValueId) -> bool:
        if value_id.cc == CommandClass.DOOR_LOCK:
            return value_id.property == DoorLockValue.CURRENT_MODE
        return (
            value_id.cc == CommandClass.NOTIFICATION
            and value_id.property == "access_control"
            and value_id.property_key == "lock_state"
        )

    def _update_from_values(self) -> None:
        mode = self.value()
        if mode is None or mode == MODE_UNKNOWN:
            self._attr_is_locked = None
        else:
            self._attr_is_locked = mode == MODE_SECURED
            if self._target is not None and self._reached(self._target):
                self._set_moving(None)
        lock_state = self.value("access_control", "lock_state", cc=CommandClass.NOTIFICATION)
        self._attr_is_jammed = lock_state == NOTIFICATION_LOCK_JAMMED

    def _set_moving(self, target: int | None) -> None:
        self._target = target
        self._attr_is_locking = target == MODE_SECURED
        self._attr_is_unlocking = target is not None and target != MODE_SECURED

    def _handle_other_event(self, event: DriverEvent) -> bool:
        if not (
            isinstance(event, SupervisionStatusEvent)
            and event.cc == CommandClass.DOOR_LOCK
            and event.endpoint == self.value_id.endpoint
        ):
            return False
        status = event.status.lower()
        if status == "working":
            self._set_moving(self._requested)
        elif status != "success" or self._target is None or self._reached(self._target):
            self._set_moving(None)
        # on success the bolt's report follows: stay locking/unlocking until it arrives
        return True

    def _reached(self, target: int) -> bool:
        mode = self.value()
        return mode is not None and (mode == MODE_SECURED) == (target == MODE_SECURED)

    async def _async_move(self, target: int) -> None:
        self._requested = target
        result = await self._set_value(DoorLockValue.TARGET_MODE, target)
        if result.status == "working":
            self._set_moving(target)
            self.async_write_ha_state()

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the door."""
        await self._async_move(MODE_SECURED)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the door."""
        await self._async_move(MODE_UNSECURED)
