"""User Credential CC (0x83): byte vectors (layouts of Z-Wave JS's UserCredentialCC.ts), secrets,
report matching, the interview, and fuzzing of every decoder."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.cc import all_commands, decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.user_credential import (
    INFO,
    CredentialCapabilitiesGet,
    CredentialCapabilitiesReport,
    CredentialTypeCapability,
    NameEncoding,
    UserCapabilitiesGet,
    UserCapabilitiesReport,
)
from custom_components.zwave_serial.zwave.cc.user_credential_data import (
    CredentialGet,
    CredentialReport,
    CredentialSet,
    UserCredentialAssociationReport,
    UserCredentialAssociationSet,
    credential_key,
)
from custom_components.zwave_serial.zwave.cc.user_credential_users import (
    AllUsersChecksumGet,
    AllUsersChecksumReport,
    CredentialChecksumGet,
    CredentialChecksumReport,
    UserChecksumGet,
    UserChecksumReport,
    UserGet,
    UserReport,
    UserSet,
)
from custom_components.zwave_serial.zwave.describe import describe_command, describe_frame
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.redact import frame_text
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeClassContext

PIN = "2468"
PIN_HEX = PIN.encode().hex(" ")
SECRET = {"secret": True}
PIN_CAPS = CredentialTypeCapability(1, 20, 4, 10)
RFID_CAPS = CredentialTypeCapability(3, 5, 8, 16, True, 20, 2, 0)

VECTORS: list[tuple[str, CCCommand]] = [
    ("83 01", UserCapabilitiesGet()),
    # 20 users, rule single (bit 1), names of 16, all-users + user checksum, ASCII (b2),
    # user types general, programming, non-access, duress, disposable, expiring, remote only
    (
        "83 02 00 14 02 10 64 02 f9 02",
        UserCapabilitiesReport(20, (1,), 16, False, True, True, (0,), (0, 3, 4, 5, 6, 7, 9)),
    ),
    ("83 03", CredentialCapabilitiesGet()),
    # checksum; one type: PIN, no learn, 20 slots, 4..10 digits, no learn timeout/steps, no hash
    ("83 04 80 01 01 00 00 14 04 0a 00 00 00", CredentialCapabilitiesReport(True, False, False, (PIN_CAPS,))),
    # two types, grouped: types, learn flags, slots (u16 each), min, max, timeouts, steps, hash lengths
    (
        "83 04 c0 02 01 03 00 80 00 14 00 05 04 08 0a 10 00 14 00 02 00 00",
        CredentialCapabilitiesReport(True, True, False, (PIN_CAPS, RFID_CAPS)),
    ),
    # add user 5 "Guest": general, active, single, no expiry, ASCII
    ("83 05 00 00 05 00 01 01 00 00 00 05 47 75 65 73 74", UserSet(0, 5, name="Guest")),
    # modify user 5: inactive (disabled)
    ("83 05 01 00 05 00 00 01 00 00 00 00", UserSet(1, 5, active=False)),
    ("83 05 02 00 05", UserSet(2, 5)),  # delete: the user fields are left out
    ("83 05 02 00 00", UserSet(2, 0)),  # delete all users
    ("83 06 00 05", UserGet(5)),
    # answer to a Get: next user 7, set over Z-Wave by node 1, user 5 "Guest"
    (
        "83 07 04 00 07 02 00 01 00 05 00 01 01 00 00 00 05 47 75 65 73 74",
        UserReport(4, 5, 7, 2, 1, name="Guest"),
    ),
    # user 9 does not exist (modifier type 0)
    ("83 07 04 00 00 00 00 00 00 09 00 00 01 00 00 00 00", UserReport(4, 9, 0, 0, 0, active=False)),
    # UTF-16BE name
    (
        "83 07 01 00 00 02 00 01 00 03 00 01 01 00 00 02 04 00 c5 00 73",
        UserReport(1, 3, 0, 2, 1, name_encoding=2, name="\u00c5s"),
    ),
    # add PIN 2468 for user 5 in PIN slot 5
    ("83 0a 00 05 01 00 05 00 04 32 34 36 38", CredentialSet(5, 1, 5, 0, b"2468")),
    ("83 0a 00 05 01 00 05 02", CredentialSet(5, 1, 5, 2)),  # delete: no length/data
    ("83 0a 00 00 01 00 00 02", CredentialSet(0, 1, 0, 2)),  # delete every PIN
    ("83 0b 00 00 01 00 00", CredentialGet(0, 1, 0)),  # the first PIN of any user
    # answer to a Get: user 5, PIN slot 5, read back, set by node 1, next: PIN slot 9
    (
        "83 0c 04 00 05 01 00 05 80 04 32 34 36 38 02 00 01 01 00 09",
        CredentialReport(4, 5, 1, 5, b"2468", True, 2, 1, 1, 9),
    ),
    # empty slot 6, no more credentials
    ("83 0c 04 00 00 01 00 06 80 00 00 00 00 00 00 00", CredentialReport(4, 0, 1, 6, b"", True, 0, 0, 0, 0)),
    # duplicate: names the existing credential (user 1, slot 1), not the requested slot
    (
        "83 0c 07 00 01 01 00 01 80 04 32 34 36 38 03 00 00 00 00 00",
        CredentialReport(7, 1, 1, 1, b"2468", True, 3),
    ),
    ("83 12 01 00 05 00 07", UserCredentialAssociationSet(1, 5, 7)),
    ("83 13 01 00 05 00 07 00", UserCredentialAssociationReport(1, 5, 7, 0)),
    ("83 14", AllUsersChecksumGet()),
    ("83 15 ab cd", AllUsersChecksumReport(0xABCD)),
    ("83 16 00 05", UserChecksumGet(5)),
    ("83 17 00 05 12 34", UserChecksumReport(5, 0x1234)),
    ("83 18 01", CredentialChecksumGet(1)),
    ("83 19 01 00 00", CredentialChecksumReport(1, 0)),
]


@pytest.mark.parametrize(("hexstr", "expected"), VECTORS, ids=[type(c).__name__ for _, c in VECTORS])
def test_vectors(hexstr: str, expected: CCCommand) -> None:
    raw = bytes.fromhex(hexstr)
    assert decode_command(raw) == expected
    assert expected.to_bytes() == raw


def test_report_without_next_fields_and_empty_encodings_mask() -> None:
    # an older layout without the next-credential fields still decodes
    assert decode_command(bytes.fromhex("83 0c 00 00 05 01 00 05 80 00 02 00 01")).next_type == 0
    # no name encoding bit: all three are supported
    caps = decode_command(bytes.fromhex("83 02 00 0a 02 00 00 00"))
    assert caps.name_encodings == (0, 1, 2) and caps.user_types == ()


@pytest.mark.parametrize(
    "hexstr",
    [
        "83 02 00 14 02 10 64 02 f9",
        "83 04 80 02 01 03",
        "83 05 00",
        "83 06 00",
        "83 07 04 00 07",
        "83 07 04 00 07 02 00 01 00 05 00 01 01 00 00 00 09 47",
        "83 0a 00 05 01 00 05 00 09 32",
        "83 0b 00 00 01",
        "83 0c 04 00 05 01 00 05 80 09 32 34",
        "83 12 01 00",
        "83 13 01 00 05 00 07",
        "83 15 ab",
        "83 17 00 05 12",
        "83 19 01 00",
    ],
)
def test_truncated_payloads_are_typed_errors(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (UserSet(0, 0), "user id"),
        (UserSet(0, 70000), "user id"),
        (UserSet(0, 5, name="Åsa"), "encoding"),
        (CredentialSet(0, 1, 5, 0, b"1234"), "user id"),
        (CredentialSet(5, 1, 5, 0, bytes(300)), "too long"),
        (CredentialGet(1, 300, 1), "credential type"),
    ],
)
def test_encode_errors_are_typed_and_hide_the_data(command: CCCommand, message: str) -> None:
    with pytest.raises(CCEncodeError) as err:
        command.to_bytes()
    assert message in str(err.value) and "1234" not in str(err.value)


@pytest.mark.parametrize(
    "cmd",
    [CredentialSet(5, 1, 5, 0, PIN.encode()), CredentialReport(4, 5, 1, 5, PIN.encode(), True, 2, 1, 1, 9)],
)
def test_credential_data_is_redacted(cmd: CCCommand) -> None:
    assert PIN not in repr(cmd) and "<redacted>" in repr(cmd) and "slot=5" in repr(cmd)
    assert PIN not in describe_command(cmd) and "<redacted>" in describe_command(cmd)
    assert cmd.carries_secret
    sent = cmd.to_bytes()
    send = Frame.request(0x13, bytes((2, len(sent))) + sent + bytes((0x25, 0x01))).to_bytes()
    received = Frame.request(0x04, bytes((0, 2, len(sent))) + sent).to_bytes()
    for frame in (send, received):
        assert PIN_HEX not in frame_text(frame) and "redacted" in frame_text(frame)
        text = "\n".join(describe_frame(frame))
        assert PIN_HEX not in text and PIN not in text.replace(" ", "")


@pytest.mark.parametrize(
    "report",
    [AllUsersChecksumReport(0xABCD), UserChecksumReport(5, 0xABCD), CredentialChecksumReport(1, 0xABCD)],
)
def test_checksums_are_secret(report: CCCommand) -> None:
    """A 16-bit CRC over one short PIN gives the PIN away: hidden like the PIN."""
    assert report.secret and "<redacted>" in describe_command(report)
    assert all(u.meta == SECRET for u in report.value_updates())
    raw = report.to_bytes()
    frame = Frame.request(0x04, bytes((0, 2, len(raw))) + raw).to_bytes()
    assert "ab cd" not in frame_text(frame) and "redacted" in frame_text(frame)


def test_user_names_are_not_secret() -> None:
    assert UserReport(4, 5, name="Guest").value_updates()[-1] == ValueUpdate("user_name", "Guest", 5)


def test_credential_report_values() -> None:
    key = credential_key(1, 5)
    assert key == 0x10005
    got = CredentialReport(4, 5, 1, 5, PIN.encode(), True, 2, 1).value_updates()
    assert got == [ValueUpdate("credential", PIN, key, meta=SECRET), ValueUpdate("credential_user", 5, key)]
    empty = CredentialReport(4, 0, 1, 5, b"", True, 0).value_updates()
    assert empty == [ValueUpdate("credential", "", key, meta=SECRET), ValueUpdate("credential_user", 0, key)]
    assert CredentialReport(2, 5, 1, 5).value_updates()[1] == ValueUpdate("credential_user", 0, key)
    # a hash instead of the code: the owner is known, the code is not
    hashed = CredentialReport(4, 5, 1, 5, b"\x01\x02", False, 2, 1).value_updates()
    assert hashed[0].value is None and hashed[1].value == 5
    # refusals change nothing; bulk deletes name no slot
    assert CredentialReport(7, 1, 1, 1, PIN.encode()).value_updates() == []
    assert CredentialReport(2, 0, 1, 0).value_updates() == []
    # an RFID credential is shown as hex
    assert CredentialReport(4, 2, 3, 1, b"\xde\xad\xbe\xef").value_updates()[0].value == "deadbeef"


def test_user_report_values_and_a_missing_user() -> None:
    assert [u.value for u in UserReport(4, 5, active=False, name="Bo").value_updates()] == [
        0,
        False,
        1,
        0,
        "Bo",
    ]
    assert all(u.value is None for u in UserReport(4, 9, modifier_type=0).value_updates())
    assert UserReport(5, 5).value_updates() == []  # add rejected: nothing changed


def test_reports_answer_their_get_or_set() -> None:
    set_ = CredentialSet(2, 1, 2, 0, PIN.encode())
    assert CredentialReport(0, 2, 1, 2, PIN.encode()).answers(set_)
    assert not CredentialReport(0, 3, 1, 3, PIN.encode()).answers(set_)  # another slot's outcome
    assert CredentialReport(7, 1, 1, 1, PIN.encode()).answers(set_)  # duplicate names the other slot
    assert not CredentialReport(4, 2, 1, 2, PIN.encode()).answers(set_)  # a Get's answer
    assert CredentialReport(4, 2, 1, 2).answers(CredentialGet(0, 1, 2))
    assert UserReport(0, 5).answers(UserSet(0, 5)) and not UserReport(0, 6).answers(UserSet(0, 5))
    assert UserReport(4, 5).answers(UserGet(5)) and UserReport(4, 3).answers(UserGet(0))
    assert not UserReport(1, 5).answers(UserGet(5))
    assert UserChecksumReport(5, 1).answers(UserChecksumGet(5)) and not UserChecksumReport(6, 1).answers(
        UserChecksumGet(5)
    )
    assert CredentialChecksumReport(1, 1).answers(CredentialChecksumGet(1))
    assert UserCredentialAssociationReport(1, 5, 7).answers(UserCredentialAssociationSet(1, 5, 7))


async def test_interview_reads_capabilities_only() -> None:
    ctx = FakeClassContext(
        1,
        {
            UserCapabilitiesGet: UserCapabilitiesReport(20, (1,), 16, False, True, True, (0,), (0, 3)),
            CredentialCapabilitiesGet: CredentialCapabilitiesReport(
                True, False, False, (PIN_CAPS, RFID_CAPS)
            ),
        },
    )
    assert INFO.interview is not None
    await INFO.interview(ctx)
    assert [type(c) for c in ctx.sent] == [UserCapabilitiesGet, CredentialCapabilitiesGet]
    assert ctx.value("supported_users") == 20 and ctx.value("supports_all_users_checksum") is True
    assert ctx.value("supported_credential_types") == [1, 3]
    assert ctx.value("credential_capabilities", 1) == {
        "slots": 20,
        "min_length": 4,
        "max_length": 10,
        "learn": False,
        "max_hash_length": 0,
    }
    assert ctx.value("supported_user_name_encodings") == [NameEncoding.ASCII]


async def test_interview_of_a_lock_in_user_code_mode_stops_at_zero_users() -> None:
    ctx = FakeClassContext(1, {UserCapabilitiesGet: UserCapabilitiesReport(0)})
    assert INFO.interview is not None
    await INFO.interview(ctx)
    assert ctx.value("supported_users") == 0 and len(ctx.sent) == 1


# --- fuzzing ---------------------------------------------------------------------------

UC_COMMANDS = sorted((key, cls) for key, cls in all_commands().items() if key[0] == 0x83)
#: Payloads that look like the real thing: plausible lengths and counts, random contents.
STRUCTURED = st.one_of(
    st.binary(max_size=40),
    st.tuples(st.binary(min_size=7, max_size=7), st.integers(0, 12), st.binary(max_size=16)).map(
        lambda t: t[0] + bytes((t[1],)) + t[2]
    ),
    st.tuples(st.integers(0, 3), st.binary(min_size=8, max_size=60)).map(
        lambda t: bytes((0x80, t[0])) + t[1]
    ),
    st.lists(st.sampled_from([0x00, 0x01, 0x02, 0x04, 0x07, 0x80, 0xFF]), max_size=24).map(bytes),
)


def test_every_command_is_covered() -> None:
    assert len(UC_COMMANDS) == 18


@pytest.mark.parametrize(("key", "cls"), UC_COMMANDS, ids=[c.__name__ for _, c in UC_COMMANDS])
@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(payload=STRUCTURED)
def test_decoders_never_crash(key: tuple[int, int], cls: type[CCCommand], payload: bytes) -> None:
    try:
        command: Any = cls.decode_payload(payload)
    except CCDecodeError:
        return
    assert isinstance(command, cls)
    command.value_updates()
    if command.secret:
        assert "<redacted>" in describe_command(command)
    try:
        again = command.to_bytes()
    except CCEncodeError:
        return
    assert decode_command(again).to_bytes() == again  # re-encoding is stable
