"""Multi Channel Association CC (0x8E)."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.multi_channel_association import (
    MultiChannelAssociationGet,
    MultiChannelAssociationRemove,
    MultiChannelAssociationReport,
    MultiChannelAssociationSet,
    MultiChannelAssociationSupportedGroupingsGet,
    MultiChannelAssociationSupportedGroupingsReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("8E 01 01 01", MultiChannelAssociationSet(1, (1,))),
        # lifeline to the controller's root endpoint, multi channel form
        ("8E 01 01 00 01 00", MultiChannelAssociationSet(1, (), ((1, 0),))),
        ("8E 01 02 05 00 07 01 07 02", MultiChannelAssociationSet(2, (5,), ((7, 1), (7, 2)))),
        ("8E 02 01", MultiChannelAssociationGet(1)),
        ("8E 03 01 05 00 01 00 02 03", MultiChannelAssociationReport(1, 5, (1,), ((2, 3),))),
        ("8E 03 02 05 00", MultiChannelAssociationReport(2, 5)),
        ("8E 04 01 00 01 00", MultiChannelAssociationRemove(1, (), ((1, 0),))),
        ("8E 05", MultiChannelAssociationSupportedGroupingsGet()),
        ("8E 06 02", MultiChannelAssociationSupportedGroupingsReport(2)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_bit_addressed_endpoints_expand() -> None:
    rep = decode_command(bytes.fromhex("8E 03 01 05 00 00 07 85"))
    assert rep.endpoints == ((7, 1), (7, 3))


def test_values() -> None:
    assert MultiChannelAssociationReport(1, 5, (1,), ((2, 3),)).value_updates() == [
        ValueUpdate("nodes", [1], 1), ValueUpdate("endpoints", [[2, 3]], 1), ValueUpdate("max_nodes", 5, 1)]


def test_errors() -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex("8E 03 01 05"))
    with pytest.raises(CCEncodeError):
        MultiChannelAssociationSet(1, (), ((1, 200),)).to_bytes()
