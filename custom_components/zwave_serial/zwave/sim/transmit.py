"""SendData (0x13), SendDataMulti (0x14) and SendDataAbort (0x16) of the virtual stick.

A SendData is queued behind the radio jobs before it (RES 1), or answered RES 0 when the TX
queue is full; in strict mode an overlapping SendData gets no RES at all (see :mod:`.jobs`).
Its callback ``[id][txStatus][txReport]`` carries SendData's callback-ID global as it is when
the transmission ends.  With the ``premature`` ordering fault the node's answer overtakes the
callback, as on real hardware.

During a neighbour update (:attr:`.jobs.JobQueue.network_job`) a SendData to another node goes
out as usual, a probe frame's air time later (the updating node's probes share the channel).
A SendData to the node under update fails with NoAck after the routing retries: that node is
busy sending its probes and waiting for their ACKs, and openHAB's binding saw exactly that
(transactions started during an update failed; openhab/org.openhab.binding.zwave PR 1174).
We model the failure rather than a delay because the node does not queue frames it misses;
each such SendData is also recorded in :attr:`.jobs.JobQueue.sends_to_busy_node`, so a test can
assert that the host held its commands to that node (0 entries).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .jobs import RadioFunctions, RadioJob
from .radio import TX_FAIL, TX_NO_ACK, TX_OK, TxResult

_LOGGER = logging.getLogger(__name__)


class TransmitFunctions(RadioFunctions):
    """Handlers of the data transmission functions."""

    def handlers(self) -> dict[int, Callable[[bytes], None]]:
        return {0x13: self.send_data, 0x14: self.send_data_multicast, 0x16: self.send_data_abort}

    # ------------------------------------------------------------------ SendData
    def send_data(self, payload: bytes) -> None:
        """``[node][len][data][txOptions][cbid]``."""
        node_id, off = self.api.read_node(payload)
        length = payload[off]
        data = bytes(payload[off + 1 : off + 1 + length])
        tx_options = payload[off + 1 + length]
        cbid = payload[off + 2 + length] if len(payload) > off + 2 + length else 0

        async def _run(job: RadioJob) -> None:
            await self._send(job, node_id, data, tx_options, registered=cbid != 0)

        self.start(0x13, node_id, cbid, _run)

    async def _send(
        self, job: RadioJob, node_id: int, data: bytes, tx_options: int, registered: bool
    ) -> None:
        stick = self.stick
        node = stick.nodes.get(node_id)
        if node_id == 0xFF:
            await asyncio.sleep(stick.radio.config.hop_latency)
            result = TxResult(TX_OK, stick.radio.config.hop_latency)
        else:
            reachable = node is not None and node.reachable
            if stick.jobs.network_job is not None:
                await asyncio.sleep(stick.radio.config.hop_latency)  # a probe frame on the air
                if node_id == stick.jobs.updating_node:
                    reachable = False
                    stick.jobs.sends_to_busy_node.append((node_id, asyncio.get_running_loop().time()))
                    _LOGGER.warning("virtual stick: SendData to node %d during its neighbour update", node_id)
            flirs = bool(node and node.flirs and not node.awake)
            transmit = asyncio.ensure_future(
                stick.radio.transmit(node_id, reachable, flirs, bool(tx_options & 0x01))
            )
            aborted = asyncio.ensure_future(job.abort.wait())
            try:
                await asyncio.wait({transmit, aborted}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (transmit, aborted):
                    task.cancel()
                await asyncio.gather(transmit, aborted, return_exceptions=True)
            result = TxResult(TX_FAIL, 0.05, rssi=127) if transmit.cancelled() else transmit.result()
        if result.status == TX_NO_ACK and node is not None and not node.sleeping:
            stick.failed_nodes.add(node_id)
        elif result.status == TX_OK:
            stick.failed_nodes.discard(node_id)
        # Real hardware: the node's answer can reach the host before the TX-complete callback.
        premature = result.status == TX_OK and node_id != 0xFF and stick.injector.premature_report()
        if premature:
            self._deliver(node_id, data)
            await stick.settle_reports(node_id)
        self.callback(0x13, bytes((result.status,)) + self.api.tx_report(result, node), registered)
        if result.status == TX_OK and not premature:
            self._deliver(node_id, data)

    def _deliver(self, node_id: int, data: bytes) -> None:
        stick = self.stick
        targets = list(stick.nodes.values()) if node_id == 0xFF else [stick.nodes.get(node_id)]
        for target in targets:
            if target is not None and target.reachable and not stick.radio.is_dead(target.node_id):
                target.receive(data, src=stick.own_node_id)

    # ------------------------------------------------------------------ SendDataMulti
    def send_data_multicast(self, payload: bytes) -> None:
        """``[count][nodes...][len][data][txOptions][cbid]``: callback ``[id][txStatus]``."""
        count = payload[0]
        ids, off = [], 1
        for _ in range(count):
            nid, off = self.api.read_node(payload, off)
            ids.append(nid)
        length = payload[off]
        data = bytes(payload[off + 1 : off + 1 + length])
        cbid = payload[off + 2 + length] if len(payload) > off + 2 + length else 0

        async def _run(job: RadioJob) -> None:
            await asyncio.sleep(self.stick.radio.config.hop_latency)
            self.callback(0x14, bytes((TX_OK,)), cbid != 0)
            for nid in ids:
                node = self.stick.nodes.get(nid)
                if node is not None and node.reachable and not self.stick.radio.is_dead(nid):
                    node.receive(data, src=self.stick.own_node_id)

        self.start(0x14, None, cbid, _run)

    # ------------------------------------------------------------------ SendDataAbort
    def send_data_abort(self, payload: bytes) -> None:
        """No RES: the SendData on the air (if any) ends with a Fail callback."""
        job = self.jobs.current
        if job is not None and job.function == 0x13:
            job.abort.set()
