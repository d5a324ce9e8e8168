"""Configuration parameters against virtual devices over the pty: the interview reads the
device's own descriptions (Properties chain, Name, Info in several reports), or the device
database's for a Configuration v1 device; the results are cached; sets are validated, read
back (or confirmed by Supervision); partial parameters, bulk partial sets, resets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, MemoryCache, SetValueStatus
from custom_components.zwave_serial.zwave.configparams import ValueType, parameter_value
from custom_components.zwave_serial.zwave.errors import CCEncodeError, SupervisionFailed
from custom_components.zwave_serial.zwave.sim.common import add_config_param
from custom_components.zwave_serial.zwave.sim.config_device import (
    BIT_FIELD,
    DEFAULT_PARAMETERS,
    UNSIGNED,
    ConfigurablePlug,
    SimParameter,
)
from custom_components.zwave_serial.zwave.sim.node import NodeInfo
from custom_components.zwave_serial.zwave.sim.stick import VirtualStick
from custom_components.zwave_serial.zwave.sim.switches import BinarySwitch

from .conftest import fast_options, wait_for

PLUG, SUPERVISED, LEGACY = 2, 3, 4
SUPERVISED_PARAMETERS = (
    SimParameter(1, 1, UNSIGNED, 0, 255, 200, "Level", "An unsigned byte above 127."),
    SimParameter(2, 2, BIT_FIELD, 0, 0x0101, 0x0100, "Channels", "Bits 0 and 8."),
)


@pytest.fixture
async def stick() -> AsyncIterator[VirtualStick]:
    """The demo's Configuration v4 plug, a supervised one, and a Configuration v1 siren the
    device database knows (PH-PSE02: manufacturer 0x0131, product 0x0004:0x000A)."""
    stick = VirtualStick(strict=True)
    stick.add_node(ConfigurablePlug(PLUG))
    stick.add_node(ConfigurablePlug(SUPERVISED, parameters=SUPERVISED_PARAMETERS, supervision=True))
    siren = BinarySwitch(LEGACY, NodeInfo(0x10, 0x01, manufacturer_id=0x0131, product_type=0x0004, product_id=0x000A))
    for number, default in ((7, 0b1000), (29, 0), (31, 6)):
        add_config_param(siren, number, 1, default)
    stick.add_node(siren)
    await stick.start_pty()
    try:
        yield stick
    finally:
        await stick.stop()
    assert stick.overlap_refusals == 0, stick.refused_jobs


async def _driver(stick: VirtualStick, cache: MemoryCache) -> Driver:
    driver = Driver(stick.port, cache=cache, options=fast_options())
    await driver.start()
    await driver.wait_for_nodes_ready(timeout=30)
    return driver


def _sent(device: Any, command: int) -> list[bytes]:
    """Configuration commands the device received (plain text here), by command id."""
    return [bytes(f) for f in device.received if f[:2] == bytes((0x70, command))]


async def test_interview_reads_the_device_descriptions_and_caches_them(stick: VirtualStick) -> None:
    cache = MemoryCache()
    device = stick.node(PLUG)
    driver = await _driver(stick, cache)
    try:
        node = driver.nodes[PLUG]
        # the Properties chain: parameter 0 names the first, each report the next
        walked = [int.from_bytes(f[2:4], "big") for f in _sent(device, 0x0E)]
        assert walked == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 300]
        assert [int.from_bytes(f[2:4], "big") for f in _sent(device, 0x0A)] == walked[1:]
        params = {p.key: p for p in node.config_parameters()}
        assert list(params) == ["1", "2", "3", "4", "5", "6", "7[0x01]", "7[0x02]", "7[0x04]", "7[0x08]", "8", "9", "300"]
        by_number = {p.number: p for p in DEFAULT_PARAMETERS}
        # the long description came in several Info Reports
        assert params["7[0x01]"].description == by_number[7].info and len(by_number[7].info) > 64
        for key in ("1", "2", "3", "8", "9", "300"):
            sim = by_number[int(key)]
            param = params[key]
            assert (param.label, param.size, param.value_format, param.min, param.max, param.default) == (
                sim.name, sim.size, sim.fmt, sim.minimum, sim.maximum, sim.default
            )
            assert (param.readonly, param.advanced, param.alters_capabilities) == (
                sim.readonly, sim.advanced, sim.alters_capabilities
            )
            assert parameter_value(node, param) == sim.default
        assert params["4"].value_type is ValueType.ENUMERATED and params["6"].value_type is ValueType.BOOLEAN
        assert [parameter_value(node, params[f"7[0x0{b}]"]) for b in (1, 2, 4, 8)] == [1, 0, 1, 0]
        before = node.config_parameters()
    finally:
        await driver.stop()

    # Restarted with the cache: nothing is asked again, the same parameters are known.
    received = len(_sent(device, 0x0E))
    driver = await _driver(stick, cache)
    try:
        assert driver.nodes[PLUG].config_parameters() == before
        assert len(_sent(device, 0x0E)) == received
    finally:
        await driver.stop()


async def test_configuration_v1_device_from_the_database(stick: VirtualStick) -> None:
    driver = await _driver(stick, MemoryCache())
    try:
        node = driver.nodes[LEGACY]
        params = {p.key: p for p in node.config_parameters()}
        assert set(params) >= {"7[0x08]", "7[0x10]", "29", "31"}
        siren = params["7[0x08]"]
        assert (siren.label, siren.source, siren.value_type) == ("Siren Sound", "database", ValueType.ENUMERATED)
        assert parameter_value(node, siren) == 1 and parameter_value(node, params["31"]) == 6  # read in the interview
        # by name and option label; the partial keeps the other bits
        result = await node.set_config_parameter("Siren Sound", "Enable")
        assert result.status is SetValueStatus.SUCCESS  # the siren supports Supervision
        assert stick.node(LEGACY).config[7][1] == 0 and parameter_value(node, siren) == 0
        await node.set_config_parameter(7, 1, bitmask=0x10)
        assert stick.node(LEGACY).config[7][1] == 0x10
        # before Configuration v4 no "default" flag is sent: the known defaults are written
        await node.reset_config_parameters()
        assert stick.node(LEGACY).config[7][1] == 0b1000 and stick.node(LEGACY).config[31][1] == 6
        assert not [f for f in stick.node(LEGACY).received if f[:2] == b"\x70\x04" and f[3] & 0x80]
    finally:
        await driver.stop()


async def test_sets_are_read_back_without_supervision(stick: VirtualStick) -> None:
    driver = await _driver(stick, MemoryCache())
    device = stick.node(PLUG)
    try:
        node = driver.nodes[PLUG]
        gets = len(_sent(device, 0x05))
        result = await node.set_config_parameter(1, 80)
        assert result.status is SetValueStatus.SENT and device.value(1) == 80
        assert len(_sent(device, 0x05)) == gets + 1  # read back
        assert parameter_value(node, node.config_parameters()[0]) == 80
        # parameters above 255 go through Bulk Set / Bulk Get
        await node.set_config_parameter(300, -7)
        assert device.value(300) == -7 and _sent(device, 0x07) and _sent(device, 0x08)
        # a set the device ignores (a raw write bypasses the checks): the read-back shows it
        await node.set_config_parameter(1, 101, value_size=1, value_format=1)
        assert device.value(1) == 80
        assert node.get_value(0x70, "parameter", 1) == 80
        # validated: out of range, read-only, no such partial
        with pytest.raises(CCEncodeError, match="out of range 0..100"):
            await node.set_config_parameter("LED brightness", 101)
        with pytest.raises(CCEncodeError, match="read-only"):
            await node.set_config_parameter(9, 1)
        with pytest.raises(CCEncodeError):
            await node.bulk_set_partial_config_parameters(7, {0x10: 1})
        await node.bulk_set_partial_config_parameters(7, {"Report triggers: bit 3": 1, "0x01": 0})
        assert device.value(7) == 0b1100
        # reset one parameter (v4: the "default" flag), then all (Default Reset)
        await node.reset_config_parameters(1)
        assert device.value(1) == 50 and node.get_value(0x70, "parameter", 1) == 50
        await node.set_config_parameter(2, -3)
        await node.reset_config_parameters()
        assert device.value(2) == 0 and device.value(7) == 0b0101
        assert node.get_value(0x70, "parameter", 7) == 0b0101
    finally:
        await driver.stop()


async def test_supervised_sets(stick: VirtualStick) -> None:
    driver = await _driver(stick, MemoryCache())
    device = stick.node(SUPERVISED)
    try:
        node = driver.nodes[SUPERVISED]
        level = node.config_parameters()[0]
        assert parameter_value(node, level) == 200  # unsigned byte: the device sent 0xC8
        gets = len(_sent(device, 0x05))
        result = await node.set_config_parameter(1, 250)
        assert result.status is SetValueStatus.SUCCESS and device.value(1) == 250
        assert len(_sent(device, 0x05)) == gets  # confirmed: no read-back needed
        assert parameter_value(node, level) == 250
        # a 2-byte bit field: one switch per bit of its maximum
        bits = {p.bitmask: p for p in node.config_parameters() if p.number == 2}
        assert set(bits) == {0x0001, 0x0100}
        await node.set_config_parameter(2, 1, bitmask=0x0001)
        assert device.value(2) == 0x0101 and parameter_value(node, bits[0x0100]) == 1
        # the device refuses (Supervision FAIL): a typed error, the value stays
        with pytest.raises(SupervisionFailed):
            await node.set_config_parameter(2, 0x0202, value_size=2, value_format=3)
        assert device.value(2) == 0x0101
    finally:
        await driver.stop()


async def test_set_for_a_sleeping_device_is_queued_until_it_wakes_up(driver: Driver, demo: Any) -> None:
    """The demo's motion sensor (node 5, asleep): a raw set waits for its wake-up."""
    motion, device = driver.nodes[5], demo.stick.node(5)
    result = await motion.set_config_parameter(1, 60, value_size=2, value_format=1)
    assert result.status is SetValueStatus.QUEUED and device.config[1][1] != 60
    device.wake_up()
    await wait_for(lambda: device.config[1][1] == 60, timeout=30)
