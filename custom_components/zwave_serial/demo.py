"""The demo network: a virtual stick started in-process (no hardware needed)."""

from __future__ import annotations

import inspect
from typing import Any

from .const import DEMO_HOME_ID
from .zwave.sim import start_demo


async def async_start_demo(home_id: int = DEMO_HOME_ID) -> Any:
    """Start the virtual stick on a pty; returns the running demo (``.port``, ``stop()``)."""
    demo = start_demo(mode="pty", home_id=home_id)
    if inspect.isawaitable(demo):
        demo = await demo
    return demo


async def async_stop_demo(demo: Any) -> None:
    """Stop a demo stick started by :func:`async_start_demo` (None is ignored)."""
    if demo is None:
        return
    result = demo.stop()
    if inspect.isawaitable(result):
        await result
