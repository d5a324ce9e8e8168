"""The configuration parameter model: device description and device database merged, value
types, values read by format, validation (``zwave/configparams``)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import devicedb
from custom_components.zwave_serial.zwave.cc.configuration import (
    FORMAT_BITFIELD,
    FORMAT_ENUMERATED,
    FORMAT_SIGNED,
    FORMAT_UNSIGNED,
)
from custom_components.zwave_serial.zwave.configparams import (
    ConfigParameter,
    ValueType,
    check_value,
    config_parameters,
    find_parameter,
    parameter_value,
    resolve_parameter,
)
from custom_components.zwave_serial.zwave.configparams.model import database_records
from custom_components.zwave_serial.zwave.errors import CCEncodeError
from custom_components.zwave_serial.zwave.node import Node
from custom_components.zwave_serial.zwave.values import ValueUpdate

CONF = 0x70


def _node() -> Node:
    host = SimpleNamespace(own_node_id=1, emit=lambda event: None, schedule_cache_save=lambda: None)
    return Node(host, 5)  # type: ignore[arg-type]


def _info(size: int, fmt: int, low: int, high: int, default: int, name: str | None = None, **flags: Any) -> dict:
    return {
        "size": size, "format": fmt, "min": low, "max": high, "default": default, "readonly": False,
        "alters_capabilities": False, "advanced": False, "no_bulk_support": False, "name": name, "info": None,
        **flags,
    }


def _set(node: Node, prop: str, value: Any, key: Any = None, **meta: Any) -> None:
    node.apply_update(CONF, 0, ValueUpdate(prop, value, key, meta=meta))


def _device(node: Node, infos: dict[int, dict]) -> None:
    for number, info in infos.items():
        _set(node, "parameter_info", info, number)
    _set(node, "supported_parameters", sorted(infos))


def test_device_description() -> None:
    node = _node()
    _device(
        node,
        {
            1: _info(1, FORMAT_UNSIGNED, 0, 255, 200, "Level"),
            2: _info(2, FORMAT_SIGNED, -100, 100, 0, ""),  # no name: a generic one
            3: _info(1, FORMAT_ENUMERATED, 0, 2, 1, "Mode"),
            4: _info(1, FORMAT_BITFIELD, 0, 0b1010, 0b0010, "Flags", advanced=True),
            5: _info(1, FORMAT_UNSIGNED, 0, 1, 0, "Lock"),
            6: _info(4, FORMAT_ENUMERATED, 0, 1000, 0, "Wide"),  # too many values for options
        },
    )
    _set(node, "parameter", -56, 1, size=1)  # 200 as the device sent it (decoded signed)
    _set(node, "parameter", -5, 2, size=2)
    _set(node, "parameter", 0b1000, 4, size=1)
    params = {p.key: p for p in config_parameters(node)}
    assert list(params) == ["1", "2", "3", "4[0x02]", "4[0x08]", "5", "6"]
    assert parameter_value(node, params["1"]) == 200  # unsigned format
    assert parameter_value(node, params["2"]) == -5
    assert params["2"].label == "Parameter 2"
    assert params["3"].options == ((0, "0"), (1, "1"), (2, "2")) and params["3"].value_type is ValueType.ENUMERATED
    bit1, bit3 = params["4[0x02]"], params["4[0x08]"]
    assert (bit1.label, bit1.default, bit3.default, bit1.advanced) == ("Flags: bit 1", 1, 0, True)
    assert bit1.value_type is ValueType.BOOLEAN
    assert (parameter_value(node, bit1), parameter_value(node, bit3)) == (0, 1)
    assert params["5"].value_type is ValueType.BOOLEAN
    assert params["6"].value_type is ValueType.RANGE and not params["6"].options
    assert parameter_value(node, params["3"]) is None  # not read yet
    assert find_parameter(node, 4, 0x08) == bit3 and find_parameter(node, 4) is None


def test_database_only_and_merged() -> None:
    """Configuration v1: everything from the database; v3+: the device's description, the
    database's labels, options and bit layout."""
    node = _node()
    records = [
        {"number": 7, "bitmask": 0x08, "label": "Siren Sound", "size": 1, "unsigned": True,
         "allow_manual_entry": False, "options": [[0, "Enable"], [1, "Disable"]], "default": 1},
        {"number": 7, "bitmask": 0x30, "label": "Volume", "size": 1, "min": -2, "max": 1},
        {"number": 29, "label": "Disable Alarm", "size": 1, "min": 0, "max": 1, "default": 0},
        {"number": 31, "label": "Alarm Duration", "size": 1, "min": 0, "max": 127, "unit": "30 seconds",
         "options": [[0, "Never stop"]]},
        {"number": 40, "label": "Factory Default", "size": 1, "allow_manual_entry": False,
         "options": [[0, "Disable"], [1, "Enable"]]},
        {"number": 41, "label": "Status", "size": 1, "read_only": True},
        {"number": 50, "label": "Mode", "size": 1, "allow_manual_entry": False, "options": [[0, "A"], [5, "B"]]},
    ]
    _set(node, "database_parameters", records)
    _set(node, "parameter", 0b0011_1000, 7, size=1)
    params = {p.key: p for p in config_parameters(node)}
    assert all(p.source == "database" for p in params.values())
    siren, volume = params["7[0x08]"], params["7[0x30]"]
    assert siren.value_type is ValueType.ENUMERATED  # "Enable" is 0 here: not an on/off switch
    assert parameter_value(node, siren) == 1 and parameter_value(node, volume) == -1  # signed 2-bit partial
    assert params["29"].value_type is ValueType.BOOLEAN
    assert params["31"].value_type is ValueType.RANGE and params["31"].unit == "30 seconds"  # options are hints
    assert params["40"].value_type is ValueType.BOOLEAN  # Disable/Enable
    assert params["41"].readonly

    # The device describes parameter 50 and 7 itself (Configuration v3+): its range and flags
    # win, the database's option labels and bit layout are kept.
    _device(node, {50: _info(1, FORMAT_ENUMERATED, 0, 5, 0, None), 7: _info(1, FORMAT_UNSIGNED, 0, 255, 0, "P7")})
    merged = {p.key: p for p in config_parameters(node)}
    assert merged["50"].source == "device" and merged["50"].label == "Mode"
    assert merged["50"].options == ((0, "A"), (5, "B")) and merged["50"].value_type is ValueType.ENUMERATED
    assert [k for k in merged if k.startswith("7")] == ["7[0x08]", "7[0x30]"]
    assert merged["7[0x30]"].value_format == FORMAT_UNSIGNED  # the device's format: an unsigned partial
    assert parameter_value(node, merged["7[0x30]"]) == 3


