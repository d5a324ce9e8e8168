"""Interoperability: lock code slots over User Credential CC against Z-Wave JS's own mock lock
(zwave-js 15.29.0 ``mockCCBehaviors/UserCredential``: an encoder, decoder and lock logic nobody
here wrote).  Its own network: controller node 1, node 2 a door lock with User Credential v1
(10 users, 10 PIN slots of 4-10 digits, checksums), no Supervision (the Credential / User
Reports alone tell the outcome), PIN slot 1 = user 1's "1234".  Skipped without Node.js or
without the mock's installed packages (``../shared/tools/zjs-mock/start.sh`` installs them).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._zjs_mock import MockController, free_port, unavailable_reason
from custom_components.zwave_serial.zwave import (
    CommandClass,
    Driver,
    DriverOptions,
    DuplicateUserCode,
    LockCodes,
)
from custom_components.zwave_serial.zwave.cc.user_code import UserIdStatus
from custom_components.zwave_serial.zwave.locks_credential import CredentialLockCodes
from custom_components.zwave_serial.zwave.locks_credential_cache import apply_pin

HOME = Path(os.environ.get("ZJS_MOCK_HOME", Path.home() / ".cache" / "zjs-mock-15.29.0"))


def _reason() -> str | None:
    if (reason := unavailable_reason()) is not None:
        return reason
    if not (HOME / "node_modules" / "zwave-js").is_dir() or not (HOME / "server.cjs").is_file():
        return f"the Z-Wave JS mock is not installed in {HOME} (run ../shared/tools/zjs-mock/start.sh once)"
    return None


pytestmark = pytest.mark.skipif(_reason() is not None, reason=_reason() or "")

CONFIG = r"""
"use strict";
exports.default = function mockConfig({ require }) {
  const { CommandClasses: CC } = require("@zwave-js/core");
  const cc = require("@zwave-js/cc");
  const { Bytes } = require("@zwave-js/shared");
  const nodes = [{
    id: 2,
    capabilities: {
      manufacturerId: 0xffff, productType: 0x0001, productId: 0x0083, firmwareVersion: "1.0",
      genericDeviceClass: 0x40, specificDeviceClass: 0x03,
      commandClasses: [
        { ccId: CC["Z-Wave Plus Info"], version: 2 },
        { ccId: CC.Version, version: 3 },
        { ccId: CC["Manufacturer Specific"], version: 2 },
        { ccId: CC["Door Lock"], version: 4, supportedOperationTypes: [cc.DoorLockOperationType.Constant],
          supportedDoorLockModes: [cc.DoorLockMode.Unsecured, cc.DoorLockMode.Secured], travelTime: 0 },
        { ccId: CC["User Credential"], version: 1 },
      ],
    },
  }];
  function onInit(mockController, mockNodes) {
    const lock = mockNodes.find((n) => n.id === 2);
    lock.state.set("UserCredential_user_1", { userType: 0, active: true, credentialRule: 1,
      expiringTimeoutMinutes: 0, nameEncoding: 0, userName: "Owner", modifierType: 3, modifierNodeId: 0 });
    lock.state.set("UserCredential_cred_1_1", { userId: 1, credentialData: Bytes.from("1234", "ascii"),
      modifierType: 3, modifierNodeId: 0 });
  }
  return { controller: {}, nodes, onInit };
};
"""


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockController]:
    folder = tmp_path_factory.mktemp("zjs-ucred")
    config = folder / "user-credential-config.cjs"
    config.write_text(CONFIG)
    port = free_port()
    log = folder / f"zjs-mock-{port}.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [
                "node",
                str(HOME / "server.cjs"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--config",
                str(config),
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
    controller = MockController(port, process, log)
    try:
        deadline = time.monotonic() + 60
        while not re.search(r"^READY ", log.read_text(errors="replace"), re.MULTILINE):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Z-Wave JS mock did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield controller
    finally:
        controller.stop()


async def test_lock_codes_against_the_zjs_user_credential_lock(
    mock: MockController, socket_enabled: None
) -> None:
    driver = Driver(mock.url, options=DriverOptions(report_timeout=5.0))
    await driver.start()
    try:
        await driver.wait_for_nodes_ready(timeout=60)
        node = driver.nodes[2]
        assert node.ready and node.supports(CommandClass.USER_CREDENTIAL), node.interview_failed
        assert node.get_value(CommandClass.USER_CREDENTIAL, "supported_users") == 10
        codes = LockCodes(driver, 2)
        assert isinstance(codes, CredentialLockCodes) and codes.supports_checksum

        slots = await codes.read_all()
        assert len(slots) == 10 and [s.slot for s in slots if s.in_use] == [1]
        assert (
            slots[0].code == "1234" and slots[0].name == "Owner" and slots[0].status == UserIdStatus.ENABLED
        )
        assert await codes.read_all() == slots  # Z-Wave JS's checksum agrees with the cache

        assert (await codes.set_code(3, "2468", name="Guest")).status == UserIdStatus.ENABLED
        assert (await codes.set_status(3, UserIdStatus.DISABLED)).status == UserIdStatus.DISABLED
        again = await codes.read_all(force=True)
        assert (
            again[2].code == "2468" and again[2].name == "Guest" and again[2].status == UserIdStatus.DISABLED
        )

        with pytest.raises(DuplicateUserCode):
            await codes.set_code(5, "1234")  # refused from the cache, before sending
        apply_pin(node, 1, 1, "")  # the cache forgets slot 1's code: now the lock must refuse it
        with pytest.raises(DuplicateUserCode):
            await codes.set_code(5, "1234")  # refused by Z-Wave JS's lock: Credential Report "duplicate"
        assert not (await codes.read_all(force=True))[4].in_use

        cleared = await codes.clear_code(3)
        assert not cleared.in_use and not (await codes.read_all(force=True))[2].in_use
        stats = driver.statistics()
        assert stats["response_timeouts"] == 0 and stats["callback_timeouts"] == 0
    finally:
        await driver.stop()
