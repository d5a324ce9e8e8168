"""Multi Channel CC (0x60), v4 and v1 Multi Instance."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.multi_channel import (
    MultiChannelAggregatedMembersGet,
    MultiChannelAggregatedMembersReport,
    MultiChannelCapabilityGet,
    MultiChannelCapabilityReport,
    MultiChannelCmdEncap,
    MultiChannelEndPointFind,
    MultiChannelEndPointFindReport,
    MultiChannelEndPointGet,
    MultiChannelEndPointReport,
    MultiInstanceEncap,
    MultiInstanceGet,
    MultiInstanceReport,
    parse_cc_list,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("60 07", MultiChannelEndPointGet()),
        ("60 08 40 02 00", MultiChannelEndPointReport(2, identical=True, aggregated_count=0)),
        ("60 08 80 03", MultiChannelEndPointReport(3, dynamic=True)),
        ("60 09 02", MultiChannelCapabilityGet(2)),
        ("60 0A 02 10 01 25 27 20", MultiChannelCapabilityReport(2, 0x10, 0x01, (0x25, 0x27, 0x20))),
        ("60 0A 81 21 01 31 EF 20", MultiChannelCapabilityReport(1, 0x21, 0x01, (0x31,), True, (0x20,))),
        ("60 0B FF FF", MultiChannelEndPointFind()),
        ("60 0C 00 10 01 01 02", MultiChannelEndPointFindReport(0, 0x10, 0x01, (1, 2))),
        ("60 0D 02 00 25 03 FF", MultiChannelCmdEncap(2, 0, bytes.fromhex("2503FF"))),
        ("60 0D 00 83 25 01 FF", MultiChannelCmdEncap(0, 3, bytes.fromhex("2501FF"), bit_address=True)),
        ("60 0E 03", MultiChannelAggregatedMembersGet(3)),
        ("60 0F 03 01 05", MultiChannelAggregatedMembersReport(3, (1, 3))),
        ("60 04 25", MultiInstanceGet(0x25)),
        ("60 05 25 02", MultiInstanceReport(0x25, 2)),
        ("60 06 02 25 03 FF", MultiInstanceEncap(2, bytes.fromhex("2503FF"))),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_endpoint_report_endpoints() -> None:
    assert MultiChannelEndPointReport(2, aggregated_count=1).endpoints == [1, 2, 3]


def test_cc_list_with_extended_cc() -> None:
    assert parse_cc_list(bytes.fromhex("25 F1 00 EF 20")) == ((0x25, 0xF100), (0x20,))
    with pytest.raises(CCDecodeError):
        parse_cc_list(bytes.fromhex("25 F1"))


@pytest.mark.parametrize("hexstr", ["60 08 00", "60 0A 01 10", "60 0D 01 00 25", "60 06 01 25", "60 0F 01 02 01"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


def test_answers_match_endpoint() -> None:
    assert MultiChannelCapabilityReport(2, 0x10, 1).answers(MultiChannelCapabilityGet(2))
    assert not MultiChannelCapabilityReport(1, 0x10, 1).answers(MultiChannelCapabilityGet(2))
    assert MultiInstanceReport(0x25, 2).answers(MultiInstanceGet(0x25))
    assert not MultiInstanceReport(0x26, 2).answers(MultiInstanceGet(0x25))


def test_encode_errors() -> None:
    with pytest.raises(CCEncodeError):
        MultiChannelCmdEncap(0, 128, b"\x20\x02").to_bytes()
    with pytest.raises(CCEncodeError):
        MultiChannelCapabilityGet(200).to_bytes()
