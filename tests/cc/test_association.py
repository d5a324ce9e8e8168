"""Association CC (0x85)."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.association import (
    INFO,
    AssociationGet,
    AssociationRemove,
    AssociationReport,
    AssociationSet,
    AssociationSpecificGroupGet,
    AssociationSpecificGroupReport,
    AssociationSupportedGroupingsGet,
    AssociationSupportedGroupingsReport,
)
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeClassContext


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("85 01 01 01", AssociationSet(1, (1,))),
        ("85 01 02 05 06", AssociationSet(2, (5, 6))),
        ("85 02 01", AssociationGet(1)),
        ("85 03 01 05 00 01", AssociationReport(1, 5, (1,))),
        ("85 03 02 0A 01 03 04", AssociationReport(2, 10, (3, 4), 1)),
        ("85 03 03 05 00", AssociationReport(3, 5)),
        ("85 04 01 02", AssociationRemove(1, (2,))),
        ("85 04 00", AssociationRemove(0)),
        ("85 05", AssociationSupportedGroupingsGet()),
        ("85 06 03", AssociationSupportedGroupingsReport(3)),
        ("85 0B", AssociationSpecificGroupGet()),
        ("85 0C 02", AssociationSpecificGroupReport(2)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_list_arguments_are_normalised() -> None:
    assert AssociationSet(1, [1]) == AssociationSet(1, (1,))
    assert AssociationSet(1, [1]).to_bytes() == bytes.fromhex("85 01 01 01")


def test_values_and_answers() -> None:
    assert AssociationReport(2, 10, (3, 4)).value_updates() == [
        ValueUpdate("nodes", [3, 4], 2), ValueUpdate("max_nodes", 10, 2)]
    assert AssociationSupportedGroupingsReport(3).value_updates() == [ValueUpdate("group_count", 3)]
    assert AssociationReport(2, 10).answers(AssociationGet(2))
    assert not AssociationReport(1, 10).answers(AssociationGet(2))


@pytest.mark.parametrize("hexstr", ["85 03 01 05", "85 02", "85 01"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


@pytest.mark.parametrize("nodes", [(0,), (233,)])
def test_encode_rejects_bad_node_ids(nodes: tuple[int, ...]) -> None:
    with pytest.raises(CCEncodeError):
        AssociationSet(1, nodes).to_bytes()


async def test_interview_reads_every_group() -> None:
    ctx = FakeClassContext(2, {
        AssociationSupportedGroupingsGet: AssociationSupportedGroupingsReport(3),
        AssociationGet: lambda g: None if g.group == 2 else AssociationReport(g.group, 5, (1,) if g.group == 1 else ()),
    })
    await INFO.interview(ctx)
    assert ctx.sent == [AssociationSupportedGroupingsGet(), AssociationGet(1), AssociationGet(2), AssociationGet(3)]
    assert ctx.value("nodes", 1) == [1] and ctx.value("nodes", 3) == [] and ctx.value("group_count") == 3
