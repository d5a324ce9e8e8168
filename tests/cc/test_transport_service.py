"""Transport Service CC (0x55) v2: codec, fuzzed decoder, reassembly and segmentation.

Byte vectors: produced with @zwave-js/cc 15.29.0 (``TransportServiceCC*.serialize``), the
datagram being Z-Wave JS's own test command (``transportService.test.ts``: a Configuration
Info Report with a long text, split at 39 and 78 bytes).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.cc.configuration import ConfigurationInfoReport
from custom_components.zwave_serial.zwave.cc.crc16 import crc16_ccitt
from custom_components.zwave_serial.zwave.cc.transport_service import (
    MAX_SEGMENT_SIZE,
    TransportServiceCommand,
    TransportServiceCrcError,
    TransportServiceFirstSegment,
    TransportServiceSegmentComplete,
    TransportServiceSegmentRequest,
    TransportServiceSegmentWait,
    TransportServiceSubsequentSegment,
    TransportServiceTimeouts,
    decode_transport_service,
    segment_at,
    segment_datagram,
)
from custom_components.zwave_serial.zwave.errors import CCDecodeError, CCEncodeError, NodeError
from custom_components.zwave_serial.zwave.messaging import encap
from custom_components.zwave_serial.zwave.messaging.transport_service import TransportService

h = bytes.fromhex
TEXT = "Loooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooong text"
DATAGRAM = h(
    "700d0001004c6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f"
    "6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6e672074657874"
)
FIRST = h("55c05910700d0001004c6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6fe4ab")
SECOND = h("55e05910276f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6fa990")
THIRD = h("55e059104e6f6f6f6f6e67207465787492e2")

VECTORS: list[tuple[str, TransportServiceCommand]] = [
    ("55c05910700d0001004c6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6fe4ab",
     TransportServiceFirstSegment(89, 1, DATAGRAM[:39])),
    ("55e05910276f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6fa990",
     TransportServiceSubsequentSegment(89, 1, DATAGRAM[39:78], offset=39)),
    ("55e059104e6f6f6f6f6e67207465787492e2", TransportServiceSubsequentSegment(89, 1, DATAGRAM[78:], offset=78)),
    # 11-bit datagram size and offset (bits 10..8 in the command byte / the session byte)
    ("55c5a390" + "ab" * 39 + "af16", TransportServiceFirstSegment(0x5A3, 9, b"\xab" * 39)),
    ("55e5a394c2010203bc1e", TransportServiceSubsequentSegment(0x5A3, 9, h("010203"), offset=0x4C2)),
    # header extension: flag 0x08, then its length and bytes
    ("55c0322802aabb2001ffd70c", TransportServiceFirstSegment(50, 2, h("2001ff"), h("aabb"))),
    ("55e032280301cc1011146a", TransportServiceSubsequentSegment(50, 2, h("1011"), h("cc"), offset=3)),
    ("55c81027", TransportServiceSegmentRequest(1, 39)),
    ("55c8f2ab", TransportServiceSegmentRequest(15, 0x2AB)),
    ("55e810", TransportServiceSegmentComplete(1)),
    ("55e8f0", TransportServiceSegmentComplete(15)),
    ("55f003", TransportServiceSegmentWait(3)),
]


# --- codec ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hexstr", "command"), VECTORS)
def test_zwave_js_vectors(hexstr: str, command: TransportServiceCommand) -> None:
    data = h(hexstr)
    assert decode_transport_service(data) == command
    assert command.to_bytes() == data


def test_the_datagram_is_zwave_js_test_command_and_splits_into_its_segments() -> None:
    assert ConfigurationInfoReport(1, TEXT).to_bytes() == DATAGRAM
    assert [s.to_bytes() for s in segment_datagram(DATAGRAM, 1)] == [FIRST, SECOND, THIRD]
    assert segment_at(DATAGRAM, 1, 39).to_bytes() == SECOND
    # a request for an offset inside a segment gets a segment starting there
    odd = segment_at(DATAGRAM, 1, 50)
    assert isinstance(odd, TransportServiceSubsequentSegment) and odd.partial_datagram == DATAGRAM[50:89]


@pytest.mark.parametrize(
    ("hexstr", "reason"),
    [
        ("55", "not a Transport Service"),
        ("56c0", "not a Transport Service"),
        ("55c05910", "too short"),
        ("55c059107099", "too short"),
        ("55e0591027", "too short"),
        ("55c8", "too short"),
        ("55c810", "too short"),
        ("55e8", "too short"),
        ("55f0", "too short"),
        ("55d000", "unknown command"),
    ],
)
def test_malformed(hexstr: str, reason: str) -> None:
    with pytest.raises(CCDecodeError, match=reason):
        decode_transport_service(h(hexstr))


def _crc(body: bytes) -> bytes:
    return body + crc16_ccitt(body).to_bytes(2, "big")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (h("55c0100809") + b"\x20\x01", "header extension longer"),  # ext length 9, 2 bytes left
        (h("55c01008020102"), "without payload"),  # the extension eats the payload
        (h("55c01010") + bytes(40), "at most 39"),
        (h("55c00010") + b"\x20", "empty datagram"),
        (h("55e010100000") + b"\x20", "offset 0"),
    ],
)
def test_malformed_with_valid_crc(body: bytes, reason: str) -> None:
    with pytest.raises(CCDecodeError, match=reason) as err:
        decode_transport_service(_crc(body))
    assert not isinstance(err.value, TransportServiceCrcError)


def test_bad_crc_is_its_own_error() -> None:
    bad = bytearray(SECOND)
    bad[10] ^= 0x01
    with pytest.raises(TransportServiceCrcError):
        decode_transport_service(bytes(bad))
    with pytest.raises(TransportServiceCrcError):
        decode_transport_service(FIRST[:-1] + b"\x00")


@pytest.mark.parametrize(
    "command",
    [
        TransportServiceFirstSegment(0, 1, b"\x01"),
        TransportServiceFirstSegment(2048, 1, b"\x01"),
        TransportServiceFirstSegment(10, 16, b"\x01"),
        TransportServiceFirstSegment(100, 1, bytes(40)),
        TransportServiceFirstSegment(100, 1, b""),
        TransportServiceFirstSegment(100, 1, b"\x01", bytes(256)),
        TransportServiceSubsequentSegment(100, 1, b"\x01", offset=2048),
        TransportServiceSubsequentSegment(100, 1, b"\x01", offset=0),
        TransportServiceSegmentRequest(16, 0),
        TransportServiceSegmentRequest(1, 2048),
        TransportServiceSegmentComplete(-1),
        TransportServiceSegmentWait(256),
    ],
)
def test_encode_rejects(command: TransportServiceCommand) -> None:
    with pytest.raises(CCEncodeError):
        command.to_bytes()


def test_segmentation_limits() -> None:
    with pytest.raises(CCEncodeError):
        segment_datagram(b"", 1)
    with pytest.raises(CCEncodeError):
        segment_datagram(bytes(2048), 1)
    with pytest.raises(CCEncodeError):
        segment_at(DATAGRAM, 1, 89)
    segments = segment_datagram(bytes(range(100)), 3, segment_size=20)
    assert [len(s.partial_datagram) for s in segments] == [20] * 5
    assert b"".join(s.partial_datagram for s in segments) == bytes(range(100))


def test_repr_and_describe_never_show_the_carried_bytes() -> None:
    secret = b"\x63\x03\x01\x01" + b"987654"  # a User Code report, segmented
    (segment,) = segment_datagram(secret, 4)
    for text in (repr(segment), segment.describe(), repr(encap.unwrap(segment.to_bytes()))):
        assert "39 38 37" not in text and "393837" not in text and "987654" not in text
    assert "bytes=0..9" in repr(segment)


def test_unwrap_decodes_an_outermost_segment() -> None:
    unwrapped = encap.unwrap(THIRD)
    assert unwrapped.command == TransportServiceSubsequentSegment(89, 1, DATAGRAM[78:], offset=78)


# --- fuzz -------------------------------------------------------------------------------------

COMMAND_BYTES = st.sampled_from([0xC0, 0xC1, 0xC7, 0xC8, 0xCF, 0xD0, 0xE0, 0xE5, 0xE8, 0xF0, 0xF7, 0xFF, 0x00])


def _fuzz_check(data: bytes) -> None:
    try:
        command = decode_transport_service(data)
    except CCDecodeError:
        return
    command.describe()
    again = command.to_bytes()  # what decodes re-encodes (reserved bits cleared)...
    assert decode_transport_service(again) == command  # ...to the same command


@settings(max_examples=600, deadline=None, database=None, derandomize=True)
@given(command=COMMAND_BYTES, payload=st.binary(max_size=60))
def test_fuzz_decoder(command: int, payload: bytes) -> None:
    _fuzz_check(bytes((0x55, command)) + payload)


@settings(max_examples=600, deadline=None, database=None, derandomize=True)
@given(command=st.sampled_from([0xC0, 0xC3, 0xE0, 0xE7]), body=st.binary(max_size=50))
def test_fuzz_decoder_past_the_crc(command: int, body: bytes) -> None:
    """Segments with a valid CRC, so the parser behind the checksum gate is exercised."""
    _fuzz_check(_crc(bytes((0x55, command)) + body))


# --- reassembly -------------------------------------------------------------------------------

SLOW = TransportServiceTimeouts(request_missing_segment=30.0, segment_complete=30.0)
#: A sender that waits long for Segment Complete (the tests that expect one must not race it).
SENDER = TransportServiceTimeouts(segment_complete=30.0, relaxed_timing_delay=0.0, segment_wait_unit=0.001)
FAST = TransportServiceTimeouts(request_missing_segment=0.02, segment_complete=0.02, relaxed_timing_delay=0.0, segment_wait_unit=0.001)


class Wire:
    """Control commands the service sends: (node, decoded command)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Any]] = []
        self.tasks: set[asyncio.Task[Any]] = set()
        self.gate: asyncio.Event | None = None  # set: sends complete only when it opens

    async def send(self, node_id: int, data: bytes) -> None:
        self.sent.append((node_id, decode_transport_service(data)))
        if self.gate is not None:
            await self.gate.wait()

    def create_task(self, coro: Any, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task


Factory = Callable[..., tuple[TransportService, Wire]]


@pytest.fixture
async def service() -> AsyncIterator[Factory]:
    """Makes services; stops their timers and tasks after the test."""
    made: list[tuple[TransportService, Wire]] = []

    def make(timeouts: TransportServiceTimeouts = SLOW, max_sessions: int = 4) -> tuple[TransportService, Wire]:
        wire = Wire()
        made.append((TransportService(wire.send, wire.create_task, timeouts=timeouts, max_sessions=max_sessions), wire))
        return made[-1]

    yield make
    for ts, wire in made:
        ts.close()
        for task in wire.tasks:
            task.cancel()
    await _settle()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def _until(predicate: Callable[[], Any]) -> None:
    async with asyncio.timeout(10):
        while not predicate():
            await asyncio.sleep(0.005)


async def test_in_order(service: Factory) -> None:
    ts, wire = service()
    assert ts.receive(2, FIRST) is None
    assert ts.receive(2, SECOND) is None
    assert ts.receive(2, THIRD) == DATAGRAM
    await _settle()
    assert wire.sent == [(2, TransportServiceSegmentComplete(1))]
    assert ts.counters["transport_service_datagrams_received"] == 1
    assert ts.busy_peers() == []


async def test_out_of_order_asks_for_the_hole_at_once(service: Factory) -> None:
    ts, wire = service()
    ts.receive(2, FIRST)
    assert ts.receive(2, THIRD) is None  # the last segment came with a hole before it
    await _settle()
    assert wire.sent == [(2, TransportServiceSegmentRequest(1, 39))]
    assert ts.receive(2, SECOND) == DATAGRAM
    await _settle()
    assert wire.sent[-1] == (2, TransportServiceSegmentComplete(1))


async def test_missing_last_segment_is_requested_after_the_timeout(service: Factory) -> None:
    ts, wire = service(FAST)
    wire.gate = asyncio.Event()  # the request stays on the air: its own timeout has not started
    ts.receive(2, FIRST)
    ts.receive(2, SECOND)
    await _until(lambda: wire.sent)
    assert wire.sent == [(2, TransportServiceSegmentRequest(1, 78))]
    assert ts.receive(2, THIRD) == DATAGRAM
    wire.gate.set()


async def test_timeout_after_the_request_drops_the_session_only(service: Factory) -> None:
    ts, wire = service(FAST)
    ts.receive(2, FIRST)
    await _until(lambda: ts.counters["transport_service_rx_timeouts"])
    assert wire.sent == [(2, TransportServiceSegmentRequest(1, 39))]
    assert ts.busy_peers() == []
    # the late segment belongs to no session any more: the node is told to start over
    assert ts.receive(2, SECOND) is None
    await _settle()
    assert wire.sent[-1] == (2, TransportServiceSegmentWait(0))
    # another node's datagram (and this node's next one) go through
    for segment in (FIRST, SECOND, THIRD):
        result = ts.receive(3, segment)
    assert result == DATAGRAM


async def test_duplicates_and_a_lost_segment_complete(service: Factory) -> None:
    ts, wire = service()
    ts.receive(2, FIRST)
    ts.receive(2, SECOND)
    assert ts.receive(2, SECOND) is None
    assert ts.counters["transport_service_duplicate_segments"] == 1
    assert ts.receive(2, THIRD) == DATAGRAM
    # our Segment Complete got lost: the node sends its last segment again
    assert ts.receive(2, THIRD) is None
    await _settle()
    assert wire.sent == [(2, TransportServiceSegmentComplete(1))] * 2
    assert ts.counters["transport_service_datagrams_received"] == 1


async def test_first_segment_missing_gets_segment_wait(service: Factory) -> None:
    ts, wire = service()
    assert ts.receive(2, SECOND) is None
    await _settle()
    assert wire.sent == [(2, TransportServiceSegmentWait(0))]


async def test_second_session_while_busy_waits(service: Factory) -> None:
    ts, wire = service(max_sessions=1)
    ts.receive(2, FIRST)
    assert ts.receive(3, FIRST) is None  # node 3 while node 2's datagram is half-way
    await _settle()
    assert wire.sent == [(3, TransportServiceSegmentWait(2))]  # 50 bytes = 2 segments pending
    ts.receive(2, SECOND)
    assert ts.receive(2, THIRD) == DATAGRAM
    # node 3 starts over after the wait, and gets through
    for segment in (FIRST, SECOND, THIRD):
        result = ts.receive(3, segment)
    assert result == DATAGRAM


async def test_same_node_new_session_replaces_the_old_one(service: Factory) -> None:
    ts, _wire = service()
    ts.receive(2, FIRST)
    other = segment_datagram(DATAGRAM, 7)
    assert ts.receive(2, other[0].to_bytes()) is None
    assert ts.receive(2, SECOND) is None  # old session 1: gone
    assert ts.receive(2, other[1].to_bytes()) is None
    assert ts.receive(2, other[2].to_bytes()) == DATAGRAM


async def test_bad_segments_are_dropped_and_counted(service: Factory) -> None:
    ts, wire = service()
    bad = bytearray(FIRST)
    bad[5] ^= 0xFF
    assert ts.receive(2, bytes(bad)) is None
    assert ts.counters["transport_service_crc_errors"] == 1
    assert ts.receive(2, h("55c059")) is None
    assert ts.counters["transport_service_segments_dropped"] == 1
    ts.receive(2, FIRST)
    wrong_size = TransportServiceSubsequentSegment(90, 1, DATAGRAM[39:78], offset=39).to_bytes()
    past_end = TransportServiceSubsequentSegment(89, 1, DATAGRAM[39:78], offset=60).to_bytes()
    assert ts.receive(2, wrong_size) is None and ts.receive(2, past_end) is None
    assert ts.counters["transport_service_segments_dropped"] == 3
    # a First Segment longer than its datagram: dropped, the session in progress kept
    assert ts.receive(2, TransportServiceFirstSegment(10, 3, bytes(20)).to_bytes()) is None
    assert ts.counters["transport_service_segments_dropped"] == 4
    assert ts.receive(2, SECOND) is None and ts.receive(2, THIRD) == DATAGRAM
    await _settle()
    assert wire.sent == [(2, TransportServiceSegmentComplete(1))]


async def test_a_datagram_in_one_segment(service: Factory) -> None:
    ts, wire = service()
    (only,) = segment_datagram(b"\x20\x01\xff", 5)
    assert ts.receive(2, only.to_bytes()) == b"\x20\x01\xff"
    await _settle()
    assert wire.sent == [(2, TransportServiceSegmentComplete(5))]


# --- segmentation (our side sends to a node whose side is a second TransportService) ----------


class Pair:
    """The controller's service sends to a node's service over an in-memory radio."""

    def __init__(
        self,
        ctrl_timeouts: TransportServiceTimeouts = SENDER,
        node_timeouts: TransportServiceTimeouts = SLOW,
        node_max_sessions: int = 4,
    ) -> None:
        self.loop = asyncio.get_running_loop()
        self.ctrl = TransportService(self._to_node_control, self._task, timeouts=ctrl_timeouts)
        self.node = TransportService(self._to_ctrl, self._task, timeouts=node_timeouts, max_sessions=node_max_sessions)
        self.segments: list[bytes] = []
        self.datagrams: list[bytes] = []
        self.drop: Callable[[bytes], bool] = lambda _seg: False
        self.mute = False
        self.tasks: set[asyncio.Task[Any]] = set()

    def _task(self, coro: Any, name: str) -> asyncio.Task[Any]:
        task = self.loop.create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _to_node_control(self, node_id: int, data: bytes) -> None:
        raise AssertionError("the sender sends no control commands here")

    async def _to_ctrl(self, node_id: int, data: bytes) -> None:
        if not self.mute:
            self.loop.call_soon(self.ctrl.receive, 9, data)

    async def send_segment(self, segment: bytes) -> None:
        self.segments.append(segment)
        assert len(segment) <= MAX_SEGMENT_SIZE + 7
        if not self.drop(segment):
            self.loop.call_soon(self._node_receives, segment)

    def _node_receives(self, segment: bytes) -> None:
        datagram = self.node.receive(1, segment)
        if datagram is not None:
            self.datagrams.append(datagram)


@pytest.fixture
async def pairs() -> AsyncIterator[Callable[..., Pair]]:
    made: list[Pair] = []

    def make(**kwargs: Any) -> Pair:
        made.append(Pair(**kwargs))
        return made[-1]

    yield make
    for pair in made:
        pair.node.close()
        pair.ctrl.close()
        for task in pair.tasks:
            task.cancel()
    await _settle()


async def test_send_datagram_is_confirmed(pairs: Callable[..., Pair]) -> None:
    pair = pairs()
    datagram = bytes(range(100))
    assert await pair.ctrl.send_datagram(9, datagram, pair.send_segment) is True
    assert pair.datagrams == [datagram]
    assert len(pair.segments) == 3
    assert pair.ctrl.counters["transport_service_datagrams_sent"] == 1


async def test_send_datagram_resends_what_the_node_asks_for(pairs: Callable[..., Pair]) -> None:
    pair = pairs()
    dropped: list[bytes] = []

    def drop_middle_once(segment: bytes) -> bool:
        if segment[1] & 0xF8 == 0xE0 and segment[4] == 39 and not dropped:
            dropped.append(segment)
            return True
        return False

    pair.drop = drop_middle_once
    datagram = bytes(range(100))
    assert await pair.ctrl.send_datagram(9, datagram, pair.send_segment) is True
    assert pair.datagrams == [datagram]
    assert pair.segments.count(dropped[0]) == 2  # sent again on the Segment Request


async def test_send_datagram_without_answer_is_unconfirmed(pairs: Callable[..., Pair]) -> None:
    pair = pairs(ctrl_timeouts=FAST)
    pair.mute = True
    assert await pair.ctrl.send_datagram(9, bytes(range(100)), pair.send_segment) is False
    assert len(pair.segments) == 4  # the last segment once more
    assert pair.segments[-1] == pair.segments[-2]
    assert pair.ctrl.counters["transport_service_tx_unconfirmed"] == 1


async def test_send_datagram_restarts_after_segment_wait(pairs: Callable[..., Pair]) -> None:
    pair = pairs(node_max_sessions=1)
    pair.node.receive(5, FIRST)  # the node is busy receiving from node 5
    to_ctrl = pair._to_ctrl

    async def finish_then_answer(node_id: int, data: bytes) -> None:
        if isinstance(decode_transport_service(data), TransportServiceSegmentWait):
            pair.node.receive(5, SECOND)  # node 5's datagram completes while we wait
            pair.node.receive(5, THIRD)
        await to_ctrl(node_id, data)

    pair.node._send = finish_then_answer
    datagram = bytes(range(60))
    # first attempt: Segment Wait; second attempt goes through
    assert await pair.ctrl.send_datagram(9, datagram, pair.send_segment) is True
    assert pair.datagrams == [datagram]
    assert pair.node.counters["transport_service_segment_waits_sent"] >= 1


async def test_send_datagram_to_a_node_that_stays_busy(pairs: Callable[..., Pair]) -> None:
    pair = pairs(node_max_sessions=1)
    pair.node.receive(5, FIRST)
    with pytest.raises(NodeError, match="busy"):
        await pair.ctrl.send_datagram(9, bytes(range(60)), pair.send_segment)
    assert pair.datagrams == []


async def test_session_ids_wrap_within_1_to_15(service: Factory) -> None:
    ts, _wire = service()
    ids = {ts.next_session_id() for _ in range(40)}
    assert ids == set(range(1, 16))


def test_decode_tool_names_segments_without_their_bytes() -> None:
    from custom_components.zwave_serial.zwave.describe import describe_frame
    from custom_components.zwave_serial.zwave.frame import Frame

    frame = Frame.request(0x04, bytes((0x00, 0x02, len(FIRST))) + FIRST)
    text = "\n".join(describe_frame(frame.to_bytes()))
    assert "cc=0x55 (Transport Service)" in text and "TransportServiceFirstSegment" in text
    assert "datagram_size=89 session_id=1 partial_datagram=<39 bytes>" in text
