"""Z-Wave QR codes: Z-Wave JS's test vectors (packages/core/src/qr/parse.test.ts)."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.errors import ZWaveError
from custom_components.zwave_serial.zwave.network.provisioning import ProvisioningEntry
from custom_components.zwave_serial.zwave.security.keys import (
    SecurityClass,
    auth_home_id_from_dsk,
    dsk_from_string,
    nwi_home_id_from_dsk,
)
from custom_components.zwave_serial.zwave.security.qr import (
    InvalidQRCode,
    Protocol,
    QRCodeVersion,
    parse_qr_code,
)

ACME_DIMMER = "900132782003515253545541424344453132333435212223242500100435301537022065520001000000300578"
OSCORP_LOCK = (
    "9001346230075152535455414243444531323334352122232425001016387007680220655210100000017002880642"
    "002122232425414243444511121314153132333435"
)
DSK = "51525-35455-41424-34445-31323-33435-21222-32425"


def _dummy(first: str) -> str:
    return first + "0" * (52 - len(first))


@pytest.mark.parametrize(
    "code",
    [
        _dummy("90ab"),  # non-digits
        _dummy("1100"),  # does not start with 90
        "900012345001",  # too short
        # incorrect checksum
        "900199999003090360850151462432730701509765221393752300100179303072022000881000020000900257",
        "",
    ],
)
def test_invalid_codes_raise_a_typed_error(code: str) -> None:
    with pytest.raises(InvalidQRCode) as info:
        parse_qr_code(code)
    assert isinstance(info.value, ZWaveError) and isinstance(info.value, ValueError)
    assert str(info.value).startswith("invalid QR code")


def test_acme_light_dimmer() -> None:
    info = parse_qr_code(ACME_DIMMER)
    assert info.version == QRCodeVersion.SMART_START and info.smart_start
    assert info.requested_security_classes == (SecurityClass.S2_Unauthenticated, SecurityClass.S2_Authenticated)
    assert info.dsk == DSK
    assert info.application_version == "2.66"
    assert (info.generic_device_class, info.specific_device_class, info.installer_icon_type) == (0x11, 0x01, 0x0601)
    assert (info.manufacturer_id, info.product_type, info.product_id) == (0xFFF0, 0x0064, 0x0003)
    assert info.uuid is None and info.max_inclusion_request_interval is None and info.supported_protocols is None


def test_oscorp_door_lock_with_uuid() -> None:
    info = parse_qr_code(OSCORP_LOCK)
    assert info.version == QRCodeVersion.SMART_START
    assert info.requested_security_classes == (
        SecurityClass.S2_Unauthenticated,
        SecurityClass.S2_Authenticated,
        SecurityClass.S2_AccessControl,
    )
    assert info.dsk == DSK
    assert info.uuid == "52e67ea9a1d0868d2b717ab77a5b829b"
    assert info.application_version == "1.32"
    assert (info.generic_device_class, info.specific_device_class, info.installer_icon_type) == (0x40, 0x03, 0x0300)
    assert (info.manufacturer_id, info.product_type, info.product_id) == (0xFFF1, 0x03E8, 0x0011)


def test_s2_only_code() -> None:
    info = parse_qr_code("9000" + ACME_DIMMER[4:])
    assert info.version == QRCodeVersion.S2 and not info.smart_start
    assert info.dsk == DSK


@pytest.mark.parametrize(
    "text",
    [
        f"\t{ACME_DIMMER}  ",
        f"some garbage text before {ACME_DIMMER}",
        f"{ACME_DIMMER} some garbage after",
        f"{ACME_DIMMER}123456789",
        ACME_DIMMER[:20] + " " + ACME_DIMMER[20:40] + " " + ACME_DIMMER[40:],
        ACME_DIMMER[:30] + "\n" + ACME_DIMMER[30:60] + "\n" + ACME_DIMMER[60:],
        ACME_DIMMER[:10] + " " + ACME_DIMMER[10:30] + "\n" + ACME_DIMMER[30:50] + "\t" + ACME_DIMMER[50:],
        f"{ACME_DIMMER[:14]}{ACME_DIMMER}{ACME_DIMMER[5:]}90",  # several candidates
    ],
)
def test_text_around_the_code(text: str) -> None:
    assert parse_qr_code(text) == parse_qr_code(ACME_DIMMER)


def _with_checksum(body_after_checksum: str, version: int = 1) -> str:
    import hashlib

    checksum = int.from_bytes(hashlib.sha1(body_after_checksum.encode()).digest()[:2], "big")
    return f"90{version:02d}{checksum:05d}{body_after_checksum}"


def test_optional_blocks_and_unknown_ones() -> None:
    body = ACME_DIMMER[9:]
    # max inclusion request interval 5 (x128 s), supported protocols Z-Wave + LR, unknown optional type 10
    code = _with_checksum(body + "0402" + "05" + "0803" + "003" + "2004" + "1234")
    info = parse_qr_code(code)
    assert info.max_inclusion_request_interval == 640
    assert info.supported_protocols == (Protocol.ZWAVE, Protocol.ZWAVE_LONG_RANGE)
    assert info.other == {10: "1234"}


def test_unknown_critical_block_is_an_error() -> None:
    code = _with_checksum(ACME_DIMMER[9:] + "2104" + "1234")
    with pytest.raises(InvalidQRCode, match="critical"):
        parse_qr_code(code)


def test_missing_product_blocks_and_bad_classes() -> None:
    with pytest.raises(InvalidQRCode, match="product"):
        parse_qr_code(_with_checksum(ACME_DIMMER[9:52]))
    with pytest.raises(InvalidQRCode, match="security class"):
        parse_qr_code(_with_checksum("008" + ACME_DIMMER[12:]))  # bit 3: no such class


def test_entry_from_qr_and_smart_start_home_ids() -> None:
    info = parse_qr_code(OSCORP_LOCK)
    entry = ProvisioningEntry.from_qr(info, name="front door", security_classes=(SecurityClass.S2_AccessControl,))
    assert entry.security_classes == (SecurityClass.S2_AccessControl,)
    assert entry.dsk == DSK and entry.manufacturer_id == 0xFFF1
    dsk = dsk_from_string(DSK)
    # DSK c9458a7f a1d0868d 7a5b829b 52e67ea9; NWI home ID: bytes 8..11, bits 7-6 set, bit 0
    # cleared; auth home ID: bytes 12..15, bits 7-6 cleared, bit 0 set (Z-Wave JS dsk/index.ts)
    assert entry.nwi_home_id == nwi_home_id_from_dsk(dsk) == 0xFA5B829A
    assert auth_home_id_from_dsk(dsk) == 0x12E67EA9
