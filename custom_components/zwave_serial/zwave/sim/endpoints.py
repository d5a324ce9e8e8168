"""Host-facing endpoints of the virtual stick: a pty (with a stable symlink) or a TCP port.

Both can be "unplugged" (the host sees the port vanish) and "replugged" (the host can reopen
the same path / reconnect to the same port).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import tempfile
import termios
import tty

from .link import StickLink

_LOGGER = logging.getLogger(__name__)

SYMLINK_NAME = "ttyZWaveSim"


class PtyEndpoint:
    """A pseudo-terminal; the host opens :attr:`path`, a stable symlink to /dev/pts/N."""

    def __init__(self, link: StickLink, symlink_dir: str | None = None) -> None:
        self._link = link
        self._own_dir = symlink_dir is None
        self._dir = symlink_dir
        self._master: int | None = None
        self._slave: int | None = None
        self.path: str = ""
        self.device: str = ""

    async def start(self) -> str:
        """Create the pty and the symlink; return the symlink path."""
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="zwave-sim-")
        os.makedirs(self._dir, exist_ok=True)
        self.path = os.path.join(self._dir, SYMLINK_NAME)
        self._open()
        return self.path

    def _open(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave, termios.TCSANOW)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self.device = os.ttyname(slave)
        tmp = f"{self.path}.tmp{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(self.device, tmp)
        os.replace(tmp, self.path)
        asyncio.get_running_loop().add_reader(master, self._readable)
        self._link.attach(self._write)
        _LOGGER.info("virtual stick on %s -> %s", self.path, self.device)

    def _close(self) -> None:
        self._link.attach(None)
        if self._master is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._master)
            for fd in (self._master, self._slave):
                with contextlib.suppress(OSError):
                    os.close(fd)  # type: ignore[arg-type]
        self._master = self._slave = None

    def _readable(self) -> None:
        if self._master is None:
            return
        try:
            data = os.read(self._master, 4096)
        except BlockingIOError:
            return
        except OSError as err:
            if err.errno == errno.EIO:
                return
            raise
        if data:
            self._link.data_received(data)

    async def _write(self, data: bytes) -> None:
        view = memoryview(data)
        attempts = 0
        while view and self._master is not None:
            try:
                written = os.write(self._master, view)
                view = view[written:]
            except BlockingIOError:
                attempts += 1
                if attempts > 100:
                    _LOGGER.debug("pty output buffer full, dropping %d bytes", len(view))
                    return
                await asyncio.sleep(0.01)

    @property
    def connected(self) -> bool:
        """True while the pty exists."""
        return self._master is not None

    async def unplug(self) -> None:
        """Close the pty and remove the symlink (the host's fd reports EOF/EIO)."""
        self._close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    async def replug(self) -> None:
        """Create a fresh pty and point the same symlink path at it."""
        if self._master is None:
            self._open()

    async def stop(self) -> None:
        """Close everything and remove the symlink (and its temp dir if we made it)."""
        await self.unplug()
        if self._own_dir and self._dir:
            with contextlib.suppress(OSError):
                os.rmdir(self._dir)

    @property
    def url(self) -> str:
        """What the driver should open."""
        return self.path


class TcpEndpoint:
    """A TCP listener accepting one host connection at a time (like ser2net)."""

    def __init__(self, link: StickLink, host: str = "127.0.0.1", port: int = 0) -> None:
        self._link = link
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None

    async def start(self) -> tuple[str, int]:
        """Listen; return ``(host, port)`` (the port is fixed after the first start)."""
        self._server = await asyncio.start_server(self._on_client, self.host, self.port, reuse_address=True)
        sock = self._server.sockets[0]
        self.host, self.port = sock.getsockname()[:2]
        _LOGGER.info("virtual stick listening on %s:%d", self.host, self.port)
        return self.host, self.port

    async def _on_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._writer is not None:
            _LOGGER.warning("second TCP client refused (one host at a time)")
            writer.close()
            return
        self._writer = writer
        self._link.attach(self._write)
        self._reader_task = asyncio.current_task()  # type: ignore[assignment]
        try:
            while True:
                data = await reader.read(4096)
                if not data:
                    break
                self._link.data_received(data)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if self._writer is writer:
                self._writer = None
                self._link.attach(None)
            writer.close()

    async def _write(self, data: bytes) -> None:
        writer = self._writer
        if writer is None:
            return
        writer.write(data)
        with contextlib.suppress(ConnectionError):
            await writer.drain()

    @property
    def connected(self) -> bool:
        """True while a host is connected."""
        return self._writer is not None

    async def unplug(self) -> None:
        """Drop the connection and stop listening."""
        if self._server is not None:
            self._server.close()
        writer, self._writer = self._writer, None
        self._link.attach(None)
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
            self._server = None

    async def replug(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            await self.start()

    async def stop(self) -> None:
        """Same as :meth:`unplug`."""
        await self.unplug()

    @property
    def url(self) -> str:
        """pyserial URL of this endpoint."""
        return f"socket://{self.host}:{self.port}"
