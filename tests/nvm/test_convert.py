"""Conversion between series and SDK versions, and what each conversion says it dropped."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.nvm import (
    NvmConversionError,
    NvmFormatError,
    convert_for_target,
    convert_to,
    parse_image,
)
from custom_components.zwave_serial.zwave.nvm.nvm700 import EMPTY_ROUTE

from .vectors import BACKUP_500, image

TARGET_700 = "ctrlr_backup_700_7.16_1.bin"


def _route(raw: bytes | None) -> bytes | None:
    """A missing route is written as nvmedit's empty route (direct, 40 kbit/s) on 700."""
    return None if raw == EMPTY_ROUTE else raw


def _same_nodes(a, b) -> None:
    assert a.node_ids == b.node_ids
    for node_id in a.node_ids:
        x, y = a.nodes[node_id], b.nodes[node_id]
        assert (x.generic, x.neighbors, x.suc_update_index, _route(x.lwr), _route(x.nlwr)) == (
            y.generic, y.neighbors, y.suc_update_index, _route(y.lwr), _route(y.nlwr)
        ), node_id
        assert x.protocol_info[1:] == y.protocol_info[1:]


def test_500_to_700_and_back_keeps_the_network() -> None:
    source = parse_image(image(BACKUP_500))
    to_700, report = convert_for_target(image(BACKUP_500), image(TARGET_700), allow_other_series=True)
    assert report.method == "converted" and (report.source_series, report.target_series) == ("500", "700")
    assert any("S0 key" in item for item in report.dropped)
    converted = parse_image(to_700)
    assert converted.series == "700" and len(to_700) == len(image(TARGET_700))
    assert converted.home_id == source.home_id == 0xCED44428
    assert converted.own_node_id == 1 and converted.controller.node_id == 1
    assert converted.protocol_file_format == 3  # the target runs SDK 7.16.2
    assert converted.controller.rf_config == parse_image(image(TARGET_700)).controller.rf_config
    assert converted.controller.listening and converted.nodes[1].info.listening
    _same_nodes(source, converted)

    back, report = convert_for_target(to_700, image(BACKUP_500), allow_other_series=True)
    restored = parse_image(back)
    assert restored.series == "500" and restored.layout == "Static 6.8x"
    assert restored.home_id == source.home_id and restored.controller.stored_node_id == 0
    _same_nodes(source, restored)


def test_other_series_needs_the_conversion_flag() -> None:
    with pytest.raises(NvmConversionError):
        convert_for_target(image(BACKUP_500), image(TARGET_700), allow_other_series=False)
    with pytest.raises(NvmConversionError):
        convert_for_target(image(TARGET_700), image(BACKUP_500), allow_other_series=False)


def test_700_backup_goes_raw_onto_a_compatible_700() -> None:
    """nvmedit's shortcut: same size and structure, target protocol 7.16+ and not older."""
    data, report = convert_for_target(image("ctrlr_backup_700_7.12.bin"), image(TARGET_700), allow_other_series=False)
    assert report.method == "raw" and data == image("ctrlr_backup_700_7.12.bin")


def test_700_to_an_older_700_is_converted_to_its_file_format() -> None:
    data, report = convert_for_target(image("ctrlr_backup_700_7.19.1.bin"), image("ctrlr_backup_700_7.12.bin"), allow_other_series=False)
    assert report.method == "converted"
    desc = parse_image(data)
    assert desc.protocol_file_format == 2 and desc.protocol_version == "7.12.0"
    assert desc.home_id == parse_image(image("ctrlr_backup_700_7.19.1.bin")).home_id


def test_700_to_800_uses_the_shared_file_system() -> None:
    data, report = convert_for_target(image("ctrlr_backup_700_7.12.bin"), image("ctrlr_backup_800_7.23.0.bin"), allow_other_series=False)
    desc = parse_image(data)
    assert desc.series == "800" and desc.meta["shared"] and len(data) == 0xA000
    assert desc.protocol_file_format == 5  # the 800's broken application version is not used as its SDK
    _same_nodes(parse_image(image("ctrlr_backup_700_7.12.bin")), desc)


def test_bridge_virtual_nodes_are_dropped_for_a_static_500() -> None:
    data, report = convert_to(image("ctrlr_backup_700_7.12.bin"), "500")
    assert any("virtual node(s) [2, 3, 4, 5]" in item for item in report.dropped)
    desc = parse_image(data)
    assert desc.node_ids == [1, 6, 8, 9, 10, 11, 12] and desc.controller.stored_node_id == 0


def test_long_range_nodes_are_dropped_for_a_500() -> None:
    desc = parse_image(image("ctrlr_backup_800_7.23.0.bin"))
    assert not desc.lr_nodes
    from custom_components.zwave_serial.zwave.nvm.image import LongRangeNode
    from custom_components.zwave_serial.zwave.nvm.nvm3 import Nvm3Meta
    from custom_components.zwave_serial.zwave.nvm.nvm700 import write_nvm700

    desc.lr_nodes[256] = LongRangeNode(256, 0x06, 0x10, 0x01)
    with_lr = write_nvm700(desc, "7.23.0", Nvm3Meta(**desc.meta))
    assert parse_image(with_lr).lr_nodes[256].generic == 0x10
    _data, report = convert_to(with_lr, "500")
    assert any("Long Range node" in item for item in report.dropped)


@pytest.mark.parametrize(("series", "sdk"), [("700", "7.15.4"), ("700", None), ("800", None)])
def test_convert_without_a_target(series: str, sdk: str | None) -> None:
    data, report = convert_to(image(BACKUP_500), series, sdk=sdk)
    desc = parse_image(data)
    assert desc.series == series and desc.home_id == 0xCED44428
    assert desc.application_version == (sdk or "7.19.1")


def test_garbage_is_not_converted() -> None:
    with pytest.raises(NvmFormatError):
        convert_to(b"\x00" * 4096, "700")
    with pytest.raises(NvmFormatError):
        convert_for_target(b"\xff" * 0xC000, image(TARGET_700), allow_other_series=True)
