"""Security S2: command codecs and extensions, SPAN/MPAN session logic between two managers.

Vector: protocol-facts.md §5.3 "S2 singlecast end-to-end (LOCAL =ZJS15)": Z-Wave JS 15.29.0's
Security2CCMessageEncapsulation.serialize, node 1 -> node 2, home 0xAABBCCDD, S2 Unauthenticated
key 404142..4f (libs2 test_kderiv.c), receiver EI 16x0x22, sender EI c090d5..., seq 5, Basic Get.
Not a published vector. There is no S2 multicast vector (protocol-facts.md §6): the MPAN tests
check our two sides against each other only.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.errors import CCEncodeError
from custom_components.zwave_serial.zwave.security import (
    DecryptionFailed,
    DuplicateFrame,
    KEXFailType,
    MissingKey,
    MpanOutOfSync,
    MpanState,
    NetworkKeys,
    NonceRequired,
    NoSpan,
    S2Extension,
    S2NonceGet,
    S2NonceReport,
    S2SecurityManager,
    SecurityClass,
    SecurityDecodeError,
    SecurityError,
    SpanState,
    decode_s2_command,
    derive_temp_keys,
    x25519_key_pair_from_private,
    x25519_shared_secret,
)
from custom_components.zwave_serial.zwave.security.s2_codec import (
    S2CommandsSupportedGet,
    S2CommandsSupportedReport,
    S2ExtensionType,
    S2MessageEncapsulation,
    parse_extensions,
)
from custom_components.zwave_serial.zwave.security.s2_frames import seal_frame
from custom_components.zwave_serial.zwave.security.s2_kex import (
    S2KEXFail,
    S2KEXGet,
    S2KEXReport,
    S2KEXSet,
    S2NetworkKeyGet,
    S2NetworkKeyReport,
    S2NetworkKeyVerify,
    S2PublicKeyReport,
    S2TransferEnd,
)

h = bytes.fromhex

HOME_ID = 0xAABBCCDD
S2U_HEX = "404142434445464748494a4b4c4d4e4f"
S2A_HEX = "a1a2a3a4a5a6a7a8a9aaabacadaeafb0"
S2AC_HEX = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
KEYS = NetworkKeys(s2_unauthenticated=h(S2U_HEX), s2_authenticated=h(S2A_HEX), s2_access_control=h(S2AC_HEX))
U = SecurityClass.S2_Unauthenticated
A = SecurityClass.S2_Authenticated
AC = SecurityClass.S2_AccessControl

RECEIVER_EI = b"\x22" * 16
SENDER_EI = h("c090d535e98f7469b226f28ebe14fe0a")
VECTOR_FRAME = h("9f03 05 01 1241 c090d535e98f7469b226f28ebe14fe0a 22c8 4321c039f776c8c2")


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def fixed(*chunks: bytes):
    """A random source handing out ``chunks`` in order, then deterministic filler."""
    queue = list(chunks)
    state = [0]

    def random_bytes(n: int) -> bytes:
        if queue:
            chunk = queue.pop(0)
            assert len(chunk) == n
            return chunk
        state[0] += 1
        return bytes((state[0] * 31 + i * 7) & 0xFF for i in range(n))

    return random_bytes


def manager(
    node_id: int, keys: NetworkKeys = KEYS, clock: Clock | None = None, **kwargs
) -> S2SecurityManager:
    return S2SecurityManager(keys, node_id, HOME_ID, clock=clock or Clock(), **kwargs)


def establish(sender: S2SecurityManager, receiver: S2SecurityManager) -> None:
    """Nonce Get -> Nonce Report (SOS): the sender now holds the receiver's EI."""
    get = sender.nonce_get(receiver.own_node_id)
    report = receiver.receive_nonce_get(sender.own_node_id, decode_s2_command(get.to_bytes()))
    sender.receive_nonce_report(receiver.own_node_id, decode_s2_command(report.to_bytes()))


def transfer(sender, receiver, plaintext: bytes, security_class=None, **kwargs):
    frame = sender.encapsulate(receiver.own_node_id, plaintext, security_class, **kwargs)
    return frame, receiver.decapsulate(sender.own_node_id, frame)


