"""The link layer: ACK/NAK/CAN handshakes, retransmission and receive timeouts.

Protocol-facts §1.2-1.4.  Every data frame received with a good checksum is ACKed at
once (before it is handed on); a frame with a bad checksum is NAKed; a frame that does
not complete within ``receive_timeout`` is dropped silently.  Outgoing data frames wait
for the stick's ACK and are retransmitted after NAK, CAN or an ACK timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .errors import ConnectionLost, FrameNotAcknowledged, PortNotFound
from .frame import ACK, NAK, BadFrame, Control, Discarded, Frame, FrameParser
from .transport import open_serial, redact_url

_LOGGER = logging.getLogger(__name__)

DEFAULT_ACK_TIMEOUT = 1.6
DEFAULT_RECEIVE_TIMEOUT = 1.5
DEFAULT_MAX_ATTEMPTS = 3
CONNECT_TIMEOUT = 5.0


def default_retry_delay(attempt: int) -> float:
    """Wait before retransmitting after failed attempt ``attempt`` (1-based): 0.1 s + 1 s * (n - 1)."""
    return 0.1 + 1.0 * (attempt - 1)


@dataclass
class LinkCounters:
    """Link statistics since the link was created."""

    frames_sent: int = 0
    frames_received: int = 0
    acks_sent: int = 0
    acks_received: int = 0
    naks_sent: int = 0
    naks_received: int = 0
    cans_received: int = 0
    checksum_errors: int = 0
    out_of_frame_bytes: int = 0
    retransmissions: int = 0
    ack_timeouts: int = 0
    receive_timeouts: int = 0
    response_timeouts: int = 0
    callback_timeouts: int = 0

    def as_dict(self) -> dict[str, int]:
        """All counters as a plain dict."""
        return asdict(self)


class Link(asyncio.Protocol):
    """ACK/NAK/CAN layer over an asyncio transport (a serial port or a TCP socket).

    ``on_frame(frame)`` gets every good data frame (after it was ACKed);
    ``on_lost(exc)`` is called once when the transport goes away (``exc`` is None for
    a normal close).
    """

    def __init__(
        self,
        on_frame: Callable[[Frame], None],
        on_lost: Callable[[Exception | None], None],
        *,
        ack_timeout: float = DEFAULT_ACK_TIMEOUT,
        receive_timeout: float = DEFAULT_RECEIVE_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_delays: Sequence[float] | None = None,
        formatter: Callable[[bytes], str] | None = None,
    ) -> None:
        self._on_frame = on_frame
        #: Turns a raw frame into log text; the driver passes one that masks secrets.
        self._format = formatter or (lambda data: data.hex(" "))
        self._on_lost = on_lost
        self.ack_timeout = ack_timeout
        self.receive_timeout = receive_timeout
        self.max_attempts = max(1, max_attempts)
        self._retry_delays = tuple(retry_delays) if retry_delays else None
        self.counters = LinkCounters()
        self._parser = FrameParser()
        self._transport: asyncio.BaseTransport | None = None
        self._made = asyncio.Event()
        self._lost = False
        # Set when a frame went unanswered (no ACK, NAK or CAN) on every attempt; cleared by
        # the next byte from the stick.  While set, frames get one attempt: a hung stick is
        # detected in one ACK timeout per queued transaction, not three.
        self.unresponsive = False
        self._send_lock = asyncio.Lock()
        self._ack_waiter: asyncio.Future[Control] | None = None
        self._partial_timer: asyncio.TimerHandle | None = None

    # --- state ------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while the transport is open."""
        return self._transport is not None and not self._transport.is_closing() and not self._lost

    def close(self) -> None:
        """Close the transport; a pending :meth:`send` fails with ConnectionLost."""
        self._fail_waiter(ConnectionLost("the link was closed"))
        self._cancel_partial_timer()
        if self._transport is not None and not self._transport.is_closing():
            self._transport.close()

    # --- asyncio.Protocol ---------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        self._made.set()
        _LOGGER.debug("Link connected")

    def connection_lost(self, exc: Exception | None) -> None:
        if self._lost:
            return
        self._lost = True
        self._cancel_partial_timer()
        self._fail_waiter(
            ConnectionLost(f"the serial port was lost: {exc}" if exc else "the serial port was closed")
        )
        _LOGGER.debug("Link lost: %s", exc)
        try:
            self._on_lost(exc)
        except Exception:
            _LOGGER.exception("Error in the connection-lost handler")

    def data_received(self, data: bytes) -> None:
        self.unresponsive = False
        debug = _LOGGER.isEnabledFor(logging.DEBUG)
        completed = False
        for token in self._parser.feed(data):
            if isinstance(token, Frame):
                completed = True
                if debug:
                    _LOGGER.debug("« %s", self._format(token.to_bytes()))
                self._handle_frame(token)
            elif isinstance(token, Control):
                self._handle_control(token)
            elif isinstance(token, BadFrame):
                completed = True
                self.counters.checksum_errors += 1
                _LOGGER.debug("Bad frame (%s, %d bytes); sending NAK", token.reason, len(token.raw))
                self._write_control(NAK)
                self.counters.naks_sent += 1
            elif isinstance(token, Discarded):
                self.counters.out_of_frame_bytes += len(token.raw)
                _LOGGER.debug("Discarded %d out-of-frame bytes", len(token.raw))
        self._update_partial_timer(restart=completed)

    # --- receive helpers ------------------------------------------------------------

    def _handle_frame(self, frame: Frame) -> None:
        self.counters.frames_received += 1
        self._write_control(ACK)  # ACK first, whatever the frame contains
        self.counters.acks_sent += 1
        try:
            self._on_frame(frame)
        except Exception:
            _LOGGER.exception("Error while handling %r", frame)

    def _handle_control(self, control: Control) -> None:
        if control is Control.ACK:
            self.counters.acks_received += 1
        elif control is Control.NAK:
            self.counters.naks_received += 1
        else:
            self.counters.cans_received += 1
        waiter = self._ack_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(control)
        else:
            _LOGGER.debug("Unexpected %s (no frame awaiting an ACK)", control.name)

    def _update_partial_timer(self, *, restart: bool) -> None:
        if not self._parser.has_partial:
            self._cancel_partial_timer()
            return
        if restart:
            # A frame completed in this chunk, so the partial one started in it too.
            self._cancel_partial_timer()
        if self._partial_timer is None:
            loop = asyncio.get_running_loop()
            self._partial_timer = loop.call_later(self.receive_timeout, self._on_receive_timeout)

    def _cancel_partial_timer(self) -> None:
        if self._partial_timer is not None:
            self._partial_timer.cancel()
            self._partial_timer = None

    def _on_receive_timeout(self) -> None:
        self._partial_timer = None
        dropped = self._parser.abort_partial()
        if dropped:
            self.counters.receive_timeouts += 1
            _LOGGER.debug("Receive timeout: dropped a partial frame of %d bytes (no NAK)", len(dropped))

    # --- send -------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        transport = self._transport
        if transport is None or transport.is_closing() or self._lost:
            raise ConnectionLost("the serial port is not open")
        transport.write(data)  # type: ignore[attr-defined]

    def _write_control(self, byte: int) -> None:
        try:
            self._write(bytes((byte,)))
        except ConnectionLost:
            _LOGGER.debug("Cannot send 0x%02X: port closed", byte)

    def write_raw(self, data: bytes) -> None:
        """Write bytes without waiting for an ACK (start-up NAK, SendDataAbort)."""
        _LOGGER.debug("» %s (raw)", bytes(data).hex(" "))
        self._write(bytes(data))

    def retry_delay(self, attempt: int) -> float:
        """Delay before retransmitting after failed attempt number ``attempt``."""
        if self._retry_delays:
            return self._retry_delays[min(attempt, len(self._retry_delays)) - 1]
        return default_retry_delay(attempt)

    def _fail_waiter(self, exc: Exception) -> None:
        waiter = self._ack_waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    async def send(self, frame: Frame, *, attempts: int | None = None, ack_timeout: float | None = None) -> None:
        """Send one data frame and wait for its ACK, retransmitting after NAK/CAN/timeout.

        ``attempts``/``ack_timeout`` override the link's defaults for this frame (SendDataAbort
        gets one attempt and 0.5 s, as Z-Wave JS does; such a frame never marks the stick
        unresponsive).  Raises FrameNotAcknowledged after the failed attempts, ConnectionLost
        if the port goes away.
        """
        data = frame.to_bytes()
        timeout = self.ack_timeout if ack_timeout is None else ack_timeout
        async with self._send_lock:
            loop = asyncio.get_running_loop()
            max_attempts = 1 if self.unresponsive else self.max_attempts
            if attempts is not None:
                max_attempts = min(max_attempts, attempts)
            outcome = "no attempt"
            silent = True  # every attempt ended in an ACK timeout
            for attempt in range(1, max_attempts + 1):
                if attempt > 1:
                    self.counters.retransmissions += 1
                waiter: asyncio.Future[Control] = loop.create_future()
                self._ack_waiter = waiter
                try:
                    if _LOGGER.isEnabledFor(logging.DEBUG):
                        _LOGGER.debug(
                            "» %s%s", self._format(data), f" (attempt {attempt})" if attempt > 1 else ""
                        )
                    self._write(data)
                    self.counters.frames_sent += 1
                    try:
                        async with asyncio.timeout(timeout):
                            result = await waiter
                    except TimeoutError:
                        self.counters.ack_timeouts += 1
                        outcome = "ACK timeout"
                    else:
                        if result is Control.ACK:
                            return
                        outcome = result.name
                        silent = False
                finally:
                    if self._ack_waiter is waiter:
                        self._ack_waiter = None
                    if not waiter.done():
                        waiter.cancel()
                _LOGGER.debug(
                    "%r not acknowledged (%s), attempt %d/%d", frame, outcome, attempt, max_attempts
                )
                if attempt < max_attempts:
                    await asyncio.sleep(self.retry_delay(attempt))
            if silent and attempts is None:
                self.unresponsive = True
            raise FrameNotAcknowledged(
                f"the stick did not acknowledge {frame!r} after {max_attempts} attempt(s) (last: {outcome})"
            )


async def connect(
    url: str,
    on_frame: Callable[[Frame], None],
    on_lost: Callable[[Exception | None], None],
    **link_kwargs: Any,
) -> Link:
    """Open ``url`` and return a connected :class:`Link` (raises PortNotFound)."""
    link = Link(on_frame, on_lost, **link_kwargs)
    transport, _ = await open_serial(url, lambda: link)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT):
            await link._made.wait()
    except TimeoutError as err:
        transport.close()
        raise PortNotFound(f"serial port {redact_url(url)!r} opened but never became ready") from err
    return link
