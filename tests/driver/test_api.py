"""Serial API transaction engine over a real pty with a scripted fake stick."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from custom_components.zwave_serial.zwave.errors import (
    CallbackTimeout,
    CommandFailed,
    ConnectionLost,
    DriverStopped,
    FrameNotAcknowledged,
    MessageDecodeError,
    NodeNoAck,
    NodeTimeout,
    NotSupported,
    ResponseTimeout,
)
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.link import Link, connect
from custom_components.zwave_serial.zwave.serialapi import (
    ApplicationCommand,
    ApplicationUpdate,
    FunctionType,
    NeighborUpdateStatus,
    TransmitStatus,
)
from custom_components.zwave_serial.zwave.serialapi.engine import CallResult, Priority, SerialApi

from .fakestick import FakeStick, request, response

NIF_NODE_4 = bytes.fromhex("84 04 16 04 11 06 70 25 26 27 2B 2C 72 86 31 32 60 7A 85 8E 73 EF 25 26 2B")


class Harness:
    """A fake stick, a Link on the pty and a SerialApi, wired like the driver does."""

    def __init__(self, stick: FakeStick, link: Link, api: SerialApi) -> None:
        self.stick = stick
        self.link = link
        self.api = api
        self.unsolicited: list[tuple[int, Any]] = []
        self.unsolicited_event = asyncio.Event()
        api.add_listener(self._on_unsolicited)

    def _on_unsolicited(self, function: int, message: Any) -> None:
        self.unsolicited.append((function, message))
        self.unsolicited_event.set()

    async def wait_unsolicited(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.unsolicited) < count:
                self.unsolicited_event.clear()
                await self.unsolicited_event.wait()


@pytest.fixture
async def h() -> AsyncIterator[Harness]:
    stick = FakeStick()
    api_ref: list[SerialApi] = []

    def on_lost(exc: Exception | None) -> None:
        api_ref[0].fail_all(ConnectionLost(f"lost: {exc}"))

    link = await connect(
        stick.path,
        lambda frame: api_ref[0].handle_frame(frame),
        on_lost,
        ack_timeout=0.3,
        retry_delays=[0.01],
    )
    api = SerialApi(
        link,
        response_timeout=0.3,
        callback_timeout=0.3,
        send_data_abort_after=0.2,
        refused_retry_delay=0.01,
        jammed_retry_delay=0.01,
    )
    api_ref.append(api)
    harness = Harness(stick, link, api)
    yield harness
    api.stop()
    link.close()
    stick.cleanup()


def send_data_ok(frame: Frame) -> list[Frame]:
    """A stick that accepts SendData and reports OK with the request's callback id."""
    callback_id = frame.payload[-1]
    return [response(0x13, b"\x01"), request(0x13, bytes((callback_id, 0x00, 0x00, 0x02)))]


# --- matching ----------------------------------------------------------------------------------


async def test_simple_response(h: Harness) -> None:
    h.stick.on(0x15, lambda f: response(0x15, b"Z-Wave 7.19\x00\x07"))
    result = await h.api.call(FunctionType.GET_CONTROLLER_VERSION)
    assert isinstance(result, CallResult)
    assert result.response.library_version == "Z-Wave 7.19" and result.callback is None
    assert h.stick.frames == [Frame.request(0x15)]


async def test_send_data_response_and_callback(h: Harness) -> None:
    h.stick.on(0x13, send_data_ok)
    report = await h.api.send_data(4, b"\x20\x02", tx_options=0x05)
    sent = h.stick.frames[0]
    assert sent.payload[:-1] == bytes.fromhex("04 02 20 02 05")
    assert report.callback_id == sent.payload[-1] != 0
    assert report.ok and report.tx_ticks == 2


async def test_callback_id_wraps_and_skips_zero(h: Harness) -> None:
    h.stick.on(0x13, send_data_ok)
    for _ in range(253):
        h.api.next_callback_id()
    for _ in range(3):
        await h.api.send_data(2, b"\x20\x01\xff")
    assert [f.payload[-1] for f in h.stick.frames] == [254, 255, 1]


