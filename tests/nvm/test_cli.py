"""``scripts/zwave nvm``: inspect and convert in-process, backup and restore as subprocesses
against virtual sticks on real ptys."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from custom_components.zwave_serial.zwave.cli import main
from custom_components.zwave_serial.zwave.nvm import parse_image
from custom_components.zwave_serial.zwave.sim import VirtualStick
from custom_components.zwave_serial.zwave.sim.demo import start_demo

from .vectors import BACKUP_500, image

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CLI = [sys.executable, "-m", "custom_components.zwave_serial.zwave.cli"]


async def _run(*args: str, timeout: float = 90.0) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI, *args, env=ENV, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(timeout):
        out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


def test_inspect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gen5.bin"
    path.write_bytes(image(BACKUP_500))
    assert main(["nvm", "inspect", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["format"], out["series"], out["home_id"]) == ("nvm500", "500", "ced44428")
    assert out["own_node_id"] == 1 and out["suc_node_id"] == 1 and out["protocol_version"] == "6.07"
    node = next(n for n in out["nodes"] if n["node_id"] == 3)
    assert node["generic"] == 0x0F and node["specific"] == 0x01
    assert node["listening"] and node["routing"] and not node["security"] and node["neighbors"] == [1, 4]


def test_inspect_refuses_garbage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(b"\x00" * 1000)
    assert main(["nvm", "inspect", str(path)]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["nvm", "inspect", str(tmp_path / "absent.bin")]) == 2


def test_convert_500_to_700_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, to_700, back = tmp_path / "gen5.bin", tmp_path / "z7.bin", tmp_path / "gen5-again.bin"
    source.write_bytes(image(BACKUP_500))
    assert main(["nvm", "convert", str(source), str(to_700), "--to", "700", "--sdk", "7.18.3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["report"]["method"] == "converted" and report["summary"]["series"] == "700"
    assert json.loads(to_700.with_suffix(".json").read_text())["home_id"] == "ced44428"
    assert parse_image(to_700.read_bytes()).application_version == "7.18.3"
    assert main(["nvm", "convert", str(to_700), str(back), "--to", "500"]) == 0
    capsys.readouterr()
    assert parse_image(back.read_bytes()).node_ids == [1, 3, 4]


async def test_backup_then_restore_onto_another_series(tmp_path: Path) -> None:
    demo = await start_demo("pty", series="500", waiting=False)
    try:
        out = tmp_path / "gen5.bin"
        code, stdout, err = await _run("nvm", "backup", "--port", demo.port, "--out", str(out))
        assert code == 0, err
        assert json.loads(stdout)["summary"]["home_id"] == "c0ffee01"
        assert json.loads(out.with_suffix(".json").read_text())["series"] == "500"
    finally:
        await demo.stop()
    blank = VirtualStick(home_id=0x0BADF00D, series="700")
    blank.nvm.devices_in_range.update(demo.stick.nodes)
    port = await blank.start_pty()
    try:
        code, _, err = await _run("nvm", "restore", "--port", port, str(out))
        assert code == 2 and "conversion" in err  # another series: refused, nothing written
        code, _, err = await _run("nvm", "restore", "--port", port, str(out), "--convert")
        assert code == 2 and "network" in err  # another network: refused until confirmed
        assert blank.nvm.writes == 0
        code, stdout, err = await _run("nvm", "restore", "--port", port, str(out), "--convert", "--confirm-other-network")
        assert code == 0, err
        result = json.loads(stdout)
        nodes = sorted(demo.stick.nodes)
        assert result["home_id"] == "c0ffee01" and result["verified"] and result["nodes"] == [1, *nodes]
        assert Path(result["pre_restore_backup"]).exists()  # the blank stick's own memory, kept
        assert blank.home_id == 0xC0FFEE01 and sorted(blank.nodes) == nodes
    finally:
        await blank.stop()
