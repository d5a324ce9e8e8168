"""Restore safety, on virtual sticks over real ptys: every refusal happens before anything is
written, the pre-restore image is saved before the first write, and a failure during the
write ends with the pre-restore image back on the stick and verified."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, MemoryCache
from custom_components.zwave_serial.zwave.nvm import (
    NvmProgressEvent,
    NvmRestoreFailed,
    NvmRestoreRefused,
    parse_image,
)
from custom_components.zwave_serial.zwave.nvm.nvm500 import write_nvm500
from custom_components.zwave_serial.zwave.nvm.nvm700 import write_nvm700
from custom_components.zwave_serial.zwave.sim import VirtualStick
from custom_components.zwave_serial.zwave.sim.demo import build_demo_network
from tests.driver.conftest import fast_options

from .vectors import BACKUP_500, image


@pytest.fixture(autouse=True)
async def fast_loop(caplog: pytest.LogCaptureFixture) -> AsyncIterator[None]:
    """Thousands of transactions per restore: no asyncio debug mode, no debug log lines."""
    caplog.set_level(logging.INFO, logger="custom_components.zwave_serial.zwave")
    caplog.set_level(logging.INFO, logger="serialx")
    loop = asyncio.get_running_loop()
    debug = loop.get_debug()
    loop.set_debug(False)
    yield
    loop.set_debug(debug)


def phases(events: list[NvmProgressEvent], operation: str) -> list[str]:
    """The phases an operation went through (progress events within a phase collapsed)."""
    out: list[str] = []
    for event in events:
        if event.operation == operation and (not out or out[-1] != event.phase):
            out.append(event.phase)
    return out


class Setup:
    def __init__(self, stick: VirtualStick, driver: Driver) -> None:
        self.stick = stick
        self.driver = driver
        self.events: list[NvmProgressEvent] = []
        driver.subscribe(lambda e: self.events.append(e) if isinstance(e, NvmProgressEvent) else None)

    def network(self) -> tuple[int, list[int]]:
        return self.stick.home_id, sorted(self.stick.nodes)


@pytest.fixture(params=["700", "500"])
async def setup(request: pytest.FixtureRequest) -> AsyncIterator[Setup]:
    stick = VirtualStick(series=request.param, strict=True)
    build_demo_network(stick, waiting=False, awake_timeout=3.0, bolt_time=0.1)
    port = await stick.start_pty()
    driver = Driver(port, cache=MemoryCache(), options=fast_options())
    await driver.start()
    await driver.wait_for_nodes_ready(timeout=30)  # no radio traffic left when the test ends
    yield Setup(stick, driver)
    await driver.stop()
    await stick.stop()
    assert stick.overlap_refusals == 0, stick.refused_jobs


def _other_network(data: bytes) -> bytes:
    desc = copy.deepcopy(parse_image(data))
    desc.controller.home_id = 0xABCD0001
    if desc.series == "500":
        desc.controller.own_home_id = 0xABCD0001
        return write_nvm500(desc)
    del desc.nodes[9]
    return write_nvm700(desc, desc.application_version)


async def _refused(setup: Setup, data: bytes, reason: str, **kwargs: Any) -> None:
    before = setup.network()
    with pytest.raises(NvmRestoreRefused) as err:
        await setup.driver.nvm.restore(data, **kwargs)
    assert err.value.reason == reason, err.value
    assert setup.stick.nvm.writes == 0  # nothing was written
    assert setup.network() == before


async def test_refusals_happen_before_any_write(setup: Setup) -> None:
    backup = await setup.driver.nvm.backup()
    reads = setup.stick.nvm.reads
    corrupt = bytearray(backup)
    corrupt[0x3004 if setup.stick.series == "700" else 0x15] ^= 0xFF
    await _refused(setup, bytes(corrupt), "corrupt")
    await _refused(setup, b"", "corrupt")
    other_series = image("ctrlr_backup_700_7.18.3.bin") if setup.stick.series == "500" else image(BACKUP_500)
    await _refused(setup, other_series, "other_series", confirm_other_network=True)
    await _refused(setup, _other_network(backup), "other_network")
    assert setup.stick.nvm.reads == reads  # these were refused without even reading the stick

    def cannot_save(_current: bytes) -> None:
        raise OSError("disk full")

    await _refused(setup, backup, "pre_restore", on_pre_restore=cannot_save)
    assert setup.driver.connected and setup.stick.rf_on  # the stick is back to normal


async def test_an_image_bigger_than_the_stick_is_refused() -> None:
    stick = VirtualStick(series="500", nvm={"nvm_size": 16 * 1024}, strict=True)
    port = await stick.start_pty()
    driver = Driver(port, cache=MemoryCache(), options=fast_options())
    await driver.start()
    try:
        big = bytearray(write_nvm500(parse_image(await driver.nvm.backup())))
        big[0:2] = (0x5FFF).to_bytes(2, "big")  # this stick used 24 KiB of its NVM
        big += b"\xff" * (0x6000 - len(big))
        with pytest.raises(NvmRestoreRefused) as err:
            await driver.nvm.restore(bytes(big))
        assert err.value.reason == "too_big" and stick.nvm.writes == 0
    finally:
        await driver.stop()
        await stick.stop()


async def test_an_unreadable_target_is_refused(setup: Setup) -> None:
    backup = await setup.driver.nvm.backup()
    setup.stick.nvm.image[:] = b"\x00" * len(setup.stick.nvm.image)  # the stick's NVM is garbage
    setup.stick.nvm.written = True  # (as if a host wrote it and no reset happened)
    writes = setup.stick.nvm.writes
    with pytest.raises(NvmRestoreRefused) as err:
        await setup.driver.nvm.restore(backup)
    assert err.value.reason == "unknown_target" and setup.stick.nvm.writes == writes


async def test_restore_of_another_network_when_confirmed(setup: Setup) -> None:
    backup = await setup.driver.nvm.backup()
    saved: list[tuple[bytes, int]] = []
    other = _other_network(backup)
    result = await setup.driver.nvm.restore(
        other, confirm_other_network=True, on_pre_restore=lambda cur: saved.append((cur, setup.stick.nvm.writes))
    )
    assert saved and saved[0][1] == 0  # the pre-restore image was handed over before any write
    assert parse_image(saved[0][0]).home_id == 0xC0FFEE01
    assert setup.stick.home_id == result.home_id == 0xABCD0001
    assert setup.driver.controller.home_id == 0xABCD0001
    assert phases(setup.events, "restore") == ["reading", "writing", "verifying", "restarting", "done"]


@pytest.mark.parametrize("mode", ["error", "corrupt"])
async def test_a_failed_write_puts_the_old_image_back(setup: Setup, mode: str) -> None:
    backup = await setup.driver.nvm.backup()
    before = setup.network()
    setup.stick.nvm.fail_write(0x3100 if setup.stick.series == "700" else 0x0200, mode=mode)
    with pytest.raises(NvmRestoreFailed) as err:
        await setup.driver.nvm.restore(_other_network(backup), confirm_other_network=True)
    assert err.value.rolled_back and parse_image(err.value.pre_restore).home_id == before[0]
    seen = phases(setup.events, "restore")
    written = ["reading", "writing"] if mode == "error" else ["reading", "writing", "verifying"]
    assert seen == [*written, "rolling_back", "verifying", "restarting", "failed"]  # old image verified
    assert setup.network() == before  # the stick came back with its own network
    assert setup.driver.controller.home_id == before[0]
    again = await setup.driver.nvm.backup()
    desc, old = parse_image(again), parse_image(backup)
    assert (desc.home_id, desc.node_ids) == (old.home_id, old.node_ids)
