"""Link layer over a real pty: ACK/NAK/CAN, retransmission, receive timeouts, port loss."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from custom_components.zwave_serial.zwave.errors import ConnectionLost, FrameNotAcknowledged, PortNotFound
from custom_components.zwave_serial.zwave.frame import Control, Frame
from custom_components.zwave_serial.zwave.link import Link, LinkCounters, connect, default_retry_delay
from custom_components.zwave_serial.zwave.transport import open_serial

from .fakestick import FakeStick, request, response

GET_VERSION = Frame.request(0x15)


class Recorder:
    """Collects what the link hands up."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.lost: list[Exception | None] = []
        self.lost_event = asyncio.Event()
        self.frame_event = asyncio.Event()
        self.acks_at_delivery: list[int] = []
        self.link: Link | None = None

    def on_frame(self, frame: Frame) -> None:
        if self.link is not None:
            self.acks_at_delivery.append(self.link.counters.acks_sent)
        self.frames.append(frame)
        self.frame_event.set()

    def on_lost(self, exc: Exception | None) -> None:
        self.lost.append(exc)
        self.lost_event.set()

    async def wait_frames(self, count: int, timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout):
            while len(self.frames) < count:
                self.frame_event.clear()
                await self.frame_event.wait()


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


@pytest.fixture
async def stick() -> AsyncIterator[FakeStick]:
    fake = FakeStick()
    yield fake
    fake.cleanup()


@pytest.fixture
async def rec() -> Recorder:
    return Recorder()


async def open_link(stick: FakeStick, rec: Recorder, **kwargs) -> Link:
    kwargs.setdefault("ack_timeout", 0.2)
    kwargs.setdefault("retry_delays", [0.01])
    link = await connect(stick.path, rec.on_frame, rec.on_lost, **kwargs)
    rec.link = link
    return link


async def test_open_missing_port_raises_port_not_found() -> None:
    with pytest.raises(PortNotFound):
        await connect("/dev/does-not-exist-zwave", lambda f: None, lambda e: None)


async def test_open_unknown_url_scheme_raises_port_not_found() -> None:
    # (TCP URLs cannot be tested here: pytest-socket blocks sockets.)
    with pytest.raises(PortNotFound):
        await open_serial("bogus://127.0.0.1:1", asyncio.Protocol)


async def test_send_acked(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec)
    assert link.connected
    await link.send(GET_VERSION)
    assert stick.frames == [GET_VERSION]
    assert bytes(stick.raw_received) == bytes.fromhex("01 03 00 15 E9")
    assert link.counters.frames_sent == 1
    assert link.counters.acks_received == 1
    assert link.counters.retransmissions == 0
    link.close()


async def test_receive_frame_is_acked_before_delivery(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec)
    frame = response(0x15, b"Z-Wave 7.19\x00\x01")
    stick.send(frame)
    await rec.wait_frames(1)
    assert rec.frames == [frame]
    assert rec.acks_at_delivery == [1]  # the ACK was written before on_frame ran
    assert await stick.next_control() is Control.ACK
    assert link.counters.frames_received == 1
    assert link.counters.acks_sent == 1


async def test_unknown_function_is_still_acked(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec)
    frame = request(0x9A, b"\x01\x02")
    stick.send(frame)
    await rec.wait_frames(1)
    assert await stick.next_control() is Control.ACK
    assert rec.frames == [frame]
    assert link.counters.acks_sent == 1


async def test_bad_checksum_is_naked(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec)
    good = response(0x15, b"\x01").to_bytes()
    stick.write(good[:-1] + bytes((good[-1] ^ 0xFF,)))
    assert await stick.next_control() is Control.NAK
    assert link.counters.checksum_errors == 1
    assert link.counters.naks_sent == 1
    assert rec.frames == []
    # The link keeps working after the bad frame.
    stick.send(good)
    await rec.wait_frames(1)
    assert await stick.next_control() is Control.ACK


async def test_garbage_before_frame_is_skipped(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec)
    frame = request(0x04, bytes.fromhex("00 04 03 20 03 FF"))
    stick.write(b"\x00\xfe\x42Hello" + frame.to_bytes() + b"\x99")
    await rec.wait_frames(1)
    assert rec.frames == [frame]
    await wait_until(lambda: link.counters.out_of_frame_bytes == 9)
    assert link.counters.naks_sent == 0


