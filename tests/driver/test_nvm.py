"""NVM backup and restore through the driver, on virtual 500 and 700 sticks over real ptys.

The user story: the stick dies; its backup goes onto a new blank stick (of the same or of the
other series); the devices are still in the house; the driver starts on the new stick with
the same home ID and nodes, without re-pairing anything.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import CommandClass, Driver, MemoryCache
from custom_components.zwave_serial.zwave.nvm import NvmProgressEvent, parse_image
from custom_components.zwave_serial.zwave.sim import VirtualStick
from custom_components.zwave_serial.zwave.sim.demo import start_demo

from .conftest import fast_options

BLANK_HOME_ID = 0xB1A2C3D4


async def _driver(port: str) -> Driver:
    driver = Driver(port, cache=MemoryCache(), options=fast_options())
    await driver.start()
    return driver


@pytest.fixture(autouse=True)
async def fast_loop(caplog: pytest.LogCaptureFixture) -> AsyncIterator[None]:
    """An NVM transfer is thousands of Serial API transactions: asyncio's debug mode (which
    the Home Assistant test plugin turns on) and debug log lines would make it ten times slower."""
    caplog.set_level(logging.INFO, logger="custom_components.zwave_serial.zwave")
    caplog.set_level(logging.INFO, logger="serialx")
    loop = asyncio.get_running_loop()
    debug = loop.get_debug()
    loop.set_debug(False)
    yield
    loop.set_debug(debug)


@pytest.fixture
async def cleanup() -> AsyncIterator[list[Any]]:
    """Drivers and sticks to stop after the test (sticks: checked for overlapping jobs)."""
    items: list[Any] = []
    yield items
    for item in reversed(items):
        await item.stop()
    for item in items:
        if isinstance(item, VirtualStick):
            assert item.overlap_refusals == 0, item.refused_jobs


@pytest.mark.parametrize(
    ("old", "new"), [("700", "700"), ("500", "500"), ("500", "700"), ("700", "500"), ("700", "800")]
)
async def test_dead_stick_replaced_by_a_blank_one(old: str, new: str, cleanup: list[Any]) -> None:
    demo = await start_demo("pty", series=old, strict=True, awake_timeout=3.0, bolt_time=0.1, waiting=False)
    cleanup.append(demo.stick)
    driver = await _driver(demo.port)
    await driver.wait_for_nodes_ready(timeout=30)  # (no interview traffic left when the stick dies)
    home_id, node_ids = driver.controller.home_id, sorted(driver.nodes)
    backup = await driver.nvm.backup()
    await driver.stop()
    desc = parse_image(backup)
    assert desc.series == old and desc.home_id == home_id and desc.node_ids == node_ids

    await demo.stick.stop()  # the old stick dies; its devices stay in the house
    blank = VirtualStick(home_id=BLANK_HOME_ID, series=new, strict=True)
    blank.nvm.devices_in_range.update(demo.stick.nodes)
    cleanup.append(blank)
    port = await blank.start_pty()
    driver = await _driver(port)
    cleanup.append(driver)
    assert driver.controller.home_id == BLANK_HOME_ID and sorted(driver.nodes) == [1]
    other_series = (old == "500") != (new == "500")
    result = await driver.nvm.restore(backup, confirm_other_network=True, convert=other_series)
    assert result.report.method == ("raw" if old == new else "converted")
    assert result.restored is not None and result.restored.series == new  # 800: NVM3 shared file system
    assert result.home_id == home_id and result.node_ids == node_ids
    assert driver.controller.home_id == home_id  # start-up ran again on the restored memory
    await driver.stop()

    driver = await _driver(port)  # a fresh start, as after a reboot of the host
    cleanup.append(driver)
    assert driver.controller.home_id == home_id and sorted(driver.nodes) == node_ids
    await driver.wait_for_nodes_ready(timeout=30)
    await driver.nodes[2].set_value(CommandClass.SWITCH_BINARY, "target_value", True)
    assert demo.stick.nodes[2].on is True  # the old device obeys the new stick: no re-pairing


async def test_backup_reports_progress_and_the_network_stays_usable(driver: Driver, demo: Any) -> None:
    events: list[NvmProgressEvent] = []
    driver.subscribe(lambda e: events.append(e) if isinstance(e, NvmProgressEvent) else None)
    switch = driver.nodes[2]
    backup = asyncio.create_task(driver.nvm.backup())
    await asyncio.sleep(0)
    command = asyncio.create_task(switch.set_value(CommandClass.SWITCH_BINARY, "target_value", True))
    data = await backup
    await command  # queued behind the read, then sent
    assert demo.stick.nodes[2].on is True
    assert len(data) == 0xC000 and parse_image(data).home_id == driver.controller.home_id
    phases = [e.phase for e in events]
    assert phases[0] == "reading" and phases[-1] == "done" and "restarting" in phases  # 700: soft reset
    reading = [e for e in events if e.phase == "reading"]
    assert reading[-1].done == reading[-1].total == 0xC000
    assert len(events) <= 110  # at most one event per percent
    assert driver.nvm.running is None
