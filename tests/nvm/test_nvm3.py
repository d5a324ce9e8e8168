"""700/800-series NVM3: the object store, the protocol files, real images and byte-exact writes."""

from __future__ import annotations

import copy
import re

import pytest

from custom_components.zwave_serial.zwave.nvm import NvmFormatError, NvmNotSupported
from custom_components.zwave_serial.zwave.nvm.nvm3 import (
    PAGE_HEADER_SIZE,
    Nvm3Meta,
    berger,
    read_store,
    write_store,
)
from custom_components.zwave_serial.zwave.nvm.nvm700 import parse_nvm700, target_formats, write_nvm700

from .vectors import BACKUPS_700, INVARIANTS_700, expected, image


def test_berger_code_counts_zero_bits() -> None:
    assert berger(0xFFFFFFFF) == 0
    assert berger(0) == 32
    assert berger(0x0000FFFF, 27) == 11
    assert berger(0, 27) == 27


def test_page_header_of_a_real_700_stick() -> None:
    """Fixture 7.18.3: ``01 00 9A B2 ... 2E 58 FF FF``: page 2048, 16-bit writes, mapped, family 46."""
    data = image("ctrlr_backup_700_7.18.3.bin")
    protocol_page = data[0x3000 : 0x3000 + PAGE_HEADER_SIZE]
    assert protocol_page[:4] == bytes.fromhex("01009AB2") and protocol_page[16:] == bytes.fromhex("2E58FFFF")
    store = read_store(data)
    assert store.meta == Nvm3Meta(page_size=2048, write_size=1, memory_mapped=True, device_family=46, shared=False)


@pytest.mark.parametrize("name", BACKUPS_700)
def test_real_backups_read_as_nvmedit_does(name: str) -> None:
    desc = parse_nvm700(image(name))
    exp = expected()[name]
    ctrl = desc.controller
    assert desc.protocol_file_format == exp["format"]
    assert f"{desc.home_id:08x}" == exp["home_id"] and desc.own_node_id == exp["node_id"]
    assert desc.protocol_version == exp["protocol_version"] and desc.application_version == exp["application_version"]
    assert (ctrl.suc_node_id, ctrl.suc_last_index) == (exp["suc_node_id"], exp["suc_last_index"])
    assert (ctrl.last_node_id, ctrl.max_node_id) == (exp["last_node_id"], exp["max_node_id"])
    assert ctrl.controller_configuration == exp["controller_configuration"]
    assert len(ctrl.suc_update_entries) == exp["suc_update_entries"]
    assert list(ctrl.ccs) == exp["ccs"]
    meta = exp["meta"]
    assert desc.meta == {
        "page_size": meta["pageSize"],
        "write_size": meta["writeSize"],
        "memory_mapped": meta["memoryMapped"],
        "device_family": meta["deviceFamily"],
        "shared": meta["sharedFileSystem"],
    }
    assert desc.series == ("800" if meta["sharedFileSystem"] else "700")
    rf = exp["rf_config"]
    assert ctrl.rf_config["region"] == rf["rfRegion"]
    assert ctrl.rf_config["tx_power"] == round(rf["txPower"] * 10)
    assert sorted(desc.nodes) == sorted(int(n) for n in exp["nodes"])
    for key, node_exp in exp["nodes"].items():
        node = desc.nodes[int(key)]
        info = node.info
        assert node.virtual == node_exp["isVirtual"], key
        assert (info.listening, info.routing, info.beaming) == (
            node_exp["isListening"], node_exp["isRouting"], node_exp["supportsBeaming"]
        )
        assert info.frequent_listening == {"1000ms": 1000, "250ms": 250}.get(node_exp["isFrequentListening"])
        assert sorted(info.speeds) == sorted(node_exp["supportedDataRates"])
        assert node.generic == node_exp["genericDeviceClass"]
        if info.has_specific_class:
            assert node.specific == node_exp["specificDeviceClass"]
        assert list(node.neighbors) == node_exp["neighbors"]
        assert node.suc_update_index == node_exp["sucUpdateIndex"]
        for attr, field in (
            ("app_route_lock", "appRouteLock"),
            ("route_slave_suc", "routeSlaveSUC"),
            ("suc_pending_update", "sucPendingUpdate"),
            ("pending_discovery", "pendingDiscovery"),
        ):
            assert getattr(node, attr) == node_exp[field], (key, attr)
        assert (node.lwr is not None) == node_exp["lwr"]


