"""Configuration parameters in Home Assistant: the entities of the demo's Configuration v4 plug
(node 10, no Supervision: every set is read back from the virtual device), changed through
their entities and through the services, partial (bit field) parameters, validation."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from custom_components.zwave_serial.const import DOMAIN

from .conftest import node_device

PLUG = 10
SERVICES = ("set_config_parameter", "bulk_set_partial_config_parameters", "reset_config_parameters", "set_value")


def _plug(entry: ConfigEntry) -> Any:
    """The virtual device (its parameters as the device holds them)."""
    return entry.runtime_data.coordinator.demo.stick.node(PLUG)


def _entities(hass: HomeAssistant, entry: ConfigEntry) -> dict[str, er.RegistryEntry]:
    """The plug's configuration entities by parameter key ("1", "7.0x2", ...)."""
    device = node_device(hass, entry, PLUG)
    assert device is not None
    prefix = f"{entry.unique_id}.{PLUG}.0.112.parameter."
    return {
        e.unique_id.removeprefix(prefix): e
        for e in er.async_entries_for_device(er.async_get(hass), device.id, include_disabled_entities=True)
        if e.unique_id.startswith(prefix)
    }


def _state(hass: HomeAssistant, entity: er.RegistryEntry) -> str:
    state = hass.states.get(entity.entity_id)
    assert state is not None, entity.entity_id
    return state.state


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    response = await hass.services.async_call(DOMAIN, service, data, blocking=True, return_response=True)
    await hass.async_block_till_done()
    return response


