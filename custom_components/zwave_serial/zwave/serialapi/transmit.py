"""SendData and friends: requests, TX status callbacks and the extended TX report (§2.4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from ._util import int8, require, u16
from .capability import decode_bool
from .functions import FunctionDef, FunctionType, Priority

DEFAULT_TX_OPTIONS = 0x25  # ACK | AUTO_ROUTE | EXPLORE


class TxOptions(IntEnum):
    """SendData transmit option bits."""

    ACK = 0x01
    LOW_POWER = 0x02
    AUTO_ROUTE = 0x04
    NO_ROUTE = 0x10
    EXPLORE = 0x20


class TransmitStatus(IntEnum):
    """SendData callback status."""

    OK = 0x00
    NO_ACK = 0x01
    FAIL = 0x02
    NOT_IDLE = 0x03
    NO_ROUTE = 0x04


class RouteScheme(IntEnum):
    """Extended TX report: the route the frame finally took (LWR = last working route)."""

    IDLE = 0
    DIRECT = 1
    PRIORITY_ROUTE = 2
    LWR = 3
    NLWR = 4
    AUTO_ROUTE = 5
    RESORT_DIRECT = 6
    EXPLORE = 7


#: Extended TX report route speed -> data rate.
ROUTE_SPEEDS: dict[int, str] = {1: "9.6 kbit/s", 2: "40 kbit/s", 3: "100 kbit/s", 4: "100 kbit/s Long Range"}


@dataclass(frozen=True, slots=True)
class TxReport:
    """A SendData callback: status plus the (optional) extended TX report.

    Fields after ``status`` are None when the stick did not send them.  ACK-related
    fields are None when the status is NoAck.
    """

    callback_id: int
    status: int
    tx_ticks: int | None = None
    repeaters: int | None = None
    ack_rssi: int | None = None
    ack_repeater_rssi: tuple[int, ...] | None = None
    ack_channel: int | None = None
    tx_channel: int | None = None
    route_scheme: int | None = None
    repeater_node_ids: tuple[int, ...] | None = None
    beam_1000ms: bool | None = None
    beam_250ms: bool | None = None
    route_speed: int | None = None
    routing_attempts: int | None = None
    failed_route_last_functional_node: int | None = None
    failed_route_first_non_functional_node: int | None = None
    tx_power: int | None = None
    measured_noise_floor: int | None = None
    destination_ack_tx_power: int | None = None
    destination_ack_rssi: int | None = None
    destination_ack_noise_floor: int | None = None

    @property
    def ok(self) -> bool:
        """True when the node acknowledged the frame."""
        return self.status == TransmitStatus.OK

    @property
    def status_name(self) -> str:
        try:
            return TransmitStatus(self.status).name
        except ValueError:
            return f"0x{self.status:02X}"


def _opt(report: bytes, index: int, signed: bool = False) -> int | None:
    if index >= len(report):
        return None
    return int8(report[index]) if signed else report[index]


def decode_tx_report(payload: bytes) -> TxReport:
    """Decode ``[callbackId][txStatus][extended report...]``."""
    require(payload, 2, "SendData callback")
    callback_id, status = payload[0], payload[1]
    report = payload[2:]
    if len(report) < 17:
        # Legacy sticks append only txTicks (or nothing).
        ticks = u16(report, 0) if len(report) >= 2 else None
        return TxReport(callback_id, status, tx_ticks=ticks)
    with_ack = status != TransmitStatus.NO_ACK
    repeaters = report[2]
    return TxReport(
        callback_id=callback_id,
        status=status,
        tx_ticks=u16(report, 0),
        repeaters=repeaters,
        ack_rssi=int8(report[3]) if with_ack else None,
        ack_repeater_rssi=tuple(int8(b) for b in report[4:8][:repeaters]) if with_ack else None,
        ack_channel=report[8] if with_ack else None,
        tx_channel=report[9],
        route_scheme=report[10],
        repeater_node_ids=tuple(report[11:15][:repeaters]),
        beam_1000ms=bool(report[15] & 0x40),
        beam_250ms=bool(report[15] & 0x20),
        route_speed=report[15] & 0x07,
        routing_attempts=report[16],
        failed_route_last_functional_node=_opt(report, 17),
        failed_route_first_non_functional_node=_opt(report, 18),
        tx_power=_opt(report, 19, signed=True),
        measured_noise_floor=_opt(report, 20, signed=True),
        destination_ack_tx_power=_opt(report, 21, signed=True) if with_ack else None,
        destination_ack_rssi=_opt(report, 22, signed=True) if with_ack else None,
        destination_ack_noise_floor=_opt(report, 23, signed=True) if with_ack else None,
    )


def encode_send_data(node_id: int, data: bytes, tx_options: int = DEFAULT_TX_OPTIONS) -> bytes:
    """``[node][len][data][txOptions]`` (the engine appends the callback id)."""
    if not 1 <= node_id <= 0xFF:
        raise ValueError(f"node id {node_id} out of range")
    if len(data) > 0xFF:
        raise ValueError("command too long")
    return bytes((node_id, len(data))) + bytes(data) + bytes((tx_options,))


def encode_send_data_multicast(
    node_ids: Sequence[int], data: bytes, tx_options: int = DEFAULT_TX_OPTIONS
) -> bytes:
    """``[count][nodes...][len][data][txOptions]`` (the engine appends the callback id)."""
    return bytes((len(node_ids), *node_ids, len(data))) + bytes(data) + bytes((tx_options,))


def _accepted(value: bool) -> bool:
    return bool(value)


DEFINITIONS: tuple[FunctionDef, ...] = (
    FunctionDef(
        FunctionType.SEND_DATA,
        "SendData",
        encode_request=encode_send_data,
        decode_response=decode_bool,
        decode_callback=decode_tx_report,
        has_callback=True,
        response_ok=_accepted,
        priority=Priority.USER,
        radio_job=True,
        retry_refused=True,  # Response 0: the stick's transmit queue is full
    ),
    FunctionDef(
        FunctionType.SEND_DATA_MULTICAST,
        "SendDataMulticast",
        encode_request=encode_send_data_multicast,
        decode_response=decode_bool,
        decode_callback=decode_tx_report,
        has_callback=True,
        response_ok=_accepted,
        priority=Priority.USER,
        radio_job=True,
        retry_refused=True,  # Response 0: the stick's transmit queue is full
    ),
    # Sent by the engine itself while a SendData waits for its callback (no Response).
    FunctionDef(FunctionType.SEND_DATA_ABORT, "SendDataAbort", has_response=False),
)
