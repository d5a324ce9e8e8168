"""Declarative discovery: which driver values become which entities.

Each :class:`DiscoverySchema` matches a node's *primary value* by command class and
property (and optionally property key); its ``describe`` function turns the value (with its
unit and meta, see ``docs/values.md``) into an entity description, or ``None`` when the value
should not become an entity.  One value gives at most one entity (first matching schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    LIGHT_LUX,
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfPressure,
    UnitOfTemperature,
    UnitOfVolume,
)
from homeassistant.helpers.entity import EntityDescription

from .compat import PARTS_PER_MILLION
from .discovery_classes import (
    describe_central_scene,
    describe_cover,
    describe_named_main,
    describe_notification_events,
    describe_scene_activation,
    describe_siren,
    is_fan,
    is_motor_control,
)
from .zwave import (
    BatteryValue,
    CentralSceneValue,
    CommandClass,
    DoorLockValue,
    MeterValue,
    SceneActivationValue,
    SensorBinaryValue,
    SoundSwitchValue,
    StoredValue,
    SwitchValue,
    ValueId,
)


@dataclass(frozen=True, kw_only=True)
class ZWaveBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor; ``on_values`` None means "any value other than 0/False"."""

    on_values: frozenset[int] | None = None
    inverted: bool = False


@dataclass(frozen=True, slots=True)
class DiscoveryInfo:
    """One entity to create: platform, primary value and description."""

    platform: Platform
    value_id: ValueId
    description: EntityDescription
    #: ``(coordinator, info) -> entity`` when not the platform's usual entity class (the
    #: configuration parameter switches and sensors, ``config_discovery.py``).
    entity_factory: Callable[..., Any] | None = None

    @property
    def node_id(self) -> int:
        """Node of the entity."""
        return self.value_id.node_id


Describe = Callable[[ValueId, StoredValue], EntityDescription | None]
NodeFilter = Callable[[Any, ValueId], bool]


@dataclass(frozen=True, slots=True)
class DiscoverySchema:
    """Match a primary value and describe the entity it becomes."""

    platform: Platform
    cc: int
    properties: frozenset[str] | None
    describe: Describe
    property_keys: frozenset[Any] | None = None
    #: ``(node, value_id) -> bool``: the device must also match (its device class); the node
    #: may be None when unknown, which fails the filter (``discovery_classes.py``).
    node_filter: NodeFilter | None = None

    def matches(self, value_id: ValueId, node: Any = None) -> bool:
        """Whether the value is this schema's primary value (on a matching device)."""
        if value_id.cc != self.cc:
            return False
        if self.node_filter is not None and (node is None or not self.node_filter(node, value_id)):
            return False
        if self.properties is not None and value_id.property not in self.properties:
            return False
        return self.property_keys is None or value_id.property_key in self.property_keys


def _key(value_id: ValueId) -> str:
    """Entity description key (unique per node value)."""
    return value_id.key()


# --- sensor descriptions ------------------------------------------------------------

_UNITS: dict[str, str] = {
    "°C": UnitOfTemperature.CELSIUS,
    "°F": UnitOfTemperature.FAHRENHEIT,
    "%": PERCENTAGE,
    "lx": LIGHT_LUX,
    "W": UnitOfPower.WATT,
    "kW": UnitOfPower.KILO_WATT,
    "V": UnitOfElectricPotential.VOLT,
    "mV": UnitOfElectricPotential.MILLIVOLT,
    "A": UnitOfElectricCurrent.AMPERE,
    "mA": UnitOfElectricCurrent.MILLIAMPERE,
    "ppm": PARTS_PER_MILLION,
    "kPa": UnitOfPressure.KPA,
    "inHg": UnitOfPressure.INHG,
    "kWh": UnitOfEnergy.KILO_WATT_HOUR,
    "m³": UnitOfVolume.CUBIC_METERS,
    "ft³": UnitOfVolume.CUBIC_FEET,
    "gal": UnitOfVolume.GALLONS,
}

