"""Z-Wave S2 / SmartStart QR codes: the decimal string a QR code carries, parsed.

Layout (Z-Wave JS ``packages/core/src/qr``; every number is written in decimal digits):
``"90"`` (lead-in) · version (2: 00 S2, 01 SmartStart) · checksum (5: the first two bytes of
SHA-1 over everything after the checksum, big-endian) · requested keys (3: bit n = security
class n, bit 7 S0) · DSK (8 x 5 digits) · TLV blocks ``[type·2+critical (2)][length (2)][data]``:
00 product type (generic/specific class (5), installer icon (5)), 01 product ID (manufacturer,
product type, product ID, application version, 5 digits each), 02 max inclusion request
interval (2, x 128 s), 03 UUID16 (format (2) + 8 x 5 digits), 04 supported protocols (bit
mask: bit 0 Z-Wave, bit 1 Z-Wave Long Range).  Product type and product ID are required; an
unknown critical block is an error, an unknown optional one is kept as text.

Text around the code (whitespace, a label, extra digits) is tolerated as Z-Wave JS does: the
code is searched for when the whole string does not parse.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import IntEnum

from ..errors import ZWaveError
from .keys import SecurityClass, dsk_to_string

MIN_QR_CODE_LENGTH = 52  # "90", version 2, checksum 5, keys 3, DSK 40
_CANDIDATE = re.compile(r"90\d{" + str(MIN_QR_CODE_LENGTH - 2) + ",}")
_DIGITS = re.compile(r"\d+")


class InvalidQRCode(ZWaveError, ValueError):
    """The text is not a valid Z-Wave QR code (the message says why)."""


class QRCodeVersion(IntEnum):
    S2 = 0
    SMART_START = 1


class Protocol(IntEnum):
    ZWAVE = 0
    ZWAVE_LONG_RANGE = 1


class TLVType(IntEnum):
    PRODUCT_TYPE = 0x00
    PRODUCT_ID = 0x01
    MAX_INCLUSION_REQUEST_INTERVAL = 0x02
    UUID16 = 0x03
    SUPPORTED_PROTOCOLS = 0x04


@dataclass(frozen=True, slots=True)
class QRProvisioningInformation:
    """What a device's QR code says about it (no secret: the DSK is printed on the label)."""

    version: QRCodeVersion
    requested_security_classes: tuple[SecurityClass, ...]
    dsk: str
    generic_device_class: int
    specific_device_class: int
    installer_icon_type: int
    manufacturer_id: int
    product_type: int
    product_id: int
    application_version: str
    max_inclusion_request_interval: int | None = None  # seconds
    uuid: str | None = None  # 32 hex digits
    supported_protocols: tuple[Protocol | int, ...] | None = None
    #: Optional TLV blocks this parser does not know: type -> the block's digits.
    other: dict[int, str] = field(default_factory=dict)

    @property
    def smart_start(self) -> bool:
        return self.version == QRCodeVersion.SMART_START


def _fail(reason: str) -> InvalidQRCode:
    return InvalidQRCode(f"invalid QR code: {reason}")


def _number(text: str, offset: int, digits: int, maximum: int) -> int:
    chunk = text[offset : offset + digits]
    if len(chunk) != digits or not chunk.isdigit():
        raise _fail("truncated data")
    value = int(chunk)
    if value > maximum:
        raise _fail("invalid data")
    return value


def _u8(text: str, offset: int) -> int:
    return _number(text, offset, 3, 0xFF)


def _u16(text: str, offset: int) -> int:
    return _number(text, offset, 5, 0xFFFF)


def _level(text: str, offset: int) -> int:
    return _number(text, offset, 2, 99)


def _checksum(text: str, end: int) -> int:
    return int.from_bytes(hashlib.sha1(text[9:end].encode("ascii")).digest()[:2], "big")


def _classes(mask: int) -> tuple[SecurityClass, ...]:
    out = []
    for bit in range(8):
        if mask & (1 << bit):
            try:
                out.append(SecurityClass(bit))
            except ValueError:
                raise _fail("invalid security class requested") from None
    return tuple(out)


def _bits(mask: int) -> tuple[Protocol | int, ...]:
    out: list[Protocol | int] = []
    for bit in range(16):
        if mask & (1 << bit):
            try:
                out.append(Protocol(bit))
            except ValueError:
                out.append(bit)
    return tuple(out)


