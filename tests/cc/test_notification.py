"""Notification CC (0x71): byte vectors, state variables, parameters, interview."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.notification import (
    INFO,
    TYPES,
    NotificationEventSupportedGet,
    NotificationEventSupportedReport,
    NotificationGet,
    NotificationReport,
    NotificationSet,
    NotificationSupportedGet,
    NotificationSupportedReport,
    type_name,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeClassContext

AC = {"notification_type": 6}
HS = {"notification_type": 7}


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        # seed 002: manual lock, parameter length 0
        ("71 05 00 00 00 FF 06 01 00", NotificationReport(0, 0, 6, 1, 0xFF)),
        # seed 002: new user code added
        ("71 05 00 00 00 FF 06 0E 00", NotificationReport(0, 0, 6, 0x0E, 0xFF)),
        # seed 002 keypad unlock by user 3 (the seed omits the parameter-length byte; corrected: 0x08)
        ("71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34",
         NotificationReport(0, 0, 6, 6, 0xFF, bytes.fromhex("6303030131323334"))),
        # v1 alarm only
        ("71 05 15 01", NotificationReport(0x15, 0x01)),
        # motion with a sequence number
        ("71 05 00 00 00 FF 07 08 80 2A", NotificationReport(0, 0, 7, 8, 0xFF, b"", 0x2A)),
        # idle clearing motion (parameter = the event to clear)
        ("71 05 00 00 00 FF 07 00 01 08", NotificationReport(0, 0, 7, 0, 0xFF, b"\x08")),
        # v1 alarm values alongside a v2 notification
        ("71 05 13 01 00 FF 06 03 00", NotificationReport(0x13, 0x01, 6, 3, 0xFF)),
    ],
)
def test_report_roundtrip(hexstr: str, expected: NotificationReport) -> None:
    data = bytes.fromhex(hexstr)
    cmd = decode_command(data)
    assert cmd == expected
    assert cmd.to_bytes() == data


def test_six_byte_alarm_v2_report_keeps_type_and_event() -> None:
    # seed 002 "lock jammed" is sent without the properties byte (Alarm v2 layout, 6-byte payload)
    cmd = decode_command(bytes.fromhex("71 05 00 00 00 FF 06 0B"))
    assert isinstance(cmd, NotificationReport)
    assert (cmd.notification_type, cmd.event) == (6, 0x0B)
    assert cmd.value_updates() == [ValueUpdate("access_control", 0x0B, "lock_state", meta=AC)]


@pytest.mark.parametrize(
    "hexstr",
    [
        "71 05 00",  # too short
        "71 05 00 00 00 FF 06 06 03 63 03",  # 3 parameters announced, 2 present
        "71 05 00 00 00 FF 07 08 80",  # sequence number announced, missing
        # the literal seed frame inner command (len byte 9 cuts it; 0x63 read as properties)
        "71 05 00 00 00 FF 06 06 63",
    ],
)
def test_report_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


@pytest.mark.parametrize(
    ("hexstr", "updates"),
    [
        ("71 05 00 00 00 FF 07 08 00", [ValueUpdate("home_security", 8, "motion_sensor_status", meta=HS)]),
        ("71 05 00 00 00 FF 07 03 00", [ValueUpdate("home_security", 3, "cover_status", meta=HS)]),
        ("71 05 00 00 00 FF 07 02 00", [ValueUpdate("home_security", 2, "sensor_status", meta=HS)]),
        ("71 05 00 00 00 FF 07 00 01 08", [ValueUpdate("home_security", 0, "motion_sensor_status", meta=HS)]),
        ("71 05 00 00 00 FF 06 16 00", [ValueUpdate("access_control", 0x16, "door_state", meta=AC)]),
        ("71 05 00 00 00 FF 06 17 00", [ValueUpdate("access_control", 0x17, "door_state", meta=AC)]),
        ("71 05 00 00 00 FF 06 0B 00", [ValueUpdate("access_control", 0x0B, "lock_state", meta=AC)]),
        ("71 05 00 00 00 FF 01 02 00", [ValueUpdate("smoke_alarm", 2, "sensor_status", meta={"notification_type": 1})]),
        ("71 05 00 00 00 FF 05 02 00", [ValueUpdate("water_alarm", 2, "sensor_status", meta={"notification_type": 5})]),
        ("71 05 00 00 00 FF 02 02 00", [ValueUpdate("co_alarm", 2, "sensor_status", meta={"notification_type": 2})]),
        # momentary events set no state...
        ("71 05 00 00 00 FF 07 0A 00", []),
        # ...but a lock operation ends a jam (idle_reset: only values the node already has)
        ("71 05 00 00 00 FF 06 01 00",
         [ValueUpdate("access_control", 0, "lock_state", meta={**AC, "idle_reset": True})]),
        # door state is never reset by a targeted idle of a non-idle variable
        ("71 05 00 00 00 FF 06 00 01 16", []),
        ("71 05 15 01", [ValueUpdate("alarm_type", 0x15), ValueUpdate("alarm_level", 1)]),
        # unknown notification type: no state value
        ("71 05 00 00 00 FF 7E 01 00", []),
    ],
)
def test_value_updates(hexstr: str, updates: list[ValueUpdate]) -> None:
    assert decode_command(bytes.fromhex(hexstr)).value_updates() == updates


def test_blanket_idle_resets_idle_variables_only() -> None:
    cmd = decode_command(bytes.fromhex("71 05 00 00 00 FF 07 00 00"))
    keys = {u.property_key for u in cmd.value_updates()}
    assert keys == {"sensor_status", "cover_status", "motion_sensor_status", "magnetic_interference_status"}
    assert all(u.value == 0 and u.meta["idle_reset"] for u in cmd.value_updates())


@pytest.mark.parametrize(
    ("hexstr", "type_label", "event_label", "parameters"),
    [
        ("71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34", "Access Control", "Keypad unlock operation",
         {"user_id": 3, "user_id_status": 1}),
        ("71 05 00 00 00 FF 06 05 01 07", "Access Control", "Keypad lock operation", {"user_id": 7}),
        # truncated User Code report: user id still found
        ("71 05 00 00 00 FF 06 05 03 63 03 09", "Access Control", "Keypad lock operation", {"user_id": 9}),
        ("71 05 00 00 00 FF 06 21 01 04", "Access Control", "Lock operation with User Code", {"user_id": 4}),
        ("71 05 00 00 00 FF 06 16 01 01", "Access Control", "Window/door is open",
         {"value": 1, "label": "Window/door is open in tilt position"}),
        ("71 05 00 00 00 FF 06 0B 00", "Access Control", "Lock jammed", {}),
        ("71 05 00 00 00 FF 07 0C 01 B5", "Home Security", "RF Jamming detected", {"rssi": 0xB5}),
        ("71 05 00 00 00 FF 07 00 01 08", "Home Security", "idle", {"cleared_event": 8}),
        ("71 05 00 00 00 FF 05 06 00", "Water Alarm", "Water flow alarm", {"value": 1, "label": "No data"}),
        ("71 05 00 00 00 FF 06 42 01 85", "Access Control",
         "Barrier motor has exceeded manufacturer's operational time limit", {"duration": 360.0}),
        ("71 05 00 00 00 FF 01 01 06 77 06 00 4B 49 54", "Smoke Alarm",
         "Smoke detected (location provided)", {"location": "KIT"}),
        ("71 05 00 00 00 FF 09 03 02 12 34", "System", "System hardware failure (with failure code)",
         {"raw": "1234"}),
        ("71 05 00 00 00 FF 7E 01 00", "Unknown (0x7e)", "Unknown (0x01)", {}),
    ],
)
def test_labels_and_parameters(hexstr: str, type_label: str, event_label: str, parameters: dict[str, Any]) -> None:
    cmd = decode_command(bytes.fromhex(hexstr))
    assert isinstance(cmd, NotificationReport)
    assert (cmd.type_label, cmd.event_label, cmd.parameters) == (type_label, event_label, parameters)
    json.dumps(cmd.parameters)


def test_user_code_never_exposed() -> None:
    cmd = decode_command(bytes.fromhex("71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34"))
    for text in (repr(cmd), cmd.describe(), json.dumps(cmd.parameters)):
        assert "1234" not in text and "31323334" not in text
    # unknown Access Control payloads are not dumped either
    odd = decode_command(bytes.fromhex("71 05 00 00 00 FF 06 0C 04 31 32 33 34"))
    assert odd.parameters == {"length": 4}


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("71 04 00 07 00", NotificationGet(0, 7, 0)),
        ("71 04 00 FF", NotificationGet(0, 0xFF)),
        ("71 04 15", NotificationGet(0x15)),
        ("71 06 07 FF", NotificationSet(7, True)),
        ("71 06 07 00", NotificationSet(7, False)),
        ("71 07", NotificationSupportedGet()),
        ("71 08 83 C0 00 00", NotificationSupportedReport(True, (6, 7))),
        ("71 01 07", NotificationEventSupportedGet(7)),
        ("71 02 07 02 08 01", NotificationEventSupportedReport(7, (3, 8))),
    ],
)
def test_other_commands(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    if hexstr != "71 08 83 C0 00 00":  # the encoder uses the shortest bitmask
        assert expected.to_bytes() == data


def test_supported_report_ignores_bit0_and_trims() -> None:
    assert decode_command(bytes.fromhex("71 08 01 C1")) == NotificationSupportedReport(False, (6, 7))
    assert NotificationSupportedReport(False, (6, 7)).to_bytes() == bytes.fromhex("71 08 01 C0")
    assert decode_command(bytes.fromhex("71 02 07 00")) == NotificationEventSupportedReport(7, ())


def test_answers() -> None:
    report = NotificationReport(0, 0, 7, 8)
    assert report.answers(NotificationGet(0, 7, 0))
    assert not report.answers(NotificationGet(0, 6, 0))
    assert report.answers(NotificationGet(0, 0xFF))
    assert NotificationEventSupportedReport(7, (8,)).answers(NotificationEventSupportedGet(7))
    assert not NotificationEventSupportedReport(6, (8,)).answers(NotificationEventSupportedGet(7))


def test_table_covers_docs_names() -> None:
    names = {t.name for t in TYPES.values()}
    assert names == {
        "smoke_alarm", "co_alarm", "co2_alarm", "heat_alarm", "water_alarm", "access_control", "home_security",
        "power_management", "system", "emergency", "clock", "appliance", "home_health", "siren", "water_valve",
        "weather_alarm", "irrigation", "gas_alarm", "pest_control", "light_sensor", "water_quality",
        "home_monitoring",
    }
    assert set(TYPES) == set(range(1, 23))
    assert type_name(0x42) == "notification_0x42"
    for t in TYPES.values():  # an event is either a state or a momentary event, never both
        states = [e for s in t.variables.values() for e in s]
        assert len(states) == len(set(states))
        assert not set(states) & set(t.events)


async def test_interview_v8() -> None:
    def state(get: NotificationGet) -> NotificationReport:
        # the lock reports its door open; home security answers "idle"
        return NotificationReport(0, 0, 6, 0x16) if get.notification_type == 6 else NotificationReport(0, 0, 7, 0)

    ctx = FakeClassContext(8, {
        NotificationSupportedGet: NotificationSupportedReport(False, (6, 7)),
        NotificationEventSupportedGet: lambda g: NotificationEventSupportedReport(
            g.notification_type, (0x0B, 0x16, 0x17) if g.notification_type == 6 else (3, 8)),
        NotificationGet: state,
    })
    await INFO.interview(ctx)
    assert ctx.sent == [
        NotificationSupportedGet(), NotificationEventSupportedGet(6), NotificationEventSupportedGet(7),
        NotificationGet(0, 6, 0), NotificationGet(0, 7, 0),
    ]
    assert ctx.value("supported_notification_types") == [6, 7]
    assert ctx.value("supported_events", "access_control") == [0x0B, 0x16, 0x17]
    assert ctx.value("access_control", "door_state") == 0x16
    assert ctx.value("access_control", "lock_state") == 0  # idle until jammed
    assert ctx.value("home_security", "motion_sensor_status") == 0
    assert ctx.value("home_security", "cover_status") == 0
    assert ctx.value("home_security", "sensor_status") is None  # not supported by the node


async def test_interview_tolerates_timeouts_and_v1() -> None:
    ctx = FakeClassContext(8, {})
    await INFO.interview(ctx)
    assert ctx.sent == [NotificationSupportedGet()]
    v1 = FakeClassContext(1, {})
    await INFO.interview(v1)
    assert v1.sent == []
    v2 = FakeClassContext(2, {NotificationSupportedGet: NotificationSupportedReport(True, (7,))})
    await INFO.interview(v2)
    assert v2.sent == [NotificationSupportedGet(), NotificationGet(0, 7)]
