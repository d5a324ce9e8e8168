"""The engine's radio lease and AddNodeToNetwork's callback stream (scripted fake stick)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave.errors import DriverStopped
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.link import connect
from custom_components.zwave_serial.zwave.serialapi import AddRemoveStatus, FunctionType
from custom_components.zwave_serial.zwave.serialapi.engine import SerialApi

from .fakestick import FakeStick, request, response
from .test_api import Harness

ANY, STOP = 0xC1, 0xC5


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    stick = FakeStick()
    apis: list[SerialApi] = []
    link = await connect(stick.path, lambda frame: apis[0].handle_frame(frame), lambda exc: None, ack_timeout=0.3)
    api = SerialApi(link, response_timeout=0.3, callback_timeout=0.3)
    apis.append(api)
    yield Harness(stick, link, api)
    api.stop()
    link.close()
    stick.cleanup()


def add_node(frame: Frame) -> list[Frame]:
    """Add mode: Ready, NodeFound, AddingSlave (node 12), ProtocolDone; Stop: Done(12)."""
    mode, cid = frame.payload[0], frame.payload[1]
    if not cid:
        return []
    if mode & 0x0F == 0x05:
        return [request(0x4A, bytes((cid, 0x06, 12, 0)))]
    nif = bytes((12, 4, 0x04, 0x10, 0x01, 0x25))
    return [
        request(0x4A, bytes((cid, 0x01, 0, 0))),
        request(0x4A, bytes((cid, 0x02, 0, 0))),
        request(0x4A, bytes((cid, 0x03)) + nif),
        request(0x4A, bytes((cid, 0x05, 12, 0))),
    ]


async def test_add_mode_streams_until_protocol_done_inside_a_lease(harness: Harness) -> None:
    h = harness
    h.stick.on(0x4A, add_node)
    h.stick.on(0x15, lambda f: response(0x15, b"Z-Wave 7.18\x00\x07"))
    progress: list[Any] = []
    order: list[str] = []

    async def other() -> None:
        await h.api.call(FunctionType.GET_CONTROLLER_VERSION)
        order.append("other")

    async with h.api.reserve() as lease:
        task = asyncio.create_task(other())  # queued behind the lease
        result = await h.api.call(FunctionType.ADD_NODE_TO_NETWORK, ANY, lease=lease, on_progress=progress.append)
        assert [p.status for p in progress] == [AddRemoveStatus.READY, AddRemoveStatus.NODE_FOUND, 0x03]
        assert progress[-1].node_info.node_id == 12
        assert result.callback.status == AddRemoveStatus.PROTOCOL_DONE
        done = await h.api.call(FunctionType.ADD_NODE_TO_NETWORK, STOP, lease=lease)
        assert done.callback.status == AddRemoveStatus.DONE and done.callback.node_id == 12
        await h.api.call(FunctionType.ADD_NODE_TO_NETWORK, STOP, wait_callback=False, lease=lease)
        order.append("lease")
        assert h.api.busy and not task.done()
    await task
    assert order == ["lease", "other"]
    sent = [f.function for f in h.stick.frames]
    assert sent == [0x4A, 0x4A, 0x4A, 0x15]
    assert h.stick.frames[2].payload == bytes((STOP, 0))
    assert not h.api.busy


async def test_a_released_lease_refuses_calls(harness: Harness) -> None:
    h = harness
    async with h.api.reserve() as lease:
        pass
    with pytest.raises(DriverStopped):
        await h.api.call(FunctionType.ADD_NODE_TO_NETWORK, STOP, wait_callback=False, lease=lease)


async def test_a_cancelled_wait_for_a_lease_does_not_block_the_engine(harness: Harness) -> None:
    h = harness
    h.stick.on(0x15, lambda f: response(0x15, b"Z-Wave 7.18\x00\x07"))
    async with h.api.reserve():
        waiter = asyncio.create_task(h.api.reserve().__aenter__())
        await asyncio.sleep(0)
        waiter.cancel()
    await h.api.call(FunctionType.GET_CONTROLLER_VERSION)
    assert not h.api.busy
