"""The network heal in Home Assistant: driver heal events -> bus events and the heal sensor.

``zwave_serial_heal_progress`` (after every node, and once at the start): ``home_id``,
``node_id`` / ``device_id`` / ``status`` / ``reason`` of the node just finished (None at the
start), ``running``, the counts ``done``, ``failed``, ``queued``, ``pending``, ``skipped`` and
``nodes`` (node id -> status).

``zwave_serial_heal_done`` (the network heal ended): ``home_id``, ``cancelled`` (stopped with
``stop_heal``), ``seconds``, the counts, and ``nodes`` (node id -> status; sleeping devices stay
``queued`` until they wake up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .const import DOMAIN, EVENT_HEAL_DONE, EVENT_HEAL_PROGRESS
from .zwave import HealDoneEvent, HealProgressEvent

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator

HEAL_EVENTS = (HealProgressEvent, HealDoneEvent)
STATUSES = ("done", "failed", "queued", "pending", "skipped")


def signal_heal(entry_id: str) -> str:
    """Dispatcher signal: the heal of the entry's network moved on."""
    return f"{DOMAIN}_{entry_id}_heal"


def heal_counts(nodes: dict[int, str]) -> dict[str, int]:
    """How many nodes have each status."""
    return {status: sum(1 for s in nodes.values() if s == status) for status in STATUSES}


@callback
def async_handle_heal_event(coordinator: ZWaveCoordinator, event: HealProgressEvent | HealDoneEvent) -> None:
    """Fire the bus event and tell the heal sensor."""
    home_id = f"{coordinator.home_id:08x}"
    if isinstance(event, HealProgressEvent):
        nodes = event.progress
        device = coordinator.device_for_node(event.node_id) if event.node_id is not None else None
        data: dict[str, Any] = {
            "home_id": home_id,
            "node_id": event.node_id,
            "device_id": device.id if device else None,
            "status": event.status,
            "reason": event.reason,
            "running": coordinator.driver.heal.running,
        }
        name = EVENT_HEAL_PROGRESS
    else:
        nodes = event.results
        data = {"home_id": home_id, "cancelled": event.cancelled, "seconds": event.seconds}
        name = EVENT_HEAL_DONE
    data.update(heal_counts(nodes))
    data["nodes"] = {str(node_id): status for node_id, status in nodes.items()}
    coordinator.hass.bus.async_fire(name, data)
    async_dispatcher_send(coordinator.hass, signal_heal(coordinator.entry_id))
