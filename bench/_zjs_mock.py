"""Start Z-Wave JS's mock controller (``../shared/tools/zjs-mock``) on a free loopback port.

An independent Serial API peer: nobody on this project wrote its protocol logic, and it
enforces Z-Wave JS's rule of one radio job at a time (an overlapping SendData or
RequestNodeInfo is ACKed and never answered).  Used by tests/interop and
``scripts/bench interop``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOOL_DIR = Path(os.environ.get("ZJS_MOCK_DIR", REPO.parent / "shared" / "tools" / "zjs-mock"))
#: First run installs zwave-js from npm (~30 s); later runs start in a few seconds.
START_TIMEOUT = 240.0


@dataclass
class MockController:
    port: int
    process: subprocess.Popen[str]
    log: Path

    @property
    def url(self) -> str:
        return f"socket://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def unavailable_reason() -> str | None:
    """Why the mock cannot run here (None: it can)."""
    if not (TOOL_DIR / "start.sh").is_file():
        return f"Z-Wave JS mock controller not found at {TOOL_DIR}"
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        return f"{' and '.join(missing)} not installed: the Z-Wave JS mock controller needs Node.js"
    return None


def free_port() -> int:
    """A free loopback TCP port, found by a child process (pytest-socket blocks sockets here)."""
    code = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
    return int(subprocess.check_output([sys.executable, "-c", code], text=True).strip())


def start_mock(log_dir: Path, *, secure: bool = False) -> MockController:
    """Start the mock and wait for its READY line; raises RuntimeError if it does not come up."""
    port = free_port()
    log = log_dir / f"zjs-mock-{port}.log"
    env = dict(os.environ)
    if secure:
        env["ZJS_MOCK_SECURE"] = "1"
    handle = log.open("w")
    process = subprocess.Popen(
        ["bash", str(TOOL_DIR / "start.sh"), str(port)],
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
        start_new_session=True,
    )
    handle.close()
    mock = MockController(port, process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if re.search(r"^READY ", text, re.MULTILINE):
            return mock
        if process.poll() is not None:
            raise RuntimeError(f"the Z-Wave JS mock exited ({process.returncode}):\n{text[-2000:]}")
        time.sleep(0.2)
    mock.stop()
    raise RuntimeError(f"the Z-Wave JS mock did not start within {START_TIMEOUT:g} s:\n{log.read_text()[-2000:]}")