# --- codecs ---------------------------------------------------------------------------------

COMMANDS = [
    (S2NonceGet(0x12), "9f0112"),
    (S2NonceReport(0x13, receiver_ei=RECEIVER_EI), "9f021301" + "22" * 16),
    (S2NonceReport(0x13, sos=True, mos=True, receiver_ei=RECEIVER_EI), "9f021303" + "22" * 16),
    (S2NonceReport(0x14, sos=False, mos=True), "9f021402"),
    (S2KEXGet(), "9f04"),
    (S2KEXReport((AC, U)), "9f05 00 02 01 05"),
    (S2KEXReport((A, SecurityClass.S0_Legacy), echo=True, request_csa=True), "9f05 03 02 01 82"),
    (S2KEXSet((A, U)), "9f06 00 02 01 03"),
    (S2KEXSet((AC,), echo=True), "9f06 01 02 01 04"),
    (S2KEXFail(KEXFailType.NO_VERIFY), "9f0709"),
    (S2KEXFail(0x42), "9f0742"),
    (S2PublicKeyReport(bytes(range(32)), including_node=True), "9f0801" + bytes(range(32)).hex()),
    (S2NetworkKeyGet(A), "9f0902"),
    (S2NetworkKeyReport(AC, h(S2AC_HEX)), "9f0a04" + S2AC_HEX),
    (S2NetworkKeyVerify(), "9f0b"),
    (S2TransferEnd(key_verified=True), "9f0c02"),
    (S2TransferEnd(key_request_complete=True), "9f0c01"),
    (S2CommandsSupportedGet(), "9f0d"),
    (S2CommandsSupportedReport((0x20, 0x62, 0x63, 0x6C)), "9f0e 20 62 63 6c"),
    (
        S2MessageEncapsulation(5, (S2Extension.span(SENDER_EI),), h("22c8"), h("4321c039f776c8c2")),
        VECTOR_FRAME.hex(),
    ),
]


@pytest.mark.parametrize(("command", "raw"), COMMANDS, ids=lambda c: type(c).__name__)
def test_codec_round_trip(command, raw) -> None:
    assert command.to_bytes() == h(raw.replace(" ", ""))
    assert decode_s2_command(command.to_bytes()) == command


def test_kex_fail_codes() -> None:
    assert [(f.name, int(f)) for f in KEXFailType] == [
        ("NO_KEY_MATCH", 1),
        ("NO_SUPPORTED_SCHEME", 2),
        ("NO_SUPPORTED_CURVE", 3),
        ("DECRYPT", 5),
        ("BOOTSTRAPPING_CANCELED", 6),
        ("WRONG_SECURITY_LEVEL", 7),
        ("KEY_NOT_GRANTED", 8),
        ("NO_VERIFY", 9),
        ("DIFFERENT_KEY", 10),
    ]


def test_codec_rejects() -> None:
    for raw in (
        "9f02 1300",  # neither SOS nor MOS
        "9f02 1301 2222",  # SOS without the whole EI
        "9f06 00 06 01 01",  # two schemes selected
        "9f09 03",  # two keys requested
        "9f03 05 00 0102030405",  # shorter than a tag
        "9f01",
        "9fff",
        "9803",
    ):
        with pytest.raises(SecurityDecodeError):
            decode_s2_command(h(raw.replace(" ", "")))
    with pytest.raises(CCEncodeError):
        S2NonceReport(1, sos=False, mos=False).to_bytes()
    with pytest.raises(CCEncodeError):
        S2Extension.span(b"short")


def test_vector_frame_decodes() -> None:
    frame = decode_s2_command(VECTOR_FRAME)
    assert isinstance(frame, S2MessageEncapsulation)
    assert frame.sequence_number == 5 and not frame.has_encrypted_extensions
    assert frame.extension(S2ExtensionType.SPAN).sender_ei == SENDER_EI
    assert frame.extension(S2ExtensionType.SPAN).critical
    assert (frame.ciphertext, frame.tag, frame.message_length) == (h("22c8"), h("4321c039f776c8c2"), 32)
    assert frame.header == VECTOR_FRAME[2:22]


