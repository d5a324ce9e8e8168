"""Multilevel Sensor CC (0x31), v11.

Value: property = sensor type name (``air_temperature``, ``illuminance``...; ``sensor_type_<n>``
when unknown), float value, unit from the scale, meta ``{"sensor_type": n, "scale": s}``.
The interview (v5+) stores the static ``supported_sensor_types`` (list of ids) and
``supported_scales`` keyed by sensor type id (list of scale ids).

GetSupportedSensor 01; SupportedSensorReport 02 ``[bitmask, bit0 = type 1]``;
GetSupportedScale 03 ``[type]``; Get 04 ``[type][scale << 3]`` (v5+; empty before);
Report 05 ``[type][float-with-scale]``; SupportedScaleReport 06 ``[type][bitmask low nibble]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..errors import NodeError
from ..values import ValueUpdate
from .base import CCCommand, CCContext, CCInfo, register, register_cc
from .ids import CommandClass
from .primitives import (
    bitmask_to_set,
    decode_float_with_scale,
    encode_float_with_scale,
    require,
    set_to_bitmask,
)

CC = CommandClass.SENSOR_MULTILEVEL

# Scale groups shared by several sensor types: unit per scale id (index), None = unitless.
_TEMPERATURE = ("°C", "°F")
_PERCENT = ("%",)
_MASS = ("kg",)
_ACCELERATION = ("m/s²",)
_ACIDITY = ("pH",)
_DIRECTION = ("°",)
_PRESSURE = ("kPa", "psi")
_AIR_PRESSURE = ("kPa", "inHg")
_DENSITY = ("µg/m³",)
_UNITLESS = (None,)

#: Sensor type id -> (property name, units by scale id).  Facts: Z-Wave sensor type registry.
SENSOR_TYPES: dict[int, tuple[str, tuple[str | None, ...]]] = {
    0x01: ("air_temperature", _TEMPERATURE),
    0x02: ("general_purpose", ("%", None)),
    0x03: ("illuminance", ("%", "lx")),
    0x04: ("power", ("W", "Btu/h")),
    0x05: ("humidity", ("%", "g/m³")),
    0x06: ("velocity", ("m/s", "mph")),
    0x07: ("direction", _DIRECTION),
    0x08: ("atmospheric_pressure", _AIR_PRESSURE),
    0x09: ("barometric_pressure", _AIR_PRESSURE),
    0x0A: ("solar_radiation", ("W/m²",)),
    0x0B: ("dew_point", _TEMPERATURE),
    0x0C: ("rain_rate", ("mm/h", "in/h")),
    0x0D: ("tide_level", ("m", "ft")),
    0x0E: ("weight", ("kg", "lb")),
    0x0F: ("voltage", ("V", "mV")),
    0x10: ("current", ("A", "mA")),
    0x11: ("co2_level", ("ppm",)),
    0x12: ("air_flow", ("m³/h", "ft³/min")),
    0x13: ("tank_capacity", ("L", "m³", "gal")),
    0x14: ("distance", ("m", "cm", "ft")),
    0x15: ("angle_position", ("%", "°N", "°S")),
    0x16: ("rotation", ("rpm", "Hz")),
    0x17: ("water_temperature", _TEMPERATURE),
    0x18: ("soil_temperature", _TEMPERATURE),
    0x19: ("seismic_intensity", (None, None, None, None)),  # Mercalli, EMS, Liedu, Shindo
    0x1A: ("seismic_magnitude", (None, None, None, None)),  # local, moment, surface wave, body wave
    0x1B: ("ultraviolet", (None,)),  # UV index
    0x1C: ("electrical_resistivity", ("Ωm",)),
    0x1D: ("electrical_conductivity", ("S/m",)),
    0x1E: ("loudness", ("dB", "dBA")),
    0x1F: ("moisture", ("%", "m³/m³", "kΩ", "aw")),
    0x20: ("frequency", ("Hz", "kHz")),
    0x21: ("time", ("s",)),
    0x22: ("target_temperature", _TEMPERATURE),
    0x23: ("pm25", ("mol/m³", "µg/m³")),
    0x24: ("formaldehyde_level", ("mol/m³",)),
    0x25: ("radon_concentration", ("Bq/m³", "pCi/L")),
    0x26: ("methane_density", ("mol/m³",)),
    0x27: ("voc_level", ("mol/m³", "ppm")),
    0x28: ("co_level", ("mol/m³", "ppm")),
    0x29: ("soil_humidity", _PERCENT),
    0x2A: ("soil_reactivity", _ACIDITY),
    0x2B: ("soil_salinity", ("mol/m³",)),
    0x2C: ("heart_rate", ("bpm",)),
    0x2D: ("blood_pressure", ("mmHg", "mmHg")),  # systolic, diastolic
    0x2E: ("muscle_mass", _MASS),
    0x2F: ("fat_mass", _MASS),
    0x30: ("bone_mass", _MASS),
    0x31: ("total_body_water", _MASS),
    0x32: ("basal_metabolic_rate", ("J",)),
    0x33: ("body_mass_index", (None,)),
    0x34: ("acceleration_x", _ACCELERATION),
    0x35: ("acceleration_y", _ACCELERATION),
    0x36: ("acceleration_z", _ACCELERATION),
    0x37: ("smoke_density", _PERCENT),
    0x38: ("water_flow", ("L/h",)),
    0x39: ("water_pressure", ("kPa",)),
    0x3A: ("rf_signal_strength", ("%", "dBm")),  # RSSI, power level
    0x3B: ("pm10", ("mol/m³", "µg/m³")),
    0x3C: ("respiratory_rate", ("bpm",)),
    0x3D: ("relative_modulation_level", _PERCENT),
    0x3E: ("boiler_water_temperature", _TEMPERATURE),
    0x3F: ("dhw_temperature", _TEMPERATURE),
    0x40: ("outside_temperature", _TEMPERATURE),
    0x41: ("exhaust_temperature", _TEMPERATURE),
    0x42: ("water_chlorine_level", ("mg/L",)),
    0x43: ("water_acidity", _ACIDITY),
    0x44: ("water_oxidation_reduction_potential", ("mV",)),
    0x45: ("heart_rate_lf_hf_ratio", _UNITLESS),
    0x46: ("motion_direction", _DIRECTION),
    0x47: ("applied_force", ("N",)),
    0x48: ("return_air_temperature", _TEMPERATURE),
    0x49: ("supply_air_temperature", _TEMPERATURE),
    0x4A: ("condenser_coil_temperature", _TEMPERATURE),
    0x4B: ("evaporator_coil_temperature", _TEMPERATURE),
    0x4C: ("liquid_line_temperature", _TEMPERATURE),
    0x4D: ("discharge_line_temperature", _TEMPERATURE),
    0x4E: ("suction_pressure", _PRESSURE),
    0x4F: ("discharge_pressure", _PRESSURE),
    0x50: ("defrost_temperature", _TEMPERATURE),
    0x51: ("ozone", _DENSITY),
    0x52: ("sulfur_dioxide", _DENSITY),
    0x53: ("nitrogen_dioxide", _DENSITY),
    0x54: ("ammonia", _DENSITY),
    0x55: ("lead", _DENSITY),
    0x56: ("pm1", _DENSITY),
    0x57: ("person_counter_entering", _UNITLESS),
    0x58: ("person_counter_exiting", _UNITLESS),
}


def sensor_name(sensor_type: int) -> str:
    """Property name of a sensor type (``sensor_type_<n>`` when unknown)."""
    entry = SENSOR_TYPES.get(sensor_type)
    return entry[0] if entry else f"sensor_type_{sensor_type}"


def sensor_unit(sensor_type: int, scale: int) -> str | None:
    """Unit of a (sensor type, scale), None when unitless or unknown."""
    entry = SENSOR_TYPES.get(sensor_type)
    if entry is None or scale >= len(entry[1]):
        return None
    return entry[1][scale]


@register
@dataclass(frozen=True, slots=True)
class SensorMultilevelReport(CCCommand):
    """A sensor reading: type, value, scale (and the precision/size it was sent with)."""

    cc_id = CC
    command_id = 0x05
    sensor_type: int
    value: float
    scale: int = 0
    #: Encoding details; None picks the smallest that holds the value.
    precision: int | None = None
    size: int | None = None

    def encode_payload(self) -> bytes:
        value = encode_float_with_scale(self.value, self.scale, self.precision, self.size)
        return bytes((self.sensor_type,)) + value

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multilevel Sensor Report")
        value, scale, precision, size = decode_float_with_scale(payload, 1)
        return cls(payload[0], value, scale, precision, size)

    def value_updates(self) -> list[ValueUpdate]:
        return [
            ValueUpdate(
                sensor_name(self.sensor_type),
                self.value,
                unit=sensor_unit(self.sensor_type, self.scale),
                meta={"sensor_type": self.sensor_type, "scale": self.scale},
            )
        ]

    def answers(self, get: CCCommand) -> bool:
        if not isinstance(get, SensorMultilevelGet):
            return False
        return get.sensor_type is None or get.sensor_type == self.sensor_type


@register
@dataclass(frozen=True, slots=True)
class SensorMultilevelGet(CCCommand):
    """Ask for a reading; ``sensor_type``/``scale`` (v5+) None sends the v1 Get without fields."""

    cc_id = CC
    command_id = 0x04
    expects = SensorMultilevelReport
    sensor_type: int | None = None
    scale: int = 0

    def encode_payload(self) -> bytes:
        if self.sensor_type is None:
            return b""
        return bytes((self.sensor_type, (self.scale & 0x03) << 3))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        if len(payload) >= 2:
            return cls(payload[0], (payload[1] >> 3) & 0x03)
        return cls()


@register
@dataclass(frozen=True, slots=True)
class SensorMultilevelSupportedSensorReport(CCCommand):
    """Supported sensor types (v5+)."""

    cc_id = CC
    command_id = 0x02
    sensor_types: frozenset[int]

    def encode_payload(self) -> bytes:
        return set_to_bitmask(set(self.sensor_types), start=1)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multilevel Sensor SupportedSensorReport")
        return cls(frozenset(bitmask_to_set(payload, start=1)))


@register
@dataclass(frozen=True, slots=True)
class SensorMultilevelSupportedSensorGet(CCCommand):
    """Ask for the supported sensor types (v5+)."""

    cc_id = CC
    command_id = 0x01
    expects = SensorMultilevelSupportedSensorReport


@register
@dataclass(frozen=True, slots=True)
class SensorMultilevelSupportedScaleReport(CCCommand):
    """Supported scales of one sensor type (v5+)."""

    cc_id = CC
    command_id = 0x06
    sensor_type: int
    scales: frozenset[int]

    def encode_payload(self) -> bytes:
        return bytes((self.sensor_type,)) + set_to_bitmask(set(self.scales), length=1)

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 2, "Multilevel Sensor SupportedScaleReport")
        return cls(payload[0], frozenset(bitmask_to_set(bytes((payload[1] & 0x0F,)))))

    def answers(self, get: CCCommand) -> bool:
        return isinstance(get, SensorMultilevelSupportedScaleGet) and get.sensor_type == self.sensor_type


@register
@dataclass(frozen=True, slots=True)
class SensorMultilevelSupportedScaleGet(CCCommand):
    """Ask for the supported scales of one sensor type (v5+)."""

    cc_id = CC
    command_id = 0x03
    expects = SensorMultilevelSupportedScaleReport
    sensor_type: int

    def encode_payload(self) -> bytes:
        return bytes((self.sensor_type,))

    @classmethod
    def decode_payload(cls, payload: bytes) -> Self:
        require(payload, 1, "Multilevel Sensor SupportedScaleGet")
        return cls(payload[0])


async def _interview(ctx: CCContext) -> None:
    if ctx.version >= 5:
        try:
            report = await ctx.get(SensorMultilevelSupportedSensorGet())
        except NodeError:
            report = None
        if isinstance(report, SensorMultilevelSupportedSensorReport):
            types = sorted(report.sensor_types)
            ctx.set_static("supported_sensor_types", types)
            for sensor_type in types:
                try:
                    scales = await ctx.get(SensorMultilevelSupportedScaleGet(sensor_type))
                except NodeError:
                    continue
                if isinstance(scales, SensorMultilevelSupportedScaleReport):
                    ctx.set_static("supported_scales", sorted(scales.scales), sensor_type)
    await _refresh(ctx)


async def _refresh(ctx: CCContext) -> None:
    types = ctx.value("supported_sensor_types") if ctx.version >= 5 else None
    if not types:
        await ctx.get(SensorMultilevelGet())
        return
    for sensor_type in types:
        scales = ctx.value("supported_scales", sensor_type) or [0]
        try:
            await ctx.get(SensorMultilevelGet(sensor_type, scales[0]))
        except NodeError:
            continue


INFO = register_cc(CCInfo(CC, "Multilevel Sensor", 11, interview=_interview, refresh=_refresh))
