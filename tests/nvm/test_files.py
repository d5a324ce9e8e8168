"""Backup files: image + JSON sidecar, checksum, retention; no network key anywhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.nvm import (
    NvmRestoreRefused,
    list_backups,
    load_backup,
    prune,
    save_backup,
)
from custom_components.zwave_serial.zwave.nvm.files import KIND_PRE_RESTORE, save_pair
from custom_components.zwave_serial.zwave.redact import frame_text

from .vectors import BACKUP_500, image


def test_sidecar_describes_the_image(tmp_path: Path) -> None:
    data = bytearray(image(BACKUP_500))
    data[0x2FBC : 0x2FBC + 16] = bytes.fromhex("00112233445566778899aabbccddeeff")  # an S0 key
    saved = save_backup(tmp_path, bytes(data), software="test 1.0", now=datetime(2025, 5, 1, 12, 0, tzinfo=UTC))
    assert saved.path.name == "nvm_ced44428_20250501T120000000000Z.bin"
    sidecar = json.loads(saved.sidecar_path.read_text())
    assert sidecar["format"] == "nvm500" and sidecar["series"] == "500" and sidecar["size"] == len(data)
    assert sidecar["home_id"] == "ced44428" and sidecar["nodes"] == [1, 3, 4] and sidecar["own_node_id"] == 1
    assert sidecar["created"] == "2025-05-01T12:00:00+00:00" and sidecar["software"] == "test 1.0"
    assert len(sidecar["sha256"]) == 64 and sidecar["protocol_version"] == "6.07"
    assert "00112233" not in saved.sidecar_path.read_text()
    loaded, side = load_backup(saved.path)
    assert loaded == bytes(data) and side == sidecar


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    saved = save_pair(tmp_path / "stick.bin", image("ctrlr_backup_700_7.18.3.bin"))
    raw = bytearray(saved.path.read_bytes())
    raw[0x3100] ^= 0xFF
    saved.path.write_bytes(bytes(raw))
    with pytest.raises(NvmRestoreRefused) as err:
        load_backup(saved.path)
    assert err.value.reason == "checksum"


def test_retention_keeps_the_newest(tmp_path: Path) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for day in range(5):
        save_backup(tmp_path, image(BACKUP_500), now=start + timedelta(days=day))
    save_backup(tmp_path, image(BACKUP_500), kind=KIND_PRE_RESTORE, now=start)
    save_backup(tmp_path, image("ctrlr_backup_700_7.18.3.bin"), now=start)  # another network
    removed = prune(tmp_path, 3, home_id="ced44428")
    assert len(removed) == 2
    left = list_backups(tmp_path, home_id="ced44428")
    assert [b.created.day for b in left if b.kind == "backup"] == [3, 4, 5]
    assert [b.kind for b in left].count(KIND_PRE_RESTORE) == 1
    assert len(list_backups(tmp_path)) == 5
    assert not list(tmp_path.glob("*.tmp"))


def test_unparseable_images_are_still_kept(tmp_path: Path) -> None:
    saved = save_backup(tmp_path, b"\x00" * 100)
    assert saved.sidecar["format"] == "unknown" and saved.path.name.startswith("nvm_unknown_")
    assert list_backups(tmp_path)[0].path == saved.path


@pytest.mark.parametrize(
    ("frame", "shown"),
    [
        (Frame.response(0x2A, bytes(range(40))), "01 2b 01 2a <redacted 40 bytes>"),
        (Frame.request(0x2B, bytes((0, 0x2F, 0xBC, 0, 4)) + b"\x11\x22\x33\x44"), "00 2f bc 00 04 <redacted 4 bytes>"),
        (Frame.request(0x2E, bytes((2, 4, 0, 0x10)) + b"\x11\x22\x33\x44"), "02 04 00 10 <redacted 4 bytes>"),
        (Frame.response(0x3D, bytes((0, 4, 0, 0, 0, 0x10)) + b"\x11\x22\x33\x44"), "00 04 00 00 00 10 <redacted 4 bytes>"),
    ],
)
def test_nvm_contents_never_reach_the_log(frame: Frame, shown: str) -> None:
    """A 500-series memory holds the S0 key: the link's log shows NVM frames without their data."""
    text = frame_text(frame.to_bytes())
    assert shown in text and "11 22 33 44" not in text and "0c 0d 0e" not in text
