"""Virtual devices driven through the Serial API (SendData in, ApplicationCommandHandler out)."""

from __future__ import annotations

from custom_components.zwave_serial.zwave.sim.ccutil import decode_float

from .conftest import PtyHost

SUCCESS, WORKING = 0xFF, 0x01


async def test_common_ccs(stick, host: PtyHost) -> None:
    await host.send_data(2, b"\x72\x04")
    ms = await host.report(2, b"\x72\x05")
    assert ms[2:4] == b"\x7a\x5e" and len(ms) == 8
    await host.send_data(2, b"\x86\x11")
    assert (await host.report(2, b"\x86\x12"))[2] == 0x03
    await host.send_data(2, b"\x86\x13\x25")
    assert await host.report(2, b"\x86\x14") == b"\x86\x14\x25\x02"
    await host.send_data(2, b"\x86\x13\x99")
    assert await host.report(2, b"\x86\x14") == b"\x86\x14\x99\x00"
    await host.send_data(2, b"\x5e\x01")
    assert (await host.report(2, b"\x5e\x02"))[2:4] == b"\x02\x05"
    # association
    await host.send_data(2, b"\x85\x02\x01")
    assert await host.report(2, b"\x85\x03") == b"\x85\x03\x01\x05\x00\x01"
    await host.send_data(2, b"\x85\x04\x01\x01")
    await host.send_data(2, b"\x85\x01\x01\x01\x09")
    await host.send_data(2, b"\x85\x02\x01")
    assert await host.report(2, b"\x85\x03") == b"\x85\x03\x01\x05\x00\x01\x09"
    await host.send_data(2, b"\x85\x05")
    assert await host.report(2, b"\x85\x06") == b"\x85\x06\x01"
    # configuration
    await host.send_data(2, b"\x70\x04\x01\x01\x02")
    await host.send_data(2, b"\x70\x05\x01")
    assert await host.report(2, b"\x70\x06") == b"\x70\x06\x01\x01\x02"


async def test_switch_press_reports_to_lifeline(stick, host: PtyHost) -> None:
    stick.node(2).press()
    assert await host.report(2, b"\x25\x03") == b"\x25\x03\xff\xff\x00"
    assert stick.node(2).on


async def test_dimmer_with_duration(stick, host: PtyHost) -> None:
    dimmer = stick.node(3)
    dimmer.time_scale = 0.01
    await host.send_data(3, b"\x26\x01\x32\x05")  # 50 % over 5 s (scaled to 50 ms)
    report = await host.report(3, b"\x26\x03")  # unsolicited report at the end of the transition
    assert report == b"\x26\x03\x32\x32\x00"
    assert dimmer.level == 50
    await host.send_data(3, b"\x26\x01\x00\x00")
    await host.send_data(3, b"\x26\x02")
    assert await host.report(3, b"\x26\x03") == b"\x26\x03\x00\x00\x00"
    await host.send_data(3, b"\x26\x01\xff\x00")  # last level
    assert dimmer.level == 50


async def test_multilevel_sensor(stick, host: PtyHost) -> None:
    await host.send_data(4, b"\x31\x01")
    assert await host.report(4, b"\x31\x02") == b"\x31\x02\x15"
    await host.send_data(4, b"\x31\x03\x01")
    assert await host.report(4, b"\x31\x06") == b"\x31\x06\x01\x03"
    await host.send_data(4, b"\x31\x04\x01\x00")
    report = await host.report(4, b"\x31\x05\x01")
    assert decode_float(report[3:])[:2] == (21.5, 0)
    await host.send_data(4, b"\x31\x04\x05\x00")
    assert decode_float((await host.report(4, b"\x31\x05\x05"))[3:])[0] == 45
    stick.node(4).set_temperature(23.25)
    report = await host.report(4, b"\x31\x05\x01")
    assert decode_float(report[3:])[0] == 23.2 or decode_float(report[3:])[0] == 23.3


