"""Radio jobs: one callback ID per function, the TX queue, strict mode (raw frames over a pty)."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.zwave_serial.zwave.frame import Control, Frame
from custom_components.zwave_serial.zwave.sim import TimingProfile, VirtualStick

from .conftest import PtyHost

STRICT = pytest.mark.parametrize("stick_options", [{"strict": True}])
SLOW_NOACK = 0.4  # a transmission to a dead node takes this long


def send_data(node: int, cc: bytes, cbid: int, tx: int = 0x25) -> Frame:
    return Frame.request(0x13, bytes((node, len(cc))) + cc + bytes((tx, cbid)))


def is_callback(function: int):
    return lambda f: f.type == 0 and f.function == function


async def until(pred, timeout: float = 5.0) -> None:
    async def _poll() -> None:
        while not pred():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(_poll(), timeout)


# ---------------------------------------------------------------------------- non-strict
async def test_overlapping_send_data_is_queued_with_one_callback_id(
    stick: VirtualStick, host: PtyHost
) -> None:
    """The firmware queues a second SendData (RES 1, not RES 0) and keeps one callback-ID
    global for SendData: the first job's callback goes out with the second job's ID."""
    stick.radio.config.noack_delay = SLOW_NOACK
    stick.set_dead(4)
    assert await host.send(send_data(4, b"\x25\x02", 0x11)) == Control.ACK
    assert (await host.expect(lambda f: f.type == 1 and f.function == 0x13)).payload == b"\x01"
    assert await host.send(send_data(2, b"\x25\x02", 0x22)) == Control.ACK
    assert (await host.expect(lambda f: f.type == 1 and f.function == 0x13)).payload == b"\x01"
    first = await host.expect(is_callback(0x13))
    second = await host.expect(is_callback(0x13))
    assert first.payload[:2] == bytes((0x22, 0x01))  # the dead node's NoAck, under the new ID
    assert second.payload[:2] == bytes((0x22, 0x00))  # then the second job's own result
    assert stick.overlap_refusals == 0


async def test_late_callback_of_an_abandoned_job_carries_the_newest_id(
    stick: VirtualStick, host: PtyHost
) -> None:
    """A host that gave up on a SendData and sent the next one takes the late callback of the
    old job for the new one's result."""
    stick.radio.config.noack_delay = SLOW_NOACK
    stick.set_dead(4)
    await host.call(0x13, bytes((4, 2, 0x25, 0x02, 0x25, 0x31)))
    await asyncio.sleep(0.1)  # the host "times out" and moves on to the next command
    await host.call(0x13, bytes((2, 2, 0x25, 0x02, 0x25, 0x32)))
    late = await host.expect(is_callback(0x13))
    assert late.payload[0] == 0x32 and late.payload[1] == 0x01


async def test_suc_route_callback_can_come_back_as_delete_suc_route(
    stick: VirtualStick, host: PtyHost
) -> None:
    """0x51, 0x55 (and 0x53) share the callback ID *and* the callback's function byte."""
    assert (await host.call(0x54, bytes((1, 1, 0, 1, 0)))).payload == b"\x01"  # the stick is SUC
    assert (await host.call(0x51, b"\x02\x05")).payload == b"\x01"
    assert (await host.call(0x55, b"\x03\x06")).payload == b"\x01"
    first = await host.expect(lambda f: f.type == 0 and f.function in (0x51, 0x55))
    second = await host.expect(lambda f: f.type == 0 and f.function in (0x51, 0x55))
    assert (first.function, first.payload) == (0x55, b"\x06\x00")  # the 0x51 job's result
    assert (second.function, second.payload) == (0x55, b"\x06\x00")
    assert 1 not in stick.api.return_routes.get(3, set())
    assert 1 in stick.api.return_routes[2]


async def test_tx_queue_full_answers_res_0(stick: VirtualStick, host: PtyHost) -> None:
    stick.radio.config.noack_delay = 2.0
    stick.set_dead(4)
    results = []
    for _ in range(10):  # one runs, eight wait, the tenth finds the queue full
        results.append((await host.call(0x13, bytes((4, 2, 0x25, 0x02, 0x25, 0x00)))).payload)
    assert results == [b"\x01"] * 9 + [b"\x00"]
    assert len(stick.jobs.pending) == 9


