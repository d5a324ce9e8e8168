"""Link layer of the virtual stick: ACK/NAK/CAN, receive timeout, retransmission, pacing.

Behaves like a real stick's UART side (protocol-facts §1): every valid host data frame is
ACKed (then handed to the Serial API layer), a bad checksum is NAKed, a partial frame is
dropped silently after ``rx_timeout``, a host data frame arriving while the stick waits for
an ACK is answered with CAN and discarded, and the stick's own frames are retransmitted
after NAK/CAN/ACK timeout up to ``max_attempts`` times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from ..frame import ACK, CAN, NAK, BadFrame, Control, Discarded, Frame, FrameParser
from .faults import FaultInjector

_LOGGER = logging.getLogger(__name__)

SOFT_RESET_FRAME = Frame.request(0x08).to_bytes()

Writer = Callable[[bytes], Awaitable[None]]


@dataclass
class LinkConfig:
    """Timings of the stick's link layer (seconds)."""

    ack_timeout: float = 1.6
    max_attempts: int = 3
    retry_base: float = 0.1
    retry_step: float = 1.0
    rx_timeout: float = 1.5
    pace_baud: int | None = None  # e.g. 115200 to pace output at 10 bits per byte

    def retry_delay(self, attempt: int) -> float:
        """Wait before retransmission number ``attempt`` (1-based): base + step*(attempt-1)."""
        return self.retry_base + self.retry_step * (attempt - 1)


