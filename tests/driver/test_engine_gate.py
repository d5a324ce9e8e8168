"""The engine's network-management gate (serialapi/gate.py) over a real pty with a scripted fake
stick: a neighbour update leaves the queue at "started"; until its final callback frames to
other nodes go out, network-management jobs and frames to the node under update wait."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from custom_components.zwave_serial.zwave.errors import ConnectionLost, DriverStopped, StickRestarted
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.link import Link, connect
from custom_components.zwave_serial.zwave.serialapi import FunctionType, NeighborUpdateStatus
from custom_components.zwave_serial.zwave.serialapi.engine import Priority, SerialApi
from custom_components.zwave_serial.zwave.serialapi.gate import held_by

from .fakestick import FakeStick, request, response

UPDATE = FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE


@pytest.fixture
async def api() -> AsyncIterator[tuple[FakeStick, SerialApi]]:
    stick = FakeStick()
    ref: list[SerialApi] = []
    link: Link = await connect(
        stick.path,
        lambda frame: ref[0].handle_frame(frame),
        lambda exc: ref[0].fail_all(ConnectionLost(str(exc))),
        ack_timeout=0.3,
        retry_delays=[0.01],
    )
    engine = SerialApi(link, response_timeout=2.0, callback_timeout=5.0)
    ref.append(engine)
    yield stick, engine
    engine.stop()
    link.close()
    stick.cleanup()


def send_data_ok(frame: Frame) -> list[Frame]:
    return [response(0x13, b"\x01"), request(0x13, bytes((frame.payload[-1], 0x00, 0x00, 0x02)))]


def sent(stick: FakeStick, function: int) -> list[Frame]:
    return [f for f in stick.frames if f.function == function]


async def started_update(stick: FakeStick, api: SerialApi, node: int) -> tuple[asyncio.Task, int]:
    """A neighbour update of ``node`` that the stick reported started (and not yet done)."""
    stick.on(UPDATE, lambda f: [request(UPDATE, bytes((f.payload[-1], NeighborUpdateStatus.STARTED)))])
    task = asyncio.create_task(api.call(UPDATE, node_id=node, priority=Priority.HEAL, callback_timeout=30))
    while api.updating_node != node:
        await asyncio.sleep(0.01)
    return task, sent(stick, UPDATE)[-1].payload[-1]


async def test_send_data_to_another_node_goes_out_during_the_update(api: tuple[FakeStick, SerialApi]) -> None:
    stick, engine = api
    update, cbid = await started_update(stick, engine, 5)
    stick.on(0x13, send_data_ok)
    report = await engine.send_data(6, b"\x25\x01")  # another node: not held
    assert report.ok and not update.done()
    assert engine.updating_node == 5
    stick.send(request(UPDATE, bytes((cbid, NeighborUpdateStatus.DONE))))
    result = await update
    assert result.callback.status == NeighborUpdateStatus.DONE
    assert engine.updating_node is None and not engine.busy


async def test_node_under_update_and_network_management_wait_for_the_final_callback(
    api: tuple[FakeStick, SerialApi],
) -> None:
    stick, engine = api
    update, cbid = await started_update(stick, engine, 5)
    stick.on(0x13, send_data_ok)
    stick.on(0x46, lambda f: [response(0x46, b"\x01"), request(0x46, bytes((f.payload[-1], 0x00)))])
    route = asyncio.create_task(engine.call(FunctionType.ASSIGN_RETURN_ROUTE, 6, 1, priority=Priority.USER))
    to_node = asyncio.create_task(engine.send_data(5, b"\x25\x01", priority=Priority.USER))
    other = await engine.send_data(7, b"\x25\x01", priority=Priority.POLL)  # queued after both: goes first
    assert other.ok and not route.done() and not to_node.done()
    assert [f.payload[0] for f in sent(stick, 0x13)] == [7] and not sent(stick, 0x46)
    stick.send(request(UPDATE, bytes((cbid, NeighborUpdateStatus.DONE))))
    await asyncio.gather(update, route, to_node)
    # In queue order once the update ended: the route job (queued first), then node 5's frame.
    order = [(f.function, f.payload[0]) for f in stick.frames if f.function in (0x13, 0x46)]
    assert order == [(0x13, 7), (0x46, 6), (0x13, 5)]


async def test_final_callback_without_started(api: tuple[FakeStick, SerialApi]) -> None:
    """A stick that sends 0x23 (or 0x22) without 0x21 first: the transaction ends there."""
    stick, engine = api
    stick.on(UPDATE, lambda f: [request(UPDATE, bytes((f.payload[-1], NeighborUpdateStatus.FAILED)))])
    result = await engine.call(UPDATE, node_id=5)
    assert result.callback.status == NeighborUpdateStatus.FAILED
    assert engine.updating_node is None and not engine.busy


async def test_lease_waits_and_stick_restart_drops_the_update(api: tuple[FakeStick, SerialApi]) -> None:
    stick, engine = api
    update, _ = await started_update(stick, engine, 5)
    granted = asyncio.Event()

    async def inclusion() -> None:
        async with engine.reserve():
            granted.set()

    lease = asyncio.create_task(inclusion())
    await asyncio.sleep(0.1)
    assert not granted.is_set()  # a network-management sequence waits for the update
    engine.abort_current(StickRestarted("restart"))
    with pytest.raises(StickRestarted):
        await update
    await lease
    assert granted.is_set() and engine.updating_node is None


async def test_cancel_with_finish_on_cancel_keeps_the_gate(api: tuple[FakeStick, SerialApi]) -> None:
    """Stopping a heal while its neighbour update runs: the caller leaves, the engine still
    waits for the final callback before any network-management job starts."""
    stick, engine = api
    stick.on(UPDATE, lambda f: [request(UPDATE, bytes((f.payload[-1], NeighborUpdateStatus.STARTED)))])
    call = asyncio.create_task(engine.call(UPDATE, node_id=5, callback_timeout=30, finish_on_cancel=True))
    while engine.updating_node != 5:
        await asyncio.sleep(0.01)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert engine.updating_node == 5
    cbid = sent(stick, UPDATE)[-1].payload[-1]
    stick.send(request(UPDATE, bytes((cbid, NeighborUpdateStatus.DONE))))
    while engine.updating_node is not None:
        await asyncio.sleep(0.01)
    engine.stop()
    with pytest.raises(DriverStopped):
        await engine.call(UPDATE, node_id=5)


@pytest.mark.parametrize(
    ("function", "radio_job", "kwargs", "held"),
    [
        (FunctionType.SEND_DATA, True, {"node_id": 6}, False),
        (FunctionType.SEND_DATA, True, {"node_id": 5}, True),
        (FunctionType.REQUEST_NODE_INFO, True, {"node_id": 5}, True),
        (FunctionType.SEND_DATA_MULTICAST, True, {"node_ids": [6, 7]}, False),
        (FunctionType.SEND_DATA_MULTICAST, True, {"node_ids": [5, 7]}, True),
        (FunctionType.ASSIGN_RETURN_ROUTE, True, {"node_id": 6}, True),
        (FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE, True, {"node_id": 6}, True),
        (FunctionType.GET_ROUTING_INFO, False, {"node_id": 5}, False),
        (FunctionType.SOFT_RESET, False, {}, True),
    ],
)
def test_held_by(function: int, radio_job: bool, kwargs: dict, held: bool) -> None:
    assert held_by(5, function, radio_job, (), kwargs) is held
