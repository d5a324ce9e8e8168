"""AddNodeToNetwork (0x4A) and RemoveNodeFromNetwork (0x4B) of the virtual stick, and the
devices waiting to be included (:meth:`VirtualStick.add_waiting`).

Firmware behaviour modelled (700/800 ``cmd_handlers.c``, protocol-facts §2.5, Z-Wave JS):

* No RES; callbacks ``[id][status][node][len][NIF…]`` under the node-management callback-ID
  global shared by 0x4A / 0x4B (and 0x4C, 0x50): a request with callback ID 0 silences the
  callbacks that follow. Add: Ready, NodeFound, AddingSlave (new node ID + NIF), ProtocolDone,
  then Done ``[node]`` after the host's Stop (Stop with no node added: Done ``[0]``); Failed
  when SmartStart (mode 8) finds no device. Remove: Ready, NodeFound, RemovingSlave, Done.
* While the last callback sent was NodeFound / Adding… / Removing…, every 0x4A / 0x4B request
  (Stop too) is dropped silently: ACK, no callback (``ZW_NodeManagementRunning``).
* Modes 1-4 (classic add), 5 Stop, 6 stop replication, 8 SmartStart (NWI + auth home IDs),
  9 SmartStart listen; flags 0x80 (high power) and 0x40 (network wide) are accepted.
* New node IDs continue after the last one assigned (the firmware's "last used node ID"),
  skipping IDs in use, wrapping at 232.
* SmartStart listen: every ``timing.smart_start_interval`` each waiting ``smart_start`` device's
  prime reaches the host as ApplicationUpdate 0x49 type 0x85 ``[0x85][node 0][rxStatus]
  [NWI home ID 4][CC count][basic][generic][specific][CCs]`` (Silicon Labs:
  ``UPDATE_STATE_NODE_INFO_SMARTSTART_HOMEID_RECEIVED``; Z-Wave JS
  ``ApplicationUpdateRequestSmartStartHomeIDReceived``).
* A device that resets itself (failed bootstrapping) leaves its entry behind: the stick still
  lists the node ID, which never answers, so RemoveFailedNode can remove it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .jobs import RadioFunctions
from .node import VirtualNode

if TYPE_CHECKING:
    from .serialapi import SerialApi

_LOGGER = logging.getLogger(__name__)

ADD_NODE, REMOVE_NODE = 0x4A, 0x4B
MODE_ANY, MODE_CONTROLLER, MODE_SLAVE, MODE_EXISTING = 0x01, 0x02, 0x03, 0x04
MODE_STOP, MODE_STOP_REPLICATION, MODE_SMART_START_DSK, MODE_SMART_START_LISTEN = 0x05, 0x06, 0x08, 0x09
CLASSIC_MODES = (MODE_ANY, MODE_CONTROLLER, MODE_SLAVE, MODE_EXISTING)
STATUS_READY, STATUS_NODE_FOUND, STATUS_ADDING_SLAVE = 0x01, 0x02, 0x03
STATUS_PROTOCOL_DONE, STATUS_DONE, STATUS_FAILED = 0x05, 0x06, 0x07
#: Statuses during which the firmware drops node-management requests.
RUNNING = (0x02, 0x03, 0x04)
SMART_START_HOME_ID_RECEIVED = 0x85
NODE_INFO_RECEIVED = 0x84
MAX_NODE_ID = 232


class Mode:
    """What the stick's network management is doing (``VirtualStick.inclusion_mode``)."""

    IDLE = "idle"
    ADD = "add"  # classic add mode (modes 1-4), waiting for a button press
    ADDING = "adding"  # a node is being added (NodeFound .. ProtocolDone)
    ADDED = "added"  # ProtocolDone sent; Stop gives Done with the new node ID
    SMART_START_LISTEN = "smart_start_listen"
    SMART_START_DSK = "smart_start_dsk"
    REMOVE = "remove"
    REMOVING = "removing"


