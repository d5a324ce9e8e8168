"""Configuration parameters as entities (the *configuration* category).

Each parameter (or partial parameter) the driver knows (``node.config_parameters()``: the
device's own description, Configuration v3+, else the device database's) becomes one entity
when its value is first read:

- a 0/1 parameter (a one-bit partial, a 0..1 range, or two options like "Disable"/"Enable"):
  ``switch``;
- named options only (a database list, or an "enumerated" parameter): ``select``;
- anything else: ``number`` (min/max/unit from the parameter);
- a read-only parameter: a diagnostic ``sensor`` (its option label when it has options).

Names come from the device's parameter name, else the database label. Advanced parameters are
disabled by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.number import NumberEntityDescription, NumberMode
from homeassistant.components.select import SelectEntityDescription
from homeassistant.components.sensor import SensorDeviceClass, SensorEntityDescription
from homeassistant.components.switch import SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.helpers.entity import EntityDescription

from .discovery import DiscoveryInfo
from .zwave import CommandClass, ValueId
from .zwave.configparams import ConfigParameter, ValueType

CONFIGURATION = CommandClass.CONFIGURATION


@dataclass(frozen=True, kw_only=True)
class ZWaveConfigNumberDescription(NumberEntityDescription):
    """A numeric parameter."""

    parameter: ConfigParameter


@dataclass(frozen=True, kw_only=True)
class ZWaveConfigSelectDescription(SelectEntityDescription):
    """A parameter with named options."""

    parameter: ConfigParameter


@dataclass(frozen=True, kw_only=True)
class ZWaveConfigSwitchDescription(SwitchEntityDescription):
    """A 0/1 parameter or partial parameter."""

    parameter: ConfigParameter


@dataclass(frozen=True, kw_only=True)
class ZWaveConfigSensorDescription(SensorEntityDescription):
    """A read-only parameter."""

    parameter: ConfigParameter


def discover_config_parameter(node: Any, value_id: ValueId) -> list[DiscoveryInfo]:
    """The entities of one parameter's value (several for a parameter split into partials)."""
    if node is None or value_id.property != "parameter" or not isinstance(value_id.property_key, int):
        return []
    return [
        config_entity_info(value_id, param)
        for param in node.config_parameters(value_id.endpoint)
        if param.number == value_id.property_key and not param.writeonly
    ]


def config_entity_info(value_id: ValueId, param: ConfigParameter) -> DiscoveryInfo:
    """The entity of one parameter: platform, description and entity class."""
    from . import config_entity  # entity classes (entity -> coordinator -> this module)

    common: dict[str, Any] = {
        "key": f"{value_id.key()}" if param.bitmask is None else f"{value_id.key()}[0x{param.bitmask:x}]",
        "name": param.label,
        "entity_category": EntityCategory.CONFIG,
        "entity_registry_enabled_default": not param.advanced,
        "parameter": param,
    }
    description: EntityDescription
    if param.readonly:
        labels = [label for _, label in param.options]
        common["entity_category"] = EntityCategory.DIAGNOSTIC
        description = ZWaveConfigSensorDescription(
            **common,
            device_class=SensorDeviceClass.ENUM if labels else None,
            options=labels or None,
            native_unit_of_measurement=None if labels else param.unit,
        )
        return DiscoveryInfo(Platform.SENSOR, value_id, description, config_entity.ZWaveConfigSensor)
    value_type = param.value_type
    if value_type is ValueType.BOOLEAN:
        description = ZWaveConfigSwitchDescription(**common)
        return DiscoveryInfo(Platform.SWITCH, value_id, description, config_entity.ZWaveConfigSwitch)
    if value_type is ValueType.ENUMERATED:
        description = ZWaveConfigSelectDescription(**common, options=[label for _, label in param.options])
        return DiscoveryInfo(Platform.SELECT, value_id, description, config_entity.ZWaveConfigSelect)
    low, high = param.value_range
    description = ZWaveConfigNumberDescription(
        **common,
        native_min_value=low,
        native_max_value=high,
        native_step=1,
        native_unit_of_measurement=param.unit,
        mode=NumberMode.BOX,
    )
    return DiscoveryInfo(Platform.NUMBER, value_id, description, config_entity.ZWaveConfigNumber)
