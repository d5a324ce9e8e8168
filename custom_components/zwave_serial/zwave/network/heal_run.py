"""Network heal: every node in turn, from the controller outwards, with progress and stop.

Order (as Z-Wave JS's rebuildRoutes): listening nodes by hop count from the controller over
the neighbour lists the stick knows (GetRoutingInfo 0x80): the controller's direct neighbours
first, then their neighbours, ...; a healed node's fresh neighbour list is read before the next
node is chosen.  Nodes the lists do not connect come last.  Sleeping nodes that are not awake
are queued and healed at their next wake-up (their status stays "queued" until then).

One node at a time, each step at the lowest priority (see :mod:`.heal`), so a user's command
waits at most for the step that is on the radio.  :meth:`HealManager.stop` withdraws what is
queued and lets the step on the radio finish; the remaining nodes are "skipped".

Events: :class:`~..events.HealProgressEvent` after every node (and at the start),
:class:`~..events.HealDoneEvent` at the end (``cancelled`` when stopped).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..events import HealDoneEvent, HealProgressEvent, NodeStatus
from ..node import QueuedCommand
from .heal import (
    DONE,
    FAILED,
    PENDING,
    QUEUED,
    SKIPPED,
    HealControl,
    HealHost,
    HealResult,
    HealStatus,
    HealStopped,
    heal_node,
    routing_info,
)

if TYPE_CHECKING:
    from ..node import Node

_LOGGER = logging.getLogger(__name__)

UNREACHABLE = 1 << 16  # hop count of a node the neighbour lists do not connect
_QUEUED_HEAL = "heal"  # description of the wake-up queue entry


def hop_counts(own: int, neighbours: Mapping[int, Iterable[int]]) -> dict[int, int]:
    """Hops from the controller ``own`` to every node reachable over the neighbour lists
    (links are taken both ways: a list may be stale on one side).  ``own`` is 0 hops."""
    graph: dict[int, set[int]] = {}
    for node, found in neighbours.items():
        for other in found:
            if other != node:
                graph.setdefault(node, set()).add(other)
                graph.setdefault(other, set()).add(node)
    hops = {own: 0}
    todo = deque([own])
    while todo:
        current = todo.popleft()
        for other in sorted(graph.get(current, ())):
            if other not in hops:
                hops[other] = hops[current] + 1
                todo.append(other)
    return hops


def nearest(pending: Iterable[int], hops: Mapping[int, int]) -> int:
    """The pending node closest to the controller (lowest node id on a tie)."""
    return min(pending, key=lambda n: (hops.get(n, UNREACHABLE), n))


class HealManager:
    """Runs the driver's network heal (one at a time) and single-node heals."""

    def __init__(self, driver: HealHost) -> None:
        self._driver = driver
        self.progress: dict[int, HealStatus] = {}
        self.reasons: dict[int, str] = {}
        self._task: asyncio.Task[dict[int, HealResult]] | None = None
        self._step: asyncio.Task[HealResult] | None = None
        self._control = HealControl()
        self._active = False
        self.started_at: float | None = None

    @property
    def running(self) -> bool:
        """True while a network heal runs (not counting sleeping nodes waiting to wake up)."""
        return self._active and self._task is not None and not self._task.done()

    def start(self) -> asyncio.Task[dict[int, HealResult]]:
        """Start a network heal, or return the one running."""
        if self._task is None or self._task.done():
            self._control = HealControl()
            self._active = True
            create = getattr(self._driver, "create_task", None)
            coro = self._run()
            self._task = (
                create(coro, "heal network") if create else asyncio.get_running_loop().create_task(coro)
            )
        return self._task

    def stop(self) -> bool:
        """Stop the network heal: queued steps are withdrawn, the step on the radio finishes,
        sleeping nodes are no longer healed at wake-up.  False when no heal was running."""
        dropped = self._drop_queued()
        if not self.running:
            if dropped:
                self._emit_progress()
            return bool(dropped)
        self._control.stop_requested = True
        if self._step is not None and not self._step.done() and self._control.cancellable:
            self._step.cancel()  # a heal step still queued is withdrawn; one on the radio finishes
        return True

    async def heal_one(self, node: Node) -> HealResult:
        """Heal one node now; a sleeping node that is not awake is queued for its wake-up."""
        if node.is_controller:
            return HealResult(node.node_id, FAILED, "the controller itself is not healed")
        if node.is_sleeping_device and node.status is not NodeStatus.ALIVE:
            self._queue(node)
            result = HealResult(node.node_id, QUEUED)
        else:
            result = await heal_node(self._driver, node)
        self._record(result)
        return result

    # --- the run ----------------------------------------------------------------------

    async def _run(self) -> dict[int, HealResult]:
        self.started_at = time.monotonic()
        self._active = True
        try:
            return await self._run_nodes()
        finally:
            self._active = False

    async def _run_nodes(self) -> dict[int, HealResult]:
        driver = self._driver
        self.progress.clear()
        self.reasons.clear()
        results: dict[int, HealResult] = {}
        pending: list[int] = []
        for node_id, node in sorted(driver.nodes.items()):
            if node.is_controller:
                continue
            if node.is_sleeping_device and node.status is not NodeStatus.ALIVE:
                self._queue(node)
                results[node_id] = HealResult(node_id, QUEUED)
                self.progress[node_id] = QUEUED
            else:
                pending.append(node_id)
                self.progress[node_id] = PENDING
        self._emit_progress()
        own = driver.controller.own_node_id
        neighbours: dict[int, set[int]] = {}
        for node_id in [own, *pending]:
            if self._control.stop_requested:
                break
            found = await routing_info(driver, node_id)
            if found is not None:
                neighbours[node_id] = found
        while pending and not self._control.stop_requested:
            node_id = nearest(pending, hop_counts(own, neighbours))
            pending.remove(node_id)
            node = driver.nodes.get(node_id)
            if node is None:
                self.progress.pop(node_id, None)
                continue
            self._step = step = asyncio.get_running_loop().create_task(heal_node(driver, node, self._control))
            try:
                await asyncio.wait([step])
            except asyncio.CancelledError:  # the driver stops
                step.cancel()
                raise
            if step.cancelled() or isinstance(step.exception(), HealStopped):
                pending.insert(0, node_id)
                break
            results[node_id] = result = step.result()
            self._record(result)
            if (
                not self._control.stop_requested
                and (found := await routing_info(driver, node_id)) is not None
            ):
                neighbours[node_id] = found
        self._step = None
        for node_id in pending:
            results[node_id] = HealResult(node_id, SKIPPED, "the heal was stopped")
            self.progress[node_id] = SKIPPED
        seconds = time.monotonic() - self.started_at
        cancelled = self._control.stop_requested
        self._active = False
        _LOGGER.info(
            "Network heal %s after %.0f s: %s",
            "stopped" if cancelled else "finished",
            seconds,
            ", ".join(
                f"{s} {sum(1 for r in results.values() if r.status == s)}"
                for s in (DONE, FAILED, QUEUED, SKIPPED)
            ),
        )
        driver.emit(HealDoneEvent(self.snapshot(), cancelled, round(seconds, 1)))
        return results

    def snapshot(self) -> dict[int, str]:
        """Every node's heal status (a copy)."""
        return {node_id: str(status) for node_id, status in sorted(self.progress.items())}

    def _record(self, result: HealResult) -> None:
        self.progress[result.node_id] = result.status
        if result.reason:
            self.reasons[result.node_id] = result.reason
        else:
            self.reasons.pop(result.node_id, None)
        _LOGGER.info(
            "Heal node %s: %s%s",
            result.node_id,
            result.status,
            f" ({result.reason})" if result.reason else "",
        )
        self._emit_progress(result)

    def _emit_progress(self, result: HealResult | None = None) -> None:
        self._driver.emit(
            HealProgressEvent(
                self.snapshot(),
                result.node_id if result else None,
                str(result.status) if result else None,
                result.reason if result else None,
            )
        )

    # --- sleeping nodes -------------------------------------------------------------------

    def _queue(self, node: Node) -> None:
        if any(item.description == _QUEUED_HEAL for item in node.wakeup_queue):
            return

        async def run(n: Node = node) -> Any:
            result = await heal_node(self._driver, n)
            self._record(result)
            return result

        node.wakeup_queue.append(QueuedCommand(run, _QUEUED_HEAL))
        self.progress[node.node_id] = QUEUED

    def _drop_queued(self) -> int:
        dropped = 0
        for node in self._driver.nodes.values():
            before = len(node.wakeup_queue)
            node.wakeup_queue[:] = [item for item in node.wakeup_queue if item.description != _QUEUED_HEAL]
            if len(node.wakeup_queue) != before:
                dropped += 1
                self.progress[node.node_id] = SKIPPED
                self.reasons[node.node_id] = "the heal was stopped"
        return dropped
