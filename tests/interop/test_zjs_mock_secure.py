"""Interoperability in secure mode: the driver against Z-Wave JS's mock with ``ZJS_MOCK_SECURE=1``.

Node 6 (door lock, User Code v2, slot 1 = "1234") was included with S2 Access Control + S0;
the mock node does the S0/S2 crypto (nonces, SPAN, decryption failures) with the test keys of
``../shared/tools/zjs-mock/README.md``; the mock controller, like a real stick, does none.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._zjs_mock import REPO, MockController, start_mock, unavailable_reason
from custom_components.zwave_serial.zwave import (
    CommandClass,
    Driver,
    DriverOptions,
    MemoryCache,
    NetworkKeys,
    SecurityClass,
)
from custom_components.zwave_serial.zwave.cc.user_code import UserCodeGet, UserIdStatus

from .util import wait_value

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or "")

TEST_KEYS = {
    "s0_legacy": "0102030405060708090a0b0c0d0e0f10",
    "s2_unauthenticated": "11111111111111111111111111111111",
    "s2_authenticated": "22222222222222222222222222222222",
    "s2_access_control": "33333333333333333333333333333333",
}
PLAIN_NODES = {2: CommandClass.SWITCH_BINARY, 3: CommandClass.SWITCH_MULTILEVEL, 4: CommandClass.SENSOR_MULTILEVEL,
               5: CommandClass.SENSOR_BINARY}


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockController]:
    controller = start_mock(tmp_path_factory.mktemp("zjs-secure"), secure=True)
    try:
        yield controller
    finally:
        controller.stop()



def test_cli_info_with_keys_reports_s2_access_control(mock: MockController, tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(TEST_KEYS))
    result = subprocess.run(
        [sys.executable, "-m", "custom_components.zwave_serial.zwave.cli", "info", "--port", mock.url,
         "--keys", str(keys_file), "--timeout", "40"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    info = json.loads(result.stdout)
    nodes = {n["node_id"]: n for n in info["nodes"]}
    lock = nodes[6]
    assert lock["ready"], lock["interview_stage"]
    assert lock["security_class"] == "S2_AccessControl"
    assert all(nodes[n]["ready"] and nodes[n]["security_class"] is None for n in PLAIN_NODES)
    values = lock["values"]
    assert values["6-0-62-current_mode"] in (0, 255)  # Door Lock read over S2
    assert values["6-0-63-users_number"] == 5  # User Code read over S2
    assert info["statistics"]["security_decrypt_failures"] == 0
    for secret in TEST_KEYS.values():
        assert secret not in result.stdout and secret not in result.stderr


async def test_lock_and_user_code_over_s2(
    mock: MockController, socket_enabled: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.zwave_serial.zwave")
    cache = MemoryCache()
    keys = NetworkKeys.from_dict(TEST_KEYS)
    driver = Driver(mock.url, cache=cache, options=DriverOptions(report_timeout=5.0), keys=keys)
    await driver.start()
    try:
        await driver.wait_for_nodes_ready(timeout=60)
        lock = driver.nodes[6]
        assert lock.ready and lock.is_secure and lock.security_class is SecurityClass.S2_AccessControl
        assert {CommandClass.DOOR_LOCK, CommandClass.USER_CODE} <= lock.secure_ccs
        for node_id, cc in PLAIN_NODES.items():  # plain nodes keep working
            assert driver.nodes[node_id].ready and not driver.nodes[node_id].is_secure
            assert driver.nodes[node_id].supports(cc)

        sent: list[bytes] = []
        original = driver.api.send_data  # type: ignore[union-attr]

        async def spy(node_id: int, data: bytes, **kwargs: object) -> object:
            if node_id == 6:
                sent.append(bytes(data))
            return await original(node_id, data, **kwargs)

        driver.api.send_data = spy  # type: ignore[union-attr,method-assign]
        for mode in (0x00, 0xFF):  # unlock, then lock; each confirmed by the node's report
            await lock.set_value(CommandClass.DOOR_LOCK, "target_mode", mode)
            await wait_value(driver, 6, CommandClass.DOOR_LOCK, "current_mode", mode)

        report = await lock.get(UserCodeGet(1))
        assert report.user_id == 1 and report.status == UserIdStatus.ENABLED and report.code == "1234"
        # Everything to node 6 went over S2 (Nonce Get / Message Encapsulation), nothing plain.
        assert sent and all(frame[0] == 0x9F for frame in sent)
        assert any(frame[1] == 0x03 for frame in sent)

        stats = driver.statistics()
        assert stats["security_decrypt_failures"] == 0 and stats["callback_timeouts"] == 0
        cache_text = json.dumps(driver.cache_data())
        assert '"security_class": "S2_AccessControl"' in cache_text
    finally:
        await driver.stop()
    text = caplog.text.lower() + cache_text.lower() + repr(driver.security).lower()
    for secret in (*TEST_KEYS.values(), "31 32 33 34", "31323334"):
        assert secret not in text
    # (the lock's supported keys '0123456789' contain 1234: look for the code as a value)
    for shown in ("'1234'", '"1234"', "=1234", ": 1234"):
        assert shown not in caplog.text
