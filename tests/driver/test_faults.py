"""Faults on the link: corrupted frames, CAN bursts, a hung stick, an unplugged stick.

Every command must either complete or fail with a typed ZWaveError; nothing may hang (each
operation runs under a generous guard timeout that only catches hangs).
"""

from __future__ import annotations

import asyncio
import random

import pytest

from custom_components.zwave_serial.zwave import (
    CommandClass,
    ConnectedEvent,
    ConnectionLostEvent,
    Driver,
    ZWaveError,
)
from custom_components.zwave_serial.zwave.errors import FrameNotAcknowledged
from custom_components.zwave_serial.zwave.serialapi import FunctionType
from custom_components.zwave_serial.zwave.sim.demo import DemoStick
from custom_components.zwave_serial.zwave.sim.faults import FaultConfig

from .conftest import wait_for

CC = CommandClass
HANG_GUARD = 60.0


async def _operation(driver: Driver, rng: random.Random) -> str:
    """One random user operation; returns "ok" or the typed error's class name."""
    choice = rng.randrange(4)
    try:
        async with asyncio.timeout(HANG_GUARD):
            if choice == 0:
                await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", rng.random() < 0.5)
            elif choice == 1:
                await driver.nodes[3].set_value(CC.SWITCH_MULTILEVEL, "target_value", rng.randrange(100))
            elif choice == 2:
                await driver.nodes[4].refresh_values(CC.SENSOR_MULTILEVEL)
            else:
                await driver.nodes[6].refresh_values(CC.METER)
    except ZWaveError as err:
        return type(err).__name__
    return "ok"


async def test_corrupted_frames_and_can_bursts(driver: Driver, demo: DemoStick) -> None:
    demo.stick.faults = FaultConfig(corrupt_rate=0.05, can_rate=0.02, seed=7)
    demo.stick.injector.force("can", 3)  # a burst of collisions
    rng = random.Random(3)
    outcomes = [await _operation(driver, rng) for _ in range(60)]
    counters = demo.stick.fault_counters.as_dict()
    assert counters["corrupted"] > 0 and counters["cans"] >= 3
    stats = driver.statistics()
    assert stats["naks_sent"] >= 1 and stats["cans_received"] >= 3
    # Link faults are absorbed by retransmission: the vast majority of operations complete.
    assert outcomes.count("ok") >= 50, outcomes

    # With the faults off, the driver's view converges on the devices' real state.
    demo.stick.faults = FaultConfig()
    await driver.nodes[2].refresh_values(CC.SWITCH_BINARY)
    await driver.nodes[3].refresh_values(CC.SWITCH_MULTILEVEL)
    assert driver.nodes[2].get_value(CC.SWITCH_BINARY, "current_value") == demo.stick.node(2).on
    await wait_for(lambda: driver.nodes[3].get_value(CC.SWITCH_MULTILEVEL, "current_value") == demo.stick.node(3).level)


async def _switch_on_when_back(driver: Driver, demo: DemoStick) -> None:
    """Retry switching node 2 on until it works (only a hang would hit the guard)."""
    async with asyncio.timeout(HANG_GUARD):
        while True:
            try:
                await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
                break
            except ZWaveError:
                await asyncio.sleep(0.2)
    assert demo.stick.node(2).on is True


async def test_hung_stick_fails_typed_then_recovers(driver: Driver, demo: DemoStick) -> None:
    demo.stick.hang(2.5)
    outcome = await _operation(driver, random.Random(1))
    assert outcome in ("ok", "FrameNotAcknowledged", "ResponseTimeout", "CallbackTimeout", "NodeTimeout")
    # After the hang the stick answers again; commands complete.
    await _switch_on_when_back(driver, demo)


async def test_wedged_stick_is_recovered_by_a_soft_reset(driver: Driver, demo: DemoStick) -> None:
    """A stick that stays hung until it is reset: the first command fails typed after its
    three unanswered attempts, the driver probes it (one attempt: nothing was heard since),
    soft-resets it and runs start-up again; commands then work without replugging."""
    resets = demo.stick.soft_resets
    demo.stick.hang(0.2, until_reset=True)
    with pytest.raises(FrameNotAcknowledged):
        await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
    assert driver._link is not None and driver._link.unresponsive
    await wait_for(lambda: demo.stick.soft_resets == resets + 1, timeout=HANG_GUARD)
    await _switch_on_when_back(driver, demo)
    assert driver.connected and not driver._link.unresponsive
    assert demo.stick.soft_resets == resets + 1  # one reset was enough


async def test_unplug_fails_in_flight_and_reconnects(driver: Driver, demo: DemoStick) -> None:
    events: list[object] = []
    driver.subscribe(events.append)
    await demo.stick.unplug()
    await wait_for(lambda: any(isinstance(e, ConnectionLostEvent) for e in events))
    assert not driver.connected
    outcome = await _operation(driver, random.Random(2))
    assert outcome in ("DriverNotReady", "ConnectionLost")

    await demo.stick.replug()
    await wait_for(lambda: any(isinstance(e, ConnectedEvent) for e in events), timeout=30)
    assert driver.connected
    await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
    assert demo.stick.node(2).on is True

    # A second cycle works the same way.
    events.clear()
    await demo.stick.unplug()
    await wait_for(lambda: any(isinstance(e, ConnectionLostEvent) for e in events))
    await demo.stick.replug()
    await wait_for(lambda: any(isinstance(e, ConnectedEvent) for e in events), timeout=30)
    await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", False)
    assert demo.stick.node(2).on is False
    assert driver.statistics()["frames_sent"] > 0


async def test_any_unacknowledged_request_starts_the_recovery(driver: Driver, demo: DemoStick) -> None:
    """Not only node commands: a controller request that the wedged stick never ACKs (here
    GetControllerVersion, as heal or start-up send) also leads to the soft reset."""
    resets = demo.stick.soft_resets
    demo.stick.hang(0.2, until_reset=True)
    assert driver.api is not None
    with pytest.raises(FrameNotAcknowledged):
        await driver.api.call(FunctionType.GET_CONTROLLER_VERSION)
    await wait_for(lambda: demo.stick.soft_resets == resets + 1, timeout=HANG_GUARD)
    await _switch_on_when_back(driver, demo)
