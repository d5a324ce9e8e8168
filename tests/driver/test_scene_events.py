"""Scene events: Central Scene notifications and Scene Activation as driver events.

The rules (``zwave/scene_events.py``) with a stand-in node, then the demo's scene controller,
shade, bulb and siren through the real driver on the virtual stick.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from custom_components.zwave_serial.zwave import (
    CentralSceneEvent,
    CommandClass,
    Driver,
    DriverEvent,
    SceneActivationEvent,
    scene_events,
)
from custom_components.zwave_serial.zwave.cc.central_scene import CentralSceneNotification
from custom_components.zwave_serial.zwave.cc.scene_activation import SceneActivationSet
from custom_components.zwave_serial.zwave.scene_events import handle_scene_command
from custom_components.zwave_serial.zwave.sim.demo import DemoStick
from custom_components.zwave_serial.zwave.values import ValueUpdate

from .conftest import wait_for

PRESSED, RELEASED, HELD, PRESSED_2X = 0, 1, 2, 3


class StandInNode:
    """What the scene rules use of a node: its id and its values."""

    def __init__(self, node_id: int = 20) -> None:
        self.node_id = node_id
        self.values: dict[tuple[int, int, str], Any] = {}

    def get_value(self, cc: int, prop: str, key: Any = None, endpoint: int = 0) -> Any:
        return self.values.get((cc, endpoint, prop))

    def apply_update(self, cc: int, endpoint: int, update: ValueUpdate, *, emit: bool = True) -> None:
        self.values[(cc, endpoint, update.property)] = update.value


class Events(list[DriverEvent]):
    """Collects emitted events; ``wait(n)`` waits until there are ``n``."""

    async def wait(self, count: int) -> None:
        await wait_for(lambda: len(self) >= count, what=f"{count} events")


def _note(seq: int, key: int, scene: int = 1, slow: bool = False) -> CentralSceneNotification:
    return CentralSceneNotification(seq, key, scene, slow)


def _summary(events: list[DriverEvent]) -> list[tuple[int, str, bool]]:
    return [(e.scene, e.label, e.repeat) for e in events if isinstance(e, CentralSceneEvent)]


async def test_duplicate_sequence_numbers_are_dropped() -> None:
    node, events = StandInNode(), Events()
    for command in (_note(5, PRESSED), _note(5, PRESSED), _note(6, PRESSED_2X), _note(6, PRESSED_2X), _note(5, PRESSED)):
        handle_scene_command(events.append, node, 0, command)
    assert _summary(events) == [(1, "pressed", False), (1, "pressed_2x", False), (1, "pressed", False)]
    first = events[0]
    assert isinstance(first, CentralSceneEvent) and first.sequence_number == 5 and first.node_id == 20


async def test_held_refreshes_then_release() -> None:
    node, events = StandInNode(), Events()
    for seq, key in ((1, HELD), (2, HELD), (3, HELD), (4, RELEASED)):
        handle_scene_command(events.append, node, 0, _note(seq, key, scene=2))
    assert _summary(events) == [(2, "held", False), (2, "held", True), (2, "held", True), (2, "released", False)]


async def test_release_inferred_when_refreshes_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    """No refresh within the timeout: the driver releases the key; the node's own late Key
    Released is then not sent again, and the node is known to refresh slowly."""
    monkeypatch.setattr(scene_events, "HELD_TIMEOUT", 0.01)
    node, events = StandInNode(), Events()
    handle_scene_command(events.append, node, 0, _note(1, HELD, scene=3))
    await events.wait(2)
    released = events[1]
    assert isinstance(released, CentralSceneEvent)
    assert (released.scene, released.label, released.sequence_number) == (3, "released", None)
    handle_scene_command(events.append, node, 0, _note(2, RELEASED, scene=3))
    assert len(events) == 2
    assert node.values[(CommandClass.CENTRAL_SCENE, 0, "slow_refresh")] is True


async def test_slow_refresh_uses_the_long_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scene_events, "HELD_TIMEOUT", 0.01)
    monkeypatch.setattr(scene_events, "HELD_TIMEOUT_SLOW", 3600.0)
    node, events = StandInNode(), Events()
    handle_scene_command(events.append, node, 0, _note(1, HELD, scene=1, slow=True))
    handle_scene_command(events.append, node, 0, _note(2, PRESSED, scene=4))  # another key: release first
    assert _summary(events) == [(1, "held", False), (1, "released", False), (4, "pressed", False)]
    handle_scene_command(events.append, node, 0, _note(3, HELD, scene=2, slow=True))
    held = scene_events._STATES[node].held
    assert held is not None and held.timer is not None
    assert held.timer.when() - asyncio.get_running_loop().time() > 1000  # the slow timeout applies
    handle_scene_command(events.append, node, 0, _note(4, RELEASED, scene=2))
    assert held.timer.cancelled() and scene_events._STATES[node].held is None
    assert _summary(events)[3:] == [(2, "held", False), (2, "released", False)]


async def test_scene_activation_and_other_commands() -> None:
    node, events = StandInNode(), Events()
    handle_scene_command(events.append, node, 1, SceneActivationSet(9, 2.0))
    handle_scene_command(events.append, node, 0, object())  # anything else: no event
    assert events == [SceneActivationEvent(20, 1, 9, 2.0)]


async def test_demo_scene_devices(driver: Driver, demo: DemoStick) -> None:
    """The demo's nodes 20-24 through the driver: scenes become events, the shade moves to a
    position, the bulb takes a colour, the siren plays a tone."""
    events: list[DriverEvent] = []
    driver.subscribe(lambda e: events.append(e) if isinstance(e, CentralSceneEvent | SceneActivationEvent) else None)
    remote = demo.stick.node(20)
    assert driver.nodes[20].get_value(CommandClass.CENTRAL_SCENE, "supported_key_attributes", 4) == list(range(7))
    assert driver.nodes[20].get_value(CommandClass.CENTRAL_SCENE, "slow_refresh") is True  # enabled at the interview
    assert remote.slow_refresh is True
    assert CommandClass.SCENE_ACTIVATION in driver.nodes[20].controlled_ccs
    remote.press(2, "pressed_3x")
    remote.activate_scene(4)
    await wait_for(lambda: len(events) == 2)
    assert events == [CentralSceneEvent(20, 0, 2, 4, remote.sequence, False, False), SceneActivationEvent(20, 0, 4, None)]

    shade = demo.stick.node(21)
    shade.travel_time = 0.2
    await driver.nodes[21].set_value(CommandClass.SWITCH_MULTILEVEL, "target_value", 40)
    await wait_for(lambda: driver.nodes[21].get_value(CommandClass.SWITCH_MULTILEVEL, "current_value") == 40)
    assert shade.position == 40 and not shade.moving

    await driver.nodes[23].set_value(CommandClass.SWITCH_COLOR, "target_color", {"red": 10, "green": 20, "blue": 30})
    assert demo.stick.node(23).rgb == (10, 20, 30)
    await wait_for(lambda: driver.nodes[23].get_value(CommandClass.SWITCH_COLOR, "current_color", "blue") == 30)

    await driver.nodes[24].set_value(CommandClass.SOUND_SWITCH, "tone_id", 2, options={"volume": 30})
    assert demo.stick.node(24).played == [(2, 30)]
    await wait_for(lambda: driver.nodes[24].get_value(CommandClass.SOUND_SWITCH, "tone_id") == 2)