async def test_wrong_callback_id_goes_to_listeners(h: Harness) -> None:
    def stale_then_real(frame: Frame) -> list[Frame]:
        cid = frame.payload[-1]
        return [
            response(0x13, b"\x01"),
            request(0x13, bytes(((cid + 7) % 256 or 1, 0x00))),  # stale callback of an older call
            request(0x13, bytes((cid, 0x00))),
        ]

    h.stick.on(0x13, stale_then_real)
    report = await h.api.send_data(3, b"\x25\x01\xff")
    assert report.callback_id == h.stick.frames[0].payload[-1]
    await h.wait_unsolicited(1)
    assert h.unsolicited[0][0] == 0x13


async def test_callback_with_function_type_zero_is_accepted(h: Harness) -> None:
    h.stick.on(0x13, lambda f: [response(0x13, b"\x01"), request(0x00, bytes((f.payload[-1], 0x00)))])
    report = await h.api.send_data(3, b"\x25\x01\xff")
    assert report.ok


async def test_response_decode_error_is_typed(h: Harness) -> None:
    h.stick.on(0x20, lambda f: response(0x20, b"\xc0\xff"))
    with pytest.raises(MessageDecodeError):
        await h.api.call(FunctionType.GET_CONTROLLER_ID)


async def test_unknown_function_is_not_supported(h: Harness) -> None:
    with pytest.raises(NotSupported):
        await h.api.call(0xEE)


async def test_bad_arguments_raise_before_sending(h: Harness) -> None:
    with pytest.raises(ValueError):
        await h.api.send_data(0, b"\x20\x02")
    assert h.stick.frames == []


# --- priority queue ----------------------------------------------------------------------------


async def test_priority_order_fifo_within_level(h: Harness) -> None:
    release = asyncio.Event()
    order: list[int] = []

    def protocol_info(frame: Frame) -> Frame | None:
        order.append(frame.payload[0])
        if frame.payload[0] == 99 and not release.is_set():
            return None  # hold the first transaction until the queue is filled
        return response(0x41, bytes.fromhex("D3 9C 01 04 10 01"))

    h.stick.on(0x41, protocol_info)
    h.api.response_timeout = 5.0
    blocker = asyncio.create_task(h.api.call(FunctionType.GET_NODE_PROTOCOL_INFO, 99))
    await h.stick.next_frame()
    calls = [
        (Priority.BACKGROUND, 10),
        (Priority.POLL, 20),
        (Priority.USER, 30),
        (Priority.CONTROLLER, 40),
        (Priority.USER, 31),
        (Priority.BACKGROUND, 11),
    ]
    tasks = [
        asyncio.create_task(h.api.call(FunctionType.GET_NODE_PROTOCOL_INFO, node, priority=prio))
        for prio, node in calls
    ]
    await asyncio.sleep(0.05)
    assert order == [99]  # one transaction in flight at a time
    release.set()
    h.stick.send(response(0x41, bytes.fromhex("D3 9C 01 04 10 01")))
    await asyncio.gather(blocker, *tasks)
    assert order == [99, 40, 30, 31, 20, 10, 11]


# --- timeouts and failures ----------------------------------------------------------------------


async def test_response_timeout(h: Harness) -> None:
    with pytest.raises(ResponseTimeout):
        await h.api.call(FunctionType.GET_CONTROLLER_VERSION)
    assert h.link.counters.response_timeouts == 1
    # The engine keeps working afterwards.
    h.stick.on(0x15, lambda f: response(0x15, b"Z-Wave 6.07\x00\x01"))
    assert (await h.api.call(FunctionType.GET_CONTROLLER_VERSION)).response.library_type == 1


async def test_callback_timeout_sends_abort(h: Harness) -> None:
    h.stick.on(0x13, lambda f: response(0x13, b"\x01"))
    with pytest.raises(CallbackTimeout):
        await h.api.send_data(5, b"\x20\x02")
    assert h.link.counters.callback_timeouts == 1
    frame = await h.stick.next_frame()
    assert frame.function == 0x13
    abort = await h.stick.next_frame()
    assert abort == Frame.request(0x16)


