"""The declarative discovery table (pure: value id + stored value -> entity description)."""

from __future__ import annotations

import pytest
from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import Platform

from custom_components.zwave_serial.devices import manufacturer_name, model_name
from custom_components.zwave_serial.discovery import discover_value
from custom_components.zwave_serial.zwave import StoredValue, ValueId


def _discover(cc: int, prop: str, key: object = None, value: object = 1, unit: str | None = None, meta=None):
    if meta is None:
        meta = {"sensor_type": 1, "scale": 0} if cc == 0x31 else {}
    return discover_value(ValueId(2, 0, cc, prop, key), StoredValue(value, unit, meta))


@pytest.mark.parametrize(
    ("cc", "prop", "key", "unit", "platform"),
    [
        (0x26, "current_value", None, None, Platform.LIGHT),
        (0x25, "current_value", None, None, Platform.SWITCH),
        (0x62, "current_mode", None, None, Platform.LOCK),
        (0x31, "air_temperature", None, "°C", Platform.SENSOR),
        (0x32, "value", "electric_kwh", "kWh", Platform.SENSOR),
        (0x80, "level", None, "%", Platform.SENSOR),
        (0x30, "state", "motion", None, Platform.BINARY_SENSOR),
        (0x71, "home_security", "motion_sensor_status", None, Platform.BINARY_SENSOR),
        (0x80, "is_low", None, None, Platform.BINARY_SENSOR),
    ],
)
def test_platforms(cc: int, prop: str, key: object, unit: str | None, platform: Platform) -> None:
    """Each primary value maps to its platform."""
    info = _discover(cc, prop, key, unit=unit)
    assert info is not None
    assert info.platform is platform
    assert info.node_id == 2


@pytest.mark.parametrize(
    ("cc", "prop", "key"),
    [
        (0x26, "target_value", None),  # only current_value is primary
        (0x32, "value", "electric_kvarh"),  # meters without an HA device class
        (0x71, "access_control", "lock_state"),  # part of the lock entity
        (0x71, "system", "hardware_status"),
        (0x84, "wake_up_interval", None),
        (0x63, "user_code", 1),
    ],
)
def test_not_discovered(cc: int, prop: str, key: object) -> None:
    """Values that are no entity of their own."""
    assert _discover(cc, prop, key, unit="kvarh") is None


def test_multilevel_interview_values() -> None:
    """Supported types/scales of a Multilevel Sensor are no readings."""
    assert _discover(0x31, "supported_sensor_types", value=[1, 3], meta={}) is None
    assert _discover(0x31, "supported_scales", 1, value=[0], meta={}) is None


def test_meter_without_unit() -> None:
    """A meter value without a unit is skipped."""
    assert _discover(0x32, "value", "electric_w", unit=None) is None


def test_multilevel_sensor_descriptions() -> None:
    """Device class only when the unit fits; otherwise a translated or plain name."""
    temp = _discover(0x31, "air_temperature", unit="°F").description
    assert temp.device_class is SensorDeviceClass.TEMPERATURE
    assert temp.native_unit_of_measurement == "°F"
    lux_pct = _discover(0x31, "illuminance", unit="%").description
    assert lux_pct.device_class is None
    assert lux_pct.translation_key == "illuminance"
    other = _discover(0x31, "soil_salinity", unit="mol/m³").description
    assert other.device_class is None
    assert other.name == "Soil salinity"
    energy = _discover(0x32, "value", "electric_kwh", unit="kWh").description
    assert energy.state_class is SensorStateClass.TOTAL_INCREASING
    water = _discover(0x32, "value", "water_m3", unit="m³").description
    assert water.device_class is SensorDeviceClass.WATER


def test_binary_descriptions() -> None:
    """Door state is on only while open (22); unknown binary sensor types get a name."""
    door = _discover(0x71, "access_control", "door_state").description
    assert door.device_class is BinarySensorDeviceClass.DOOR
    assert door.on_values == frozenset({22})
    general = _discover(0x30, "state", "general").description
    assert general.device_class is None
    assert general.translation_key == "sensor_binary"


def test_device_names() -> None:
    """Known manufacturers by name, unknown by hex ID; models by product IDs."""
    assert manufacturer_name(0x0086) == "Aeotec"
    assert manufacturer_name(0x7777) == "Manufacturer 0x7777"
    assert manufacturer_name(None) is None
    assert model_name(0x0003, 0x0002) == "Product 0x0003:0x0002"
    assert model_name(None, 1) is None
