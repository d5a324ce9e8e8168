"""Opening the serial port: the only module that touches ``serialx``.

Accepts device paths (``/dev/ttyACM0``, ``/dev/serial/by-id/...``, ``COM3``) and the URLs
Home Assistant's serial library serialx opens: ``socket://host:port`` (ser2net, raw TCP),
``rfc2217://host:port`` (telnet COM port control) and ``esphome://host[:port]/?port_name=NAME``
(an ESPHome serial proxy; ``&key=...`` is the device's API encryption key).  Settings: 115200
baud 8N1.

A local port is opened with an exclusive lock (``flock``): a second program that honours it
(another driver, Home Assistant's serial integrations, a second Home Assistant) gets
:class:`PortInUse` instead of sharing the stick and corrupting both conversations.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import errno
import importlib
import logging
import re
import sys
import weakref
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import serialx

from .errors import InvalidPortUrl, PortInUse, PortNotFound, PortTypeUnsupported

_LOGGER = logging.getLogger(__name__)

BAUDRATE = 115200
#: URL schemes besides plain device paths.
URL_SCHEMES = ("socket", "rfc2217", "esphome")
#: Query parameters of a port URL that are secrets (an ESPHome API key or password).
SECRET_PARAMS = frozenset({"key", "noise_psk", "password"})
#: How long a new open waits for this process's previous transports to finish closing.
CLOSE_WAIT = 5.0

# Transports this process opened: a driver that closes its port and opens it again at once
# (reconnect, probe then set-up) waits for the old file descriptor (and its lock) to be gone.
_opened: weakref.WeakSet[asyncio.BaseTransport] = weakref.WeakSet()


_HEX_DUMP = re.compile(r"[0-9a-fA-F]{2}( ?[0-9a-fA-F]{2})*")
#: serialx modules that log what goes over the wire at DEBUG level.
_SERIALX_LOGGERS = (
    "serialx.descriptor_transport",
    "serialx.platforms.serial_posix",
    "serialx.platforms.serial_socket",
    "serialx.platforms.serial_rfc2217",
    "serialx.platforms.serial_esphome",
)


def _is_ours(obj: object) -> bool:
    if not isinstance(obj, asyncio.BaseTransport | asyncio.BaseProtocol):
        return False
    return (
        obj in _opened
        or getattr(obj, "_transport", None) in _opened
        or getattr(getattr(obj, "_protocol", None), "_transport", None) in _opened
    )


def _mask(arg: object) -> object:
    if isinstance(arg, bytes | bytearray | memoryview):
        return f"<{len(arg)} bytes>"
    if isinstance(arg, str) and _HEX_DUMP.fullmatch(arg):
        return f"<{len(arg.replace(' ', '')) // 2} bytes>"
    return arg


class _MaskPayloads(logging.Filter):
    """Replace the bytes serialx logs at DEBUG level by their length, for our ports only.

    They can hold secrets (a user code sent to a lock, a key being exchanged); the link layer
    logs frames itself, with those masked.  Other integrations' ports are left alone: the
    record is masked only when one of our transports is on the call stack.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.args or not isinstance(record.args, tuple) or not _opened:
            return True
        frame = sys._getframe(1)
        for _ in range(16):
            if frame is None:
                break
            if _is_ours(frame.f_locals.get("self")):
                record.args = tuple(_mask(arg) for arg in record.args)
                break
            frame = frame.f_back
        return True


_MASK = _MaskPayloads()
for _name in _SERIALX_LOGGERS:
    logging.getLogger(_name).addFilter(_MASK)


def _secret_values(url: str) -> list[str]:
    if "?" not in url:
        return []
    params = parse_qs(url.partition("?")[2], keep_blank_values=True)
    return [v for name, values in params.items() if name in SECRET_PARAMS for v in values if v]


def redact_url(url: str) -> str:
    """``url`` for logs, messages and diagnostics: secret query values replaced by ``REDACTED``."""
    base, sep, query = url.partition("?")
    if not sep:
        return url
    pairs = []
    for pair in query.split("&"):
        name = pair.partition("=")[0]
        pairs.append(f"{name}=REDACTED" if name in SECRET_PARAMS else pair)
    return f"{base}?{'&'.join(pairs)}"


def _describe(err: BaseException, url: str) -> str:
    """An error's text for a message, without the URL's secrets."""
    text = str(err) or type(err).__name__  # a connect timeout has no text
    for secret in _secret_values(url):
        text = text.replace(secret, "REDACTED")
    return text


def url_scheme(port: str) -> str | None:
    """The URL scheme of a port (lower case), or None for a device path."""
    if "://" not in port:
        return None
    return port.partition("://")[0].lower()