async def test_send_data_response_timeout_aborts_then_reports(h: Harness) -> None:
    def on_abort(frame: Frame) -> Frame:
        return request(0x13, bytes((sent[0].payload[-1], TransmitStatus.FAIL)))

    sent: list[Frame] = []
    h.stick.on(0x13, lambda f: sent.append(f))
    h.stick.on(0x16, on_abort)
    with pytest.raises(ResponseTimeout):
        await h.api.send_data(5, b"\x20\x02")
    assert [f.function for f in h.stick.frames] == [0x13, 0x16]
    assert h.unsolicited == []  # the late callback was consumed by the aborted transaction


async def test_negative_response_is_command_failed(h: Harness) -> None:
    h.stick.on(0x13, lambda f: response(0x13, b"\x00"))
    with pytest.raises(CommandFailed) as info:
        await h.api.send_data(5, b"\x20\x02")
    assert info.value.response is False
    assert len(h.stick.frames) == 3  # queue-full retries, then give up


async def test_queue_full_then_accepted(h: Harness) -> None:
    answers = iter([[response(0x13, b"\x00")]])
    h.stick.on(0x13, lambda f: next(answers, None) or send_data_ok(f))
    report = await h.api.send_data(5, b"\x20\x02")
    assert report.ok and len(h.stick.frames) == 2


async def test_node_no_ack(h: Harness) -> None:
    h.stick.on(
        0x13, lambda f: [response(0x13, b"\x01"), request(0x13, bytes((f.payload[-1], 0x01, 0x00, 0x05)))]
    )
    with pytest.raises(NodeNoAck) as info:
        await h.api.send_data(7, b"\x20\x02")
    assert info.value.node_id == 7
    assert info.value.tx_report.status == TransmitStatus.NO_ACK


async def test_jammed_radio_is_retried(h: Harness) -> None:
    replies = iter([0x02, 0x02, 0x00])

    def jammed(frame: Frame) -> list[Frame]:
        return [response(0x13, b"\x01"), request(0x13, bytes((frame.payload[-1], next(replies), 0x00, 0x00)))]

    h.stick.on(0x13, jammed)
    report = await h.api.send_data(7, b"\x20\x02")
    assert report.ok and len(h.stick.frames) == 3


async def test_not_acknowledged_by_stick(h: Harness) -> None:
    h.stick.ack_script = ["NAK", "NAK", "NAK"]
    with pytest.raises(FrameNotAcknowledged):
        await h.api.call(FunctionType.GET_CONTROLLER_VERSION)


async def test_nak_and_can_retransmission_through_the_engine(h: Harness) -> None:
    h.stick.ack_script = ["NAK", "CAN", "ACK"]
    h.stick.on(0x15, lambda f: response(0x15, b"Z-Wave 7.19\x00\x07"))
    await h.api.call(FunctionType.GET_CONTROLLER_VERSION)
    c = h.link.counters
    assert (c.naks_received, c.cans_received, c.retransmissions, c.frames_sent) == (1, 1, 2, 3)


async def test_garbage_before_response_resyncs(h: Harness) -> None:
    h.stick.on(0x05, lambda f: [b"\x00\xff\x33", response(0x05, b"\x08")])
    result = await h.api.call(FunctionType.GET_CONTROLLER_CAPABILITIES)
    assert result.response.was_real_primary
    assert h.link.counters.out_of_frame_bytes == 3


async def test_partial_response_times_out_then_call_times_out(h: Harness) -> None:
    h.link.receive_timeout = 0.05
    h.stick.on(0x05, lambda f: response(0x05, b"\x08").to_bytes()[:3])
    with pytest.raises(ResponseTimeout):
        await h.api.call(FunctionType.GET_CONTROLLER_CAPABILITIES)
    assert h.link.counters.receive_timeouts == 1
    assert h.link.counters.naks_sent == 0


async def test_port_closed_mid_transaction(h: Harness) -> None:
    h.api.response_timeout = 10.0
    first = asyncio.create_task(h.api.call(FunctionType.GET_CONTROLLER_VERSION))
    queued = asyncio.create_task(h.api.call(FunctionType.GET_CONTROLLER_ID))
    await h.stick.next_frame()
    h.stick.close()
    with pytest.raises(ConnectionLost):
        await first
    with pytest.raises(ConnectionLost):
        await queued


async def test_stop_fails_pending_and_later_calls(h: Harness) -> None:
    h.api.response_timeout = 10.0
    pending = asyncio.create_task(h.api.call(FunctionType.GET_CONTROLLER_VERSION))
    await h.stick.next_frame()
    h.api.stop()
    with pytest.raises(DriverStopped):
        await pending
    with pytest.raises(DriverStopped):
        await h.api.call(FunctionType.GET_CONTROLLER_VERSION)