async def test_sleeping_node(stick, host: PtyHost) -> None:
    motion = stick.node(5)
    _, cb = await host.send_data(5, b"\x80\x02")
    assert cb.payload[1] == 0x01  # asleep: NoAck
    assert (await host.call(0x62, b"\x05")).payload == b"\x00"  # sleeping is not failed
    motion.wake_up()
    assert await host.report(5, b"\x84\x07") == b"\x84\x07"
    _, cb = await host.send_data(5, b"\x80\x02")
    assert cb.payload[1] == 0x00
    assert await host.report(5, b"\x80\x03") == b"\x80\x03\x5a"
    await host.send_data(5, b"\x84\x04\x00\x0e\x10\x01")  # 3600 s, node 1
    await host.send_data(5, b"\x84\x05")
    assert await host.report(5, b"\x84\x06") == b"\x84\x06\x00\x0e\x10\x01"
    _, cb = await host.send_data(5, b"\x84\x08")  # NoMoreInformation
    assert cb.payload[1] == 0x00
    assert not motion.awake
    _, cb = await host.send_data(5, b"\x80\x02")
    assert cb.payload[1] == 0x01


async def test_motion_trigger(stick, host: PtyHost) -> None:
    stick.node(5).trigger()
    note = await host.report(5, b"\x71\x05")
    assert note == bytes((0x71, 0x05, 0, 0, 0, 0xFF, 0x07, 0x08, 0x00))
    assert await host.report(5, b"\x30\x03") == b"\x30\x03\xff\x0c"
    stick.node(5).clear()
    idle = await host.report(5, b"\x71\x05")
    assert idle[6:] == b"\x07\x00\x01\x08"


async def test_periodic_wake_up(tmp_path) -> None:
    from custom_components.zwave_serial.zwave.sim import VirtualStick, build_demo_network

    from .conftest import fast_link

    stick = VirtualStick(link=fast_link())
    build_demo_network(stick, wake_up_interval=0.2, awake_timeout=0.2)
    await stick.start_pty(str(tmp_path))
    host = PtyHost(stick.port)
    try:
        await host.report(5, b"\x84\x07")
        await host.report(5, b"\x84\x07")
        assert stick.node(5).wake_ups >= 2
    finally:
        await host.close()
        await stick.stop()


async def test_metering_plug(stick, host: PtyHost) -> None:
    plug = stick.node(6)
    plug.set_power(115.0)
    watts = await host.report(6, b"\x32\x02")
    assert watts[2] == 0x21 and watts[3] == (1 << 5) | (2 << 3) | 4
    assert int.from_bytes(watts[4:8], "big") == 1150
    await host.send_data(6, b"\x32\x01\x00")
    kwh = await host.report(6, b"\x32\x02\x21\x44")
    assert int.from_bytes(kwh[4:8], "big") == 1234
    await host.send_data(6, b"\x32\x05")
    assert plug.kwh == 0
    await host.send_data(6, b"\x32\x03")
    assert await host.report(6, b"\x32\x04") == b"\x32\x04\x81\x35"
    await host.send_data(6, b"\x25\x01\xff")
    assert plug.on


async def test_multi_channel(stick, host: PtyHost) -> None:
    await host.send_data(8, b"\x60\x07")
    assert await host.report(8, b"\x60\x08") == b"\x60\x08\x40\x02\x00"
    await host.send_data(8, b"\x60\x09\x02")
    assert await host.report(8, b"\x60\x0a") == b"\x60\x0a\x02\x10\x01\x25"
    await host.send_data(8, b"\x60\x0d\x00\x02\x25\x01\xff")
    assert stick.node(8).endpoint_on(2) and not stick.node(8).endpoint_on(1)
    await host.send_data(8, b"\x60\x0d\x00\x02\x25\x02")
    assert await host.report(8, b"\x60\x0d") == b"\x60\x0d\x02\x00\x25\x03\xff\xff\x00"
    stick.node(8).press(1)
    assert await host.report(8, b"\x60\x0d\x01") == b"\x60\x0d\x01\x00\x25\x03\xff\xff\x00"
    # supervised set inside multi channel encapsulation
    await host.send_data(8, b"\x6c\x01\x05\x07\x60\x0d\x00\x01\x25\x01\x00")
    assert await host.report(8, b"\x6c\x02") == b"\x6c\x02\x05\xff\x00"
    assert not stick.node(8).endpoint_on(1)


async def test_supervision_unsupported_and_fail(stick, host: PtyHost) -> None:
    await host.send_data(2, b"\x6c\x01\x01\x02\x99\x01")
    assert await host.report(2, b"\x6c\x02") == b"\x6c\x02\x01\x00\x00"
    await host.send_data(2, b"\x6c\x01\x02\x03\x25\x01\xff")
    assert await host.report(2, b"\x6c\x02") == b"\x6c\x02\x02\xff\x00"
    assert stick.node(2).on
