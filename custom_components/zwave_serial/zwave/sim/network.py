"""Network-management functions of the virtual stick that use the radio.

RequestNodeInfo (0x60), RemoveFailedNode (0x61), ReplaceFailedNode (0x63),
RequestNodeNeighborUpdate (0x48), Assign/DeleteReturnRoute (0x46/0x47),
Assign/DeleteSUCReturnRoute (0x51/0x55) and SetSUCNodeId (0x54) for another node are radio
jobs (see :mod:`.jobs`): queued in order, refused in strict mode while another job is pending,
and called back with the callback ID stored for their function when the callback goes out.

Firmware details modelled here (700/800 ``cmd_handlers.c``):

* RequestNodeInfo has no callback; its result is ApplicationUpdate 0x49: the NIF (0x84), or
  0x81 "request failed" only when the transmission fails.  A node that ACKs but never sends its
  NIF (``VirtualNode.nif_silent``) leaves the host without any answer.
* RemoveFailedNode / ReplaceFailedNode of a node that is not in the failed list: RES 0x08 and no
  callback; a second network-management job while one runs: RES 0x10 (busy).  Their callbacks
  are skipped when the stored callback ID is 0 at that moment.
* RequestNodeNeighborUpdate has no RES; it takes seconds (the timing profile); its callbacks
  0x21 started / 0x22 done / 0x23 failed are sent only when the request had a callback ID, except
  the immediate 0x23 when the protocol is busy (the firmware calls the handler directly).  Only
  its short controller exchanges use the TX queue: SendData to other nodes goes out while the
  node probes its neighbours (see :mod:`.jobs`).
* AssignSUCReturnRoute answers RES 0 when no SUC is set.  0x51, 0x55 (and 0x53) share one
  callback-ID global *and* the callback's function byte: a 0x51 callback can come back as 0x55.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .jobs import RadioFunctions, RadioJob, Verdict
from .node import VirtualNode
from .radio import TX_OK

if TYPE_CHECKING:
    from .serialapi import SerialApi

NODE_OK, FAILED_NODE_REMOVED = 0x00, 0x01
REPLACE_READY, REPLACE_DONE, REPLACE_FAILED = 0x03, 0x04, 0x05
RES_STARTED, RES_NOT_FOUND, RES_BUSY = 0x00, 0x08, 0x10
NEIGHBOR_STARTED, NEIGHBOR_DONE, NEIGHBOR_FAILED = 0x21, 0x22, 0x23
SUC_FAILED = 0x06


class NetworkFunctions(RadioFunctions):
    """Handlers of the radio-using network-management functions."""

    def __init__(self, api: SerialApi) -> None:
        super().__init__(api)
        self._replacement: asyncio.Future[VirtualNode] | None = None

    def handlers(self) -> dict[int, Callable[[bytes], None]]:
        return {
            0x46: self.assign_return_route,
            0x47: self.delete_return_route,
            0x48: self.request_neighbor_update,
            0x51: self.assign_suc_return_route,
            0x54: self.set_suc_node_id,
            0x55: self.delete_suc_return_route,
            0x60: self.request_node_info,
            0x61: self.remove_failed_node,
            0x63: self.replace_failed_node,
            0x80: self.get_routing_info,
        }

    def _cbid(self, payload: bytes, offset: int) -> int:
        return payload[offset] if len(payload) > offset else 0

    def _alive(self, node_id: int) -> bool:
        node = self.stick.nodes.get(node_id)
        return node is not None and node.reachable and not self.stick.radio.is_dead(node_id)

    def neighbors(self, node_id: int) -> set[int]:
        """The node's neighbours: those of ``stick.topology`` when set (a node within radio
        range of another, see :mod:`.bignet`), else every listening node and the controller."""
        stick = self.stick
        if node_id not in stick.nodes and node_id != stick.own_node_id:
            return set()
        if stick.topology is not None:
            return {n for n in stick.topology.get(node_id, ()) if n in stick.nodes or n == stick.own_node_id}
        found = {n for n, other in stick.nodes.items() if other.listening and n != node_id}
        if node_id != stick.own_node_id:
            found.add(stick.own_node_id)
        return found

    def get_routing_info(self, payload: bytes) -> None:
        """GetRoutingInfo (0x80): 29-byte neighbour bitmask (not a radio job)."""
        node_id, _ = self.api.read_node(payload)
        self.api.respond(0x80, self.api.node_bitmask(self.neighbors(node_id)))

    # ------------------------------------------------------------------ node info
    def request_node_info(self, payload: bytes) -> None:
        """RequestNodeInfo (0x60) ``[node]``: RES 1 (queued), then 0x49 when the NIF arrives."""
        node_id, _ = self.api.read_node(payload)

        async def _run(job: RadioJob) -> None:
            node = self.stick.nodes.get(node_id)
            radio = self.stick.radio
            busy = node_id == self.jobs.updating_node  # probing its neighbours: it does not listen
            result = await radio.transmit(
                node_id, node is not None and node.reachable and not busy, bool(node and node.flirs)
            )
            if node is None or result.status != TX_OK:
                self.api.request(0x49, b"\x81" + self.api.node_bytes(0) + b"\x00")
                return
            if node.nif_silent:
                return  # ACKed, but the NIF never comes: the firmware sends nothing at all
            await asyncio.sleep(radio.latency(node_id))
            nif = node.nif()
            self.api.request(0x49, b"\x84" + self.api.node_bytes(node_id) + bytes((len(nif),)) + nif)

        self.start(0x60, node_id, None, _run)

    # ------------------------------------------------------------------ failed nodes
    def remove_failed_node(self, payload: bytes) -> None:
        """RemoveFailedNode (0x61) ``[node][cbid]``: RES flags, then ``[id][0 ok / 1 removed]``."""
        node_id, off = self.api.read_node(payload)

        async def _run(job: RadioJob) -> None:
            if await self._ping(node_id):
                status = NODE_OK
            else:
                self.stick.remove_node(node_id)
                status = FAILED_NODE_REMOVED
            self.callback(0x61, bytes((status,)), need_id=True)

        self._failed_node_job(0x61, node_id, self._cbid(payload, off), _run)

    def replace_failed_node(self, payload: bytes) -> None:
        """ReplaceFailedNode (0x63) ``[node][cbid]``: RES flags, then ``[id][0 node OK]`` or
        ``[id][3 ready]`` followed by ``[id][4 done]`` / ``[id][5 failed]``.  A test hands over
        the new device with :meth:`VirtualStick.offer_replacement`."""
        node_id, off = self.api.read_node(payload)

        async def _run(job: RadioJob) -> None:
            if await self._ping(node_id):
                self.callback(0x63, bytes((NODE_OK,)), need_id=True)
                return
            self.callback(0x63, bytes((REPLACE_READY,)), need_id=True)
            self._replacement = asyncio.get_running_loop().create_future()
            try:
                new = await asyncio.wait_for(self._replacement, self.stick.timing.replace_wait)
            except TimeoutError:
                self.callback(0x63, bytes((REPLACE_FAILED,)), need_id=True)
                return
            finally:
                self._replacement = None
            self.stick.remove_node(node_id)
            self.stick.radio.set_dead(node_id, False)  # "powered off" was the old device
            waiting = self.api.inclusion.waiting
            if new in waiting:
                waiting.remove(new)
            new.node_id = node_id
            self.stick.add_node(new)
            new.included(node_id)  # a secure device now waits for its key exchange
            self.callback(0x63, bytes((REPLACE_DONE,)), need_id=True)

        self._failed_node_job(0x63, node_id, self._cbid(payload, off), _run)

    def offer_replacement(self, node: VirtualNode) -> bool:
        """A new device in learn mode: it replaces the node a ReplaceFailedNode waits for."""
        if self._replacement is None or self._replacement.done():
            return False
        self._replacement.set_result(node)
        return True

    def _failed_node_job(
        self, function: int, node_id: int, cbid: int, run: Callable[[RadioJob], Awaitable[None]]
    ) -> None:
        verdict = self.jobs.admit(function, node_id)
        if verdict == Verdict.REFUSE:
            return
        self.callback_ids.store(function, cbid)
        if node_id not in self.stick.failed_nodes or node_id not in self.stick.nodes:
            self.api.respond(function, bytes((RES_NOT_FOUND,)))
        elif verdict != Verdict.ACCEPT:
            self.api.respond(function, bytes((RES_BUSY,)))
        else:
            self.api.respond(function, bytes((RES_STARTED,)))
            self.queue(function, node_id, run)

    async def _ping(self, node_id: int) -> bool:
        """NOP to the node: True (and off the failed list) if it answers."""
        node = self.stick.nodes.get(node_id)
        result = await self.stick.radio.transmit(
            node_id, node is not None and node.reachable, bool(node and node.flirs)
        )
        if result.status == TX_OK:
            self.stick.failed_nodes.discard(node_id)
            return True
        return False

    # ------------------------------------------------------------------ neighbour update
    def request_neighbor_update(self, payload: bytes) -> None:
        """RequestNodeNeighborUpdate (0x48) ``[node][cbid]``: no RES; 0x21, then 0x22 / 0x23.

        The job holds the TX queue only for the controller's own frames: the opening request to
        the node, and (an internal job, see :meth:`.jobs.JobQueue.run_internal`) the closing
        range-info exchange.  In between the node probes its neighbours
        (:attr:`.jobs.JobQueue.network_job`): SendData to other nodes runs meanwhile; one to
        the node itself fails (see :meth:`.transmit.TransmitFunctions.send_data`)."""
        node_id, off = self.api.read_node(payload)
        cbid = self._cbid(payload, off)
        verdict = self.jobs.admit(0x48, node_id)
        if verdict == Verdict.REFUSE:
            return
        self.callback_ids.store(0x48, cbid)
        if verdict != Verdict.ACCEPT:
            self.callback(0x48, bytes((NEIGHBOR_FAILED,)))  # even with ID 0, as the firmware
            return
        registered = cbid != 0

        async def _run(job: RadioJob) -> None:
            radio = self.stick.radio
            if not self._alive(node_id):
                # The node does not take the request: 0x23 without 0x21 (as in a Z-Wave JS log
                # of a real stick, zwave-js/zwave-js issue 3712: UpdateFailed 0.4 s after the request).
                await asyncio.sleep(radio.config.noack_delay)
                self.callback(0x48, bytes((NEIGHBOR_FAILED,)), registered)
                return
            # The request to the node and its ACK (a real stick: 0x21 ~140 ms after the request,
            # OpenZWave/open-zwave issue 2428 log).
            await asyncio.sleep(radio.latency(node_id) * 2)
            self.callback(0x48, bytes((NEIGHBOR_STARTED,)), registered)
            job.internal = True  # the host may queue SendData now: not an overlap
            self.jobs.run_outside(job, self._discover(node_id, registered))

        self.queue(0x48, node_id, _run)

    async def _discover(self, node_id: int, registered: bool) -> None:
        """The node probes its neighbours (no controller air time), then the controller fetches
        its range info (a short TX queue job of the stick's own) and reports done."""
        await self.jobs.network_wait(self._neighbor_update_time(node_id))

        async def _closing(job: RadioJob) -> None:
            await asyncio.sleep(self.stick.radio.latency(node_id) * 2)

        await self.jobs.run_internal(0x48, node_id, _closing)
        self.callback(0x48, bytes((NEIGHBOR_DONE,)), registered)

    def _neighbor_update_time(self, node_id: int) -> float:
        fixed = self.stick.neighbor_update_time
        if fixed is not None:
            return fixed
        return self.stick.timing.neighbor_update_time(len(self.neighbors(node_id)))

    # ------------------------------------------------------------------ return routes
    def assign_return_route(self, payload: bytes) -> None:
        """AssignReturnRoute (0x46) ``[src][dst][cbid]``: RES, then ``[id][txStatus]``."""
        node_id, off = self.api.read_node(payload)
        dest, off = self.api.read_node(payload, off)
        self._route_job(0x46, node_id, self._cbid(payload, off), lambda: self._add_route(node_id, dest))

    def delete_return_route(self, payload: bytes) -> None:
        """DeleteReturnRoute (0x47) ``[node][cbid]``: the node's return routes (not the SUC's)."""
        node_id, off = self.api.read_node(payload)

        def _delete() -> None:
            keep = {self.stick.suc_node_id} if node_id in self.api.suc_return_routes else set()
            self.api.return_routes[node_id] = self.api.return_routes.get(node_id, set()) & keep

        self._route_job(0x47, node_id, self._cbid(payload, off), _delete)

    def assign_suc_return_route(self, payload: bytes) -> None:
        """AssignSUCReturnRoute (0x51) ``[node][cbid]``: RES 0 when no SUC is set."""
        node_id, off = self.api.read_node(payload)
        suc = self.stick.suc_node_id
        if not suc:
            if self.jobs.admit(0x51, node_id) != Verdict.REFUSE:
                self.api.respond(0x51, b"\x00")
            return

        def _assign() -> None:
            self._add_route(node_id, suc)
            self.api.suc_return_routes.add(node_id)

        self._route_job(0x51, node_id, self._cbid(payload, off), _assign)

    def delete_suc_return_route(self, payload: bytes) -> None:
        """DeleteSUCReturnRoute (0x55) ``[node][cbid]``."""
        node_id, off = self.api.read_node(payload)

        def _delete() -> None:
            if node_id in self.api.suc_return_routes:
                self.api.suc_return_routes.discard(node_id)
                self.api.return_routes.get(node_id, set()).discard(self.stick.suc_node_id)

        self._route_job(0x55, node_id, self._cbid(payload, off), _delete)

    def _add_route(self, node_id: int, dest: int) -> None:
        self.api.return_routes.setdefault(node_id, set()).add(dest)

    def _route_job(self, function: int, node_id: int, cbid: int, apply: Callable[[], None]) -> None:
        async def _run(job: RadioJob) -> None:
            alive = self._alive(node_id)
            radio = self.stick.radio.config
            await asyncio.sleep(radio.hop_latency * 2 if alive else radio.noack_delay)
            if alive:
                apply()
            self.callback(function, b"\x00" if alive else b"\x01", cbid != 0)

        self.start(function, node_id, cbid, _run)

    # ------------------------------------------------------------------ SUC
    def set_suc_node_id(self, payload: bytes) -> None:
        """SetSUCNodeId (0x54) ``[node][enable][txOptions][caps][cbid]``: for the controller
        itself RES 1 and no callback; for another node a radio job, ``[id][06]`` (end nodes
        cannot become SUC)."""
        node_id, off = self.api.read_node(payload)
        enable, cbid = payload[off], self._cbid(payload, off + 3)
        if node_id == self.stick.own_node_id:
            self.stick.suc_node_id = node_id if enable else 0
            self.api.respond(0x54, b"\x01")
            return

        async def _run(job: RadioJob) -> None:
            await asyncio.sleep(self.stick.radio.latency(node_id) * 2)
            self.callback(0x54, bytes((SUC_FAILED,)), cbid != 0)

        self.start(0x54, node_id, cbid, _run)
