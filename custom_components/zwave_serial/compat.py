"""Compatibility across the supported Home Assistant versions (2025.4 to 2026.11).

Newer Home Assistant versions deprecate APIs that older ones have no replacement for.
Every such difference is detected here by feature (never by version number), so the
rest of the integration calls one function and uses no deprecated API on either side:

* the device registry keeps a device in a single config entry (``config_entry_id``);
  ``async_get_device(identifiers=...)``, ``DeviceEntry.config_entries`` and
  ``async_update_device(remove_config_entry_id=...)`` are deprecated there;
* a device links to its parent by device id (``via_device_id``), not by identifier
  (``via_device``);
* "ppm" moved from ``CONCENTRATION_PARTS_PER_MILLION`` to ``UnitOfRatio``;
* ``ConfigFlow._set_confirm_only()`` became a deprecated no-op;
* ``async_setup_entry``/``async_unload_entry`` return None and raise on failure, where
  older versions require a boolean.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any, Final

from homeassistant.config_entries import ConfigEntries, ConfigEntry, ConfigFlow, ConfigFlowContext
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

try:
    from homeassistant.const import UnitOfRatio
except ImportError:  # Home Assistant before UnitOfRatio
    from homeassistant.const import CONCENTRATION_PARTS_PER_MILLION as PARTS_PER_MILLION
else:
    PARTS_PER_MILLION = UnitOfRatio.PARTS_PER_MILLION

# A device belongs to exactly one config entry (DeviceEntry.config_entry_id).
_SINGLE_ENTRY_DEVICES = hasattr(dr.DeviceEntry, "config_entry_id")
_HAS_LOOKUP_BY_IDENTIFIER = hasattr(dr.DeviceRegistry, "async_get_device_by_identifier")
_HAS_GET_OR_CREATE_FROM_INFO = hasattr(dr.DeviceRegistry, "async_get_or_create_from_info")
_HAS_VIA_DEVICE_ID = "via_device_id" in inspect.signature(dr.DeviceRegistry.async_get_or_create).parameters
# async_setup_entry/async_unload_entry return None and raise on failure (a boolean is deprecated).
_ENTRY_METHODS_RETURN_NONE = hasattr(ConfigEntries, "async_unload_platforms_or_raise")
_HAS_CONFIRM_ONLY = "confirm_only" in (
    ConfigFlowContext.__required_keys__ | ConfigFlowContext.__optional_keys__
)

# What async_setup_entry and async_unload_entry return when they succeed.
ENTRY_OK: Final[bool | None] = None if _ENTRY_METHODS_RETURN_NONE else True


async def async_unload_platforms(
    hass: HomeAssistant, entry: ConfigEntry, platforms: Iterable[Platform]
) -> bool:
    """Unload an entry's platforms: True when all unloaded.

    On failure newer versions raise ``ConfigEntryError`` (async_unload_entry must not
    return False there); older versions return False.
    """
    if _ENTRY_METHODS_RETURN_NONE:
        await hass.config_entries.async_unload_platforms_or_raise(entry, platforms)
        return True
    return await hass.config_entries.async_unload_platforms(entry, platforms)


@callback
def async_get_entry_device(
    dev_reg: dr.DeviceRegistry, identifier: tuple[str, str], config_entry_id: str
) -> dr.DeviceEntry | None:
    """The device of a config entry with this identifier, or None."""
    if _HAS_LOOKUP_BY_IDENTIFIER:
        return dev_reg.async_get_device_by_identifier(identifier, config_entry_id)
    device = dev_reg.async_get_device(identifiers={identifier})
    if device is None or config_entry_id not in device.config_entries:
        return None
    return device


def device_config_entry_ids(device: dr.DeviceEntry) -> set[str]:
    """The ids of the config entries a device belongs to."""
    if _SINGLE_ENTRY_DEVICES and not device.is_composite_device:
        return {device.config_entry_id}
    # older registries, and a composite of devices split from one shared pre-migration device
    return set(device.config_entries)


@callback
def async_remove_entry_device(
    dev_reg: dr.DeviceRegistry, device: dr.DeviceEntry, config_entry_id: str
) -> None:
    """Remove a device from a config entry (the device goes once no config entry has it)."""
    if _SINGLE_ENTRY_DEVICES:
        if device.config_entry_id == config_entry_id:
            dev_reg.async_remove_device(device.id)
        return
    dev_reg.async_update_device(device.id, remove_config_entry_id=config_entry_id)


@callback
def async_get_or_create_device(
    dev_reg: dr.DeviceRegistry, config_entry_id: str, device_info: dr.DeviceInfo
) -> dr.DeviceEntry:
    """Register (or update) the device a device info describes."""
    if _HAS_GET_OR_CREATE_FROM_INFO:
        return dev_reg.async_get_or_create_from_info(config_entry_id=config_entry_id, device_info=device_info)
    return dev_reg.async_get_or_create(config_entry_id=config_entry_id, **device_info)


@callback
def async_via_device_fields(
    hass: HomeAssistant, parent_identifier: tuple[str, str], config_entry_id: str
) -> dict[str, Any]:
    """The device info fields linking a device to its parent (an empty dict if not registered)."""
    if not _HAS_VIA_DEVICE_ID:
        return {"via_device": parent_identifier}
    parent = async_get_entry_device(dr.async_get(hass), parent_identifier, config_entry_id)
    return {} if parent is None else {"via_device_id": parent.id}


@callback
def async_set_confirm_only(flow: ConfigFlow) -> None:
    """Mark a discovery flow as needing only a confirmation (where that flag still exists)."""
    if _HAS_CONFIRM_ONLY:
        flow._set_confirm_only()
