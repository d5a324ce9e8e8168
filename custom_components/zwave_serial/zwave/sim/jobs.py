"""Radio jobs of the virtual stick: the firmware's TX queue and its callback-ID globals.

Real 700/800 firmware puts SendData, SendDataMulti, the route jobs, SetSUCNodeId,
RequestNodeInfo and the network-management jobs on a protocol queue and runs them one after
another.  It answers RES 0 only when that queue is full; it never refuses a job because
another one is running.  But it keeps **one callback ID per function** in a global variable
(SendData and SendDataBridge share one; AssignSUCReturnRoute, DeleteSUCReturnRoute and
RequestNetworkUpdate share one, together with the function byte of the callback), and a
callback carries the ID stored *when it goes out*.  So a late callback of an abandoned job
arrives with the newest job's ID.  :class:`CallbackIds` models those globals.

:class:`JobQueue` runs the jobs.  In **strict** mode it behaves like Z-Wave JS's mock
controller instead: a radio job that arrives while another one is still pending is refused
(the frame is ACKed and never answered) and recorded in :attr:`JobQueue.refused`, so a test can
assert that the host never overlaps radio jobs.

**Neighbour updates run mostly outside the TX queue** (firmware: the controller sends the node
its "find nodes in range" request, the *node* then probes its neighbours for seconds, and the
controller finally asks it for its range info).  Only the two short controller exchanges are TX
queue jobs; in between the update is the :attr:`JobQueue.network_job`.  Meanwhile, as on the
firmware, SendData, SendDataMulti and RequestNodeInfo are queued and run (strict mode accepts
them too), but every other network-management job is refused in strict mode (Z-Wave JS and our
engine hold them until the update's final callback) or answered "busy" by the protocol.  The
closing exchange is an *internal* job: strict mode does not count it as a host overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .serialapi import SerialApi
    from .stick import VirtualStick

_LOGGER = logging.getLogger(__name__)

#: Functions sharing one callback-ID global (firmware ``funcID_ComplHandler_*``).
CALLBACK_GROUPS: dict[int, str] = {
    0x13: "send_data",  # SendData
    0xA9: "send_data",  # SendDataBridge uses SendData's global
    0x14: "send_data_multi",
    0xAB: "send_data_multi",
    0x51: "network_management",  # AssignSUCReturnRoute
    0x55: "network_management",  # DeleteSUCReturnRoute
    0x53: "network_management",  # RequestNetworkUpdate
    0x58: "network_management",  # AssignPrioritySUCReturnRoute
    0x4A: "node_management",  # AddNodeToNetwork (funcID_ComplHandler_ZW_NodeManagement)
    0x4B: "node_management",  # RemoveNodeFromNetwork
    0x4C: "node_management",  # ControllerChange
    0x50: "node_management",  # SetLearnMode
}
#: Groups whose callback frame carries the function byte of the *last started* member.
SHARED_FUNCTION_GROUPS = frozenset({"network_management", "node_management"})
#: Network-management jobs the protocol runs one at a time (a second one is "busy").
NETWORK_MANAGEMENT = frozenset({0x48, 0x61, 0x63})
#: Jobs the firmware puts on the TX queue while a neighbour update's node probes its neighbours
#: (SendData, SendDataBridge, SendDataMulti(Bridge), RequestNodeInfo).
TX_QUEUE_ONLY = frozenset({0x13, 0xA9, 0x14, 0xAB, 0x60})
DEFAULT_TX_QUEUE_SIZE = 8


class CallbackIds:
    """The firmware's per-function callback-ID globals (lost on reset)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._functions: dict[str, int] = {}

    @staticmethod
    def group(function: int) -> str:
        """Name of the global a function stores its callback ID in."""
        return CALLBACK_GROUPS.get(function, f"0x{function:02X}")

    def store(self, function: int, cbid: int) -> None:
        """A request of ``function`` arrived with ``cbid``: it overwrites the shared global."""
        group = self.group(function)
        self._ids[group] = cbid
        self._functions[group] = function

    def current(self, function: int) -> tuple[int, int]:
        """``(callback id, function byte)`` a callback of ``function`` goes out with *now*."""
        group = self.group(function)
        fn = self._functions.get(group, function) if group in SHARED_FUNCTION_GROUPS else function
        return self._ids.get(group, 0), fn

    def clear(self) -> None:
        """Reset: the globals are RAM."""
        self._ids.clear()
        self._functions.clear()


