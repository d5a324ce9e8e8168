"""Quality-scale files: brand images and the license."""

from __future__ import annotations

import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BRAND = ROOT / "custom_components" / "zwave_serial" / "brand"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def test_brand_images() -> None:
    """icon 256x256 (@2x 512x512); logo landscape, 128 px high (@2x 256)."""
    assert _png_size(BRAND / "icon.png") == (256, 256)
    assert _png_size(BRAND / "icon@2x.png") == (512, 512)
    width, height = _png_size(BRAND / "logo.png")
    assert height == 128 and width > height
    width, height = _png_size(BRAND / "logo@2x.png")
    assert height == 256 and width > height


def test_license() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "zwave_serial contributors" in text
