"""``scripts/zwave nvm ...``: back up, restore, inspect and convert the stick's memory.

* ``nvm backup --port P --out FILE``: read the NVM into FILE (and FILE's ``.json`` sidecar);
* ``nvm restore --port P FILE [--convert] [--confirm-other-network]``: verified restore; a
  pre-restore backup of the stick is saved first (next to FILE, or in ``--backup-dir``);
* ``nvm inspect FILE``: what the image holds, as JSON (never a network key);
* ``nvm convert IN OUT --to 500|700|800``: convert between series (and NVM3 file formats).

Results are JSON on stdout, errors one line on stderr.  Exit status: 0 done, 1 failed,
2 refused or bad input (nothing was written to the stick).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from .errors import ZWaveError
from .nvm import (
    NvmError,
    NvmFormatError,
    NvmNotSupported,
    NvmRestoreFailed,
    NvmRestoreRefused,
    convert_to,
    load_backup,
    parse_image,
    save_backup,
    save_pair,
)
from .nvm.files import KIND_PRE_RESTORE


def add_parser(sub: Any) -> None:
    """Add the ``nvm`` command and its sub-commands to the CLI's sub-parsers."""
    nvm = sub.add_parser("nvm", help="back up, restore, inspect or convert the stick's memory (NVM)")
    cmds = nvm.add_subparsers(dest="nvm_command", required=True)

    p = cmds.add_parser("backup", help="read the stick's NVM into a file (+ JSON sidecar)")
    p.add_argument("--port", required=True, help="tty path or URL (socket://host:port, rfc2217://...)")
    p.add_argument("--out", required=True, help="the image file to write (its sidecar: same name, .json)")

    p = cmds.add_parser("restore", help="write a backup to the stick, verified (pre-restore backup first)")
    p.add_argument("--port", required=True)
    p.add_argument("file", help="the image to restore")
    p.add_argument("--convert", action="store_true", help="allow converting a backup of the other series")
    p.add_argument(
        "--confirm-other-network", action="store_true", help="allow replacing the stick's network by another one"
    )
    p.add_argument("--backup-dir", help="where the pre-restore backup goes (default: next to FILE)")

    p = cmds.add_parser("inspect", help="print what an image holds (JSON)")
    p.add_argument("file")

    p = cmds.add_parser("convert", help="convert an image to another series or SDK")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--to", required=True, choices=("500", "700", "800"), help="target series")
    p.add_argument("--sdk", help="700/800: the target stick's SDK version (default 7.19.1)")
    p.add_argument("--protocol", help="500: the target's protocol version (default 6.07)")


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _print(data: dict[str, Any]) -> None:
    print(json.dumps(data, indent=2))


def run(args: argparse.Namespace) -> int:
    """Run ``nvm <sub-command>``."""
    if args.nvm_command == "inspect":
        return cmd_inspect(args)
    if args.nvm_command == "convert":
        return cmd_convert(args)
    runner = cmd_backup if args.nvm_command == "backup" else cmd_restore
    try:
        return asyncio.run(runner(args))
    except KeyboardInterrupt:
        return 130


def cmd_inspect(args: argparse.Namespace) -> int:
    try:
        data, sidecar = load_backup(args.file)
        summary = parse_image(data).summary()
    except NvmRestoreRefused as err:
        return _fail(str(err), 2)
    except (NvmFormatError, NvmNotSupported, NvmError) as err:
        return _fail(f"{args.file}: {err}", 2)
    if sidecar is not None:
        summary["sidecar"] = {k: sidecar.get(k) for k in ("created", "software", "sha256", "kind")}
    _print(summary)
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    try:
        data, _sidecar = load_backup(args.input)
        out, report = convert_to(data, args.to, sdk=args.sdk, protocol_version=args.protocol)
        saved = save_pair(args.output, out)
    except NvmRestoreRefused as err:
        return _fail(str(err), 2)
    except (NvmError, ValueError) as err:
        return _fail(f"{args.input}: {err}", 2)
    except OSError as err:
        return _fail(f"cannot write {args.output}: {err}", 1)
    _print({"output": str(saved.path), "report": report.as_dict(), "summary": _short(saved.sidecar)})
    return 0


def _short(sidecar: dict[str, Any]) -> dict[str, Any]:
    return {k: sidecar.get(k) for k in ("format", "series", "size", "home_id", "nodes", "sha256")}


async def _driver(port: str) -> Any:
    from .driver import Driver

    driver = Driver(port)
    await driver.start()
    return driver


async def cmd_backup(args: argparse.Namespace) -> int:
    try:
        driver = await _driver(args.port)
    except ZWaveError as err:
        return _fail(str(err), 1)
    try:
        data = await driver.nvm.backup()
    except ZWaveError as err:
        return _fail(f"backup failed: {err}", 1)
    finally:
        await driver.stop()
    try:
        saved = save_pair(args.out, data)
    except OSError as err:
        return _fail(f"cannot write {args.out}: {err}", 1)
    _print({"file": str(saved.path), "sidecar": str(saved.sidecar_path), "summary": _short(saved.sidecar)})
    return 0


async def cmd_restore(args: argparse.Namespace) -> int:
    try:
        data, _sidecar = load_backup(args.file)
    except NvmRestoreRefused as err:
        return _fail(str(err), 2)
    except NvmError as err:
        return _fail(str(err), 2)
    folder = Path(args.backup_dir) if args.backup_dir else Path(args.file).resolve().parent
    saved: list[Path] = []

    def keep_pre_restore(current: bytes) -> None:
        saved.append(save_backup(folder, current, kind=KIND_PRE_RESTORE).path)

    try:
        driver = await _driver(args.port)
    except ZWaveError as err:
        return _fail(str(err), 1)
    try:
        result = await driver.nvm.restore(
            data,
            confirm_other_network=args.confirm_other_network,
            convert=args.convert,
            on_pre_restore=keep_pre_restore,
        )
    except NvmRestoreRefused as err:
        return _fail(f"restore refused, nothing was written: {err}", 2)
    except NvmRestoreFailed as err:
        where = f"; the pre-restore backup is {saved[0]}" if saved else ""
        return _fail(f"{err}{where}", 1)
    except ZWaveError as err:
        return _fail(f"restore failed: {err}", 1)
    finally:
        await driver.stop()
    _print(
        {
            "restored": str(args.file),
            "pre_restore_backup": str(saved[0]) if saved else None,
            "report": result.report.as_dict(),
            "home_id": f"{result.home_id:08x}",
            "nodes": result.node_ids,
            "written": result.written,
            "verified": True,
        }
    )
    return 0
