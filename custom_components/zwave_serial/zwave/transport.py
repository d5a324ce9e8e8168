"""Opening the serial port: the only module that touches ``serial_asyncio_fast``.

Accepts tty paths (``/dev/ttyACM0``, ``/dev/serial/by-id/...``) and pyserial URLs
(``socket://host:port``, ``rfc2217://host:port``).  Settings: 115200 baud 8N1.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import serial
import serial_asyncio_fast

from .errors import PortNotFound

_LOGGER = logging.getLogger(__name__)

BAUDRATE = 115200


async def open_serial(
    url: str, protocol_factory: Callable[[], asyncio.Protocol]
) -> tuple[asyncio.Transport, asyncio.Protocol]:
    """Open ``url`` at 115200 8N1 and connect it to a protocol; raise PortNotFound on failure."""
    loop = asyncio.get_running_loop()
    _LOGGER.debug("Opening serial port %s", url)
    try:
        transport, protocol = await serial_asyncio_fast.create_serial_connection(
            loop,
            protocol_factory,
            url,
            baudrate=BAUDRATE,
            bytesize=serial.EIGHTBITS,
            parity=serial.PARITY_NONE,
            stopbits=serial.STOPBITS_ONE,
        )
    except (serial.SerialException, OSError, ValueError) as err:
        # FileNotFoundError and ConnectionRefusedError are OSErrors; pyserial raises
        # ValueError for malformed URLs.
        raise PortNotFound(f"cannot open serial port {url!r}: {err}") from err
    return transport, protocol
