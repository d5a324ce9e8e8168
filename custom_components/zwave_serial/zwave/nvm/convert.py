"""Parse any NVM image, and convert one for a target stick (protocol-facts §3.6).

:func:`parse_image` tries the NVM3 format first, then the 500-series layouts.
:func:`convert_for_target` takes a backup and the target stick's *current* image and returns
the bytes to write: the backup as is when the target can take it unchanged, otherwise the
backup's description written in the target's format (its series, SDK, page layout and radio
settings).  :func:`convert_to` converts without a target stick (the CLI's ``convert``).
Every conversion comes with a :class:`ConversionReport` saying what was dropped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .errors import NvmConversionError, NvmFormatError, NvmNotSupported
from .image import (
    CAP_ON_OTHER_NETWORK,
    CAP_REAL_PRIMARY,
    CAP_SIS_PRESENT,
    CAP_SUC,
    FORMAT_NVM3,
    FORMAT_NVM500,
    SERIES_500,
    SERIES_700,
    SERIES_800,
    NvmDescription,
)
from .nvm3 import Nvm3Meta
from .nvm500 import parse_nvm500, write_nvm500
from .nvm500_layouts import HOST_DATA_SIZE
from .nvm700 import parse_nvm700, version_tuple, write_nvm700

__all__ = ["ConversionReport", "convert_for_target", "convert_to", "parse_image"]

#: Application data a 700/800 stick keeps (500-series host data is trimmed to this).
MAX_APPLICATION_DATA_700 = 512
DEFAULT_700_SDK = "7.19.1"
DEFAULT_500_PROTOCOL = "6.07"


@dataclass
class ConversionReport:
    """What a conversion did: ``method`` is ``raw`` (the image as is) or ``converted``."""

    source_series: str
    target_series: str
    method: str
    dropped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_series": self.source_series,
            "target_series": self.target_series,
            "method": self.method,
            "dropped": list(self.dropped),
        }


def parse_image(data: bytes) -> NvmDescription:
    """Parse an image of either format.  Raises NvmFormatError (neither format, corrupt) or
    NvmNotSupported (recognised, but a layout or file format this driver cannot handle)."""
    data = bytes(data)
    try:
        return parse_nvm700(data)
    except NvmFormatError as nvm3_error:
        try:
            return parse_nvm500(data)
        except NvmFormatError:
            raise NvmFormatError(f"not a valid NVM image ({nvm3_error}; not a known 500-series layout)") from None


def _family(desc: NvmDescription) -> str:
    return "500" if desc.format == FORMAT_NVM500 else "700"


def _to_700(src: NvmDescription, report: ConversionReport) -> NvmDescription:
    """A 500-series description made fit for an NVM3 image (nvmedit ``json500To700``)."""
    desc = copy.deepcopy(src)
    c = desc.controller
    config = c.controller_configuration
    if config == 0xFF:  # never written on some sticks (zwave-js #6055)
        config = CAP_SIS_PRESENT | CAP_REAL_PRIMARY | CAP_SUC
    if not (config & CAP_ON_OTHER_NETWORK and c.learned_home_id and c.stored_node_id):
        config &= ~CAP_ON_OTHER_NETWORK
    c.controller_configuration = config
    c.stored_node_id = c.node_id
    if c.max_node_id == 0xFF:
        c.max_node_id = c.last_node_id
    if c.reserved_id == 0xFF:
        c.reserved_id = 0
    c.own_home_id = c.learned_home_id = None
    c.ccs_secure_insecure = c.ccs_secure_secure = ()
    if c.application_data and c.application_data.strip(b"\xff"):  # all 0xFF: never written
        data = c.application_data.lstrip(b"\x00").rstrip(b"\x00")
        if len(data) > MAX_APPLICATION_DATA_700:
            report.dropped.append(f"application data beyond {MAX_APPLICATION_DATA_700} bytes")
            data = data[:MAX_APPLICATION_DATA_700]
        c.application_data = data or None
    else:
        c.application_data = None
    if c.rf_500:
        report.dropped.append("500-series radio power settings (the target keeps its own)")
    c.rf_500 = None
    report.dropped.append("the S0 key stored in the 500-series image (the host keeps the network keys)")
    desc.series, desc.format, desc.layout, desc.library = SERIES_700, FORMAT_NVM3, None, None
    return desc


def _to_500(src: NvmDescription, report: ConversionReport) -> NvmDescription:
    """An NVM3 description made fit for a 500-series image (nvmedit ``json700To500``)."""
    desc = copy.deepcopy(src)
    c = desc.controller
    if c.on_other_network:
        c.own_home_id = c.learned_home_id = c.home_id
        c.stored_node_id = c.node_id
    else:
        c.own_home_id, c.learned_home_id = c.home_id, None
        c.stored_node_id = 0  # a 500-series primary stores node id 0
    if desc.lr_nodes:
        report.dropped.append(f"{len(desc.lr_nodes)} Long Range node(s) (500-series sticks have no Long Range)")
        desc.lr_nodes = {}
    if c.long_range and c.long_range.get("max_node_id"):
        report.dropped.append("Long Range controller settings")
    if c.ccs_secure_insecure or c.ccs_secure_secure:
        report.dropped.append("the controller's secure command class lists")
    if c.application_name:
        report.dropped.append("the application name")
    if c.application_data and len(c.application_data) > HOST_DATA_SIZE:
        report.dropped.append(f"application data beyond {HOST_DATA_SIZE} bytes")
        c.application_data = c.application_data[:HOST_DATA_SIZE]
    c.long_range = c.rf_config = c.suc_awareness_push = None
    c.application_name = None
    c.ccs_secure_insecure = c.ccs_secure_secure = ()
    desc.series, desc.format = SERIES_500, FORMAT_NVM500
    return desc


def _listening_controller(desc: NvmDescription) -> None:
    """The controller must be marked always listening (else SDK 8 radios stop after one frame)."""
    desc.controller.listening = True
    own = desc.nodes.get(desc.controller.node_id or 1)
    if own is not None and own.has_info:
        own.protocol_info = bytes((own.protocol_info[0] | 0x80,)) + own.protocol_info[1:]


def _raw_700_ok(src: NvmDescription, tgt: NvmDescription) -> bool:
    """May the 700/800 backup go onto the target unchanged (the firmware upgrades it itself)?"""
    sp, tp = version_tuple(src.protocol_version), version_tuple(tgt.protocol_version)
    sa, ta = version_tuple(src.application_version), version_tuple(tgt.application_version)
    return (
        src.size == tgt.size
        and src.meta.get("shared") == tgt.meta.get("shared")
        and src.controller.listening
        and tp >= (7, 16, 0)
        and tp >= sp
        and ta >= tp
        and sa >= sp
        and sa < (255, 0, 0)
        and ta < (255, 0, 0)
        and not _shifted_800_app_version(src)
    )


def _shifted_800_app_version(desc: NvmDescription) -> bool:
    """Some 800-series firmwares write the application version file shifted by one byte."""
    if not desc.meta.get("shared"):
        return False
    proto, app = version_tuple(desc.protocol_version), version_tuple(desc.application_version)
    return desc.application_file_format == proto[0] and abs(app[0] - proto[1]) <= 3


def _raw_500_ok(src: NvmDescription, tgt: NvmDescription) -> bool:
    """Same layout, protocol and product: the backup's bytes (S0 key included) go back as they are."""
    return (
        src.layout == tgt.layout
        and src.protocol_version == tgt.protocol_version
        and all(src.meta.get(k) == tgt.meta.get(k) for k in ("manufacturer_id", "product_type", "product_id"))
    )


