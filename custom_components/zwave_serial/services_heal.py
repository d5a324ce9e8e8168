"""Heal services: ``heal_network`` (every network, returns the results when done),
``heal_node`` (the targeted devices) and ``stop_heal``."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN, SERVICE_HEAL_NETWORK, SERVICE_HEAL_NODE, SERVICE_STOP_HEAL
from .service_targets import TARGET_SCHEMA, target_nodes


def _coordinators(hass: HomeAssistant) -> list[Any]:
    """The coordinators of the loaded entries; ServiceValidationError when there are none."""
    found = [
        entry.runtime_data.coordinator
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    if not found:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_network")
    return found


async def _async_heal_network(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    networks: dict[str, Any] = {}
    for coordinator in _coordinators(hass):
        if not coordinator.connected:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
        results = await coordinator.async_heal_network()
        networks[f"{coordinator.home_id:08x}"] = {str(node_id): status for node_id, status in results.items()}
    return {"networks": networks}


async def _async_heal_node(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    nodes = target_nodes(hass, call)
    drivers = [c.driver for c in _coordinators(hass)]
    results: dict[str, Any] = {}
    for node in nodes:
        driver = next(d for d in drivers if d.nodes.get(node.node_id) is node)
        if not driver.connected:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
        status = await driver.heal_node(node.node_id)
        results[str(node.node_id)] = {"status": status, "reason": driver.heal.reasons.get(node.node_id)}
    return {"nodes": results}


async def _async_stop_heal(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    stopped = {f"{c.home_id:08x}": c.driver.stop_heal() for c in _coordinators(hass)}
    return {"stopped": stopped}


@callback
def async_setup_heal_services(hass: HomeAssistant) -> None:
    """Register the heal services (once, in async_setup)."""

    async def heal_network(call: ServiceCall) -> ServiceResponse:
        return await _async_heal_network(hass, call)

    async def heal_node(call: ServiceCall) -> ServiceResponse:
        return await _async_heal_node(hass, call)

    async def stop_heal(call: ServiceCall) -> ServiceResponse:
        return await _async_stop_heal(hass, call)

    optional = SupportsResponse.OPTIONAL
    hass.services.async_register(
        DOMAIN, SERVICE_HEAL_NETWORK, heal_network, schema=vol.Schema({}), supports_response=optional
    )
    hass.services.async_register(
        DOMAIN, SERVICE_HEAL_NODE, heal_node, schema=TARGET_SCHEMA, supports_response=optional
    )
    hass.services.async_register(
        DOMAIN, SERVICE_STOP_HEAL, stop_heal, schema=vol.Schema({}), supports_response=optional
    )
