"""Adding and removing devices with security, end to end: the driver against the virtual stick
over a real pty (strict: no overlapping radio jobs), the devices running their side of S2 / S0
bootstrapping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import Driver, MemoryCache
from custom_components.zwave_serial.zwave.cc.ids import CommandClass as CC
from custom_components.zwave_serial.zwave.events import InclusionStateEvent, NodeAddedEvent, NodeRemovedEvent
from custom_components.zwave_serial.zwave.network.inclusion_types import (
    BootstrapFailure,
    InclusionBusy,
    InclusionGrant,
    InclusionState,
    InclusionTimeout,
)
from custom_components.zwave_serial.zwave.network.provisioning import ProvisioningEntry, ProvisioningStatus
from custom_components.zwave_serial.zwave.security.keys import SecurityClass
from custom_components.zwave_serial.zwave.security.qr import parse_qr_code
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick, start_demo
from custom_components.zwave_serial.zwave.sim.lock import DoorLock
from custom_components.zwave_serial.zwave.sim.node import NodeInfo, VirtualNode
from custom_components.zwave_serial.zwave.sim.sensors import MultilevelSensor
from custom_components.zwave_serial.zwave.sim.switches import BinarySwitch, MeteringPlug
from custom_components.zwave_serial.zwave.sim.timing import TimingProfile

from .conftest import fast_options, wait_for

AC, AUTH, UNAUTH, S0 = (
    SecurityClass.S2_AccessControl,
    SecurityClass.S2_Authenticated,
    SecurityClass.S2_Unauthenticated,
    SecurityClass.S0_Legacy,
)
LOCK_INFO = NodeInfo(0x40, 0x03, listening=False, flirs=1000, role_type=7, product_type=3, product_id=0x70, name="New lock")


@pytest.fixture
async def stick() -> AsyncIterator[DemoStick]:
    """The demo network without its own waiting devices (each test adds the ones it needs);
    the devices' bootstrapping timers scaled down."""
    timing = TimingProfile(bootstrap_scale=0.2)
    demo = await start_demo("pty", awake_timeout=3.0, bolt_time=0.1, strict=True, waiting=False, timing=timing)
    try:
        yield demo
    finally:
        await demo.stop()
    assert demo.stick.overlap_refusals == 0, demo.stick.refused_jobs


def options(**overrides: Any) -> Any:
    base = {"inclusion_timeout": 5.0, "bootstrap_timeout": 2.0, "bootstrap_user_timeout": 5.0}
    return fast_options(**(base | overrides))


@pytest.fixture
async def driver(stick: DemoStick) -> AsyncIterator[Driver]:
    drv = Driver(stick.port, cache=MemoryCache(), options=options(), keys=DEMO_NETWORK_KEYS)
    await drv.start()
    await drv.wait_for_nodes_ready(timeout=30)
    try:
        yield drv
    finally:
        await drv.stop()


class User:
    """The person in front of the inclusion dialog."""

    def __init__(self, grant: tuple[SecurityClass, ...] | None = None, pin: str | None = None) -> None:
        self.grant, self.pin = grant, pin
        self.requested: list[tuple[SecurityClass, ...]] = []
        self.dsks: list[str] = []

    async def grant_security_classes(self, request: InclusionGrant) -> InclusionGrant | None:
        self.requested.append(request.security_classes)
        return InclusionGrant(request.security_classes if self.grant is None else self.grant)

    async def validate_dsk_and_enter_pin(self, dsk: str) -> str | None:
        self.dsks.append(dsk)
        return self.pin

    def abort(self) -> None:
        pass


async def include(driver: Driver, demo: DemoStick, device: VirtualNode | None, user: Any = None, **kw: Any) -> Any:
    """Start an inclusion, press ``device``'s button once the stick is in add mode."""
    task = asyncio.create_task(driver.inclusion.include(callbacks=user, **kw))
    if device is not None:
        await wait_for(lambda: demo.stick.inclusion_mode == "add" or task.done())
        demo.stick.press_button(device)
    return await task


def lock_device(**kw: Any) -> DoorLock:
    return DoorLock(0, LOCK_INFO, security=(AC,), bolt_time=0.1, **kw)


