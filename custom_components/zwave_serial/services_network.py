"""Failed-node and re-interview services: ``is_failed_node``, ``remove_failed_node``,
``replace_failed_node`` and ``reinterview_node`` (each with a ``target``)."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .service_targets import HAS_TARGET, TARGET_FIELDS, TARGET_SCHEMA, target_nodes
from .zwave import (
    InclusionStrategy,
    Node,
    NodeNotFailed,
    ProvisioningEntry,
    SecurityClass,
    ZWaveError,
)

SERVICE_IS_FAILED_NODE = "is_failed_node"
SERVICE_REMOVE_FAILED_NODE = "remove_failed_node"
SERVICE_REPLACE_FAILED_NODE = "replace_failed_node"
SERVICE_REINTERVIEW_NODE = "reinterview_node"
ATTR_SECURITY = "security"
ATTR_DSK = "dsk"

#: The security of the replacement device (service field / options-flow choice).
SECURITY_STRATEGIES: dict[str, InclusionStrategy] = {
    "s2": InclusionStrategy.S2,
    "s0": InclusionStrategy.S0,
    "none": InclusionStrategy.INSECURE,
}
S2_CLASSES = (
    SecurityClass.S2_AccessControl,
    SecurityClass.S2_Authenticated,
    SecurityClass.S2_Unauthenticated,
)

REPLACE_SCHEMA = vol.All(
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional(ATTR_SECURITY, default="none"): vol.In(list(SECURITY_STRATEGIES)),
            vol.Optional(ATTR_DSK): cv.string,
        }
    ),
    HAS_TARGET,
)


def _driver_of(hass: HomeAssistant, node: Node) -> Any:
    """The driver that owns ``node`` (the node objects are per network)."""
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        driver = entry.runtime_data.coordinator.driver
        if driver.nodes.get(node.node_id) is node:
            return driver
    raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_nodes_targeted")


def _error(key: str, node: Node, err: Exception) -> HomeAssistantError:
    if isinstance(err, NodeNotFailed):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="node_not_failed",
            translation_placeholders={"node_id": str(node.node_id)},
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
    )


async def _async_is_failed(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    results: dict[str, Any] = {}
    for node in target_nodes(hass, call):
        try:
            results[str(node.node_id)] = await _driver_of(hass, node).failed_nodes.is_failed(node.node_id)
        except ZWaveError as err:
            raise _error("failed_node_failed", node, err) from err
    return {"nodes": results}


async def async_remove_failed_node(hass: HomeAssistant, node: Node) -> None:
    """Remove a node that no longer answers (its device goes with it); translated errors."""
    try:
        await _driver_of(hass, node).failed_nodes.remove_failed(node.node_id)
    except ZWaveError as err:
        raise _error("failed_node_failed", node, err) from err


async def _async_remove_failed(hass: HomeAssistant, call: ServiceCall) -> None:
    for node in target_nodes(hass, call):
        await async_remove_failed_node(hass, node)


async def _async_replace_failed(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    nodes = target_nodes(hass, call)
    if len(nodes) != 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="one_node_only")
    node = nodes[0]
    strategy = SECURITY_STRATEGIES[call.data[ATTR_SECURITY]]
    provisioning = None
    if strategy is InclusionStrategy.S2:
        # No PIN dialog in a service call: S2 needs the device's DSK (its label or QR code);
        # the replace step of the integration's options asks for grant and PIN instead.
        try:
            provisioning = ProvisioningEntry(
                dsk=str(call.data.get(ATTR_DSK, "")).strip(), security_classes=S2_CLASSES
            )
        except (ValueError, ZWaveError) as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="replace_needs_dsk"
            ) from err
    driver = _driver_of(hass, node)
    try:
        result = await driver.failed_nodes.replace_failed(node.node_id, strategy, provisioning=provisioning)
    except ZWaveError as err:
        raise _error("failed_node_failed", node, err) from err
    return {
        "node_id": result.node_id,
        "security_class": result.security_class.name,
        "failure": None if result.failure is None else str(result.failure),
    }


async def _async_reinterview(hass: HomeAssistant, call: ServiceCall) -> None:
    for node in target_nodes(hass, call):
        try:
            _driver_of(hass, node).reinterview_node(node.node_id)
        except ZWaveError as err:
            raise _error("reinterview_failed", node, err) from err


@callback
def async_setup_network_services(hass: HomeAssistant) -> None:
    """Register the failed-node and re-interview services."""

    async def is_failed(call: ServiceCall) -> ServiceResponse:
        return await _async_is_failed(hass, call)

    async def remove_failed(call: ServiceCall) -> None:
        await _async_remove_failed(hass, call)

    async def replace_failed(call: ServiceCall) -> ServiceResponse:
        return await _async_replace_failed(hass, call)

    async def reinterview(call: ServiceCall) -> None:
        await _async_reinterview(hass, call)

    hass.services.async_register(
        DOMAIN,
        SERVICE_IS_FAILED_NODE,
        is_failed,
        schema=TARGET_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(DOMAIN, SERVICE_REMOVE_FAILED_NODE, remove_failed, schema=TARGET_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        SERVICE_REPLACE_FAILED_NODE,
        replace_failed,
        schema=REPLACE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(DOMAIN, SERVICE_REINTERVIEW_NODE, reinterview, schema=TARGET_SCHEMA)
