"""Network heal on a meshed network (zwave/sim/bignet.py) behind a *strict* virtual stick:
nearest nodes first, SUC and association-target return routes, user commands before the next
heal step and during a neighbour update (except to the node under update), network management
held until the update's end, stop, sleeping nodes at wake-up, single-node heal.  No timing is
asserted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from custom_components.zwave_serial.zwave import CommandClass, Driver, MemoryCache
from custom_components.zwave_serial.zwave.events import DriverEvent, HealDoneEvent, HealProgressEvent
from custom_components.zwave_serial.zwave.frame import Frame, FrameType
from custom_components.zwave_serial.zwave.network.heal_run import hop_counts, nearest
from custom_components.zwave_serial.zwave.serialapi import FunctionType
from custom_components.zwave_serial.zwave.serialapi.engine import Priority
from custom_components.zwave_serial.zwave.sim.bignet import Mesh, build_mesh
from custom_components.zwave_serial.zwave.sim.stick import VirtualStick

from .conftest import fast_options, wait_for

NEIGHBOR_UPDATE, ASSIGN_RR, DELETE_RR, ASSIGN_SUC_RR, DELETE_SUC_RR, SEND_DATA = (
    0x48,
    0x46,
    0x47,
    0x51,
    0x55,
    0x13,
)
HEAL_STEPS = {NEIGHBOR_UPDATE, ASSIGN_RR, DELETE_RR, ASSIGN_SUC_RR, DELETE_SUC_RR}


@dataclass
class Net:
    stick: VirtualStick
    mesh: Mesh
    driver: Driver
    frames: list[tuple[str, Frame]] = field(default_factory=list)
    events: list[DriverEvent] = field(default_factory=list)

    def out(self, function: int) -> list[Frame]:
        return [
            f for d, f in self.frames if d == "out" and f.type == FrameType.REQUEST and f.function == function
        ]

    def healed_order(self) -> list[int]:
        return [e.node_id for e in self.events if isinstance(e, HealProgressEvent) and e.status == "done"]

    def done_events(self) -> list[HealDoneEvent]:
        return [e for e in self.events if isinstance(e, HealDoneEvent)]


async def _network(neighbor_update_time: float | None = None) -> AsyncIterator[Net]:
    stick = VirtualStick(strict=True, neighbor_update_time=neighbor_update_time)
    mesh = build_mesh(stick, listening=10, sleeping=2, layers=3, awake_timeout=3.0)
    port = await stick.start_pty()
    driver = Driver(port, cache=MemoryCache(), options=fast_options())
    net = Net(stick, mesh, driver)
    driver.frame_observer = lambda direction, frame: net.frames.append((direction, frame))
    driver.subscribe(net.events.append)
    try:
        await driver.start()
        await driver.wait_for_nodes_ready(timeout=30)
        yield net
    finally:
        await driver.stop()
        await stick.stop()
    assert stick.overlap_refusals == 0, stick.refused_jobs


@pytest.fixture
async def net() -> AsyncIterator[Net]:
    async for item in _network():
        yield item


@pytest.fixture
async def long_net() -> AsyncIterator[Net]:
    """Neighbour updates that run until the test ends them (stick.jobs.finish_network_wait)."""
    async for item in _network(neighbor_update_time=600.0):
        yield item


@pytest.fixture
async def slow_net() -> AsyncIterator[Net]:
    """Neighbour updates of 0.3 s: long enough to queue a user command behind one."""
    async for item in _network(neighbor_update_time=0.3):
        yield item


@pytest.mark.parametrize(
    ("neighbours", "expected"),
    [
        ({1: {2, 3}, 2: {4}, 4: {5}}, {1: 0, 2: 1, 3: 1, 4: 2, 5: 3}),
        ({2: {1}, 3: {2}, 6: {7}}, {1: 0, 2: 1, 3: 2}),  # links count both ways; 6, 7 unreachable
        ({1: set()}, {1: 0}),
    ],
)
def test_hop_counts(neighbours: dict[int, set[int]], expected: dict[int, int]) -> None:
    assert hop_counts(1, neighbours) == expected


def test_nearest_prefers_fewer_hops_then_lower_id() -> None:
    hops = {1: 0, 9: 1, 4: 2, 3: 2}
    assert nearest([4, 9, 3], hops) == 9
    assert nearest([4, 3], hops) == 3
    assert nearest([20, 4], hops) == 4  # a node the lists do not connect comes last


async def test_heal_nearest_first_with_routes_to_suc_and_association_targets(net: Net) -> None:
    results = await net.driver.heal_network()
    listening, sleeping = net.mesh.listening, net.mesh.sleeping
    assert {n: results[n] for n in listening} == dict.fromkeys(listening, "done")
    assert {n: results[n] for n in sleeping} == dict.fromkeys(sleeping, "queued")
    order = net.healed_order()
    assert sorted(order) == sorted(listening)
    hops = [net.mesh.hops(n) for n in order]
    assert hops == sorted(hops), list(zip(order, hops, strict=True))  # from the controller outwards
    assert hops[0] == 1 and hops[-1] == len(net.mesh.layers)
    # Per node: neighbour update, SUC route deleted then assigned, return routes deleted, then
    # a return route to each association target.
    first = order[0]
    steps = [
        (f.function, f.payload[0])
        for d, f in net.frames
        if d == "out" and f.type == FrameType.REQUEST and f.function in HEAL_STEPS and f.payload[0] == first
    ]
    assert [s[0] for s in steps[:4]] == [NEIGHBOR_UPDATE, DELETE_SUC_RR, ASSIGN_SUC_RR, DELETE_RR]
    routes = net.stick.api.return_routes
    assert all(1 in routes.get(n, set()) for n in listening)
    assert net.mesh.associations
    for node_id, targets in net.mesh.associations.items():
        assert set(targets) <= routes[node_id], (node_id, targets)
    done = net.done_events()
    assert len(done) == 1 and not done[0].cancelled and done[0].results == results
    assert net.driver.heal.running is False


async def test_user_command_goes_before_the_next_heal_step(slow_net: Net) -> None:
    net = slow_net
    driver = net.driver
    switch = driver.nodes[net.mesh.layers[-1][0]]
    assert driver.start_heal() and not driver.start_heal()  # a second start shares the running heal
    await wait_for(lambda: net.out(NEIGHBOR_UPDATE), what="first neighbour update")
    before = len(net.frames)
    await switch.set_value(CommandClass.SWITCH_BINARY, "target_value", True)
    assert net.stick.node(switch.node_id).on is True
    tail = [(d, f) for d, f in net.frames[before:] if f.type == FrameType.REQUEST]
    user_send = next(i for i, (d, f) in enumerate(tail) if d == "out" and f.function == SEND_DATA)
    # The user's command went out before any further heal step.
    assert not any(d == "out" and f.function in HEAL_STEPS for d, f in tail[:user_send])
    driver.stop_heal()
    await wait_for(lambda: net.done_events(), what="heal stopped")


async def _updating(net: Net) -> int:
    """Start the heal and wait until its first neighbour update runs (outside the engine's
    queue); the long fixture keeps it running until ``stick.jobs.finish_network_wait()``."""
    assert net.driver.start_heal()
    await wait_for(lambda: net.driver.api.updating_node is not None, what="a neighbour update running")
    return net.driver.api.updating_node


def _final_callbacks(net: Net) -> list[int]:
    """Frame indexes of the neighbour updates' final callbacks (done / failed)."""
    return [
        i
        for i, (d, f) in enumerate(net.frames)
        if d == "in" and f.function == NEIGHBOR_UPDATE and f.payload[-1] in (0x22, 0x23)
    ]


