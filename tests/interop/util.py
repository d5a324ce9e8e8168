"""Helpers shared by the interop tests."""

from __future__ import annotations

import asyncio

from custom_components.zwave_serial.zwave import Driver


async def wait_value(driver: Driver, node_id: int, cc: int, prop: str, expected: object, timeout: float = 10.0) -> None:
    """Wait until the node's value equals ``expected`` (the timeout only guards against hangs)."""
    async with asyncio.timeout(timeout):
        while driver.nodes[node_id].get_value(cc, prop) != expected:
            await asyncio.sleep(0.05)
