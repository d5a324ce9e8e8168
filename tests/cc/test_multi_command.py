"""Multi Command CC (0x8F)."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.multi_command import MultiCommandEncap
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError


@pytest.mark.parametrize(
    ("hexstr", "commands"),
    [
        ("8F 01 02 03 80 03 64 03 25 03 FF", (bytes.fromhex("800364"), bytes.fromhex("2503FF"))),
        ("8F 01 01 02 84 07", (bytes.fromhex("8407"),)),
        ("8F 01 00", ()),
    ],
)
def test_roundtrip(hexstr: str, commands: tuple[bytes, ...]) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == MultiCommandEncap(commands)
    assert MultiCommandEncap(commands).to_bytes() == data


@pytest.mark.parametrize("hexstr", ["8F 01", "8F 01 02 03 80 03 64", "8F 01 01 05 80 03", "8F 01 01 00"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


def test_encode_rejects_empty_command() -> None:
    with pytest.raises(CCEncodeError):
        MultiCommandEncap((b"",)).to_bytes()


def test_repr_hides_payloads() -> None:
    text = repr(MultiCommandEncap((bytes.fromhex("6303030131323334"),)))
    assert "3132" not in text and "63 03" in text
