"""Hypothesis: the parsers never fail with anything but a typed NVM error, and whatever
description is written comes back the same."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.nvm import NvmFormatError, NvmNotSupported, parse_image
from custom_components.zwave_serial.zwave.nvm.image import NodeEntry
from custom_components.zwave_serial.zwave.nvm.nvm500 import write_nvm500
from custom_components.zwave_serial.zwave.nvm.nvm700 import write_nvm700

from .vectors import BACKUP_500, image

TYPED = (NvmFormatError, NvmNotSupported)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(data: bytes) -> None:
    try:
        desc = parse_image(data)
    except TYPED:
        return
    desc.summary()


@SETTINGS
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _parse(data)


@SETTINGS
@given(st.sampled_from([BACKUP_500, "ctrlr_backup_700_7.18.3.bin", "ctrlr_backup_700_7.12.bin"]),
       st.lists(st.tuples(st.integers(0, 0xBFFF), st.integers(0, 255)), min_size=1, max_size=12))  # fmt: skip
def test_damaged_real_images(name: str, edits: list[tuple[int, int]]) -> None:
    data = bytearray(image(name))
    for offset, value in edits:
        data[offset % len(data)] = value
    _parse(bytes(data))


@SETTINGS
@given(st.sampled_from([BACKUP_500, "ctrlr_backup_700_7.18.3.bin"]), st.integers(0, 0x10000))
def test_truncated_real_images(name: str, length: int) -> None:
    _parse(image(name)[:length])


node_ids = st.integers(2, 232)
nodes = st.dictionaries(
    node_ids,
    st.tuples(
        st.integers(0, 255),  # capability byte
        st.sampled_from([0x00, 0x01, 0x10, 0x14, 0x1C, 0x5C, 0x3C, 0x9C]),  # security byte
        st.integers(0, 1),
        st.integers(1, 0x40),
        st.integers(0, 0x20),
        st.sets(st.integers(1, 232), max_size=10),
    ),
    max_size=12,
)


def _with_nodes(base, generated) -> object:
    desc = copy.deepcopy(base)
    for node_id, (cap, sec, ext, generic, specific, neighbors) in generated.items():
        desc.nodes[node_id] = NodeEntry(
            node_id, bytes((cap | 0x01, sec | 0x04, ext)), generic, specific, tuple(sorted(neighbors)), 0xFE
        )
    return desc


@SETTINGS
@given(nodes, st.integers(1, 0xFFFFFFFE))
def test_written_500_images_read_back(generated, home_id: int) -> None:
    desc = _with_nodes(parse_image(image(BACKUP_500)), generated)
    desc.controller.home_id = desc.controller.own_home_id = home_id
    back = parse_image(write_nvm500(desc))
    assert back.home_id == home_id
    for node_id, node in desc.nodes.items():
        other = back.nodes[node_id]
        assert (other.protocol_info, other.generic, other.specific, other.neighbors) == (
            node.protocol_info, node.generic, node.specific, node.neighbors
        )


@SETTINGS
@given(nodes, st.sampled_from(["7.11.0", "7.15.4", "7.18.3", "7.19.1"]), st.binary(max_size=600))
def test_written_700_images_read_back(generated, sdk: str, app_data: bytes) -> None:
    desc = _with_nodes(parse_image(image("ctrlr_backup_700_7.18.3.bin")), generated)
    desc.controller.application_data = app_data or None
    back = parse_image(write_nvm700(desc, sdk))
    assert back.home_id == desc.home_id
    assert back.controller.application_data == (app_data or None)
    for node_id, node in desc.nodes.items():
        other = back.nodes[node_id]
        assert (other.protocol_info, other.generic, other.specific, other.neighbors) == (
            node.protocol_info, node.generic, node.specific, node.neighbors
        )