# Multilevel Sensor type -> (device class, units that device class accepts)
_MULTILEVEL: dict[str, tuple[SensorDeviceClass, frozenset[str]]] = {
    "air_temperature": (SensorDeviceClass.TEMPERATURE, frozenset({"°C", "°F"})),
    "water_temperature": (SensorDeviceClass.TEMPERATURE, frozenset({"°C", "°F"})),
    "soil_temperature": (SensorDeviceClass.TEMPERATURE, frozenset({"°C", "°F"})),
    "dew_point": (SensorDeviceClass.TEMPERATURE, frozenset({"°C", "°F"})),
    "illuminance": (SensorDeviceClass.ILLUMINANCE, frozenset({"lx"})),
    "humidity": (SensorDeviceClass.HUMIDITY, frozenset({"%"})),
    "power": (SensorDeviceClass.POWER, frozenset({"W", "kW"})),
    "voltage": (SensorDeviceClass.VOLTAGE, frozenset({"V", "mV"})),
    "current": (SensorDeviceClass.CURRENT, frozenset({"A", "mA"})),
    "co2_level": (SensorDeviceClass.CO2, frozenset({"ppm"})),
    "co_level": (SensorDeviceClass.CO, frozenset({"ppm"})),
    "atmospheric_pressure": (SensorDeviceClass.ATMOSPHERIC_PRESSURE, frozenset({"kPa", "inHg"})),
    "barometric_pressure": (SensorDeviceClass.ATMOSPHERIC_PRESSURE, frozenset({"kPa", "inHg"})),
}

# Multilevel Sensor types without a device class but with a translated name
_MULTILEVEL_NAMED = frozenset({"ultraviolet", "illuminance", "seismic_intensity", "loudness"})

# Meter property key -> (device class, state class)
_METER: dict[str, tuple[SensorDeviceClass, SensorStateClass]] = {
    "electric_kwh": (SensorDeviceClass.ENERGY, SensorStateClass.TOTAL_INCREASING),
    "electric_w": (SensorDeviceClass.POWER, SensorStateClass.MEASUREMENT),
    "electric_v": (SensorDeviceClass.VOLTAGE, SensorStateClass.MEASUREMENT),
    "electric_a": (SensorDeviceClass.CURRENT, SensorStateClass.MEASUREMENT),
    "gas_m3": (SensorDeviceClass.GAS, SensorStateClass.TOTAL_INCREASING),
    "gas_ft3": (SensorDeviceClass.GAS, SensorStateClass.TOTAL_INCREASING),
    "water_m3": (SensorDeviceClass.WATER, SensorStateClass.TOTAL_INCREASING),
    "water_ft3": (SensorDeviceClass.WATER, SensorStateClass.TOTAL_INCREASING),
    "water_us_gallons": (SensorDeviceClass.WATER, SensorStateClass.TOTAL_INCREASING),
}


def describe_multilevel_sensor(value_id: ValueId, stored: StoredValue) -> EntityDescription | None:
    """Multilevel Sensor: device class and unit from the sensor type and scale."""
    if "sensor_type" not in stored.meta:
        return None  # interview data (supported types/scales), not a reading
    unit = stored.unit
    ha_unit = _UNITS.get(unit, unit) if unit else None
    known = _MULTILEVEL.get(value_id.property)
    if known is not None and unit in known[1]:
        return SensorEntityDescription(
            key=_key(value_id),
            device_class=known[0],
            native_unit_of_measurement=ha_unit,
            state_class=SensorStateClass.MEASUREMENT,
        )
    if value_id.property in _MULTILEVEL_NAMED:
        return SensorEntityDescription(
            key=_key(value_id),
            translation_key=value_id.property,
            native_unit_of_measurement=ha_unit,
            state_class=SensorStateClass.MEASUREMENT,
        )
    return SensorEntityDescription(
        key=_key(value_id),
        name=value_id.property.replace("_", " ").capitalize(),
        native_unit_of_measurement=ha_unit,
        state_class=SensorStateClass.MEASUREMENT,
    )


