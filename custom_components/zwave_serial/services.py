"""Domain services: refresh a node's values, ping a node, heal the network."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN, SERVICE_HEAL_NETWORK, SERVICE_PING, SERVICE_REFRESH_VALUES
from .service_targets import TARGET_SCHEMA, target_nodes
from .services_config import async_setup_config_services
from .services_lock import async_setup_lock_services
from .services_nvm import async_setup_nvm_services
from .zwave import ZWaveError


# Explicit device/entity fields (stable across HA versions, unlike target extraction helpers)
async def _async_refresh_values(hass: HomeAssistant, call: ServiceCall) -> None:
    for node in target_nodes(hass, call):
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
    for node in target_nodes(hass, call):
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
