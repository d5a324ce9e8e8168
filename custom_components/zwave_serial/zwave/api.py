"""The Serial API transaction engine: one request in flight, a priority queue, callbacks.

A transaction is: send the request (the link waits for the ACK), wait for the Response,
then wait for the callback (a request from the stick with the same function and callback
id).  Every step has a timeout, so every :meth:`SerialApi.call` ends with a result or a
typed error.  Frames that do not belong to the transaction in flight are decoded and
handed to listeners (commands from nodes, application updates, stick restarts...).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

from .errors import (
    CallbackTimeout,
    CommandFailed,
    DecodeError,
    DriverStopped,
    FrameNotAcknowledged,
    NodeNoAck,
    NodeTimeout,
    NotSupported,
    ResponseTimeout,
    ZWaveError,
)
from .frame import Frame, FrameType
from .serialapi import FunctionDef, FunctionType, NodeInfoUpdate, function_name, get_function
from .serialapi.application import UpdateType
from .serialapi.transmit import DEFAULT_TX_OPTIONS, TransmitStatus, TxReport

_LOGGER = logging.getLogger(__name__)

SEND_DATA_FUNCTIONS = frozenset(
    {FunctionType.SEND_DATA, FunctionType.SEND_DATA_MULTICAST, FunctionType.SEND_DATA_BRIDGE}
)
NODE_NO_ACK_STATUSES = frozenset({TransmitStatus.NO_ACK, TransmitStatus.FAIL, TransmitStatus.NO_ROUTE})

Listener = Callable[[int, Any], None]


class Priority(IntEnum):
    """Queue priority; lower runs first, FIFO within a level."""

    CONTROLLER = 0
    USER = 1
    POLL = 2
    BACKGROUND = 3


class LinkSender(Protocol):
    """What the engine needs from the link (:class:`~.link.Link` implements it)."""

    async def send(self, frame: Frame) -> None: ...

    def write_raw(self, data: bytes) -> None: ...


@dataclass(frozen=True, slots=True)
class CallResult:
    """Decoded Response (None if the function has none) and final callback (None if none)."""

    response: Any = None
    callback: Any = None


@dataclass(eq=False)
class _Transaction:
    definition: FunctionDef
    args: tuple[Any, ...]
    wait_response: bool
    wait_callback: bool
    response_timeout: float
    callback_timeout: float
    is_final: Callable[[Any], bool] | None
    on_progress: Callable[[Any], None] | None
    future: asyncio.Future[CallResult]
    callback_id: int = 0
    response_fut: asyncio.Future[Any] | None = None
    callbacks: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None

    @property
    def function(self) -> int:
        return self.definition.id


class SerialApi:
    """Runs Serial API transactions over a link; feed it frames with :meth:`handle_frame`."""

    def __init__(
        self,
        link_sender: LinkSender,
        *,
        response_timeout: float = 10.0,
        callback_timeout: float = 65.0,
        abort_grace: float = 5.0,
        queue_full_retry_delay: float = 0.5,
        jammed_retry_delay: float = 1.0,
    ) -> None:
        self._link = link_sender
        self.response_timeout = response_timeout
        self.callback_timeout = callback_timeout
        self.abort_grace = abort_grace
        self.queue_full_retry_delay = queue_full_retry_delay
        self.jammed_retry_delay = jammed_retry_delay
        self.own_node_id: int | None = None
        # Called when a request went unacknowledged after all attempts: the stick may hang.
        self.on_unresponsive: Callable[[], None] | None = None
        self._queue: list[tuple[int, int, _Transaction]] = []
        self._seq = itertools.count()
        self._current: _Transaction | None = None
        self._starting = False
        self._last_callback_id = 0
        self._listeners: list[Listener] = []
        self._decode_failures: set[int] = set()
        self._stopped = False
        self._node_info_lock = asyncio.Lock()
        self._node_info_waiter: tuple[int, asyncio.Future[NodeInfoUpdate]] | None = None

    # --- public API -----------------------------------------------------------------

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
        priority: Priority = Priority.USER,
        response_timeout: float | None = None,
        callback_timeout: float | None = None,
        wait_callback: bool | None = None,
        is_final: Callable[[Any], bool] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> CallResult:
        """Queue one transaction and wait for its result.

        ``wait_callback=False`` sends callback id 0 (no callback wanted).  For multi-stage
        callbacks ``is_final(callback)`` decides when the transaction ends (default: the
        table's ``callback_final``); earlier callbacks go to ``on_progress`` and restart
        the callback timeout.  Raises ResponseTimeout, CallbackTimeout, CommandFailed,
        FrameNotAcknowledged, ConnectionLost, DriverStopped, NotSupported, ValueError
        (bad arguments).
        """
        if self._stopped:
            raise DriverStopped("the Serial API engine was stopped")
        definition = get_function(function)
        if definition is None:
            raise NotSupported(f"Serial API function 0x{function:02X} is not implemented")
        definition.build_request(args, 0)  # validate the arguments now (raises ValueError)
        if wait_callback is None:
            wait_callback = definition.has_callback and not (
                function == FunctionType.SET_SUC_NODE_ID and args and args[0] == self.own_node_id
            )
        loop = asyncio.get_running_loop()
        tx = _Transaction(
            definition=definition,
            args=args,
            wait_response=definition.has_response,
            wait_callback=wait_callback and definition.has_callback,
            response_timeout=self.response_timeout if response_timeout is None else response_timeout,
            callback_timeout=self.callback_timeout if callback_timeout is None else callback_timeout,
            is_final=is_final or definition.callback_final,
            on_progress=on_progress,
            future=loop.create_future(),
        )
        heapq.heappush(self._queue, (int(priority), next(self._seq), tx))
        self._start_next()
        try:
            return await tx.future
        except asyncio.CancelledError:
            if tx.task is not None and not tx.task.done():
                tx.task.cancel()
            raise

    async def send_data(
        self,
        node_id: int,
        command: bytes,
        *,
        tx_options: int = DEFAULT_TX_OPTIONS,
        priority: Priority = Priority.USER,
        callback_timeout: float | None = None,
        max_queue_full_attempts: int = 3,
        max_jammed_attempts: int = 5,
    ) -> TxReport:
        """Send a CC command to a node; return the TX report when the node acknowledged it.

        Raises NodeNoAck (with ``.tx_report``) for NoAck / Fail / NoRoute, CommandFailed
        for other negative results.  A full transmit queue (response 0) and a jammed
        radio (Fail with txTicks 0) are retried after a short delay.
        """
        queue_full = jammed = 0
        while True:
            try:
                result = await self.call(
                    FunctionType.SEND_DATA,
                    node_id,
                    bytes(command),
                    tx_options,
                    priority=priority,
                    callback_timeout=callback_timeout,
                )
            except CommandFailed as err:
                queue_full += 1
                if getattr(err, "response", True) is False and queue_full < max_queue_full_attempts:
                    _LOGGER.debug("SendData to node %d: transmit queue full, retrying", node_id)
                    await asyncio.sleep(self.queue_full_retry_delay)
                    continue
                raise
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
        self, node_id: int, timeout: float = 10.0, *, priority: Priority = Priority.USER
    ) -> NodeInfoUpdate:
        """Ask a node for its NIF and wait for the 0x49 answer.

        Raises NodeNoAck when the stick reports the request failed (0x81) or could not
        send it, NodeTimeout when nothing arrives within ``timeout``.
        """
        async with self._node_info_lock:
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[NodeInfoUpdate] = loop.create_future()
            self._node_info_waiter = (node_id, waiter)
            try:
                try:
                    await self.call(FunctionType.REQUEST_NODE_INFO, node_id, priority=priority)
                except CommandFailed as err:
                    raise NodeNoAck(
                        f"the stick could not send a node-info request to node {node_id}", node_id
                    ) from err
                try:
                    async with asyncio.timeout(timeout):
                        return await waiter
                except TimeoutError as err:
                    raise NodeTimeout(f"node {node_id} did not send its node information", node_id) from err
            finally:
                self._node_info_waiter = None
                if not waiter.done():
                    waiter.cancel()

    def fail_all(self, exc: BaseException) -> None:
        """Fail every queued and the in-flight transaction with ``exc``."""
        queued, self._queue = self._queue, []
        for _, _, tx in queued:
            if not tx.future.done():
                tx.future.set_exception(exc)
        self.abort_current(exc)
        if self._node_info_waiter is not None and not self._node_info_waiter[1].done():
            self._node_info_waiter[1].set_exception(exc)

    def abort_current(self, exc: BaseException) -> None:
        """Fail the transaction in flight with ``exc`` (the stick forgot it: it restarted);
        queued transactions go on."""
        current = self._current
        if current is None:
            return
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
        try:
            while self._current is None and self._queue and not self._stopped:
                _, _, tx = heapq.heappop(self._queue)
                if tx.future.done():
                    continue  # cancelled or failed while queued
                self._current = tx
                # Eager: runs up to the first real wait (the stick's ACK), so the bytes are written now.
                tx.task = asyncio.eager_task_factory(asyncio.get_running_loop(), self._run(tx))
        finally:
            self._starting = False

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
            self._start_next()

    async def _execute(self, tx: _Transaction) -> CallResult:
        loop = asyncio.get_running_loop()
        name = tx.definition.name
        if tx.wait_callback:
            tx.callback_id = self.next_callback_id()
        frame = Frame.request(tx.function, tx.definition.build_request(tx.args, tx.callback_id))
        if tx.wait_response:
            tx.response_fut = loop.create_future()
        _LOGGER.debug("Transaction %s (callback id %d)", name, tx.callback_id)
        await self._link.send(frame)

        response = None
        if tx.wait_response:
            assert tx.response_fut is not None
            try:
                async with asyncio.timeout(tx.response_timeout):
                    response = await tx.response_fut
            except TimeoutError:
                self._count("response_timeouts")
                if tx.function in SEND_DATA_FUNCTIONS and tx.wait_callback:
                    await self._abort_send_data(tx)
                raise ResponseTimeout(f"no response to {name} within {tx.response_timeout:g} s") from None
            if tx.function == FunctionType.GET_CONTROLLER_ID:
                self.own_node_id = response.node_id
            if tx.definition.response_ok is not None and not tx.definition.response_ok(response):
                err = CommandFailed(f"{name} was rejected by the stick (response {response!r})")
                err.response = response  # type: ignore[attr-defined]
                raise err

        callback = None
        if tx.wait_callback:
            while True:
                try:
                    async with asyncio.timeout(tx.callback_timeout):
                        callback = await tx.callbacks.get()
                except TimeoutError:
                    self._count("callback_timeouts")
                    if tx.function in SEND_DATA_FUNCTIONS:
                        self._write_abort()
                    raise CallbackTimeout(
                        f"no callback for {name} within {tx.callback_timeout:g} s"
                    ) from None
                if isinstance(callback, DecodeError):
                    raise callback
                if tx.is_final is None or tx.is_final(callback):
                    break
                if tx.on_progress is not None:
                    try:
                        tx.on_progress(callback)
                    except Exception:
                        _LOGGER.exception("Error in the progress handler of %s", name)
        return CallResult(response, callback)

    def _write_abort(self) -> None:
        try:
            self._link.write_raw(Frame.request(FunctionType.SEND_DATA_ABORT).to_bytes())
        except ZWaveError as err:
            _LOGGER.debug("Could not send SendDataAbort: %s", err)

    async def _abort_send_data(self, tx: _Transaction) -> None:
        """Response timeout on SendData: abort, then give the callback a moment to arrive."""
        self._write_abort()
        try:
            async with asyncio.timeout(self.abort_grace):
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
        if (
            tx is not None
            and tx.wait_callback
            and frame.function in (tx.function, 0)
            and frame.payload
            and frame.payload[0] == tx.callback_id
        ):
            decoder = tx.definition.decode_callback
            try:
                tx.callbacks.put_nowait(decoder(frame.payload) if decoder else frame.payload)
            except DecodeError as err:
                tx.callbacks.put_nowait(err)
            return
        self._dispatch_unsolicited(frame)

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
        if frame.function == FunctionType.APPLICATION_UPDATE_REQUEST:
            self._check_node_info(message)
        for listener in list(self._listeners):
            try:
                listener(frame.function, message)
            except Exception:
                _LOGGER.exception("Error in a Serial API listener for %s", function_name(frame.function))

    def _check_node_info(self, update: Any) -> None:
        waiting = self._node_info_waiter
        if waiting is None or waiting[1].done():
            return
        node_id, waiter = waiting
        if update.update_type == UpdateType.NODE_INFO_RECEIVED and update.node_id == node_id:
            waiter.set_result(update.node_info)
        elif update.update_type == UpdateType.NODE_INFO_REQUEST_FAILED:
            waiter.set_exception(NodeNoAck(f"node {node_id} did not answer the node-info request", node_id))