def describe_meter(value_id: ValueId, stored: StoredValue) -> EntityDescription | None:
    """Meter: energy (total increasing), power/voltage/current (measurement), gas/water."""
    known = _METER.get(str(value_id.property_key))
    if known is None or not stored.unit:
        return None
    return SensorEntityDescription(
        key=_key(value_id),
        device_class=known[0],
        state_class=known[1],
        native_unit_of_measurement=_UNITS.get(stored.unit, stored.unit),
    )


def describe_battery_level(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """Battery level in percent."""
    return SensorEntityDescription(
        key=_key(value_id),
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
    )


# --- binary sensor descriptions -------------------------------------------------------

_SENSOR_BINARY: dict[str, BinarySensorDeviceClass | None] = {
    "general": None,
    "any": None,
    "aux": None,
    "smoke": BinarySensorDeviceClass.SMOKE,
    "co": BinarySensorDeviceClass.CO,
    "co2": BinarySensorDeviceClass.GAS,
    "heat": BinarySensorDeviceClass.HEAT,
    "water": BinarySensorDeviceClass.MOISTURE,
    "freeze": BinarySensorDeviceClass.COLD,
    "tamper": BinarySensorDeviceClass.TAMPER,
    "door_window": BinarySensorDeviceClass.DOOR,
    "tilt": BinarySensorDeviceClass.GARAGE_DOOR,
    "motion": BinarySensorDeviceClass.MOTION,
    "glass_break": BinarySensorDeviceClass.SAFETY,
}

# (notification type, state variable) -> (device class, values meaning "on", category)
_NOTIFICATION: dict[
    tuple[str, str], tuple[BinarySensorDeviceClass, frozenset[int] | None, EntityCategory | None]
] = {
    ("home_security", "motion_sensor_status"): (BinarySensorDeviceClass.MOTION, None, None),
    ("home_security", "cover_status"): (
        BinarySensorDeviceClass.TAMPER,
        None,
        EntityCategory.DIAGNOSTIC,
    ),
    ("access_control", "door_state"): (BinarySensorDeviceClass.DOOR, frozenset({22}), None),
    ("smoke_alarm", "sensor_status"): (BinarySensorDeviceClass.SMOKE, None, None),
    ("co_alarm", "sensor_status"): (BinarySensorDeviceClass.CO, None, None),
    ("heat_alarm", "heat_sensor_status"): (BinarySensorDeviceClass.HEAT, None, None),
    ("water_alarm", "sensor_status"): (BinarySensorDeviceClass.MOISTURE, None, None),
}


def describe_sensor_binary(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """Binary Sensor CC: device class from the sensor type."""
    key = str(value_id.property_key)
    device_class = _SENSOR_BINARY.get(key)
    return ZWaveBinarySensorDescription(
        key=_key(value_id),
        device_class=device_class,
        translation_key=None if device_class else "sensor_binary",
    )


def describe_notification(value_id: ValueId, stored: StoredValue) -> EntityDescription | None:
    """Notification CC state variables that are binary (motion, door, smoke, leak, tamper)."""
    known = _NOTIFICATION.get((value_id.property, str(value_id.property_key)))
    if known is None:
        return None
    return ZWaveBinarySensorDescription(
        key=_key(value_id), device_class=known[0], on_values=known[1], entity_category=known[2]
    )


def describe_battery_low(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """Battery low flag."""
    return ZWaveBinarySensorDescription(
        key=_key(value_id),
        device_class=BinarySensorDeviceClass.BATTERY,
        entity_category=EntityCategory.DIAGNOSTIC,
    )


def describe_door_closed(value_id: ValueId, stored: StoredValue) -> EntityDescription | None:
    """Door Lock's door sensor: on = open (the value says "closed")."""
    if stored.value is None:
        return None  # the lock has no door sensor
    return ZWaveBinarySensorDescription(
        key=_key(value_id), device_class=BinarySensorDeviceClass.DOOR, inverted=True
    )


def describe_main(value_id: ValueId, stored: StoredValue) -> EntityDescription:
    """The device's main feature (light, switch, lock): named after the device."""
    return EntityDescription(key=_key(value_id), name=None)


_NOTIFICATION_TYPES = frozenset(t for t, _ in _NOTIFICATION)

_CURRENT = frozenset({SwitchValue.CURRENT_VALUE})
CLASS_SCHEMAS: tuple[DiscoverySchema, ...] = (
    DiscoverySchema(
        Platform.COVER, CommandClass.SWITCH_MULTILEVEL, _CURRENT, describe_cover, node_filter=is_motor_control
    ),
    DiscoverySchema(Platform.FAN, CommandClass.SWITCH_MULTILEVEL, _CURRENT, describe_named_main, node_filter=is_fan),
)
EVENT_SCHEMAS: tuple[DiscoverySchema, ...] = (
    DiscoverySchema(
        Platform.EVENT,
        CommandClass.CENTRAL_SCENE,
        frozenset({CentralSceneValue.SUPPORTED_KEY_ATTRIBUTES}),
        describe_central_scene,
    ),
    DiscoverySchema(
        Platform.EVENT,
        CommandClass.SCENE_ACTIVATION,
        frozenset({SceneActivationValue.SCENE_ID}),
        describe_scene_activation,
    ),
    DiscoverySchema(
        Platform.EVENT, CommandClass.NOTIFICATION, frozenset({"supported_events"}), describe_notification_events
    ),
    DiscoverySchema(Platform.SIREN, CommandClass.SOUND_SWITCH, frozenset({SoundSwitchValue.TONE_ID}), describe_siren),
)

DISCOVERY_SCHEMAS: tuple[DiscoverySchema, ...] = (
    # Multilevel Switch by device class: motor control -> cover, fan switch -> fan, else light
    *CLASS_SCHEMAS,
    DiscoverySchema(
        Platform.LIGHT, CommandClass.SWITCH_MULTILEVEL, frozenset({SwitchValue.CURRENT_VALUE}), describe_main
    ),
    DiscoverySchema(Platform.SWITCH, CommandClass.SWITCH_BINARY, frozenset({SwitchValue.CURRENT_VALUE}), describe_main),
    DiscoverySchema(Platform.LOCK, CommandClass.DOOR_LOCK, frozenset({DoorLockValue.CURRENT_MODE}), describe_main),
    DiscoverySchema(Platform.SENSOR, CommandClass.SENSOR_MULTILEVEL, None, describe_multilevel_sensor),
    DiscoverySchema(Platform.SENSOR, CommandClass.METER, frozenset({MeterValue.VALUE}), describe_meter),
    DiscoverySchema(Platform.SENSOR, CommandClass.BATTERY, frozenset({BatteryValue.LEVEL}), describe_battery_level),
    DiscoverySchema(
        Platform.BINARY_SENSOR, CommandClass.SENSOR_BINARY, frozenset({SensorBinaryValue.STATE}), describe_sensor_binary
    ),
    DiscoverySchema(
        Platform.BINARY_SENSOR, CommandClass.NOTIFICATION, _NOTIFICATION_TYPES, describe_notification
    ),
    DiscoverySchema(
        Platform.BINARY_SENSOR, CommandClass.BATTERY, frozenset({BatteryValue.IS_LOW}), describe_battery_low
    ),
    DiscoverySchema(
        Platform.BINARY_SENSOR, CommandClass.DOOR_LOCK, frozenset({DoorLockValue.DOOR_CLOSED}), describe_door_closed
    ),
    *EVENT_SCHEMAS,
)


def discover_value(value_id: ValueId, stored: StoredValue, node: Any = None) -> DiscoveryInfo | None:
    """Return the entity a value becomes, if any (``node``: its node, for the device class)."""
    for schema in DISCOVERY_SCHEMAS:
        if schema.matches(value_id, node):
            description = schema.describe(value_id, stored)
            if description is None:
                return None
            return DiscoveryInfo(schema.platform, value_id, description)
    return None
