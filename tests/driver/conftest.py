"""Fixtures: the demo network on a virtual stick (real pty) and a driver connected to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, DriverOptions, MemoryCache
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick, start_demo


def fast_options(**overrides: Any) -> DriverOptions:
    """Short timeouts so failure paths finish quickly (no timing is asserted)."""
    base: dict[str, Any] = {
        "ack_timeout": 0.5,
        "response_timeout": 2.0,
        "callback_timeout": 5.0,
        "report_timeout": 2.0,
        "reconnect_min_delay": 0.1,
        "reconnect_max_delay": 0.5,
        "verify_delay": 0.05,
        "send_to_sleep_delay": 0.1,
        "cache_save_delay": 0.05,
        "node_info_timeout": 1.0,
        "send_data_abort_after": 3.0,
        "soft_reset_timeout": 1.0,
        "interview_backoff": 0.05,
    }
    base.update(overrides)
    return DriverOptions(**base)


async def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> None:
    """Poll until ``predicate()`` is truthy (the timeout only guards against hangs)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


@pytest.fixture
async def demo() -> AsyncIterator[DemoStick]:
    """The demo network on a *strict* virtual stick: like Z-Wave JS's mock controller it
    refuses a radio job that overlaps another, so every test checks the driver never does."""
    stick = await start_demo("pty", awake_timeout=3.0, bolt_time=0.1, strict=True)
    try:
        yield stick
    finally:
        await stick.stop()
    assert stick.stick.overlap_refusals == 0, stick.stick.refused_jobs


@pytest.fixture
def cache() -> MemoryCache:
    return MemoryCache()


@pytest.fixture
async def driver(demo: DemoStick, cache: MemoryCache) -> AsyncIterator[Driver]:
    # the demo's locks (nodes 7 S2, 9 S0) were included with the demo keys
    drv = Driver(demo.port, cache=cache, options=fast_options(), keys=DEMO_NETWORK_KEYS)
    await drv.start()
    await drv.wait_for_nodes_ready(timeout=30)
    try:
        yield drv
    finally:
        await drv.stop()
