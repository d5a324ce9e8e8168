"""Shared by the device triggers, conditions and actions: the node behind a device."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from .compat import device_config_entry_ids
from .const import DOMAIN
from .devices import device_identifier
from .zwave import Node, NodeStatus
from .zwave.describe import cc_label

if TYPE_CHECKING:
    from .coordinator import ZWaveCoordinator

CONF_SUBTYPE = "subtype"
ATTR_COMMAND_CLASS = "command_class"
ATTR_PROPERTY = "property"
ATTR_PROPERTY_KEY = "property_key"
ATTR_ENDPOINT = "endpoint"
ATTR_VALUE = "value"
ATTR_STATUS = "status"
NODE_STATUSES = [status.value for status in NodeStatus]


@callback
def async_node_of_device(hass: HomeAssistant, device_id: str) -> tuple[ZWaveCoordinator, Node] | None:
    """The coordinator and node of a device of a loaded network, or None (not one of ours,
    the stick's own device, or a node no longer in the network)."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    for entry_id in device_config_entry_ids(device):
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
            continue
        coordinator: ZWaveCoordinator = entry.runtime_data.coordinator
        for node_id, node in coordinator.driver.nodes.items():
            if node_id == coordinator.driver.controller.own_node_id:
                continue
            if device_identifier(coordinator.home_id, node_id) in device.identifiers:
                return coordinator, node
    return None


@callback
def async_status_entity_id(hass: HomeAssistant, coordinator: ZWaveCoordinator, node_id: int) -> str | None:
    """Entity id of the node's status sensor (``node_sensor.py``), None if not registered."""
    unique_id = f"{coordinator.home_id:08x}.{node_id}.node.status"
    return er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)


def parse_property_key(raw: object) -> int | str | None:
    """A property key as typed in the editor: "" -> None, digits -> int."""
    if raw in (None, ""):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw)
    return int(text) if text.lstrip("-").isdigit() else text


def values_equal(current: object, wanted: object) -> bool:
    """A value compared with what the user typed (numbers as numbers, anything else as text)."""
    if isinstance(current, bool) or isinstance(wanted, bool):
        return str(current).lower() == str(wanted).lower()
    try:
        return float(current) == float(wanted)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(current) == str(wanted)


def cc_choices(node: Node | None) -> dict[int, str]:
    """The command classes of a node (all endpoints) for a selector: id -> name, by name."""
    if node is None:
        return {}
    ccs = {cc: cc_label(cc) or f"0x{cc:02X}" for ep in node.endpoints for cc in node.command_classes(ep)}
    return dict(sorted(ccs.items(), key=lambda item: item[1]))
