"""Lock events: ``zwave_serial_lock_event`` on the bus, and the lock entities' view of them.

A lock's notification (Access Control / Home Security) becomes a
:class:`~.zwave.lock_activity.LockActivity` (``keypad_unlock`` by user 3...), fired as::

    {"home_id": "c0ffee01", "device_id": "...", "entity_id": "lock.front_door" | None,
     "node_id": 7, "event": "keypad_unlock", "user_slot": 3 | None, "user_name": "Alice" | None}

and sent to the node's entities (the lock's ``changed_by``, the lock event entity).
Never a code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .const import DOMAIN, EVENT_LOCK, signal_node
from .zwave import CommandClass, DoorLockValue, NotificationEvent
from .zwave.lock_activity import LockActivity, lock_activity

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator


@callback
def async_lock_entity_id(coordinator: ZWaveCoordinator, node_id: int, endpoint: int = 0) -> str | None:
    """The entity id of a node's lock entity (Door Lock ``current_mode``), None if not registered."""
    reg = er.async_get(coordinator.hass)
    home = f"{coordinator.home_id:08x}"
    for ep in dict.fromkeys((endpoint, 0)):
        unique_id = f"{home}.{node_id}.{ep}.{int(CommandClass.DOOR_LOCK)}.{DoorLockValue.CURRENT_MODE}"
        if entity_id := reg.async_get_entity_id(Platform.LOCK, DOMAIN, unique_id):
            return entity_id
    return None


def lock_event_data(coordinator: ZWaveCoordinator, activity: LockActivity) -> dict[str, Any]:
    """The bus event's data (the contract in the module docstring)."""
    device = coordinator.device_for_node(activity.node_id)
    return {
        "home_id": f"{coordinator.home_id:08x}",
        "device_id": device.id if device else None,
        "entity_id": async_lock_entity_id(coordinator, activity.node_id, activity.endpoint),
        "node_id": activity.node_id,
        "event": activity.event,
        "user_slot": activity.user_slot,
        "user_name": activity.user_name,
    }


@callback
def async_handle_lock_notification(coordinator: ZWaveCoordinator, event: NotificationEvent) -> None:
    """A notification of a lock: fire the lock event and tell the node's entities."""
    node = coordinator.node(event.node_id)
    activity = lock_activity(node, event) if node is not None else None
    if activity is None:
        return
    coordinator.hass.bus.async_fire(EVENT_LOCK, lock_event_data(coordinator, activity))
    async_dispatcher_send(coordinator.hass, signal_node(coordinator.entry_id, event.node_id), activity)
