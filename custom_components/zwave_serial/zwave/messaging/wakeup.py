"""Serving a sleeping node while it is awake: interview, the wake-up queue, No More Information."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from ..cc.wake_up import WakeUpNoMoreInformation
from ..errors import NodeError, NodeNoAck, ZWaveError
from ..events import NodeStatus, NodeWakeUpEvent
from ..node import Node

if TYPE_CHECKING:
    from .messenger import NodeMessenger

_LOGGER = logging.getLogger(__name__)


class WakeUpService:
    """Runs one task per awake sleeping node (see :meth:`on_wake_up`)."""

    def __init__(self, messenger: NodeMessenger) -> None:
        self._messenger = messenger
        self._wake_tasks: dict[int, asyncio.Task[None]] = {}
        self._woken_again: set[int] = set()

    def on_wake_up(self, node: Node) -> None:
        node.set_status(NodeStatus.ALIVE)
        self._messenger._host.emit(NodeWakeUpEvent(node.node_id))
        running = self._wake_tasks.get(node.node_id)
        if running is not None and not running.done():
            # Still serving the previous wake-up (e.g. sending it back to sleep): it must look
            # at the queue again and not mark the node asleep.
            self._woken_again.add(node.node_id)
            return
        self._wake_tasks[node.node_id] = self._messenger._host.create_task(self._serve_awake_node(node), f"wake-up node {node.node_id}")

    async def _serve_awake_node(self, node: Node) -> None:
        """Interview if needed, send the queued commands, then No More Information.

        Loops while the node keeps waking up (a Wake Up Notification that arrives while this
        runs), so a command queued meanwhile is not left for the next wake-up.
        """
        try:
            if not node.ready:
                await self._messenger._host.interview_node(node)
            while True:
                self._woken_again.discard(node.node_id)
                delivered = await self._send_wakeup_queue(node)
                if node.node_id in self._woken_again:
                    continue
                if not delivered or node.status is not NodeStatus.ALIVE:
                    return
                await asyncio.sleep(self._messenger._host.options.send_to_sleep_delay)
                if node.wakeup_queue or node.node_id in self._woken_again:
                    continue
                try:
                    await self._messenger.send_set(node, WakeUpNoMoreInformation(), supervise=False, verify=False)
                except ZWaveError as err:
                    _LOGGER.debug("No More Information to node %s failed: %s", node.node_id, err)
                if node.node_id not in self._woken_again:
                    return
        finally:
            if node.node_id in self._woken_again:
                self._woken_again.discard(node.node_id)  # it just woke up: it is awake
            elif node.is_sleeping_device and node.status is NodeStatus.ALIVE:
                node.set_status(NodeStatus.ASLEEP)

    async def _send_wakeup_queue(self, node: Node) -> bool:
        """Send the commands queued for an awake node; False if one could not be delivered
        (it is kept, first in line, for the next wake-up)."""
        while node.wakeup_queue and node.status is NodeStatus.ALIVE:
            item = node.wakeup_queue.pop(0)
            try:
                await item.run()
            except ZWaveError as err:
                if isinstance(err, NodeNoAck) or not isinstance(err, NodeError):
                    # Not delivered: the node fell asleep again or the stick/link failed.
                    node.wakeup_queue.insert(0, item)
                    _LOGGER.info("Queued command for node %s kept for its next wake-up: %s", node.node_id, err)
                    return False
                _LOGGER.warning("Queued command for node %s failed: %s", node.node_id, err)
        return True
