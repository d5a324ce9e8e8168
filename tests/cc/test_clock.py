"""Clock CC (0x81) byte vectors."""

from __future__ import annotations

from datetime import datetime

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.clock import ClockGet, ClockReport, ClockSet
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("81 04 25 1E", ClockSet(1, 5, 30)),  # Monday 05:30: 001 00101
        ("81 04 F7 3B", ClockSet(7, 23, 59)),  # Sunday 23:59: 111 10111
        ("81 05", ClockGet()),
        ("81 06 0C 00", ClockReport(0, 12, 0)),  # weekday unknown
        ("81 06 6A 2D", ClockReport(3, 10, 45)),  # Wednesday 10:45
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_from_local_time() -> None:
    assert ClockSet.at(datetime(2026, 11, 29, 17, 4)) == ClockSet(7, 17, 4)  # a Sunday
    assert ClockSet.at(datetime(2026, 11, 30, 0, 0)).to_bytes() == bytes.fromhex("81 04 20 00")


@pytest.mark.parametrize("bad", [ClockSet(8, 0, 0), ClockSet(1, 24, 0), ClockSet(1, 0, 60)])
def test_invalid(bad: ClockSet) -> None:
    with pytest.raises(CCEncodeError):
        bad.to_bytes()


def test_short() -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex("81 06 25"))
