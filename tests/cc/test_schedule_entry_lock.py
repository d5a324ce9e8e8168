"""Schedule Entry Lock CC (0x4E) v1-v3: byte vectors (layouts as in Z-Wave JS's ScheduleEntryLockCC)
and a fuzz of the decoders."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.cc import decode_command, lookup
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.schedule_entry_lock import (
    ERASE,
    MODIFY,
    DailyRepeatingSchedule,
    DailyRepeatingScheduleGet,
    DailyRepeatingScheduleReport,
    DailyRepeatingScheduleSet,
    EnableAllSet,
    EnableSet,
    SupportedGet,
    SupportedReport,
    TimeOffsetGet,
    TimeOffsetReport,
    TimeOffsetSet,
    WeekDaySchedule,
    WeekDayScheduleGet,
    WeekDayScheduleReport,
    WeekDayScheduleSet,
    YearDaySchedule,
    YearDayScheduleGet,
    YearDayScheduleReport,
    YearDayScheduleSet,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError

MONDAY_9_TO_17 = WeekDaySchedule(1, 9, 0, 17, 30)
NEW_YEAR = YearDaySchedule(2026, 12, 31, 18, 0, 2027, 1, 2, 11, 45)
SUN_TUE = DailyRepeatingSchedule((0, 2), 2, 42, 2, 42)


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("4E 01 05 01", EnableSet(5, True)),
        ("4E 01 05 00", EnableSet(5, False)),
        ("4E 02 01", EnableAllSet(True)),
        ("4E 09", SupportedGet()),
        ("4E 0A 02 01", SupportedReport(2, 1)),  # v1/v2: no daily repeating count
        ("4E 0A 07 02 03", SupportedReport(7, 2, 3)),  # v3
        # week day: action modify, user 3, slot 1, Monday 09:00-17:30
        ("4E 03 01 03 01 01 09 00 11 1E", WeekDayScheduleSet(MODIFY, 3, 1, MONDAY_9_TO_17)),
        # erase: fields 0xFF
        ("4E 03 00 03 01 FF FF FF FF FF", WeekDayScheduleSet(ERASE, 3, 1)),
        ("4E 04 03 01", WeekDayScheduleGet(3, 1)),
        ("4E 05 03 01 01 09 00 11 1E", WeekDayScheduleReport(3, 1, MONDAY_9_TO_17)),
        ("4E 05 03 02 FF FF FF FF FF", WeekDayScheduleReport(3, 2)),  # empty slot
        # year day: 2026-12-31 18:00 .. 2027-01-02 11:45, years as 0-99
        ("4E 06 01 04 01 1A 0C 1F 12 00 1B 01 02 0B 2D", YearDayScheduleSet(MODIFY, 4, 1, NEW_YEAR)),
        ("4E 06 00 04 01 " + "FF " * 10, YearDayScheduleSet(ERASE, 4, 1)),
        ("4E 07 04 01", YearDayScheduleGet(4, 1)),
        ("4E 08 04 01 1A 0C 1F 12 00 1B 01 02 0B 2D", YearDayScheduleReport(4, 1, NEW_YEAR)),
        ("4E 08 04 02 " + "FF " * 10, YearDayScheduleReport(4, 2)),
        # v2 time offset: UTC+01:00, DST +60 min; UTC-05:30 without DST
        ("4E 0B", TimeOffsetGet()),
        ("4E 0C 01 00 3C", TimeOffsetReport(60, 120)),
        ("4E 0D 85 1E 00", TimeOffsetSet(-330, -330)),
        # v3 daily repeating: Sunday + Tuesday, 02:42 for 2 h 42 min (Grizzly's test case)
        ("4E 10 01 14 05 05 02 2A 02 2A", DailyRepeatingScheduleSet(MODIFY, 20, 5, SUN_TUE)),
        ("4E 10 00 14 05 FF FF FF FF FF", DailyRepeatingScheduleSet(ERASE, 20, 5)),
        ("4E 0E 14 05", DailyRepeatingScheduleGet(20, 5)),
        ("4E 0F 14 05 05 02 2A 02 2A", DailyRepeatingScheduleReport(20, 5, SUN_TUE)),
        ("4E 0F 14 06 00 00 00 00 00", DailyRepeatingScheduleReport(20, 6)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_reports_answer_their_get() -> None:
    assert WeekDayScheduleReport(3, 1).answers(WeekDayScheduleGet(3, 1))
    assert not WeekDayScheduleReport(3, 2).answers(WeekDayScheduleGet(3, 1))
    assert YearDayScheduleReport(4, 1).answers(YearDayScheduleGet(4, 1))
    assert DailyRepeatingScheduleReport(20, 5).answers(DailyRepeatingScheduleGet(20, 5))
    assert SupportedReport(1, 1).answers(SupportedGet())
    assert TimeOffsetReport(0, 0).answers(TimeOffsetGet())
    assert not TimeOffsetSet(0, 0).answers(TimeOffsetGet())


@pytest.mark.parametrize(
    "command",
    [
        WeekDayScheduleSet(MODIFY, 3, 1, WeekDaySchedule(7, 9, 0, 17, 0)),  # weekday 7
        WeekDayScheduleSet(MODIFY, 3, 1, WeekDaySchedule(1, 24, 0, 17, 0)),  # hour 24
        WeekDayScheduleSet(MODIFY, 3, 1),  # modify without a schedule
        WeekDayScheduleSet(MODIFY, 0, 1, MONDAY_9_TO_17),  # user 0
        WeekDayScheduleSet(MODIFY, 3, 0, MONDAY_9_TO_17),  # slot 0
        WeekDayScheduleSet(2, 3, 1, MONDAY_9_TO_17),  # unknown action
        YearDayScheduleSet(MODIFY, 4, 1, YearDaySchedule(1999, 1, 1, 0, 0, 2000, 1, 1, 0, 0)),
        YearDayScheduleSet(MODIFY, 4, 1, YearDaySchedule(2026, 13, 1, 0, 0, 2027, 1, 1, 0, 0)),
        DailyRepeatingScheduleSet(MODIFY, 1, 1, DailyRepeatingSchedule((), 1, 0, 1, 0)),
        DailyRepeatingScheduleSet(MODIFY, 1, 1, DailyRepeatingSchedule((1,), 1, 60, 1, 0)),
        TimeOffsetSet(24 * 60, 24 * 60),
        EnableSet(256, True),
    ],
)
def test_encode_refuses_bad_fields(command: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        command.to_bytes()


@pytest.mark.parametrize(
    "hexstr",
    [
        "4E 01 05",
        "4E 02",
        "4E 0A 01",
        "4E 03 01 03",
        "4E 03 01 03 01 01 09",
        "4E 06 01 04 01 1A",
        "4E 0C 01 00",
        "4E 10 01 14 05 05",
        "4E 04 03",
        "4E 0E",
    ],
)
def test_truncated(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


SEL_COMMANDS = sorted(cmd for (cc, cmd) in [(0x4E, c) for c in range(0x01, 0x11)] if lookup(0x4E, cmd))
PAYLOADS = st.one_of(
    st.binary(max_size=20),
    st.lists(
        st.sampled_from([0x00, 0x01, 0x06, 0x07, 0x17, 0x3B, 0x63, 0x7F, 0x80, 0xFE, 0xFF]), max_size=16
    ).map(bytes),
)


def test_every_command_is_registered() -> None:
    assert list(range(0x01, 0x11)) == SEL_COMMANDS


@settings(max_examples=600, deadline=None, database=None, derandomize=True)
@given(command=st.sampled_from(SEL_COMMANDS), payload=PAYLOADS)
def test_fuzz_decoders(command: int, payload: bytes) -> None:
    """Any payload: a decoded command or CCDecodeError; a decoded one re-encodes or refuses
    with CCEncodeError (never another exception)."""
    cls = lookup(0x4E, command)
    assert cls is not None
    try:
        decoded = cls.decode_payload(payload)
    except CCDecodeError:
        return
    decoded.describe()
    decoded.value_updates()
    try:
        decoded.to_bytes()
    except CCEncodeError:
        pass