async def _finish(net: Net) -> None:
    """Stop the heal, end the running update, wait for the heal's end."""
    net.driver.stop_heal()
    assert net.stick.jobs.finish_network_wait()
    await wait_for(lambda: net.done_events(), what="heal stopped")
    await wait_for(lambda: net.driver.api.updating_node is None, what="update done")
    assert net.stick.jobs.sends_to_busy_node == []  # nothing was sent to the probing node


async def test_command_to_another_node_completes_while_a_neighbour_update_runs(long_net: Net) -> None:
    net = long_net
    driver = net.driver
    updating = await _updating(net)
    other = next(n for layer in net.mesh.layers for n in layer if n != updating)
    await driver.nodes[other].set_value(CommandClass.SWITCH_BINARY, "target_value", True)
    assert net.stick.node(other).on is True
    assert driver.api.updating_node == updating and net.stick.jobs.updating_node == updating
    assert _final_callbacks(net) == []  # the update had not ended
    await _finish(net)


async def test_command_to_the_node_under_update_waits_for_its_end(long_net: Net) -> None:
    net = long_net
    driver = net.driver
    updating = await _updating(net)
    mark = len(net.frames)
    command = asyncio.create_task(
        driver.nodes[updating].set_value(CommandClass.SWITCH_BINARY, "target_value", True)
    )
    await asyncio.sleep(0.2)
    assert not command.done()  # held by the engine, not sent to the busy node
    net.stick.neighbor_update_time = 0.05  # the heal's further nodes: quick
    assert net.stick.jobs.finish_network_wait()
    await command
    assert net.stick.node(updating).on is True
    end = _final_callbacks(net)[0]
    sends = [
        i
        for i, (d, f) in enumerate(net.frames)
        if i >= mark
        and d == "out"
        and f.type == FrameType.REQUEST
        and f.function == SEND_DATA
        and f.payload[0] == updating
    ]
    steps = [
        i
        for i, (d, f) in enumerate(net.frames)
        if d == "out" and f.type == FrameType.REQUEST and f.function in HEAL_STEPS - {NEIGHBOR_UPDATE}
    ]
    assert sends and sends[0] > end  # right after the update's final callback...
    assert not steps or sends[0] < steps[0]  # ...before the heal's next step (user priority)
    driver.stop_heal()
    await wait_for(lambda: net.done_events(), what="heal stopped")
    assert net.stick.jobs.sends_to_busy_node == []