async def test_send_data_to_another_node_runs_during_a_neighbour_update(
    stick: VirtualStick, host: PtyHost
) -> None:
    """Non-strict: a SendData to another node sent during a neighbour update goes out while the
    node probes (the update holds the TX queue only for its short controller exchanges) and is
    answered under SendData's own callback ID (more in test_neighbor_update.py)."""
    stick.neighbor_update_time = 0.3
    assert await host.send(Frame.request(0x48, b"\x02\x07")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x07\x21"
    assert (await host.call(0x13, bytes((3, 2, 0x20, 0x02, 0x25, 0x09)))).payload == b"\x01"
    callback = await host.expect(is_callback(0x13))
    assert callback.payload[:2] == b"\x09\x00"
    assert (await host.expect(is_callback(0x48))).payload == b"\x07\x22"
    order = [f.function for f in host.received if f.type == 0 and f.function in (0x48, 0x13)]
    assert order == [0x48, 0x13, 0x48]


async def test_neighbor_update_without_callback_id_sends_no_callbacks(
    stick: VirtualStick, host: PtyHost
) -> None:
    assert await host.send(Frame.request(0x48, b"\x02\x00")) == Control.ACK
    await until(lambda: stick.jobs.completed == 1)
    await host.quiet(is_callback(0x48), 0.2)


async def test_second_neighbor_update_fails_at_once(stick: VirtualStick, host: PtyHost) -> None:
    """The protocol runs one neighbour update at a time: the second one gets 0x23 right away,
    and the first one's callbacks now carry the second one's ID."""
    stick.neighbor_update_time = 0.3
    assert await host.send(Frame.request(0x48, b"\x02\x01")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x01\x21"
    assert await host.send(Frame.request(0x48, b"\x03\x02")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x02\x23"
    assert (await host.expect(is_callback(0x48))).payload == b"\x02\x22"  # the first job, relabelled


def test_timing_profiles() -> None:
    fast, real = TimingProfile.fast(), TimingProfile.realistic()
    assert fast.neighbor_update_time(7) <= 0.2 and fast.reboot_time <= 0.2
    assert 2.0 <= real.neighbor_update_time(1) < real.neighbor_update_time(6) <= 6.0
    assert real.neighbor_update_time(100) == 12.0 and real.reboot_time == 1.0  # sources: sim/timing.py
    assert VirtualStick().timing.name == "fast"
    assert VirtualStick(radio="realistic").timing.name == "realistic"
    assert VirtualStick(radio="realistic", timing="fast", reboot_time=0.3).reboot_time == 0.3
    with pytest.raises(ValueError):
        TimingProfile.named("slow")


# ---------------------------------------------------------------------------- strict
@STRICT
async def test_strict_refuses_overlapping_radio_jobs(stick: VirtualStick, host: PtyHost) -> None:
    """Like Z-Wave JS's mock: ACK, never answer; every refusal is recorded."""
    stick.radio.config.noack_delay = SLOW_NOACK
    stick.set_dead(4)
    assert (await host.call(0x13, bytes((4, 2, 0x25, 0x02, 0x25, 0x01)))).payload == b"\x01"
    for frame in (
        send_data(2, b"\x25\x02", 0x02),
        Frame.request(0x60, b"\x03"),
        Frame.request(0x48, b"\x02\x03"),
    ):
        assert await host.send(frame) == Control.ACK
    assert (await host.call(0x15)).payload.startswith(b"Z-Wave")  # not a radio job: answered
    await host.quiet(lambda f: f.function in (0x48, 0x49) or (f.function == 0x13 and f.type == 1), 0.1)
    callback = await host.expect(is_callback(0x13))
    assert callback.payload[:2] == b"\x01\x01"  # the refused SendData did not touch the ID
    assert stick.overlap_refusals == 3
    assert [(r.function, r.node_id) for r in stick.refused_jobs] == [(0x13, 2), (0x60, 3), (0x48, 2)]
    assert {(r.pending_function, r.pending_node_id) for r in stick.refused_jobs} == {(0x13, 4)}
    # idle again: accepted
    _, callback = await host.send_data(2, b"\x25\x02")
    assert callback.payload[1] == 0x00
    assert stick.overlap_refusals == 3


@STRICT
async def test_strict_request_node_info_is_pending_until_its_nif(stick: VirtualStick, host: PtyHost) -> None:
    assert (await host.call(0x60, b"\x02")).payload == b"\x01"
    assert await host.send(send_data(3, b"\x26\x02", 0x04)) == Control.ACK  # too early
    await host.expect(lambda f: f.function == 0x49)
    _, callback = await host.send_data(3, b"\x26\x02")
    assert callback.payload[1] == 0x00
    assert [r.pending_function for r in stick.refused_jobs] == [0x60]


@STRICT
async def test_strict_host_that_waits_has_no_refusals(stick: VirtualStick, host: PtyHost) -> None:
    await host.send_data(2, b"\x25\x02")
    await host.report(2, b"\x25\x03")
    assert (await host.call(0x60, b"\x03")).payload == b"\x01"
    await host.expect(lambda f: f.function == 0x49)
    assert await host.send(Frame.request(0x48, b"\x02\x08")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x08\x21"
    assert (await host.expect(is_callback(0x48))).payload == b"\x08\x22"
    assert (await host.call(0x46, b"\x02\x01\x09")).payload == b"\x01"
    assert (await host.expect(is_callback(0x46))).payload == b"\x09\x00"
    assert (await host.call(0x14, bytes((2, 2, 3, 3, 0x20, 0x01, 0x00, 0x25, 0x0A)))).payload == b"\x01"
    assert (await host.expect(is_callback(0x14))).payload == b"\x0a\x00"
    assert stick.overlap_refusals == 0 and stick.refused_jobs == []


@STRICT
async def test_strict_can_be_switched_at_run_time(stick: VirtualStick, host: PtyHost) -> None:
    assert stick.strict
    stick.strict = False
    stick.radio.config.noack_delay = SLOW_NOACK
    stick.set_dead(4)
    assert (await host.call(0x13, bytes((4, 2, 0x25, 0x02, 0x25, 0x01)))).payload == b"\x01"
    assert (await host.call(0x13, bytes((2, 2, 0x25, 0x02, 0x25, 0x02)))).payload == b"\x01"
    assert stick.overlap_refusals == 0
