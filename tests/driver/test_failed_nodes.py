"""Dead and failed nodes, end to end against the strict virtual stick over a real pty: dead-node
detection (3 failed transmissions; two missed wake-ups), back-off pings, IsFailedNode,
RemoveFailedNode, ReplaceFailedNode (plain and S2) and re-interview."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, MemoryCache, NodeNoAck, NodeNotFailed
from custom_components.zwave_serial.zwave.cc.ids import CommandClass as CC
from custom_components.zwave_serial.zwave.events import (
    InclusionStateEvent,
    InterviewStage,
    NodeAddedEvent,
    NodeInterviewStageEvent,
    NodeRemovedEvent,
    NodeStatus,
)
from custom_components.zwave_serial.zwave.network.failed import FailedNodeError, start_error
from custom_components.zwave_serial.zwave.network.inclusion_types import InclusionGrant, InclusionStrategy
from custom_components.zwave_serial.zwave.network.liveness import ping_delays
from custom_components.zwave_serial.zwave.security.keys import SecurityClass
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick
from custom_components.zwave_serial.zwave.sim.lock import DoorLock
from custom_components.zwave_serial.zwave.sim.node import NodeInfo
from custom_components.zwave_serial.zwave.sim.switches import BinarySwitch

from .conftest import fast_options, wait_for

SWITCH, DIMMER, MOTION, LOCK = 2, 3, 5, 7
AC = SecurityClass.S2_AccessControl
LOCK_INFO = NodeInfo(
    0x40, 0x03, listening=False, flirs=1000, role_type=7, product_type=3, product_id=0x70, name="New lock"
)


async def start_driver(demo: DemoStick, **overrides: Any) -> Driver:
    base = {"inclusion_timeout": 10.0, "bootstrap_timeout": 2.0, "bootstrap_user_timeout": 5.0}
    drv = Driver(
        demo.port, cache=MemoryCache(), options=fast_options(**(base | overrides)), keys=DEMO_NETWORK_KEYS
    )
    await drv.start()
    await drv.wait_for_nodes_ready(timeout=30)
    return drv


@pytest.fixture
async def driver(demo: DemoStick) -> AsyncIterator[Driver]:
    drv = await start_driver(demo, dead_ping_min_interval=3600.0)
    try:
        yield drv
    finally:
        await drv.stop()


@pytest.mark.parametrize(
    ("function", "request_bytes", "callback_hex", "status", "final"),
    [
        # RemoveFailedNode [node][cb] -> [cb][0 node OK / 1 removed / 2 not removed]
        (0x61, "05 07", "07 00", 0, True),
        (0x61, "05 07", "07 01", 1, True),
        (0x61, "05 07", "07 02", 2, True),
        # ReplaceFailedNode [node][cb] -> [cb][0 OK] or [cb][3 ready] then [cb][4 done / 5 failed]
        (0x63, "05 09", "09 00", 0, True),
        (0x63, "05 09", "09 03", 3, False),
        (0x63, "05 09", "09 04", 4, True),
        (0x63, "05 09", "09 05", 5, True),
    ],
)
def test_failed_node_functions_encode_and_decode(
    function: int, request_bytes: str, callback_hex: str, status: int, final: bool
) -> None:
    from custom_components.zwave_serial.zwave.serialapi import get_function

    definition = get_function(function)
    assert definition is not None and definition.radio_job
    cb_id = bytes.fromhex(request_bytes)[1]
    assert definition.build_request((), cb_id, {"node_id": 5}) == bytes.fromhex(request_bytes)
    callback = definition.decode_callback(bytes.fromhex(callback_hex))
    assert (callback.callback_id, callback.status) == (cb_id, status)
    assert (definition.callback_final is None or definition.callback_final(callback)) is final


@pytest.mark.parametrize(
    ("flags", "error", "text"),
    [
        (0x08, NodeNotFailed, "not on the stick's failed-node list"),
        (0x10, FailedNodeError, "busy"),
        (0x02, FailedNodeError, "primary"),
        (0x20, FailedNodeError, "flags 0x20"),
    ],
)
def test_start_flags_give_typed_errors(flags: int, error: type[Exception], text: str) -> None:
    err = start_error(5, flags, "remove")
    assert type(err) is error and text in str(err) and err.node_id == 5


def test_dead_node_ping_back_off_doubles_up_to_the_cap() -> None:
    delays = ping_delays(60, 3600)
    assert [delays() for _ in range(9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


async def test_three_failed_transmissions_mark_a_listening_node_dead(demo: DemoStick) -> None:
    drv = await start_driver(demo, send_attempts=1, dead_ping_min_interval=3600.0)
    try:
        node = drv.nodes[SWITCH]
        demo.stick.set_dead(SWITCH)  # powered off: no ACK any more
        for expected in (NodeStatus.ALIVE, NodeStatus.ALIVE, NodeStatus.DEAD):
            with pytest.raises(NodeNoAck):
                await node.set_value(CC.SWITCH_BINARY, "target_value", True)
            assert node.status is expected
        assert node.failed_transmits == 3 and node.dead_since is not None
        assert await drv.failed_nodes.is_failed(SWITCH) is True  # the stick's own list
        # a frame from the node brings it back at once
        demo.stick.set_dead(SWITCH, False)
        demo.stick.node(SWITCH).press()  # a local button press: a report to the lifeline
        await wait_for(lambda: node.status is NodeStatus.ALIVE)
        assert node.dead_since is None and node.failed_transmits == 0
        assert drv.cache_data()["nodes"][str(SWITCH)]["dead_since"] is None
    finally:
        await drv.stop()


async def test_one_command_failing_all_attempts_marks_the_node_dead(driver: Driver, demo: DemoStick) -> None:
    demo.stick.set_dead(DIMMER)
    assert await driver.nodes[DIMMER].ping() is False  # 3 attempts (Z-Wave JS's default)
    assert driver.nodes[DIMMER].status is NodeStatus.DEAD


async def test_dead_listening_node_is_pinged_with_back_off_until_it_answers(demo: DemoStick) -> None:
    drv = await start_driver(demo, dead_ping_min_interval=0.05, dead_ping_max_interval=0.2)
    try:
        node = drv.nodes[SWITCH]
        demo.stick.set_dead(SWITCH)
        assert await node.ping() is False
        assert node.status is NodeStatus.DEAD
        sent = demo.stick.api.calls.count(0x13)
        await wait_for(lambda: demo.stick.api.calls.count(0x13) >= sent + 3)  # background pings, no answer
        assert node.status is NodeStatus.DEAD
        demo.stick.set_dead(SWITCH, False)
        await wait_for(lambda: node.status is NodeStatus.ALIVE)
        assert node.dead_since is None
    finally:
        await drv.stop()


async def test_battery_device_missing_two_wake_ups_is_dead_until_it_wakes_up_again(demo: DemoStick) -> None:
    # The interview sets a 2 s wake-up interval: dead after 2 x 2 s + 0.5 s without a wake-up.
    drv = await start_driver(demo, default_wake_up_interval=2, wake_up_grace=0.5)
    try:
        motion = drv.nodes[MOTION]
        demo.stick.node(MOTION).wake_up()
        await wait_for(lambda: motion.ready, timeout=30)
        assert motion.get_value(CC.WAKE_UP, "wake_up_interval") == 2
        assert drv.liveness.wake_up_deadline(motion) == 4.5
        await wait_for(lambda: motion.status is NodeStatus.ASLEEP)
        woke = demo.stick.node(MOTION).wake_ups
        await wait_for(lambda: demo.stick.node(MOTION).wake_ups >= woke + 2, timeout=15)
        assert motion.status is not NodeStatus.DEAD  # it keeps waking up: never dead

        demo.stick.set_dead(MOTION)  # battery gone flat: its wake-ups are lost
        await wait_for(lambda: motion.status is NodeStatus.DEAD, timeout=15)
        assert motion.dead_since is not None
        queued = await motion.set_value(CC.WAKE_UP, "wake_up_interval", 3)
        assert queued.status == "queued"  # still a sleeping device: commands wait for it

        demo.stick.set_dead(MOTION, False)  # new battery: the next wake-up revives it
        await wait_for(lambda: motion.status is not NodeStatus.DEAD, timeout=15)
        assert motion.dead_since is None
        await wait_for(lambda: demo.stick.node(MOTION).wake_up_interval == 3, timeout=15)
    finally:
        await drv.stop()


async def test_dead_since_survives_a_restart(demo: DemoStick) -> None:
    cache = MemoryCache()
    options = {"dead_ping_min_interval": 3600.0}
    first = Driver(demo.port, cache=cache, options=fast_options(**options))
    await first.start()
    await first.wait_for_nodes_ready(timeout=30)
    demo.stick.set_dead(SWITCH)
    assert await first.nodes[SWITCH].ping() is False
    since = first.nodes[SWITCH].dead_since
    await first.stop()
    assert cache.data["nodes"][str(SWITCH)]["dead_since"] == since

    second = Driver(demo.port, cache=cache, options=fast_options(**options))
    await second.start()
    try:
        node = second.nodes[SWITCH]
        assert node.status is NodeStatus.DEAD and node.dead_since == since  # pinged at once, still dead
        await wait_for(lambda: node.failed_transmits >= 1)
        assert node.status is NodeStatus.DEAD and node.dead_since == since
        demo.stick.set_dead(SWITCH, False)
        assert await node.ping() is True and node.dead_since is None
    finally:
        await second.stop()


async def test_is_failed_and_remove_failed_node(driver: Driver, demo: DemoStick) -> None:
    events: list[Any] = []
    driver.subscribe(events.append)
    assert await driver.failed_nodes.is_failed(SWITCH) is False
    with pytest.raises(NodeNotFailed):  # RES 0x08: not on the stick's failed list
        await driver.failed_nodes.remove_failed(SWITCH)

    # On the failed list, but it answers the firmware's check again: callback "node OK".
    demo.stick.set_dead(DIMMER)
    assert await driver.nodes[DIMMER].ping() is False
    assert await driver.failed_nodes.is_failed(DIMMER) is True
    demo.stick.radio.set_dead(DIMMER, False)
    with pytest.raises(NodeNotFailed):
        await driver.failed_nodes.remove_failed(DIMMER)
    assert DIMMER in driver.nodes and DIMMER in demo.stick.nodes

    demo.stick.set_dead(SWITCH)
    assert await driver.nodes[SWITCH].ping() is False
    await driver.failed_nodes.remove_failed(SWITCH)
    assert SWITCH not in driver.nodes and SWITCH not in demo.stick.nodes
    assert NodeRemovedEvent(SWITCH) in events
    assert str(SWITCH) not in driver.cache_data()["nodes"]


class User:
    """The person in front of the replace dialog (grants what is asked, types the PIN)."""

    def __init__(self, pin: str | None) -> None:
        self.pin = pin
        self.dsks: list[str] = []

    async def grant_security_classes(self, request: InclusionGrant) -> InclusionGrant | None:
        return InclusionGrant(request.security_classes)

    async def validate_dsk_and_enter_pin(self, dsk: str) -> str | None:
        self.dsks.append(dsk)
        return self.pin

    def abort(self) -> None:
        pass


async def replace(driver: Driver, demo: DemoStick, node_id: int, device: Any, **kw: Any) -> Any:
    """Start ReplaceFailedNode; press the new device's button once the stick is ready for it."""
    demo.stick.timing.replace_wait = 10.0
    ready = asyncio.Event()
    unsub = driver.subscribe(
        lambda e: ready.set() if isinstance(e, InclusionStateEvent) and e.node_id == node_id else None
    )
    try:
        task = asyncio.create_task(driver.failed_nodes.replace_failed(node_id, **kw))
        await asyncio.wait({task, asyncio.ensure_future(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            demo.stick.add_waiting(device)
            demo.stick.press_button(device)
        return await task
    finally:
        unsub()


async def test_replace_failed_switch_with_a_new_device(driver: Driver, demo: DemoStick) -> None:
    events: list[Any] = []
    driver.subscribe(events.append)
    with pytest.raises(NodeNotFailed):
        await driver.failed_nodes.replace_failed(SWITCH)

    demo.stick.set_dead(SWITCH)
    assert await driver.nodes[SWITCH].ping() is False
    old = driver.nodes[SWITCH]
    device = BinarySwitch(0)
    result = await replace(driver, demo, SWITCH, device, strategy=InclusionStrategy.INSECURE)
    assert result.node_id == SWITCH and result.failure is None
    assert demo.stick.nodes[SWITCH] is device and device.node_id == SWITCH
    assert events.index(NodeRemovedEvent(SWITCH)) < events.index(NodeAddedEvent(SWITCH, None, included=True))
    new = driver.nodes[SWITCH]
    assert new is not old
    await wait_for(lambda: new.ready, timeout=30)
    assert new.status is NodeStatus.ALIVE and new.dead_since is None
    await new.set_value(CC.SWITCH_BINARY, "target_value", True)
    await wait_for(lambda: device.on)


async def test_replace_failed_lock_with_an_s2_access_control_lock(driver: Driver, demo: DemoStick) -> None:
    demo.stick.set_dead(LOCK)
    assert await driver.nodes[LOCK].ping() is False
    device = DoorLock(0, LOCK_INFO, security=(AC,), bolt_time=0.1)
    user = User(pin=device.pin)
    result = await replace(driver, demo, LOCK, device, strategy=InclusionStrategy.S2, callbacks=user)
    assert result.node_id == LOCK and result.failure is None
    assert result.security_class == AC and result.dsk == device.dsk and device.granted == (AC,)
    assert user.dsks == ["xxxxx" + device.dsk[5:]]
    node = driver.nodes[LOCK]
    await wait_for(lambda: node.ready, timeout=30)
    await node.set_value(CC.DOOR_LOCK, "target_mode", 0x00)
    await wait_for(lambda: device.mode == 0x00)


async def test_reinterview_runs_every_stage_again(driver: Driver, demo: DemoStick) -> None:
    stages: list[InterviewStage] = []
    driver.subscribe(
        lambda e: stages.append(e.stage)
        if isinstance(e, NodeInterviewStageEvent) and e.node_id == SWITCH
        else None
    )
    node = driver.nodes[SWITCH]
    assert node.ready
    driver.reinterview_node(SWITCH)
    assert not node.ready and node.command_classes() == {}
    await wait_for(lambda: node.ready, timeout=30)
    assert stages[0] == InterviewStage.NODE_INFO and stages[-1] == InterviewStage.COMPLETE
    assert node.supports(CC.SWITCH_BINARY) and node.manufacturer_id is not None
