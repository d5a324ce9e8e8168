"""500-series NVM layouts: parsing real images, writing byte-exact images, every SDK family."""

from __future__ import annotations

import copy

import pytest

from custom_components.zwave_serial.zwave.nvm import NvmFormatError, parse_image
from custom_components.zwave_serial.zwave.nvm.image import NodeEntry
from custom_components.zwave_serial.zwave.nvm.nvm500 import detect_layout, parse_nvm500, write_nvm500
from custom_components.zwave_serial.zwave.nvm.nvm500_layouts import LAYOUTS, static_offsets

from .vectors import BACKUP_500, expected, image


def test_layout_offsets_match_the_fact_sheet() -> None:
    """Static 6.8x: the offsets of protocol-facts §3.4 (computed from the tables here)."""
    offsets, _size = static_offsets(LAYOUTS[0])
    assert LAYOUTS[0].name == "Static 6.8x"
    for name, offset in {
        "EX_NVM_HOME_ID_far": 0x0008,
        "NVM_HOMEID_far": 0x0010,
        "NVM_NODEID_far": 0x0014,
        "EX_NVM_NODE_TABLE_START_far": 0x00F8,
        "EX_NVM_ROUTING_TABLE_START_far": 0x0580,
        "EX_NVM_LAST_USED_NODE_ID_START_far": 0x1FC8,
        "EX_NVM_SUC_NODE_LIST_START_far": 0x1FE8,
        "EX_NVM_CONTROLLER_CONFIGURATION_far": 0x268B,
        "EX_NVM_ROUTECACHE_START_far": 0x268E,
        "EX_NVM_ROUTECACHE_MAGIC_far": 0x2F9E,
        "NVM_SECURITY0_KEY_far": 0x2FBC,
        "NVM_SYSTEM_STATE": 0x2FCC,
        "nvmApplicationSize": 0x2FD2,
    }.items():
        assert offsets[name] == offset, name
    bridge = next(layout for layout in LAYOUTS if layout.name == "Bridge 6.8x")
    offsets, _size = static_offsets(bridge)
    assert offsets["EX_NVM_CONTROLLER_CONFIGURATION_far"] == 0x26A8
    assert offsets["nvmApplicationSize"] == 0x2FEF


def test_real_backup_reads_as_nvmedit_does() -> None:
    desc = parse_nvm500(image(BACKUP_500))
    exp = expected()[BACKUP_500]
    ctrl = desc.controller
    assert desc.layout == "Static 6.8x" and desc.library == "static"
    assert f"{desc.home_id:08x}" == exp["home_id"] == "ced44428"
    assert ctrl.stored_node_id == exp["node_id"] == 0  # a 500-series primary stores 0
    assert desc.own_node_id == 1
    assert desc.protocol_version == exp["protocol_version"] and desc.application_version == exp["application_version"]
    assert ctrl.suc_node_id == exp["suc_node_id"] and ctrl.suc_last_index == exp["suc_last_index"]
    assert ctrl.last_node_id == exp["last_node_id"] and ctrl.max_node_id == exp["max_node_id"]
    assert ctrl.controller_configuration == exp["controller_configuration"]
    assert len(ctrl.suc_update_entries) == exp["suc_update_entries"]
    assert list(ctrl.ccs) == exp["ccs"]
    assert desc.meta["manufacturer_id"] == 0x0086 and desc.meta["product_id"] == 0x005A
    assert sorted(desc.nodes) == sorted(int(n) for n in exp["nodes"])
    for key, node_exp in exp["nodes"].items():
        node = desc.nodes[int(key)]
        info = node.info
        assert info.listening == node_exp["isListening"]
        assert info.routing == node_exp["isRouting"]
        assert sorted(info.speeds) == sorted(node_exp["supportedDataRates"])
        assert info.protocol_version == node_exp["protocolVersion"]
        assert info.is_controller == (node_exp["nodeType"] == 0)
        assert info.beaming == node_exp["supportsBeaming"] and info.security == node_exp["supportsSecurity"]
        assert node.generic == node_exp["genericDeviceClass"]
        assert list(node.neighbors) == node_exp["neighbors"]
        assert node.suc_update_index == node_exp["sucUpdateIndex"]
        assert (node.lwr is not None) == node_exp["lwr"]


def test_invariant_image_is_written_back_byte_for_byte() -> None:
    """nvmedit wrote this image from its JSON; parse and write must give the same bytes."""
    data = image("ctrlr_invariant_500_static_6.8x.bin")
    assert write_nvm500(parse_nvm500(data)) == data


def test_inspect_never_shows_the_s0_key() -> None:
    data = bytearray(image(BACKUP_500))
    data[0x2FBC : 0x2FBC + 16] = bytes.fromhex("0102030405060708090a0b0c0d0e0f10")
    summary = str(parse_image(bytes(data)).summary())
    assert "0102030405060708" not in summary and "01 02 03" not in summary


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_every_family_writes_and_reads_back(layout) -> None:
    """A description written in each SDK family's layout parses back to the same network."""
    desc = copy.deepcopy(parse_nvm500(image(BACKUP_500)))
    if layout.library == "bridge":
        desc.nodes[20] = NodeEntry(20, bytes((0xD3, 0x9C, 0x01)), 0x10, 0x01, virtual=True)
        desc.nodes[21] = NodeEntry(21, virtual=True, has_info=False)
    data = write_nvm500(desc, protocol_version=layout.protocol_versions[-1], library=layout.library)
    found = detect_layout(data)
    assert found is not None and found[0].name == layout.name
    back = parse_nvm500(data)
    assert back.home_id == desc.home_id and back.own_node_id == desc.own_node_id
    assert back.protocol_version == layout.protocol_versions[-1]
    for node_id, node in desc.nodes.items():
        other = back.nodes[node_id]
        assert (other.protocol_info, other.generic, other.neighbors, other.virtual) == (
            node.protocol_info, node.generic, node.neighbors, node.virtual
        ) or not node.has_info
    if layout.library == "bridge":
        assert back.nodes[20].virtual and back.nodes[21].virtual and not back.nodes[21].has_info
    # The system state only exists in 6.8x; the power settings grew with the families.
    assert ("power_mode" in back.controller.rf_500) == layout.name.endswith("6.8x")


@pytest.mark.parametrize(
    ("offset", "value"),
    [(0x15, 0x00), (0x16, 0x00), (0x2F9E, 0x00), (0x2FD4, 0x00), (0x2FD2, 0x12), (0x384A, 0x01)],
    ids=["config valid", "really valid", "route cache magic", "app magic", "app module size", "end marker"],
)
def test_a_broken_marker_is_not_a_500_image(offset: int, value: int) -> None:
    data = bytearray(image(BACKUP_500))
    data[offset] = value
    with pytest.raises(NvmFormatError):
        parse_nvm500(bytes(data))


def test_short_or_empty_data_is_refused() -> None:
    for data in (b"", b"\x38\x5f", image(BACKUP_500)[:0x2000]):
        with pytest.raises(NvmFormatError):
            parse_nvm500(data)
