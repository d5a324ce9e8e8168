"""Version CC (0x86), v3."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import decode_command
from custom_components.zwave_serial.zwave.cc.base import CCCommand
from custom_components.zwave_serial.zwave.cc.version import (
    INFO,
    VersionCapabilitiesGet,
    VersionCapabilitiesReport,
    VersionCommandClassGet,
    VersionCommandClassReport,
    VersionGet,
    VersionReport,
    ZWaveSoftwareGet,
    ZWaveSoftwareReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeClassContext

SOFTWARE = "07 0F 03 07 0F 03 00 2A 00 00 00 00 00 07 0F 03 00 2B 01 02 03 00 04"


@pytest.mark.parametrize(
    ("hexstr", "expected"),
    [
        ("86 11", VersionGet()),
        ("86 12 03 04 05 01 02", VersionReport(3, "4.5", "1.2")),
        ("86 12 03 07 0F 0A 14 02 01 01 05", VersionReport(3, "7.15", "10.20", 2, ("1.5",))),
        ("86 12 06 06 03 01 00 01 00", VersionReport(6, "6.3", "1.0", 1)),
        ("86 13 62", VersionCommandClassGet(0x62)),
        ("86 14 62 04", VersionCommandClassReport(0x62, 4)),
        ("86 15", VersionCapabilitiesGet()),
        ("86 16 07", VersionCapabilitiesReport(True)),
        ("86 16 03", VersionCapabilitiesReport(False)),
        ("86 17", ZWaveSoftwareGet()),
        ("86 18 " + SOFTWARE, ZWaveSoftwareReport("7.15.3", "7.15.3", 42, None, 0, "7.15.3", 43, "1.2.3", 4)),
    ],
)
def test_roundtrip(hexstr: str, expected: CCCommand) -> None:
    data = bytes.fromhex(hexstr)
    assert decode_command(data) == expected
    assert expected.to_bytes() == data


def test_values() -> None:
    rep = decode_command(bytes.fromhex("86 12 03 07 0F 0A 14 02 01 01 05"))
    assert rep.value_updates() == [
        ValueUpdate("library_type", 3), ValueUpdate("protocol_version", "7.15"),
        ValueUpdate("firmware_version", "10.20"), ValueUpdate("hardware_version", 2),
        ValueUpdate("firmware_version", "1.5", 1)]
    sw = decode_command(bytes.fromhex("86 18 " + SOFTWARE))
    assert sw.value_updates() == [ValueUpdate("sdk_version", "7.15.3"), ValueUpdate("application_version", "1.2.3")]


def test_answers_match_cc() -> None:
    assert VersionCommandClassReport(0x62, 4).answers(VersionCommandClassGet(0x62))
    assert not VersionCommandClassReport(0x63, 4).answers(VersionCommandClassGet(0x62))


@pytest.mark.parametrize("hexstr", ["86 12 03 04 05 01", "86 12 03 04 05 01 02 01 02 01", "86 14 62", "86 18 07"])
def test_malformed(hexstr: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexstr))


async def test_interview() -> None:
    ctx = FakeClassContext(3, {
        VersionGet: VersionReport(3, "7.15", "1.2", 1),
        VersionCapabilitiesGet: VersionCapabilitiesReport(True),
        ZWaveSoftwareGet: ZWaveSoftwareReport("7.15.3"),
    })
    await INFO.interview(ctx)
    assert ctx.sent == [VersionGet(), VersionCapabilitiesGet(), ZWaveSoftwareGet()]
    assert ctx.value("firmware_version") == "1.2"
    v3_without = FakeClassContext(3, {VersionGet: VersionReport(3, "7.15", "1.2", 1)})
    await INFO.interview(v3_without)  # capabilities timeout is tolerated
    assert v3_without.sent == [VersionGet(), VersionCapabilitiesGet()]
    v1 = FakeClassContext(1, {VersionGet: VersionReport(3, "4.5", "1.2")})
    await INFO.interview(v1)
    assert v1.sent == [VersionGet()]
