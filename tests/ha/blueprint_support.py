"""Shared by the blueprint tests: the repository's blueprints in a throwaway configuration
folder, automations made from them, and Home Assistant's timers moved forward without touching the
driver's (see :func:`later`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HassJob, HomeAssistant, callback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles

from custom_components.zwave_serial.const import DOMAIN

REPO = Path(__file__).parents[2]
SOURCE = REPO / "blueprints" / "automation" / "zwave_serial"
BLUEPRINTS = sorted(p.name for p in SOURCE.glob("*.yaml"))
REPO_URL = "https://github.com/zwave-serial/zwave_serial"
LOCK_NODE = 7
LOCK = f"c0ffee01.{LOCK_NODE}.0.98.current_mode"
DOOR = f"c0ffee01.{LOCK_NODE}.0.98.door_closed"
BATTERY = f"c0ffee01.{LOCK_NODE}.0.128.level"
BATTERY_LOW = f"c0ffee01.{LOCK_NODE}.0.128.is_low"
#: What the blueprints' actions fire in these tests (an ``event`` action instead of a notifier).
DONE = "zwave_serial_test_blueprint_done"


@pytest.fixture(autouse=True)
async def blueprint_folder(hass: HomeAssistant, tmp_path: Path) -> AsyncGenerator[Path]:
    """The repository's blueprints linked into a throwaway configuration folder, where Home
    Assistant's blueprint integration looks for them; the automations are turned off after the
    test (a calendar trigger keeps a refresh timer otherwise)."""
    hass.config.config_dir = str(tmp_path)
    folder = Path(hass.config.path("blueprints/automation/zwave_serial"))
    folder.mkdir(parents=True)
    for name in BLUEPRINTS:
        (folder / name).symlink_to(SOURCE / name)
    yield folder
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call("automation", "turn_off", {ATTR_ENTITY_ID: "all"}, blocking=True)
        await hass.async_block_till_done()


def done_action(**data: str) -> list[dict[str, Any]]:
    return [{"event": DONE, "event_data": data}]


async def automation(hass: HomeAssistant, blueprint: str, **inputs: Any) -> None:
    config = {
        "alias": blueprint.removesuffix(".yaml"),
        "use_blueprint": {"path": f"zwave_serial/{blueprint}", "input": inputs},
    }
    assert await async_setup_component(hass, "automation", {"automation": [config]})
    await hass.async_block_till_done()
    state = hass.states.get(f"automation.{blueprint.removesuffix('.yaml')}")
    assert state is not None and state.state == "on", state


def _automation_timer(handle: asyncio.TimerHandle) -> bool:
    """A one-shot Home Assistant timer of Home Assistant's own (a trigger's ``for``, a calendar
    alarm): not the driver's or the virtual stick's asyncio timers, not periodic jobs
    (``async_track_time_interval``), not the integration's own time-change jobs."""
    callback = handle._callback
    if handle.cancelled() or getattr(callback, "__module__", "") != "homeassistant.helpers.event":
        return False
    if type(callback).__name__ == "_TrackPointUTCTime":
        job = callback.job
    elif getattr(callback, "__name__", "") == "_run_async_call_action":
        job = handle._args[-1]
    else:
        return False
    for _ in range(3):  # a time-change tracker wraps the job it runs
        if not isinstance(job, HassJob):
            return False
        inner = getattr(getattr(job.target, "__self__", None), "job", None)
        if inner is None:
            break
        job = inner
    return not getattr(job.target, "__module__", "").startswith("custom_components")


async def later(hass: HomeAssistant, when: datetime) -> None:
    """Let the automations' timers see ``when`` (``async_fire_time_changed`` would also fire the
    driver's timeouts early and break real exchanges with the stick)."""
    await hass.async_block_till_done()
    when = dt_util.as_utc(when) + timedelta(seconds=1)  # the timer's and the test's clocks differ by µs
    timestamp = when.timestamp()

    def due() -> list[asyncio.TimerHandle]:
        return [
            handle
            for handle in get_scheduled_timer_handles(hass.loop)
            if _automation_timer(handle) and handle.when() - hass.loop.time() <= timestamp - time.time()
        ]

    # a timer's job may schedule the next one (a calendar's next event): fire until none is due
    for _ in range(50):
        if not (handles := due()):
            return
        with (
            patch("homeassistant.helpers.event.time_tracker_utcnow", return_value=when),
            patch("homeassistant.helpers.event.time_tracker_timestamp", return_value=timestamp),
        ):
            for handle in handles:
                handle._run()
                handle.cancel()
        await hass.async_block_till_done()
    raise AssertionError(f"timers keep coming: {handles}")


def next_event(hass: HomeAssistant, event_type: str) -> asyncio.Future[Any]:
    """A future resolved by the next ``event_type`` event on the bus."""
    future: asyncio.Future[Any] = hass.loop.create_future()

    @callback
    def _seen(event: Any) -> None:
        if not future.done():
            future.set_result(event)
            unsub()

    unsub = hass.bus.async_listen(event_type, _seen)
    return future


async def codes(hass: HomeAssistant, lock_entity: str) -> list[dict[str, Any]]:
    answer = await hass.services.async_call(
        DOMAIN, "get_lock_usercodes", {ATTR_ENTITY_ID: lock_entity}, blocking=True, return_response=True
    )
    return answer["nodes"][str(LOCK_NODE)]["slots"]
