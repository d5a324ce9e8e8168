"""The Serial API transaction engine: one transaction at a time, a priority queue, callbacks.

A transaction is: send the request (the link waits for the ACK), wait for the Response,
then wait for the result (a callback: a request from the stick with the same function and
callback id, or for RequestNodeInfo the node's ApplicationUpdate).  Every step has a
timeout, so every :meth:`SerialApi.call` ends with a result or a typed error.

**One radio job at a time.**  A function whose result comes later over the radio (the
function table's ``radio_job``) keeps the engine busy until that result arrives or times
out; no other transaction is started meanwhile.  This is Z-Wave JS's rule: real firmware
would queue an overlapping job, but it keeps one callback id per function, so an
overlapped or abandoned job reports its result under the next job's id.  Consequences:

* SendData whose callback is late is aborted (SendDataAbort, waiting for its ACK) after
  ``send_data_abort_after`` seconds, and the engine keeps waiting for the callback that
  follows the abort until the callback timeout, so the abandoned job cannot report under
  the next job's id.
* A radio job the stick refuses (Response 0: its queue is full) fails with
  :class:`~..errors.JobRefused`; the functions whose refusal means "queue full" are
  retried after ``refused_retry_delay``.

**Neighbour updates run detached.**  A RequestNodeNeighborUpdate leaves the queue at its
"started" callback; its final callback is awaited outside the queue while frames to other nodes
go on, and network-management jobs, leases and frames to the node under update wait for it
(see :mod:`.gate`).

**Radio leases.**  Network management is a sequence of radio jobs that must not be
interleaved with anything else (AddNodeToNetwork in add mode, then its Stop, then a Stop
without callback).  :meth:`SerialApi.reserve` queues a lease like a transaction; once
granted, only calls made with that lease run until it is released.

Frames that do not belong to the transaction in flight are decoded and handed to
listeners (commands from nodes, application updates, stick restarts...).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import heapq
import itertools
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import (
    CallbackTimeout,
    CommandFailed,
    DecodeError,
    DriverStopped,
    FrameNotAcknowledged,
    JobRefused,
    NodeNoAck,
    NodeTimeout,
    NotSupported,
    ResponseTimeout,
    ZWaveError,
)
from ..frame import Frame, FrameType
from . import FunctionDef, FunctionType, function_name, get_function
from .application import NodeInfoUpdate, UpdateType
from .functions import DEFAULT_CALLBACK_TIMEOUT, Priority
from .gate import DETACH_AFTER_PROGRESS, held_by, target_node
from .transmit import DEFAULT_TX_OPTIONS, TransmitStatus, TxReport

_LOGGER = logging.getLogger(__name__)

SEND_DATA_FUNCTIONS = frozenset(
    {FunctionType.SEND_DATA, FunctionType.SEND_DATA_MULTICAST, FunctionType.SEND_DATA_BRIDGE}
)
NODE_NO_ACK_STATUSES = frozenset({TransmitStatus.NO_ACK, TransmitStatus.FAIL, TransmitStatus.NO_ROUTE})
#: Z-Wave JS waits this long for the ACK of a SendDataAbort (it has no Response).
ABORT_ACK_TIMEOUT = 0.5

Listener = Callable[[int, Any], None]

__all__ = ["CallResult", "LinkSender", "Priority", "RadioLease", "SerialApi"]


class LinkSender(Protocol):
    """What the engine needs from the link (:class:`~..link.Link` implements it)."""

    async def send(self, frame: Frame, *, attempts: int | None = None, ack_timeout: float | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class CallResult:
    """Decoded Response (None if the function has none) and final callback (None if none)."""

    response: Any = None
    callback: Any = None


@dataclass(eq=False)
class _Transaction:
    definition: FunctionDef
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    wait_response: bool
    wait_callback: bool
    response_timeout: float
    callback_timeout: float
    is_final: Callable[[Any], bool] | None
    on_progress: Callable[[Any], None] | None
    future: asyncio.Future[CallResult]
    callback_id: int = 0
    request: bytes = b""
    response_fut: asyncio.Future[Any] | None = None
    callbacks: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None

    @property
    def function(self) -> int:
        return self.definition.id

    def takes_callback(self, frame: Frame) -> bool:
        """Is ``frame`` (a request from the stick) a callback of this transaction?"""
        if not self.wait_callback:
            return False
        definition = self.definition
        if frame.function not in (definition.id, 0) and frame.function not in definition.callback_functions:
            return False  # (some sticks send callbacks with function 0)
        if definition.callback_match is not None:
            return True  # decided on the decoded frame (see SerialApi._offer_callback)
        return bool(frame.payload) and frame.payload[0] == self.callback_id


@dataclass(eq=False)
class RadioLease:
    """The radio reserved for a sequence of calls (see :meth:`SerialApi.reserve`); pass it
    as ``lease=`` to the calls that belong to the sequence."""

    future: asyncio.Future[None]
    pending: deque[_Transaction] = field(default_factory=deque)


class SerialApi:
    """Runs Serial API transactions over a link; feed it frames with :meth:`handle_frame`."""

    def __init__(
        self,
        link_sender: LinkSender,
        *,
        response_timeout: float = 10.0,
        callback_timeout: float = DEFAULT_CALLBACK_TIMEOUT,
        send_data_abort_after: float = 20.0,
        refused_retry_delay: float = 0.5,
        refused_attempts: int = 3,
        jammed_retry_delay: float = 1.0,
    ) -> None:
        self._link = link_sender
        self.response_timeout = response_timeout
        #: Default callback timeout; a function's own (``FunctionDef.callback_timeout``) wins
        #: when it is longer, a caller's ``callback_timeout`` always.
        self.callback_timeout = callback_timeout
        self.send_data_abort_after = send_data_abort_after
        self.refused_retry_delay = refused_retry_delay
        self.refused_attempts = max(1, refused_attempts)
        self.jammed_retry_delay = jammed_retry_delay
        self.own_node_id: int | None = None
        # Called when a request went unacknowledged after all attempts: the stick may hang.
        self.on_unresponsive: Callable[[], None] | None = None
        self._queue: list[tuple[int, int, _Transaction | RadioLease]] = []
        self._lease: RadioLease | None = None
        self._seq = itertools.count()
        self._current: _Transaction | None = None
        #: A neighbour update waiting for its final callback outside the queue (see :mod:`.gate`).
        self._detached: _Transaction | None = None
        self._starting = False
        self._last_callback_id = 0
        self._listeners: list[Listener] = []
        self._decode_failures: set[int] = set()
        self._stopped = False

    # --- public API -----------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a transaction is in flight (a radio job until its result) or the
        radio is leased."""
        return self._current is not None or self._lease is not None

    @property
    def updating_node(self) -> int | None:
        """The node whose neighbour update runs detached (None: none); until its final
        callback, network-management jobs and frames to that node wait."""
        tx = self._detached
        return None if tx is None else target_node(tx.function, tx.args, tx.kwargs)

    def add_listener(self, callback: Listener) -> Callable[[], None]:
        """Register ``callback(function_id, message)`` for unsolicited frames; returns unsubscribe.

        ``message`` is the decoded object, or the raw :class:`Frame` for functions the
        table does not know.  Frames of known functions that fail to decode are dropped.
        """
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def next_callback_id(self) -> int:
        """Allocate a callback id: 1..255, wrapping back to 1 (0 means "no callback")."""
        self._last_callback_id = self._last_callback_id % 0xFF + 1
        return self._last_callback_id

    async def call(
        self,
        function: int,
        *args: Any,
        priority: Priority | None = None,
        response_timeout: float | None = None,
        callback_timeout: float | None = None,
        wait_callback: bool | None = None,
        is_final: Callable[[Any], bool] | None = None,
        on_progress: Callable[[Any], None] | None = None,
        lease: RadioLease | None = None,
        finish_on_cancel: bool = False,
        **kwargs: Any,
    ) -> CallResult:
        """Queue one transaction and wait for its result.

        Positional ``args`` and keyword ``kwargs`` are the function's request arguments
        (the table's encoder: e.g. ``call(FunctionType.GET_NODE_PROTOCOL_INFO, node_id=5)``).
        ``priority`` defaults to the function's own.  ``wait_callback=False`` sends callback
        id 0 (no callback wanted).  For multi-stage callbacks ``is_final(callback)`` decides
        when the transaction ends (default: the table's ``callback_final``); earlier
        callbacks go to ``on_progress`` and restart the callback timeout.  A radio job the
        stick refuses is retried (``retry_refused`` functions) and then raises JobRefused.
        ``lease``: run inside that held lease (:meth:`reserve`), not through the queue.
        ``finish_on_cancel``: when the caller is cancelled while the job is already on the
        radio, the engine still waits for its result (stays busy) instead of abandoning it, so
        the next job cannot overlap it (a queued one is simply withdrawn).
        Raises ResponseTimeout, CallbackTimeout, CommandFailed, JobRefused,
        FrameNotAcknowledged, ConnectionLost, DriverStopped, NotSupported, ValueError
        (bad arguments).
        """
        if self._stopped:
            raise DriverStopped("the Serial API engine was stopped")
        definition = get_function(function)
        if definition is None:
            raise NotSupported(f"Serial API function 0x{function:02X} is not implemented")
        definition.build_request(args, 0, kwargs)  # validate the arguments now (raises ValueError)
        if wait_callback is None:
            wait_callback = definition.has_callback and not (
                function == FunctionType.SET_SUC_NODE_ID
                and (kwargs.get("node_id", args[0] if args else None)) == self.own_node_id
            )
        if callback_timeout is None:
            callback_timeout = max(self.callback_timeout, definition.callback_timeout or 0.0)
        attempts = self.refused_attempts if definition.retry_refused else 1
        for attempt in range(1, attempts + 1):
            tx = _Transaction(
                definition=definition,
                args=args,
                kwargs=kwargs,
                wait_response=definition.has_response,
                wait_callback=wait_callback and definition.has_callback,
                response_timeout=self.response_timeout if response_timeout is None else response_timeout,
                callback_timeout=callback_timeout,
                is_final=is_final or definition.callback_final,
                on_progress=on_progress,
                future=asyncio.get_running_loop().create_future(),
            )
            try:
                return await self._submit(
                    tx, definition.priority if priority is None else priority, lease, finish_on_cancel
                )
            except JobRefused:
                if attempt == attempts:
                    raise
                _LOGGER.debug("%s refused by the stick (queue full); retrying", definition.name)
                await asyncio.sleep(self.refused_retry_delay * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _submit(
        self, tx: _Transaction, priority: Priority, lease: RadioLease | None = None, finish_on_cancel: bool = False
    ) -> CallResult:
        if lease is not None:
            if lease is not self._lease:
                raise DriverStopped("the radio lease is not held (released, or the engine was stopped)")
            lease.pending.append(tx)
        else:
            heapq.heappush(self._queue, (int(priority), next(self._seq), tx))
        self._start_next()
        try:
            return await tx.future
        except asyncio.CancelledError:
            # A SendData whose request went out keeps the engine busy until its callback (or the
            # engine's own timeout and abort) even when its caller gives up: abandoning it would
            # let the next SendData overlap it on the stick (seen at shutdown: a second SendData
            # to a node while the first was pending, which firmware mislabels and Z-Wave JS
            # refuses).  Modes the host ends itself (AddNode, RemoveNode...) are abandoned: their
            # Stop must be able to go out.
            started_send = tx.function in SEND_DATA_FUNCTIONS and bool(tx.request)
            if tx.task is not None and not tx.task.done() and not (finish_on_cancel or started_send):
                tx.task.cancel()
            raise

    @contextlib.asynccontextmanager
    async def reserve(self, priority: Priority = Priority.CONTROLLER) -> AsyncIterator[RadioLease]:
        """Hold the radio for a sequence of calls: queued like a transaction of ``priority``;
        inside, only calls with ``lease=`` the yielded lease run; released on exit."""
        if self._stopped:
            raise DriverStopped("the Serial API engine was stopped")
        lease = RadioLease(asyncio.get_running_loop().create_future())
        heapq.heappush(self._queue, (int(priority), next(self._seq), lease))
        self._start_next()
        try:
            await lease.future
            yield lease
        finally:
            if not lease.future.done():
                lease.future.cancel()
            if self._lease is lease:
                self._lease = None
                for tx in lease.pending:
                    if not tx.future.done():
                        tx.future.set_exception(DriverStopped("the radio lease was released"))
                self._start_next()

    async def send_data(
        self,
        node_id: int,
        command: bytes,
        *,
        tx_options: int = DEFAULT_TX_OPTIONS,
        priority: Priority = Priority.USER,
        callback_timeout: float | None = None,
        max_jammed_attempts: int = 5,
    ) -> TxReport:
        """Send a CC command to a node; return the TX report when the node acknowledged it.

        Raises NodeNoAck (with ``.tx_report``) for NoAck / Fail / NoRoute, CommandFailed
        for other negative results, JobRefused when the stick's queue stays full.  A
        jammed radio (Fail with txTicks 0) is retried after a short delay.
        """
        jammed = 0
        while True:
            result = await self.call(
                FunctionType.SEND_DATA,
                node_id=node_id,
                data=bytes(command),
                tx_options=tx_options,
                priority=priority,
                callback_timeout=callback_timeout,
            )
            report: TxReport = result.callback
            if report.ok:
                return report
            if report.status == TransmitStatus.FAIL and report.tx_ticks == 0:
                jammed += 1
                if jammed < max_jammed_attempts:
                    _LOGGER.debug("SendData to node %d: radio jammed, retrying", node_id)
                    await asyncio.sleep(self.jammed_retry_delay)
                    continue
            if report.status in NODE_NO_ACK_STATUSES:
                err = NodeNoAck(f"node {node_id} did not acknowledge ({report.status_name})", node_id=node_id)
            else:
                err = CommandFailed(f"SendData to node {node_id} failed ({report.status_name})")
            err.tx_report = report  # type: ignore[attr-defined]
            raise err

    async def request_node_info(
        self, node_id: int, timeout: float | None = None, *, priority: Priority = Priority.BACKGROUND
    ) -> NodeInfoUpdate:
        """Ask a node for its NIF; the engine stays busy until the node's ApplicationUpdate.

        Raises NodeNoAck when the stick reports the request failed (0x81) or could not
        send it, NodeTimeout when nothing arrives within ``timeout`` (the node ACKed but
        never answered: real firmware then sends nothing at all).
        """
        try:
            result = await self.call(
                FunctionType.REQUEST_NODE_INFO, node_id=node_id, priority=priority, callback_timeout=timeout
            )
        except JobRefused as err:
            raise NodeNoAck(f"the stick could not send a node-info request to node {node_id}", node_id) from err
        except CallbackTimeout as err:
            raise NodeTimeout(f"node {node_id} did not send its node information", node_id) from err
        update = result.callback
        if update.update_type != UpdateType.NODE_INFO_RECEIVED or update.node_info is None:
            raise NodeNoAck(f"node {node_id} did not answer the node-info request", node_id)
        return update.node_info

    async def soft_reset(self, *, started_timeout: float = 5.0) -> Any:
        """Restart the stick (queued at controller priority, so never inside another job) and
        wait up to ``started_timeout`` for its SerialAPIStarted; returns it, or None (500
        series sticks send none).  Queued transactions run after the reset."""
        result = await self.call(
            FunctionType.SOFT_RESET, priority=Priority.CONTROLLER, callback_timeout=started_timeout
        )
        return result.callback

    def fail_all(self, exc: BaseException) -> None:
        """Fail every queued and the in-flight transaction with ``exc``."""
        queued, self._queue = self._queue, []
        if self._lease is not None:
            queued += [(0, 0, tx) for tx in self._lease.pending]
            self._lease.pending.clear()
        for _, _, item in queued:
            if not item.future.done():
                item.future.set_exception(exc)
        self.abort_current(exc)

    def abort_current(self, exc: BaseException) -> None:
        """Fail the transaction in flight and a detached neighbour update with ``exc`` (the
        stick forgot them: it restarted); queued transactions go on."""
        for current in (self._current, self._detached):
            if current is None:
                continue
            if not current.future.done():
                current.future.set_exception(exc)
            if current.task is not None and not current.task.done():
                current.task.cancel()

    def stop(self) -> None:
        """Fail everything with DriverStopped; later calls raise DriverStopped."""
        self._stopped = True
        self.fail_all(DriverStopped("the Serial API engine was stopped"))

    # --- running transactions -------------------------------------------------------------

    def _start_next(self) -> None:
        """Start the first queued transaction unless one is in flight.

        Called when a transaction is queued and when one ends, so a request is written in
        the same event-loop step as the call that queued it (no worker task to wake up).
        """
        if self._starting:
            return  # a transaction that ended while being started: the loop below goes on
        self._starting = True
        held: list[tuple[int, int, _Transaction | RadioLease]] = []
        try:
            while self._current is None and not self._stopped:
                lease = self._lease
                if lease is not None:
                    if not lease.pending:
                        break  # the radio is leased: only the lease's calls run
                    tx = lease.pending.popleft()
                elif self._queue:
                    entry = heapq.heappop(self._queue)
                    item = entry[2]
                    if self._held(item):
                        held.append(entry)  # back in the queue once the neighbour update ended
                        continue
                    if isinstance(item, RadioLease):
                        if not item.future.done():  # (else abandoned while queued)
                            self._lease = item
                            item.future.set_result(None)
                        continue
                    tx = item
                else:
                    break
                if tx.future.done():
                    continue  # cancelled or failed while queued
                self._current = tx
                # Eager: runs up to the first real wait (the stick's ACK), so the bytes are written now.
                tx.task = asyncio.eager_task_factory(asyncio.get_running_loop(), self._run(tx))
        finally:
            for entry in held:
                heapq.heappush(self._queue, entry)
            self._starting = False

    def _held(self, item: _Transaction | RadioLease) -> bool:
        """Must a queued item wait for the detached neighbour update (see :mod:`.gate`)?"""
        detached = self._detached
        if detached is None or item.future.done():
            return False
        if isinstance(item, RadioLease):
            return True
        update_node = target_node(detached.function, detached.args, detached.kwargs)
        return held_by(update_node, item.function, item.definition.radio_job, item.args, item.kwargs)

    def _detach(self, tx: _Transaction) -> None:
        """The neighbour update started: free the queue, keep waiting for its final callback."""
        if self._current is not tx or self._lease is not None:
            return  # (inside a lease the sequence owns the radio anyway)
        _LOGGER.debug("%s started: waiting for its result outside the queue", tx.definition.name)
        self._current = None
        self._detached = tx
        self._start_next()

    async def _run(self, tx: _Transaction) -> None:
        try:
            result = await self._execute(tx)
        except asyncio.CancelledError:
            if not tx.future.done():
                tx.future.set_exception(DriverStopped("the transaction was cancelled"))
        except Exception as err:  # handed to the caller
            if not tx.future.done():
                tx.future.set_exception(err)
            if isinstance(err, FrameNotAcknowledged) and self.on_unresponsive is not None:
                self.on_unresponsive()
        else:
            if not tx.future.done():
                tx.future.set_result(result)
        finally:
            if self._current is tx:
                self._current = None
            if self._detached is tx:
                self._detached = None
            self._start_next()

    async def _execute(self, tx: _Transaction) -> CallResult:
        loop = asyncio.get_running_loop()
        name = tx.definition.name
        if tx.wait_callback and tx.definition.callback_has_id:
            tx.callback_id = self.next_callback_id()
        tx.request = tx.definition.build_request(tx.args, tx.callback_id, tx.kwargs)
        if tx.is_final is None and tx.definition.final_for_request is not None:
            tx.is_final = functools.partial(tx.definition.final_for_request, tx.request)
        frame = Frame.request(tx.function, tx.request)
        if tx.wait_response:
            tx.response_fut = loop.create_future()
        _LOGGER.debug("Transaction %s (callback id %d)", name, tx.callback_id)
        await self._link.send(frame)

        response = None
        if tx.wait_response:
            response = await self._wait_response(tx)
        callback = await self._wait_callback(tx) if tx.wait_callback else None
        return CallResult(response, callback)

    async def _wait_response(self, tx: _Transaction) -> Any:
        assert tx.response_fut is not None
        name = tx.definition.name
        try:
            async with asyncio.timeout(tx.response_timeout):
                response = await tx.response_fut
        except TimeoutError:
            self._count("response_timeouts")
            if tx.function in SEND_DATA_FUNCTIONS and tx.wait_callback:
                # The stick may have queued the job: abort it and take the callback that
                # follows, so it cannot be read as the next SendData's result.
                await self._abort_and_drain(tx, self.send_data_abort_after / 4)
            raise ResponseTimeout(f"no response to {name} within {tx.response_timeout:g} s") from None
        if tx.function == FunctionType.GET_CONTROLLER_ID:
            self.own_node_id = response.node_id
        if tx.definition.response_ok is not None and not tx.definition.response_ok(response):
            if tx.definition.radio_job:
                raise JobRefused(f"{name} was not accepted by the stick (response {response!r})", response)
            err = CommandFailed(f"{name} was rejected by the stick (response {response!r})")
            err.response = response  # type: ignore[attr-defined]
            raise err
        return response

    async def _wait_callback(self, tx: _Transaction) -> Any:
        name = tx.definition.name
        loop = asyncio.get_running_loop()
        deadline = loop.time() + tx.callback_timeout
        abort_at = (
            loop.time() + min(self.send_data_abort_after, tx.callback_timeout)
            if tx.function in SEND_DATA_FUNCTIONS
            else None
        )
        while True:
            wake = deadline if abort_at is None else min(deadline, abort_at)
            try:
                async with asyncio.timeout_at(wake):
                    callback = await tx.callbacks.get()
            except TimeoutError:
                if abort_at is not None and loop.time() < deadline:
                    # Z-Wave JS: abort a SendData whose callback is late, then keep waiting:
                    # the stick answers the abort with this job's (failed) callback.
                    abort_at = None
                    await self._send_abort()
                    continue
                self._count("callback_timeouts")
                if tx.definition.callback_optional:
                    return None
                raise CallbackTimeout(f"no callback for {name} within {tx.callback_timeout:g} s") from None
            if isinstance(callback, DecodeError):
                raise callback
            if tx.is_final is None or tx.is_final(callback):
                return callback
            deadline = loop.time() + tx.callback_timeout  # progress restarts the timeout
            if tx.function in DETACH_AFTER_PROGRESS:
                self._detach(tx)
            if tx.on_progress is not None:
                try:
                    tx.on_progress(callback)
                except Exception:
                    _LOGGER.exception("Error in the progress handler of %s", name)

    async def _send_abort(self) -> None:
        """SendDataAbort has no Response: send it and wait briefly for its ACK (as Z-Wave JS),
        so that ACK is not taken for the next frame's."""
        try:
            await self._link.send(
                Frame.request(FunctionType.SEND_DATA_ABORT), attempts=1, ack_timeout=ABORT_ACK_TIMEOUT
            )
        except ZWaveError as err:
            _LOGGER.debug("SendDataAbort not acknowledged: %s", err)

    async def _abort_and_drain(self, tx: _Transaction, grace: float) -> None:
        await self._send_abort()
        try:
            async with asyncio.timeout(grace):
                callback = await tx.callbacks.get()
        except TimeoutError:
            return
        _LOGGER.debug("%s callback after abort: %r", tx.definition.name, callback)

    def _count(self, name: str) -> None:
        """Count a Serial API timeout on the link's counters (the one place statistics come from)."""
        counters = getattr(self._link, "counters", None)
        if counters is not None:
            setattr(counters, name, getattr(counters, name) + 1)

    # --- incoming frames ------------------------------------------------------------------

    def handle_frame(self, frame: Frame) -> None:
        """Route a frame from the stick: to the transaction in flight, or to the listeners."""
        tx = self._current
        if frame.type == FrameType.RESPONSE:
            if (
                tx is not None
                and tx.response_fut is not None
                and not tx.response_fut.done()
                and frame.function == tx.function
            ):
                self._resolve_response(tx, frame)
            else:
                _LOGGER.debug("Unexpected response %r (dropped)", frame)
            return
        if tx is not None and tx.takes_callback(frame) and self._offer_callback(tx, frame):
            return
        detached = self._detached
        if detached is not None and detached.takes_callback(frame) and self._offer_callback(detached, frame):
            return
        self._dispatch_unsolicited(frame)

    def _offer_callback(self, tx: _Transaction, frame: Frame) -> bool:
        """Give ``frame`` to the transaction if it is its callback; False to pass it on."""
        if tx.response_fut is not None and not tx.response_fut.done() and tx.definition.callback_match:
            return False  # an id-less result cannot come before the job was accepted
        definition = tx.definition if frame.function in (tx.function, 0) else get_function(frame.function)
        decoder = definition.decode_callback if definition is not None else None
        try:
            message = decoder(frame.payload) if decoder else frame.payload
        except DecodeError as err:
            if tx.definition.callback_match is not None:
                return False
            tx.callbacks.put_nowait(err)
            return True
        if tx.definition.callback_match is not None and not tx.definition.callback_match(tx.request, message):
            return False
        tx.callbacks.put_nowait(message)
        return True

    def _resolve_response(self, tx: _Transaction, frame: Frame) -> None:
        assert tx.response_fut is not None
        decoder = tx.definition.decode_response
        try:
            tx.response_fut.set_result(decoder(frame.payload) if decoder else frame.payload)
        except DecodeError as err:
            tx.response_fut.set_exception(err)

    def _dispatch_unsolicited(self, frame: Frame) -> None:
        definition = get_function(frame.function)
        message: Any = frame
        if definition is not None and definition.decode_callback is not None:
            try:
                message = definition.decode_callback(frame.payload)
            except DecodeError as err:
                if frame.function not in self._decode_failures:
                    self._decode_failures.add(frame.function)
                    _LOGGER.warning("Cannot decode %s from the stick: %s", function_name(frame.function), err)
                else:
                    _LOGGER.debug("Cannot decode %s: %s", function_name(frame.function), err)
                return
        for listener in list(self._listeners):
            try:
                listener(frame.function, message)
            except Exception:
                _LOGGER.exception("Error in a Serial API listener for %s", function_name(frame.function))
