"""Configuration CC (0x70): sizes 1/2/4 signed, bulk, name/info/properties, set_value, interview."""

from __future__ import annotations

import pytest

from custom_components.zwave_serial.zwave.cc import CCCommand, cc_info, decode_command
from custom_components.zwave_serial.zwave.cc.configuration import (
    FORMAT_BITFIELD,
    FORMAT_SIGNED,
    FORMAT_UNSIGNED,
    ConfigurationBulkGet,
    ConfigurationBulkReport,
    ConfigurationBulkSet,
    ConfigurationDefaultReset,
    ConfigurationGet,
    ConfigurationInfoGet,
    ConfigurationInfoReport,
    ConfigurationNameGet,
    ConfigurationNameReport,
    ConfigurationPropertiesGet,
    ConfigurationPropertiesReport,
    ConfigurationReport,
    ConfigurationSet,
    bitmask_shift,
    bitmask_width,
    encode_partial,
    parse_partial,
    partial_is_signed,
    to_signed,
    to_unsigned,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .fakecontext import FakeContext


def _text(text: str) -> str:
    return text.encode().hex()


ROUND_TRIP = [
    ("7001", ConfigurationDefaultReset()),
    ("7004010105", ConfigurationSet(1, 5, 1)),
    ("7004010180", ConfigurationSet(1, -128, 1)),
    ("70040202ff9c", ConfigurationSet(2, -100, 2)),
    ("7004030400010000", ConfigurationSet(3, 65536, 4)),
    ("7004058100", ConfigurationSet(5, None, 1, reset_to_default=True)),
    ("700501", ConfigurationGet(1)),
    ("7006010105", ConfigurationReport(1, 5, 1)),
    ("70060202ff9c", ConfigurationReport(2, -100, 2)),
    ("700603047fffffff", ConfigurationReport(3, 0x7FFFFFFF, 4)),
    ("7006030480000000", ConfigurationReport(3, -(1 << 31), 4)),
    ("70070100020200010002", ConfigurationBulkSet(256, (1, 2), 2)),
    ("7007000102810000", ConfigurationBulkSet(1, (0, 0), 1, reset_to_default=True)),
    ("70070001014105", ConfigurationBulkSet(1, (5,), 1, handshake=True)),
    ("7008010002", ConfigurationBulkGet(256, 2)),
    ("700901000200020001ffff", ConfigurationBulkReport(256, (1, -1), 2)),
    ("7009000a01018105", ConfigurationBulkReport(10, (5,), 1, 1, default_values=True)),
    ("700a0001", ConfigurationNameGet(1)),
    ("700b000100" + _text("LED"), ConfigurationNameReport(1, "LED")),
    ("700b010001" + _text("Temp °C"), ConfigurationNameReport(256, "Temp °C", 1)),
    ("700c0001", ConfigurationInfoGet(1)),
    ("700d000100" + _text("LED mode"), ConfigurationInfoReport(1, "LED mode")),
    ("700e0000", ConfigurationPropertiesGet(0)),
    # param 1: unsigned, 1 byte, 0..99 default 50, next 2, advanced
    (
        "700f000109006332000201",
        ConfigurationPropertiesReport(1, 1, FORMAT_UNSIGNED, 0, 99, 50, 2, advanced=True),
    ),
    # param 2: read-only signed, 2 bytes, -100..100 default 0, last, no bulk support
    (
        "700f000242ff9c00640000000002",
        ConfigurationPropertiesReport(
            2, 2, FORMAT_SIGNED, -100, 100, 0, 0, readonly=True, no_bulk_support=True
        ),
    ),
    # param 3: unsigned 4 bytes up to 0xFFFFFFFF, alters capabilities
    (
        "700f00038c00000000ffffffff00000001000400",
        ConfigurationPropertiesReport(3, 4, FORMAT_UNSIGNED, 0, 0xFFFFFFFF, 1, 4, alters_capabilities=True),
    ),
    # param 4: bit field, 1 byte, 4 bits, default 0b0101
    ("700f000419000f05000000", ConfigurationPropertiesReport(4, 1, FORMAT_BITFIELD, 0, 15, 5, 0)),
]


@pytest.mark.parametrize(("hexbytes", "command"), ROUND_TRIP)
def test_round_trip(hexbytes: str, command: CCCommand) -> None:
    raw = bytes.fromhex(hexbytes)
    assert decode_command(raw) == command
    assert command.to_bytes() == raw


@pytest.mark.parametrize(
    ("hexbytes", "command"),
    [
        ("700f0000000001", ConfigurationPropertiesReport(0, 0, next_parameter=1)),  # param 0: first is 1
        ("700f000000", ConfigurationPropertiesReport(0, 0)),  # some devices send only the flags
        ("700f0001090063320002", ConfigurationPropertiesReport(1, 1, FORMAT_UNSIGNED, 0, 99, 50, 2)),  # v3
        ("7004018700", ConfigurationSet(1, None, 7, reset_to_default=True)),  # size ignored on reset
        ("7009000500000100", ConfigurationBulkReport(5, (), 1)),  # no values
        ("700b000100ff", ConfigurationNameReport(1, "\ufffd")),  # invalid UTF-8 is replaced
    ],
)
def test_decode_lenient(hexbytes: str, command: CCCommand) -> None:
    assert decode_command(bytes.fromhex(hexbytes)) == command


@pytest.mark.parametrize(
    "hexbytes",
    [
        "7004",
        "700401",
        "70040103000000",  # size 3
        "7004010200",  # value truncated
        "7005",
        "7006",
        "700601",
        "7006010300000000",  # size 3
        "700601040000",  # value truncated
        "7007000102",
        "7007000102020001",  # two 2-byte values announced, one sent
        "7008000a",
        "70090001020002",
        "700900010200020001",  # second value missing
        "700a00",
        "700b0001",
        "700e00",
        "700f0001",
        "700f000109",  # min/max/default missing
        "700f00010300000000",  # size 3
        "700f00010900633200",  # next parameter truncated
    ],
)
def test_decode_errors(hexbytes: str) -> None:
    with pytest.raises(CCDecodeError):
        decode_command(bytes.fromhex(hexbytes))


@pytest.mark.parametrize(
    "command",
    [
        ConfigurationSet(1, 256, 1),
        ConfigurationSet(1, -129, 1),
        ConfigurationSet(1, 5, 3),
        ConfigurationSet(300, 5, 1),
        ConfigurationSet(1, None, 1),
        ConfigurationGet(256),
        ConfigurationBulkSet(1, (70000,), 2),
        ConfigurationBulkGet(0x10000, 1),
        ConfigurationReport(1, 1 << 32, 4),
    ],
)
def test_encode_errors(command: CCCommand) -> None:
    with pytest.raises(CCEncodeError):
        command.to_bytes()


def test_value_updates() -> None:
    assert decode_command(bytes.fromhex("70060202ff9c")).value_updates() == [
        ValueUpdate("parameter", -100, 2, meta={"size": 2})
    ]
    assert decode_command(bytes.fromhex("700901000200020001ffff")).value_updates() == [
        ValueUpdate("parameter", 1, 256, meta={"size": 2}),
        ValueUpdate("parameter", -1, 257, meta={"size": 2}),
    ]
    assert ConfigurationSet(1, 5, 1).value_updates() == []
    assert ConfigurationNameReport(1, "LED").value_updates() == []


def test_answers() -> None:
    assert ConfigurationReport(1, 5, 1).answers(ConfigurationGet(1))
    assert not ConfigurationReport(2, 5, 1).answers(ConfigurationGet(1))
    assert ConfigurationBulkReport(300, (1,), 1).answers(ConfigurationBulkGet(300))
    assert not ConfigurationBulkReport(301, (1,), 1).answers(ConfigurationBulkGet(300))
    assert ConfigurationNameReport(1, "a").answers(ConfigurationNameGet(1))
    assert not ConfigurationNameReport(1, "a").answers(ConfigurationInfoGet(1))
    assert not ConfigurationInfoReport(1, "a").answers(ConfigurationNameGet(1))
    assert ConfigurationPropertiesReport(0, 0).answers(ConfigurationPropertiesGet(0))
    assert not ConfigurationPropertiesReport(1, 1).answers(ConfigurationPropertiesGet(0))


@pytest.mark.parametrize(
    ("value", "key", "options", "version", "expected"),
    [
        (5, 1, {"size": 1}, 1, "7004010105"),
        (-1, 2, {"size": 2}, 4, "70040202ffff"),
        (255, 3, {"size": 1}, 4, "70040301ff"),  # the unsigned range is accepted too
        (-(1 << 31), 4, {"size": 4}, 4, "7004040480000000"),
        (None, 4, {"size": 1}, 4, "7004048100"),  # None resets to the default
        (5, 300, {"size": 2}, 2, "7007012c01020005"),  # above 255: BulkSet
        (None, 300, {"size": 2}, 4, "7007012c018100"),
    ],
)
def test_set_value(value: object, key: int, options: dict, version: int, expected: str) -> None:
    info = cc_info(0x70)
    assert info is not None and info.set_value is not None
    assert info.set_value("parameter", value, key, options, version).to_bytes().hex() == expected


@pytest.mark.parametrize(
    ("prop", "value", "key", "options", "version"),
    [
        ("value", 5, 1, {"size": 1}, 4),
        ("parameter", 5, None, {"size": 1}, 4),
        ("parameter", 5, 0, {"size": 1}, 4),
        ("parameter", 5, "1", {"size": 1}, 4),
        ("parameter", 5, 1, {}, 4),
        ("parameter", 5, 1, {"size": 3}, 4),
        ("parameter", 256, 1, {"size": 1}, 4),
        ("parameter", -129, 1, {"size": 1}, 4),
        ("parameter", "5", 1, {"size": 1}, 4),
        ("parameter", True, 1, {"size": 1}, 4),
        ("parameter", 5, 300, {"size": 1}, 1),
    ],
)
def test_set_value_errors(prop: str, value: object, key: object, options: dict, version: int) -> None:
    info = cc_info(0x70)
    assert info is not None and info.set_value is not None
    with pytest.raises(CCEncodeError):
        info.set_value(prop, value, key, options, version)


INTERVIEW_ANSWERS = {
    "700e0000": "700f0000000001",  # parameter 0: the first parameter is 1
    "700e0001": "700f000109006332000201",  # 1: unsigned 0..99, next 2
    "700a0001": "700b000100" + _text("LED"),
    # InfoGet 1 is never answered
    "700e0002": "700f000242ff9c00640000000002",  # 2: signed -100..100, last
    "700a0002": "700b000200" + _text("Offset"),
    "700c0002": "700d000200" + _text("Temperature offset"),
    "700501": "7006010132",
    "700502": "70060202ffce",
}


async def test_interview_v4() -> None:
    info = cc_info(0x70)
    assert info is not None and info.interview is not None
    ctx = FakeContext(INTERVIEW_ANSWERS, version=4)
    await info.interview(ctx)
    assert ctx.sent == [
        "700e0000",
        "700e0001",
        "700a0001",
        "700c0001",
        "700e0002",
        "700a0002",
        "700c0002",
        "700501",
        "700502",
    ]
    assert ctx.value("supported_parameters") == [1, 2]
    assert ctx.value("parameter", 1) == 50
    assert ctx.value("parameter", 2) == -50
    assert ctx.value("parameter_info", 1) == {
        "size": 1,
        "format": FORMAT_UNSIGNED,
        "min": 0,
        "max": 99,
        "default": 50,
        "readonly": False,
        "alters_capabilities": False,
        "advanced": True,
        "no_bulk_support": False,
        "name": "LED",
        "info": None,
    }
    info2 = ctx.value("parameter_info", 2)
    assert isinstance(info2, dict)
    assert (info2["name"], info2["info"], info2["readonly"]) == ("Offset", "Temperature offset", True)
    await info.run_refresh(ctx)
    assert ctx.sent[-2:] == ["700501", "700502"]


async def test_interview_parameter_above_255_and_loop() -> None:
    info = cc_info(0x70)
    assert info is not None and info.interview is not None
    answers = {
        "700e0000": "700f000000012c",  # first is 300
        "700e012c": "700f012c01000a05012c00",  # 300: signed 0..10 default 5, "next" is itself
        "7008012c01": "7009012c01000107",
    }
    ctx = FakeContext(answers, version=3)
    await info.interview(ctx)
    assert ctx.sent == ["700e0000", "700e012c", "700a012c", "700c012c", "7008012c01"]
    assert ctx.value("supported_parameters") == [300]
    assert ctx.value("parameter", 300) == 7


async def test_interview_walk_interrupted() -> None:
    info = cc_info(0x70)
    assert info is not None and info.interview is not None
    answers = {k: v for k, v in INTERVIEW_ANSWERS.items() if k != "700e0002"}
    ctx = FakeContext(answers, version=4)
    await info.interview(ctx)  # parameter 2 never answers: keep parameter 1
    assert ctx.value("supported_parameters") == [1]
    assert ctx.sent[-1] == "700501"
    with pytest.raises(NodeTimeout):
        await info.interview(FakeContext({}, version=4))


async def test_interview_v2_reads_nothing() -> None:
    info = cc_info(0x70)
    assert info is not None and info.interview is not None
    ctx = FakeContext({}, version=2)
    await info.interview(ctx)
    assert ctx.sent == []
    await info.run_refresh(ctx)
    assert ctx.sent == []


# --- partial parameters: Z-Wave JS's Primitive.test.ts vectors ---------------------------------


@pytest.mark.parametrize(
    ("value", "mask", "signed", "expected"),
    [
        (0b11110000, 0b00111100, False, 0b1100),
        (-128, 0b11000000, False, 2),  # a full value read as signed (0x80)
        (0b11111000, 0b00111100, True, -2),
        (-8, 0b00111100, True, -2),  # the same bits
        (0b11111000, 0b11000000, True, -1),
        (0b11011000, 0b00111100, True, 6),
    ],
)
def test_parse_partial(value: int, mask: int, signed: bool, expected: int) -> None:
    assert parse_partial(value, mask, signed) == expected


@pytest.mark.parametrize(
    ("full", "partial", "mask", "expected"),
    [
        (0b11011111, 0b10, 0b00110000, 0b11101111),
        (0b11011111, -2, 0b00110000, 0b11101111),  # the same, as a signed partial
        (0xFFFF0000, 0x0000AAAA, 0x0000FFFF, 0xFFFFAAAA),  # stays unsigned
    ],
)
def test_encode_partial(full: int, partial: int, mask: int, expected: int) -> None:
    assert encode_partial(full, partial, mask) == expected


def test_partial_signedness_and_masks() -> None:
    assert (bitmask_shift(0x30), bitmask_width(0x30)) == (4, 2)
    assert (bitmask_shift(0x0100), bitmask_width(0xFF00)) == (8, 8)
    # one-bit partials are 0/1 even in a signed parameter (Z-Wave JS's isSignedPartial)
    assert not partial_is_signed(0x08, FORMAT_SIGNED)
    assert partial_is_signed(0x18, FORMAT_SIGNED) and partial_is_signed(0x18, None)
    assert not partial_is_signed(0x18, FORMAT_UNSIGNED)
    assert (to_unsigned(-1, 1), to_unsigned(-2, 2), to_signed(255, 1), to_signed(0x7F, 1)) == (255, 0xFFFE, -1, 127)
    with pytest.raises(CCEncodeError):
        bitmask_shift(0)


def test_long_text_in_several_reports() -> None:
    """A Name/Info text split over reports ("to follow" counting down) is collected on the Get;
    only the last report answers it."""
    get = ConfigurationInfoGet(7)
    first = decode_command(bytes.fromhex("700d000702") + b"Which changes ")
    second = decode_command(bytes.fromhex("700d000701") + b"the plug ")
    other = ConfigurationInfoReport(8, "not this one")
    last = decode_command(bytes.fromhex("700d000700") + b"reports.")
    assert not first.answers(get) and not second.answers(get) and not other.answers(get)
    assert last.answers(get)
    assert "".join(get.parts) == "Which changes the plug reports."
    assert get == ConfigurationInfoGet(7)  # the collected parts are not part of the command


async def test_interview_first_parameter_unknown_tries_1() -> None:
    """Parameter 0 names no first parameter: #1 is tried anyway (as Z-Wave JS does); a "next"
    lower than the current parameter ends the walk."""
    info = cc_info(0x70)
    assert info is not None and info.interview is not None
    answers = {
        "700e0000": "700f0000000000",
        "700e0001": "700f000109006332000101",  # 1: next is 1 again
        "700a0001": "700b000100" + _text("LED"),
        "700c0001": "700d000100" + _text("Brightness"),
        "700501": "7006010132",
    }
    ctx = FakeContext(answers, version=4)
    await info.interview(ctx)
    assert ctx.value("supported_parameters") == [1]
    assert ctx.value("parameter_info", 1)["info"] == "Brightness"


async def test_interview_v1_reads_the_parameters_the_database_lists() -> None:
    info = cc_info(0x70)
    assert info is not None and info.interview is not None
    ctx = FakeContext({"700507": "7006070108", "70051f": "70061f0106"}, version=1)
    ctx.set_static("supported_parameters", [7, 31, 300])  # 300: needs BulkGet (v2), skipped
    await info.interview(ctx)
    assert ctx.sent == ["700507", "70051f"]
    assert (ctx.value("parameter", 7), ctx.value("parameter", 31)) == (8, 6)


async def test_v1_reading_stops_when_the_device_lacks_the_database_parameters() -> None:
    info = cc_info(0x70)
    assert info is not None
    ctx = FakeContext({"700501": "7006010101", "700509": "7006090109"}, version=1)
    ctx.set_static("supported_parameters", [1, 2, 3, 4, 9])
    await info.run_refresh(ctx)
    assert ctx.sent == ["700501", "700502", "700503"]  # two misses in a row: stop
    assert ctx.value("parameter", 1) == 1 and ctx.value("parameter", 9) is None