@dataclass(frozen=True)
class DroppedRequest:
    """A 0x4A / 0x4B request the firmware dropped while a node was being added / removed."""

    function: int
    mode: int
    status: int  # the last callback status sent


class DepartedNode(VirtualNode):
    """What the stick still knows of a device that reset itself: its protocol info. It never
    answers, so it fails (NoAck) and RemoveFailedNode can remove it."""

    def __init__(self, node_id: int, node: VirtualNode) -> None:
        super().__init__(node_id, replace(node.info))

    @property
    def reachable(self) -> bool:
        return False

    @property
    def sleeping(self) -> bool:
        return False  # the transmission fails, so the node goes on the failed list

    def receive(self, data: bytes, src: int = 1) -> None:
        return


def nwi_home_id(dsk: bytes) -> bytes:
    """SmartStart NWI home ID: DSK bytes 8..11, bits 7-6 of the first set, bit 0 of the last cleared."""
    home = bytearray(dsk[8:12])
    home[0] |= 0xC0
    home[3] &= 0xFE
    return bytes(home)


def auth_home_id(dsk: bytes) -> bytes:
    """SmartStart auth home ID: DSK bytes 12..15, bits 7-6 of the first cleared, bit 0 of the
    last set (Z-Wave JS ``authHomeIdFromDSK``)."""
    home = bytearray(dsk[12:16])
    home[0] &= 0x3F
    home[3] |= 0x01
    return bytes(home)


