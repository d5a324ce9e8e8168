"""pty unplug/replug, TCP endpoint, pacing, demo entry points."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from custom_components.zwave_serial.zwave.sim import VirtualStick, build_demo_network, start_demo

from .conftest import WAIT, PtyHost, TcpHost, fast_link


async def test_pty_unplug_replug_same_path(stick, host: PtyHost) -> None:
    path = stick.port
    first_device = os.path.realpath(path)
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")
    await stick.unplug()
    await asyncio.wait_for(host.closed.wait(), WAIT)
    assert not os.path.exists(path)
    await host.close()

    await stick.replug()
    assert os.path.exists(path)
    assert stick.port == path
    again = PtyHost(path)
    try:
        started = await again.expect(lambda f: f.function == 0x0A)
        assert started.payload[0] == 0x00
        assert (await again.call(0x15)).payload.startswith(b"Z-Wave")
        _, cb = await again.send_data(2, b"\x25\x01\xff")
        assert cb.payload[1] == 0
        assert stick.node(2).on
    finally:
        await again.close()
    assert stick.fault_counters.unplugs == 1 and stick.fault_counters.replugs == 1
    assert os.path.realpath(path).startswith("/dev/pts/")
    assert first_device.startswith("/dev/pts/")


async def test_tcp_endpoint(socket_enabled) -> None:
    stick = VirtualStick(link=fast_link())
    build_demo_network(stick, wake_up_interval=0)
    host_addr, port = await stick.start_tcp("127.0.0.1", 0)
    assert stick.port == f"socket://127.0.0.1:{port}"
    host = await TcpHost().connect(host_addr, port)
    try:
        assert (await host.call(0x15)).payload.startswith(b"Z-Wave")
        second = await TcpHost().connect(host_addr, port)
        await asyncio.wait_for(second.closed.wait(), WAIT)  # one host at a time
        await second.close()
        _, cb = await host.send_data(2, b"\x20\x02")
        assert cb.payload[1] == 0
        assert await host.report(2, b"\x20\x03") == b"\x20\x03\x00\x00\x00"

        await stick.unplug()
        await asyncio.wait_for(host.closed.wait(), WAIT)
        with pytest.raises(OSError):
            await TcpHost().connect(host_addr, port)
        await stick.replug()
        await host.close()
        host = await TcpHost().connect(host_addr, port)
        assert (await host.call(0x20)).payload[:4] == bytes.fromhex("C0FFEE01")
    finally:
        await host.close()
        await stick.stop()


async def test_paced_output(tmp_path) -> None:
    stick = VirtualStick(pace=True)
    await stick.start_pty(str(tmp_path))
    host = PtyHost(stick.port)
    try:
        assert stick.link.config.pace_baud == 115200
        assert (await host.call(0x07)).payload[:2] == bytes((7, 19))
    finally:
        await host.close()
        await stick.stop()


async def test_start_demo_pty_and_tcp(tmp_path, socket_enabled) -> None:
    demo = await start_demo("pty", symlink_dir=str(tmp_path), wake_up_interval=0, radio="realistic")
    try:
        assert demo.port == os.path.join(str(tmp_path), "ttyZWaveSim")
        assert {2, 3, 4, 5, 6, 7, 8, 9} <= set(demo.stick.nodes)
        assert demo.stick.home_id == 0xC0FFEE01
        host = PtyHost(demo.port)
        # FLiRS lock with realistic beam delay; Z-Wave Plus Info works without security
        _, cb = await host.send_data(7, b"\x5e\x01")
        assert cb.payload[1] == 0
        assert (await host.report(7, b"\x5e\x02"))[2] == 2
        await host.close()
    finally:
        await demo.stop()
    demo = await start_demo("tcp", port=0, home_id=0x01020304)
    try:
        assert demo.port.startswith("socket://127.0.0.1:")
        _, port = demo.port.rsplit(":", 1)
        host = await TcpHost().connect("127.0.0.1", int(port))
        assert (await host.call(0x20)).payload[:4] == b"\x01\x02\x03\x04"
        await host.close()
    finally:
        await demo.stop()


async def test_cli_main_runs_until_interrupted(socket_enabled) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "custom_components.zwave_serial.zwave.sim",
        "--tcp",
        "127.0.0.1:0",
        "--faults",
        "corrupt=0.0,seed=1",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), WAIT)).decode().strip()
        assert line.startswith("socket://127.0.0.1:")
        host = await TcpHost().connect("127.0.0.1", int(line.rsplit(":", 1)[1]))
        assert (await host.call(0x15)).payload.startswith(b"Z-Wave")
        await host.close()
        proc.send_signal(2)
        assert await asyncio.wait_for(proc.wait(), WAIT) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