async def test_cancelled_call_frees_the_queue(h: Harness) -> None:
    h.api.response_timeout = 10.0
    stuck = asyncio.create_task(h.api.call(FunctionType.GET_CONTROLLER_VERSION))
    await h.stick.next_frame()
    stuck.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck
    h.stick.on(0x05, lambda f: response(0x05, b"\x08"))
    assert (await h.api.call(FunctionType.GET_CONTROLLER_CAPABILITIES)).response.flags == 0x08


# --- multi-stage callbacks, special cases --------------------------------------------------------


async def test_multi_stage_callback(h: Harness) -> None:
    def neighbors(frame: Frame) -> list[Frame]:
        cid = frame.payload[-1]
        return [request(0x48, bytes((cid, 0x21))), request(0x48, bytes((cid, 0x22)))]

    h.stick.on(0x48, neighbors)
    progress: list[Any] = []
    result = await h.api.call(FunctionType.REQUEST_NODE_NEIGHBOR_UPDATE, 6, on_progress=progress.append)
    assert result.response is None
    assert result.callback.status == NeighborUpdateStatus.DONE
    assert [p.status for p in progress] == [NeighborUpdateStatus.STARTED]


async def test_custom_is_final(h: Harness) -> None:
    def add_node(frame: Frame) -> list[Frame]:
        cid = frame.payload[-1]
        return [request(0x4A, bytes((cid, 0x01, 0x00, 0x00)))]

    h.stick.on(0x4A, add_node)
    result = await h.api.call(FunctionType.ADD_NODE_TO_NETWORK, 0xC1, is_final=lambda cb: cb.status == 0x01)
    assert result.callback.status == 0x01


async def test_no_callback_wanted_sends_id_zero(h: Harness) -> None:
    await h.api.call(FunctionType.ADD_NODE_TO_NETWORK, 0xC5, wait_callback=False)
    assert h.stick.frames[0].payload == b"\xc5\x00"


async def test_set_suc_node_id_for_own_node_waits_for_response_only(h: Harness) -> None:
    h.stick.on(0x20, lambda f: response(0x20, bytes.fromhex("C0 FF EE 01 01")))
    h.stick.on(0x54, lambda f: response(0x54, b"\x01"))
    await h.api.call(FunctionType.GET_CONTROLLER_ID)
    assert h.api.own_node_id == 1
    result = await h.api.call(FunctionType.SET_SUC_NODE_ID, 1, True, True)
    assert result.response is True and result.callback is None


async def test_commands_without_response(h: Harness) -> None:
    result = await h.api.call(FunctionType.SET_APPLICATION_NODE_INFORMATION, True, 0x02, 0x07, [0x5E])
    assert result == CallResult(None, None)
    assert h.stick.frames[0].payload == bytes.fromhex("01 02 07 01 5E")


# --- unsolicited frames --------------------------------------------------------------------------