async def test_services_registered_in_async_setup(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    for service in SERVICES:
        assert hass.services.has_service(DOMAIN, service), service


async def test_entities_from_the_device_description(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    entities = _entities(hass, demo_entry)
    platforms = {key: e.domain for key, e in entities.items()}
    assert platforms == {
        "1": "number",  # unsigned 0..100
        "2": "number",  # signed -50..50
        "3": "number",  # 2 bytes
        "4": "select",  # enumerated 0..2
        "5": "select",
        "6": "switch",  # 0..1
        "7.0x1": "switch",  # bit field: one switch per bit
        "7.0x2": "switch",
        "7.0x4": "switch",
        "7.0x8": "switch",
        "8": "number",  # advanced
        "9": "sensor",  # read-only
        "300": "number",  # above 255 (Bulk Get/Set)
    }
    assert entities["1"].original_name == "LED brightness"  # the device's Name Report
    assert entities["7.0x2"].original_name == "Report triggers: bit 1"
    assert {e.entity_category for k, e in entities.items() if k != "9"} == {EntityCategory.CONFIG}
    assert entities["9"].entity_category is EntityCategory.DIAGNOSTIC
    disabled = {key for key, e in entities.items() if e.disabled_by is not None}
    assert disabled == {"8", "300"}  # the advanced ones

    assert _state(hass, entities["1"]) == "50"
    assert _state(hass, entities["2"]) == "0"
    assert _state(hass, entities["5"]) == "1"
    assert _state(hass, entities["9"]) == "258"
    assert [_state(hass, entities[f"7.0x{bit:x}"]) for bit in (1, 2, 4, 8)] == ["on", "off", "on", "off"]
    led = hass.states.get(entities["1"].entity_id)
    assert led is not None and (led.attributes["min"], led.attributes["max"]) == (0, 100)
    mode = hass.states.get(entities["5"].entity_id)
    assert mode is not None and mode.attributes["options"] == ["0", "1", "2", "3"]


async def test_entity_changes_read_back(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    entities = _entities(hass, demo_entry)
    plug = _plug(demo_entry)
    await hass.services.async_call(
        "number", "set_value", {ATTR_ENTITY_ID: entities["2"].entity_id, "value": -20}, blocking=True
    )
    await hass.async_block_till_done()
    assert plug.value(2) == -20 and _state(hass, entities["2"]) == "-20"

    await hass.services.async_call(
        "select", "select_option", {ATTR_ENTITY_ID: entities["5"].entity_id, "option": "3"}, blocking=True
    )
    await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: entities["6"].entity_id}, blocking=True)
    await hass.async_block_till_done()
    assert (plug.value(5), plug.value(6)) == (3, 1)
    assert (_state(hass, entities["5"]), _state(hass, entities["6"])) == ("3", "on")

    # One bit of the bit field: the other bits are kept.
    await hass.services.async_call("switch", "turn_on", {ATTR_ENTITY_ID: entities["7.0x2"].entity_id}, blocking=True)
    await hass.services.async_call("switch", "turn_off", {ATTR_ENTITY_ID: entities["7.0x1"].entity_id}, blocking=True)
    await hass.async_block_till_done()
    assert plug.value(7) == 0b0110
    assert [_state(hass, entities[f"7.0x{bit:x}"]) for bit in (1, 2, 4, 8)] == ["off", "on", "on", "off"]


async def test_set_config_parameter_service(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    entities = _entities(hass, demo_entry)
    plug = _plug(demo_entry)
    device = node_device(hass, demo_entry, PLUG)
    assert device is not None
    # by name, targeting an entity of the device
    response = await _call(
        hass,
        "set_config_parameter",
        {ATTR_ENTITY_ID: entities["1"].entity_id, "parameter": "LED brightness", "value": 80},
    )
    assert response == {"nodes": {str(PLUG): "sent"}}  # sent, then read back
    assert plug.value(1) == 80 and _state(hass, entities["1"]) == "80"
    # by number, targeting the device; an option by its label; a 2-byte parameter above 255
    await _call(hass, "set_config_parameter", {ATTR_DEVICE_ID: device.id, "parameter": 4, "value": "2"})
    await _call(hass, "set_config_parameter", {ATTR_DEVICE_ID: device.id, "parameter": 300, "value": -150})
    assert (plug.value(4), plug.value(300)) == (2, -150)
    assert _state(hass, entities["4"]) == "2"
    # a partial parameter by its bit mask (hex, as Z-Wave JS takes it)
    await _call(hass, "set_config_parameter", {ATTR_DEVICE_ID: device.id, "parameter": 7, "bitmask": "0x08", "value": 1})
    assert plug.value(7) == 0b1101 and _state(hass, entities["7.0x8"]) == "on"
    # raw: size and format given, no description needed
    await _call(
        hass,
        "set_config_parameter",
        {ATTR_DEVICE_ID: device.id, "parameter": 3, "value": 3600, "value_size": 2, "value_format": 1},
    )
    assert plug.value(3) == 3600 and _state(hass, entities["3"]) == "3600"


async def test_bulk_set_partial_config_parameters(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    entities = _entities(hass, demo_entry)
    plug = _plug(demo_entry)
    target = {ATTR_ENTITY_ID: entities["7.0x1"].entity_id}
    assert plug.value(7) == 0b0101
    # a mapping: bit masks (hex or number) to values; bits not named keep their value
    await _call(hass, "bulk_set_partial_config_parameters", {**target, "parameter": 7, "value": {"0x01": 0, 8: 1}})
    assert plug.value(7) == 0b1100
    assert [_state(hass, entities[f"7.0x{bit:x}"]) for bit in (1, 2, 4, 8)] == ["off", "off", "on", "on"]
    # the whole value at once
    await _call(hass, "bulk_set_partial_config_parameters", {**target, "parameter": 7, "value": 0b0011})
    assert plug.value(7) == 0b0011
    with pytest.raises(ServiceValidationError):  # bit 4 is not part of the bit field
        await _call(hass, "bulk_set_partial_config_parameters", {**target, "parameter": 7, "value": {"0x10": 1}})
    with pytest.raises(ServiceValidationError):  # parameter 1 has no partials
        await _call(hass, "bulk_set_partial_config_parameters", {**target, "parameter": 1, "value": 5})
    assert plug.value(7) == 0b0011


REFUSED: list[dict[str, Any]] = [
    {"parameter": 1, "value": 101},  # above the maximum
    {"parameter": "Power offset", "value": -51},  # below the minimum
    {"parameter": 5, "value": 4},  # not one of the options
    {"parameter": 5, "value": "bright"},  # not an option label
    {"parameter": 9, "value": 1},  # read-only
    {"parameter": 7, "bitmask": "0x02", "value": 2},  # a one-bit partial
    {"parameter": 7, "value": 1},  # split into partials: needs a bit mask
    {"parameter": 42, "value": 1},  # unknown
    {"parameter": "No such parameter", "value": 1},
    {"parameter": 1, "value": 256, "value_size": 1, "value_format": 1},  # does not fit
]


async def test_out_of_range_is_refused(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    plug = _plug(demo_entry)
    before = dict(plug.values)
    device = node_device(hass, demo_entry, PLUG)
    assert device is not None
    for data in REFUSED:
        with pytest.raises(ServiceValidationError) as err:
            await _call(hass, "set_config_parameter", {ATTR_DEVICE_ID: device.id, **data})
        assert err.value.translation_key == "invalid_value", data
    assert plug.values == before  # nothing was sent
    entity = _entities(hass, demo_entry)["1"]
    with pytest.raises(ServiceValidationError):  # the number entity's own range check
        await hass.services.async_call("number", "set_value", {ATTR_ENTITY_ID: entity.entity_id, "value": 101}, blocking=True)


async def test_reset_config_parameters(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    entities = _entities(hass, demo_entry)
    plug = _plug(demo_entry)
    target = {ATTR_ENTITY_ID: entities["1"].entity_id}
    await _call(hass, "set_config_parameter", {**target, "parameter": 1, "value": 10})
    await _call(hass, "set_config_parameter", {**target, "parameter": 2, "value": 10})
    # one parameter (Set with the "default" flag), then all (Default Reset)
    await _call(hass, "reset_config_parameters", {**target, "parameter": 1})
    assert (plug.value(1), plug.value(2)) == (50, 10)
    assert _state(hass, entities["1"]) == "50"
    await _call(hass, "reset_config_parameters", target)
    assert plug.value(2) == 0 and _state(hass, entities["2"]) == "0"


async def test_set_value_service(hass: HomeAssistant, demo_entry: ConfigEntry) -> None:
    entities = _entities(hass, demo_entry)
    plug = _plug(demo_entry)
    target = {ATTR_ENTITY_ID: entities["1"].entity_id}
    # Binary Switch (0x25) target value, the property named as Z-Wave JS names it
    await _call(hass, "set_value", {**target, "command_class": 37, "property": "targetValue", "value": True})
    assert plug.on
    # Configuration: property = parameter number, property key = bit mask (Z-Wave JS's value IDs)
    await _call(hass, "set_value", {**target, "command_class": 112, "property": 1, "value": 33})
    await _call(hass, "set_value", {**target, "command_class": 112, "property": 7, "property_key": 2, "value": 1})
    assert (plug.value(1), plug.value(7)) == (33, 0b0111)
    assert _state(hass, entities["1"]) == "33"
    with pytest.raises(ServiceValidationError):  # the plug has no Door Lock CC
        await _call(hass, "set_value", {**target, "command_class": 98, "property": "target_mode", "value": 255})
    with pytest.raises(ServiceValidationError):
        await _call(hass, "set_value", {**target, "command_class": 112, "property": 1, "value": 1000})