class InclusionFunctions(RadioFunctions):
    """Handlers of 0x4A / 0x4B and the waiting devices."""

    def __init__(self, api: SerialApi) -> None:
        super().__init__(api)
        self.waiting: list[VirtualNode] = []
        #: Nodes included by themselves (``auto_join``), oldest first.
        self.auto_joined: list[VirtualNode] = []
        self.dropped: list[DroppedRequest] = []
        self.last_node_id = 1
        self.mode = Mode.IDLE
        self.last_status = 0
        self._added: VirtualNode | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def handlers(self) -> dict[int, Callable[[bytes], None]]:
        return {ADD_NODE: self.add_node, REMOVE_NODE: self.remove_node}

    def reset(self) -> None:
        """Power loss / soft reset: network management is back to idle."""
        self._cancel()
        self.mode = Mode.IDLE
        self.last_status = 0
        self._added = None

    # ------------------------------------------------------------------ waiting devices
    def add_waiting(self, node: VirtualNode, auto_join: bool) -> VirtualNode:
        if node.node_id != 0:
            raise ValueError("a device waiting to be included has node ID 0")
        node.auto_join = auto_join
        node.attach(self.stick)
        if node not in self.waiting:
            self.waiting.append(node)
        return node

    def press_button(self, node: VirtualNode) -> None:
        """The user presses the device's button (include / exclude / send its NIF)."""
        included = self.stick.nodes.get(node.node_id) is node and node.node_id != 0
        if not included and node in self.waiting and self.api.network.offer_replacement(node):
            return  # ReplaceFailedNode waits for a device: this one takes the failed node's ID
        if self.mode == Mode.ADD and not included and node in self.waiting:
            self._spawn(self._include(node))
        elif self.mode == Mode.REMOVE:
            self._spawn(self._exclude(node))
        elif included:
            nif = node.nif()
            self.api.request(0x49, bytes((NODE_INFO_RECEIVED,)) + self.api.node_bytes(node.node_id) + bytes((len(nif),)) + nif)

    def node_left(self, node: VirtualNode) -> None:
        """A device reset itself: its node ID stays in the stick's table but never answers."""
        node_id = node.node_id
        if self.stick.nodes.get(node_id) is node:
            self.stick.nodes[node_id] = DepartedNode(node_id, node)
        if node in self.auto_joined:
            self.auto_joined.remove(node)
        node.factory_reset()
        if node not in self.waiting:
            self.waiting.append(node)

    # ------------------------------------------------------------------ requests
    def _accept(self, function: int, payload: bytes) -> tuple[int, int] | None:
        if not payload:
            return None
        mode = payload[0] & 0x0F
        if self.last_status in RUNNING:
            self.dropped.append(DroppedRequest(function, payload[0], self.last_status))
            _LOGGER.debug("virtual stick: 0x%02X mode 0x%02X dropped (a node is being added/removed)", function, payload[0])
            return None
        self.callback_ids.store(function, payload[1] if len(payload) > 1 else 0)
        return mode, payload[0]

    def add_node(self, payload: bytes) -> None:
        """AddNodeToNetwork ``[mode|flags][cbid]`` (+ ``[NWI home ID 4][auth home ID 4]`` for mode 8)."""
        accepted = self._accept(ADD_NODE, payload)
        if accepted is None:
            return
        mode, _ = accepted
        if mode in CLASSIC_MODES:
            self._enter(Mode.ADD)
            self._status(ADD_NODE, STATUS_READY)
            self._spawn(self._auto_join())
        elif mode in (MODE_STOP, MODE_STOP_REPLICATION):
            self._stop(ADD_NODE)
        elif mode == MODE_SMART_START_LISTEN:
            self._enter(Mode.SMART_START_LISTEN)
            self._status(ADD_NODE, STATUS_READY)
            self._spawn(self._listen())
        elif mode == MODE_SMART_START_DSK and len(payload) >= 10:
            self._enter(Mode.SMART_START_DSK)
            self._status(ADD_NODE, STATUS_READY)
            self._spawn(self._smart_start(bytes(payload[2:6]), bytes(payload[6:10])))
        else:
            self._status(ADD_NODE, STATUS_FAILED)

    def remove_node(self, payload: bytes) -> None:
        """RemoveNodeFromNetwork ``[mode|flags][cbid]``."""
        accepted = self._accept(REMOVE_NODE, payload)
        if accepted is None:
            return
        mode, _ = accepted
        if mode in (MODE_ANY, MODE_CONTROLLER, MODE_SLAVE):
            self._enter(Mode.REMOVE)
            self._status(REMOVE_NODE, STATUS_READY)
            self._spawn(self._auto_leave())
        elif mode == MODE_STOP:
            self._stop(REMOVE_NODE)
        else:
            self._status(REMOVE_NODE, STATUS_FAILED)

    def _stop(self, function: int) -> None:
        node_id = self._added.node_id if self.mode == Mode.ADDED and self._added is not None else 0
        self._enter(Mode.IDLE)
        self._status(function, STATUS_DONE, node_id)

    def _enter(self, mode: str) -> None:
        self._cancel()
        self.mode = mode
        self._added = None

    # ------------------------------------------------------------------ callbacks
    def _status(self, function: int, status: int, node_id: int = 0, info: bytes = b"") -> None:
        """A node-management callback; like the firmware, none (and no state) with callback ID 0."""
        cbid, _ = self.callback_ids.current(function)
        if not cbid:
            return
        self.last_status = status
        body = bytes((status,)) + self.api.node_bytes(node_id) + bytes((len(info),)) + info
        self.callback(function, body, need_id=True)

    # ------------------------------------------------------------------ add
    def _next_node_id(self) -> int:
        used = set(self.stick.nodes) | {self.stick.own_node_id}
        candidate = self.last_node_id
        for _ in range(MAX_NODE_ID):
            candidate = candidate % MAX_NODE_ID + 1
            if candidate not in used:
                return candidate
        raise RuntimeError("no free node ID")

    async def _include(self, node: VirtualNode) -> None:
        step = self.stick.timing.add_node_step
        self.mode = Mode.ADDING
        self._status(ADD_NODE, STATUS_NODE_FOUND)
        await asyncio.sleep(step)
        node_id = self._next_node_id()
        self._status(ADD_NODE, STATUS_ADDING_SLAVE, node_id, node.nif())
        await asyncio.sleep(step)
        self.last_node_id = node_id
        if node in self.waiting:
            self.waiting.remove(node)
        self.stick.failed_nodes.discard(node_id)
        self.stick.nodes[node_id] = node
        node.attach(self.stick)
        node.included(node_id)
        if self.stick.running:
            node.start()
        if node.auto_join:
            self.auto_joined.append(node)
        _LOGGER.info("virtual stick: included %s as node %d", node.info.name or type(node).__name__, node_id)
        self.mode = Mode.ADDED
        self._added = node
        self._status(ADD_NODE, STATUS_PROTOCOL_DONE, node_id)

    async def _auto_join(self) -> None:
        await asyncio.sleep(self.stick.timing.auto_join_delay)
        node = next((n for n in self.waiting if n.auto_join), None)
        if node is not None and self.mode == Mode.ADD:
            await self._include(node)

    async def _listen(self) -> None:
        while self.mode == Mode.SMART_START_LISTEN:
            for node in list(self.waiting):
                if node.smart_start and node.sec is not None:
                    self._prime(node)
            await asyncio.sleep(self.stick.timing.smart_start_interval)

    def _prime(self, node: VirtualNode) -> None:
        assert node.sec is not None
        nif = node.nif()
        payload = (
            bytes((SMART_START_HOME_ID_RECEIVED,))
            + self.api.node_bytes(0)
            + b"\x00"  # rx status
            + nwi_home_id(node.sec.dsk_bytes)
            + bytes((len(nif) - 3,))
            + nif
        )
        self.api.request(0x49, payload)

    async def _smart_start(self, nwi: bytes, auth: bytes) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.stick.timing.smart_start_find_time
        while loop.time() < deadline:
            node = next(
                (
                    n
                    for n in self.waiting
                    if n.smart_start
                    and n.sec is not None
                    and nwi_home_id(n.sec.dsk_bytes) == nwi
                    and auth_home_id(n.sec.dsk_bytes) == auth
                ),
                None,
            )
            if node is not None:
                await asyncio.sleep(self.stick.timing.add_node_step)  # its next inclusion request
                await self._include(node)
                return
            await asyncio.sleep(self.stick.timing.smart_start_interval)
        self.mode = Mode.IDLE
        self._status(ADD_NODE, STATUS_FAILED)

    # ------------------------------------------------------------------ remove
    async def _exclude(self, node: VirtualNode) -> None:
        step = self.stick.timing.remove_node_step
        included = node.node_id != 0 and self.stick.nodes.get(node.node_id) is node
        node_id = node.node_id if included else 0
        self.mode = Mode.REMOVING
        self._status(REMOVE_NODE, STATUS_NODE_FOUND)
        await asyncio.sleep(step)
        self._status(REMOVE_NODE, STATUS_ADDING_SLAVE, node_id, node.nif())  # RemovingSlave (0x03)
        await asyncio.sleep(step)
        if included:
            self.stick.nodes.pop(node_id, None)
            self.stick.failed_nodes.discard(node_id)
            if node in self.auto_joined:
                self.auto_joined.remove(node)
            _LOGGER.info("virtual stick: excluded node %d", node_id)
        node.factory_reset()
        if node not in self.waiting:
            self.waiting.append(node)
        self.mode = Mode.IDLE
        self._status(REMOVE_NODE, STATUS_DONE, node_id)

    async def _auto_leave(self) -> None:
        await asyncio.sleep(self.stick.timing.auto_join_delay)
        node = next((n for n in reversed(self.auto_joined) if self.stick.nodes.get(n.node_id) is n), None)
        if node is not None and self.mode == Mode.REMOVE:
            await self._exclude(node)

    # ------------------------------------------------------------------ tasks
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = self.stick.spawn(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _cancel(self) -> None:
        current = asyncio.current_task() if _loop_running() else None
        for task in list(self._tasks):
            if task is not current:
                task.cancel()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
