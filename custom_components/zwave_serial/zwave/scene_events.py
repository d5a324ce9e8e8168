"""Scene events: Central Scene notifications and Scene Activation commands as driver events.

The receive path hands every command to :func:`handle_scene_command`; Central Scene
notifications and Scene Activation Sets become :class:`CentralSceneEvent` /
:class:`SceneActivationEvent` (other commands are ignored).

Central Scene follows the specification as Z-Wave JS applies it:

* a notification repeating the node's previous sequence number is a retransmission: dropped;
* Key Held Down is refreshed by the device (every 200 ms, or every 55 s with slow refresh) until
  the key is released; a refresh comes as an event with ``repeat=True``.  When the refreshes stop
  (no refresh within :data:`HELD_TIMEOUT` / :data:`HELD_TIMEOUT_SLOW`), or another scene's key is
  used, the driver sends the release itself (``sequence_number`` None);
* a Key Released arriving after such a forced release is not sent again, and the node is then
  known to use slow refresh (its ``slow_refresh`` value becomes True).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .cc.central_scene import CentralSceneKey, CentralSceneNotification, CentralSceneValue, key_label
from .cc.ids import CommandClass
from .cc.scene_activation import SceneActivationSet
from .events import DriverEvent
from .values import ValueUpdate

_LOGGER = logging.getLogger(__name__)

#: Seconds without a Key Held Down refresh after which the key counts as released (fast refresh:
#: refreshes every 200 ms; the specification asks to time out after 400 ms).
HELD_TIMEOUT = 0.4
#: The same with slow refresh (refreshes every 55 s; timeout 60 s).
HELD_TIMEOUT_SLOW = 60.0


@dataclass(frozen=True, slots=True)
class CentralSceneEvent(DriverEvent):
    """A scene key of a node was pressed (1x..5x), held or released.

    ``key_attribute``: a :class:`~.cc.central_scene.CentralSceneKey` number (``label`` gives
    ``pressed``, ``pressed_2x``, ``held``, ``released`` ...); ``repeat``: a Key Held Down
    refresh of a key already held; ``sequence_number`` None: a release the driver inferred.
    """

    node_id: int
    endpoint: int
    scene: int
    key_attribute: int
    sequence_number: int | None = None
    slow_refresh: bool = False
    repeat: bool = False

    @property
    def label(self) -> str:
        return key_label(self.key_attribute)


@dataclass(frozen=True, slots=True)
class SceneActivationEvent(DriverEvent):
    """A node activated scene ``scene_id`` (1..255); ``dimming_duration`` in seconds (None:
    the device's configured duration)."""

    node_id: int
    endpoint: int
    scene_id: int
    dimming_duration: float | None = None


@dataclass(slots=True)
class _HeldKey:
    endpoint: int
    scene: int
    timer: asyncio.TimerHandle | None = None


@dataclass(slots=True)
class _SceneState:
    """Per node: the last sequence number, the key held down, whether a release was forced."""

    last_sequence: int | None = None
    held: _HeldKey | None = None
    forced_release: bool = False


# Node objects are recreated when a node is added again: state lives as long as its node.
_STATES: weakref.WeakKeyDictionary[Any, _SceneState] = weakref.WeakKeyDictionary()

Emit = Callable[[DriverEvent], None]


def handle_scene_command(emit: Emit, node: Any, endpoint: int, command: Any) -> None:
    """Turn a received Central Scene Notification or Scene Activation Set into an event."""
    if isinstance(command, CentralSceneNotification):
        _central_scene(emit, node, endpoint, command)
    elif isinstance(command, SceneActivationSet):
        emit(SceneActivationEvent(node.node_id, endpoint, command.scene_id, command.dimming_duration))


def _central_scene(emit: Emit, node: Any, endpoint: int, command: CentralSceneNotification) -> None:
    state = _STATES.setdefault(node, _SceneState())
    if command.sequence_number == state.last_sequence:
        _LOGGER.debug("Node %s: Central Scene sequence %s repeated, dropped", node.node_id, command.sequence_number)
        return
    state.last_sequence = command.sequence_number
    held = state.held
    if held is not None and (held.scene, held.endpoint) != (command.scene, endpoint):
        _force_release(emit, node, state)  # another key was used: the held one is up
        held = None
    repeat = False
    if command.key_attribute == CentralSceneKey.HELD:
        state.forced_release = False
        if held is not None:
            repeat = True
            if held.timer is not None:
                held.timer.cancel()
        else:
            held = state.held = _HeldKey(endpoint, command.scene)
        slow = command.slow_refresh or bool(node.get_value(CommandClass.CENTRAL_SCENE, CentralSceneValue.SLOW_REFRESH))
        timeout = HELD_TIMEOUT_SLOW if slow else HELD_TIMEOUT
        held.timer = asyncio.get_running_loop().call_later(timeout, _force_release, emit, node, state)
    elif command.key_attribute == CentralSceneKey.RELEASED:
        if held is not None:
            _clear_held(state)
        elif state.forced_release:
            # The release we inferred came early: the node refreshes slowly. Not sent twice.
            state.forced_release = False
            node.apply_update(CommandClass.CENTRAL_SCENE, endpoint, ValueUpdate(CentralSceneValue.SLOW_REFRESH, True))
            return
    emit(
        CentralSceneEvent(
            node.node_id,
            endpoint,
            command.scene,
            command.key_attribute,
            command.sequence_number,
            command.slow_refresh,
            repeat,
        )
    )


def _clear_held(state: _SceneState) -> None:
    if state.held is not None and state.held.timer is not None:
        state.held.timer.cancel()
    state.held = None


def _force_release(emit: Emit, node: Any, state: _SceneState) -> None:
    held = state.held
    if held is None:
        return
    _clear_held(state)
    state.forced_release = True
    emit(CentralSceneEvent(node.node_id, held.endpoint, held.scene, int(CentralSceneKey.RELEASED)))


__all__ = ["CentralSceneEvent", "SceneActivationEvent", "handle_scene_command"]
