"""Device registry helpers: identifiers, names and manufacturer/model from the IDs.

Names come from the device database (``zwave/devicedb``, built from Z-Wave JS's device files): a
node with a known manufacturer/product ID shows its brand, model and description; unknown IDs show
as hex.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN
from .zwave import Controller, Node, devicedb

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


async def async_load_device_db(hass: HomeAssistant) -> None:
    """Read the device database (once, in an executor) before devices are registered."""
    await hass.async_add_executor_job(devicedb.load)


def manufacturer_name(manufacturer_id: int | None) -> str | None:
    """Manufacturer name (a known brand, else the registered name), or its hex ID when unknown."""
    if manufacturer_id is None:
        return None
    return (
        devicedb.BRANDS.get(manufacturer_id)
        or devicedb.manufacturer_name(manufacturer_id)
        or f"Manufacturer 0x{manufacturer_id:04x}"
    )


def model_name(product_type: int | None, product_id: int | None) -> str | None:
    """Model shown for a product: its hex product type and ID."""
    if product_type is None or product_id is None:
        return None
    return f"Product 0x{product_type:04x}:0x{product_id:04x}"


def product_info(device: Controller | Node) -> devicedb.ProductInfo | None:
    """The database entry of a node's or the stick's product, or None when unknown."""
    return devicedb.product(
        device.manufacturer_id, device.product_type, device.product_id, device.firmware_version or None
    )


def controller_device_info(controller: Controller) -> DeviceInfo:
    """Device info of the stick."""
    product = product_info(controller)
    return DeviceInfo(
        identifiers={controller_identifier(controller)},
        name=f"Z-Wave controller {controller.home_id:08x}",
        manufacturer=product.brand if product else manufacturer_name(controller.manufacturer_id),
        model=product.label if product else model_name(controller.product_type, controller.product_id),
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
    info = DeviceInfo(
        identifiers={device_identifier(controller.home_id, node.node_id)},
        name=node_name(node),
        manufacturer=manufacturer_name(node.manufacturer_id),
        model=model_name(node.product_type, node.product_id),
        sw_version=node.firmware_version,
        **(via or {}),
    )
    product = product_info(node)
    if product is not None:
        # Like Home Assistant's Z-Wave JS integration: the description names the device, the label
        # is the model; the hex product type:ID stays visible as the model ID.
        info["name"] = product.description or product.label or info["name"]
        info["manufacturer"] = product.brand or info["manufacturer"]
        info["model"] = product.label or info["model"]
        info["model_id"] = f"0x{product.product_type:04x}:0x{product.product_id:04x}"
    return info
