"""The stick-memory services: ``backup_nvm`` and ``restore_nvm``."""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from .const import DOMAIN
from .stick_backup import StickBackups, async_get
from .zwave import ZWaveError
from .zwave.nvm import NvmError, NvmRestoreFailed, NvmRestoreRefused

SERVICE_BACKUP_NVM = "backup_nvm"
SERVICE_RESTORE_NVM = "restore_nvm"
ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_FILE = "file"
ATTR_CONFIRM = "confirm"
ATTR_CONVERT = "convert"

BACKUP_SCHEMA = vol.Schema({vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})
RESTORE_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_FILE): cv.string,
        vol.Optional(ATTR_CONFIRM, default=False): cv.boolean,
        vol.Optional(ATTR_CONVERT, default=False): cv.boolean,
    }
)


def _summary(sidecar: dict[str, Any]) -> dict[str, Any]:
    return {
        k: sidecar.get(k)
        for k in ("format", "series", "size", "home_id", "own_node_id", "nodes", "protocol_version", "sha256", "created")
    }


def _backups_of_call(hass: HomeAssistant, call: ServiceCall) -> StickBackups:
    """The one network the call is about (its config entry, or the only one loaded)."""
    entry_id = call.data.get(ATTR_CONFIG_ENTRY_ID)
    if entry_id is not None:
        backups = async_get(hass, entry_id)
        if backups is None:
            raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_network")
        return backups
    loaded = [b for e in hass.config_entries.async_loaded_entries(DOMAIN) if (b := async_get(hass, e.entry_id))]
    if not loaded:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_network")
    if len(loaded) > 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="several_networks")
    return loaded[0]


async def _async_backup(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    backups = _backups_of_call(hass, call)
    if not backups.driver.connected:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
    try:
        saved = await backups.async_backup()
    except (ZWaveError, OSError) as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="backup_failed", translation_placeholders={"error": str(err)}
        ) from err
    return {"file": str(saved.path), "summary": _summary(saved.sidecar)}


async def _async_restore(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    backups = _backups_of_call(hass, call)
    try:
        path = backups.resolve(call.data[ATTR_FILE])
    except ValueError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="restore_file", translation_placeholders={"error": str(err)}
        ) from err
    if not backups.driver.connected:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="not_connected")
    try:
        result, pre_restore = await backups.async_restore(
            path, confirm=call.data[ATTR_CONFIRM], convert=call.data[ATTR_CONVERT]
        )
    except NvmRestoreRefused as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="restore_refused",
            translation_placeholders={"reason": err.reason, "error": str(err)},
        ) from err
    except NvmRestoreFailed as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="restore_rolled_back" if err.rolled_back else "restore_failed",
            translation_placeholders={"error": str(err)},
        ) from err
    except NvmError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="restore_file", translation_placeholders={"error": str(err)}
        ) from err
    except ZWaveError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="restore_failed", translation_placeholders={"error": str(err)}
        ) from err
    return {
        "file": str(path),
        "pre_restore_backup": str(pre_restore.path) if pre_restore else None,
        "home_id": f"{result.home_id:08x}",
        "nodes": result.node_ids,
        "report": result.report.as_dict(),
        "verified": True,
    }


@callback
def async_setup_nvm_services(hass: HomeAssistant) -> None:
    """Register ``backup_nvm`` and ``restore_nvm`` (from ``async_setup``)."""

    async def backup_nvm(call: ServiceCall) -> ServiceResponse:
        return await _async_backup(hass, call)

    async def restore_nvm(call: ServiceCall) -> ServiceResponse:
        return await _async_restore(hass, call)

    hass.services.async_register(
        DOMAIN, SERVICE_BACKUP_NVM, backup_nvm, schema=BACKUP_SCHEMA, supports_response=SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_RESTORE_NVM, restore_nvm, schema=RESTORE_SCHEMA, supports_response=SupportsResponse.OPTIONAL
    )


__all__ = ["async_setup_nvm_services"]
