"""Multilevel Sensor CC (0x31): float-with-scale vectors, the type table and the interview."""

from __future__ import annotations

import re

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.sensor_multilevel import (
    SENSOR_TYPES,
    SensorMultilevelGet,
    SensorMultilevelReport,
    SensorMultilevelSupportedScaleGet,
    SensorMultilevelSupportedScaleReport,
    SensorMultilevelSupportedSensorGet,
    SensorMultilevelSupportedSensorReport,
    sensor_name,
    sensor_unit,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

# Header byte of a float-with-scale: precision (bits 7..5) | scale (4..3) | size (2..0).
ROUND_TRIP = [
    ("3101", SensorMultilevelSupportedSensorGet()),
    ("310215", SensorMultilevelSupportedSensorReport(frozenset({1, 3, 5}))),
    ("31020100000000000080", SensorMultilevelSupportedSensorReport(frozenset({1, 64}))),
    ("310301", SensorMultilevelSupportedScaleGet(1)),
    ("3104", SensorMultilevelGet()),
    ("31040100", SensorMultilevelGet(1, 0)),
    ("31040308", SensorMultilevelGet(3, 1)),
    ("3105012200eb", SensorMultilevelReport(1, 23.5, 0, 1, 2)),  # 23.5 °C
    ("310501220009", SensorMultilevelReport(1, 0.9, 0, 1, 2)),  # size 2 kept though 1 would do
    ("31050122ff9c", SensorMultilevelReport(1, -10.0, 0, 1, 2)),  # -10.0 °C
    ("3105012a02d0", SensorMultilevelReport(1, 72.0, 1, 1, 2)),  # 72.0 °F
    ("3105030a0190", SensorMultilevelReport(3, 400.0, 1, 0, 2)),  # 400 lx
    ("310505012d", SensorMultilevelReport(5, 45.0, 0, 0, 1)),  # 45 %
    ("3105044400003039", SensorMultilevelReport(4, 123.45, 0, 2, 4)),  # 123.45 W
    ("31050f22090c", SensorMultilevelReport(15, 231.6, 0, 1, 2)),  # 231.6 V
    ("310511020190", SensorMultilevelReport(17, 400.0, 0, 0, 2)),  # 400 ppm CO2
    ("31051b0105", SensorMultilevelReport(27, 5.0, 0, 0, 1)),  # UV index 5
    ("31060103", SensorMultilevelSupportedScaleReport(1, frozenset({0, 1}))),
    ("31060302", SensorMultilevelSupportedScaleReport(3, frozenset({1}))),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize(
    ("command", "hexbytes"),
    [
        # Without precision/size the encoder picks the smallest that holds the value.
        (SensorMultilevelReport(1, 23.5), "3105012200eb"),
        (SensorMultilevelReport(1, 21.0), "3105010115"),
        (SensorMultilevelReport(1, -0.5), "31050121fb"),
        (SensorMultilevelReport(4, 70000.0), "3105040400011170"),
        (SensorMultilevelReport(3, 400.0, 1), "3105030a0190"),
    ],
)
def test_encode_smallest(command: CCCommand, hexbytes: str) -> None:
    assert command.to_bytes().hex() == hexbytes
    assert decode_command(bytes.fromhex(hexbytes)).value == command.value  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        ("310601f3", SensorMultilevelSupportedScaleReport(1, frozenset({0, 1}))),  # high nibble reserved
        ("310401", SensorMultilevelGet()),  # a truncated v5 Get reads as the v1 Get
        ("3104011f", SensorMultilevelGet(1, 3)),
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize(
    "hexbytes",
    [
        "3105",  # no type
        "310501",  # no float header
        "3105012300eb00",  # size 3 is invalid
        "3105012000",  # size 0 is invalid
        "31050122ff",  # value truncated
        "3105014400",  # 4-byte value truncated
        "3102",  # empty bitmask
        "310601",  # no scale bitmask
        "3103",  # no type
    ],
)
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize(
    ("hexbytes", "update"),
    [
        (
            "3105012200eb",
            ValueUpdate("air_temperature", 23.5, unit="°C", meta={"sensor_type": 1, "scale": 0}),
        ),
        (
            "3105012a02d0",
            ValueUpdate("air_temperature", 72.0, unit="°F", meta={"sensor_type": 1, "scale": 1}),
        ),
        ("3105030a0190", ValueUpdate("illuminance", 400.0, unit="lx", meta={"sensor_type": 3, "scale": 1})),
        ("3105030132", ValueUpdate("illuminance", 50.0, unit="%", meta={"sensor_type": 3, "scale": 0})),
        ("310505012d", ValueUpdate("humidity", 45.0, unit="%", meta={"sensor_type": 5, "scale": 0})),
        ("3105044400003039", ValueUpdate("power", 123.45, unit="W", meta={"sensor_type": 4, "scale": 0})),
        ("31050f22090c", ValueUpdate("voltage", 231.6, unit="V", meta={"sensor_type": 15, "scale": 0})),
        ("3105104a01f4", ValueUpdate("current", 5.0, unit="mA", meta={"sensor_type": 16, "scale": 1})),
        ("310511020190", ValueUpdate("co2_level", 400.0, unit="ppm", meta={"sensor_type": 17, "scale": 0})),
        (
            "3105082203f5",
            ValueUpdate("atmospheric_pressure", 101.3, unit="kPa", meta={"sensor_type": 8, "scale": 0}),
        ),
        ("31051b0105", ValueUpdate("ultraviolet", 5.0, unit=None, meta={"sensor_type": 27, "scale": 0})),
        ("3105230119", ValueUpdate("pm25", 25.0, unit="mol/m³", meta={"sensor_type": 0x23, "scale": 0})),
        ("3105230919", ValueUpdate("pm25", 25.0, unit="µg/m³", meta={"sensor_type": 0x23, "scale": 1})),
        ("3105011105", ValueUpdate("air_temperature", 5.0, unit=None, meta={"sensor_type": 1, "scale": 2})),
        ("3105990105", ValueUpdate("sensor_type_153", 5.0, unit=None, meta={"sensor_type": 153, "scale": 0})),
    ],
)
def test_value_updates(hexbytes: str, update: ValueUpdate) -> None:
    assert decode_command(bytes.fromhex(hexbytes)).value_updates() == [update]


def test_type_table_is_complete() -> None:
    # The registry has consecutive ids 0x01..0x58 (air temperature .. person counter exiting).
    assert sorted(SENSOR_TYPES) == list(range(0x01, 0x59))
    names = [name for name, _units in SENSOR_TYPES.values()]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names)
    assert all(1 <= len(units) <= 4 for _name, units in SENSOR_TYPES.values())


@pytest.mark.parametrize(
    ("sensor_type", "scale", "name", "unit"),
    [
        (0x01, 0, "air_temperature", "°C"),
        (0x02, 1, "general_purpose", None),
        (0x06, 1, "velocity", "mph"),
        (0x09, 1, "barometric_pressure", "inHg"),
        (0x0B, 0, "dew_point", "°C"),
        (0x12, 0, "air_flow", "m³/h"),
        (0x13, 2, "tank_capacity", "gal"),
        (0x14, 1, "distance", "cm"),
        (0x17, 1, "water_temperature", "°F"),
        (0x19, 3, "seismic_intensity", None),
        (0x1F, 3, "moisture", "aw"),
        (0x20, 1, "frequency", "kHz"),
        (0x25, 0, "radon_concentration", "Bq/m³"),
        (0x27, 1, "voc_level", "ppm"),
        (0x28, 1, "co_level", "ppm"),
        (0x2D, 1, "blood_pressure", "mmHg"),
        (0x34, 0, "acceleration_x", "m/s²"),
        (0x3A, 1, "rf_signal_strength", "dBm"),
        (0x3B, 1, "pm10", "µg/m³"),
        (0x3F, 0, "dhw_temperature", "°C"),
        (0x44, 0, "water_oxidation_reduction_potential", "mV"),
        (0x4F, 1, "discharge_pressure", "psi"),
        (0x51, 0, "ozone", "µg/m³"),
        (0x56, 0, "pm1", "µg/m³"),
        (0x58, 0, "person_counter_exiting", None),
        (0x59, 0, "sensor_type_89", None),
        (0x01, 3, "air_temperature", None),
    ],
)
def test_names_and_units(sensor_type: int, scale: int, name: str, unit: str | None) -> None:
    assert sensor_name(sensor_type) == name
    assert sensor_unit(sensor_type, scale) == unit


def test_answers() -> None:
    report = SensorMultilevelReport(1, 20.0)
    assert report.answers(SensorMultilevelGet())
    assert report.answers(SensorMultilevelGet(1, 1))  # the device may answer in another scale
    assert not report.answers(SensorMultilevelGet(3, 0))
    scales = SensorMultilevelSupportedScaleReport(3, frozenset({1}))
    assert scales.answers(SensorMultilevelSupportedScaleGet(3))
    assert not scales.answers(SensorMultilevelSupportedScaleGet(1))


async def test_interview_v11() -> None:
    info = cc_info(0x31)
    assert info is not None and info.interview is not None
    answers = {
        "3101": "310205",  # air temperature, illuminance
        "310301": "31060103",  # °C, °F
        "310303": "31060302",  # lux only
        "31040100": "3105012200eb",
        "31040308": "3105030a0190",
    }
    ctx = FakeContext(answers, version=11)
    await info.interview(ctx)
    assert ctx.sent == ["3101", "310301", "310303", "31040100", "31040308"]
    assert ctx.value("supported_sensor_types") == [1, 3]
    assert ctx.value("supported_scales", 1) == [0, 1]
    assert ctx.value("supported_scales", 3) == [1]
    assert ctx.value("air_temperature") == 23.5
    assert ctx.value("illuminance") == 400.0
    await info.run_refresh(ctx)
    assert ctx.sent[5:] == ["31040100", "31040308"]


async def test_interview_optional_gets_unanswered() -> None:
    info = cc_info(0x31)
    assert info is not None and info.interview is not None
    # The scales of type 3 and the reading of type 1 never come: the other reading still does.
    answers = {"3101": "310205", "310301": "31060103", "31040300": "3105030132"}
    ctx = FakeContext(answers, version=5)
    await info.interview(ctx)
    assert ctx.sent == ["3101", "310301", "310303", "31040100", "31040300"]
    assert ctx.value("illuminance") == 50.0
    assert ctx.value("air_temperature") is None


async def test_interview_v4() -> None:
    info = cc_info(0x31)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"3104": "310505012d"}, version=4)
    await info.interview(ctx)
    assert ctx.sent == ["3104"]
    assert ctx.value("humidity") == 45.0
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=1))
