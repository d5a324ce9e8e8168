"""Manufacturer Specific CC (0x72), v2."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.manufacturer_specific import (
    DeviceSpecificGet,
    DeviceSpecificReport,
    ManufacturerSpecificGet,
    ManufacturerSpecificReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("72 04", ManufacturerSpecificGet()),
        ("72 05 00 86 00 02 00 64", ManufacturerSpecificReport(0x0086, 0x0002, 0x0064)),
        ("72 06 01", DeviceSpecificGet(1)),
        ("72 07 01 05 41 42 43 31 32", DeviceSpecificReport(1, 0, b"ABC12")),
        ("72 07 00 23 DE AD BE", DeviceSpecificReport(0, 1, bytes.fromhex("DEADBE"))),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_values() -> None:
    assert decode_command(bytes.fromhex("72 05 00 86 00 02 00 64")).value_updates() == [
        ValueUpdate("manufacturer_id", 0x86), ValueUpdate("product_type", 2), ValueUpdate("product_id", 0x64)]
    assert DeviceSpecificReport(1, 0, b"ABC12").value_updates() == [ValueUpdate("device_id", "ABC12", 1)]
    assert DeviceSpecificReport(0, 1, b"\xde\xad").value_updates() == [ValueUpdate("device_id", "dead", 0)]


@pytest.mark.parametrize("hexstr", ["72 05 00 86 00 02 00", "72 07 01 05 41", "72 06"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))
