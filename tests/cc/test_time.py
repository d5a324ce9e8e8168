"""Time CC (0x8A), v2, and the hub's answers to Time GET / Date GET."""

from __future__ import annotations

from datetime import datetime

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.basic import BasicGet
from custom_components.zwave_serial.zwave.cc.time import (
    DateGet,
    DateReport,
    TimeGet,
    TimeOffsetGet,
    TimeOffsetReport,
    TimeOffsetSet,
    TimeReport,
    answer_time_request,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("8A 01", TimeGet()),  # seed 002
        ("8A 02 05 06 07", TimeReport(5, 6, 7)),  # seed 002: 05:06:07
        ("8A 02 97 3B 3B", TimeReport(23, 59, 59, rtc_failure=True)),
        ("8A 03", DateGet()),  # seed 002
        ("8A 04 07 E3 09 0A", DateReport(2019, 9, 10)),  # seed 002: 10 September 2019
        ("8A 06", TimeOffsetGet()),
        ("8A 07 01 00 3C 03 1F 02 0A 1F 03", TimeOffsetReport(60, 60, (3, 31, 2), (10, 31, 3))),
        ("8A 05 85 1E 00 00 00 00 00 00 00", TimeOffsetSet(-330)),
        ("8A 07 00 00 BC 00 00 00 00 00 00", TimeOffsetReport(0, -60)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


@pytest.mark.parametrize(
    ("get", "expected"),
    [
        (TimeGet(), "8A 02 05 06 07"),  # seed 002
        (DateGet(), "8A 04 07 E3 09 0A"),  # seed 002
    ],
)
def test_answer_time_request(get: CCCommand, expected: str) -> None:
    now = datetime(2019, 9, 10, 5, 6, 7)
    answer = answer_time_request(get, now)
    assert answer is not None
    assert answer.to_bytes() == bytes.fromhex(expected)


def test_answer_ignores_other_commands() -> None:
    now = datetime(2019, 9, 10, 5, 6, 7)
    assert answer_time_request(BasicGet(), now) is None
    assert answer_time_request(TimeReport(1, 2, 3), now) is None
    assert answer_time_request(TimeOffsetGet(), now) is None


def test_errors() -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex("8A 02 05 06"))
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex("8A 07 01 00 3C"))
    with pytest.raises(CCEncodeError):
        TimeReport(24, 0, 0).to_bytes()
    with pytest.raises(CCEncodeError):
        DateReport(2019, 13, 1).to_bytes()
