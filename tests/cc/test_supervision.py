"""Supervision CC (0x6C): seed 002 frames."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.supervision import (
    SupervisionGet,
    SupervisionReport,
    SupervisionStatus,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        # seed 002: hub locks the door, status updates requested, session 0x15
        ("6C 01 95 03 62 01 FF", SupervisionGet(0x15, bytes.fromhex("6201FF"), True)),
        # seed 002: door lock operation report from the lock, session 0x12
        ("6C 01 12 09 62 03 00 00 00 FE FE 00 00", SupervisionGet(0x12, bytes.fromhex("6203000000FEFE0000"))),
        # seed 002: user code set for user 5
        ("6C 01 01 08 63 01 05 01 31 32 33 34", SupervisionGet(1, bytes.fromhex("6301050131323334"))),
        # seed 002: WORKING, more updates follow within 7 s
        ("6C 02 95 01 07", SupervisionReport(0x15, SupervisionStatus.WORKING, 7.0, more_updates=True)),
        # seed 002 labels this row "Supervision GET" but it is the final REPORT (command 0x02): SUCCESS
        ("6C 02 15 FF 00", SupervisionReport(0x15, SupervisionStatus.SUCCESS, 0.0)),
        ("6C 02 3F 02 00", SupervisionReport(63, SupervisionStatus.FAIL, 0.0)),
        ("6C 02 41 00 FE", SupervisionReport(1, SupervisionStatus.NO_SUPPORT, None, wake_up_request=True)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_report_without_duration_and_unknown_status() -> None:
    rep = decode_command(bytes.fromhex("6C 02 05 FF"))
    assert rep == SupervisionReport(5, SupervisionStatus.SUCCESS, None)
    odd = decode_command(bytes.fromhex("6C 02 05 7A 00"))
    assert odd.status == 0x7A and odd.status_name == "0x7A"


@pytest.mark.parametrize(
    "hexstr",
    [
        "6C 01 13",  # no length
        "6C 01 13 09 71 05",  # length says 9, 2 bytes follow
        "6C 01 13 01 71",  # an encapsulated command needs CC + command
        "6C 02 15",
    ],
)
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


def test_extra_bytes_after_declared_length_are_ignored() -> None:
    assert decode_command(bytes.fromhex("6C 01 01 02 20 02 99")) == SupervisionGet(1, bytes.fromhex("2002"))


def test_answers_by_session() -> None:
    get = SupervisionGet(7, bytes.fromhex("2001FF"))
    assert SupervisionReport(7, SupervisionStatus.SUCCESS).answers(get)
    assert not SupervisionReport(8, SupervisionStatus.SUCCESS).answers(get)


def test_repr_hides_encapsulated_payload() -> None:
    get = decode_command(bytes.fromhex("6C 01 01 08 63 01 05 01 31 32 33 34"))
    assert "3132" not in repr(get) and "1234" not in repr(get)
    assert "63 01" in repr(get)


@pytest.mark.parametrize(
    "cmd", [SupervisionGet(64, b"\x20\x02"), SupervisionGet(1, b""), SupervisionReport(70, SupervisionStatus.SUCCESS)]
)
def test_encode_errors(cmd: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        cmd.to_bytes()