@dataclass
class RadioJob:
    """One queued radio job; ``run`` is awaited when the job's turn comes."""

    function: int
    node_id: int | None
    run: Callable[[RadioJob], Awaitable[None]]
    abort: asyncio.Event = field(default_factory=asyncio.Event)
    internal: bool = False  # started by the stick itself (a neighbour update's closing exchange)

    def __repr__(self) -> str:
        return f"RadioJob(0x{self.function:02X}, node={self.node_id})"


@dataclass(frozen=True)
class RefusedJob:
    """A radio job refused in strict mode because another one was pending."""

    function: int
    node_id: int | None
    pending_function: int
    pending_node_id: int | None
    at: float  # event-loop time


class Verdict:
    """What :meth:`JobQueue.admit` decided."""

    ACCEPT = "accept"
    REFUSE = "refuse"  # strict mode: overlap; ACK only, no answer
    FULL = "full"  # TX queue full: RES 0
    BUSY = "busy"  # another network-management job runs: the protocol says busy


class JobQueue:
    """Runs radio jobs one at a time, like the firmware's protocol queue."""

    def __init__(self, *, strict: bool = False, capacity: int = DEFAULT_TX_QUEUE_SIZE) -> None:
        self.strict = strict
        self.capacity = capacity
        self.current: RadioJob | None = None
        self.refused: list[RefusedJob] = []
        self.completed = 0
        self.dropped = 0  # jobs lost to a reset
        #: A network-management job running outside the TX queue (a neighbour update while its
        #: node probes its neighbours), and the task that runs it.
        self.network_job: RadioJob | None = None
        self._network_task: asyncio.Task[None] | None = None
        #: SendData to the node under a neighbour update: (node id, event-loop time); it fails.
        self.sends_to_busy_node: list[tuple[int, float]] = []
        self._network_wake: asyncio.Event | None = None
        self._waiting: deque[RadioJob] = deque()
        self._worker: asyncio.Task[None] | None = None

    @property
    def pending(self) -> list[RadioJob]:
        """The running job (if any) followed by the queued ones."""
        return ([self.current] if self.current is not None else []) + list(self._waiting)

    @property
    def busy(self) -> bool:
        """True while a radio job runs or waits (a neighbour update outside the queue too)."""
        return self.current is not None or bool(self._waiting) or self.network_job is not None

    @property
    def updating_node(self) -> int | None:
        """The node whose neighbour update runs outside the TX queue (None: none)."""
        job = self.network_job
        return job.node_id if job is not None and job.function == 0x48 else None

    def admit(self, function: int, node_id: int | None) -> str:
        """Decide about a new job of ``function`` (a :class:`Verdict` value); records refusals."""
        pending = [job for job in self.pending if not job.internal]
        if self.strict:
            first = pending[0] if pending else None
            if first is None and self.network_job is not None and function not in TX_QUEUE_ONLY:
                first = self.network_job
            if first is not None:
                return self._refuse(function, node_id, first)
        if function in NETWORK_MANAGEMENT and (
            self.network_job is not None or any(j.function in NETWORK_MANAGEMENT for j in pending)
        ):
            return Verdict.BUSY
        if len(self._waiting) >= self.capacity:
            return Verdict.FULL
        return Verdict.ACCEPT

    def _refuse(self, function: int, node_id: int | None, first: RadioJob) -> str:
        loop = asyncio.get_running_loop()
        self.refused.append(RefusedJob(function, node_id, first.function, first.node_id, loop.time()))
        _LOGGER.warning(
            "strict virtual stick: 0x%02X (node %s) refused while 0x%02X (node %s) is pending",
            function,
            node_id,
            first.function,
            first.node_id,
        )
        return Verdict.REFUSE

    def run_outside(self, job: RadioJob, coro: Awaitable[None]) -> None:
        """Run the rest of ``job`` outside the TX queue (a neighbour update's node probing its
        neighbours); ``job`` is the :attr:`network_job` until ``coro`` ends."""

        async def _outside() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                _LOGGER.exception("virtual stick: network job %r failed", job)
            finally:
                if self.network_job is job:
                    self.network_job = None

        self.network_job = job
        self._network_task = asyncio.get_running_loop().create_task(_outside(), name="zwave-sim-network-job")

    async def network_wait(self, seconds: float) -> None:
        """The running network job's off-queue wait (a node probing its neighbours), cut
        short by :meth:`finish_network_wait`."""
        self._network_wake = wake = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await wake.wait()

    def finish_network_wait(self) -> bool:
        """For tests: end the running network job's off-queue wait now (a long neighbour update
        then finishes without a timed wait).  False when none is waiting."""
        if self._network_wake is None or self._network_wake.is_set() or self.network_job is None:
            return False
        self._network_wake.set()
        return True

    async def run_internal(
        self, function: int, node_id: int | None, run: Callable[[RadioJob], Awaitable[None]]
    ) -> None:
        """Queue a job of the stick's own (not counted as a host overlap) and wait until it ran."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def _run(job: RadioJob) -> None:
            try:
                await run(job)
            finally:
                if not done.done():
                    done.set_result(None)

        self.enqueue(RadioJob(function, node_id, _run, internal=True))
        await done

    def enqueue(self, job: RadioJob) -> None:
        """Queue an admitted job; it runs after the jobs before it."""
        self._waiting.append(job)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._run(), name="zwave-sim-radio-jobs")

    async def _run(self) -> None:
        while self._waiting:
            job = self._waiting.popleft()
            self.current = job
            try:
                await job.run(job)
                self.completed += 1
            except asyncio.CancelledError:
                raise
            except Exception:
                _LOGGER.exception("virtual stick: radio job %r failed", job)
            finally:
                if self.current is job:
                    self.current = None

    def clear(self) -> None:
        """Reset / power loss: every pending job is lost, none of them calls back."""
        self.dropped += len(self.pending) + (self.network_job is not None)
        self._waiting.clear()
        self.current = None
        self.network_job = None
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        if self._network_task is not None:
            self._network_task.cancel()
            self._network_task = None

    async def stop(self) -> None:
        """Cancel the workers and wait for them."""
        workers = [w for w in (self._worker, self._network_task) if w is not None]
        self.clear()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await worker


class RadioFunctions:
    """Base of the Serial API handlers that start radio jobs (:mod:`.transmit`, :mod:`.network`)."""

    def __init__(self, api: SerialApi) -> None:
        self.api = api
        self.stick: VirtualStick = api.stick

    @property
    def jobs(self) -> JobQueue:
        """The stick's radio job queue."""
        return self.stick.jobs

    @property
    def callback_ids(self) -> CallbackIds:
        """The firmware's callback-ID globals."""
        return self.api.callback_ids

    def handlers(self) -> dict[int, Callable[[bytes], None]]:
        """Function ID -> handler, merged into :attr:`SerialApi.handlers`."""
        raise NotImplementedError

    def queue(self, function: int, node_id: int | None, run: Callable[[RadioJob], Awaitable[None]]) -> None:
        """Put an admitted job on the queue."""
        self.jobs.enqueue(RadioJob(function, node_id, run))

    def start(
        self, function: int, node_id: int | None, cbid: int | None, run: Callable[[RadioJob], Awaitable[None]]
    ) -> str:
        """Admit, store the callback ID, answer RES 1 (queued) or 0 (queue full / busy) and
        queue the job.  A job refused in strict mode gets no RES at all."""
        verdict = self.jobs.admit(function, node_id)
        if verdict == Verdict.REFUSE:
            return verdict
        if cbid is not None:
            self.callback_ids.store(function, cbid)
        if verdict == Verdict.ACCEPT:
            self.api.respond(function, b"\x01")
            self.queue(function, node_id, run)
        else:
            self.api.respond(function, b"\x00")
        return verdict

    def callback(self, function: int, body: bytes, registered: bool = True, *, need_id: bool = False) -> None:
        """Send a callback with the callback ID stored for ``function`` *now* (which may belong
        to a newer job).  ``registered``: the job asked for a callback (its ID was not 0);
        ``need_id``: the firmware checks the global instead and stays silent when it is 0."""
        if not registered:
            return
        cbid, fn = self.callback_ids.current(function)
        if need_id and not cbid:
            return
        self.api.request(fn, bytes((cbid,)) + body)