@dataclass
class LinkCounters:
    """What the stick's link saw and did."""

    frames_received: int = 0
    frames_sent: int = 0
    acks_sent: int = 0
    naks_sent: int = 0
    cans_sent: int = 0
    acks_received: int = 0
    naks_received: int = 0
    cans_received: int = 0
    ack_timeouts: int = 0
    retransmissions: int = 0
    frames_dropped: int = 0
    partial_timeouts: int = 0
    out_of_frame_bytes: int = 0
    bytes_discarded_hung: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain dict copy."""
        return asdict(self)


class StickLink:
    """Frame-level link between one host connection and the Serial API handler."""

    def __init__(
        self,
        on_frame: Callable[[Frame], None],
        config: LinkConfig | None = None,
        faults: FaultInjector | None = None,
    ) -> None:
        self.config = config or LinkConfig()
        self.faults = faults or FaultInjector()
        self.counters = LinkCounters()
        self._on_frame = on_frame
        self._writer: Writer | None = None
        self._parser = FrameParser()
        self._rx_queue: asyncio.Queue[Frame] = asyncio.Queue()
        self._tx_queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._ack_future: asyncio.Future[int] | None = None
        self._write_lock = asyncio.Lock()
        self._not_hung = asyncio.Event()
        self._not_hung.set()
        self._partial_timer: asyncio.TimerHandle | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._hang_task: asyncio.Task[None] | None = None
        self._wedged = False  # after a hang that needs a soft reset: only SoftReset is heard
        self._wedged_tail = b""
        self._background: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start the receive and transmit workers."""
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._rx_worker(), name="zwave-sim-link-rx"),
                asyncio.create_task(self._tx_worker(), name="zwave-sim-link-tx"),
            ]

    async def stop(self) -> None:
        """Stop the workers."""
        tasks = [*self._tasks, *self._background, *([self._hang_task] if self._hang_task else [])]
        self._tasks = []
        self._hang_task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._cancel_partial_timer()

    def attach(self, writer: Writer | None) -> None:
        """Set (or clear) the function that writes bytes to the host."""
        self._writer = writer
        self._parser.abort_partial()
        self._cancel_partial_timer()

    def reset(self) -> None:
        """Forget everything in flight (power loss / reboot)."""
        self._parser.abort_partial()
        self._cancel_partial_timer()
        for queue in (self._rx_queue, self._tx_queue):
            while not queue.empty():
                queue.get_nowait()
        if self._ack_future is not None and not self._ack_future.done():
            self._ack_future.set_result(-1)
        self._ack_future = None

    @property
    def hung(self) -> bool:
        """True while :meth:`hang` is in effect."""
        return not self._not_hung.is_set()

    def hang(self, seconds: float, *, until_reset: bool = False) -> None:
        """Stop answering anything (incoming bytes are ignored, output paused) for ``seconds``.

        With ``until_reset`` the stick stays wedged afterwards (no ACK, no answer) until the
        host sends a SoftReset frame, like a Serial API application that hangs while the UART
        still receives: the only way out is a soft reset.
        """
        self.faults.counters.hangs += 1
        if self._hang_task is not None:
            self._hang_task.cancel()
        self._not_hung.clear()
        self._wedged = False
        self._parser.abort_partial()
        self._cancel_partial_timer()

        async def _resume() -> None:
            await asyncio.sleep(seconds)
            if until_reset:
                self._wedged, self._wedged_tail = True, b""
                _LOGGER.info("virtual stick stays hung after %.2f s until a soft reset", seconds)
                return
            self._not_hung.set()
            _LOGGER.info("virtual stick resumes after hang of %.2f s", seconds)

        self._hang_task = asyncio.create_task(_resume())

    # ------------------------------------------------------------------ output
    def send(self, frame: Frame) -> None:
        """Queue a data frame for transmission to the host (with retransmission)."""
        self._tx_queue.put_nowait(frame.to_bytes())

    async def _write(self, data: bytes) -> None:
        async with self._write_lock:
            await self._not_hung.wait()
            if self.config.pace_baud:
                await asyncio.sleep(len(data) * 10 / self.config.pace_baud)
            writer = self._writer
            if writer is None:
                return
            try:
                await writer(data)
            except OSError as err:
                _LOGGER.debug("write to host failed: %s", err)

    async def _write_control(self, byte: int) -> None:
        if byte == ACK:
            self.counters.acks_sent += 1
        elif byte == NAK:
            self.counters.naks_sent += 1
        else:
            self.counters.cans_sent += 1
        await self._write(bytes((byte,)))

    async def _tx_worker(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            data = await self._tx_queue.get()
            for attempt in range(1, self.config.max_attempts + 1):
                await self._not_hung.wait()
                if attempt > 1:
                    self.counters.retransmissions += 1
                wire = self.faults.outgoing(data)
                future: asyncio.Future[int] = loop.create_future()
                self._ack_future = future
                await self._write(wire)
                self.counters.frames_sent += 1
                try:
                    result = await asyncio.wait_for(asyncio.shield(future), self.config.ack_timeout)
                except TimeoutError:
                    result = 0
                    self.counters.ack_timeouts += 1
                finally:
                    if self._ack_future is future:
                        self._ack_future = None
                if result in (ACK, -1):
                    break
                _LOGGER.debug(
                    "frame %s not acknowledged (%s), attempt %d",
                    data.hex(),
                    {NAK: "NAK", CAN: "CAN"}.get(result, "timeout"),
                    attempt,
                )
                if attempt < self.config.max_attempts:
                    await asyncio.sleep(self.config.retry_delay(attempt))
            else:
                self.counters.frames_dropped += 1
                _LOGGER.warning("dropping frame %s after %d attempts", data.hex(), attempt)

    # ------------------------------------------------------------------ input
    def data_received(self, data: bytes) -> None:
        """Feed bytes read from the host."""
        if self.hung:
            if not self._wedged or SOFT_RESET_FRAME not in self._wedged_tail + data:
                if self._wedged:
                    self._wedged_tail = (self._wedged_tail + data)[-len(SOFT_RESET_FRAME) :]
                self.counters.bytes_discarded_hung += len(data)
                return
            self._wedged = False
            self._not_hung.set()
            _LOGGER.info("virtual stick: soft reset received while hung")
            data = SOFT_RESET_FRAME  # handled like any request: the stick reboots
        tokens = self._parser.feed(data)
        completed = False
        for token in tokens:
            if isinstance(token, Frame):
                completed = True
                self.counters.frames_received += 1
                if self._ack_future is not None:
                    # A data frame while we wait for an ACK: collision, answer CAN and drop it.
                    _LOGGER.debug("host frame %r while awaiting ACK: CAN", token)
                    self._spawn(self._write_control(CAN))
                    continue
                self._rx_queue.put_nowait(token)
            elif isinstance(token, BadFrame):
                completed = True
                _LOGGER.debug("bad frame from host (%s): NAK", token.reason)
                self._spawn(self._write_control(NAK))
            elif isinstance(token, Discarded):
                self.counters.out_of_frame_bytes += len(token.raw)
            else:
                self._control_received(token)
        if not self._parser.has_partial:
            self._cancel_partial_timer()
        elif completed or self._partial_timer is None:
            self._cancel_partial_timer()
            self._partial_timer = asyncio.get_running_loop().call_later(
                self.config.rx_timeout, self._partial_timeout
            )

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _control_received(self, control: Control) -> None:
        if control is Control.ACK:
            self.counters.acks_received += 1
        elif control is Control.NAK:
            self.counters.naks_received += 1
        else:
            self.counters.cans_received += 1
        future = self._ack_future
        if future is not None and not future.done():
            future.set_result(int(control))
            self._ack_future = None

    def _partial_timeout(self) -> None:
        self._partial_timer = None
        dropped = self._parser.abort_partial()
        if dropped:
            self.counters.partial_timeouts += 1
            _LOGGER.debug("dropped partial frame %s after receive timeout", dropped.hex())

    def _cancel_partial_timer(self) -> None:
        if self._partial_timer is not None:
            self._partial_timer.cancel()
            self._partial_timer = None

    async def _rx_worker(self) -> None:
        while True:
            frame = await self._rx_queue.get()
            control, delay = self.faults.ack_decision()
            if delay:
                await asyncio.sleep(delay)
            await self._write_control(control)
            if control != ACK:
                continue
            try:
                self._on_frame(frame)
            except Exception:
                _LOGGER.exception("virtual stick failed to handle %r", frame)