def test_extension_parsing_rules() -> None:
    tail = bytes(10)  # ciphertext + tag after the extensions
    mos, mgrp = S2Extension.mos(), S2Extension.mgrp(7)
    # more-to-follow chains extensions
    exts, read, discard = parse_extensions(mos.encode(True) + mgrp.encode(False) + tail, encrypted=False)
    assert (exts, read, discard) == ((mos, mgrp), 5, False)
    # an unknown non-critical extension is skipped, an unknown critical one discards the command
    assert parse_extensions(h("033f99") + tail, encrypted=False) == ((), 3, False)
    assert parse_extensions(h("037f99") + tail, encrypted=False)[2] is True
    # a known type with a wrong length field is ignored (parsed with its expected length)
    assert parse_extensions(h("0503") + b"\x07" + tail, encrypted=False) == ((), 3, False)
    # MPAN outside the encryption is ignored; SPAN inside it too
    mpan = S2Extension.mpan(7, bytes(16))
    assert parse_extensions(mpan.encode(False) + tail, encrypted=False) == ((), 19, False)
    assert parse_extensions(mpan.encode(False), encrypted=True) == ((mpan,), 19, False)
    assert parse_extensions(S2Extension.span(SENDER_EI).encode(False), encrypted=True) == ((), 18, False)
    # too short, or running into the tag
    assert parse_extensions(h("01"), encrypted=True)[2] is True
    assert parse_extensions(h("0a3f") + bytes(10), encrypted=False)[2] is True
    assert parse_extensions(h("013f") + tail, encrypted=False)[2] is True


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=64))
def test_decoder_raises_only_typed_errors(payload: bytes) -> None:
    for data in (b"\x9f" + payload, b"\x9f\x03" + payload, payload):
        try:
            command = decode_s2_command(data)
        except SecurityDecodeError:
            continue
        repr(command)
        if isinstance(command, S2MessageEncapsulation) and command.malformed_extensions:
            continue
        assert decode_s2_command(command.to_bytes()) == command


# --- the documented frame through the managers -----------------------------------------------------


def test_vector_frame_through_encapsulate_and_decapsulate() -> None:
    host = manager(1, random_bytes=fixed(b"\x05", SENDER_EI))
    device = manager(2, random_bytes=fixed(b"\x10", RECEIVER_EI))
    report = device.generate_nonce_report(1)
    assert report.receiver_ei == RECEIVER_EI and device.span_state(1) == SpanState.LOCAL_EI
    host.receive_nonce_report(2, report)
    assert host.span_state(2) == SpanState.REMOTE_EI
    frame = host.encapsulate(2, h("2002"), U)
    assert frame == VECTOR_FRAME
    assert host.span_state(2) == SpanState.SPAN
    # the device has all three S2 keys: it probes Access Control and Authenticated first
    result = device.decapsulate(1, frame)
    assert (result.plaintext, result.security_class, result.sequence_number) == (h("2002"), U, 5)
    assert device.span_security_class(1) == U


def test_vector_frame_with_restricted_candidates() -> None:
    device = manager(2, random_bytes=fixed(b"\x10", RECEIVER_EI))
    device.generate_nonce_report(1)
    with pytest.raises(DecryptionFailed):
        device.decapsulate(1, VECTOR_FRAME, [AC, A])
    assert device.span_state(1) == SpanState.LOCAL_EI  # restored for the next try
    with pytest.raises(DuplicateFrame):
        device.decapsulate(1, VECTOR_FRAME, [U])
    device.reset_peer(1)
    device = manager(2, random_bytes=fixed(b"\x10", RECEIVER_EI))
    device.generate_nonce_report(1)
    assert device.decapsulate(1, VECTOR_FRAME, [U]).security_class == U
    # wrong home ID: the AAD differs
    other = S2SecurityManager(KEYS, 2, HOME_ID + 1, random_bytes=fixed(b"\x10", RECEIVER_EI))
    other.generate_nonce_report(1)
    with pytest.raises(DecryptionFailed):
        other.decapsulate(1, VECTOR_FRAME)


