"""User Code CC (0x63), v1-v2.  Codes are secrets: never in repr, describe or error messages."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.user_code import (
    INFO,
    AdminCodeGet,
    AdminCodeReport,
    AdminCodeSet,
    ExtendedUserCodeGet,
    ExtendedUserCodeReport,
    ExtendedUserCodeSet,
    KeypadModeGet,
    KeypadModeReport,
    KeypadModeSet,
    UserCodeCapabilitiesGet,
    UserCodeCapabilitiesReport,
    UserCodeChecksumGet,
    UserCodeChecksumReport,
    UserCodeEntry,
    UserCodeGet,
    UserCodeReport,
    UserCodeSet,
    UsersNumberGet,
    UsersNumberReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeClassContext

SECRET = {"secret": True}


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        # seed 002: enable code "1234" for user 5
        ("63 01 05 01 31 32 33 34", UserCodeSet(5, 1, "1234")),
        # clearing sends four 0x00 (as zwave-js)
        ("63 01 05 00 00 00 00 00", UserCodeSet(5, 0)),
        ("63 02 05", UserCodeGet(5)),
        # seed 002: the report embedded in the keypad-unlock notification
        ("63 03 03 01 31 32 33 34", UserCodeReport(3, 1, "1234")),
        ("63 03 07 00", UserCodeReport(7, 0)),
        ("63 04", UsersNumberGet()),
        ("63 05 FF 01 2C", UsersNumberReport(300)),
        ("63 06", UserCodeCapabilitiesGet()),
        # admin code, 5 statuses (0..4), checksum + multi report, 4 keypad modes, keys '0'..'9'
        ("63 07 81 1F C1 0F 08 00 00 00 00 00 00 FF 03",
         UserCodeCapabilitiesReport(True, False, (0, 1, 2, 3, 4), True, True, False, (0, 1, 2, 3), "0123456789")),
        ("63 08 01", KeypadModeSet(1)),
        ("63 09", KeypadModeGet()),
        ("63 0A 03", KeypadModeReport(3)),
        ("63 0B 01 01 2C 01 04 31 32 33 34", ExtendedUserCodeSet((UserCodeEntry(300, 1, "1234"),))),
        ("63 0C 01 2C 01", ExtendedUserCodeGet(300, True)),
        ("63 0D 02 01 2C 01 04 31 32 33 34 01 2D 00 00 01 2E",
         ExtendedUserCodeReport((UserCodeEntry(300, 1, "1234"), UserCodeEntry(301, 0)), 302)),
        ("63 0E 04 39 38 37 36", AdminCodeSet("9876")),
        ("63 0F", AdminCodeGet()),
        ("63 10 00", AdminCodeReport("")),
        ("63 11", UserCodeChecksumGet()),
        ("63 12 EA AD", UserCodeChecksumReport(0xEAAD)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


@pytest.mark.parametrize(
    ("hexstr", "code"),
    [
        ("63 03 03 01 31 32 33 34 00 00", "1234"),  # zero padding trimmed
        ("63 03 03 01 20 31 32 33 34 20", "1234"),  # v1 whitespace trimmed
        ("63 03 03 01 01 02 03 04", "01020304"),  # not printable: hex
    ],
)
def test_report_code_forms(hexstr: str, code: str) -> None:
    assert decode_command(bytes.fromhex(hexstr)).code == code


def test_v1_users_number() -> None:
    assert decode_command(bytes.fromhex("63 05 1E")) == UsersNumberReport(30)


def test_report_values_mark_code_secret() -> None:
    assert decode_command(bytes.fromhex("63 03 03 01 31 32 33 34")).value_updates() == [
        ValueUpdate("user_id_status", 1, 3), ValueUpdate("user_code", "1234", 3, meta=SECRET)]
    assert decode_command(bytes.fromhex("63 03 07 00")).value_updates() == [
        ValueUpdate("user_id_status", 0, 7), ValueUpdate("user_code", "", 7, meta=SECRET)]
    ext = decode_command(bytes.fromhex("63 0D 01 01 2C 02 04 31 32 33 34 00 00"))
    assert ext.value_updates() == [ValueUpdate("user_id_status", 2, 300), ValueUpdate("user_code", "1234", 300, meta=SECRET)]
    assert UsersNumberReport(30).value_updates() == [ValueUpdate("users_number", 30)]
    assert AdminCodeReport("9876").value_updates() == [ValueUpdate("admin_code", "9876", meta=SECRET)]


@pytest.mark.parametrize(
    "cmd",
    [
        UserCodeSet(5, 1, "1234"),
        UserCodeReport(3, 1, "1234"),
        ExtendedUserCodeSet((UserCodeEntry(300, 1, "1234"),)),
        ExtendedUserCodeReport((UserCodeEntry(300, 1, "1234"),)),
        AdminCodeSet("1234"),
        AdminCodeReport("1234"),
    ],
)
def test_codes_are_redacted(cmd: CCCommand) -> None:
    assert cmd.secret
    assert "1234" not in repr(cmd)
    assert "1234" not in cmd.describe()
    assert "1234" not in str(cmd)


def test_zwave_js_extended_vectors() -> None:
    """Z-Wave JS UserCodeCC tests: flags masked, pagination, empty final page, limits."""
    for flags in (0xFE, 0xFF):
        get = decode_command(bytes((0x63, 0x0C, 0x12, 0x34, flags)))
        assert get == ExtendedUserCodeGet(0x1234, bool(flags & 1))
        assert get.to_bytes() == bytes((0x63, 0x0C, 0x12, 0x34, flags & 1))
    report = ExtendedUserCodeReport((UserCodeEntry(0x1234, 1, "1234"), UserCodeEntry(0x1235, 0)), 0x1236)
    payload = bytes((2, 0x12, 0x34, 1, 4, 49, 50, 51, 52, 0x12, 0x35, 0, 0, 0x12, 0x36))
    assert report.to_bytes() == b"\x63\x0d" + payload
    assert decode_command(b"\x63\x0d" + payload) == report
    assert ExtendedUserCodeReport((), 0).to_bytes() == bytes((0x63, 0x0D, 0, 0, 0))
    with pytest.raises(CCEncodeError):
        ExtendedUserCodeReport((UserCodeEntry(1, 1, "1" * 16),)).to_bytes()
    with pytest.raises(CCEncodeError):
        ExtendedUserCodeReport(tuple(UserCodeEntry(1, 1, "1234") for _ in range(256))).to_bytes()
    for bad in ("63 0C", "63 0C 00", "63 0C 00 01", "63 0D 01 00 01 01 04 31", "63 0D 00 00"):
        with pytest.raises(CCDecodeError):
            decode_command(bytes.fromhex(bad))


@pytest.mark.parametrize("hexstr", ["63 01 05", "63 03 05", "63 05", "63 0B 01 01 2C 01 04 31", "63 10 04 31",
                                    "63 07 81 1F", "63 12 01"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


@pytest.mark.parametrize(
    ("value", "key", "options", "version", "expected"),
    [
        ("1234", 5, {}, 1, UserCodeSet(5, 1, "1234")),
        ("0123456789", 255, {}, 2, UserCodeSet(255, 1, "0123456789")),
        (None, 5, {}, 1, UserCodeSet(5, 0)),
        ("1234", 300, {}, 2, ExtendedUserCodeSet((UserCodeEntry(300, 1, "1234"),))),
        (None, 300, {"users_number": 500}, 2, ExtendedUserCodeSet((UserCodeEntry(300, 0),))),
        ("12*#", 2, {"supported_keys": "0123456789*#"}, 2, UserCodeSet(2, 1, "12*#")),
    ],
)
def test_set_value(value: Any, key: Any, options: dict, version: int, expected: CCCommand) -> None:
    assert INFO.set_value("user_code", value, key, options, version) == expected


@pytest.mark.parametrize(
    ("value", "key", "options", "version", "message"),
    [
        ("123", 5, {}, 1, "user code must be 4 to 10 digits"),
        ("12345678901", 5, {}, 1, "user code must be 4 to 10 digits"),
        ("12a4", 5, {}, 1, "user code must be 4 to 10 digits"),
        ("1234", 0, {}, 1, "user id must be 1..255"),
        ("1234", 31, {"users_number": 30}, 2, "user id must be 1..30"),
        ("1234", 300, {}, 1, "user id must be 1..255"),
        ("1234", 600, {"users_number": 500}, 2, "user id must be 1..500"),
        ("1234", None, {}, 1, "user id must be 1..255"),
        ("12*A", 2, {"supported_keys": "0123456789*#"}, 2, "user code contains keys the lock does not support"),
        (1234, 5, {}, 1, "user code must be 4 to 10 digits"),
    ],
)
def test_set_value_rejects_without_echoing_the_code(value: Any, key: Any, options: dict, version: int,
                                                     message: str) -> None:
    with pytest.raises(CCEncodeError) as err:
        INFO.set_value("user_code", value, key, options, version)
    assert str(err.value) == message
    assert str(value) not in str(err.value)


def test_set_value_keypad_mode_and_readonly() -> None:
    assert INFO.set_value("keypad_mode", 2, None, {}, 2) == KeypadModeSet(2)
    with pytest.raises(CCEncodeError):
        INFO.set_value("keypad_mode", 9, None, {}, 2)
    with pytest.raises(CCEncodeError):
        INFO.set_value("users_number", 3, None, {}, 2)


async def test_interview_reads_users_number_not_codes() -> None:
    ctx = FakeClassContext(2, {
        UsersNumberGet: UsersNumberReport(30),
        UserCodeCapabilitiesGet: UserCodeCapabilitiesReport(False, False, (0, 1, 2), False, False, False, (0, 1),
                                                            "0123456789"),
        KeypadModeGet: KeypadModeReport(0),
    })
    await INFO.interview(ctx)
    assert ctx.sent == [UsersNumberGet(), UserCodeCapabilitiesGet(), KeypadModeGet()]
    assert ctx.value("users_number") == 30
    assert ctx.value("supported_keys") == "0123456789"
    assert ctx.value("keypad_mode") == 0
    assert not any(isinstance(c, UserCodeGet) for c in ctx.sent)
    v1 = FakeClassContext(1, {UsersNumberGet: UsersNumberReport(10)})
    await INFO.interview(v1)
    assert v1.sent == [UsersNumberGet()]
