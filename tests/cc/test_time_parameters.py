"""Time Parameters CC (0x8B) byte vectors, and the hub's zone arithmetic (zwave/timekeeping.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.time import DateGet, TimeGet, TimeOffsetGet, TimeOffsetReport
from custom_components.zwave_serial.zwave.cc.time_parameters import (
    TimeParametersGet,
    TimeParametersReport,
    TimeParametersSet,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.timekeeping import (
    answer_time_get,
    dst_info,
    next_transition,
    time_offset_report,
    zone,
)


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("8B 01 07 E3 09 0A 05 06 07", TimeParametersSet(2019, 9, 10, 5, 6, 7)),
        ("8B 02", TimeParametersGet()),
        ("8B 03 07 EA 0C 1F 17 3B 3B", TimeParametersReport(2026, 12, 31, 23, 59, 59)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_set_from_aware_time_is_utc() -> None:
    local = datetime(2026, 7, 1, 12, 30, 15, tzinfo=ZoneInfo("Europe/Berlin"))  # CEST, UTC+2
    assert TimeParametersSet.at(local).to_bytes() == bytes.fromhex("8B 01 07 EA 07 01 0A 1E 0F")
    assert TimeParametersSet.at(local).as_datetime() == local
    with pytest.raises(CCEncodeError):
        TimeParametersSet.at(datetime(2026, 7, 1, 12))  # naive


@pytest.mark.parametrize("payload", ["8B 01 07 E3 09 0A 05 06", "8B 03"])
def test_short_payload(payload: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(payload))


@pytest.mark.parametrize(
    "bad", [TimeParametersSet(2026, 13, 1, 0, 0, 0), TimeParametersSet(2026, 1, 1, 24, 0, 0)]
)
def test_invalid_fields(bad: TimeParametersSet) -> None:
    with pytest.raises(CCEncodeError):
        bad.to_bytes()


@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        # EU: last Sunday of March / October at 01:00 UTC = 02:00 standard time
        ("Europe/Berlin", 2026, TimeOffsetReport(60, 60, (3, 29, 2), (10, 25, 2))),
        # US: second Sunday of March, first Sunday of November, 02:00 standard time
        ("America/New_York", 2026, TimeOffsetReport(-300, 60, (3, 8, 2), (11, 1, 1))),
        # southern hemisphere: DST starts in October, ends in April
        ("Australia/Sydney", 2026, TimeOffsetReport(600, 60, (10, 4, 2), (4, 5, 2))),
        ("Asia/Kolkata", 2026, TimeOffsetReport(330, 0)),
        ("UTC", 2026, TimeOffsetReport(0, 0)),
    ],
)
def test_time_offset_report(name: str, year: int, expected: TimeOffsetReport) -> None:
    assert time_offset_report(ZoneInfo(name), datetime(year, 6, 1, tzinfo=UTC)) == expected


def test_dst_info_and_next_transition() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    info = dst_info(berlin, 2026)
    assert info.standard_offset == 60 and info.dst_offset == 60
    assert next_transition(berlin, datetime(2026, 6, 1, tzinfo=UTC)) == datetime(
        2026, 10, 25, 1, 0, tzinfo=UTC
    )
    assert next_transition(berlin, datetime(2026, 11, 1, tzinfo=UTC)) == datetime(
        2027, 3, 28, 1, 0, tzinfo=UTC
    )
    assert next_transition(ZoneInfo("Asia/Kolkata"), datetime(2026, 1, 1, tzinfo=UTC)) is None
    assert next_transition(timezone(timedelta(hours=3)), datetime(2026, 1, 1, tzinfo=UTC)) is None


def test_answers_in_the_hub_zone() -> None:
    now = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST, just after the change
    berlin = zone("Europe/Berlin")
    assert answer_time_get(TimeGet(), berlin, now).to_bytes() == bytes.fromhex("8A 02 03 1E 00")
    assert answer_time_get(DateGet(), berlin, now).to_bytes() == bytes.fromhex("8A 04 07 EA 03 1D")
    assert answer_time_get(TimeOffsetGet(), berlin, now).to_bytes() == bytes.fromhex(
        "8A 07 01 00 3C 03 1D 02 0A 19 02"
    )
    assert answer_time_get(TimeParametersGet(), berlin, now) is None
    assert zone("Not/AZone") is zone(None)  # unknown name: the system's zone
