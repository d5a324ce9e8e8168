"""Domain services: refresh a node's values, ping a node (heal: services_heal.py)."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN, SERVICE_PING, SERVICE_REFRESH_VALUES
from .service_targets import TARGET_SCHEMA, target_nodes
from .services_config import async_setup_config_services
from .services_heal import async_setup_heal_services
from .services_lock import async_setup_lock_services
from .services_lock_config import async_setup_lock_config_services
from .services_lock_schedule import async_setup_lock_schedule_services
from .services_network import async_setup_network_services
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


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the domain services (once, in async_setup)."""

    async def refresh_values(call: ServiceCall) -> None:
        await _async_refresh_values(hass, call)

    async def ping(call: ServiceCall) -> ServiceResponse:
        return await _async_ping(hass, call)

    hass.services.async_register(DOMAIN, SERVICE_REFRESH_VALUES, refresh_values, schema=TARGET_SCHEMA)
    hass.services.async_register(
        DOMAIN, SERVICE_PING, ping, schema=TARGET_SCHEMA, supports_response=SupportsResponse.OPTIONAL
    )
    async_setup_nvm_services(hass)
    async_setup_config_services(hass)
    async_setup_lock_services(hass)
    async_setup_network_services(hass)
    async_setup_lock_schedule_services(hass)
    async_setup_heal_services(hass)
    async_setup_lock_config_services(hass)  # services_lock_config.py
