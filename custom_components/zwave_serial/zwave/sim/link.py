"""Link layer of the virtual stick: ACK/NAK/CAN, byte timeout, retransmission, output queues.

Behaves like a real 700/800 stick's UART side (``comm_interface.c`` / ``app.c``): every valid
host data frame is ACKed (then handed to the Serial API layer), a bad checksum is NAKed, a
partial frame is dropped silently when no byte arrived for ``byte_timeout`` (150 ms; the timer
restarts on every byte), a host data frame arriving while the stick waits for an ACK is
answered with CAN and discarded, and the stick's own frames are retransmitted after
NAK/CAN/ACK timeout up to ``max_attempts`` times.

Output goes through three lanes, in this order: responses (sent at once), then the callback
queue (callbacks and SerialAPIStarted) and the unsolicited queue (ApplicationCommandHandler,
ApplicationUpdate), each bounded to 8 frames like the firmware's; a frame that finds its queue
full is dropped and counted.  SetSerialApiTimeouts changes ``ack_timeout`` / ``byte_timeout``;
:meth:`StickLink.power_down` / :meth:`StickLink.power_up` model a reboot (deaf, then defaults).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from ..frame import ACK, CAN, NAK, BadFrame, Control, Discarded, Frame, FrameParser
from .faults import FaultInjector

_LOGGER = logging.getLogger(__name__)

SOFT_RESET_FRAME = Frame.request(0x08).to_bytes()
#: Requests the firmware queues as unsolicited (``RequestUnsolicited``); other requests
#: (callbacks, SerialAPIStarted) go to the callback queue, which is served first.
UNSOLICITED_FUNCTIONS = frozenset({0x04, 0x49, 0xA8, 0xD1})

Writer = Callable[[bytes], Awaitable[None]]


@dataclass
class LinkConfig:
    """Timings (seconds) and queue sizes of the stick's link layer.

    ``ack_timeout`` and ``byte_timeout`` are the power-on defaults; SetSerialApiTimeouts
    changes them until the next reset.
    """

    ack_timeout: float = 1.5
    max_attempts: int = 3
    retry_base: float = 0.1
    retry_step: float = 1.0
    byte_timeout: float = 0.15
    callback_queue: int = 8
    unsolicited_queue: int = 8
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
    bytes_discarded_rebooting: int = 0
    callback_overflows: int = 0
    unsolicited_overflows: int = 0

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
        self._responses: deque[bytes] = deque()
        self._callbacks: deque[bytes] = deque()
        self._unsolicited: deque[bytes] = deque()
        self._output = asyncio.Event()
        self._generation = 0  # bumped by reset(): the frame being sent is no longer queued
        self._defaults = (self.config.ack_timeout, self.config.byte_timeout)
        self._powered = True
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
        while not self._rx_queue.empty():
            self._rx_queue.get_nowait()
        for lane in (self._responses, self._callbacks, self._unsolicited):
            lane.clear()
        self._generation += 1
        if self._ack_future is not None and not self._ack_future.done():
            self._ack_future.set_result(-1)
        self._ack_future = None

    def power_down(self) -> None:
        """The stick reboots: in-flight frames are lost and host bytes get no answer."""
        self.reset()
        self._powered = False

    def power_up(self) -> None:
        """Rebooted: listening again, with the default ACK and byte timeouts."""
        self.restore_timeouts()
        self._powered = True

    @property
    def powered(self) -> bool:
        """False while the stick reboots."""
        return self._powered

    def restore_timeouts(self) -> None:
        """Back to the power-on ACK / byte timeouts (as after a reset)."""
        self.config.ack_timeout, self.config.byte_timeout = self._defaults

    def set_timeouts(self, ack_timeout: float, byte_timeout: float) -> tuple[float, float]:
        """SetSerialApiTimeouts: apply new timeouts; return the previous ones."""
        old = (self.config.ack_timeout, self.config.byte_timeout)
        self.config.ack_timeout, self.config.byte_timeout = ack_timeout, byte_timeout
        return old

    @property
    def pending_unsolicited(self) -> int:
        """Unsolicited frames (0x04, 0x49) not yet acknowledged by the host."""
        return len(self._unsolicited)

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
        """Queue a data frame for the host (with retransmission).

        A response is sent at once; a callback / SerialAPIStarted goes to the callback queue,
        an ApplicationCommandHandler / ApplicationUpdate to the unsolicited queue.  A frame that
        finds its queue full (``callback_queue`` / ``unsolicited_queue``) is dropped, as on the
        firmware; the frame being sent still occupies its slot until it is acknowledged.
        """
        data = frame.to_bytes()
        if frame.type == 0x01:
            self._responses.append(data)
        elif frame.function in UNSOLICITED_FUNCTIONS:
            if len(self._unsolicited) >= self.config.unsolicited_queue:
                self.counters.unsolicited_overflows += 1
                _LOGGER.warning("unsolicited queue full: dropping %s", data.hex())
                return
            self._unsolicited.append(data)
        else:
            if len(self._callbacks) >= self.config.callback_queue:
                self.counters.callback_overflows += 1
                _LOGGER.warning("callback queue full: dropping %s", data.hex())
                return
            self._callbacks.append(data)
        self._output.set()

    def _next_lane(self) -> deque[bytes] | None:
        for lane in (self._responses, self._callbacks, self._unsolicited):
            if lane:
                return lane
        return None

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
            lane = self._next_lane()
            if lane is None:
                self._output.clear()
                await self._output.wait()
                continue
            data, generation = lane[0], self._generation
            for attempt in range(1, self.config.max_attempts + 1):
                await self._not_hung.wait()
                if generation != self._generation:
                    break  # reset meanwhile: the frame is gone
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
            if generation == self._generation and lane and lane[0] is data:
                lane.popleft()

    # ------------------------------------------------------------------ input
    def data_received(self, data: bytes) -> None:
        """Feed bytes read from the host."""
        if not self._powered:
            self.counters.bytes_discarded_rebooting += len(data)
            return
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
        for token in tokens:
            if isinstance(token, Frame):
                self.counters.frames_received += 1
                if self._ack_future is not None:
                    # A data frame while we wait for an ACK: collision, answer CAN and drop it.
                    _LOGGER.debug("host frame %r while awaiting ACK: CAN", token)
                    self._spawn(self._write_control(CAN))
                    continue
                self._rx_queue.put_nowait(token)
            elif isinstance(token, BadFrame):
                _LOGGER.debug("bad frame from host (%s): NAK", token.reason)
                self._spawn(self._write_control(NAK))
            elif isinstance(token, Discarded):
                self.counters.out_of_frame_bytes += len(token.raw)
            else:
                self._control_received(token)
        # The byte timer restarts on every byte (firmware ``store_byte``): a frame may take
        # long as a whole, but a gap of ``byte_timeout`` inside it drops it silently.
        self._cancel_partial_timer()
        if self._parser.has_partial:
            self._partial_timer = asyncio.get_running_loop().call_later(
                self.config.byte_timeout, self._partial_timeout
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
            _LOGGER.debug("dropped partial frame %s after the byte timeout", dropped.hex())

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
