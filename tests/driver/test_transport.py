"""The serial transport on serialx: exclusive open, port URLs, redaction of URL secrets."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import sys
from pathlib import Path

import pytest

from custom_components.zwave_serial.zwave import Driver
from custom_components.zwave_serial.zwave.cc.ids import CommandClass as CC
from custom_components.zwave_serial.zwave.errors import (
    InvalidPortUrl,
    PortInUse,
    PortNotFound,
    TransportError,
)
from custom_components.zwave_serial.zwave.sim.demo import DemoStick
from custom_components.zwave_serial.zwave.transport import open_serial, redact_url, validate_port_url

from .conftest import fast_options, wait_for

ROOT = Path(__file__).resolve().parents[2]
KEY = base64.b64encode(bytes(range(32))).decode()


async def test_second_driver_on_the_same_port_is_refused(driver: Driver, demo: DemoStick) -> None:
    """The port is locked: a second driver gets PortInUse; the first keeps working."""
    second = Driver(demo.port, options=fast_options())
    with pytest.raises(PortInUse, match="another program is using the serial port"):
        await second.start()
    await second.stop()
    with pytest.raises(PortInUse):
        await Driver(demo.port, options=fast_options()).probe()

    result = await driver.nodes[2].set_value(CC.SWITCH_BINARY, "target_value", True)
    assert result.status in ("success", "sent")
    assert demo.stick.node(2).on is True
    await wait_for(lambda: driver.nodes[2].get_value(CC.SWITCH_BINARY, "current_value") is True)
    assert driver.connected


async def test_second_program_is_refused(driver: Driver, demo: DemoStick) -> None:
    """`zwave info` in another process fails with the clear error while the driver holds the port."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "custom_components.zwave_serial.zwave.cli",
        "info",
        "--port",
        demo.port,
        "--timeout",
        "5",
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        _out, err = await proc.communicate()
    assert proc.returncode == 1
    assert "another program is using the serial port" in err.decode()
    result = await driver.nodes[3].set_value(CC.SWITCH_MULTILEVEL, "target_value", 30)
    assert result.status in ("success", "sent", "working")
    await wait_for(lambda: demo.stick.node(3).level == 30)


async def test_port_is_free_again_after_stop(demo: DemoStick) -> None:
    """Probe, then start at once (the config flow does this): the lock is released in between."""
    controller = await Driver(demo.port, options=fast_options()).probe()
    assert controller.home_id == 0xC0FFEE01
    drv = Driver(demo.port, options=fast_options())
    await drv.start()
    try:
        assert drv.connected
    finally:
        await drv.stop()
    drv = Driver(demo.port, options=fast_options())
    await drv.start()
    await drv.stop()


async def test_open_serial_lock_is_per_port(demo: DemoStick) -> None:
    """Two raw opens of the same port: the second is refused, and succeeds once the first closed."""
    first, _ = await open_serial(demo.port, asyncio.Protocol)
    try:
        with pytest.raises(PortInUse):
            await open_serial(demo.port, asyncio.Protocol)
    finally:
        first.close()
    second, _ = await open_serial(demo.port, asyncio.Protocol)
    second.close()


@pytest.mark.parametrize(
    "port",
    [
        "/dev/serial/by-id/usb-0658_0200-if00",
        "/dev/ttyACM0",
        "COM3",
        "socket://192.168.1.5:3333",
        "socket://[fe80::1]:3333",
        "rfc2217://zwave-bridge.local:4001",
        "esphome://zwave-proxy.local",
        "esphome://192.168.1.9:6053/?port_name=zwave",
        f"esphome://zwave-proxy.local:6053/?port_name=zwave&key={KEY}",
        "  /dev/ttyUSB0  ",
    ],
)
def test_valid_ports(port: str) -> None:
    assert validate_port_url(port) == port.strip()


@pytest.mark.parametrize(
    ("port", "error"),
    [
        ("", "empty"),
        ("http://host:80", "unsupported"),
        ("bogus://127.0.0.1:1", "unsupported"),
        ("socket://host", "needs a TCP port"),
        ("rfc2217://host", "needs a TCP port"),
        ("socket://:3333", "no host"),
        ("socket://host:99999", "1 to 65535"),
        ("socket://host:0", "1 to 65535"),
        ("socket://host:abc", "1 to 65535"),
        ("esphome://", "no host"),
        ("esphome://proxy/?port_name=z&key=not-base64!", "32-byte base64"),
        ("esphome://proxy/?key=" + base64.b64encode(b"short").decode(), "32-byte base64"),
        (f"esphome://proxy/?key={KEY}&noise_psk={KEY}", "once"),
    ],
)
def test_invalid_ports(port: str, error: str) -> None:
    with pytest.raises(InvalidPortUrl, match=error) as info:
        validate_port_url(port)
    assert isinstance(info.value, PortNotFound | ValueError)
    assert "not-base64" not in str(info.value)


def test_redact_url() -> None:
    url = f"esphome://proxy:6053/?port_name=zwave&key={KEY}&password=hunter2"
    shown = redact_url(url)
    assert KEY not in shown and "hunter2" not in shown
    assert shown == "esphome://proxy:6053/?port_name=zwave&key=REDACTED&password=REDACTED"
    assert redact_url("/dev/ttyACM0") == "/dev/ttyACM0"
    assert redact_url("socket://h:1") == "socket://h:1"


async def test_esphome_port_error_hides_the_key(caplog: pytest.LogCaptureFixture) -> None:
    """An ESPHome proxy cannot be reached here (no device, sockets blocked, maybe no
    aioesphomeapi): the error is typed and neither it nor the log shows the API key."""
    caplog.set_level(logging.DEBUG)
    url = f"esphome://127.0.0.1:1/?port_name=zwave&key={KEY}"
    drv = Driver(url, options=fast_options())
    with pytest.raises(TransportError) as info:
        await drv.start()
    await drv.stop()
    assert KEY not in str(info.value)
    assert KEY not in caplog.text


async def test_unknown_device_is_port_not_found(tmp_path: Path) -> None:
    with pytest.raises(PortNotFound, match="cannot open serial port"):
        await open_serial(str(tmp_path / "ttyNOPE"), asyncio.Protocol)
