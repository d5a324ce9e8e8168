"""Encapsulation: unwrap in any nesting order, wrap in the fixed outgoing order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.cc.door_lock import DoorLockOperationReport, DoorLockOperationSet
from custom_components.zwave_serial.zwave.cc.multi_command import MultiCommandEncap
from custom_components.zwave_serial.zwave.cc.notification import NotificationReport
from custom_components.zwave_serial.zwave.cc.supervision import SupervisionReport, SupervisionStatus
from custom_components.zwave_serial.zwave.cc.user_code import UserCodeSet
from custom_components.zwave_serial.zwave.cc.version import VersionGet
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, UnknownCommandClass
from custom_components.zwave_serial.zwave.messaging.encap import (
    SupervisionRequest,
    supervision_report_for,
    unwrap,
    wrap,
)

# condition byte 0x00: door open, bolt bit 0 = bolt locked, latch open
DOOR_UNSECURED = DoorLockOperationReport(0, bolt_locked=True, target_mode=0, duration=0.0)


@pytest.mark.parametrize(
    ("hexstr", "command", "endpoint", "supervision"),
    [
        # seed 002 keypad unlock, supervised.  The seed frame reads "6C 01 13 09 71 05 ... 06 06 63 03 ..."
        # but omits the notification's parameter-length byte and has a wrong length: corrected here.
        ("6C 01 13 11 71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34",
         NotificationReport(0, 0, 6, 6, 0xFF, bytes.fromhex("6303030131323334")), 0, SupervisionRequest(0x13)),
        # seed 002 door lock operation report, supervised (session 0x12)
        ("6C 01 12 09 62 03 00 00 00 FE FE 00 00", DOOR_UNSECURED, 0, SupervisionRequest(0x12)),
        # seed 002 hub -> lock Set (as a device would see it)
        ("6C 01 95 03 62 01 FF", DoorLockOperationSet(0xFF), 0, SupervisionRequest(0x15, True)),
        # seed 002 WORKING report: not encapsulated
        ("6C 02 95 01 07", SupervisionReport(0x15, SupervisionStatus.WORKING, 7.0, True), 0, None),
        # seed 002 low battery, supervised.  The seed shows CC 0x63 there; Battery is 0x80.
        ("6C 01 01 03 80 03 FF", None, 0, SupervisionRequest(1)),
        # supervision outside, multi channel inside
        ("6C 01 05 07 60 0D 03 00 62 01 FF", DoorLockOperationSet(0xFF), 3, SupervisionRequest(5)),
        # multi channel outside, supervision inside
        ("60 0D 02 00 6C 01 86 03 62 01 00", DoorLockOperationSet(0), 2, SupervisionRequest(6, True)),
        # v1 Multi Instance encap
        ("60 06 02 62 01 FF", DoorLockOperationSet(0xFF), 2, None),
        # plain command
        ("86 11", VersionGet(), 0, None),
    ],
)
def test_unwrap(hexstr: str, command: object, endpoint: int, supervision: SupervisionRequest | None) -> None:
    u = unwrap(bytes.fromhex(hexstr))
    if command is not None:
        assert u.command == command
        assert list(u.commands) == [(endpoint, command)]
    assert u.endpoint == endpoint
    assert u.supervision == supervision
    assert u.supervision_session == (supervision.session_id if supervision else None)


def test_unwrap_multi_command() -> None:
    outer = unwrap(bytes.fromhex("60 0D 01 00 8F 01 02 03 62 01 FF 02 86 11"))
    assert isinstance(outer.command, MultiCommandEncap)
    assert list(outer.commands) == [(1, DoorLockOperationSet(0xFF)), (1, VersionGet())]
    inner = unwrap(bytes.fromhex("8F 01 02 07 60 0D 01 00 62 01 FF 07 60 0D 02 00 62 01 00"))
    assert list(inner.commands) == [(1, DoorLockOperationSet(0xFF)), (2, DoorLockOperationSet(0))]
    sup = unwrap(bytes.fromhex("6C 01 09 0A 8F 01 02 03 62 01 FF 02 86 11"))
    assert sup.supervision_session == 9
    assert list(sup.commands) == [(0, DoorLockOperationSet(0xFF)), (0, VersionGet())]
    assert sup.supervision_status is SupervisionStatus.SUCCESS


def test_unknown_inner_command_stays_bytes() -> None:
    u = unwrap(bytes.fromhex("6C 01 01 03 99 01 02"))
    assert u.command == bytes.fromhex("990102")
    assert list(u.commands) == []
    assert u.supervision_session == 1
    assert u.supervision_status is SupervisionStatus.NO_SUPPORT
    with pytest.raises(UnknownCommandClass):
        unwrap(bytes.fromhex("99 01 02"))  # bare unknown command: nothing to answer


@pytest.mark.parametrize(
    "hexstr",
    [
        "",
        "6C 01 13 09 71 05 00 00 00 FF 06 06 63 03 03 01 31 32 33 34",  # the literal (typo'd) seed frame
        "6C 01 01 05 6C 01 02 01 20",  # supervision inside supervision
        "60 0D 01 00 60 0D 02 00 20 02",  # multi channel inside multi channel
        "60 0D 01 00 62",  # truncated
        "8F 01 02 03 62 01 FF",  # second command missing
    ],
)
def test_unwrap_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        unwrap(bytes.fromhex(hexstr))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "62 01 FF"),
        ({"endpoint": 2}, "60 0D 00 02 62 01 FF"),
        ({"supervision_session": 0x15, "status_updates": True}, "6C 01 95 03 62 01 FF"),
        ({"supervision_session": 1}, "6C 01 01 03 62 01 FF"),
        ({"endpoint": 3, "supervision_session": 5}, "60 0D 00 03 6C 01 05 03 62 01 FF"),
    ],
)
def test_wrap(kwargs: dict, expected: str) -> None:
    assert wrap(DoorLockOperationSet(0xFF), **kwargs) == bytes.fromhex(expected)
    assert wrap(bytes.fromhex("6201FF"), **kwargs) == bytes.fromhex(expected)


def test_wrap_unwrap_roundtrip_of_seed_user_code_set() -> None:
    data = wrap(UserCodeSet.build(5, "1234"), supervision_session=1)
    assert data == bytes.fromhex("6C 01 01 08 63 01 05 01 31 32 33 34")  # seed 002
    u = unwrap(data)
    assert u.command == UserCodeSet(5, 1, "1234")
    assert "1234" not in repr(u)


def test_wrap_errors() -> None:
    with pytest.raises(CCEncodeError):
        wrap(VersionGet(), supervision_session=64)
    with pytest.raises(CCEncodeError):
        wrap(VersionGet(), endpoint=128)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0x15,), "6C 02 15 FF 00"),  # seed 002 final SUCCESS (labelled GET in the seed)
        ((0x13, SupervisionStatus.NO_SUPPORT), "6C 02 13 00 00"),
        ((0x01, SupervisionStatus.FAIL), "6C 02 01 02 00"),
    ],
)
def test_supervision_report_for(args: tuple, expected: str) -> None:
    assert supervision_report_for(*args) == bytes.fromhex(expected)
    assert unwrap(supervision_report_for(*args)).supervision is None


_LAYERS = st.sampled_from(["6C 01 05", "60 0D 01 00", "60 06 02", "8F 01 01"]).map(bytes.fromhex)


@settings(max_examples=1500, deadline=None, database=None)
@given(prefix=st.lists(_LAYERS, max_size=3), body=st.binary(max_size=40))
def test_unwrap_never_crashes(prefix: list[bytes], body: bytes) -> None:
    """Random nestings of encapsulation headers around random bytes: result or CCDecodeError."""
    data = b"".join(prefix) + body
    try:
        u = unwrap(data)
    except CCDecodeError:
        return
    for _endpoint, command in u.commands:
        command.describe()
        command.value_updates()
    repr(u)


def test_crc16_encapsulation_vector_and_unwrap() -> None:
    """SDS13783's sample (also Z-Wave JS's test): Basic Get in CRC-16 → 56 01 20 02 4D 26."""
    from custom_components.zwave_serial.zwave.cc.basic import BasicGet, BasicReport
    from custom_components.zwave_serial.zwave.cc.crc16 import Crc16Encap, crc16_ccitt

    assert Crc16Encap(BasicGet().to_bytes()).to_bytes() == bytes.fromhex("56 01 20 02 4D 26")
    assert crc16_ccitt(bytes.fromhex("56 01 20 02")) == 0x4D26
    report = Crc16Encap(bytes.fromhex("20 03 63")).to_bytes()
    unwrapped = unwrap(report)
    assert isinstance(unwrapped.command, BasicReport)


def test_crc16_bad_checksum_is_a_typed_error() -> None:
    import pytest

    from custom_components.zwave_serial.zwave.errors import CCDecodeError

    with pytest.raises(CCDecodeError):
        unwrap(bytes.fromhex("56 01 20 02 4D 27"))