# --- two managers talking ------------------------------------------------------------------------


def test_span_establishment_and_conversation() -> None:
    host, device = manager(1), manager(7)
    with pytest.raises(NonceRequired):
        host.encapsulate(7, h("2002"), AC)
    establish(host, device)
    frame, result = transfer(host, device, h("2002"), AC)
    assert decode_s2_command(frame).extension(S2ExtensionType.SPAN) is not None
    assert (result.plaintext, result.security_class) == (h("2002"), AC)
    # both now draw from the same SPAN, in both directions, without extensions
    for i in range(6):
        frame, result = transfer(device, host, bytes((0x20, 0x03, i)))
        assert decode_s2_command(frame).extensions == ()
        assert result.plaintext == bytes((0x20, 0x03, i)) and result.security_class == AC
        frame, result = transfer(host, device, h("2002"))
        assert result.plaintext == h("2002")
    # the SPAN is for Access Control: another class needs a new SPAN
    with pytest.raises(NonceRequired):
        host.encapsulate(7, h("2002"), U)


def test_receiver_lost_its_span_recovers_with_nonce_report() -> None:
    host, device = manager(1), manager(7)
    establish(host, device)
    transfer(host, device, h("2002"), A)
    device.reset_peer(1)  # e.g. the device restarted
    frame = host.encapsulate(7, h("2001ff"))
    with pytest.raises(NoSpan):
        device.decapsulate(1, frame)
    report = device.generate_nonce_report(1)  # SOS
    assert report.sos and device.span_state(1) == SpanState.LOCAL_EI
    host.receive_nonce_report(7, report)
    assert host.span_state(7) == SpanState.REMOTE_EI
    frame, result = transfer(host, device, h("2001ff"), A)  # the retransmission carries SPAN
    assert decode_s2_command(frame).extension(S2ExtensionType.SPAN) is not None
    assert result.plaintext == h("2001ff") and result.security_class == A


def test_lost_frames_within_the_window_and_beyond() -> None:
    host, device = manager(1), manager(7)
    establish(host, device)
    transfer(host, device, h("2002"), U)
    for _ in range(4):
        host.encapsulate(7, h("2002"))  # lost on the air
    assert transfer(host, device, h("2001ff"))[1].plaintext == h("2001ff")  # 5th nonce: still found
    for _ in range(5):
        host.encapsulate(7, h("2002"))
    with pytest.raises(DecryptionFailed) as err:
        device.decapsulate(1, host.encapsulate(7, h("2002")))
    assert not isinstance(err.value, NoSpan)
    host.receive_nonce_report(7, device.generate_nonce_report(1))
    assert transfer(host, device, h("2002"))[1].security_class == U  # the SPAN's class is kept


