"""The real driver against the virtual stick over a real pty: start-up, interview, commands, reports."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.zwave_serial.zwave import (
    CCEncodeError,
    CommandClass,
    Driver,
    DriverReadyEvent,
    NodeNoAck,
    NodeStatus,
    NodeStatusEvent,
    NotAZWaveStick,
    NotificationEvent,
    PortNotFound,
    StickRestarted,
    SupervisionStatusEvent,
    ValueUpdatedEvent,
)
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

from .conftest import fast_options, wait_for

CC = CommandClass


async def test_startup_reads_controller_identity(driver: Driver, demo: DemoStick) -> None:
    ctrl = driver.controller
    assert ctrl.home_id == 0xC0FFEE01
    assert ctrl.own_node_id == 1
    assert ctrl.library_version.startswith("Z-Wave")
    assert ctrl.is_primary
    assert ctrl.suc_node_id == 1  # became SUC: the demo network had none
    assert sorted(driver.nodes) == [1, *sorted(demo.stick.nodes)]
    assert driver.connected and driver.ready


async def test_interview_discovers_devices(driver: Driver) -> None:
    switch = driver.nodes[2]
    assert switch.ready and switch.status is NodeStatus.ALIVE
    assert switch.supports(CC.SWITCH_BINARY)
    assert switch.cc_version(CC.SWITCH_BINARY) == 2
    assert switch.manufacturer_id is not None and switch.firmware_version
    assert switch.get_value(CC.SWITCH_BINARY, "current_value") is False

    sensor = driver.nodes[4]
    stored = sensor.get_stored(next(v for v in sensor.values() if v.property == "air_temperature"))
    assert stored is not None and stored.unit == "°C"
    assert sensor.get_value(CC.SENSOR_MULTILEVEL, "humidity") is not None

    plug = driver.nodes[6]
    assert plug.get_value(CC.METER, "value", "electric_kwh") == pytest.approx(12.34)

    lock = driver.nodes[7]
    assert lock.get_value(CC.DOOR_LOCK, "current_mode") == 0xFF
    assert lock.is_frequent_listening

    double = driver.nodes[8]
    assert double.endpoints == [0, 1, 2]
    assert double.supports(CC.SWITCH_BINARY, endpoint=2)
    assert double.get_value(CC.SWITCH_BINARY, "current_value", endpoint=2) is False

    # Lifeline: every listening device reports to the controller.
    assert switch.get_value(CC.ASSOCIATION, "nodes", 1) == [1]


async def test_switch_dimmer_and_multichannel_commands_reach_devices(driver: Driver, demo: DemoStick) -> None:
    result = await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
    assert result.status in ("success", "sent")
    assert demo.stick.node(2).on is True
    await wait_for(lambda: driver.nodes[2].get_value(CC.SWITCH_BINARY, "current_value") is True)

    await driver.nodes[3].set_value(CC.SWITCH_MULTILEVEL, "target_value", 40)
    await wait_for(lambda: demo.stick.node(3).level == 40)
    await wait_for(lambda: driver.nodes[3].get_value(CC.SWITCH_MULTILEVEL, "current_value") == 40)

    await driver.nodes[8].set_value(CC.SWITCH_BINARY, "target_value", True, endpoint=2)
    assert demo.stick.node(8).endpoint_on(2) is True
    assert demo.stick.node(8).endpoint_on(1) is False

    with pytest.raises(CCEncodeError):
        await driver.nodes[3].set_value(CC.SWITCH_MULTILEVEL, "target_value", 150)


async def test_lock_unlock_is_supervised(driver: Driver, demo: DemoStick) -> None:
    events: list[SupervisionStatusEvent] = []
    driver.subscribe(lambda e: events.append(e) if isinstance(e, SupervisionStatusEvent) else None)
    lock = driver.nodes[7]
    result = await lock.set_value(CC.DOOR_LOCK, "target_mode", 0x00)
    assert result.status in ("working", "success")
    await wait_for(lambda: demo.stick.node(7).mode == 0x00)
    await wait_for(lambda: lock.get_value(CC.DOOR_LOCK, "current_mode") == 0x00)
    if result.status == "working":
        await wait_for(lambda: any(e.status == "success" for e in events))


async def test_device_reports_update_values_and_fire_events(driver: Driver, demo: DemoStick) -> None:
    seen: list[object] = []
    driver.subscribe(seen.append)

    demo.stick.node(2).press()
    await wait_for(lambda: driver.nodes[2].get_value(CC.SWITCH_BINARY, "current_value") is True)
    assert any(isinstance(e, ValueUpdatedEvent) and e.value_id.node_id == 2 for e in seen)

    demo.stick.node(4).set_temperature(23.5)
    await wait_for(lambda: driver.nodes[4].get_value(CC.SENSOR_MULTILEVEL, "air_temperature") == 23.5)

    # A keypad unlock: the lock sends a supervised Notification carrying the user slot (never the code).
    await driver.nodes[7].set_value(CC.USER_CODE, "user_code", "1234", property_key=3)
    await wait_for(lambda: demo.stick.node(7).user_codes.get(3) == "1234")
    demo.stick.node(7).keypad_unlock(3)
    await wait_for(lambda: any(isinstance(e, NotificationEvent) and e.event == 6 for e in seen))
    note = next(e for e in seen if isinstance(e, NotificationEvent) and e.event == 6)
    assert note.node_id == 7 and note.notification_type == 6
    assert note.parameters.get("user_id") == 3
    assert "1234" not in repr(note)
    await wait_for(lambda: driver.nodes[7].get_value(CC.DOOR_LOCK, "current_mode") == 0x00)


async def test_hub_answers_time_requests(driver: Driver, demo: DemoStick) -> None:
    lock = demo.stick.node(7)
    lock.request_time()
    await wait_for(lambda: lock.time is not None)


async def test_battery_device_wakes_up_and_completes_interview(driver: Driver, demo: DemoStick) -> None:
    motion = driver.nodes[5]
    assert motion.status is NodeStatus.ASLEEP and not motion.ready
    queued = await motion.set_value(CC.WAKE_UP, "wake_up_interval", 1200)
    assert queued.status == "queued"

    demo.stick.node(5).wake_up()
    await wait_for(lambda: motion.ready, timeout=30)
    assert motion.get_value(CC.BATTERY, "level") is not None
    await wait_for(lambda: demo.stick.node(5).wake_up_interval == 1200, timeout=30)
    assert demo.stick.node(5).wake_up_node == 1
    await wait_for(lambda: motion.status is NodeStatus.ASLEEP)

    demo.stick.node(5).trigger()
    await wait_for(
        lambda: motion.get_value(CC.NOTIFICATION, "home_security", "motion_sensor_status") == 8
        or motion.get_value(CC.SENSOR_BINARY, "state", "motion") is True
    )


async def test_dead_node_fails_with_typed_error_and_recovers(driver: Driver, demo: DemoStick) -> None:
    statuses: list[NodeStatusEvent] = []
    driver.subscribe(lambda e: statuses.append(e) if isinstance(e, NodeStatusEvent) else None)
    demo.stick.set_dead(2, True)
    with pytest.raises(NodeNoAck):
        await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
    assert driver.nodes[2].status is NodeStatus.DEAD
    assert any(e.node_id == 2 and e.status is NodeStatus.DEAD for e in statuses)
    assert await driver.nodes[2].ping() is False

    demo.stick.set_dead(2, False)
    assert await driver.nodes[2].ping() is True
    assert driver.nodes[2].status is NodeStatus.ALIVE


async def test_restart_from_cache_skips_interview(demo: DemoStick, cache) -> None:
    first = Driver(demo.port, cache=cache, options=fast_options())
    await first.start()
    await first.wait_for_nodes_ready(timeout=30)
    cold_frames = first.statistics()["frames_sent"]
    await first.stop()
    assert cache.data is not None and "2" in cache.data["nodes"]

    stages: list[object] = []
    second = Driver(demo.port, cache=cache, options=fast_options())
    second.subscribe(lambda e: stages.append(e) if type(e).__name__ == "NodeInterviewStageEvent" else None)
    await second.start()
    try:
        await second.wait_for_nodes_ready(timeout=30)
        assert stages == []
        assert second.nodes[2].ready and second.nodes[4].get_value(CC.SENSOR_MULTILEVEL, "humidity") is not None
        warm_frames = second.statistics()["frames_sent"]
        assert warm_frames < cold_frames / 4
    finally:
        await second.stop()


async def test_cache_of_another_network_is_ignored(demo: DemoStick) -> None:
    from custom_components.zwave_serial.zwave import MemoryCache

    foreign = MemoryCache({"version": 1, "home_id": "deadbeef", "nodes": {"2": {"interview_stage": "complete"}}})
    drv = Driver(demo.port, cache=foreign, options=fast_options())
    await drv.start()
    try:
        await drv.wait_for_nodes_ready(timeout=30)
        assert drv.nodes[2].manufacturer_id is not None
    finally:
        await drv.stop()


async def test_missing_port_raises_port_not_found(tmp_path) -> None:
    drv = Driver(str(tmp_path / "nope"), options=fast_options())
    with pytest.raises(PortNotFound):
        await drv.start()


async def test_silent_port_is_not_a_zwave_stick() -> None:
    import os
    import pty

    master, slave = pty.openpty()
    try:
        drv = Driver(os.ttyname(slave), options=fast_options(ack_timeout=0.2, response_timeout=0.5))
        with pytest.raises(NotAZWaveStick):
            await drv.start()
    finally:
        os.close(master)
        os.close(slave)


async def test_ready_event_emitted(demo: DemoStick) -> None:
    drv = Driver(demo.port, options=fast_options())
    events: list[object] = []
    drv.subscribe(events.append)
    await drv.start()
    try:
        assert any(isinstance(e, DriverReadyEvent) for e in events)
    finally:
        await drv.stop()


async def test_heal_network_updates_routes(driver: Driver, demo: DemoStick) -> None:
    results = await driver.heal_network()
    assert results[2] == "done" and results[7] == "done" and results[8] == "done"
    assert results[5] == "queued"  # the sleeping sensor heals when it wakes up
    routes = demo.stick.api.return_routes
    assert 1 in routes[2] and 1 in routes[7]
    demo.stick.set_dead(3, True)
    assert await driver.heal_node(3) == "failed"
    demo.stick.set_dead(3, False)
    demo.stick.node(5).wake_up()
    await wait_for(lambda: 1 in demo.stick.api.return_routes.get(5, set()), timeout=30)


async def test_node_dead_at_startup_is_interviewed_when_it_comes_back(demo: DemoStick) -> None:
    demo.stick.set_dead(3, True)
    drv = Driver(demo.port, options=fast_options())
    await drv.start()
    try:
        await wait_for(lambda: drv.nodes[3].status is NodeStatus.DEAD, timeout=30)
        assert not drv.nodes[3].ready
        demo.stick.set_dead(3, False)
        assert await drv.nodes[3].ping() is True
        await wait_for(lambda: drv.nodes[3].ready, timeout=30)
        assert drv.nodes[3].supports(CC.SWITCH_MULTILEVEL)
    finally:
        await drv.stop()


async def test_statistics_count_each_timeout_once(driver: Driver, demo: DemoStick) -> None:
    before = driver.statistics()
    assert driver.api is not None
    driver.api._count("response_timeouts")  # what the engine does on a response timeout
    assert driver.statistics()["response_timeouts"] == before["response_timeouts"] + 1
    # Counters survive a lost port: the old link's totals are kept.
    await demo.stick.unplug()
    await wait_for(lambda: not driver.connected)
    assert driver.statistics()["response_timeouts"] == before["response_timeouts"] + 1
    assert driver.statistics()["frames_sent"] >= before["frames_sent"]
    await demo.stick.replug()
    await wait_for(lambda: driver.connected, timeout=30)


async def test_cache_keeps_only_nodes_in_the_network(demo: DemoStick) -> None:
    from custom_components.zwave_serial.zwave import MemoryCache

    stale = {"interview_stage": "complete", "protocol": {"basic": 4, "generic": 16, "specific": 1}}
    cache = MemoryCache({"version": 1, "home_id": "c0ffee01", "nodes": {"42": stale}})
    drv = Driver(demo.port, cache=cache, options=fast_options())
    await drv.start()
    try:
        assert 42 not in drv.nodes
        assert "42" not in drv.cache_data()["nodes"] and "2" in drv.cache_data()["nodes"]
    finally:
        await drv.stop()
    assert cache.data is not None and "42" not in cache.data["nodes"]


async def test_wake_up_during_no_more_information_is_served(driver: Driver, demo: DemoStick) -> None:
    """A Wake Up Notification that arrives while the driver sends the device back to sleep is
    served again (the queue, then No More Information again) and both sides end asleep."""
    motion, device = driver.nodes[5], demo.stick.node(5)
    device.wake_up()  # first wake-up: the interview runs, then No More Information
    await wait_for(lambda: motion.ready and not device.awake, timeout=30)
    await wait_for(lambda: motion.status is NodeStatus.ASLEEP)

    no_more_information = 0
    api = demo.stick.api
    send_data = api.handlers[0x13]

    def send_data_hook(payload: bytes) -> None:
        nonlocal no_more_information
        if payload[0] == 5 and payload[2:4] == bytes((0x84, 0x08)):
            no_more_information += 1
            if no_more_information == 1:
                # Woken again by its button as No More Information goes on the air: its Wake Up
                # Notification reaches the driver while the driver still sends it to sleep.
                device.wake_up()
        send_data(payload)

    api.handlers[0x13] = send_data_hook
    queued = await motion.set_value(CC.WAKE_UP, "wake_up_interval", 1800)
    assert queued.status == "queued"
    device.wake_up()
    await wait_for(lambda: no_more_information == 2, timeout=15)
    assert device.wake_up_interval == 1800
    await wait_for(lambda: motion.status is NodeStatus.ASLEEP and not device.awake)


async def test_stick_restart_fails_the_command_in_flight_at_once(driver: Driver, demo: DemoStick) -> None:
    """A stick that restarts (SerialAPIStarted) forgot the transmission in flight: the command
    fails with StickRestarted right away (not after the callback timeout), start-up runs again
    and the next command works."""
    demo.stick.radio.config.noack_delay = 30.0  # the transmission to a dead node takes "forever"
    demo.stick.set_dead(2, True)
    pending = asyncio.create_task(driver.nodes[2].ping())
    await asyncio.sleep(0.3)
    assert not pending.done()
    demo.stick.soft_reset()  # as if the stick rebooted by itself
    with pytest.raises(StickRestarted):  # (not CallbackTimeout after the callback timeout)
        await pending
    demo.stick.set_dead(2, False)
    assert await driver.nodes[2].ping()


async def test_probe_reads_the_stick_and_changes_nothing(demo: DemoStick) -> None:
    """The config flow's probe: identity and node list, no SUC change, no node info set, no interview."""
    seen: list[int] = []
    driver = Driver(demo.port, options=fast_options())
    driver.frame_observer = lambda direction, frame: seen.append(frame.function) if direction == "out" else None
    controller = await driver.probe()
    assert controller.home_id == demo.stick.home_id
    assert not driver.connected and not driver.ready
    writes = {0x54, 0x03, 0x0B, 0x60, 0x13, 0x08}  # SetSUCNodeId, SetApplNodeInfo, Setup, RNI, SendData, reset
    assert {0x02, 0x20} <= set(seen) and not writes & set(seen), seen


async def test_interleaved_radio_jobs_from_many_tasks_never_overlap(driver: Driver, demo: DemoStick) -> None:
    """50 RequestNodeInfo / SendData from 10 concurrent tasks: the strict stick (which refuses an
    overlapping radio job, as Z-Wave JS's mock does) refuses none, and every one completes."""
    import asyncio

    from custom_components.zwave_serial.zwave.cc.switch_binary import SwitchBinaryGet

    assert demo.stick.strict

    sent_before = demo.stick.jobs.completed

    async def worker(i: int) -> None:
        for j in range(5):
            if (i + j) % 2:
                await driver.messenger.request_node_info(driver.nodes[3])
            else:
                await driver.nodes[2].get(SwitchBinaryGet())

    await asyncio.gather(*(worker(i) for i in range(10)))
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs
    assert demo.stick.jobs.completed - sent_before >= 50  # every job reached the stick's radio
