"""``describe``: frames and commands as text, every enumerated value named next to its number."""

from __future__ import annotations

import random

import pytest

from custom_components.zwave_serial.zwave.cc import all_commands, decode_command
from custom_components.zwave_serial.zwave.cli import main
from custom_components.zwave_serial.zwave.describe import (
    cc_label,
    describe_command,
    describe_frame,
    function_label,
    humanize,
    rx_status_label,
    tx_options_label,
)
from custom_components.zwave_serial.zwave.device_classes import (
    basic_class_name,
    generic_class_name,
    specific_class_name,
)
from custom_components.zwave_serial.zwave.errors import ZWaveError
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.serialapi import FUNCTIONS


def request(function: int, payload: str) -> bytes:
    return Frame.request(function, bytes.fromhex(payload)).to_bytes()


def response(function: int, payload: str) -> bytes:
    return Frame.response(function, bytes.fromhex(payload)).to_bytes()


def app_command(command: str, rx_status: int = 0x00, source: int = 5) -> bytes:
    """An ApplicationCommandHandler frame from ``source`` carrying ``command``."""
    data = bytes.fromhex(command)
    return Frame.request(0x04, bytes((rx_status, source, len(data))) + data).to_bytes()


def text_of(frame: bytes) -> str:
    return "\n".join(describe_frame(frame))