async def test_s2_access_control_lock_with_pin_then_lock_unlock_and_user_code(driver: Driver, stick: DemoStick) -> None:
    events: list[Any] = []
    driver.subscribe(events.append)
    device = stick.stick.add_waiting(lock_device())
    user = User(pin=device.pin)
    result = await include(driver, stick, device, user)

    assert result.failure is None and not result.removed
    assert result.security_class == AC and result.dsk == device.dsk
    assert user.requested == [(AC,)]
    assert user.dsks == ["xxxxx" + device.dsk[5:]]
    assert device.granted == (AC,)
    node = driver.nodes[result.node_id]
    assert node.security_class == AC and node.dsk == device.dsk
    assert NodeAddedEvent(result.node_id, AC, included=True) in events
    states = [e.state for e in events if isinstance(e, InclusionStateEvent)]
    assert states[:3] == ["including", "bootstrapping", "idle"]
    assert driver.inclusion.state == InclusionState.IDLE

    await wait_for(lambda: driver.nodes[result.node_id].ready, timeout=30)
    assert node.ready and CC.DOOR_LOCK in node.secure_ccs
    # the new lock is operated over S2
    await node.set_value(CC.DOOR_LOCK, "target_mode", 0x00)
    await wait_for(lambda: device.mode == 0x00)
    await wait_for(lambda: node.get_value(CC.DOOR_LOCK, "current_mode") == 0x00)
    await node.set_value(CC.DOOR_LOCK, "target_mode", 0xFF)
    await wait_for(lambda: node.get_value(CC.DOOR_LOCK, "current_mode") == 0xFF)
    await node.set_value(CC.USER_CODE, "user_code", "4321", property_key=2)
    await wait_for(lambda: device.user_codes.get(2) == "4321")

    # a plain-text Door Lock report claiming "unlocked" is ignored
    dropped = driver.statistics()["security_plaintext_dropped"]
    stick.stick.deliver_to_host(result.node_id, bytes((0x62, 0x03, 0x00, 0x00, 0x00, 0xFE, 0xFE)))
    await wait_for(lambda: driver.statistics()["security_plaintext_dropped"] > dropped)
    assert node.get_value(CC.DOOR_LOCK, "current_mode") == 0xFF

    # the granted class survives a restart without probing
    cache = driver._cache
    await driver.stop()
    again = Driver(stick.port, cache=cache, options=options(), keys=DEMO_NETWORK_KEYS)
    await again.start()
    try:
        restored = again.nodes[result.node_id]
        assert restored.security_class == AC and restored.ready and restored.dsk == device.dsk
    finally:
        await again.stop()


async def test_s2_device_granted_fewer_classes(driver: Driver, stick: DemoStick) -> None:
    sensor = MultilevelSensor(0, NodeInfo(0x21, 0x01, product_id=0x35, name="Secure sensor"), security=(UNAUTH, AUTH))
    device = stick.stick.add_waiting(sensor)
    user = User(grant=(UNAUTH,))
    result = await include(driver, stick, device, user)
    assert user.requested == [(AUTH, UNAUTH)]
    assert user.dsks == []  # no PIN for S2 Unauthenticated
    assert result.failure is None and result.security_class == UNAUTH
    assert device.granted == (UNAUTH,)
    await driver.wait_for_nodes_ready(timeout=30)
    assert driver.nodes[result.node_id].security_class == UNAUTH


async def test_s0_lock(driver: Driver, stick: DemoStick) -> None:
    device = stick.stick.add_waiting(DoorLock(0, LOCK_INFO, security=(S0,), bolt_time=0.1))
    user = User()
    result = await include(driver, stick, device, user)
    assert result.failure is None and result.security_class == S0 and result.dsk is None
    assert user.requested == []  # S0 asks the user nothing
    assert device.granted == (S0,)
    await wait_for(lambda: driver.nodes[result.node_id].ready, timeout=30)
    node = driver.nodes[result.node_id]
    assert node.security_class == S0 and CC.DOOR_LOCK in node.secure_ccs
    await node.set_value(CC.DOOR_LOCK, "target_mode", 0x00)
    await wait_for(lambda: device.mode == 0x00)


async def test_plain_switch_then_exclusion(driver: Driver, stick: DemoStick) -> None:
    events: list[Any] = []
    driver.subscribe(events.append)
    device = stick.stick.add_waiting(BinarySwitch(0, NodeInfo(0x10, 0x01, product_id=0x11, name="New switch")))
    result = await include(driver, stick, device, User())
    assert result.failure is None and result.security_class == SecurityClass.NONE
    node_id = result.node_id
    assert node_id not in (2, 3, 4, 5, 6, 7, 8, 9)
    await driver.wait_for_nodes_ready(timeout=30)
    node = driver.nodes[node_id]
    assert node.security_class is None and CC.SWITCH_BINARY in node.command_classes()
    await node.set_value(CC.SWITCH_BINARY, "target_value", True)
    await wait_for(lambda: device.on)

    task = asyncio.create_task(driver.inclusion.exclude())
    await wait_for(lambda: stick.stick.inclusion_mode == "remove")
    stick.stick.press_button(device)
    removed = await task
    assert removed.node_id == node_id
    assert node_id not in driver.nodes and NodeRemovedEvent(node_id) in events
    assert str(node_id) not in driver.cache_data()["nodes"]
    assert device in stick.stick.waiting_nodes

    # a device from another network leaves with node ID 0
    stranger = stick.stick.add_waiting(BinarySwitch(0, NodeInfo(0x10, 0x01, name="Stranger")))
    task = asyncio.create_task(driver.inclusion.exclude())
    await wait_for(lambda: stick.stick.inclusion_mode == "remove")
    stick.stick.press_button(stranger)
    assert (await task).node_id == 0


