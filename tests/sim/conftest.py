"""Fixtures for the virtual stick tests: a raw-bytes host over a real pty or TCP socket."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from custom_components.zwave_serial.zwave.frame import ACK, NAK, BadFrame, Control, Frame, FrameParser
from custom_components.zwave_serial.zwave.sim import LinkConfig, VirtualStick, build_demo_network

WAIT = 10.0  # generous upper bound so a broken stick fails the test instead of hanging it


class RawHost:
    """Minimal host: writes raw frames, parses what the stick sends, ACKs/NAKs like a host."""

    def __init__(self) -> None:
        self.parser = FrameParser()
        self.frames: asyncio.Queue[Frame] = asyncio.Queue()
        self.controls: asyncio.Queue[Control] = asyncio.Queue()
        self.bad_frames: list[BadFrame] = []
        self.bad_frame_event = asyncio.Event()
        self.closed = asyncio.Event()
        self.auto_ack = True
        self.auto_nak = True
        self.received: list[Frame] = []
        self.backlog: list[Frame] = []
        self._cbid = 0
        self.rx_timeout: float | None = 0.2  # drop partial frames like a real host
        self._partial_timer: asyncio.TimerHandle | None = None

    # transport specific
    def write(self, data: bytes) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    async def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def feed(self, data: bytes) -> None:
        for token in self.parser.feed(data):
            if isinstance(token, Frame):
                self.received.append(token)
                if self.auto_ack:
                    self.write(bytes((ACK,)))
                self.frames.put_nowait(token)
            elif isinstance(token, BadFrame):
                self.bad_frames.append(token)
                self.bad_frame_event.set()
                if self.auto_nak:
                    self.write(bytes((NAK,)))
            elif isinstance(token, Control):
                self.controls.put_nowait(token)
        if self._partial_timer is not None:
            self._partial_timer.cancel()
            self._partial_timer = None
        if self.parser.has_partial and self.rx_timeout:
            self._partial_timer = asyncio.get_running_loop().call_later(
                self.rx_timeout, self.parser.abort_partial
            )

    # helpers
    def next_cbid(self) -> int:
        self._cbid = self._cbid % 255 + 1
        return self._cbid

    async def send(self, frame: Frame | bytes) -> Control:
        """Write a frame and return the stick's ACK/NAK/CAN."""
        self.write(frame.to_bytes() if isinstance(frame, Frame) else frame)
        return await asyncio.wait_for(self.controls.get(), WAIT)

    async def expect(self, pred: Callable[[Frame], bool], timeout: float = WAIT) -> Frame:
        """Wait for the oldest frame matching ``pred``; others stay in the backlog for later."""
        for index, frame in enumerate(self.backlog):
            if pred(frame):
                del self.backlog[index]
                return frame

        async def _wait() -> Frame:
            while True:
                frame = await self.frames.get()
                if pred(frame):
                    return frame
                self.backlog.append(frame)

        return await asyncio.wait_for(_wait(), timeout)

    async def quiet(self, pred: Callable[[Frame], bool], seconds: float) -> None:
        """Assert that no frame matching ``pred`` arrives within ``seconds``."""
        try:
            frame = await self.expect(pred, seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected frame {frame!r}")

    async def call(self, function: int, payload: bytes = b"") -> Frame:
        """Request -> ACK -> Response."""
        assert await self.send(Frame.request(function, payload)) == Control.ACK
        return await self.expect(lambda f: f.type == 1 and f.function == function)

    async def send_data(self, node: int, cc: bytes, tx: int = 0x25) -> tuple[Frame, Frame]:
        """SendData: returns (response, callback)."""
        cbid = self.next_cbid()
        res = await self.call(0x13, bytes((node, len(cc))) + cc + bytes((tx, cbid)))
        assert res.payload == b"\x01"
        callback = await self.expect(lambda f: f.type == 0 and f.function == 0x13 and f.payload[0] == cbid)
        return res, callback

    async def report(self, node: int, prefix: bytes, timeout: float = WAIT) -> bytes:
        """Wait for ApplicationCommandHandler from ``node`` whose CC bytes start with ``prefix``."""
        frame = await self.expect(
            lambda f: f.type == 0
            and f.function == 0x04
            and f.payload[1] == node
            and f.payload[3:].startswith(prefix),
            timeout,
        )
        return frame.payload[3:]


class PtyHost(RawHost):
    """Raw host on the pty path."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(self.fd)
        asyncio.get_running_loop().add_reader(self.fd, self._readable)

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, 4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.fd)
            self.closed.set()
            return
        self.feed(data)

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            asyncio.get_running_loop().remove_reader(self.fd)
        with contextlib.suppress(OSError):
            os.close(self.fd)


class TcpHost(RawHost):
    """Raw host on a TCP connection."""

    async def connect(self, host: str, port: int) -> TcpHost:
        self.reader, self.writer = await asyncio.open_connection(host, port)
        self._task = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        try:
            while True:
                data = await self.reader.read(4096)
                if not data:
                    return
                self.feed(data)
        except ConnectionError:
            return
        finally:
            self.closed.set()

    def write(self, data: bytes) -> None:
        self.writer.write(data)

    async def close(self) -> None:
        self._task.cancel()
        self.writer.close()


def fast_link() -> LinkConfig:
    """Short timeouts so retransmission tests are quick."""
    return LinkConfig(ack_timeout=0.3, retry_base=0.05, retry_step=0.1)


@pytest.fixture
def stick_options() -> dict[str, Any]:
    """Extra :class:`VirtualStick` options; override with
    ``@pytest.mark.parametrize("stick_options", [{"strict": True}])``."""
    return {}


@pytest.fixture
async def stick(tmp_path, stick_options: dict[str, Any]) -> AsyncIterator[VirtualStick]:
    s = VirtualStick(link=fast_link(), **stick_options)
    build_demo_network(s, wake_up_interval=0, awake_timeout=5.0, bolt_time=0.05)
    await s.start_pty(str(tmp_path))
    yield s
    await s.stop()


@pytest.fixture
async def host(stick: VirtualStick) -> AsyncIterator[PtyHost]:
    h = PtyHost(stick.port)
    yield h
    await h.close()
