"""Domain services: refresh a node's values, ping a node, heal the network."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from .compat import device_config_entry_ids
from .const import DOMAIN, SERVICE_HEAL_NETWORK, SERVICE_PING, SERVICE_REFRESH_VALUES
from .devices import device_identifier
from .services_config import async_setup_config_services
from .services_lock import async_setup_lock_services
from .services_nvm import async_setup_nvm_services
from .zwave import Node, ZWaveError

# Explicit device/entity fields (stable across HA versions, unlike target extraction helpers)
TARGET_SCHEMA = vol.All(
    vol.Schema(
        {
            vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
            vol.Optional(ATTR_ENTITY_ID): cv.entity_ids,
        }
    ),
    cv.has_at_least_one_key(ATTR_DEVICE_ID, ATTR_ENTITY_ID),
)


def _nodes_of_call(hass: HomeAssistant, call: ServiceCall) -> list[Node]:
    """The nodes behind the entities/devices a service call targets."""
    ent_reg = er.async_get(hass)
    dev_reg = dr.async_get(hass)
    device_ids = set(call.data.get(ATTR_DEVICE_ID, []))
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        entry = ent_reg.async_get(entity_id)
        if entry is not None and entry.platform == DOMAIN and entry.device_id:
            device_ids.add(entry.device_id)
    nodes: dict[tuple[str, int], Node] = {}
    for device_id in device_ids:
        device = dev_reg.async_get(device_id)
        if device is None:
            continue
        for config_entry_id in device_config_entry_ids(device):
            config_entry = hass.config_entries.async_get_entry(config_entry_id)
            if (
                config_entry is None
                or config_entry.domain != DOMAIN
                or config_entry.state is not ConfigEntryState.LOADED
            ):
                continue
            coordinator = config_entry.runtime_data.coordinator
            for node_id, node in coordinator.driver.nodes.items():
                if device_identifier(coordinator.home_id, node_id) in device.identifiers:
                    nodes[(config_entry_id, node_id)] = node
    if not nodes:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_nodes_targeted")
    return list(nodes.values())


async def _async_refresh_values(hass: HomeAssistant, call: ServiceCall) -> None:
    for node in _nodes_of_call(hass, call):
        try:
            await node.refresh_values()
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="refresh_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from err


async def _async_ping(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    results: dict[str, Any] = {}
    for node in _nodes_of_call(hass, call):
        try:
            results[str(node.node_id)] = bool(await node.ping())
        except ZWaveError:
            results[str(node.node_id)] = False
    return {"nodes": results}


async def _async_heal_network(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    networks: dict[str, Any] = {}
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is not ConfigEntryState.LOADED:
            continue
        coordinator = entry.runtime_data.coordinator
        if not coordinator.connected:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
        results = await coordinator.async_heal_network()
        networks[f"{coordinator.home_id:08x}"] = {str(node_id): status for node_id, status in results.items()}
    if not networks:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_network")
    return {"networks": networks}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the domain services (once, in async_setup)."""

    async def refresh_values(call: ServiceCall) -> None:
        await _async_refresh_values(hass, call)

    async def ping(call: ServiceCall) -> ServiceResponse:
        return await _async_ping(hass, call)

    async def heal_network(call: ServiceCall) -> ServiceResponse:
        return await _async_heal_network(hass, call)

    hass.services.async_register(DOMAIN, SERVICE_REFRESH_VALUES, refresh_values, schema=TARGET_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_HEAL_NETWORK, heal_network, schema=vol.Schema({}), supports_response=SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_PING, ping, schema=TARGET_SCHEMA, supports_response=SupportsResponse.OPTIONAL
    )
    async_setup_nvm_services(hass)
    async_setup_config_services(hass)
    async_setup_lock_services(hass)
