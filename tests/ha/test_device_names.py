"""Device names from the device database (Z-Wave JS's device files) in the device registry."""

from __future__ import annotations

import dataclasses
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import add_manual_entry, node_device, wait_ready

SWITCH = 2  # the demo's binary switch: keeps the virtual stick's made-up manufacturer 0x7a5e
DIMMER = 3
PLUG = 6  # the demo's metering plug


def _report_ids(demo: Any, node_id: int, manufacturer_id: int, product_type: int, product_id: int) -> None:
    """Make a virtual device report these Manufacturer Specific IDs (before it is interviewed)."""
    node = demo.stick.node(node_id)
    node.info = dataclasses.replace(
        node.info, manufacturer_id=manufacturer_id, product_type=product_type, product_id=product_id
    )


async def test_known_products_show_database_names(hass: HomeAssistant, demo_stick: Any) -> None:
    """Virtual devices reporting Aeotec's and Zooz's IDs show those names; made-up IDs keep hex."""
    _report_ids(demo_stick, PLUG, 0x0086, 0x0003, 0x0060)  # Aeotec Smart Switch 6 (registered as AEON Labs)
    _report_ids(demo_stick, DIMMER, 0x027A, 0x7000, 0xA002)  # Zooz ZEN72 Dimmer
    entry = await add_manual_entry(hass, demo_stick.port)
    await wait_ready(hass, entry)

    plug = node_device(hass, entry, PLUG)
    assert plug is not None
    assert (plug.manufacturer, plug.model, plug.name) == ("Aeotec", "ZW096", "Smart Switch 6")
    assert plug.model_id == "0x0003:0x0060"
    # its entities belong to that device
    assert er.async_entries_for_device(er.async_get(hass), plug.id)

    dimmer = node_device(hass, entry, DIMMER)
    assert dimmer is not None
    assert (dimmer.manufacturer, dimmer.model, dimmer.name) == ("Zooz", "ZEN72", "Dimmer")

    switch = node_device(hass, entry, SWITCH)
    assert switch is not None
    assert switch.manufacturer == "Manufacturer 0x7a5e"
    assert switch.model == "Product 0x0001:0x0025"
    assert switch.name == "Switch (node 2)"

    # the stick's own IDs (0x0000:0x0004:0x0004) are Silicon Labs' 700/800 series controller
    controller = node_device(hass, entry, entry.runtime_data.coordinator.driver.controller.own_node_id)
    assert controller is not None
    assert (controller.manufacturer, controller.model) == ("Silicon Labs", "700/800 Series")

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
