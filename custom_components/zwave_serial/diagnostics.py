"""Diagnostics for the entry and per device, with network keys and user codes redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntry

from .const import CONF_PORT, DOMAIN, NETWORK_KEYS
from .coordinator import ZWaveCoordinator, ZWaveSerialConfigEntry
from .diagnostics_lock import lock_diagnostics
from .zwave import CommandClass, Node, UserCodeValue
from .zwave.locks import cached_slots, has_lock_codes
from .zwave.transport import redact_url

TO_REDACT = {*NETWORK_KEYS, "user_code", "usercode"}


def _is_secret(value_id: Any, stored: Any) -> bool:
    return bool(getattr(stored, "secret", False)) or (
        value_id.cc == CommandClass.USER_CODE and value_id.property == UserCodeValue.USER_CODE
    )


def node_diagnostics(node: Node) -> dict[str, Any]:
    """A node's state, with secret values redacted."""
    values = []
    for value_id, stored in sorted(node.values().items(), key=lambda item: item[0].key()):
        values.append(
            {
                "value_id": value_id.key(),
                "value": REDACTED if _is_secret(value_id, stored) else stored.value,
                "unit": stored.unit,
                "meta": stored.meta,
            }
        )
    return {
        "node_id": node.node_id,
        "status": str(node.status),
        "ready": node.ready,
        "interview_stage": node.interview_stage,
        "interview_failed": node.interview_failed,
        "is_controller": node.is_controller,
        "is_listening": node.is_listening,
        "is_frequent_listening": node.is_frequent_listening,
        "is_routing": node.is_routing,
        "is_secure": node.is_secure,
        "security_class": node.security_class.name if node.security_class is not None else None,
        "device_class": [node.basic_class, node.generic_class, node.specific_class],
        "manufacturer_id": node.manufacturer_id,
        "product_type": node.product_type,
        "product_id": node.product_id,
        "firmware_version": node.firmware_version,
        "endpoints": {
            str(ep): {f"0x{cc:02x}": ver for cc, ver in node.command_classes(ep).items()}
            for ep in node.endpoints
        },
        "values": values,
        # lock slots and statuses (names are the hub's); never the codes
        "user_codes": [slot.as_dict() for slot in cached_slots(node) if slot.status is not None]
        if has_lock_codes(node)
        else None,
    }


def controller_diagnostics(coordinator: ZWaveCoordinator) -> dict[str, Any]:
    """The stick's identity, link state and counters."""
    driver = coordinator.driver
    ctrl = driver.controller
    return {
        "home_id": f"{ctrl.home_id:08x}",
        "own_node_id": ctrl.own_node_id,
        "library_version": ctrl.library_version,
        "library_type": ctrl.library_type,
        "firmware_version": ctrl.firmware_version,
        "sdk_version": ctrl.sdk_version,
        "manufacturer_id": ctrl.manufacturer_id,
        "product_type": ctrl.product_type,
        "product_id": ctrl.product_id,
        "chip_type": ctrl.chip_type,
        "suc_node_id": ctrl.suc_node_id,
        "is_primary": ctrl.is_primary,
        "is_suc": ctrl.is_suc,
        "is_sis": ctrl.is_sis,
        "connected": driver.connected,
        "ready": driver.ready,
        "statistics": driver.statistics(),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry
) -> dict[str, Any]:
    """Diagnostics of the whole network."""
    coordinator = entry.runtime_data.coordinator
    data = async_redact_data(dict(entry.data), TO_REDACT)
    if isinstance(data.get(CONF_PORT), str):
        data[CONF_PORT] = redact_url(data[CONF_PORT])  # an esphome:// port's API key
    return {
        "entry": {
            "title": entry.title,
            "data": data,
            "options": dict(entry.options),
        },
        "controller": controller_diagnostics(coordinator),
        "nodes": [
            {**node_diagnostics(n), "lock": lock_diagnostics(coordinator.driver, n)}  # diagnostics_lock.py
            for n in coordinator.driver.nodes.values()
        ],
    }


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: ZWaveSerialConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Diagnostics of one node and its entities."""
    coordinator = entry.runtime_data.coordinator
    prefix = f"{coordinator.home_id:08x}-"
    node_id = next(
        (
            int(ident[len(prefix) :])
            for dom, ident in device.identifiers
            if dom == DOMAIN and ident.startswith(prefix)
        ),
        None,
    )
    node = coordinator.node(node_id) if node_id is not None else None
    entities = [
        {"entity_id": e.entity_id, "unique_id": e.unique_id, "disabled": e.disabled}
        for e in er.async_entries_for_device(er.async_get(hass), device.id, include_disabled_entities=True)
    ]
    return {
        "node": {**node_diagnostics(node), "lock": lock_diagnostics(coordinator.driver, node)}
        if node is not None
        else None,
        "entities": entities,
    }