def convert_for_target(source: bytes, target: bytes, *, allow_other_series: bool) -> tuple[bytes, ConversionReport]:
    """The bytes to write so the target stick (whose current image is ``target``) gets the
    network of ``source``.  Raises NvmFormatError (corrupt source), NvmNotSupported (a format
    that cannot be converted), NvmConversionError (other series without ``allow_other_series``)."""
    src = parse_image(source)
    try:
        tgt = parse_image(target)
    except (NvmFormatError, NvmNotSupported) as err:
        raise NvmNotSupported(f"the target stick's current NVM cannot be read as a known format: {err}") from err
    report = ConversionReport(src.series, tgt.series, "converted")
    if _family(src) != _family(tgt) and not allow_other_series:
        raise NvmConversionError(
            f"the backup is from a {src.series}-series stick and the target is a {tgt.series}-series stick; "
            "ask for a conversion to restore it there"
        )
    if src.format == FORMAT_NVM3 and tgt.format == FORMAT_NVM3:
        if _raw_700_ok(src, tgt):
            report.method = "raw"
            return bytes(source), report
        desc = copy.deepcopy(src)
        _listening_controller(desc)
        data = write_nvm700(desc, _target_sdk(tgt), Nvm3Meta(**_nvm3_meta(tgt)))
        return data, report
    if src.format == FORMAT_NVM500 and tgt.format == FORMAT_NVM500:
        if _raw_500_ok(src, tgt):
            report.method = "raw"
            end = int.from_bytes(source[0:2], "big") + 1
            return bytes(source[: max(end, 2)]) if end <= len(source) else bytes(source), report
        desc = copy.deepcopy(src)
        desc.controller.rf_500 = copy.deepcopy(tgt.controller.rf_500)
        desc.application_version = tgt.application_version
        _drop_virtual(desc, tgt.library, report)
        report.dropped.append("the S0 key stored in the 500-series image (the host keeps the network keys)")
        return write_nvm500(desc, protocol_version=tgt.protocol_version, library=tgt.library, meta=_ids(tgt)), report
    if src.format == FORMAT_NVM500:
        desc = _to_700(src, report)
        desc.controller.rf_config = copy.deepcopy(tgt.controller.rf_config)
        _listening_controller(desc)
        return write_nvm700(desc, _target_sdk(tgt), Nvm3Meta(**_nvm3_meta(tgt))), report
    desc = _to_500(src, report)
    desc.controller.rf_500 = copy.deepcopy(tgt.controller.rf_500)
    desc.application_version = tgt.application_version
    _drop_virtual(desc, tgt.library, report)
    return write_nvm500(desc, protocol_version=tgt.protocol_version, library=tgt.library, meta=_ids(tgt)), report


