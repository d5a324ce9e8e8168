"""Network-management functions as the firmware answers them (raw frames over a pty)."""

from __future__ import annotations

from custom_components.zwave_serial.zwave.frame import Control, Frame
from custom_components.zwave_serial.zwave.sim import BinarySwitch, VirtualStick

from .conftest import PtyHost


def is_callback(function: int):
    return lambda f: f.type == 0 and f.function == function


async def fail_node(stick: VirtualStick, host: PtyHost, node: int) -> None:
    """Make ``node`` dead and let a SendData to it fail, which puts it on the failed list."""
    stick.set_dead(node)
    _, callback = await host.send_data(node, b"\x25\x02")
    assert callback.payload[1] == 0x01
    assert (await host.call(0x62, bytes((node,)))).payload == b"\x01"


async def test_request_node_info_of_a_silent_node_gets_no_answer(stick: VirtualStick, host: PtyHost) -> None:
    """The node ACKs the request but never sends its NIF: the firmware sends nothing."""
    stick.node(2).nif_silent = True
    assert (await host.call(0x60, b"\x02")).payload == b"\x01"
    await host.quiet(lambda f: f.function == 0x49, 0.3)
    assert not stick.jobs.busy
    # 0x81 only when the transmission fails
    stick.set_dead(3)
    assert (await host.call(0x60, b"\x03")).payload == b"\x01"
    failed = await host.expect(lambda f: f.function == 0x49)
    assert failed.payload == b"\x81\x00\x00"
    # a node that answers
    assert (await host.call(0x60, b"\x04")).payload == b"\x01"
    assert (await host.expect(lambda f: f.function == 0x49)).payload[:2] == b"\x84\x04"


async def test_nif_silent_option() -> None:
    assert BinarySwitch(2, nif_silent=True).nif_silent
    assert not BinarySwitch(2).nif_silent


async def test_assign_suc_return_route_needs_a_suc(stick: VirtualStick, host: PtyHost) -> None:
    assert (await host.call(0x51, b"\x02\x05")).payload == b"\x00"  # no SUC set
    await host.quiet(is_callback(0x51), 0.1)
    assert (await host.call(0x54, bytes((1, 1, 0, 1, 0)))).payload == b"\x01"
    assert (await host.call(0x51, b"\x02\x06")).payload == b"\x01"
    assert (await host.expect(is_callback(0x51))).payload == b"\x06\x00"
    assert 1 in stick.api.return_routes[2]
    assert (await host.call(0x55, b"\x02\x07")).payload == b"\x01"
    assert (await host.expect(is_callback(0x55))).payload == b"\x07\x00"
    assert 1 not in stick.api.return_routes[2]


async def test_assign_and_delete_return_routes(stick: VirtualStick, host: PtyHost) -> None:
    assert (await host.call(0x46, b"\x02\x03\x08")).payload == b"\x01"
    assert (await host.expect(is_callback(0x46))).payload == b"\x08\x00"
    assert (await host.call(0x46, b"\x02\x04\x09")).payload == b"\x01"
    assert (await host.expect(is_callback(0x46))).payload == b"\x09\x00"
    assert stick.api.return_routes[2] == {3, 4}
    assert (await host.call(0x47, b"\x02\x0a")).payload == b"\x01"
    assert (await host.expect(is_callback(0x47))).payload == b"\x0a\x00"
    assert stick.api.return_routes[2] == set()
    stick.set_dead(3)
    assert (await host.call(0x47, b"\x03\x0b")).payload == b"\x01"
    assert (await host.expect(is_callback(0x47))).payload == b"\x0b\x01"  # NoAck


