"""Service targets: the nodes behind the entities, devices, areas, floors or labels a call
targets (every per-device service of the integration takes a ``target``)."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_AREA_ID, ATTR_DEVICE_ID, ATTR_ENTITY_ID, ATTR_FLOOR_ID, ATTR_LABEL_ID
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from .compat import device_config_entry_ids
from .const import DOMAIN
from .devices import device_identifier
from .zwave import Node

TARGET_FIELDS: dict[Any, Any] = {
    vol.Optional(ATTR_ENTITY_ID): cv.entity_ids,
    vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_AREA_ID): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_FLOOR_ID): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_LABEL_ID): vol.All(cv.ensure_list, [cv.string]),
}
HAS_TARGET = cv.has_at_least_one_key(ATTR_ENTITY_ID, ATTR_DEVICE_ID, ATTR_AREA_ID, ATTR_FLOOR_ID, ATTR_LABEL_ID)
TARGET_SCHEMA = vol.All(vol.Schema(TARGET_FIELDS), HAS_TARGET)


def target_nodes(hass: HomeAssistant, call: ServiceCall) -> list[Node]:
    """The nodes of the Z-Wave devices a call targets (through entities, devices, areas,
    floors or labels); ServiceValidationError when there are none."""
    ent_reg, dev_reg, area_reg = er.async_get(hass), dr.async_get(hass), ar.async_get(hass)
    device_ids = set(call.data.get(ATTR_DEVICE_ID, []))
    entity_ids = set(call.data.get(ATTR_ENTITY_ID, []))
    areas = set(call.data.get(ATTR_AREA_ID, []))
    for floor_id in call.data.get(ATTR_FLOOR_ID, []):
        areas.update(area.id for area in ar.async_entries_for_floor(area_reg, floor_id))
    for label_id in call.data.get(ATTR_LABEL_ID, []):
        device_ids.update(device.id for device in dr.async_entries_for_label(dev_reg, label_id))
        entity_ids.update(entry.entity_id for entry in er.async_entries_for_label(ent_reg, label_id))
        areas.update(area.id for area in ar.async_entries_for_label(area_reg, label_id))
    for area_id in areas:
        device_ids.update(device.id for device in dr.async_entries_for_area(dev_reg, area_id))
        entity_ids.update(entry.entity_id for entry in er.async_entries_for_area(ent_reg, area_id))
    for entity_id in entity_ids:
        entry = ent_reg.async_get(entity_id)
        if entry is not None and entry.platform == DOMAIN and entry.device_id:
            device_ids.add(entry.device_id)
    nodes: dict[tuple[str, int], Node] = {}
    for device_id in device_ids:
        device = dev_reg.async_get(device_id)
        if device is None:
            continue
        for entry_id in device_config_entry_ids(device):
            entry = hass.config_entries.async_get_entry(entry_id)
            if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
                continue
            coordinator = entry.runtime_data.coordinator
            for node_id, node in coordinator.driver.nodes.items():
                if device_identifier(coordinator.home_id, node_id) in device.identifiers:
                    nodes[(entry_id, node_id)] = node
    if not nodes:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_nodes_targeted")
    return [nodes[key] for key in sorted(nodes)]