def _target_sdk(tgt: NvmDescription) -> str:
    """The SDK the target runs: its application version, unless that is broken (255.x on
    some 700 sticks, or an 800 firmware's shifted version file): then its protocol version."""
    app = version_tuple(tgt.application_version)
    if app >= (255, 0, 0) or app < version_tuple(tgt.protocol_version):
        return tgt.protocol_version
    return tgt.application_version


def _drop_virtual(desc: NvmDescription, library: str | None, report: ConversionReport) -> None:
    """A static-library 500 layout has no virtual-node pool: a bridge's virtual nodes go."""
    if library == "bridge":
        return
    virtual = sorted(n for n, node in desc.nodes.items() if node.virtual)
    if virtual:
        report.dropped.append(f"virtual node(s) {virtual} (the target is not a bridge controller)")
        for node_id in virtual:
            del desc.nodes[node_id]


def _nvm3_meta(desc: NvmDescription) -> dict[str, Any]:
    return {k: v for k, v in desc.meta.items() if k in Nvm3Meta.__dataclass_fields__}


def _ids(desc: NvmDescription) -> dict[str, Any]:
    return {k: desc.meta[k] for k in ("manufacturer_id", "firmware_id", "product_type", "product_id") if k in desc.meta}


def convert_to(
    source: bytes, series: str, *, sdk: str | None = None, protocol_version: str | None = None, library: str = "static"
) -> tuple[bytes, ConversionReport]:
    """Convert without a target stick: to ``"700"``/``"800"`` for SDK ``sdk`` (default 7.19.1;
    "800" writes the shared file system), or to ``"500"`` for ``protocol_version`` (default
    6.07).  The result can be inspected or restored (a restore converts again to the actual
    stick).  Raises NvmFormatError, NvmNotSupported."""
    src = parse_image(source)
    report = ConversionReport(src.series, series, "converted")
    if series in (SERIES_700, SERIES_800):
        desc = _to_700(src, report) if src.format == FORMAT_NVM500 else copy.deepcopy(src)
        shared = series == SERIES_800
        meta = Nvm3Meta(**_nvm3_meta(src)) if src.format == FORMAT_NVM3 else Nvm3Meta()
        if meta.shared != shared:
            meta = Nvm3Meta(page_size=8192 if shared else 2048, shared=shared)
        if src.format == FORMAT_NVM500 and desc.controller.rf_config is None:
            desc.controller.rf_config = {"region": 0x00, "tx_power": 0, "measured_0dbm": 33}
        _listening_controller(desc)
        desc.application_version = sdk or DEFAULT_700_SDK
        return write_nvm700(desc, sdk or DEFAULT_700_SDK, meta), report
    if series == SERIES_500:
        desc = _to_500(src, report) if src.format == FORMAT_NVM3 else copy.deepcopy(src)
        if desc.controller.rf_500 is None:
            desc.controller.rf_500 = {
                "watchdog_started": 0,
                "power_level_normal": [0xFF] * 3,
                "power_level_low": [0xFF] * 3,
                "power_mode": 0xFF,
                "power_mode_extint_enable": 0xFF,
                "power_mode_wut_timeout": 0xFFFFFFFF,
            }
        if src.format == FORMAT_NVM3:
            desc.application_version = "1.0"
        _drop_virtual(desc, desc.library or library, report)
        target_protocol = protocol_version or (src.protocol_version if src.format == FORMAT_NVM500 else DEFAULT_500_PROTOCOL)
        return write_nvm500(desc, protocol_version=target_protocol, library=desc.library or library), report
    raise NvmNotSupported(f"unknown target series {series!r} (500, 700 or 800)")