@pytest.mark.parametrize(("first", "counter"), [("NAK", "naks_received"), ("CAN", "cans_received")])
async def test_nak_or_can_then_retransmit(stick: FakeStick, rec: Recorder, first: str, counter: str) -> None:
    link = await open_link(stick, rec)
    stick.ack_script = [first, "ACK"]
    await link.send(GET_VERSION)
    assert stick.frames == [GET_VERSION, GET_VERSION]
    assert getattr(link.counters, counter) == 1
    assert link.counters.retransmissions == 1
    assert link.counters.frames_sent == 2
    assert link.counters.acks_received == 1


async def test_ack_timeout_then_retransmit(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=0.05)
    stick.ack_script = ["NONE", "ACK"]
    await link.send(GET_VERSION)
    assert link.counters.ack_timeouts == 1
    assert link.counters.retransmissions == 1
    assert len(stick.frames) == 2


async def test_late_ack_is_ignored_and_frame_retransmitted(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=0.05, retry_delays=[0.3])
    stick.ack_script = ["NONE", "ACK"]
    task = asyncio.create_task(link.send(GET_VERSION))
    await stick.next_frame()
    await asyncio.sleep(0.1)  # past the ACK timeout: this ACK is late
    stick.write(b"\x06")
    await task
    assert link.counters.ack_timeouts == 1
    assert link.counters.frames_sent == 2
    assert link.counters.acks_received == 2


async def test_gives_up_after_max_attempts(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, max_attempts=3)
    stick.ack_script = ["NAK", "CAN", "NAK"]
    with pytest.raises(FrameNotAcknowledged):
        await link.send(GET_VERSION)
    assert link.counters.frames_sent == 3
    assert link.counters.retransmissions == 2
    # The link still works afterwards.
    await link.send(GET_VERSION)


async def test_ack_timeouts_exhausted(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=0.02, max_attempts=2)
    stick.ack_script = ["NONE", "NONE"]
    with pytest.raises(FrameNotAcknowledged):
        await link.send(GET_VERSION)
    assert link.counters.ack_timeouts == 2


async def test_silent_stick_gets_one_attempt_until_it_is_heard_again(stick: FakeStick, rec: Recorder) -> None:
    """After a frame went unanswered on every attempt, the next frames get one attempt (a hung
    stick is detected fast); any byte from the stick restores the normal retries."""
    link = await open_link(stick, rec, ack_timeout=0.02, max_attempts=3)
    stick.ack_script = ["NONE", "NONE", "NONE", "NONE"]
    with pytest.raises(FrameNotAcknowledged):
        await link.send(GET_VERSION)
    assert link.unresponsive and len(stick.frames) == 3
    with pytest.raises(FrameNotAcknowledged, match="after 1 attempt"):
        await link.send(GET_VERSION)
    assert len(stick.frames) == 4
    stick.write(request(0x0A, b"\x07\x00").to_bytes())  # SerialAPIStarted after a reset
    await rec.wait_frames(1)
    assert not link.unresponsive
    stick.ack_script = ["NONE", "ACK"]
    await link.send(GET_VERSION)  # retried again
    assert len(stick.frames) == 6


async def test_nak_and_can_do_not_make_the_stick_unresponsive(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=0.02, max_attempts=3)
    stick.ack_script = ["NONE", "NAK", "NONE"]
    with pytest.raises(FrameNotAcknowledged):
        await link.send(GET_VERSION)
    assert not link.unresponsive  # it answered (NAK): it is alive


async def test_frame_from_stick_while_waiting_for_ack(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=2.0)
    stick.ack_script = ["NONE"]
    task = asyncio.create_task(link.send(GET_VERSION))
    await stick.next_frame()
    unsolicited = request(0x49, bytes.fromhex("84 04 03 04 11 06"))
    stick.send(unsolicited)
    assert await stick.next_control() is Control.ACK  # host ACKs the stick's frame
    await rec.wait_frames(1)
    assert rec.frames == [unsolicited]
    assert not task.done()
    stick.write(b"\x06")
    await task
    assert link.counters.retransmissions == 0