def _tlv_fields(kind: int, data: str) -> dict[str, object] | None:
    """Fields of a known TLV block, None for an unknown type (or UUID in another format)."""
    if kind == TLVType.PRODUCT_TYPE:
        classes = _u16(data, 0)
        return {
            "generic_device_class": classes >> 8,
            "specific_device_class": classes & 0xFF,
            "installer_icon_type": _u16(data, 5),
        }
    if kind == TLVType.PRODUCT_ID:
        version = _u16(data, 15)
        return {
            "manufacturer_id": _u16(data, 0),
            "product_type": _u16(data, 5),
            "product_id": _u16(data, 10),
            "application_version": f"{version >> 8}.{version & 0xFF}",
        }
    if kind == TLVType.MAX_INCLUSION_REQUEST_INTERVAL:
        return {"max_inclusion_request_interval": 128 * _level(data, 0)}
    if kind == TLVType.UUID16:
        if _level(data, 0) != 0:
            return None  # only presentation format 0 is defined for QR codes
        uuid = b"".join(_u16(data, 2 + 5 * i).to_bytes(2, "big") for i in range(8))
        return {"uuid": uuid.hex()}
    if kind == TLVType.SUPPORTED_PROTOCOLS:
        readers = {2: _level, 3: _u8, 5: _u16}
        mask = readers[len(data)](data, 0) if len(data) in readers else 0
        return {"supported_protocols": _bits(mask)}
    return None


def _parse(text: str, *, find_end: bool) -> QRProvisioningInformation:
    """Parse a clean digit string; ``find_end``: the code may be followed by other digits (its
    end is where the checksum matches)."""
    if not text.startswith("90"):
        raise _fail("must start with 90")
    if len(text) < MIN_QR_CODE_LENGTH:
        raise _fail("too short")
    if not _DIGITS.fullmatch(text):
        raise _fail("contains characters other than digits")
    version = _level(text, 2)
    if version > QRCodeVersion.SMART_START:
        raise _fail(f"unknown version {version}")
    expected = _u16(text, 4)
    if not find_end and _checksum(text, len(text)) != expected:
        raise _fail("wrong checksum")
    requested = _classes(_u8(text, 9))
    dsk = b"".join(_u16(text, 12 + 5 * i).to_bytes(2, "big") for i in range(8))
    offset = 52
    fields: dict[str, object] = {}
    other: dict[int, str] = {}
    seen: set[int] = set()
    while offset + 4 <= len(text):
        length = _level(text, offset + 2)
        if offset + 4 + length > len(text):
            if find_end:
                break
            raise _fail("incomplete TLV block")
        type_critical = _level(text, offset)
        kind, critical = type_critical >> 1, bool(type_critical & 1)
        data = text[offset + 4 : offset + 4 + length]
        offset += 4 + length
        parsed = _tlv_fields(kind, data)
        if parsed is None:
            if critical:
                raise _fail(f"unsupported critical TLV block {kind}")
            other[kind] = data
        else:
            fields.update(parsed)
        seen.add(kind)
        if (
            find_end
            and {TLVType.PRODUCT_TYPE, TLVType.PRODUCT_ID} <= seen
            and _checksum(text, offset) == expected
        ):
            break
    if not {TLVType.PRODUCT_TYPE, TLVType.PRODUCT_ID} <= seen:
        raise _fail("missing the product type or product ID")
    if _checksum(text, offset) != expected:
        raise _fail("wrong checksum")
    return QRProvisioningInformation(
        version=QRCodeVersion(version),
        requested_security_classes=requested,
        dsk=dsk_to_string(dsk),
        other=other,
        **fields,  # type: ignore[arg-type]
    )


def parse_qr_code(text: str) -> QRProvisioningInformation:
    """Parse the text of a Z-Wave QR code (:class:`InvalidQRCode` when it is not one)."""
    if not isinstance(text, str):
        raise _fail("not text")
    normalized = re.sub(r"\s", "", text)
    try:
        return _parse(normalized, find_end=False)
    except InvalidQRCode as err:
        first_error = err
    for match in _CANDIDATE.finditer(normalized):
        start = match.start()
        while start >= 0:
            try:
                return _parse(normalized[start : match.end()], find_end=True)
            except InvalidQRCode:
                start = normalized.find("90", start + 2, match.end() - (MIN_QR_CODE_LENGTH - 2))
    raise first_error


__all__ = [
    "InvalidQRCode",
    "Protocol",
    "QRCodeVersion",
    "QRProvisioningInformation",
    "TLVType",
    "parse_qr_code",
]
