"""Meter CC (0x32): report layout (scale bit 2, scale2, rate type, delta/previous), keys, reset."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.meter import (
    MeterGet,
    MeterReport,
    MeterReset,
    MeterSupportedGet,
    MeterSupportedReport,
    meter_key,
    meter_unit,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

# Report byte 0: b7 scale bit 2 | b6..5 rate type | b4..0 meter type (1 electric, 2 gas, 3 water).
# Byte 1: precision (7..5) | scale bits 1..0 (4..3) | size (2..0).
ROUND_TRIP = [
    ("3201", MeterGet()),
    ("320110", MeterGet(2, 0)),  # W
    ("320150", MeterGet(2, 1)),  # W, consumed
    ("32017800", MeterGet(7, 1)),  # kVar: scale1 = 7, scale2 = 0
    ("3201b801", MeterGet(8, 2)),  # kVarh produced: scale2 = 1
    ("3203", MeterSupportedGet()),
    # electric, v1 layout: no delta time
    ("3202014400003039", MeterReport(1, 0, 123.45, 0, None, None, 2, 4)),
    # W consumed, delta 60 s, previous 95.0 W
    ("3202213203e8003c03b6", MeterReport(1, 2, 100.0, 1, 60, 95.0, 1, 2)),
    # delta 0: no previous value
    ("3202213203e80000", MeterReport(1, 2, 100.0, 1, 0, None, 1, 2)),
    # delta unknown
    ("3202213203e8ffff", MeterReport(1, 2, 100.0, 1, 0xFFFF, None, 1, 2)),
    # V (scale 4: bit 2 in byte 0)
    ("3202a122090c0000", MeterReport(1, 4, 231.6, 1, 0, None, 1, 2)),
    # A (scale 5)
    ("3202814a01f4", MeterReport(1, 5, 5.0, 0, None, None, 2, 2)),
    # power factor (scale 6)
    ("3202c15162", MeterReport(1, 6, 0.98, 2, None, None, 2, 1)),
    # kVar (scale1 7, scale2 0) and kVarh (scale2 1)
    ("3202a1190a000000", MeterReport(1, 7, 10.0, 1, 0, None, 0, 1)),
    ("3202a1190a000001", MeterReport(1, 8, 10.0, 1, 0, None, 0, 1)),
    ("3202a1190a003c0801", MeterReport(1, 8, 10.0, 1, 60, 8.0, 0, 1)),
    # electric kWh produced
    ("3202414400003039", MeterReport(1, 0, 123.45, 2, None, None, 2, 4)),
    # gas m³ and water US gallons
    ("320202640001e240", MeterReport(2, 0, 123.456, 0, None, None, 3, 4)),
    ("32022334000004d20000", MeterReport(3, 2, 123.4, 1, 0, None, 1, 4)),
    # heating, cooling
    ("32020401 07", MeterReport(4, 0, 7.0, 0, None, None, 0, 1)),
    ("32020501 07", MeterReport(5, 0, 7.0, 0, None, None, 0, 1)),
    # electric, reset supported, rate types consumed+produced, scales kWh W V A
    ("3204e135", MeterSupportedReport(1, frozenset({0, 2, 4, 5}), True, frozenset({1, 2}))),
    ("32040301", MeterSupportedReport(3, frozenset({0}))),
    # kWh, W and kVarh (scale 8 = bit 1 of the extra bitmask)
    ("3204818501 02", MeterSupportedReport(1, frozenset({0, 2, 8}), True)),
    ("3205", MeterReset()),
    ("3205210100", MeterReset(1, 0, 1, 0.0)),  # v6: reset kWh consumed to 0
    ("320581190001", MeterReset(1, 8, 0, 0.0)),  # v6: kVarh
    ("320501423039", MeterReset(1, 0, 0, 123.45)),  # v6: set kWh to 123.45
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize(
    ("command", "hexbytes"),
    [
        # Without precision/size: value and previous value share the size that holds both.
        (MeterReport(1, 2, 100.0, 1, 60, 95.5), "3202213203e8003c03bb"),
        (MeterReport(1, 0, 1.5, 0, 60, 1000.0), "32020122000f003c2710"),
        # scale >= 7 without a delta time still carries scale2 after a zero delta
        (MeterReport(1, 8, 3.0), "3202811903000001"),
    ],
)
def test_encode_defaults(command: CCCommand, hexbytes: str) -> None:
    assert command.to_bytes().hex() == hexbytes


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        # scale1 = 7 without the scale2 byte reads as scale 7 (kVar)
        ("3202a1190a", MeterReport(1, 7, 10.0, 1, None, None, 0, 1)),
        # a non-zero delta without room for the previous value
        ("3202213203e8003c", MeterReport(1, 2, 100.0, 1, 60, None, 1, 2)),
        ("320178", MeterGet(7, 1)),  # scale2 missing
        # "more scales" with an empty extra bitmask
        ("3204018100", MeterSupportedReport(1, frozenset({0}))),
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize(
    "hexbytes",
    [
        "3202",
        "320201",  # no float header
        "32040181",  # more scales without a count
        "32020144000030",  # value truncated
        "320201430000",  # size 3
        "320401",  # no scale bitmask
        "32040185",  # more scales without a count
        "3204018102ff",  # count larger than the payload
        "320501",  # reset with a type but no value
        "32058119 00",  # scale2 missing in a v6 reset
    ],
)
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize(
    ("hexbytes", "key", "value", "unit", "meta"),
    [
        ("3202014400003039", "electric_kwh", 123.45, "kWh", {"meter_type": 1, "scale": 0, "rate_type": 0}),
        ("3202213203e80000", "electric_w", 100.0, "W", {"meter_type": 1, "scale": 2, "rate_type": 1}),
        ("3202a122090c0000", "electric_v", 231.6, "V", {"meter_type": 1, "scale": 4, "rate_type": 1}),
        ("3202814a01f4", "electric_a", 5.0, "A", {"meter_type": 1, "scale": 5, "rate_type": 0}),
        ("3202815162", "electric_power_factor", 0.98, None, {"meter_type": 1, "scale": 6, "rate_type": 0}),
        ("3202a1190a000000", "electric_kvar", 10.0, "kVar", {"meter_type": 1, "scale": 7, "rate_type": 1}),
        ("3202a1190a000001", "electric_kvarh", 10.0, "kVarh", {"meter_type": 1, "scale": 8, "rate_type": 1}),
        (
            "3202414400003039",
            "electric_kwh_produced",
            123.45,
            "kWh",
            {"meter_type": 1, "scale": 0, "rate_type": 2},
        ),
        ("320202640001e240", "gas_m3", 123.456, "m³", {"meter_type": 2, "scale": 0, "rate_type": 0}),
        ("3202020901", "gas_ft3", 1.0, "ft³", {"meter_type": 2, "scale": 1, "rate_type": 0}),
        ("3202021901", "gas_pulse", 1.0, None, {"meter_type": 2, "scale": 3, "rate_type": 0}),
        ("3202031101", "water_us_gallons", 1.0, "gal", {"meter_type": 3, "scale": 2, "rate_type": 0}),
        ("3202030101", "water_m3", 1.0, "m³", {"meter_type": 3, "scale": 0, "rate_type": 0}),
        ("3202040101", "heating_kwh", 1.0, "kWh", {"meter_type": 4, "scale": 0, "rate_type": 0}),
        ("3202050101", "cooling_kwh", 1.0, "kWh", {"meter_type": 5, "scale": 0, "rate_type": 0}),
        ("3202020101", "gas_m3", 1.0, "m³", {"meter_type": 2, "scale": 0, "rate_type": 0}),
        ("32021f0101", "meter_31_scale_0", 1.0, None, {"meter_type": 31, "scale": 0, "rate_type": 0}),
        ("3202021101", "gas_scale_2", 1.0, None, {"meter_type": 2, "scale": 2, "rate_type": 0}),
    ],
)
def test_value_updates(hexbytes: str, key: str, value: float, unit: str | None, meta: dict) -> None:
    assert decode_command(bytes.fromhex(hexbytes)).value_updates() == [
        ValueUpdate("value", value, key, unit=unit, meta=meta)
    ]


def test_keys_and_units() -> None:
    assert meter_key(1, 3) == "electric_pulse"
    assert meter_key(3, 1) == "water_ft3"
    assert meter_key(3, 3) == "water_pulse"
    assert meter_key(1, 1) == "electric_kvah"
    assert meter_key(1, 0, 1) == "electric_kwh"
    assert meter_unit(1, 1) == "kVAh"
    assert meter_unit(9, 0) is None


def test_answers() -> None:
    kwh = MeterReport(1, 0, 1.0, 1)
    assert kwh.answers(MeterGet())
    assert kwh.answers(MeterGet(0, 1))
    assert kwh.answers(MeterGet(0, None))
    assert not kwh.answers(MeterGet(2, 1))
    assert not kwh.answers(MeterGet(0, 2))
    assert not kwh.answers(MeterSupportedGet())


@pytest.mark.parametrize(
    ("value", "key", "version", "expected"),
    [
        (True, None, 2, "3205"),
        (True, None, 6, "3205"),
        (True, "electric_kwh", 6, "3205010100"),
        (None, "electric_kvarh", 6, "320581190001"),
        (12.5, "water_m3", 6, "320503217d"),
        (0, "electric_kwh_produced", 6, "3205410100"),
    ],
)
def test_set_value_reset(value: object, key: str | None, version: int, expected: str) -> None:
    info = cc_info(0x32)
    assert info is not None and info.set_value is not None
    assert info.set_value("reset", value, key, {}, version).to_bytes().hex() == expected


@pytest.mark.parametrize(
    ("prop", "value", "key", "version"),
    [
        ("value", 1.0, "electric_kwh", 6),
        ("reset", True, None, 1),
        ("reset", True, "electric_kwh", 5),
        ("reset", True, "electric_bogus", 6),
        ("reset", "zero", "electric_kwh", 6),
        ("reset", True, 7, 6),
    ],
)
def test_set_value_errors(prop: str, value: object, key: object, version: int) -> None:
    info = cc_info(0x32)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, key, {}, version)


async def test_interview_v6() -> None:
    info = cc_info(0x32)
    assert info is not None and info.interview is not None
    answers = {
        "3203": "3204a105",  # electric, reset, consumed, kWh + W
        "320140": "32022144000030390000",
        "320150": "3202213203e80000",
    }
    ctx = FakeContext(answers, version=6)
    await info.interview(ctx)
    assert ctx.sent == ["3203", "320140", "320150"]
    assert ctx.value("meter_type") == 1
    assert ctx.value("supported_scales") == [0, 2]
    assert ctx.value("supported_rate_types") == [1]
    assert ctx.value("reset_supported") is True
    assert ctx.value("value", "electric_kwh") == 123.45
    assert ctx.value("value", "electric_w") == 100.0
    await info.run_refresh(ctx)
    assert ctx.sent[3:] == ["320140", "320150"]


async def test_interview_v3_ignores_rate_types_and_skips_unanswered() -> None:
    info = cc_info(0x32)
    assert info is not None and info.interview is not None
    answers = {"3203": "3204e105", "320110": "3202213203e80000"}  # kWh never answers
    ctx = FakeContext(answers, version=3)
    await info.interview(ctx)
    assert ctx.sent == ["3203", "320100", "320110"]
    assert ctx.value("supported_rate_types") == []
    assert ctx.value("value", "electric_w") == 100.0


async def test_interview_v1() -> None:
    info = cc_info(0x32)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"3201": "3202014400003039"}, version=1)
    await info.interview(ctx)
    assert ctx.sent == ["3201"]
    assert ctx.value("value", "electric_kwh") == 123.45
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=1))
