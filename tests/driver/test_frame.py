"""Frame codec and FrameParser: vectors plus hypothesis fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.errors import FrameDecodeError
from custom_components.zwave_serial.zwave.frame import (
    BadFrame,
    Control,
    Discarded,
    Frame,
    FrameParser,
    FrameType,
    checksum,
    parse_frame,
)

# --- vectors ---------------------------------------------------------------------------


def test_get_version_vector() -> None:
    """protocol-facts §1.1: 01 03 00 15 E9."""
    frame = Frame.request(0x15)
    assert frame.to_bytes() == bytes.fromhex("01 03 00 15 E9")
    assert parse_frame(bytes.fromhex("01 03 00 15 E9")) == frame
    assert checksum(bytes.fromhex("03 00 15")) == 0xE9


def test_seed_send_data_basic_get() -> None:
    """Seed 001: SendData to node 4, Basic Get, tx options 05, callback id 37."""
    frame = Frame.request(0x13, bytes.fromhex("04 02 20 02 05 37"))
    raw = frame.to_bytes()
    assert raw[:4] == bytes.fromhex("01 09 00 13")
    assert parse_frame(raw) == frame


def test_seed_request_node_info() -> None:
    """Seed 001: SOF length=05 REQUEST RequestNodeInfo nodeId=04."""
    raw = Frame.request(0x60, b"\x04").to_bytes()
    assert raw[:5] == bytes.fromhex("01 04 00 60 04")
    assert parse_frame(raw).payload == b"\x04"


def test_response_type_roundtrip() -> None:
    frame = Frame.response(0x13, b"\x01")
    assert parse_frame(frame.to_bytes()).type is FrameType.RESPONSE


@pytest.mark.parametrize(
    "raw",
    [
        "01 03 00 15",  # too short
        "02 03 00 15 E9",  # no SOF
        "01 02 00 15 E9",  # length below 3
        "01 04 00 15 E9",  # length mismatch
        "01 03 00 15 E8",  # bad checksum
        "01 03 02 15 EB",  # unknown type (checksum fixed up)
    ],
)
def test_parse_frame_rejects(raw: str) -> None:
    with pytest.raises(FrameDecodeError):
        parse_frame(bytes.fromhex(raw))


def test_payload_too_long() -> None:
    with pytest.raises(ValueError):
        Frame.request(0x13, bytes(253)).to_bytes()


def test_parser_tokens_in_order() -> None:
    parser = FrameParser()
    frame = Frame.response(0x15, b"\x01")
    tokens = parser.feed(b"\x06" + b"\x99\x98" + frame.to_bytes() + b"\x15\x18")
    assert tokens == [Control.ACK, Discarded(b"\x99\x98"), frame, Control.NAK, Control.CAN]
    c = parser.counters
    assert (c.frames, c.acks, c.naks, c.cans, c.out_of_frame_bytes) == (1, 1, 1, 1, 2)


def test_parser_bad_checksum_and_partial() -> None:
    parser = FrameParser()
    raw = bytearray(Frame.request(0x04, b"\x00\x02\x02\x20\x02").to_bytes())
    raw[-1] ^= 0x55
    tokens = parser.feed(bytes(raw))
    assert len(tokens) == 1 and isinstance(tokens[0], BadFrame)
    assert parser.feed(b"\x01\x05\x00") == []
    assert parser.has_partial
    assert parser.abort_partial() == b"\x01\x05\x00"
    assert not parser.has_partial
    assert parser.counters.partial_timeouts == 1


def test_parser_invalid_length_resyncs() -> None:
    parser = FrameParser()
    frame = Frame.request(0x0A, b"\x00")
    tokens = parser.feed(b"\x01\x01" + frame.to_bytes())
    assert isinstance(tokens[0], BadFrame)
    assert tokens[-1] == frame


# --- fuzzing ----------------------------------------------------------------------------

frames = st.builds(
    Frame,
    st.sampled_from(list(FrameType)),
    st.integers(0, 255),
    st.binary(max_size=40),
)
# Noise that cannot be mistaken for a frame start or a control byte.
noise = st.binary(max_size=20).map(lambda b: bytes(x for x in b if x not in (0x01, 0x06, 0x15, 0x18)))


def feed_in_chunks(parser: FrameParser, data: bytes, cuts: list[int]) -> list:
    tokens = []
    positions = sorted({c % (len(data) + 1) for c in cuts})
    start = 0
    for pos in [*positions, len(data)]:
        tokens += parser.feed(data[start:pos])
        start = pos
    return tokens


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(0, 10_000), max_size=8))
def test_fuzz_arbitrary_bytes_only_yield_tokens(data: bytes, cuts: list[int]) -> None:
    parser = FrameParser()
    tokens = feed_in_chunks(parser, data, cuts)
    for token in tokens:
        assert isinstance(token, Frame | Control | BadFrame | Discarded)
    c = parser.counters
    assert c.frames == sum(isinstance(t, Frame) for t in tokens)
    assert c.bad_frames == sum(isinstance(t, BadFrame) for t in tokens)
    assert c.acks == tokens.count(Control.ACK)
    assert c.naks == tokens.count(Control.NAK)
    assert c.cans == tokens.count(Control.CAN)
    discarded = sum(len(t.raw) for t in tokens if isinstance(t, Discarded))
    assert c.out_of_frame_bytes == discarded
    # Every input byte is accounted for: in a token or in the partial buffer.
    consumed = (
        sum(len(t.to_bytes()) for t in tokens if isinstance(t, Frame))
        + sum(len(t.raw) for t in tokens if isinstance(t, BadFrame | Discarded))
        + sum(isinstance(t, Control) for t in tokens)
    )
    assert consumed + len(parser.abort_partial()) == len(data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(noise, frames), min_size=1, max_size=6), noise, st.lists(st.integers(0, 10_000)))
def test_fuzz_frames_in_noise_are_found(
    chunks: list[tuple[bytes, Frame]], tail: bytes, cuts: list[int]
) -> None:
    data = b"".join(n + f.to_bytes() for n, f in chunks) + tail
    parser = FrameParser()
    tokens = feed_in_chunks(parser, data, cuts)
    assert [t for t in tokens if isinstance(t, Frame)] == [f for _, f in chunks]
    assert not any(isinstance(t, BadFrame) for t in tokens)
    assert parser.counters.out_of_frame_bytes == sum(len(n) for n, _ in chunks) + len(tail)
    assert not parser.has_partial


@settings(max_examples=200, deadline=None)
@given(frames)
def test_fuzz_roundtrip(frame: Frame) -> None:
    assert parse_frame(frame.to_bytes()) == frame
