"""Authentication CC (0xA1), v1: seed 002 Technologies Combination Set."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.authentication import (
    AuthenticationCapabilityGet,
    AuthenticationCapabilityReport,
    AuthenticationChecksumGet,
    AuthenticationChecksumReport,
    AuthenticationData,
    AuthenticationDataGet,
    AuthenticationDataReport,
    AuthenticationDataSet,
    TechnologiesCombination,
    TechnologiesCombinationGet,
    TechnologiesCombinationReport,
    TechnologiesCombinationSet,
)
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError

SEED_COMBINATION = TechnologiesCombination(auth_id=5, fallback_status=1, user_id=5, schedule_id=1)


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        # seed 002: auth id 5 enables user code 5 on schedule 1, no extra data ids
        ("A1 06 00 05 01 00 05 00 01 00", TechnologiesCombinationSet(SEED_COMBINATION)),
        ("A1 06 00 06 01 00 00 00 00 82 00 01 00 02",
         TechnologiesCombinationSet(TechnologiesCombination(6, 1, 0, 0, (1, 2), or_logic=True))),
        ("A1 07 00 05 01", TechnologiesCombinationGet(5, True)),
        ("A1 08 01 08 00 05 01 00 05 00 01 00 00 00", TechnologiesCombinationReport((SEED_COMBINATION,), 0)),
        ("A1 01", AuthenticationCapabilityGet()),
        ("A1 02 00 10 00 08 A1 06 03 01 1F", AuthenticationCapabilityReport(16, 8, (1, 2), (0, 1), (0, 1, 2, 3, 4),
                                                                           True, False, True)),
        ("A1 03 00 01 01 04 DE AD BE EF", AuthenticationDataSet(AuthenticationData(1, 1, bytes.fromhex("DEADBEEF")))),
        ("A1 04 00 01 00", AuthenticationDataGet(1)),
        ("A1 05 01 00 01 01 02 AB CD 00 02",
         AuthenticationDataReport((AuthenticationData(1, 1, bytes.fromhex("ABCD")),), 2)),
        ("A1 09 11", AuthenticationChecksumGet(1, 1)),
        ("A1 0A 11 12 34", AuthenticationChecksumReport(1, 1, 0x1234)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_authentication_data_is_secret() -> None:
    cmd = AuthenticationDataSet(AuthenticationData(1, 1, bytes.fromhex("DEADBEEF")))
    assert cmd.secret and "dead" not in repr(cmd).lower() and "dead" not in cmd.describe().lower()
    rep = AuthenticationDataReport((AuthenticationData(1, 1, bytes.fromhex("ABCD")),))
    assert "abcd" not in repr(rep).lower()


@pytest.mark.parametrize("hexstr", ["A1 06 00 05 01 00 05 00 01", "A1 06 00 05 01 00 05 00 01 01 00",
                                    "A1 05 01 00 01 01 05 AB", "A1 08 01 09 00 05", "A1 0A 11 12"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


def test_encode_errors() -> None:
    with pytest.raises(CCEncodeError):
        TechnologiesCombinationSet(TechnologiesCombination(0x10000)).to_bytes()
