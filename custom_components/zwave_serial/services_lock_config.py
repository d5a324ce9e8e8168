"""Lock configuration services: ``set_lock_configuration`` and ``get_lock_configuration``
(driver: ``zwave/lock_config.py``).

Both take a ``target`` (lock entities, or devices, areas...) and answer, per node, the
configuration read back from the lock and its capabilities.  Settings the lock does not offer
(its Door Lock Capabilities) or invalid combinations raise ``ServiceValidationError`` before
anything is sent.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .service_targets import HAS_TARGET, TARGET_FIELDS, target_nodes
from .zwave import CommandClass, Node, ZWaveError
from .zwave.lock_config import (
    MAX_TIMEOUT,
    MAX_U16,
    OPERATION_TYPES,
    InvalidLockSetting,
    LockConfig,
    UnsupportedLockSetting,
)

SERVICE_SET_LOCK_CONFIGURATION = "set_lock_configuration"
SERVICE_GET_LOCK_CONFIGURATION = "get_lock_configuration"
SETTINGS = (
    "operation_type",
    "lock_timeout",
    "outside_handles",
    "inside_handles",
    "auto_relock_time",
    "hold_and_release_time",
    "twist_assist",
    "block_to_block",
)
HANDLES = vol.All(cv.ensure_list, [vol.All(vol.Coerce(int), vol.Range(min=1, max=4))])
SECONDS = vol.All(vol.Coerce(int), vol.Range(min=0, max=MAX_U16))

SET_SCHEMA = vol.All(
    vol.Schema(
        {
            **TARGET_FIELDS,
            vol.Optional("operation_type"): vol.In(list(OPERATION_TYPES)),
            vol.Optional("lock_timeout"): vol.All(vol.Coerce(int), vol.Range(min=1, max=MAX_TIMEOUT)),
            vol.Optional("outside_handles"): HANDLES,
            vol.Optional("inside_handles"): HANDLES,
            vol.Optional("auto_relock_time"): SECONDS,
            vol.Optional("hold_and_release_time"): SECONDS,
            vol.Optional("twist_assist"): cv.boolean,
            vol.Optional("block_to_block"): cv.boolean,
        }
    ),
    HAS_TARGET,
    cv.has_at_least_one_key(*SETTINGS),
)
GET_SCHEMA = vol.All(
    vol.Schema({**TARGET_FIELDS, vol.Optional("refresh", default=True): cv.boolean}), HAS_TARGET
)


def _lock_config(hass: HomeAssistant, node: Node) -> LockConfig:
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            driver = entry.runtime_data.coordinator.driver
            if driver.nodes.get(node.node_id) is node:
                return LockConfig(driver, node.node_id)
    raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")


def _locks(hass: HomeAssistant, call: ServiceCall) -> list[Node]:
    nodes = [node for node in target_nodes(hass, call) if node.supports(CommandClass.DOOR_LOCK)]
    if not nodes:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_door_lock")
    return nodes


async def _run(hass: HomeAssistant, call: ServiceCall, changes: dict[str, Any] | None) -> ServiceResponse:
    results: dict[str, Any] = {}
    for node in _locks(hass, call):
        config = _lock_config(hass, node)
        try:
            if changes is None:
                current = (
                    await config.read()
                    if call.data.get("refresh", True)
                    else config.cached() or await config.read()
                )
            else:
                current = await config.set(**changes)
            caps = await config.capabilities()
        except UnsupportedLockSetting as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unsupported_lock_setting",
                translation_placeholders={
                    "node_id": str(node.node_id),
                    "setting": err.setting,
                    "error": str(err),
                },
            ) from None
        except InvalidLockSetting as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_lock_setting",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from None
        except ZWaveError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="lock_configuration_failed",
                translation_placeholders={"node_id": str(node.node_id), "error": str(err)},
            ) from None
        results[str(node.node_id)] = {"configuration": current.as_dict(), "capabilities": caps.as_dict()}
    return {"nodes": results}


@callback
def async_setup_lock_config_services(hass: HomeAssistant) -> None:
    """Register the lock configuration services (from ``services.async_setup_services``)."""

    async def set_config(call: ServiceCall) -> ServiceResponse:
        return await _run(hass, call, {k: call.data[k] for k in SETTINGS if k in call.data})

    async def get_config(call: ServiceCall) -> ServiceResponse:
        return await _run(hass, call, None)

    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_LOCK_CONFIGURATION,
        set_config,
        schema=SET_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_LOCK_CONFIGURATION,
        get_config,
        schema=GET_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
