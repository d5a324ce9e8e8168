"""The command-line tool: decode (pure), info against the virtual stick (pty and TCP, as subprocesses)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from custom_components.zwave_serial.zwave.cli import decode_frame_json, main
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS, DemoStick

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CLI = [sys.executable, "-m", "custom_components.zwave_serial.zwave.cli"]


def test_decode_basic_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--json", "01", "09", "00", "04", "00", "04", "03", "20", "03", "01", "D7"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["function"] == "ApplicationCommandHandler"
    assert out["message"]["source_node_id"] == 4
    assert out["commands"][0]["command"] == "BasicReport"
    assert out["commands"][0]["fields"]["current_value"] == 1


@pytest.mark.parametrize(
    ("hex_words", "error"),
    [
        (["01 09 00 04 00 04 03 20 03 01 D9"], "checksum"),
        (["01 05 00 04"], "short"),
        (["zz"], "not hex"),
    ],
)
def test_decode_reports_bad_frames(hex_words: list[str], error: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "--json", *hex_words]) != 0
    assert error in json.loads(capsys.readouterr().out)["error"]
    assert main(["decode", *hex_words]) != 0
    out = capsys.readouterr().out
    assert out.startswith("error: ") and error in out


def test_decode_never_shows_user_codes() -> None:
    # SendData to node 7: Supervision GET wrapping User Code Set, slot 5, code "1234" (seed 002).
    command = bytes.fromhex("6C 01 01 08 63 01 05 01 31 32 33 34")
    payload = bytes((7, len(command))) + command + bytes((0x25, 0x01))
    out = decode_frame_json(Frame.request(0x13, payload).to_bytes())
    assert "1234" not in json.dumps(out) and "31 32 33 34" not in json.dumps(out)


def test_decode_json_never_shows_a_code_inside_a_keypad_notification() -> None:
    # Keypad unlock by user 3: the event parameters embed a User Code Report with code "1234".
    command = bytes.fromhex("71 05 00 00 00 FF 06 06 08 63 03 03 01 31 32 33 34")
    out = decode_frame_json(Frame.request(0x04, bytes((0, 7, len(command))) + command).to_bytes())
    text = json.dumps(out)
    assert "1234" not in text and "31 32 33 34" not in text
    assert out["payload"] == "<redacted>" and out["commands"][0]["fields"]["event"] == 6


def test_decode_seed_frames() -> None:
    # seed 001: node 4 NIF (Fibaro FGR-222) as ApplicationUpdate
    nif = bytes.fromhex("84 04 07 04 11 06 70 25 EF 25")
    out = decode_frame_json(Frame.request(0x49, nif).to_bytes())
    assert out["function"].lower().startswith("applicationupdate")
    info = out["message"]["node_info"]
    assert info["node_id"] == 4 and info["generic"] == 0x11
    assert info["supported_ccs"] == [0x70, 0x25] and info["controlled_ccs"] == [0x25]


async def _run(*args: str, timeout: float = 90.0) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI, *args, env=ENV, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(timeout):
        out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


async def test_info_over_pty_with_cache(demo: DemoStick, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    keys = tmp_path / "keys.json"  # the demo locks (7: S2, 9: S0) were included with these
    keys.write_text(json.dumps(DEMO_NETWORK_KEYS.to_dict()))
    code, out, err = await _run(
        "info", "--port", demo.port, "--cache", str(cache), "--timeout", "30", "--keys", str(keys)
    )
    assert code == 0, err
    info = json.loads(out)
    assert info["controller"]["home_id"] == "c0ffee01"
    nodes = {n["node_id"]: n for n in info["nodes"]}
    assert set(nodes) == {1, *demo.stick.nodes}
    assert "SWITCH_BINARY" in nodes[2]["endpoints"]["0"]
    assert nodes[4]["values"]["4-0-31-air_temperature"] == 21.5
    assert all(v == "<redacted>" for k, v in nodes[7]["values"].items() if "user_code-" in k)
    assert cache.exists()
    # Warm start from the cache: no interview, far fewer frames.
    code, out, err = await _run("info", "--port", demo.port, "--cache", str(cache), "--timeout", "30")
    assert code == 0, err
    warm = json.loads(out)
    assert warm["statistics"]["frames_sent"] < info["statistics"]["frames_sent"] / 4


async def test_simulate_tcp_then_info_over_socket_url() -> None:
    sim = await asyncio.create_subprocess_exec(
        *CLI, "simulate", "--tcp", "127.0.0.1:0", env=ENV, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        assert sim.stdout is not None
        async with asyncio.timeout(30):
            url = (await sim.stdout.readline()).decode().strip()
        assert url.startswith("socket://127.0.0.1:")
        code, out, err = await _run("info", "--port", url, "--timeout", "30")
        assert code == 0, err
        info = json.loads(out)
        assert info["controller"]["home_id"] == "c0ffee01"
        assert {n["node_id"] for n in info["nodes"]} >= {1, 2, 3, 4, 5, 6, 7, 8, 9}
    finally:
        sim.terminate()
        async with asyncio.timeout(10):
            await sim.wait()


async def test_info_on_missing_port_fails_cleanly(tmp_path: Path) -> None:
    code, _, err = await _run("info", "--port", str(tmp_path / "absent"))
    assert code == 1
    assert "error:" in err and "Traceback" not in err


async def test_monitor_prints_decoded_frames(demo: DemoStick) -> None:
    proc = await asyncio.create_subprocess_exec(
        *CLI, "monitor", "--json", "--port", demo.port, env=ENV, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        lines = []
        async with asyncio.timeout(30):
            while len(lines) < 6:
                lines.append(json.loads(await proc.stdout.readline()))
        assert {line["dir"] for line in lines} == {"in", "out"}
        assert any(line.get("function") == "GetSerialApiCapabilities" for line in lines)
    finally:
        proc.terminate()
        async with asyncio.timeout(10):
            await proc.wait()


async def test_monitor_prints_named_text(demo: DemoStick) -> None:
    proc = await asyncio.create_subprocess_exec(
        *CLI, "monitor", "--port", demo.port, env=ENV, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        seen: list[str] = []
        async with asyncio.timeout(30):
            while not any("response function=0x07 (GetSerialApiCapabilities)" in line for line in seen):
                seen.append((await proc.stdout.readline()).decode())
        assert any(line.startswith("out request function=0x07 (GetSerialApiCapabilities)") for line in seen)
    finally:
        proc.terminate()
        async with asyncio.timeout(10):
            await proc.wait()


# --- include / exclude ------------------------------------------------------------------------


def _keys_file(tmp_path: Path) -> Path:
    from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS

    path = tmp_path / "keys.json"
    path.write_text(json.dumps(DEMO_NETWORK_KEYS.to_dict()))
    return path


def _no_keys_in(text: str) -> None:
    from custom_components.zwave_serial.zwave.sim.demo import DEMO_NETWORK_KEYS

    for key in DEMO_NETWORK_KEYS.to_dict().values():
        assert key is not None and key.lower() not in text.lower()


async def test_include_s2_lock_with_pin_then_exclude(demo: DemoStick, tmp_path: Path) -> None:
    # The demo's first waiting device (an S2 Access Control lock) joins by itself in add mode.
    lock = demo.stick.waiting_nodes[0]
    keys = _keys_file(tmp_path)
    cache = tmp_path / "cache.json"
    code, out, err = await _run(
        "include", "--port", demo.port, "--keys", str(keys), "--cache", str(cache), "--pin", lock.pin, "--timeout", "10"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["security_class"] == "S2_AccessControl" and result["failure"] is None
    assert result["dsk"] == lock.dsk and not result["removed"]
    assert "Press the inclusion button" in err and "S2_AccessControl" in err
    _no_keys_in(out + err)
    assert str(result["node_id"]) in json.loads(cache.read_text())["nodes"]

    code, out, err = await _run("exclude", "--port", demo.port, "--cache", str(cache), "--timeout", "10")
    assert code == 0, err
    assert json.loads(out) == {"node_id": result["node_id"]}
    assert str(result["node_id"]) not in json.loads(cache.read_text())["nodes"]


async def test_include_grant_fewer_and_bad_arguments(demo: DemoStick, tmp_path: Path) -> None:
    keys = _keys_file(tmp_path)
    code, out, err = await _run("include", "--port", demo.port, "--keys", str(keys), "--grant", "S2_Bogus")
    assert code == 2 and "unknown security class" in err
    code, out, err = await _run("include", "--port", demo.port, "--keys", str(keys), "--qr", "90123")
    assert code == 2 and "invalid QR code" in err
    bad_keys = tmp_path / "bad.json"
    bad_keys.write_text('{"s0_legacy": "00112233445566778899aabbccddeeff", "s2_unauthenticated": "zz"}')
    code, out, err = await _run("include", "--port", demo.port, "--keys", str(bad_keys))
    assert code == 2 and "00112233" not in err
    # The lock joins; granting it only a class it did not ask for means nothing is granted.
    code, out, err = await _run(
        "include", "--port", demo.port, "--keys", str(keys), "--grant", "S2_Unauthenticated", "--timeout", "10"
    )
    result = json.loads(out)
    assert code == 3, err
    assert result["failure"] == "user_canceled" and result["advice"]
    _no_keys_in(out + err)


async def test_include_timeout_prints_a_typed_error(tmp_path: Path) -> None:
    from custom_components.zwave_serial.zwave.sim.demo import start_demo

    # One stick per run: a process that ends leaves the stick with the radio job it had in
    # flight (an interview), which the next process would overlap on a strict stick.
    for command, error in (("include", "InclusionTimeout"), ("exclude", "ExclusionTimeout")):
        demo = await start_demo("pty", strict=True, waiting=False)
        try:
            code, out, _ = await _run(command, "--port", demo.port, "--timeout", "0.5")
            assert code == 1 and json.loads(out)["error"] == error
        finally:
            await demo.stop()
        assert demo.stick.overlap_refusals == 0