async def test_network_management_waits_for_the_update_final_callback(long_net: Net) -> None:
    net = long_net
    driver = net.driver
    updating = await _updating(net)
    other = next(n for layer in net.mesh.layers for n in layer if n != updating)
    route = asyncio.create_task(
        driver.api.call(
            FunctionType.ASSIGN_RETURN_ROUTE, node_id=other, destination_id=1, priority=Priority.USER
        )
    )
    await asyncio.sleep(0.2)
    assert not route.done() and not net.out(ASSIGN_RR)
    await _finish(net)
    await route
    first_route = next(
        i
        for i, (d, f) in enumerate(net.frames)
        if d == "out" and f.type == FrameType.REQUEST and f.function == ASSIGN_RR
    )
    assert first_route > _final_callbacks(net)[0]
    # (the fixture asserts the strict stick refused nothing)


async def test_stop_heal_withdraws_the_rest(slow_net: Net) -> None:
    net = slow_net
    driver = net.driver
    assert driver.stop_heal() is False  # nothing to stop
    driver.start_heal()
    await wait_for(lambda: net.healed_order(), timeout=20, what="a node healed")
    assert driver.stop_heal() is True
    await wait_for(lambda: net.done_events(), timeout=20, what="heal stopped")
    done = net.done_events()[0]
    assert done.cancelled
    statuses = set(done.results.values())
    assert "skipped" in statuses and "done" in statuses
    assert all(done.results[n] == "skipped" for n in net.mesh.sleeping)  # no heal at wake-up
    assert not any(
        item.description == "heal" for n in net.mesh.sleeping for item in driver.nodes[n].wakeup_queue
    )
    sent = len(net.out(NEIGHBOR_UPDATE))
    await asyncio.sleep(0.7)  # longer than a neighbour update: nothing more is started
    assert len(net.out(NEIGHBOR_UPDATE)) == sent
    assert driver.heal.running is False


async def test_sleeping_node_is_healed_when_it_wakes_up(net: Net) -> None:
    results = await net.driver.heal_network()
    sleeper = net.mesh.sleeping[0]
    assert results[sleeper] == "queued"
    assert net.driver.heal.progress[sleeper] == "queued"
    net.stick.node(sleeper).wake_up()
    await wait_for(
        lambda: net.driver.heal.progress.get(sleeper) == "done", timeout=30, what="heal at wake-up"
    )
    assert 1 in net.stick.api.return_routes[sleeper]
    event = [e for e in net.events if isinstance(e, HealProgressEvent) and e.node_id == sleeper][-1]
    assert event.status == "done" and event.progress[sleeper] == "done"


async def test_heal_single_node(net: Net) -> None:
    node_id = net.mesh.layers[1][0]
    assert await net.driver.heal_node(node_id) == "done"
    assert [f.payload[0] for f in net.out(NEIGHBOR_UPDATE)] == [node_id]
    net.stick.set_dead(node_id, True)
    assert await net.driver.heal_node(node_id) == "failed"
    assert net.driver.heal.reasons[node_id]
    net.stick.set_dead(node_id, False)
    assert await net.driver.heal_node(net.mesh.sleeping[0]) == "queued"
    assert await net.driver.heal_node(1) == "failed"  # the controller itself


async def test_stop_during_a_neighbour_update_lets_it_finish(slow_net: Net) -> None:
    """Stopping while a neighbour update is on the radio: the engine still waits for its result,
    so the user command sent right after does not overlap it (the strict stick would refuse it)."""
    net = slow_net
    driver = net.driver
    driver.start_heal()
    await wait_for(lambda: net.out(NEIGHBOR_UPDATE), what="first neighbour update")
    assert driver.stop_heal()
    switch = driver.nodes[net.mesh.layers[0][0]]
    await switch.set_value(CommandClass.SWITCH_BINARY, "target_value", True)
    assert net.stick.node(switch.node_id).on is True
    await wait_for(lambda: net.done_events(), what="heal stopped")
    assert net.done_events()[0].cancelled
    assert len(net.out(NEIGHBOR_UPDATE)) == 1
    callbacks = [f for d, f in net.frames if d == "in" and f.function == NEIGHBOR_UPDATE]
    assert callbacks and callbacks[-1].payload[-1] == 0x22  # the update on the radio finished