def test_a_value_alone() -> None:
    node = _node()
    _set(node, "parameter", -1, 12, size=2)
    (param,) = config_parameters(node)
    assert (param.key, param.label, param.source, param.size) == ("12", "Parameter 12", "value", 2)
    assert param.value_range == (-32768, 32767) and parameter_value(node, param) == -1


def test_check_value() -> None:
    level = ConfigParameter(1, "Level", size=1, value_format=FORMAT_UNSIGNED, min=0, max=100)
    assert check_value(level, 100) == 100 and check_value(level, "7") == 7 and check_value(level, 5.0) == 5
    mode = ConfigParameter(2, "Mode", size=1, options=((0, "Off"), (3, "Auto")), allow_manual_entry=False)
    assert check_value(mode, "auto") == 3 and check_value(mode, 0) == 0
    flag = ConfigParameter(3, "Flag", bitmask=0x04, size=1, min=0, max=1)
    assert check_value(flag, True) == 1
    partial = ConfigParameter(4, "Offset", bitmask=0x70, size=1)  # signed 3-bit partial, no min/max
    assert partial.value_range == (-4, 3)
    for param, value, message in [
        (level, 101, "out of range 0..100"),
        (level, -1, "out of range"),
        (level, "much", "not a number"),
        (level, 1.5, "not an integer"),
        (mode, 1, "not one of its options: 0 (Off), 3 (Auto)"),
        (mode, "manual", "not one of its options (Off, Auto)"),
        (flag, 2, "out of range 0..1"),
        (partial, 4, "out of range -4..3"),
        (ConfigParameter(5, "Rev", readonly=True), 1, "read-only"),
    ]:
        with pytest.raises(CCEncodeError, match=re.escape(message)):
            check_value(param, value)


def test_resolve_parameter() -> None:
    node = _node()
    _device(node, {1: _info(1, FORMAT_UNSIGNED, 0, 9, 0, "LED"), 4: _info(1, FORMAT_BITFIELD, 0, 3, 0, "Bits")})
    assert resolve_parameter(node, "led").number == 1
    assert resolve_parameter(node, "1").number == 1
    assert resolve_parameter(node, 4, 0x02).bitmask == 0x02
    for args, message in [
        (("Nope",), "no parameter named"),
        (("LED", 1), "only with a parameter number"),
        ((4,), "split into partial parameters"),
        ((4, 0x10), "has no partial 0x10"),
        ((1, 0x01), "has no partial 0x1"),
        ((9,), "not known"),
    ]:
        with pytest.raises(CCEncodeError, match=re.escape(message)):
            resolve_parameter(node, *args)


def test_database_records_of_a_real_device() -> None:
    """PH-PSE02 (0x0131 0x0004 0x000A) in Z-Wave JS's device files: partials of parameter 7."""
    info = devicedb.product(0x0131, 0x0004, 0x000A)
    assert info is not None
    records = {(r["number"], r.get("bitmask")): r for r in database_records(info.params)}
    assert records[(7, 0x08)]["label"] == "Siren Sound"
    assert records[(7, 0x08)]["options"] == [[0, "Enable"], [1, "Disable"]]
    assert records[(29, None)]["max"] == 1
