"""Sound Switch CC (0x79): byte vectors (layouts of Z-Wave JS's SoundSwitchCC), values,
set_value and the interview hook."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.sound_switch import (
    SoundSwitchConfigurationGet,
    SoundSwitchConfigurationReport,
    SoundSwitchConfigurationSet,
    SoundSwitchToneInfoGet,
    SoundSwitchToneInfoReport,
    SoundSwitchTonePlayGet,
    SoundSwitchTonePlayReport,
    SoundSwitchTonePlaySet,
    SoundSwitchTonesNumberGet,
    SoundSwitchTonesNumberReport,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext

ROUND_TRIP = [
    ("7901", SoundSwitchTonesNumberGet()),
    ("790203", SoundSwitchTonesNumberReport(3)),
    ("790302", SoundSwitchToneInfoGet(2)),
    # [tone][duration u16 BE][name length][UTF-8 name]
    ("790402000a0a53686f72742042656570", SoundSwitchToneInfoReport(2, 10, "Short Beep")),
    ("7904010000" "00", SoundSwitchToneInfoReport(1, 0, "")),
    ("790532ff", SoundSwitchConfigurationSet(0x32, 0xFF)),  # [volume][default tone]
    ("7905ff03", SoundSwitchConfigurationSet(tone_id=3)),  # 0xFF: keep the volume
    ("790550 00".replace(" ", ""), SoundSwitchConfigurationSet(volume=80)),  # tone 0: keep the tone
    ("7906", SoundSwitchConfigurationGet()),
    ("79071e02", SoundSwitchConfigurationReport(30, 2)),
    ("790802", SoundSwitchTonePlaySet(2)),  # v1
    ("79080250", SoundSwitchTonePlaySet(2, 80)),  # v2 with volume
    ("79080000", SoundSwitchTonePlaySet(0, 0)),  # stop (Z-Wave JS: tone 0, volume 0)
    ("7909", SoundSwitchTonePlayGet()),
    ("790a0150", SoundSwitchTonePlayReport(1, 80)),
    ("790a00", SoundSwitchTonePlayReport(0)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize("hexbytes", ["7902", "7903", "7904010002", "790401000005616263", "790532", "7907", "7908", "790a"])
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


def test_tone_name_not_utf8_is_replaced() -> None:
    report = decode_command(bytes.fromhex("790401000202ff41"))
    assert isinstance(report, SoundSwitchToneInfoReport)
    assert report.name == "\ufffdA"


def test_value_updates() -> None:
    assert SoundSwitchToneInfoReport(2, 10, "Short Beep").value_updates() == [
        ValueUpdate("tone_name", "Short Beep", 2),
        ValueUpdate("tone_duration", 10, 2, unit="s"),
    ]
    assert SoundSwitchConfigurationReport(130, 2).value_updates() == [
        ValueUpdate("default_volume", 100, unit="%"),  # clamped, as Z-Wave JS
        ValueUpdate("default_tone_id", 2),
    ]
    assert SoundSwitchTonePlayReport(1, 80).value_updates() == [
        ValueUpdate("tone_id", 1),
        ValueUpdate("volume", 80, unit="%"),
    ]
    assert SoundSwitchTonePlayReport(0, 0).value_updates() == [ValueUpdate("tone_id", 0)]


def test_tone_info_answers_its_tone() -> None:
    assert SoundSwitchToneInfoReport(2, 1, "a").answers(SoundSwitchToneInfoGet(2))
    assert not SoundSwitchToneInfoReport(2, 1, "a").answers(SoundSwitchToneInfoGet(3))


@pytest.mark.parametrize(
    ("prop", "value", "options", "version", "expected"),
    [
        ("tone_id", 2, {}, 2, "79080200"),
        ("tone_id", 2, {"volume": 80}, 2, "79080250"),
        ("tone_id", 2, {"volume": 80}, 1, "790802"),
        ("tone_id", 0, {"volume": 80}, 2, "79080000"),
        ("tone_id", 0xFF, {}, 2, "7908ff00"),
        ("default_volume", 40, {}, 2, "79052800"),
        ("default_tone_id", 3, {}, 2, "7905ff03"),
    ],
)
def test_set_value(prop: str, value: int, options: dict, version: int, expected: str) -> None:
    info = cc_info(0x79)
    assert info is not None and info.set_value is not None
    assert info.set_value(prop, value, None, options, version).to_bytes().hex() == expected


@pytest.mark.parametrize(
    ("prop", "value", "options"),
    [
        ("tone_id", 256, {}),
        ("tone_id", 2, {"volume": 0}),
        ("tone_id", 2, {"volume": 101}),
        ("default_volume", 101, {}),
        ("default_tone_id", 0, {}),
        ("volume", 5, {}),
        ("tone_id", True, {}),
    ],
)
def test_set_value_errors(prop: str, value: object, options: dict) -> None:
    info = cc_info(0x79)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, None, options, 2)


async def test_interview() -> None:
    info = cc_info(0x79)
    assert info is not None and info.interview is not None
    answers = {
        "7901": "790202",
        "790301": "7904010002" "02" "4869",
        "790302": "790402001e" "05" "416c61726d",
        "7906": "79073201",
        "7909": "790a00",
    }
    ctx = FakeContext(answers, version=2)
    await info.interview(ctx)
    assert ctx.sent == ["7901", "790301", "790302", "7906", "7909"]
    assert ctx.value("tone_count") == 2
    assert ctx.value("tone_name", 2) == "Alarm" and ctx.value("tone_duration", 2) == 30
    assert ctx.value("default_volume") == 50 and ctx.value("default_tone_id") == 1
    assert ctx.value("tone_id") == 0
    await info.run_refresh(ctx)
    assert ctx.sent[5:] == ["7906", "7909"]
