"""The driver leaves logging the loss of the stick to its user (Home Assistant logs it once at INFO)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from custom_components.zwave_serial.zwave import Driver
from custom_components.zwave_serial.zwave.events import ConnectedEvent
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

DRIVER_LOGGERS = "custom_components.zwave_serial.zwave"
SIM = f"{DRIVER_LOGGERS}.sim"  # the virtual stick's own messages


async def test_loss_and_reconnect_are_logged_at_debug(
    driver: Driver, demo: DemoStick, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=DRIVER_LOGGERS)
    caplog.clear()
    await demo.stick.unplug()
    async with asyncio.timeout(30):  # safety net only
        while driver.connected:
            await asyncio.sleep(0.02)
    back = asyncio.Event()
    driver.subscribe(lambda event: back.set() if isinstance(event, ConnectedEvent) else None)
    await demo.stick.replug()
    async with asyncio.timeout(30):
        await back.wait()  # emitted after the driver logged the reconnection
    loud = [
        r
        for r in caplog.records
        if r.name.startswith(DRIVER_LOGGERS) and not r.name.startswith(SIM) and r.levelno >= logging.INFO
    ]
    assert not loud, [(r.name, r.levelname, r.getMessage()) for r in loud]
