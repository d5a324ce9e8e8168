"""Serial API function table: encoders and decoders against byte vectors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.errors import MessageDecodeError
from custom_components.zwave_serial.zwave.frame import Frame, parse_frame
from custom_components.zwave_serial.zwave.serialapi import (
    FUNCTIONS,
    AddRemoveStatus,
    ApplicationCommand,
    FunctionType,
    NvmOperation,
    SetupCommand,
    TransmitStatus,
    UpdateType,
    decode_frame,
    decode_supported_setup_commands,
    function_name,
    get_function,
)
from custom_components.zwave_serial.zwave.serialapi._util import encode_node_bitmask, parse_cc_list


def decode_response(function: int, hex_payload: str):
    definition = get_function(function)
    assert definition is not None and definition.decode_response is not None
    return definition.decode_response(bytes.fromhex(hex_payload))


def decode_callback(function: int, hex_payload: str):
    definition = get_function(function)
    assert definition is not None and definition.decode_callback is not None
    return definition.decode_callback(bytes.fromhex(hex_payload))


def request_payload(function: int, *args, callback_id: int = 0) -> bytes:
    definition = get_function(function)
    assert definition is not None
    return definition.build_request(args, callback_id)


# --- function ids -------------------------------------------------------------------------


def test_function_ids_and_names() -> None:
    assert FunctionType.GET_SERIAL_API_INIT_DATA == 0x02
    assert FunctionType.SEND_DATA == 0x13
    assert FunctionType.APPLICATION_UPDATE_REQUEST == 0x49
    assert FunctionType.REQUEST_NODE_INFO == 0x60
    assert FunctionType.SET_LONG_RANGE_SHADOW_NODE_IDS == 0xDD
    assert len(FunctionType) == 95  # every id listed in protocol-facts §2
    assert function_name(0x13) == "SendData"
    assert function_name(0x14) == "SendDataMulticast"
    assert function_name(0xEE) == "0xEE"
    for fid, definition in FUNCTIONS.items():
        assert fid == definition.id


@pytest.mark.parametrize(
    "fid",
    [0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x13, 0x15, 0x16, 0x20, 0x29, 0x2A,
     0x2E, 0x41, 0x42, 0x48, 0x49, 0x54, 0x56, 0x60, 0x61, 0x62],
)  # fmt: skip
def test_required_functions_are_in_the_table(fid: int) -> None:
    assert get_function(fid) is not None


# --- capability / init ----------------------------------------------------------------------


def test_init_data() -> None:
    mask = encode_node_bitmask([1, 2, 4, 232])
    payload = bytes((0x08, 0x08, 29)) + mask + b"\x07\x00"
    init = get_function(0x02).decode_response(payload)
    assert init.api_version == 8
    assert init.is_sis and not init.is_end_node and not init.is_secondary and not init.supports_timers
    assert init.node_ids == [1, 2, 4, 232]
    assert (init.chip_type, init.chip_version) == (7, 0)
    assert init.chip_name == "EFR32ZG14 / ZGM130S"


def test_init_data_without_chip_and_truncated() -> None:
    init = decode_response(0x02, "05 00 02 01 00")
    assert init.node_ids == [1] and init.chip_type is None and init.chip_name is None
    with pytest.raises(MessageDecodeError):
        decode_response(0x02, "05 00 1D 01")


def test_serial_api_capabilities() -> None:
    mask = bytearray(32)
    for fid in (0x02, 0x13, 0x49, 0xFF):
        mask[(fid - 1) // 8] |= 1 << ((fid - 1) % 8)
    caps = get_function(0x07).decode_response(bytes.fromhex("01 02 00 86 00 01 00 5A") + bytes(mask))
    assert caps.firmware_version == "1.2"
    assert (caps.manufacturer_id, caps.product_type, caps.product_id) == (0x0086, 0x0001, 0x005A)
    assert caps.supported_functions == {0x02, 0x13, 0x49, 0xFF}
    assert caps.supports(0x13) and not caps.supports(0x14)


def test_controller_capabilities() -> None:
    caps = decode_response(0x05, "1C")
    assert caps.sis_present and caps.was_real_primary and caps.is_suc
    assert not caps.is_secondary and not caps.no_nodes_included and caps.raw == caps.flags == 0x1C


def test_protocol_version() -> None:
    proto = decode_response(0x09, "00 07 13 01 00 2A" + "ab" * 16)
    assert (proto.major, proto.minor, proto.patch, proto.version) == (7, 19, 1, "7.19.1")
    assert proto.app_framework_build == 0x2A and proto.git_hash == "ab" * 16
    assert decode_response(0x09, "00 06 04 00").git_hash is None


def test_controller_version_and_id() -> None:
    version = get_function(0x15).decode_response(b"Z-Wave 7.19\x00\x07")
    assert (version.library_version, version.library_type) == ("Z-Wave 7.19", 7)
    ident = decode_response(0x20, "C0 FF EE 01 01")
    assert (ident.home_id, ident.node_id, ident.own_node_id) == (0xC0FFEE01, 1, 1)
    with pytest.raises(MessageDecodeError):
        get_function(0x15).decode_response(b"Z-Wave 7.19")


def test_serial_api_started() -> None:
    started = decode_callback(0x0A, "07 00 80 02 01 03 5E 98 9F 01")
    assert started.wake_up_reason == 7 and not started.watchdog_started
    assert started.is_listening and (started.generic, started.specific) == (2, 1)
    assert started.supported_ccs == [0x5E, 0x98, 0x9F]
    assert started.supports_long_range is True
    assert decode_callback(0x0A, "05 01 00 02 01 00").supports_long_range is None


def test_serial_api_setup() -> None:
    setup = get_function(0x0B)
    assert request_payload(0x0B, SetupCommand.SET_TX_STATUS_REPORT, b"\xff") == b"\x02\xff"
    ok = decode_response(0x0B, "02 01")
    assert ok.supported and ok.success and setup.response_ok(ok)
    assert not setup.response_ok(decode_response(0x0B, "02 00"))
    unsupported = decode_response(0x0B, "00 02")
    assert not unsupported.supported and not setup.response_ok(unsupported)
    assert setup.response_ok(decode_response(0x0B, "20 00"))  # GetRFRegion = EU: not a failure
    legacy = decode_response(0x0B, "01 03")
    assert decode_supported_setup_commands(legacy) == {0x01, 0x02}
    extended = decode_response(0x0B, "01 FF 03 00 01")  # bits 0, 1 and 16
    assert decode_supported_setup_commands(extended) == {1, 2, 17}
    assert decode_supported_setup_commands(extended, sdk_before_7_19_1=True) == {0, 1, 16}


def test_set_application_node_information_and_timeouts() -> None:
    payload = request_payload(0x03, True, 0x02, 0x07, [0x5E, 0x86, 0x72])
    assert payload == bytes.fromhex("01 02 07 03 5E 86 72")
    assert not get_function(0x03).has_response
    assert request_payload(0x06, 1600, 150) == bytes.fromhex("A0 0F")
    old = decode_response(0x06, "96 0A")
    assert (old.ack_timeout_ms, old.byte_timeout_ms) == (1500, 100)


def test_soft_reset_hard_reset_rf_mode() -> None:
    soft_reset = get_function(0x08)
    # No Response; SerialAPIStarted (no callback id) is its optional result.
    assert not soft_reset.has_response and soft_reset.callback_optional and not soft_reset.callback_has_id
    assert soft_reset.build_request(()) == b""
    hard = get_function(0x42)
    assert hard.has_callback and not hard.has_response
    assert request_payload(0x42, callback_id=9) == b"\x09"
    assert request_payload(0x10, True) == b"\x01"
    assert decode_response(0x10, "01") is True


# --- application frames ----------------------------------------------------------------------

SEED_NIF = bytes.fromhex("84 04 16 04 11 06 70 25 26 27 2B 2C 72 86 31 32 60 7A 85 8E 73 EF 25 26 2B")


def test_seed_node_info_frame() -> None:
    """Seed 001: 01 1C 00 49 84 04 16 04 11 06 ... (Fibaro FGR-222 NIF)."""
    raw = Frame.request(0x49, SEED_NIF).to_bytes()
    assert raw[:10] == bytes.fromhex("01 1C 00 49 84 04 16 04 11 06")
    name, update = decode_frame(parse_frame(raw))
    assert name == "ApplicationUpdate"
    assert update.update_type == UpdateType.NODE_INFO_RECEIVED and update.node_id == 4
    nif = update.node_info
    assert (nif.node_id, nif.basic, nif.generic, nif.specific) == (4, 0x04, 0x11, 0x06)
    assert nif.supported_ccs[:2] == [0x70, 0x25] and len(nif.supported_ccs) == 15
    assert nif.controlled_ccs == [0x25, 0x26, 0x2B]


def test_seed_node_info_failed() -> None:
    """Seed 001: 01 06 00 49 81 00 00 — the stick does not say which node failed."""
    update = decode_callback(0x49, "81 00 00")
    assert update.update_type == UpdateType.NODE_INFO_REQUEST_FAILED and update.node_id == 0
    assert update.node_info is None


def test_application_update_other_types() -> None:
    assert decode_callback(0x49, "20 05").node_id == 5
    suc = decode_callback(0x49, "10 01")
    assert suc.update_type == UpdateType.SUC_ID_CHANGED and suc.node_id == 1
    added = decode_callback(0x49, "40 07 06 04 10 01 25 EF 20")
    assert added.node_info.supported_ccs == [0x25] and added.node_info.controlled_ccs == [0x20]
    smart = decode_callback(0x49, "85 00 00 C1 23 45 67 02 04 10 01 5E 9F")
    assert smart.nwi_home_id == 0xC1234567 and smart.node_info.supported_ccs == [0x5E, 0x9F]
    with pytest.raises(MessageDecodeError):
        decode_callback(0x49, "84 04 16 04 11")
    with pytest.raises(MessageDecodeError):
        decode_callback(0x49, "84 04 02 04 11")


def test_seed_application_command() -> None:
    """Seed 001: 01 09 00 04 00 04 03 20 03 01 — Basic Report value 1 from node 4."""
    frame = parse_frame(Frame.request(0x04, bytes.fromhex("00 04 03 20 03 01")).to_bytes())
    _, cmd = decode_frame(frame)
    assert cmd == ApplicationCommand(0x00, 4, bytes.fromhex("20 03 01"))
    assert "20 03 01" not in repr(cmd)  # command bytes stay out of logs
    bcast = decode_callback(0x04, "04 05 02 25 03 7F 00")  # trailing bytes ignored
    assert bcast.is_broadcast and not bcast.is_multicast and bcast.command == b"\x25\x03"
    with pytest.raises(MessageDecodeError):
        decode_callback(0x04, "00 04 05 20 03")


def test_bridge_application_command() -> None:
    cmd = decode_callback(0xA8, "08 01 05 02 25 03 00 C4")
    assert (cmd.source_node_id, cmd.destination_node_id, cmd.command, cmd.rssi) == (5, 1, b"\x25\x03", -60)
    assert cmd.is_multicast
    assert decode_callback(0xA8, "00 01 05 02 25 03").rssi is None


def test_cc_list_extended_ids() -> None:
    assert parse_cc_list(bytes.fromhex("20 F1 00 EF F2 05 26")) == ([0x20, 0xF100], [0xF205, 0x26])
    with pytest.raises(MessageDecodeError):
        parse_cc_list(b"\x20\xf1")


# --- SendData ------------------------------------------------------------------------------


def test_seed_send_data_request() -> None:
    """Seed 001: SendData node 4, Basic Get, tx options 05, callback id 37."""
    payload = request_payload(0x13, 4, b"\x20\x02", 0x05, callback_id=0x37)
    assert payload == bytes.fromhex("04 02 20 02 05 37")
    assert Frame.request(0x13, payload).to_bytes()[:2] == bytes.fromhex("01 09")
    assert request_payload(0x13, 4, b"\x20\x02", callback_id=1)[-2:] == b"\x25\x01"
    assert decode_response(0x13, "01") is True
    assert not get_function(0x13).response_ok(decode_response(0x13, "00"))
    with pytest.raises(ValueError):
        request_payload(0x13, 0, b"\x20\x02")


def test_seed_send_data_callback_legacy() -> None:
    """Seed 001: 01 07 00 13 37 00 00 02 — OK, txTicks 2 (no extended report)."""
    report = decode_callback(0x13, "37 00 00 02")
    assert report.callback_id == 0x37 and report.ok and report.status == TransmitStatus.OK
    assert report.tx_ticks == 2 and report.repeaters is None and report.ack_rssi is None
    short = decode_callback(0x13, "05 01")
    assert short.status == TransmitStatus.NO_ACK and short.tx_ticks is None
    assert short.status_name == "NO_ACK"


def test_send_data_extended_tx_report() -> None:
    report = decode_callback(
        0x13,
        "0A 00 00 0C 02 D2 C8 BF 7F 7F 00 01 05 03 04 00 00 42 07 00 00 F8 A1 05 C9 CA",
    )
    assert report.callback_id == 10 and report.ok
    assert report.tx_ticks == 12 and report.repeaters == 2
    assert report.ack_rssi == -46 and report.ack_repeater_rssi == (-56, -65)
    assert (report.ack_channel, report.tx_channel, report.route_scheme) == (0, 1, 5)
    assert report.repeater_node_ids == (3, 4)
    assert report.beam_1000ms and not report.beam_250ms and report.route_speed == 2
    assert report.routing_attempts == 7
    assert report.failed_route_last_functional_node == 0
    assert report.tx_power == -8 and report.measured_noise_floor == -95
    assert report.destination_ack_tx_power == 5 and report.destination_ack_noise_floor == -54


def test_send_data_extended_report_no_ack_hides_ack_fields() -> None:
    report = decode_callback(0x13, "0B 01 00 64 00 7F 7F 7F 7F 7F 00 00 01 00 00 00 00 02 03")
    assert report.status == TransmitStatus.NO_ACK and report.tx_ticks == 100
    assert report.ack_rssi is None and report.ack_channel is None and report.routing_attempts == 3


def test_send_data_abort_and_multicast() -> None:
    abort = get_function(0x16)
    assert not abort.has_response and not abort.has_callback and request_payload(0x16) == b""
    assert request_payload(0x14, [2, 3], b"\x20\x01\xff", 0x05, callback_id=4) == bytes.fromhex(
        "02 02 03 03 20 01 FF 05 04"
    )


# --- network management ----------------------------------------------------------------------


def test_node_protocol_info() -> None:
    info = decode_response(0x41, "D3 9C 01 04 10 01")
    assert info.listening and info.routing and info.beaming and not info.is_controller
    assert info.frequent_listening is None and info.is_routing_end_node and not info.security
    assert info.protocol_version == 3 and info.speeds == (40000, 100000)
    assert (info.basic, info.generic, info.specific) == (0x04, 0x10, 0x01)
    flirs = decode_response(0x41, "53 DC 01 04 40 03")
    assert not flirs.listening and flirs.frequent_listening == 1000
    assert decode_response(0x41, "53 BC 00 04 40 03").frequent_listening == 250
    ctrl = decode_response(0x41, "D3 16 00 02 02 07")
    assert ctrl.is_controller and ctrl.specific == 7
    no_specific = decode_response(0x41, "C9 01 00 03 10")
    assert no_specific.specific is None and no_specific.security and no_specific.speeds == (9600,)
    with pytest.raises(MessageDecodeError):
        decode_response(0x41, "D3 9C 01")


def test_suc_functions() -> None:
    assert decode_response(0x56, "01") == 1
    assert decode_response(0x56, "00") == 0  # no SUC
    assert request_payload(0x54, 1, True, True, callback_id=3) == bytes.fromhex("01 01 25 01 03")
    cb = decode_callback(0x54, "03 05")
    assert (cb.callback_id, cb.status) == (3, 5)


def test_request_node_info_has_no_callback_id() -> None:
    rni = get_function(0x60)
    # Its result is the node's ApplicationUpdate, matched by node id, not by a callback id.
    assert rni.radio_job and not rni.callback_has_id and 0x49 in rni.callback_functions
    assert request_payload(0x60, 4) == b"\x04"
    assert decode_response(0x60, "01") is True and not rni.response_ok(False)


def test_failed_node_functions() -> None:
    assert request_payload(0x62, 5) == b"\x05"
    assert decode_response(0x62, "01") is True
    remove = get_function(0x61)
    assert request_payload(0x61, 5, callback_id=7) == b"\x05\x07"
    assert remove.response_ok(decode_response(0x61, "00"))
    assert not remove.response_ok(decode_response(0x61, "08"))
    assert decode_callback(0x61, "07 01").status == 1


def test_neighbor_update_is_multi_stage() -> None:
    update = get_function(0x48)
    assert update.has_callback and not update.has_response
    assert request_payload(0x48, 6, callback_id=2) == b"\x06\x02"
    assert not update.callback_final(decode_callback(0x48, "02 21"))
    assert update.callback_final(decode_callback(0x48, "02 22"))
    assert update.callback_final(decode_callback(0x48, "02 23"))


def test_add_node_callbacks() -> None:
    add = get_function(0x4A)
    any_mode = request_payload(0x4A, 0xC1, callback_id=9)
    assert any_mode == b"\xc1\x09"
    stop = request_payload(0x4A, 0xC5, callback_id=10)
    ready = decode_callback(0x4A, "09 01 00 00")
    assert ready.status == AddRemoveStatus.READY and not add.final_for_request(any_mode, ready)
    adding = decode_callback(0x4A, "09 03 05 06 04 10 01 5E 25 86")
    assert adding.node_id == 5 and adding.node_info.supported_ccs == [0x5E, 0x25, 0x86]
    assert not add.final_for_request(any_mode, adding)
    protocol_done = decode_callback(0x4A, "09 05 05 00")
    assert add.final_for_request(any_mode, protocol_done) and not add.final_for_request(stop, protocol_done)
    done = decode_callback(0x4A, "0A 06 05 00")
    assert done.node_id == 5 and add.final_for_request(stop, done)
    # SmartStart: the NWI and auth home IDs follow the callback id
    smart = request_payload(0x4A, 0xC8, 0xFA5B829A, 0x12E67EA9, callback_id=11)
    assert smart == bytes.fromhex("C8 0B FA5B829A 12E67EA9")


def test_routing_info() -> None:
    assert request_payload(0x80, 3, True, False) == bytes.fromhex("03 80 00")
    assert get_function(0x80).decode_response(encode_node_bitmask([1, 2, 9])) == [1, 2, 9]


# --- NVM -----------------------------------------------------------------------------------


def test_nvm_functions() -> None:
    nvm_id = decode_response(0x29, "00 EF 80 11")
    assert (nvm_id.manufacturer_id, nvm_id.memory_type, nvm_id.size) == (0xEF, 0x80, 128 * 1024)
    assert decode_response(0x29, "00 EF 80 FF").size is None
    assert request_payload(0x2A, 0x010000, 64) == bytes.fromhex("01 00 00 00 40")
    assert decode_response(0x2A, "AA BB") == b"\xaa\xbb"
    assert request_payload(0x2E, NvmOperation.OPEN) == b"\x00"
    assert request_payload(0x2E, NvmOperation.READ, 32, 0x0100) == bytes.fromhex("01 20 01 00")
    assert request_payload(0x2E, NvmOperation.WRITE, 0, 0x0010, b"\x01\x02") == bytes.fromhex(
        "02 02 00 10 01 02"
    )
    opened = decode_response(0x2E, "00 00 FF FF")
    assert opened.ok and opened.offset_or_size == 0xFFFF and opened.data == b""
    read = decode_response(0x2E, "FF 02 00 20 AA BB")
    assert read.ok and read.data == b"\xaa\xbb"
    assert not get_function(0x2E).response_ok(decode_response(0x2E, "01 00 00 00"))
    assert request_payload(0x3D, NvmOperation.READ, 16, 0x012345) == bytes.fromhex("01 10 00 01 23 45")
    assert decode_response(0x3D, "00 01 00 00 00 10 7F").data == b"\x7f"


def test_decode_frame_unknown_and_bad() -> None:
    assert decode_frame(Frame.request(0xEE, b"\x01")) == ("0xEE", None)
    assert decode_frame(Frame.request(0x04, b"\x00")) == ("ApplicationCommandHandler", None)
    name, caps = decode_frame(Frame.response(0x05, b"\x20"))
    assert name == "GetControllerCapabilities" and caps.no_nodes_included


# --- robustness ----------------------------------------------------------------------------

DECODERS = [
    (fid, kind, decoder)
    for fid, definition in FUNCTIONS.items()
    for kind, decoder in (("response", definition.decode_response), ("callback", definition.decode_callback))
    if decoder is not None
]


@pytest.mark.parametrize(("fid", "kind", "decoder"), DECODERS, ids=[f"{f:02X}-{k}" for f, k, _ in DECODERS])
def test_empty_payload_raises_typed_error_or_decodes(fid: int, kind: str, decoder) -> None:
    try:
        decoder(b"")
    except MessageDecodeError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DECODERS), st.binary(max_size=64))
def test_fuzz_decoders_raise_only_message_decode_error(item, payload: bytes) -> None:
    _, _, decoder = item
    try:
        decoder(payload)
    except MessageDecodeError:
        pass
