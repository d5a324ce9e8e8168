"""Losing the stick is logged once at INFO, and its return once (quality scale: log-when-unavailable)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from .conftest import entity_id_of, wait_for_state

SWITCH_UID = "c0ffee01.2.0.37.current_value"
INTEGRATION = "custom_components.zwave_serial"
COORDINATOR = f"{INTEGRATION}.coordinator"


async def _unplug_and_replug(
    hass: HomeAssistant, demo_stick: Any, caplog: pytest.LogCaptureFixture
) -> list[logging.LogRecord]:
    """Unplug the stick, let the driver fail to reconnect, replug it; the integration's records."""
    entity_id = entity_id_of(hass, "switch", SWITCH_UID)
    caplog.set_level(logging.DEBUG, logger=INTEGRATION)
    caplog.clear()
    await demo_stick.stick.unplug()
    await wait_for_state(hass, entity_id, lambda s: s.state == STATE_UNAVAILABLE)
    # a reconnect attempt fails while it is away: it may not log above DEBUG
    async with asyncio.timeout(30):  # a safety net only
        while not _failed_reconnects(caplog):
            await asyncio.sleep(0.05)
    await demo_stick.stick.replug()
    await wait_for_state(hass, entity_id, lambda s: s.state != STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    return [r for r in caplog.records if r.name.startswith(INTEGRATION)]


def _failed_reconnects(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.name.startswith(INTEGRATION) and "failed" in r.getMessage().lower())


async def test_loss_and_return_logged_once_at_info(
    hass: HomeAssistant, stick_entry: ConfigEntry, demo_stick: Any, caplog: pytest.LogCaptureFixture
) -> None:
    records = await _unplug_and_replug(hass, demo_stick, caplog)
    ours = [r for r in records if r.name == COORDINATOR and r.levelno >= logging.INFO]
    lost = [r for r in ours if "lost" in r.getMessage()]
    back = [r for r in ours if "is back" in r.getMessage()]
    assert len(lost) == 1 and lost[0].levelno == logging.INFO
    assert len(back) == 1 and back[0].levelno == logging.INFO
    assert demo_stick.port in lost[0].getMessage()
    assert not [r for r in records if r.name == COORDINATOR and r.levelno >= logging.WARNING]