def validate_port_url(port: str) -> str:
    """Check a port entered by a user; return it stripped, or raise :class:`InvalidPortUrl`.

    Device paths are passed through (whether they exist is found out by opening them).
    """
    port = port.strip()
    if not port:
        raise InvalidPortUrl("the port is empty")
    scheme = url_scheme(port)
    if scheme is None:
        return port
    shown = redact_url(port)
    if scheme not in URL_SCHEMES:
        raise InvalidPortUrl(
            f"unsupported port URL {shown!r}: use a device path, socket://host:port, "
            "rfc2217://host:port or esphome://host[:port]/?port_name=NAME"
        )
    parts = urlsplit(port)
    try:
        number = parts.port
    except ValueError:
        raise InvalidPortUrl(f"{shown!r}: the TCP port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise InvalidPortUrl(f"{shown!r} has no host name")
    if number == 0:
        raise InvalidPortUrl(f"{shown!r}: the TCP port is not a number from 1 to 65535")
    if scheme in ("socket", "rfc2217") and number is None:
        raise InvalidPortUrl(f"{shown!r} needs a TCP port: {scheme}://host:port")
    if scheme == "esphome":
        _validate_esphome(parts.query, shown)
    return port


def _validate_esphome(query: str, shown: str) -> None:
    params = parse_qs(query, keep_blank_values=True)
    if "key" in params and "noise_psk" in params:
        raise InvalidPortUrl(f"{shown!r}: give the ESPHome API key once (key= or noise_psk=)", reason="esphome_key")
    for name in ("key", "noise_psk"):
        for value in params.get(name, []):
            try:
                raw = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raw = b""
            if len(raw) != 32:
                raise InvalidPortUrl(
                    f"{shown!r}: the ESPHome API encryption key must be the 32-byte base64 key "
                    "of the device's api: encryption: key",
                    reason="esphome_key",
                )


async def _wait_for_our_closes() -> None:
    """Let transports this process is closing release their port (and its lock) first."""
    closing = [t for t in list(_opened) if t.is_closing()]
    waiters = [t.wait_closed() for t in closing if hasattr(t, "wait_closed")]  # type: ignore[attr-defined]
    if waiters:
        await asyncio.wait([asyncio.ensure_future(w) for w in waiters], timeout=CLOSE_WAIT)


async def _ensure_esphome_handler() -> None:
    """Register serialx's esphome:// handler, which needs ``aioesphomeapi``.

    serialx registers it when it is first imported, if aioesphomeapi could be imported then;
    importing the module again here picks it up when aioesphomeapi was installed later
    (Home Assistant installs it with its ESPHome integration).
    """
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, importlib.import_module, "serialx.platforms.serial_esphome")
    except ImportError as err:
        raise PortTypeUnsupported(
            "esphome:// ports need the aioesphomeapi package (it comes with Home Assistant's "
            f"ESPHome integration; elsewhere: pip install 'serialx[esphome]'): {err}"
        ) from None


async def open_serial(
    url: str, protocol_factory: Callable[[], asyncio.Protocol]
) -> tuple[asyncio.Transport, asyncio.Protocol]:
    """Open ``url`` at 115200 8N1, exclusively, and connect it to a protocol.

    Raises :class:`InvalidPortUrl` for a malformed URL, :class:`PortInUse` when another
    program holds the port, and :class:`PortNotFound` for every other failure.
    """
    url = validate_port_url(url)
    shown = redact_url(url)
    _LOGGER.debug("Opening serial port %s", shown)
    if url_scheme(url) == "esphome":
        await _ensure_esphome_handler()
    await _wait_for_our_closes()
    loop = asyncio.get_running_loop()
    try:
        transport, protocol = await serialx.create_serial_connection(
            loop,
            protocol_factory,
            url,
            baudrate=BAUDRATE,
            parity=serialx.Parity.NONE,
            stopbits=serialx.StopBits.ONE,
            byte_size=8,
            exclusive=True,
        )
    except OSError as err:
        if err.errno == errno.EBUSY:  # the lock, or a tty another program opened with TIOCEXCL
            raise PortInUse(
                f"another program is using the serial port {shown} (it is locked): stop it "
                "(Z-Wave JS, another Home Assistant, another Z-Wave Serial entry or tool) and try again"
            ) from None
        raise PortNotFound(f"cannot open serial port {shown}: {_describe(err, url)}") from None
    except (serialx.SerialException, ValueError) as err:
        # serialx raises ValueError for malformed URLs and SerialException (UnknownUriScheme,
        # unsupported settings, a proxy refusing the port) for the rest.
        raise PortNotFound(f"cannot open serial port {shown}: {_describe(err, url)}") from None
    _opened.add(transport)
    return transport, protocol  # type: ignore[return-value]
