"""Dead-node detection and revival.

* A **listening** node is dead after :data:`~..messaging.messenger.DEAD_AFTER_FAILURES` (3)
  transmissions to it failed in a row (one command's attempts, or several commands'; the
  messenger counts them in ``Node.failed_transmits``, any frame from the node resets the count).
* A **battery** device is dead when it missed two wake-ups: one timer per sleeping node,
  re-armed whenever it is heard from (a Wake Up Notification, a report, a status change),
  expiring after ``MISSED_WAKE_UPS`` x its Wake Up interval + ``DriverOptions.wake_up_grace``.
  A device whose interval is unknown or 0 (it never wakes up by itself) gets no timer.
* A dead listening node is **pinged with back-off** (No Operation, background priority): after
  ``dead_ping_min_interval`` (1 min), then 2, 4, 8 … minutes, capped at ``dead_ping_max_interval``
  (1 h).  The first acknowledged ping makes it alive again; so does any frame from it.
* ``Node.dead_since`` (set and cleared by :meth:`Node.set_status`) is kept in the network cache:
  after a restart a node that was dead at shutdown is dead again until it is heard from, and a
  listening one is pinged at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from ..cc import CommandClass
from ..errors import ZWaveError
from ..events import (
    DriverReadyEvent,
    NodeAddedEvent,
    NodeRemovedEvent,
    NodeStatus,
    NodeStatusEvent,
    NodeWakeUpEvent,
    ValueUpdatedEvent,
)
from ..node import Node
from ..serialapi.engine import Priority

_LOGGER = logging.getLogger(__name__)

#: Wake-ups a battery device may miss before it is marked dead.
MISSED_WAKE_UPS = 2


class LivenessHost(Protocol):
    """What dead-node detection needs from the driver."""

    options: Any  # DriverOptions: dead_ping_min_interval, dead_ping_max_interval, wake_up_grace
    messenger: Any  # NodeMessenger (ping)
    connected: bool

    @property
    def nodes(self) -> dict[int, Node]: ...

    @property
    def own_node_id(self) -> int: ...

    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...

    def create_task(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]: ...


def ping_delays(minimum: float, maximum: float) -> Callable[[], float]:
    """The back-off of the pings of a dead node: minimum, 2x, 4x … capped at maximum."""
    state = {"next": max(minimum, 0.0)}

    def next_delay() -> float:
        delay = state["next"]
        state["next"] = min(max(delay * 2, minimum), maximum)
        return min(delay, maximum)

    return next_delay


class NodeLiveness:
    """``driver.liveness``: wake-up timers of battery devices and back-off pings of dead nodes."""

    def __init__(self, host: LivenessHost) -> None:
        self._host = host
        self._pingers: dict[int, asyncio.Task[None]] = {}
        self._wake_timers: dict[int, asyncio.TimerHandle] = {}
        self._stopped = False
        self._unsubscribe = host.subscribe(self._on_event)

    def stop(self) -> None:
        """The driver stops: no more timers (its tasks are cancelled by the driver)."""
        self._stopped = True
        for handle in self._wake_timers.values():
            handle.cancel()
        self._wake_timers.clear()
        for task in self._pingers.values():
            task.cancel()
        self._pingers.clear()

    def wake_up_deadline(self, node: Node) -> float | None:
        """Seconds after the last sign of life when a battery device counts as dead (None: never)."""
        interval = node.get_value(CommandClass.WAKE_UP, "wake_up_interval")
        if not isinstance(interval, (int, float)) or interval <= 0:
            return None
        return MISSED_WAKE_UPS * float(interval) + float(self._host.options.wake_up_grace)

    # --- events -------------------------------------------------------------------------

    def _on_event(self, event: Any) -> None:
        if isinstance(event, DriverReadyEvent):
            self._stopped = False
            self._on_ready()
            return
        if self._stopped:
            return
        node_id = getattr(event, "node_id", None)
        if isinstance(event, ValueUpdatedEvent):
            node_id = event.value_id.node_id
        if node_id is None:
            return
        if isinstance(event, NodeRemovedEvent):
            self._forget(node_id)
            return
        node = self._host.nodes.get(node_id)
        if node is None or node.node_id == self._host.own_node_id:
            return
        if isinstance(event, NodeStatusEvent):
            self._on_status(node, event.status)
        elif isinstance(event, NodeWakeUpEvent | NodeAddedEvent):
            self._arm_wake_timer(node)
        elif (
            isinstance(event, ValueUpdatedEvent)
            and node.is_sleeping_device
            and node.status is not NodeStatus.DEAD
        ):
            self._arm_wake_timer(node)  # heard from (or its interval changed)

    def _on_ready(self) -> None:
        for node in list(self._host.nodes.values()):
            if node.node_id == self._host.own_node_id:
                continue
            if node.dead_since is not None and node.status is not NodeStatus.ALIVE:
                _LOGGER.info("Node %s was dead at shutdown: dead until it is heard from", node.node_id)
                if not node.is_sleeping_device:
                    self._start_pinger(node, 0.0)  # a listening node: ask it at once
                node.set_status(NodeStatus.DEAD)
            elif node.is_sleeping_device:
                self._arm_wake_timer(node)

    def _on_status(self, node: Node, status: NodeStatus) -> None:
        if status is NodeStatus.DEAD:
            self._cancel_wake_timer(node.node_id)
            if not node.is_sleeping_device:
                self._start_pinger(node, None)
            return
        self._stop_pinger(node.node_id)
        if node.is_sleeping_device and status in (NodeStatus.ALIVE, NodeStatus.ASLEEP):
            self._arm_wake_timer(node)

    def _forget(self, node_id: int) -> None:
        self._cancel_wake_timer(node_id)
        self._stop_pinger(node_id)

    # --- battery devices --------------------------------------------------------------------

    def _arm_wake_timer(self, node: Node) -> None:
        self._cancel_wake_timer(node.node_id)
        if not node.is_sleeping_device or self._stopped:
            return
        deadline = self.wake_up_deadline(node)
        if deadline is None:
            return
        loop = asyncio.get_running_loop()
        self._wake_timers[node.node_id] = loop.call_later(deadline, self._missed_wake_ups, node.node_id)

    def _cancel_wake_timer(self, node_id: int) -> None:
        handle = self._wake_timers.pop(node_id, None)
        if handle is not None:
            handle.cancel()

    def _missed_wake_ups(self, node_id: int) -> None:
        self._wake_timers.pop(node_id, None)
        node = self._host.nodes.get(node_id)
        if node is None or not node.is_sleeping_device or not self._host.connected:
            return
        if node.status is NodeStatus.ALIVE:  # awake right now: count from here
            self._arm_wake_timer(node)
            return
        if node.status is not NodeStatus.DEAD:
            _LOGGER.info("Node %s missed %d wake-ups: marked dead", node_id, MISSED_WAKE_UPS)
            node.set_status(NodeStatus.DEAD)

    # --- listening nodes ---------------------------------------------------------------------

    def _start_pinger(self, node: Node, first_delay: float | None) -> None:
        task = self._pingers.get(node.node_id)
        if task is not None and not task.done():
            return
        self._pingers[node.node_id] = self._host.create_task(
            self._ping_dead_node(node, first_delay), f"ping dead node {node.node_id}"
        )

    def _stop_pinger(self, node_id: int) -> None:
        task = self._pingers.pop(node_id, None)
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()

    async def _ping_dead_node(self, node: Node, first_delay: float | None) -> None:
        options = self._host.options
        delays = ping_delays(float(options.dead_ping_min_interval), float(options.dead_ping_max_interval))
        delay = delays() if first_delay is None else first_delay
        while True:
            await asyncio.sleep(delay)
            if node.status is not NodeStatus.DEAD or self._host.nodes.get(node.node_id) is not node:
                return
            if self._host.connected:
                try:
                    if await self._host.messenger.ping(node, Priority.BACKGROUND):
                        _LOGGER.info("Dead node %s answered a ping: alive again", node.node_id)
                        return
                except ZWaveError as err:
                    _LOGGER.debug("Ping of dead node %s failed: %s", node.node_id, err)
            delay = delays()
            _LOGGER.debug("Dead node %s: next ping in %g s", node.node_id, delay)


__all__ = ["MISSED_WAKE_UPS", "NodeLiveness", "ping_delays"]
