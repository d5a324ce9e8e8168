"""Soft reset is a reset, and SetSerialApiTimeouts is applied until it (raw frames over a pty)."""

from __future__ import annotations

import asyncio

from custom_components.zwave_serial.zwave.frame import Control, Frame
from custom_components.zwave_serial.zwave.sim import VirtualStick

from .conftest import WAIT, PtyHost

SOFT_RESET = Frame.request(0x08)
GET_VERSION = Frame.request(0x15)


async def until(pred, timeout: float = WAIT) -> None:
    async def _poll() -> None:
        while not pred():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(_poll(), timeout)


async def test_soft_reset_is_acked_then_silent_while_rebooting(stick: VirtualStick, host: PtyHost) -> None:
    stick.reboot_time = 0.4
    assert await host.send(SOFT_RESET) == Control.ACK  # the ACK goes out before the reboot
    assert stick.rebooting
    host.write(GET_VERSION.to_bytes())
    await asyncio.sleep(0.15)
    assert host.controls.empty()  # no ACK, no answer while it reboots
    assert stick.link_counters.bytes_discarded_rebooting >= 5
    started = await host.expect(lambda f: f.function == 0x0A)
    assert started.payload[0] == 0x07
    assert not any(f.function == 0x15 for f in host.received)
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")


async def test_soft_reset_drops_pending_jobs(stick: VirtualStick, host: PtyHost) -> None:
    """Callbacks and NIFs of jobs from before the reset never arrive."""
    stick.radio.config.noack_delay = 0.3
    stick.set_dead(4)
    assert (await host.call(0x13, bytes((4, 2, 0x25, 0x02, 0x25, 0x21)))).payload == b"\x01"
    assert (await host.call(0x60, b"\x02")).payload == b"\x01"  # queued behind the SendData
    assert await host.send(Frame.request(0x48, b"\x03\x22")) == Control.ACK
    assert await host.send(SOFT_RESET) == Control.ACK
    await host.expect(lambda f: f.function == 0x0A)
    assert stick.jobs.dropped == 3 and not stick.jobs.busy
    await host.quiet(lambda f: f.function in (0x13, 0x48, 0x49), 0.5)
    # the stick works normally afterwards, and the callback ID globals were reset
    _, callback = await host.send_data(2, b"\x25\x02")
    assert callback.payload[1] == 0x00


async def test_soft_reset_restores_the_default_timeouts(stick: VirtualStick, host: PtyHost) -> None:
    config = stick.link.config
    assert (config.ack_timeout, config.byte_timeout) == (0.3, 0.15)  # fast_link() power-on values
    assert (await host.call(0x06, b"\x0a\x02")).payload == bytes((30, 15))
    assert (config.ack_timeout, config.byte_timeout) == (0.1, 0.02)
    assert await host.send(SOFT_RESET) == Control.ACK
    await host.expect(lambda f: f.function == 0x0A)
    assert (config.ack_timeout, config.byte_timeout) == (0.3, 0.15)
    assert (await host.call(0x06, b"\xa0\x0f")).payload == bytes((30, 15))
    assert (config.ack_timeout, config.byte_timeout) == (1.6, 0.15)


async def test_default_link_timeouts() -> None:
    stick = VirtualStick()
    assert stick.link.config.ack_timeout == 1.5  # firmware DEFAULT_ACK_TIMEOUT_MS
    assert stick.link.config.byte_timeout == 0.15  # firmware DEFAULT_BYTE_TIMEOUT_MS


async def test_byte_timeout_restarts_on_every_byte(stick: VirtualStick, host: PtyHost) -> None:
    raw = GET_VERSION.to_bytes()
    for byte in raw[:-1]:  # 0.4 s for the whole frame, but never 0.15 s between two bytes
        host.write(bytes((byte,)))
        await asyncio.sleep(0.1)
    host.write(raw[-1:])
    assert await asyncio.wait_for(host.controls.get(), WAIT) == Control.ACK
    await host.expect(lambda f: f.function == 0x15)
    # a gap longer than the byte timeout drops the partial frame silently (no NAK)
    host.write(raw[:4])
    await until(lambda: stick.link_counters.partial_timeouts == 1)
    host.write(raw[4:])  # the checksum byte is out-of-frame garbage now
    await asyncio.sleep(0.05)
    assert host.controls.empty() and stick.link_counters.naks_sent == 0
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")


async def test_set_serial_api_timeouts_applies_the_byte_timeout(stick: VirtualStick, host: PtyHost) -> None:
    assert (await host.call(0x06, b"\x1e\x05")).payload == bytes((30, 15))  # byte timeout 50 ms
    raw = GET_VERSION.to_bytes()
    host.write(raw[:4])
    await asyncio.sleep(0.1)  # fine for 150 ms, too long for 50 ms
    host.write(raw[4:])
    await until(lambda: stick.link_counters.partial_timeouts == 1)
    await asyncio.sleep(0.05)
    assert host.controls.empty()