async def test_wrong_pin_fails_and_the_device_is_not_added(driver: Driver, stick: DemoStick) -> None:
    device = stick.stick.add_waiting(lock_device())
    wrong = f"{(int(device.pin) + 1) % 65536:05d}"
    before = set(driver.nodes)
    result = await include(driver, stick, device, User(pin=wrong))
    assert result.failure == BootstrapFailure.WRONG_PIN
    assert result.removed and result.advice is not None
    assert set(driver.nodes) == before
    await wait_for(lambda: device in stick.stick.waiting_nodes)  # it reset itself
    assert result.node_id not in stick.stick.nodes


async def test_inclusion_timeout_without_a_device(driver: Driver, stick: DemoStick) -> None:
    driver.options.inclusion_timeout = 0.5
    with pytest.raises(InclusionTimeout):
        await driver.inclusion.include(callbacks=User())
    assert driver.inclusion.state == InclusionState.IDLE
    assert stick.stick.inclusion_mode == "idle"
    # the driver still works
    await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
    await wait_for(lambda: stick.stick.node(2).on)


async def test_second_inclusion_is_refused_while_one_runs(driver: Driver, stick: DemoStick) -> None:
    driver.options.inclusion_timeout = 1.0
    first = asyncio.create_task(driver.inclusion.include())
    await wait_for(lambda: stick.stick.inclusion_mode == "add")
    with pytest.raises(InclusionBusy):
        await driver.inclusion.exclude()
    with pytest.raises(InclusionTimeout):
        await first


async def test_smart_start_from_qr_code(driver: Driver, stick: DemoStick) -> None:
    plug = MeteringPlug(0, NodeInfo(0x10, 0x01, product_id=0x36, name="SmartStart plug"), security=(UNAUTH, AUTH), smart_start=True)
    device = stick.stick.add_waiting(plug)
    info = parse_qr_code(device.qr_code)
    assert info.smart_start and info.dsk == device.dsk
    entry = ProvisioningEntry.from_qr(info, name="plug")
    result = await driver.inclusion.include_smart_start(entry, timeout=10)
    assert result.failure is None and result.security_class == AUTH and result.dsk == device.dsk
    assert device.granted == (AUTH, UNAUTH) or set(device.granted) == {AUTH, UNAUTH}
    saved = driver.provisioning.get(device.dsk)
    assert saved is not None and saved.node_id == result.node_id
    await driver.wait_for_nodes_ready(timeout=30)
    assert driver.nodes[result.node_id].security_class == AUTH
    # nothing is waiting any more: the stick left SmartStart listen mode
    await wait_for(lambda: driver.inclusion.state == InclusionState.IDLE and stick.stick.inclusion_mode == "idle")
    cached = driver.cache_data()["provisioning"]
    assert cached[0]["dsk"] == device.dsk and cached[0]["node_id"] == result.node_id


async def test_provisioning_list_persists_and_old_cache_migrates(stick: DemoStick) -> None:
    cache = MemoryCache({"version": 1, "home_id": "c0ffee01", "nodes": {}})
    drv = Driver(stick.port, cache=cache, options=options(), keys=DEMO_NETWORK_KEYS)
    await drv.start()
    try:
        assert len(drv.provisioning) == 0
        entry = drv.provisioning.add(
            ProvisioningEntry("11111-22222-33333-44444-55555-11111-22222-33333", (UNAUTH,), name="later")
        )
        await wait_for(lambda: drv.inclusion.state == InclusionState.SMART_START)
        assert stick.stick.inclusion_mode == "smart_start_listen"
        drv.provisioning.update(entry.dsk, status=ProvisioningStatus.INACTIVE)
        await wait_for(lambda: drv.inclusion.state == InclusionState.IDLE and stick.stick.inclusion_mode == "idle")
    finally:
        await drv.stop()
    assert cache.data is not None and cache.data["version"] == 2
    drv = Driver(stick.port, cache=cache, options=options(), keys=DEMO_NETWORK_KEYS)
    await drv.start()
    try:
        restored = drv.provisioning.get(entry.dsk)
        assert restored is not None and restored.name == "later" and restored.status == ProvisioningStatus.INACTIVE
        assert restored.security_classes == (UNAUTH,)
    finally:
        await drv.stop()
