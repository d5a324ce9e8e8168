"""A scripted fake Z-Wave stick on the master side of a real pty pair.

The driver opens ``stick.path`` (the pty slave) like a real serial port; the fake stick
reads and writes raw bytes on the master side.  Tests script it:

* ``stick.ack_script`` — what to answer to each data frame from the host, in order
  (``"ACK"``, ``"NAK"``, ``"CAN"``, ``"NONE"``); when empty, frames are ACKed.
* ``stick.on(function, handler)`` — ``handler(frame)`` returns raw bytes (or a list of
  byte strings / Frames) to send after the ACK; e.g. a Response then a callback.
* ``stick.write(...)`` / ``stick.send(frame)`` — push bytes at any time.
* ``await stick.next_frame()`` / ``await stick.next_control()`` — what the host sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import tty
from collections.abc import Callable, Iterable
from typing import Any

from custom_components.zwave_serial.zwave.frame import ACK, CAN, NAK, Control, Frame, FrameParser

Reply = bytes | Frame | Iterable[bytes | Frame] | None
Handler = Callable[[Frame], Reply]

_CONTROL_BYTES = {"ACK": bytes((ACK,)), "NAK": bytes((NAK,)), "CAN": bytes((CAN,)), "NONE": b""}


def response(function: int, payload: bytes = b"") -> Frame:
    """A Response frame from the stick."""
    return Frame.response(function, payload)


def request(function: int, payload: bytes = b"") -> Frame:
    """A Request frame from the stick (callback or unsolicited)."""
    return Frame.request(function, payload)


class FakeStick:
    """The stick side of a pty pair."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        tty.setraw(self.master)
        self.path = os.ttyname(self.slave)
        self.parser = FrameParser()
        self.frames: list[Frame] = []
        self.controls: list[Control] = []
        self.raw_received = bytearray()
        self.ack_script: list[str] = []
        self.handlers: dict[int, Handler] = {}
        self._frame_queue: asyncio.Queue[Frame] = asyncio.Queue()
        self._control_queue: asyncio.Queue[Control] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.master, self._on_readable)
        self.closed = False

    # --- scripting ----------------------------------------------------------------

    def on(self, function: int, handler: Handler) -> None:
        """Answer host requests for ``function`` with ``handler(frame)``."""
        self.handlers[function] = handler

    def write(self, data: bytes) -> None:
        """Write raw bytes towards the host."""
        if not self.closed:
            os.write(self.master, data)

    def send(self, *items: bytes | Frame) -> None:
        """Send frames (or raw bytes) towards the host."""
        for item in items:
            self.write(item.to_bytes() if isinstance(item, Frame) else item)

    async def next_frame(self, timeout: float = 5.0) -> Frame:
        """The next data frame the host sent."""
        async with asyncio.timeout(timeout):
            return await self._frame_queue.get()

    async def next_control(self, timeout: float = 5.0) -> Control:
        """The next ACK/NAK/CAN the host sent."""
        async with asyncio.timeout(timeout):
            return await self._control_queue.get()

    def close(self) -> None:
        """Unplug the stick: close the master side (the host sees the port go away)."""
        if self.closed:
            return
        self.closed = True
        self._loop.remove_reader(self.master)
        os.close(self.master)

    def cleanup(self) -> None:
        """Close both ends (end of test)."""
        self.close()
        with contextlib.suppress(OSError):
            os.close(self.slave)

    # --- receive ----------------------------------------------------------------------

    def _on_readable(self) -> None:
        try:
            data = os.read(self.master, 4096)
        except OSError:
            self._loop.remove_reader(self.master)
            return
        self.raw_received += data
        for token in self.parser.feed(data):
            if isinstance(token, Frame):
                self._handle_frame(token)
            elif isinstance(token, Control):
                self.controls.append(token)
                self._control_queue.put_nowait(token)

    def _handle_frame(self, frame: Frame) -> None:
        self.frames.append(frame)
        self._frame_queue.put_nowait(frame)
        action = self.ack_script.pop(0) if self.ack_script else "ACK"
        self.write(_CONTROL_BYTES[action])
        if action != "ACK":
            return
        handler = self.handlers.get(frame.function)
        if handler is None:
            return
        reply: Any = handler(frame)
        if reply is None:
            return
        if isinstance(reply, bytes | Frame):
            reply = [reply]
        self.send(*reply)
