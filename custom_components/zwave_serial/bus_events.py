"""Events the integration fires on the Home Assistant bus for scenes and for nodes joining or
leaving (the notification event is fired by the coordinator).

``zwave_serial_central_scene``: ``home_id``, ``device_id``, ``node_id``, ``endpoint``, ``scene``,
``key_attribute`` (``pressed``, ``pressed_2x`` ... ``pressed_5x``, ``held``, ``released``),
``key_attribute_id``.  Key Held Down refreshes of a key already held are not fired again.

``zwave_serial_scene_activation``: ``home_id``, ``device_id``, ``node_id``, ``endpoint``,
``scene_id``, ``dimming_duration`` (s or None).

``zwave_serial_node_added`` / ``zwave_serial_node_removed``: ``home_id``, ``device_id`` (None
for a node that has no device yet), ``node_id``; added: only for a node just included, with its
``security_class`` (a name, or None).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .const import (
    EVENT_CENTRAL_SCENE,
    EVENT_NODE_ADDED,
    EVENT_NODE_REMOVED,
    EVENT_SCENE_ACTIVATION,
    signal_node,
)
from .zwave import (
    CentralSceneEvent,
    CommandClass,
    DriverEvent,
    NodeAddedEvent,
    NodeRemovedEvent,
    SceneActivationEvent,
)

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator

#: Driver events this module turns into bus events (and node signals for event entities).
SCENE_EVENTS = (CentralSceneEvent, SceneActivationEvent)
#: CCs whose values live on the root device even when end points list them too (Central Scene
#: notifications come from the root device, as Z-Wave JS has it).
ROOT_ONLY_CCS = frozenset({CommandClass.CENTRAL_SCENE})


def _base(coordinator: ZWaveCoordinator, node_id: int) -> dict[str, Any]:
    device = coordinator.device_for_node(node_id)
    return {"home_id": f"{coordinator.home_id:08x}", "device_id": device.id if device else None, "node_id": node_id}


@callback
def async_fire_scene_event(coordinator: ZWaveCoordinator, event: DriverEvent) -> None:
    """A scene event: to the node's event entities, and on the bus (not held-key refreshes)."""
    node_id = event.node_id  # type: ignore[attr-defined]
    async_dispatcher_send(coordinator.hass, signal_node(coordinator.entry_id, node_id), event)
    if isinstance(event, CentralSceneEvent):
        if event.repeat:
            return
        data = {
            **_base(coordinator, node_id),
            "endpoint": event.endpoint,
            "scene": event.scene,
            "key_attribute": event.label,
            "key_attribute_id": event.key_attribute,
        }
        coordinator.hass.bus.async_fire(EVENT_CENTRAL_SCENE, data)
    elif isinstance(event, SceneActivationEvent):
        data = {
            **_base(coordinator, node_id),
            "endpoint": event.endpoint,
            "scene_id": event.scene_id,
            "dimming_duration": event.dimming_duration,
        }
        coordinator.hass.bus.async_fire(EVENT_SCENE_ACTIVATION, data)


@callback
def async_fire_node_event(coordinator: ZWaveCoordinator, event: NodeAddedEvent | NodeRemovedEvent) -> None:
    """A node joined (was just included, not found at start-up) or left the network (fired
    before its device is removed); an added node's event carries its security class."""
    if isinstance(event, NodeAddedEvent):
        if not event.included:
            return
        security = event.security_class
        data = {**_base(coordinator, event.node_id), "security_class": getattr(security, "name", None)}
        coordinator.hass.bus.async_fire(EVENT_NODE_ADDED, data)
        return
    coordinator.hass.bus.async_fire(EVENT_NODE_REMOVED, _base(coordinator, event.node_id))
