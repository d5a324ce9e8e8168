"""Locks: Door Lock CC (user code services: ``services_lock.py``; configuration:
``services_lock_config.py``).

Attributes people automate on: ``changed_by`` ("User 3 (Alice)", "Manual", "Remote",
"Auto-lock"), ``last_event`` (keypad_unlock, manual_lock, ...), ``user_slot``, ``user_name``
(never a code), from the lock's notifications (``lock_events.py``).  Jammed from the
notification (Access Control 0x0B, "not fully locked"), cleared when the lock reports a
normal state again (a lock operation event, an idle lock state, or a bolt report in another
position than when it jammed).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import LockEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .coordinator import ZWaveSerialConfigEntry
from .entity import ZWaveEntity, async_listen_for_entities
from .zwave import CommandClass, DoorLockValue, DriverEvent, SupervisionStatusEvent, ValueId
from .zwave.lock_activity import LOCK_EVENTS, OPERATIONS, LockActivity

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


class ZWaveLock(ZWaveEntity, LockEntity, RestoreEntity):
    """A Door Lock (its last event and ``changed_by`` survive a restart)."""

    _target: int | None = None
    _requested: int | None = None
    _jam_mode: int | None = None  # the bolt's mode when the lock said it jammed
    _jam_cleared = False
    _last: LockActivity | None = None

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
        if lock_state != NOTIFICATION_LOCK_JAMMED:
            self._jam_mode, self._jam_cleared = None, False
        elif self._jam_mode is None:
            self._jam_mode = mode
        elif mode in (MODE_SECURED, MODE_UNSECURED) and mode != self._jam_mode:
            self._jam_cleared = True  # the bolt moved since: the lock works again
        self._attr_is_jammed = lock_state == NOTIFICATION_LOCK_JAMMED and not self._jam_cleared

    async def async_added_to_hass(self) -> None:
        """Follow the node; restore who changed the lock last (the lock does not say again)."""
        await super().async_added_to_hass()
        last = await self.async_get_last_state()
        if last is None or self._last is not None or last.attributes.get("last_event") not in LOCK_EVENTS:
            return
        slot, name = last.attributes.get("user_slot"), last.attributes.get("user_name")
        vid = self.value_id
        self._last = LockActivity(
            vid.node_id, vid.endpoint, last.attributes["last_event"],
            slot if isinstance(slot, int) else None, name if isinstance(name, str) else None,
        )
        self._attr_changed_by = last.attributes.get("changed_by")

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The last lock event, its user slot and the slot's name (never a code)."""
        last = self._last
        return {
            "last_event": last.event if last else None,
            "user_slot": last.user_slot if last else None,
            "user_name": last.user_name if last else None,
        }

    def _on_lock_activity(self, activity: LockActivity) -> bool:
        if activity.endpoint != self.value_id.endpoint and self.value_id.endpoint:
            return False
        if activity.event == "jammed":
            self._jam_mode, self._jam_cleared = self.value(), False
        elif activity.event in OPERATIONS:
            self._jam_cleared = True  # a completed lock operation ends a jam
        self._last = activity
        if activity.event in OPERATIONS:
            self._attr_changed_by = activity.changed_by
        return True

    def _set_moving(self, target: int | None) -> None:
        self._target = target
        self._attr_is_locking = target == MODE_SECURED
        self._attr_is_unlocking = target is not None and target != MODE_SECURED

    def _handle_other_event(self, event: DriverEvent) -> bool:
        if isinstance(event, LockActivity):
            return self._on_lock_activity(event)
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
        # moved from here: an RF operation (the lock may not say so in a notification)
        vid = self.value_id
        self._last = LockActivity(vid.node_id, vid.endpoint, "rf_lock" if target == MODE_SECURED else "rf_unlock")
        self._attr_changed_by = self._last.changed_by
        if result.status == "working":
            self._set_moving(target)
        self.async_write_ha_state()

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the door."""
        await self._async_move(MODE_SECURED)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the door."""
        await self._async_move(MODE_UNSECURED)