async def test_only_one_frame_awaits_ack_at_a_time(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=2.0)
    stick.ack_script = ["NONE"]
    first = asyncio.create_task(link.send(GET_VERSION))
    second = asyncio.create_task(link.send(Frame.request(0x02)))
    await stick.next_frame()
    await asyncio.sleep(0.05)
    assert len(stick.frames) == 1  # the second frame waits for the first one's ACK
    stick.write(b"\x06")
    await asyncio.gather(first, second)
    assert [f.function for f in stick.frames] == [0x15, 0x02]


async def test_partial_frame_times_out_without_nak(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, receive_timeout=0.1)
    stick.write(bytes.fromhex("01 09 00 13 04"))  # truncated frame
    await wait_until(lambda: link.counters.receive_timeouts == 1)
    frame = response(0x13, b"\x01")
    stick.send(frame)
    await rec.wait_frames(1)
    assert rec.frames == [frame]
    assert link.counters.naks_sent == 0
    assert await stick.next_control() is Control.ACK
    assert Control.NAK not in stick.controls


async def test_frame_split_across_writes(stick: FakeStick, rec: Recorder) -> None:
    await open_link(stick, rec, receive_timeout=2.0)
    raw = response(0x15, b"Z-Wave 6.07\x00\x01").to_bytes()
    stick.write(raw[:4])
    await asyncio.sleep(0.02)
    stick.write(raw[4:])
    await rec.wait_frames(1)
    assert rec.frames[0].payload == b"Z-Wave 6.07\x00\x01"


async def test_on_frame_errors_do_not_break_receiving(stick: FakeStick) -> None:
    delivered: list[Frame] = []

    def on_frame(frame: Frame) -> None:
        delivered.append(frame)
        raise RuntimeError("boom")

    link = await connect(stick.path, on_frame, lambda exc: None)
    stick.send(request(0x04, b"\x00\x02\x01\x20"), request(0x04, b"\x00\x03\x01\x20"))
    await wait_until(lambda: len(delivered) == 2)
    assert link.counters.acks_sent == 2
    link.close()


async def test_port_lost_while_waiting_for_ack(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=10.0)
    stick.ack_script = ["NONE"]
    task = asyncio.create_task(link.send(GET_VERSION))
    await stick.next_frame()
    stick.close()
    with pytest.raises(ConnectionLost):
        await task
    async with asyncio.timeout(5):
        await rec.lost_event.wait()
    assert rec.lost and rec.lost[0] is not None
    assert not link.connected
    with pytest.raises(ConnectionLost):
        await link.send(GET_VERSION)


async def test_close_fails_pending_send_and_reports_lost(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec, ack_timeout=10.0)
    stick.ack_script = ["NONE"]
    task = asyncio.create_task(link.send(GET_VERSION))
    await stick.next_frame()
    link.close()
    assert not link.connected
    with pytest.raises(ConnectionLost):
        await task
    async with asyncio.timeout(5):
        await rec.lost_event.wait()
    assert rec.lost == [None]


async def test_write_raw(stick: FakeStick, rec: Recorder) -> None:
    link = await open_link(stick, rec)
    link.write_raw(b"\x15")
    assert await stick.next_control() is Control.NAK
    assert link.counters.frames_sent == 0


def test_retry_delays_and_counters() -> None:
    assert [default_retry_delay(n) for n in (1, 2, 3)] == pytest.approx([0.1, 1.1, 2.1])
    link = Link(lambda f: None, lambda e: None, retry_delays=[0.5, 0.7])
    assert [link.retry_delay(n) for n in (1, 2, 3)] == [0.5, 0.7, 0.7]
    assert Link(lambda f: None, lambda e: None).retry_delay(2) == pytest.approx(1.1)
    counters = LinkCounters(frames_sent=2)
    assert counters.as_dict()["frames_sent"] == 2
    assert set(counters.as_dict()) == {
        "frames_sent",
        "frames_received",
        "acks_sent",
        "acks_received",
        "naks_sent",
        "naks_received",
        "cans_received",
        "checksum_errors",
        "out_of_frame_bytes",
        "retransmissions",
        "ack_timeouts",
        "receive_timeouts",
        "response_timeouts",
        "callback_timeouts",
    }