async def test_unsolicited_frames_reach_listeners(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    failing_calls: list[int] = []

    def failing(function: int, message: Any) -> None:
        failing_calls.append(function)
        raise RuntimeError("listener bug")

    h.api.add_listener(failing)
    h.stick.send(
        request(0x04, bytes.fromhex("00 04 03 20 03 01")),
        request(0x9A, b"\x01\x02"),
        request(0x04, b"\x00"),  # undecodable: dropped, logged once
        request(0x04, b"\x01"),
        request(0x0A, bytes.fromhex("00 00 80 02 01 00")),
    )
    with caplog.at_level(logging.WARNING):
        await h.wait_unsolicited(3)
    functions = [f for f, _ in h.unsolicited]
    assert functions == [0x04, 0x9A, 0x0A]
    assert h.unsolicited[0][1] == ApplicationCommand(0, 4, b"\x20\x03\x01")
    assert h.unsolicited[1][1] == Frame.request(0x9A, b"\x01\x02")
    assert h.unsolicited[2][1].wake_up_reason == 0
    assert failing_calls == functions
    assert sum("Cannot decode" in r.getMessage() for r in caplog.records) == 1


async def test_unsubscribe(h: Harness) -> None:
    seen: list[int] = []
    unsubscribe = h.api.add_listener(lambda f, m: seen.append(f))
    unsubscribe()
    unsubscribe()
    h.stick.send(request(0x04, bytes.fromhex("00 04 03 20 03 01")))
    await h.wait_unsolicited(1)
    assert seen == []


async def test_unsolicited_during_transaction(h: Harness) -> None:
    def with_report(frame: Frame) -> list[Frame]:
        cid = frame.payload[-1]
        return [
            response(0x13, b"\x01"),
            request(0x04, bytes.fromhex("00 04 03 20 03 01")),
            request(0x13, bytes((cid, 0x00))),
        ]

    h.stick.on(0x13, with_report)
    await h.api.send_data(4, b"\x20\x02")
    await h.wait_unsolicited(1)
    assert h.unsolicited[0][0] == 0x04


async def test_request_node_info(h: Harness) -> None:
    def rni(frame: Frame) -> list[Frame]:
        assert frame.payload == b"\x04"  # no callback id byte
        return [
            response(0x60, b"\x01"),
            request(0x49, bytes.fromhex("84 09 03 04 10 01")),  # another node's NIF
            request(0x49, NIF_NODE_4),
        ]

    h.stick.on(0x60, rni)
    nif = await h.api.request_node_info(4, timeout=2.0)
    assert (nif.node_id, nif.generic, nif.specific) == (4, 0x11, 0x06)
    assert nif.controlled_ccs == [0x25, 0x26, 0x2B]
    # The asked node's NIF is the transaction's result; another node's goes to the listeners.
    await h.wait_unsolicited(1)
    assert [(type(m), m.node_id) for _, m in h.unsolicited] == [(ApplicationUpdate, 9)]


async def test_request_node_info_failed(h: Harness) -> None:
    h.stick.on(0x60, lambda f: [response(0x60, b"\x01"), request(0x49, b"\x81\x00\x00")])
    with pytest.raises(NodeNoAck) as info:
        await h.api.request_node_info(4, timeout=2.0)
    assert info.value.node_id == 4


async def test_request_node_info_not_sent(h: Harness) -> None:
    h.stick.on(0x60, lambda f: response(0x60, b"\x00"))
    with pytest.raises(NodeNoAck):
        await h.api.request_node_info(4, timeout=2.0)


async def test_request_node_info_timeout(h: Harness) -> None:
    h.stick.on(0x60, lambda f: response(0x60, b"\x01"))
    with pytest.raises(NodeTimeout):
        await h.api.request_node_info(4, timeout=0.1)


async def test_idle_call_writes_its_request_without_waiting_for_the_loop(h: Harness) -> None:
    """No worker task to wake: an idle engine writes the request in the caller's own step."""
    h.stick.on(0x15, lambda f: response(0x15, b"Z-Wave 7.19\x00\x07"))
    written: list[bytes] = []
    write = h.link._write

    def spy(data: bytes) -> None:
        written.append(bytes(data))
        write(data)

    h.link._write = spy  # type: ignore[method-assign]
    task = asyncio.eager_task_factory(asyncio.get_running_loop(), h.api.call(FunctionType.GET_CONTROLLER_VERSION))
    assert written == [Frame.request(0x15).to_bytes()]  # before this coroutine yielded once
    assert (await task).response.library_version == "Z-Wave 7.19"


async def test_many_queued_calls_failing_at_once_do_not_recurse(h: Harness) -> None:
    """Transactions that fail synchronously (port gone) start the next one from a loop, not recursively."""
    h.api.response_timeout = 10.0
    first = asyncio.create_task(h.api.call(FunctionType.GET_CONTROLLER_VERSION))
    await h.stick.next_frame()
    queued = [asyncio.create_task(h.api.call(FunctionType.GET_CONTROLLER_ID)) for _ in range(3000)]
    await asyncio.sleep(0)
    h.link._lost = True  # the port vanished: every write raises ConnectionLost at once
    first.cancel()
    results = await asyncio.gather(*queued, return_exceptions=True)
    assert all(isinstance(r, ConnectionLost) for r in results)
    with pytest.raises(asyncio.CancelledError):
        await first


# --- one radio job at a time ----------------------------------------------------------------


async def test_request_node_info_holds_the_engine_until_the_nif(h: Harness) -> None:
    """A SendData queued behind RequestNodeInfo is not written before the node's NIF arrived
    (Z-Wave JS's rule; its mock never answers an overlapping job)."""
    h.stick.on(0x60, lambda f: response(0x60, b"\x01"))
    h.stick.on(0x13, lambda f: [response(0x13, b"\x01"), request(0x13, bytes((f.payload[-1], 0)))])
    nif_task = asyncio.create_task(h.api.request_node_info(4, timeout=2.0))
    send_task = asyncio.create_task(h.api.send_data(2, b"\x20\x02"))
    assert (await h.stick.next_frame()).function == 0x60
    await asyncio.sleep(0.2)  # the response came long ago: the radio is still busy
    assert [f.function for f in h.stick.frames] == [0x60] and h.api.busy
    h.stick.send(request(0x49, NIF_NODE_4))
    assert (await nif_task).node_id == 4
    assert (await send_task).ok
    assert [f.function for f in h.stick.frames] == [0x60, 0x13]


async def test_request_node_info_silent_node_is_a_node_timeout(h: Harness) -> None:
    h.stick.on(0x60, lambda f: response(0x60, b"\x01"))  # the node ACKed, never sends its NIF
    with pytest.raises(NodeTimeout):
        await h.api.request_node_info(4, timeout=0.2)
    assert not h.api.busy


async def test_late_send_data_callback_is_aborted_and_still_awaited(h: Harness) -> None:
    """Z-Wave JS: abort at 20 s, keep waiting for the callback that the abort produces, so it
    cannot be taken for the next job's (real firmware reuses one callback id per function)."""
    sent: list[Frame] = []
    h.stick.on(0x13, lambda f: (sent.append(f), response(0x13, b"\x01"))[1])
    h.stick.on(0x16, lambda f: request(0x13, bytes((sent[-1].payload[-1], TransmitStatus.FAIL))))
    api = SerialApi(h.link, response_timeout=0.5, callback_timeout=2.0, send_data_abort_after=0.2)
    h.link._on_frame = api.handle_frame  # type: ignore[attr-defined]
    with pytest.raises(NodeNoAck):
        await api.send_data(5, b"\x20\x02")
    assert [f.function for f in h.stick.frames] == [0x13, 0x16]
    assert h.link.counters.callback_timeouts == 0  # the abort's callback ended it in time
    api.stop()


async def test_refused_radio_job_is_typed_and_retried(h: Harness) -> None:
    from custom_components.zwave_serial.zwave.errors import JobRefused

    h.stick.on(0x60, lambda f: response(0x60, b"\x00"))
    with pytest.raises(JobRefused):
        await h.api.call(FunctionType.REQUEST_NODE_INFO, node_id=4)
    assert [f.function for f in h.stick.frames] == [0x60] * 3


async def test_suc_return_route_callback_under_the_shared_function_id(h: Harness) -> None:
    """Firmware reports AssignSUCReturnRoute's callback under 0x55 when that was started last."""
    h.stick.on(0x51, lambda f: [response(0x51, b"\x01"), request(0x55, bytes((f.payload[-1], 0x00)))])
    result = await h.api.call(FunctionType.ASSIGN_SUC_RETURN_ROUTE, node_id=5)
    assert result.callback.status == 0


async def test_soft_reset_goes_through_the_queue_and_waits_for_started(h: Harness) -> None:
    h.stick.on(0x60, lambda f: response(0x60, b"\x01"))
    h.stick.on(0x08, lambda f: request(0x0A, b"\x00\x00\x01\x02\x01\x00"))
    nif_task = asyncio.create_task(h.api.request_node_info(4, timeout=0.5))
    reset_task = asyncio.create_task(h.api.soft_reset(started_timeout=2.0))
    with pytest.raises(NodeTimeout):
        await nif_task
    started = await reset_task
    assert started is not None and [f.function for f in h.stick.frames] == [0x60, 0x08]
    assert h.unsolicited == []  # SerialAPIStarted was the reset's result


async def test_soft_reset_of_a_stick_that_sends_no_started(h: Harness) -> None:
    assert await h.api.soft_reset(started_timeout=0.2) is None