@pytest.mark.parametrize("name", INVARIANTS_700)
def test_invariant_images_are_written_back_byte_for_byte(name: str) -> None:
    """nvmedit wrote these from JSON for the SDK in their name: parse + write = the same bytes."""
    data = image(name)
    sdk = re.search(r"_(\d+\.\d+\.\d+)[_.]", name).group(1)
    assert write_nvm700(parse_nvm700(data), sdk) == data


@pytest.mark.parametrize(
    ("sdk", "protocol", "fmt"),
    [("7.0.0", (7, 0, 0), 0), ("7.11.0", (7, 11, 0), 1), ("7.12.2", (7, 12, 0), 2), ("7.15.4", (7, 15, 3), 3),
     ("7.17.2", (7, 17, 0), 4), ("7.19.1", (7, 19, 0), 5), ("7.22.0", (7, 19, 0), 5)],
)  # fmt: skip
def test_protocol_file_format_by_target_sdk(sdk: str, protocol: tuple[int, int, int], fmt: int) -> None:
    app, proto, file_format = target_formats(sdk)
    assert (proto, file_format) == (protocol, fmt)
    assert app == min(tuple(int(p) for p in sdk.split(".")), (7, 21, 0))


@pytest.mark.parametrize("sdk", ["7.11.0", "7.12.0", "7.15.4", "7.17.2", "7.19.1"])
def test_a_network_survives_every_protocol_file_format(sdk: str) -> None:
    source = parse_nvm700(image("ctrlr_backup_700_7.16_2.bin"))
    back = parse_nvm700(write_nvm700(source, sdk))
    assert back.protocol_file_format == target_formats(sdk)[2]
    assert back.home_id == source.home_id and sorted(back.nodes) == sorted(source.nodes)
    for node_id, node in source.nodes.items():
        other = back.nodes[node_id]
        assert (other.protocol_info, other.generic, other.neighbors, other.suc_update_index, other.lwr, other.nlwr) == (
            node.protocol_info, node.generic, node.neighbors, node.suc_update_index, node.lwr, node.nlwr
        )
    assert back.controller.suc_update_entries == source.controller.suc_update_entries


def test_large_objects_are_fragmented_over_pages_and_read_back() -> None:
    meta = Nvm3Meta(page_size=2048)
    blob = bytes(range(256)) * 20  # 5120 bytes: three fragments in 2 KiB pages
    data = write_store(0xC000, meta, [[(0xC8, blob), (0x66, b"\x01\x02\x01")]], [[(0x50000, b"\x00\x13\x07\x05")]])
    store = read_store(data)
    assert store.application[0xC8] == blob and store.application[0x66] == b"\x01\x02\x01"
    assert store.protocol[0x50000] == b"\x00\x13\x07\x05"


def test_the_newest_copy_wins_and_deleted_objects_vanish() -> None:
    data = bytearray(write_store(0xC000, Nvm3Meta(), [[(0x66, b"\x00\x02\x01"), (0x66, b"\x01\x02\x07")]], []))
    assert read_store(bytes(data)).application[0x66] == b"\x01\x02\x07"
    # Append a "deleted" object for the key: header type 3, no data.
    offset = 20 + 8 + 8
    hdr = 3 | 0x66 << 7
    hdr |= berger(hdr, 27) << 27
    data[offset : offset + 4] = hdr.to_bytes(4, "little")
    assert 0x66 not in read_store(bytes(data)).application


def test_corrupt_headers_are_refused() -> None:
    data = bytearray(image("ctrlr_backup_700_7.18.3.bin"))
    bad_magic = bytearray(data)
    bad_magic[0x3002] = 0x00
    with pytest.raises(NvmFormatError):
        read_store(bytes(bad_magic))
    bad_object = bytearray(data)
    bad_object[0x3014] ^= 0x01  # the first object header of the protocol area: Berger code breaks
    with pytest.raises(NvmFormatError):
        read_store(bytes(bad_object))
    with pytest.raises(NvmFormatError):
        read_store(bytes(data[:1000]))


def test_a_newer_protocol_file_format_is_not_supported() -> None:
    desc = copy.deepcopy(parse_nvm700(image("ctrlr_backup_700_7.19.1.bin")))
    data = bytearray(write_nvm700(desc, "7.19.1"))
    store = read_store(bytes(data))
    assert store.protocol[0x50000][3] == 5
    # Rewrite the protocol version file (nvmedit writes it twice) with format 6, in place.
    at = 0x3000
    while (at := bytes(data).find(bytes((0, 19, 7, 5)), at)) != -1:
        data[at + 3] = 6
    with pytest.raises(NvmNotSupported):
        parse_nvm700(bytes(data))
