"""Z-Wave Plus Info CC (0x5E), v2."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.zwave_plus_info import ZWavePlusInfoGet, ZWavePlusInfoReport
from custom_components.zwave_serial.zwave.errors import CCDecodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate


def test_roundtrip_and_values() -> None:
    data = bytes.fromhex("5E 02 02 07 00 03 00 03 00")
    rep = decode_command(data)
    assert rep == ZWavePlusInfoReport(2, 7, 0, 0x0300, 0x0300)
    assert rep.to_bytes() == data
    assert rep.value_updates() == [
        ValueUpdate("zwave_plus_version", 2), ValueUpdate("role_type", 7), ValueUpdate("node_type", 0),
        ValueUpdate("installer_icon", 0x300), ValueUpdate("user_icon", 0x300)]
    assert decode_command(bytes.fromhex("5E 01")) == ZWavePlusInfoGet()


def test_malformed() -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex("5E 02 02 07 00 03 00 03"))
