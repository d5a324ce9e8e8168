"""Device registry helpers: identifiers, names and manufacturer/model from the IDs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN
from .zwave import Controller, Node

# Manufacturer IDs (Z-Wave Alliance registry) of common brands.
MANUFACTURERS: dict[int, str] = {
    0x0000: "Silicon Labs",
    0x001D: "Leviton",
    0x0039: "Honeywell",
    0x003B: "Allegion",
    0x0060: "Everspring",
    0x0063: "GE/Jasco",
    0x0086: "Aeotec",
    0x0090: "Kwikset",
    0x0109: "Vision Security",
    0x010F: "Fibaro",
    0x0115: "Z-Wave.Me",
    0x0129: "Yale",
    0x014F: "Nortek Security & Control",
    0x0154: "Popp",
    0x0159: "Qubino",
    0x0184: "Dragon Tech",
    0x019B: "Heatit",
    0x027A: "Zooz",
    0x031E: "Inovelli",
    0x0371: "Aeotec",
}


# Generic device classes -> a readable kind of device (device names before the user renames them)
GENERIC_CLASSES: dict[int, str] = {
    0x01: "Remote controller",
    0x02: "Static controller",
    0x07: "Sensor",
    0x08: "Thermostat",
    0x0F: "Repeater",
    0x10: "Switch",
    0x11: "Dimmer",
    0x12: "Remote switch",
    0x18: "Wall controller",
    0x20: "Binary sensor",
    0x21: "Multilevel sensor",
    0x31: "Meter",
    0x40: "Lock",
}


def node_name(node: Node) -> str:
    """Default device name: the kind of device and its node id, e.g. "Lock (node 7)"."""
    kind = GENERIC_CLASSES.get(node.generic_class) if node.generic_class is not None else None
    return f"{kind} (node {node.node_id})" if kind else f"Node {node.node_id}"


def device_identifier(home_id: int, node_id: int) -> tuple[str, str]:
    """Device registry identifier of a node (the controller's own node is the controller)."""
    return (DOMAIN, f"{home_id:08x}-{node_id}")


def manufacturer_name(manufacturer_id: int | None) -> str | None:
    """Manufacturer name, or its hex ID when unknown."""
    if manufacturer_id is None:
        return None
    return MANUFACTURERS.get(manufacturer_id, f"Manufacturer 0x{manufacturer_id:04x}")


def model_name(product_type: int | None, product_id: int | None) -> str | None:
    """Model shown for a product: its hex product type and ID."""
    if product_type is None or product_id is None:
        return None
    return f"Product 0x{product_type:04x}:0x{product_id:04x}"


def controller_device_info(controller: Controller) -> DeviceInfo:
    """Device info of the stick."""
    return DeviceInfo(
        identifiers={controller_identifier(controller)},
        name=f"Z-Wave controller {controller.home_id:08x}",
        manufacturer=manufacturer_name(controller.manufacturer_id),
        model=model_name(controller.product_type, controller.product_id),
        model_id=controller.chip_type,
        sw_version=controller.firmware_version,
        hw_version=controller.library_version,
    )


def controller_identifier(controller: Controller) -> tuple[str, str]:
    """Device registry identifier of the stick."""
    return device_identifier(controller.home_id, controller.own_node_id)


def node_device_info(controller: Controller, node: Node, via: Mapping[str, Any] | None = None) -> DeviceInfo:
    """Device info of a node; ``via`` links it to the controller (see compat.async_via_device_fields)."""
    if node.node_id == controller.own_node_id:
        return controller_device_info(controller)
    return DeviceInfo(
        identifiers={device_identifier(controller.home_id, node.node_id)},
        name=node_name(node),
        manufacturer=manufacturer_name(node.manufacturer_id),
        model=model_name(node.product_type, node.product_id),
        sw_version=node.firmware_version,
        **(via or {}),
    )