# (a)-(f) of the brief, then more: frame -> substrings the text must contain.
CASES: list[tuple[str, bytes, list[str]]] = [
    (
        "a: multilevel sensor report in ApplicationCommandHandler",
        app_command("31 05 01 2A 02 D5", source=4),  # air temperature 72.5, scale 1, precision 1
        [
            "request function=0x04 (ApplicationCommandHandler)",
            "rx_status=0x00 (single cast) source_node_id=4",
            "cc=0x31 (Multilevel Sensor) command=0x05 (SensorMultilevelReport)",
            "sensor_type=1 (air temperature)",
            "value=72.5 °F",
            "scale=1 (°F)",
        ],
    ),
    (
        "b: GetNodeProtocolInfo response",
        response(0x41, "D3 9C 01 04 10 01"),
        [
            "response function=0x41 (GetNodeProtocolInfo)",
            "listening=yes routing=yes beaming=yes is_controller=no is_routing_end_node=yes",
            "protocol_version=3",
            "basic=0x04 (Routing end node)",
            "generic=0x10 (Binary switch)",
            "specific=0x01 (Binary power switch)",
            "speeds=[40 kbit/s, 100 kbit/s]",
        ],
    ),
    (
        "c: SendData callback with an extended TX report",
        # callback 1, OK; 50 ms, 1 repeater (node 2), ACK RSSI -60, LWR, 40 kbit/s, 1 attempt
        request(0x13, "01 00 00 05 01 C4 BA 7F 7F 7F 01 01 03 02 00 00 00 02 01 00 00 F6 A5 F8 C8 A0"),
        [
            "request function=0x13 (SendData)",
            "callback_id=1 status=0x00 (OK)",
            "tx_ticks=5 (50 ms)",
            "repeaters=1",
            "ack_rssi=-60 dBm",
            "ack_repeater_rssi=[-70 dBm]",
            "route_scheme=3 (LWR)",
            "repeater_node_ids=[2]",
            "route_speed=2 (40 kbit/s)",
            "routing_attempts=1",
            "tx_power=-10 dBm",
            "measured_noise_floor=-91 dBm",
        ],
    ),
    (
        "d: ApplicationUpdate with a node information frame",
        request(0x49, "84 04 07 04 11 06 70 25 EF 25"),
        [
            "request function=0x49 (ApplicationUpdate)",
            "update_type=0x84 (node info received) node_id=4",
            "node_info: node_id=4 basic=0x04 (Routing end node) generic=0x11 (Multilevel switch)",
            "specific=0x06 (Motor control class B)",
            "supported_ccs=[0x70 (Configuration), 0x25 (Binary Switch)]",
            "controlled_ccs=[0x25 (Binary Switch)]",
        ],
    ),
    (
        "e: notification report (motion)",
        app_command("71 05 00 00 00 FF 07 08 00", source=5),
        [
            "cc=0x71 (Notification) command=0x05 (NotificationReport)",
            "notification_type=0x07 (Home Security)",
            "event=0x08 (Motion detection)",
            "notification_status=0xFF (enabled)",
        ],
    ),
    (
        "f: meter report with a previous value",
        # electric, consumed, kWh, 12.34 (precision 2, 4 bytes), 60 s since 12.00
        app_command("32 02 21 44 00 00 04 D2 00 3C 00 00 04 B0", source=3),
        [
            "cc=0x32 (Meter) command=0x02 (MeterReport)",
            "meter_type=1 (electric) scale=0 (kWh) value=12.34 kWh rate_type=1 (consumed)",
            "delta_time=60 s previous_value=12.0 kWh",
        ],
    ),
    (
        "water meter in US gallons, produced",
        app_command("32 02 43 32 00 2A"),
        ["meter_type=3 (water) scale=2 (gal) value=4.2 gal rate_type=2 (produced)"],
    ),
    (
        "notification idle clearing one event",
        app_command("71 05 00 00 00 FF 07 00 01 08"),
        ["event=0x00 (idle)", "event_parameters={cleared_event=8}"],
    ),
    (
        "broadcast, low power frame; binary sensor",
        app_command("30 03 FF 0C", rx_status=0x06),
        ["rx_status=0x06 (broadcast, low power)", "state=yes sensor_type=12 (motion)"],
    ),
    (
        "multi channel endpoint",
        app_command("60 0D 02 00 25 03 FF"),
        ["command (endpoint=2): cc=0x25 (Binary Switch) command=0x03 (SwitchBinaryReport) current_value=yes"],
    ),
    (
        "supervised command of a CC the driver does not implement",
        app_command("6C 01 05 03 40 05 01"),
        ["command (supervision_session=5): cc=0x40 (Thermostat Mode) command=0x05 (unknown)"],
    ),
    (
        "bridge command with RSSI",
        request(0xA8, "00 01 05 03 20 03 63 00 C8"),
        [
            "function=0xA8 (BridgeApplicationCommandHandler)",
            "destination_node_id=1 rssi=-56 dBm",
            "current_value=99",
        ],
    ),
    (
        "SendData request from the host",
        request(0x13, "05 02 25 02 25 07"),
        [
            "request (host to stick) function=0x13 (SendData)",
            "node_id=5 tx_options=0x25 (ACK, auto route, explore) callback_id=7",
            "cc=0x25 (Binary Switch) command=0x02 (SwitchBinaryGet)",
        ],
    ),
    (
        "SendData callback without ACK",
        request(0x13, "02 01 00 0A"),
        ["status=0x01 (no ACK)"],
    ),
    (
        "neighbor update callback",
        request(0x48, "05 22"),
        ["function=0x48 (RequestNodeNeighborUpdate)", "callback_id=5 status=0x22 (done)"],
    ),
    (
        "return route callback: a transmit status",
        request(0x46, "03 01"),
        ["function=0x46 (AssignReturnRoute)", "status=0x01 (no ACK)"],
    ),
    (
        "add node callback with the new node's NIF",
        request(0x4A, "03 03 06 05 04 10 01 25 86"),
        ["status=0x03 (adding removing end node) node_id=6", "generic=0x10 (Binary switch)"],
    ),
    (
        "SerialAPIStarted",
        request(0x0A, "07 01 80 02 01 03 5E 86 72 01"),
        [
            "wake_up_reason=0x07 (software reset)",
            "generic=0x02 (Static controller) specific=0x01 (PC controller)",
        ],
    ),
    (
        "controller version",
        response(0x15, "5A 2D 57 61 76 65 20 37 2E 31 39 00 07"),
        ["library_version='Z-Wave 7.19' library_type=7 (bridge controller)"],
    ),
    (
        "SerialAPISetup response",
        response(0x0B, "02 01"),
        ["subcommand=0x02 (set TX status report)"],
    ),
    (
        "protocol version",
        response(0x09, "00 07 13 01"),
        ["protocol_type=0 (Z-Wave) major=7 minor=19 patch=1"],
    ),
    (
        "serial API capabilities name every supported function",
        response(0x07, "01 02 00 86 00 01 00 5A 03 00 04"),
        ["supported_functions=[0x01 (unknown), 0x02 (GetSerialApiInitData), 0x13 (SendData)]"],
    ),
    (
        "battery low warning with status",
        app_command("80 03 FF 41 02"),
        ["level=255 (low battery warning)", "charging_status=1 (charging)", "replace_recharge=1 (soon)"],
    ),
    (
        "door lock mode",
        app_command("62 03 FF 00 02 FE FE"),
        ["current_mode=0xFF (secured)"],
    ),
    (
        "version of a CC",
        app_command("86 14 31 0B"),
        ["command_class=0x31 (Multilevel Sensor) version=11"],
    ),
    (
        "Z-Wave Plus info",
        app_command("5E 02 02 05 00 07 00 07 00"),
        ["role_type=5 (always on end node)", "installer_icon=0x0700"],
    ),
]


