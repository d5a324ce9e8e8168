"""Generic Schedule CC (0xA3), v1: seed 002 vectors (in-use bits)."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.generic_schedule import (
    GenericScheduleCapabilitiesGet,
    GenericScheduleCapabilitiesReport,
    ScheduleGet,
    ScheduleReport,
    ScheduleSet,
    TimeRange,
    TimeRangeGet,
    TimeRangeReport,
    TimeRangeSet,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError

WEEKDAYS_8_TO_17 = TimeRange(weekdays=(1, 2, 3, 4, 5), daily_start_hour=8, daily_stop_hour=17)
# The seed describes this range as "1:23pm to 6:45pm" but its start hour byte is 0x8E = 14 (2 pm).
JUNE_5_2019 = TimeRange(start_year=2019, stop_year=2019, start_month=6, stop_month=6, start_day=5, stop_day=5,
                        start_hour=14, stop_hour=18, start_minute=23, stop_minute=45)


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        # seed 002: time range 1, Monday-Friday, daily 08:00-17:00
        ("A3 03 00 01 BE 00 00 00 00 00 00 00 00 00 00 00 00 88 91 00 00", TimeRangeSet(1, WEEKDAYS_8_TO_17)),
        # seed 002: time range 2, 5 June 2019 (year MSB byte carries the in-use bit, LSB plain)
        ("A3 03 00 02 00 87 E3 87 E3 86 86 85 85 8E 92 97 AD 00 00 00 00", TimeRangeSet(2, JUNE_5_2019)),
        # seed 002: schedule 1 includes range 1 and excludes range 2
        ("A3 06 00 01 02 80 01 00 02", ScheduleSet(1, ((1, True), (2, False)))),
        # erase everything
        ("A3 03 00 00 " + "00 " * 17, TimeRangeSet(0)),
        ("A3 06 00 00 00", ScheduleSet(0)),
        ("A3 01", GenericScheduleCapabilitiesGet()),
        ("A3 02 00 10 00 20 04 07", GenericScheduleCapabilitiesReport(16, 32, 4)),
        ("A3 04 00 02", TimeRangeGet(2)),
        ("A3 05 00 01 BE 00 00 00 00 00 00 00 00 00 00 00 00 88 91 00 00 00 02",
         TimeRangeReport(1, WEEKDAYS_8_TO_17, 2)),
        ("A3 07 00 01", ScheduleGet(1)),
        ("A3 08 00 01 01 80 01 00 00", ScheduleReport(1, ((1, True),), 0)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_in_use() -> None:
    assert not TimeRange().in_use
    assert WEEKDAYS_8_TO_17.in_use


@pytest.mark.parametrize("hexstr", ["A3 03 00 01 BE 00", "A3 06 00 01 02 80 01", "A3 08 00 01 00", "A3 02 00 10"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


@pytest.mark.parametrize(
    "cmd",
    [TimeRangeSet(1, TimeRange(start_hour=24 + 8)), TimeRangeSet(1, TimeRange(weekdays=(7,))),
     TimeRangeSet(0x8000), ScheduleSet(1, ((0x8000, True),))],
)
def test_encode_errors(cmd: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        cmd.to_bytes()