def test_tampered_frame_fails() -> None:
    host, device = manager(1), manager(7)
    establish(host, device)
    frame = bytearray(host.encapsulate(7, h("2002"), U))
    frame[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        device.decapsulate(1, bytes(frame))


def test_duplicates_are_dropped() -> None:
    host, device = manager(1), manager(7)
    get = host.nonce_get(7)
    report = device.receive_nonce_get(1, get)
    with pytest.raises(DuplicateFrame):
        device.receive_nonce_get(1, get)
    host.receive_nonce_report(7, report)
    with pytest.raises(DuplicateFrame) as err:
        host.receive_nonce_report(7, report)
    assert err.value.sequence_number == report.sequence_number
    frame, _ = transfer(host, device, h("2002"), U)
    with pytest.raises(DuplicateFrame):
        device.decapsulate(1, frame)
    assert transfer(host, device, h("2002"))[1].plaintext == h("2002")  # not out of step


def test_frames_that_cross_on_the_air() -> None:
    clock = Clock()
    host, device = manager(1, clock=clock), manager(7, clock=clock, accept_in_flight=False)
    establish(host, device)
    transfer(host, device, h("2002"), U)
    transfer(device, host, h("2003ff"))
    # both send at once: each uses the same next nonce
    from_host = host.encapsulate(7, h("2001ff"))
    from_device = device.encapsulate(1, h("7105"))
    assert host.decapsulate(7, from_device).plaintext == h("7105")  # the host accepts it
    with pytest.raises(DecryptionFailed):
        device.decapsulate(1, from_host)  # a device without the grace (like Z-Wave JS' mocks) fails
    # and the grace is short
    host2, device2 = manager(1, clock=clock), manager(7, clock=clock)
    establish(host2, device2)
    transfer(host2, device2, h("2002"), U)
    transfer(device2, host2, h("2003ff"))
    host2.encapsulate(7, h("2001ff"))
    late = device2.encapsulate(1, h("7105"))
    clock.now += 0.6
    with pytest.raises(DecryptionFailed):
        host2.decapsulate(7, late)


def test_malformed_extension_still_steps_the_span() -> None:
    host, device = manager(1), manager(7)
    establish(host, device)
    transfer(host, device, h("2002"), U)
    host.next_nonce(7)  # the sender spent a nonce on the frame below
    bad = h("9f03 40 01 027f") + bytes(8)  # an unknown critical extension
    with pytest.raises(SecurityDecodeError):
        device.decapsulate(1, bad)
    assert transfer(host, device, h("2002"))[1].plaintext == h("2002")


def test_skipped_extensions_stay_in_the_authenticated_data() -> None:
    host, device = manager(1), manager(7)
    establish(host, device)
    transfer(host, device, h("2002"), U)
    unknown = S2Extension(0x3E, b"zz")  # non-critical, unknown: skipped by the parser
    raw = seal_frame(
        S2MessageEncapsulation(0x99, (unknown,)),
        h("2001ff"),
        ccm_key=KEYS.s2_keys(U).ccm_key,
        nonce=host.next_nonce(7),
        sender=1,
        destination=7,
        home_id=HOME_ID,
    )
    decoded = decode_s2_command(raw)
    assert decoded.extensions == () and decoded.to_bytes() == raw
    result = device.decapsulate(1, raw)
    assert result.plaintext == h("2001ff") and result.extensions == ()


def test_bootstrapping_with_the_temporary_key() -> None:
    controller_pair = x25519_key_pair_from_private(bytes(range(32)))
    node_pair = x25519_key_pair_from_private(bytes(range(32, 64)))
    secret = x25519_shared_secret(controller_pair.private_key, node_pair.public_key)
    assert secret == x25519_shared_secret(node_pair.private_key, controller_pair.public_key)
    temp = derive_temp_keys(secret, controller_pair.public_key, node_pair.public_key)

    host = manager(1)
    joining = manager(9, keys=NetworkKeys())  # no network keys yet
    host.set_temporary_keys(9, temp)
    joining.set_temporary_keys(1, temp)
    # the joining node echoes KEX Set, encrypted with the temporary key
    establish(joining, host)
    echo = S2KEXSet((A, U), echo=True).to_bytes()
    _, result = transfer(joining, host, echo)
    assert (result.plaintext, result.security_class) == (echo, SecurityClass.TEMPORARY)
    # Network Key Get / Report under the temporary key, both directions on the same SPAN
    _, result = transfer(joining, host, S2NetworkKeyGet(A).to_bytes())
    frame, result = transfer(host, joining, S2NetworkKeyReport(A, h(S2A_HEX)).to_bytes())
    report = decode_s2_command(result.plaintext)
    assert isinstance(report, S2NetworkKeyReport) and report.network_key == h(S2A_HEX)
    # the node verifies with the new key: a new SPAN is needed for that class
    joining.keys = NetworkKeys(s2_authenticated=report.network_key)
    with pytest.raises(NonceRequired):
        joining.encapsulate(1, S2NetworkKeyVerify().to_bytes(), A)
    establish(joining, host)
    _, result = transfer(joining, host, S2NetworkKeyVerify().to_bytes(), A)
    assert result.security_class == A  # the host tried the temporary key first, then the others
    host.clear_temporary_keys(9)
    joining.clear_temporary_keys(1)
    assert host.span_state(9) == SpanState.NONE
    establish(host, joining)
    _, result = transfer(host, joining, h("2002"))  # the class of the last SPAN: Authenticated
    assert result.security_class == A
    establish(joining, host)
    with pytest.raises(MissingKey):
        joining.encapsulate(1, h("2002"), AC)  # the joining node has no Access Control key
    stranger = manager(3)
    stranger.store_remote_ei(9, RECEIVER_EI)
    with pytest.raises(SecurityError) as err:
        stranger.encapsulate(9, h("2002"))  # no class given, none known, no temporary key
    assert type(err.value) is SecurityError
    assert stranger.encapsulate(9, h("2002"), U)


def test_long_range_node_ids() -> None:
    host, device = manager(1), manager(0x105)
    establish(host, device)
    frame, result = transfer(host, device, h("2002"), U)
    assert result.plaintext == h("2002")
    # the AAD uses 2-byte node IDs: a receiver claiming ID 5 does not verify it
    short = manager(5)
    short._spans = device._spans  # same SPAN state, other ID
    with pytest.raises(DecryptionFailed):
        short.decapsulate(1, host.encapsulate(0x105, h("2002")))


# --- multicast ------------------------------------------------------------------------------------


def test_multicast_mpan_sync_and_follow_ups() -> None:
    host, node2, node3 = manager(1), manager(2), manager(3)
    for node in (node2, node3):
        establish(host, node)
        transfer(host, node, h("2002"), U)
    group = host.create_multicast_group([2, 3], U)
    assert host.create_multicast_group([3, 2], U) == group

    # first multicast: nobody has the MPAN yet
    multicast = host.encapsulate_multicast(group, h("2001ff"))
    assert decode_s2_command(multicast).extension(S2ExtensionType.MGRP).group_id == group
    for node in (node2, node3):
        with pytest.raises(MpanOutOfSync) as err:
            node.decapsulate(1, multicast, multicast=True)
        assert err.value.group_id == group
        assert node.mpan_state(1, group) == MpanState.OUT_OF_SYNC
        # the singlecast follow-up decrypts, and says the MPAN is missing: answer MOS
        _, result = transfer(host, node, h("2001ff"), multicast_group=group)
        assert result.plaintext == h("2001ff") and result.multicast_group == group
        assert result.mpan_out_of_sync
        report = node.generate_nonce_report(1, sos=False, mos=True)
        assert report.to_bytes()[3] == 0x02
        host.receive_nonce_report(node.own_node_id, report)
        assert host.span_state(node.own_node_id) == SpanState.SPAN  # MOS alone keeps the SPAN
        # the host sends its MPAN (encrypted extension, no command)
        frame, result = transfer(host, node, b"", mpan_group=group)
        assert decode_s2_command(frame).has_encrypted_extensions
        assert result.plaintext == b"" and node.mpan_state(1, group) == MpanState.MPAN

    # now multicasts decrypt, and the follow-ups keep everybody in step
    for round_ in range(3):
        payload = bytes((0x20, 0x01, round_))
        multicast = host.encapsulate_multicast(group, payload)
        for node in (node2, node3):
            result = node.decapsulate(1, multicast, multicast=True)
            assert (result.plaintext, result.multicast, result.security_class) == (payload, True, U)
            _, follow_up = transfer(host, node, payload, multicast_group=group)
            assert not follow_up.mpan_out_of_sync

    # node 3 misses a multicast and its follow-up: the next one is still within the window
    host.encapsulate_multicast(group, h("2001ff"))
    multicast = host.encapsulate_multicast(group, h("200100"))
    assert node3.decapsulate(1, multicast, multicast=True).plaintext == h("200100")


def test_multicast_failures() -> None:
    host, node = manager(1), manager(2)
    establish(host, node)
    transfer(host, node, h("2002"), U)
    group = host.create_multicast_group([2], U)
    transfer(host, node, b"", mpan_group=group)
    multicast = host.encapsulate_multicast(group, h("2001ff"))
    # the same frame is not a multicast without MGRP
    with pytest.raises(SecurityDecodeError):
        node.decapsulate(1, VECTOR_FRAME, multicast=True)
    # a node whose MPAN is too far behind marks the group out of sync
    for _ in range(3):
        host.encapsulate_multicast(group, h("2001ff"))
    with pytest.raises(MpanOutOfSync):
        node.decapsulate(1, host.encapsulate_multicast(group, h("2001ff")), multicast=True)
    assert node.mpan_state(1, group) == MpanState.OUT_OF_SYNC
    # a plain singlecast forgets groups marked out of sync
    transfer(host, node, h("2002"))
    assert node.mpan_state(1, group) == MpanState.NONE
    assert multicast  # (sent before the node fell behind)
    with pytest.raises(CCEncodeError):
        host.encapsulate(2, h("2002"), multicast_group=group, mpan_group=group)
    with pytest.raises(SecurityError):
        host.encapsulate_multicast(99, h("2002"))


def test_mpan_with_mgrp_is_rejected() -> None:
    host, node = manager(1), manager(2)
    establish(host, node)
    transfer(host, node, h("2002"), U)
    frame = S2MessageEncapsulation(0x77, (S2Extension.mgrp(3),), has_encrypted_extensions=True)
    raw = seal_frame(
        frame,
        S2Extension.mpan(3, bytes(16)).encode(False) + h("2002"),
        ccm_key=KEYS.s2_keys(U).ccm_key,
        nonce=host.next_nonce(2),
        sender=1,
        destination=2,
        home_id=HOME_ID,
    )
    with pytest.raises(SecurityDecodeError):
        node.decapsulate(1, raw)


def test_peer_mos_extension_is_reported() -> None:
    host, node = manager(1), manager(2)
    establish(host, node)
    _, result = transfer(host, node, h("2002"), U, mos=True)
    assert result.mos and result.plaintext == h("2002")


# --- robustness and secrets -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60), st.booleans())
def test_decapsulate_arbitrary_frames_raises_only_typed_errors(payload: bytes, multicast: bool) -> None:
    host, device = manager(1), manager(7)
    establish(host, device)
    transfer(host, device, h("2002"), U)
    for data in (b"\x9f\x03" + payload, payload):
        try:
            device.decapsulate(1, data, multicast=multicast)
        except SecurityError:
            pass


def test_nothing_secret_in_reprs_and_errors() -> None:
    host, node = manager(1), manager(2)
    establish(host, node)
    user_code = h("6301" + "31323334" * 3)
    frame, result = transfer(host, node, user_code, AC)
    group = host.create_multicast_group([2], AC)
    mpan_frame, _ = transfer(host, node, b"", mpan_group=group)
    mpan = host.mpans.group_state(group)
    texts = [repr(host), repr(node), repr(host.mpans), repr(result), repr(decode_s2_command(frame))]
    texts += [repr(S2Extension.mpan(group, mpan)), repr(S2NetworkKeyReport(AC, h(S2AC_HEX)))]
    texts.append(S2NetworkKeyReport(AC, h(S2AC_HEX)).describe())
    errors = []
    bad = bytearray(host.encapsulate(2, user_code))
    bad[-1] ^= 1
    for call in (
        lambda: node.decapsulate(1, bytes(bad)),
        lambda: node.decapsulate(1, frame),
        lambda: manager(3).decapsulate(1, frame),
        lambda: manager(3).encapsulate(1, user_code),
        lambda: manager(3, keys=NetworkKeys()).create_multicast_group([1], AC),
    ):
        with pytest.raises(SecurityError) as err:
            call()
        errors.append(err.value)
    texts += [str(e) for e in errors] + [repr(e) for e in errors]
    secrets = [S2U_HEX, S2A_HEX, S2AC_HEX, "31323334", mpan.hex()]
    for cls in (U, A, AC):
        derived = KEYS.s2_keys(cls)
        secrets += [derived.ccm_key.hex(), derived.personalization.hex(), derived.mpan_key.hex()]
    for text in texts:
        for secret in secrets:
            assert secret[:8] not in text.lower(), text
        assert "\\x" not in text, text