@pytest.mark.parametrize(("frame", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decode_names_every_value(frame: bytes, expected: list[str]) -> None:
    text = text_of(frame)
    for piece in expected:
        assert piece in text, f"{piece!r} not in\n{text}"


def test_sensor_report_text_exactly() -> None:
    assert describe_frame(app_command("31 05 01 2A 02 D5", source=4)) == [
        "request function=0x04 (ApplicationCommandHandler)",
        "  payload: 00 04 06 31 05 01 2a 02 d5",
        "  message: rx_status=0x00 (single cast) source_node_id=4",
        "  command: cc=0x31 (Multilevel Sensor) command=0x05 (SensorMultilevelReport) "
        "sensor_type=1 (air temperature) value=72.5 °F scale=1 (°F) precision=1 size=2",
    ]


@pytest.mark.parametrize(
    "frame",
    [
        # SendData request: Supervision GET wrapping User Code Set, slot 5, code "1234"
        request(0x13, "07 0C 6C 01 01 08 63 01 05 01 31 32 33 34 25 01"),
        # User Code Report from the lock
        app_command("63 03 05 01 31 32 33 34", source=7),
        # Keypad unlock notification embedding a User Code Report with the code
        app_command("71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34", source=7),
    ],
    ids=["user code set", "user code report", "keypad notification"],
)
def test_secrets_stay_redacted(frame: bytes) -> None:
    text = text_of(frame)
    assert "1234" not in text and "31 32 33 34" not in text and "31323334" not in text
    assert "payload: <redacted>" in text


def test_keypad_notification_names_the_user_not_the_code() -> None:
    text = text_of(app_command("71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34", source=7))
    assert "notification_type=0x06 (Access Control) event=0x06 (Keypad unlock operation)" in text
    assert "event_parameters={user_id=3 user_id_status=1 (enabled)}" in text


def test_secret_command_shows_no_fields() -> None:
    command = decode_command(bytes.fromhex("63 01 05 01 31 32 33 34"))
    assert describe_command(command) == "cc=0x63 (User Code) command=0x01 (UserCodeSet) <redacted>"


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (app_command("40 05 01"), "cc=0x40 (Thermostat Mode) command=0x05 (unknown) error="),
        (app_command("31 05"), "cc=0x31 (Multilevel Sensor) command=0x05 (SensorMultilevelReport) error="),
        (app_command("F5 01 02"), "cc=0xF5 (unknown)"),
        (request(0x9A, "01 02"), "request function=0x9A (unknown)"),
        (request(0x1C, ""), "request function=0x1C (GetRandom)"),
    ],
)
def test_unknown_and_malformed_parts_are_named_as_far_as_known(frame: bytes, expected: str) -> None:
    assert expected in text_of(frame)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0x00, "single cast"),
        (0x04, "broadcast"),
        (0x08, "multicast"),
        (0x0C, "frame type 0x0C"),
        (0x13, "single cast, routed busy, low power, explore"),
        (0xC0, "single cast, foreign frame, foreign home ID"),
    ],
)
def test_rx_status_flags(value: int, expected: str) -> None:
    assert rx_status_label(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0x25, "ACK, auto route, explore"), (0x00, "none"), (0x12, "low power, no route"), (0x41, "ACK, 0x40")],
)
def test_tx_options(value: int, expected: str) -> None:
    assert tx_options_label(value) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("NO_ACK", "no ACK"),
        ("SUC_ID_CHANGED", "SUC ID changed"),
        ("OK", "OK"),
        ("co2_level", "CO2 level"),
        ("air_temperature", "air temperature"),
    ],
)
def test_humanize(key: str, expected: str) -> None:
    assert humanize(key) == expected


def test_names_come_from_the_driver_tables() -> None:
    assert function_label(0x13) == "SendData"
    assert function_label(0x9A) is None
    assert cc_label(0x31) == "Multilevel Sensor"  # the CC's CCInfo name
    assert cc_label(0x40) == "Thermostat Mode"  # known id, not implemented
    assert cc_label(0xF5) is None
    assert basic_class_name(0x04) == "Routing end node"
    assert generic_class_name(0x10) == "Binary switch"
    assert specific_class_name(0x10, 0x01) == "Binary power switch"
    assert specific_class_name(0x10, 0x00) == "Not used"
    assert specific_class_name(0x10, 0x7E) is None and generic_class_name(0x7E) is None


def test_every_decodable_command_and_message_describes() -> None:
    """No decoded command or Serial API message makes describe raise (seeded random bytes)."""
    rnd = random.Random(7)
    for (cc, cmd), _cls in sorted(all_commands().items()):
        for _ in range(200):
            data = bytes((cc, cmd)) + rnd.randbytes(rnd.randrange(0, 24))
            try:
                command = decode_command(data)
            except ZWaveError:
                continue
            assert describe_command(command)
    for function in FUNCTIONS:
        for _ in range(100):
            payload = rnd.randbytes(rnd.randrange(0, 32))
            for make in (Frame.request, Frame.response):
                assert describe_frame(make(function, payload).to_bytes())


def test_cli_decode_prints_text(capsys: pytest.CaptureFixture[str]) -> None:
    frame = app_command("31 05 01 2A 02 D5", source=4)
    assert main(["decode", frame.hex(" ")]) == 0
    out = capsys.readouterr().out
    assert "function=0x04 (ApplicationCommandHandler)" in out
    assert "sensor_type=1 (air temperature) value=72.5 °F scale=1 (°F)" in out


def test_cli_decode_text_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "01 09 00 04 00 04 03 20 03 01 D9"]) == 1
    assert capsys.readouterr().out.startswith("error: ")
