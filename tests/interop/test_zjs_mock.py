"""Interoperability: the driver against Z-Wave JS's mock controller, a peer nobody here wrote.

The mock (``../shared/tools/zjs-mock``) enforces one radio job at a time: an overlapping
SendData or RequestNodeInfo is ACKed and never answered.  Network: controller node 1,
home ID 7e570001; node 2 binary switch, 3 multilevel switch, 4 multilevel sensor,
5 binary sensor, 6 door lock (User Code v2, 5 slots, slot 1 = "1234").
Skipped with the reason when Node.js is missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from bench._zjs_mock import REPO, MockController, start_mock, unavailable_reason
from custom_components.zwave_serial.zwave import CommandClass, Driver, DriverOptions
from custom_components.zwave_serial.zwave.cc.switch_binary import SwitchBinaryGet
from custom_components.zwave_serial.zwave.cc.user_code import UserCodeGet, UserIdStatus

from .util import wait_value

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or "")

NODES = {2: CommandClass.SWITCH_BINARY, 3: CommandClass.SWITCH_MULTILEVEL, 4: CommandClass.SENSOR_MULTILEVEL,
         5: CommandClass.SENSOR_BINARY, 6: CommandClass.DOOR_LOCK}


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockController]:
    controller = start_mock(tmp_path_factory.mktemp("zjs"))
    try:
        yield controller
    finally:
        controller.stop()



async def test_driver_interviews_and_controls_the_zjs_mock(mock: MockController, socket_enabled: None) -> None:
    driver = Driver(mock.url, options=DriverOptions(report_timeout=5.0))
    await driver.start()
    try:
        assert f"{driver.controller.home_id:08x}" == "7e570001"
        await driver.wait_for_nodes_ready(timeout=60)
        for node_id, cc in NODES.items():
            node = driver.nodes[node_id]
            assert node.ready, f"node {node_id} stopped at {node.interview_stage} ({node.interview_failed})"
            assert node.supports(cc) and node.supports(CommandClass.VERSION)
            assert node.cc_version(CommandClass.VERSION) >= 2  # the Version stage completed
        assert driver.nodes[4].get_value(CommandClass.SENSOR_MULTILEVEL, "air_temperature") is not None
        assert driver.nodes[6].get_value(CommandClass.USER_CODE, "users_number") == 5

        # Binary switch on, then off: each state confirmed by the node's report.
        switch = driver.nodes[2]
        for state in (True, False):
            await switch.set_value(CommandClass.SWITCH_BINARY, "target_value", state)
            report = await switch.get(SwitchBinaryGet())
            assert report.current_value is state
            await wait_value(driver, 2, CommandClass.SWITCH_BINARY, "current_value", state)

        # Dimmer to 40 %.
        await driver.nodes[3].set_value(CommandClass.SWITCH_MULTILEVEL, "target_value", 40)
        await wait_value(driver, 3, CommandClass.SWITCH_MULTILEVEL, "current_value", 40)

        # Door lock: unsecured, then secured (mode 0xFF), each read back.
        lock = driver.nodes[6]
        for mode in (0x00, 0xFF):
            await lock.set_value(CommandClass.DOOR_LOCK, "target_mode", mode)
            await wait_value(driver, 6, CommandClass.DOOR_LOCK, "current_mode", mode)

        # User code slot 1 read back (the code itself stays a secret value).
        report = await lock.get(UserCodeGet(1))
        assert report.user_id == 1 and report.status == UserIdStatus.ENABLED and report.code == "1234"

        stats = driver.statistics()
        assert stats["response_timeouts"] == 0 and stats["callback_timeouts"] == 0
    finally:
        await driver.stop()


def test_cli_info_reports_every_node_ready(mock: MockController) -> None:
    """The issue's acceptance: ``scripts/zwave info`` against the mock, every node ready."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "custom_components.zwave_serial.zwave.cli", "info", "--port", mock.url, "--timeout", "30"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    info = json.loads(result.stdout)
    nodes = {n["node_id"]: n for n in info["nodes"]}
    assert sorted(nodes) == [1, 2, 3, 4, 5, 6]
    assert all(nodes[n]["ready"] for n in NODES), {n: nodes[n]["interview_stage"] for n in NODES}
    assert elapsed < 60  # a hang guard, not a performance assertion (bench/interop.py measures)