async def test_capabilities_list_the_new_functions(stick: VirtualStick, host: PtyHost) -> None:
    mask = (await host.call(0x07)).payload[8:]
    for fn in (0x47, 0x55, 0x63):
        assert mask[(fn - 1) // 8] & (1 << ((fn - 1) % 8)), hex(fn)


async def test_remove_failed_node(stick: VirtualStick, host: PtyHost) -> None:
    # not on the failed list: RES 0x08 and no callback
    assert (await host.call(0x61, b"\x02\x09")).payload == b"\x08"
    assert (await host.call(0x61, b"\x63\x0a")).payload == b"\x08"  # not even in the network
    await host.quiet(is_callback(0x61), 0.1)
    # failed and still dead: RES 0, then "removed"
    await fail_node(stick, host, 3)
    assert (await host.call(0x61, b"\x03\x0b")).payload == b"\x00"
    assert (await host.expect(is_callback(0x61))).payload == b"\x0b\x01"
    assert 3 not in stick.nodes
    # failed but answering again: "node OK", and off the failed list
    await fail_node(stick, host, 4)
    stick.radio.set_dead(4, False)
    assert (await host.call(0x61, b"\x04\x0c")).payload == b"\x00"
    assert (await host.expect(is_callback(0x61))).payload == b"\x0c\x00"
    assert 4 in stick.nodes and (await host.call(0x62, b"\x04")).payload == b"\x00"
    # callback ID 0: started, but no callback
    await fail_node(stick, host, 6)
    assert (await host.call(0x61, b"\x06\x00")).payload == b"\x00"
    await host.quiet(is_callback(0x61), 0.3)
    assert 6 not in stick.nodes


async def test_replace_failed_node(stick: VirtualStick, host: PtyHost) -> None:
    assert (await host.call(0x63, b"\x02\x01")).payload == b"\x08"  # not failed
    await fail_node(stick, host, 3)
    assert (await host.call(0x63, b"\x03\x02")).payload == b"\x00"
    assert (await host.expect(is_callback(0x63))).payload == b"\x02\x03"  # ready for the new node
    assert stick.offer_replacement(BinarySwitch(99))
    assert (await host.expect(is_callback(0x63))).payload == b"\x02\x04"  # done
    assert isinstance(stick.node(3), BinarySwitch) and stick.node(3).node_id == 3
    assert (await host.call(0x62, b"\x03")).payload == b"\x00"
    assert not stick.offer_replacement(BinarySwitch(98))  # nobody waits any more
    # nobody comes: failed after the wait
    stick.timing.replace_wait = 0.2
    await fail_node(stick, host, 4)
    assert (await host.call(0x63, b"\x04\x03")).payload == b"\x00"
    assert (await host.expect(is_callback(0x63))).payload == b"\x03\x03"
    assert (await host.expect(is_callback(0x63))).payload == b"\x03\x05"


async def test_a_second_network_management_job_is_busy(stick: VirtualStick, host: PtyHost) -> None:
    stick.neighbor_update_time = 0.3
    await fail_node(stick, host, 3)
    assert await host.send(Frame.request(0x48, b"\x02\x01")) == Control.ACK
    assert (await host.expect(is_callback(0x48))).payload == b"\x01\x21"
    assert (await host.call(0x61, b"\x03\x02")).payload == b"\x10"  # busy
    assert (await host.expect(is_callback(0x48))).payload == b"\x01\x22"


async def test_set_suc_node_id_of_another_node_is_a_radio_job(stick: VirtualStick, host: PtyHost) -> None:
    assert (await host.call(0x54, bytes((2, 1, 0, 1, 0x0D)))).payload == b"\x01"
    assert (await host.expect(is_callback(0x54))).payload == b"\x0d\x06"  # end nodes cannot be SUC
    assert (await host.call(0x54, bytes((1, 1, 0, 1, 0x0E)))).payload == b"\x01"  # the stick itself
    await host.quiet(is_callback(0x54), 0.1)
    assert stick.suc_node_id == 1


async def test_premature_report_arrives_before_the_send_data_callback(
    stick: VirtualStick, host: PtyHost
) -> None:
    stick.injector.force("premature")
    _, callback = await host.send_data(2, b"\x25\x02")
    assert callback.payload[1] == 0x00
    await host.report(2, b"\x25\x03")
    order = [f.function for f in host.received if f.function in (0x13, 0x04) and f.type == 0]
    assert order == [0x04, 0x13]
    assert stick.fault_counters.premature_reports == 1
    # the next one is in the usual order again
    await host.send_data(2, b"\x25\x02")
    await host.report(2, b"\x25\x03")
    order = [f.function for f in host.received if f.function in (0x13, 0x04) and f.type == 0]
    assert order == [0x04, 0x13, 0x13, 0x04]
