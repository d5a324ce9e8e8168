"""Transport Service sessions: reassembly of incoming datagrams, segmentation of outgoing ones.

Transport Service is the outermost layer: segments arrive in plain text and the reassembled
datagram then goes through the normal receive path (an S2 frame is decrypted after reassembly).
Behaviour follows Z-Wave JS (``Driver.handleTransportServiceCommand``,
``TransportServiceMachine.ts``, ``maybeTransportServiceGenerator``):

In (one session per peer; at most ``max_sessions`` peers at a time):

* First Segment starts a session (a new First Segment from the same peer replaces its
  session: the sender gave the old one up).  A First Segment from another peer while
  ``max_sessions`` sessions are busy is answered with Segment Wait (the segments still pending
  in the busiest session); the sender restarts later.
* Every segment restarts the missing-segment timer.  When it runs out, or the last segment
  arrived with a hole, the first missing offset is asked for (Segment Request); each further
  segment asks for the next hole; when the timer runs out after a request the session is
  dropped (counted).  Other traffic of the peer is never held up.
* Complete: Segment Complete is sent and the datagram is returned once.  A repeated segment of
  a completed session (our Segment Complete was lost) is answered with Segment Complete again
  and not delivered twice.  A Subsequent Segment of an unknown session gets Segment Wait (0).
* A segment with a bad CRC is dropped and counted; a malformed one is dropped and counted.

Out (:meth:`TransportService.send_datagram`): segments of at most 39 bytes, 35 ms apart when
there are more than two; after the last one wait for Segment Complete, resend what Segment
Request asks for, restart after Segment Wait (``pending`` times 100 ms; two attempts), resend the
last segment once when nothing comes back.  A datagram the node never confirms is not an error
(Z-Wave JS's choice: the Segment Complete may be what got lost); one the node kept refusing
with Segment Wait raises :class:`~..errors.NodeError`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from ..cc.transport_service import (
    MAX_SEGMENT_SIZE,
    MAX_SESSION_ID,
    RELAXED_TIMING_THRESHOLD,
    TransportServiceCrcError,
    TransportServiceFirstSegment,
    TransportServiceSegment,
    TransportServiceSegmentComplete,
    TransportServiceSegmentRequest,
    TransportServiceSegmentWait,
    TransportServiceSubsequentSegment,
    TransportServiceTimeouts,
    decode_transport_service,
    segment_at,
)
from ..errors import CCDecodeError, NodeError, ZWaveError

_LOGGER = logging.getLogger(__name__)

#: Peers whose datagrams are reassembled at the same time (more get Segment Wait).
DEFAULT_MAX_SESSIONS = 4
#: Transfers of one datagram (a Segment Wait restarts it).
MAX_TX_ATTEMPTS = 2

SendControl = Callable[[int, bytes], Awaitable[None]]
CreateTask = Callable[[Coroutine[Any, Any, Any], str], Any]

COUNTERS = (
    "transport_service_datagrams_received",
    "transport_service_datagrams_sent",
    "transport_service_crc_errors",
    "transport_service_segments_dropped",
    "transport_service_duplicate_segments",
    "transport_service_segment_requests_sent",
    "transport_service_segment_waits_sent",
    "transport_service_rx_timeouts",
    "transport_service_tx_unconfirmed",
)


@dataclass(slots=True, repr=False)
class _RxSession:
    session_id: int
    datagram: bytearray
    have: bytearray  # one byte per datagram byte: 1 = received
    requested: bool = False  # a Segment Request went out (Z-Wave JS state "requestMissing")
    done: bool = False
    timer: asyncio.Task[None] | None = None  # a task, so the driver's stop() cancels it

    def missing_offset(self) -> int | None:
        index = self.have.find(0)
        return None if index < 0 else index

    @property
    def pending_segments(self) -> int:
        return math.ceil(self.have.count(0) / MAX_SEGMENT_SIZE)

    def cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


@dataclass(slots=True, repr=False)
class _TxSession:
    session_id: int
    event: asyncio.Event = field(default_factory=asyncio.Event)
    complete: bool = False
    wait_pending: int | None = None
    requests: list[int] = field(default_factory=list)

    def news(self) -> bool:
        return self.complete or self.wait_pending is not None or bool(self.requests)

    def reset(self) -> None:
        self.complete, self.wait_pending, self.requests = False, None, []
        self.event.clear()

    async def wait_news(self, timeout: float) -> None:
        if self.news():
            return
        self.event.clear()
        try:
            async with asyncio.timeout(timeout):
                await self.event.wait()
        except TimeoutError:
            pass


class TransportService:
    """Transport Service of the driver with every node (see module docs).

    ``send(node_id, data)`` sends one control command (Segment Request / Complete / Wait) as a
    plain SendData; ``create_task`` runs those sends and the missing-segment timers in the
    background (the driver's tracked tasks, cancelled when it stops).
    """

    def __init__(
        self,
        send: SendControl,
        create_task: CreateTask,
        *,
        timeouts: TransportServiceTimeouts | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        self._send = send
        self._create_task = create_task
        self.timeouts = timeouts or TransportServiceTimeouts()
        self.max_sessions = max_sessions
        self._rx: dict[int, _RxSession] = {}
        self._tx: dict[int, _TxSession] = {}
        self._tx_locks: dict[int, asyncio.Lock] = {}
        self._session_id = random.randint(0, MAX_SESSION_ID)
        self.counters: dict[str, int] = dict.fromkeys(COUNTERS, 0)

    def __repr__(self) -> str:
        busy = sum(not s.done for s in self._rx.values())
        return f"TransportService(rx_sessions={busy}, tx_sessions={len(self._tx)})"

    def busy_peers(self) -> list[int]:
        """Peers whose datagram is being reassembled now."""
        return [peer for peer, session in self._rx.items() if not session.done]

    def close(self) -> None:
        """Drop every incoming session and its timer."""
        for session in self._rx.values():
            session.cancel_timer()
        self._rx.clear()

    # --- in -------------------------------------------------------------------------------

    def receive(self, source: int, data: bytes) -> bytes | None:
        """Handle a Transport Service command from ``source``: the reassembled datagram when
        this segment completed one, else None."""
        try:
            command = decode_transport_service(data)
        except TransportServiceCrcError as err:
            self.counters["transport_service_crc_errors"] += 1
            _LOGGER.debug("Node %s: %s (dropped)", source, err)
            return None
        except CCDecodeError as err:
            self.counters["transport_service_segments_dropped"] += 1
            _LOGGER.debug("Node %s: malformed Transport Service command dropped: %s", source, err)
            return None
        if isinstance(command, TransportServiceFirstSegment):
            return self._first_segment(source, command)
        if isinstance(command, TransportServiceSubsequentSegment):
            return self._subsequent_segment(source, command)
        self._control(source, command)
        return None

    def _first_segment(self, source: int, segment: TransportServiceFirstSegment) -> bytes | None:
        others = [peer for peer in self.busy_peers() if peer != source]
        if len(others) >= self.max_sessions:
            pending = max(self._rx[peer].pending_segments for peer in others)
            _LOGGER.debug("Node %s: Transport Service busy with node(s) %s: Segment Wait", source, others)
            self.counters["transport_service_segment_waits_sent"] += 1
            self._send_later(source, TransportServiceSegmentWait(min(pending, 0xFF)), "Segment Wait")
            return None
        size = segment.datagram_size
        if len(segment.partial_datagram) > size:
            self.counters["transport_service_segments_dropped"] += 1
            _LOGGER.debug("Node %s: First Segment longer than its datagram (dropped)", source)
            return None
        old = self._rx.pop(source, None)
        if old is not None:
            old.cancel_timer()
        _LOGGER.debug("Node %s: Transport Service RX session #%s (%s bytes)", source, segment.session_id, size)
        session = _RxSession(segment.session_id, bytearray(size), bytearray(size))
        self._rx[source] = session
        return self._store(source, session, segment)

    def _subsequent_segment(self, source: int, segment: TransportServiceSubsequentSegment) -> bytes | None:
        session = self._rx.get(source)
        if session is None or session.session_id != segment.session_id:
            # A session we do not know (its First Segment was lost): the sender starts over.
            self.counters["transport_service_segments_dropped"] += 1
            _LOGGER.debug("Node %s: segment of unknown Transport Service session #%s: Segment Wait", source, segment.session_id)
            self.counters["transport_service_segment_waits_sent"] += 1
            self._send_later(source, TransportServiceSegmentWait(0), "Segment Wait")
            return None
        end = segment.offset + len(segment.partial_datagram)
        if segment.datagram_size != len(session.datagram) or end > len(session.datagram):
            self.counters["transport_service_segments_dropped"] += 1
            _LOGGER.debug("Node %s: segment does not fit Transport Service session #%s (dropped)", source, session.session_id)
            return None
        if session.done:
            # Our Segment Complete was lost and the node sent its last segment again.
            self.counters["transport_service_duplicate_segments"] += 1
            self._send_later(source, TransportServiceSegmentComplete(session.session_id), "Segment Complete")
            return None
        return self._store(source, session, segment)

    def _store(self, source: int, session: _RxSession, segment: TransportServiceSegment) -> bytes | None:
        start = segment.datagram_offset
        end = start + len(segment.partial_datagram)
        if all(session.have[start:end]):
            self.counters["transport_service_duplicate_segments"] += 1
        session.datagram[start:end] = segment.partial_datagram
        session.have[start:end] = b"\x01" * (end - start)
        if session.missing_offset() is None:
            session.done = True
            session.cancel_timer()
            self.counters["transport_service_datagrams_received"] += 1
            _LOGGER.debug("Node %s: Transport Service RX session #%s complete", source, session.session_id)
            self._send_later(source, TransportServiceSegmentComplete(session.session_id), "Segment Complete")
            return bytes(session.datagram)
        if session.requested or session.have[-1]:
            self._request_missing(source, session)  # the last segment came with a hole before it
        else:
            self._start_timer(source, session)
        return None

    def _start_timer(self, source: int, session: _RxSession) -> None:
        session.cancel_timer()
        session.timer = self._create_task(self._timer(source, session), f"transport service timer node {source}")

    async def _timer(self, source: int, session: _RxSession) -> None:
        await asyncio.sleep(self.timeouts.request_missing_segment)
        session.timer = None  # (a new timer cancels this one before it gets here)
        self._on_timeout(source, session)

    def _on_timeout(self, source: int, session: _RxSession) -> None:
        if self._rx.get(source) is not session or session.done:
            return
        if not session.requested:
            self._request_missing(source, session)
            return
        del self._rx[source]
        self.counters["transport_service_rx_timeouts"] += 1
        _LOGGER.debug("Node %s: Transport Service RX session #%s timed out (dropped)", source, session.session_id)

    def _request_missing(self, source: int, session: _RxSession) -> None:
        offset = session.missing_offset()
        assert offset is not None
        session.requested = True
        session.cancel_timer()
        self.counters["transport_service_segment_requests_sent"] += 1
        _LOGGER.debug("Node %s: Transport Service RX session #%s misses offset %s", source, session.session_id, offset)

        async def request() -> None:
            try:
                await self._send(source, TransportServiceSegmentRequest(session.session_id, offset).to_bytes())
            except ZWaveError as err:
                _LOGGER.debug("Segment Request to node %s failed: %s", source, err)
            finally:
                # Only time out waiting for the missing segment once it was asked for.
                if self._rx.get(source) is session and not session.done:
                    self._start_timer(source, session)

        self._create_task(request(), f"transport service request node {source}")

    def _send_later(self, node_id: int, command: Any, what: str) -> None:
        async def send() -> None:
            try:
                await self._send(node_id, command.to_bytes())
            except ZWaveError as err:
                _LOGGER.debug("%s to node %s failed: %s", what, node_id, err)

        self._create_task(send(), f"transport service {what} node {node_id}")

    def _control(self, source: int, command: Any) -> None:
        """Segment Request / Complete / Wait: answers to a datagram we are sending."""
        tx = self._tx.get(source)
        if tx is None:
            _LOGGER.debug("Node %s: %s without a Transport Service TX session (ignored)", source, command)
            return
        if isinstance(command, TransportServiceSegmentWait):
            tx.wait_pending = command.pending_segments
        elif command.session_id != tx.session_id:
            _LOGGER.debug("Node %s: %s for another TX session (ignored)", source, command)
            return
        elif isinstance(command, TransportServiceSegmentComplete):
            tx.complete = True
        else:
            assert isinstance(command, TransportServiceSegmentRequest)
            tx.requests.append(command.offset)
        tx.event.set()

    # --- out ------------------------------------------------------------------------------

    def next_session_id(self) -> int:
        """1..15, wrapping (Z-Wave JS's counter)."""
        self._session_id = self._session_id % MAX_SESSION_ID + 1
        return self._session_id

    async def send_datagram(
        self,
        node_id: int,
        datagram: bytes,
        send_segment: Callable[[bytes], Awaitable[None]],
        segment_size: int = MAX_SEGMENT_SIZE,
    ) -> bool:
        """Send ``datagram`` to ``node_id`` in segments (each through ``send_segment``, one
        SendData).  True when the node confirmed it (Segment Complete), False when it never
        answered.  Raises :class:`~..errors.NodeError` when the node kept answering Segment
        Wait, and whatever ``send_segment`` raises."""
        size = min(max(segment_size, 1), MAX_SEGMENT_SIZE)
        lock = self._tx_locks.setdefault(node_id, asyncio.Lock())
        async with lock:
            tx = _TxSession(self.next_session_id())
            self._tx[node_id] = tx
            try:
                for _attempt in range(MAX_TX_ATTEMPTS):
                    outcome = await self._transfer(node_id, tx, bytes(datagram), send_segment, size)
                    if outcome is not None:
                        return outcome
            finally:
                if self._tx.get(node_id) is tx:
                    del self._tx[node_id]
        raise NodeError(f"node {node_id} stayed busy with another Transport Service datagram", node_id)

    async def _transfer(
        self, node_id: int, tx: _TxSession, datagram: bytes, send_segment: Callable[[bytes], Awaitable[None]], size: int
    ) -> bool | None:
        """One transfer: True/False as :meth:`send_datagram`, None to restart (Segment Wait)."""
        tx.reset()
        offsets = list(range(0, len(datagram), size))
        unsent = list(offsets)
        delay = self.timeouts.relaxed_timing_delay if len(offsets) > RELAXED_TIMING_THRESHOLD else 0.0
        _LOGGER.debug(
            "Node %s: Transport Service TX session #%s, %s bytes in %s segments",
            node_id, tx.session_id, len(datagram), len(offsets),
        )
        sent_any = resent_last = False
        while True:
            if unsent:
                if sent_any and delay:
                    await asyncio.sleep(delay)
                sent_any = True
                await send_segment(segment_at(datagram, tx.session_id, unsent.pop(0), size).to_bytes())
                if unsent and not tx.news():
                    continue
            await tx.wait_news(self.timeouts.segment_complete)
            if tx.complete:
                self.counters["transport_service_datagrams_sent"] += 1
                _LOGGER.debug("Node %s: Transport Service TX session #%s complete", node_id, tx.session_id)
                return True
            if tx.wait_pending is not None:
                pause = tx.wait_pending * self.timeouts.segment_wait_unit
                _LOGGER.debug("Node %s: Segment Wait; restarting TX session #%s in %.2f s", node_id, tx.session_id, pause)
                await asyncio.sleep(pause)
                return None
            requested, tx.requests = tx.requests, []
            for offset in requested:
                if 0 <= offset < len(datagram) and offset not in unsent:
                    unsent.append(offset)
            if unsent:
                continue
            if resent_last:
                self.counters["transport_service_tx_unconfirmed"] += 1
                _LOGGER.debug("Node %s: Transport Service TX session #%s not confirmed", node_id, tx.session_id)
                return False
            resent_last = True
            unsent.append(offsets[-1])  # Segment Complete missing: send the last segment again


__all__ = ["COUNTERS", "DEFAULT_MAX_SESSIONS", "MAX_TX_ATTEMPTS", "TransportService"]
