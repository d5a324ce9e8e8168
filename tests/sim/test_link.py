"""Link layer of the virtual stick and fault injection, over a real pty."""

from __future__ import annotations

import asyncio

from custom_components.zwave_serial.zwave.frame import ACK, Control, Frame
from custom_components.zwave_serial.zwave.sim import FaultConfig

from .conftest import WAIT, PtyHost

GET_VERSION = Frame.request(0x15)


async def until(pred, timeout: float = WAIT) -> None:
    """Poll a condition (bounded, so a broken stick fails instead of hanging)."""

    async def _poll() -> None:
        while not pred():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(_poll(), timeout)


async def test_bad_checksum_is_naked(stick, host: PtyHost) -> None:
    assert await host.send(b"\x01\x03\x00\x15\x00") == Control.NAK
    assert stick.link_counters.naks_sent == 1
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")


async def test_partial_frame_dropped_after_timeout(stick, host: PtyHost) -> None:
    host.write(b"\x01\x03\x00")
    await until(lambda: stick.link_counters.partial_timeouts == 1)
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")
    assert stick.link_counters.naks_sent == 0


async def test_stick_retransmits_unacknowledged_frames(stick, host: PtyHost) -> None:
    host.auto_ack = False
    assert await host.send(GET_VERSION) == Control.ACK
    first = await host.expect(lambda f: f.function == 0x15)
    second = await host.expect(lambda f: f.function == 0x15)
    assert first == second
    host.write(bytes((ACK,)))
    await until(lambda: stick.link_counters.acks_received == 1)
    assert stick.link_counters.retransmissions >= 1


async def test_stick_gives_up_after_three_attempts(stick, host: PtyHost) -> None:
    host.auto_ack = False
    assert await host.send(GET_VERSION) == Control.ACK
    await until(lambda: stick.link_counters.frames_dropped == 1)
    assert sum(f.function == 0x15 for f in host.received) == 3


async def test_can_when_host_sends_while_stick_awaits_ack(stick, host: PtyHost) -> None:
    stick.link.config.ack_timeout = 5.0
    host.auto_ack = False
    assert await host.send(GET_VERSION) == Control.ACK
    await host.expect(lambda f: f.function == 0x15)
    # The stick waits for our ACK; a data frame from us now collides.
    assert await host.send(Frame.request(0x56)) == Control.CAN
    host.write(bytes((ACK,)))
    host.auto_ack = True
    await until(lambda: stick.link_counters.acks_received == 1)
    assert (await host.call(0x56)).payload == b"\x00"


async def test_corrupted_frame_is_retransmitted_after_host_nak(stick, host: PtyHost) -> None:
    stick.injector.force("corrupt")
    response = await host.call(0x15)
    assert response.payload.startswith(b"Z-Wave")
    assert len(host.bad_frames) == 1
    assert stick.fault_counters.corrupted == 1
    assert stick.link_counters.naks_received == 1
    assert stick.link_counters.retransmissions == 1


async def test_dropped_byte_is_recovered_by_retransmission(stick, host: PtyHost) -> None:
    stick.injector.force("drop")
    response = await host.call(0x15)
    assert response.payload.startswith(b"Z-Wave")
    assert stick.fault_counters.dropped == 1
    assert stick.link_counters.retransmissions >= 1


async def test_injected_nak_and_can(stick, host: PtyHost) -> None:
    stick.injector.force("nak")
    assert await host.send(GET_VERSION) == Control.NAK
    stick.injector.force("can")
    assert await host.send(GET_VERSION) == Control.CAN
    # neither frame was processed; the next one is
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")
    assert sum(f.function == 0x15 for f in host.received) == 1
    assert stick.fault_counters.naks == 1 and stick.fault_counters.cans == 1


async def test_late_ack(stick, host: PtyHost) -> None:
    stick.faults = FaultConfig(late_ack_delay=0.4)
    stick.injector.force("late")
    response = await host.call(0x15)
    assert response.payload.startswith(b"Z-Wave")
    assert stick.fault_counters.late_acks == 1


async def test_random_faults_with_seed(stick, host: PtyHost) -> None:
    stick.faults = FaultConfig(corrupt_rate=0.3, seed=7)
    for _ in range(10):
        host.write(GET_VERSION.to_bytes())
        assert await asyncio.wait_for(host.controls.get(), WAIT) == Control.ACK
        await host.expect(lambda f: f.function == 0x15)
    assert stick.fault_counters.corrupted > 0


async def test_hang_then_resume(stick, host: PtyHost) -> None:
    stick.hang(0.5)
    host.write(GET_VERSION.to_bytes())
    await until(lambda: stick.link_counters.bytes_discarded_hung >= 5)
    assert host.controls.empty()
    await until(lambda: not stick.link.hung)
    assert host.controls.empty()  # the frame sent during the hang was never answered
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")
    assert stick.fault_counters.hangs == 1


async def test_fault_config_parse() -> None:
    config = FaultConfig.parse("corrupt=0.05,can=0.02,late=0.1,late_delay=3,seed=4")
    assert config.corrupt_rate == 0.05 and config.can_rate == 0.02
    assert config.late_ack_rate == 0.1 and config.late_ack_delay == 3.0 and config.seed == 4
    assert FaultConfig.parse("premature=0.5").premature_report_rate == 0.5
    assert config.any
    assert not FaultConfig().any


async def test_output_queues_are_bounded(stick, host: PtyHost) -> None:
    """Two queues of 8 (callbacks first, then unsolicited frames); overflow is dropped."""
    stick.link.config.ack_timeout = 5.0
    host.auto_ack = False
    for n in range(12):  # the first one goes out and waits for our ACK, occupying its slot
        stick.emit(Frame.request(0x04, bytes((0, 2, 3, 0x20, 0x03, n))))
    await host.expect(lambda f: f.function == 0x04)
    for n in range(10):
        stick.emit(Frame.request(0x13, bytes((n + 1, 0, 0, 1))))
    assert stick.link_counters.unsolicited_overflows == 4
    assert stick.link_counters.callback_overflows == 2
    host.auto_ack = True
    host.write(bytes((ACK,)))
    frames = [await host.expect(lambda f: True) for _ in range(15)]
    # callbacks are served before the remaining unsolicited frames
    assert [f.function for f in frames] == [0x13] * 8 + [0x04] * 7
    assert [f.payload[0] for f in frames[:8]] == list(range(1, 9))
    assert [f.payload[-1] for f in frames[8:]] == list(range(1, 8))
