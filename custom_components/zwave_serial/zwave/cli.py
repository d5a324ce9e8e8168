"""Command-line tool: ``python -m custom_components.zwave_serial.zwave.cli`` (``scripts/zwave``).

Commands: ``info``, ``decode``, ``monitor``, ``simulate``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import sys
from enum import Enum
from typing import Any

from .cc import CCCommand, cc_name
from .errors import ZWaveError
from .frame import Frame, FrameType, parse_frame


def _jsonable(value: Any) -> Any:
    if isinstance(value, CCCommand):
        return command_to_json(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, (bytes, bytearray)):
        return value.hex(" ")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


def command_to_json(command: CCCommand) -> dict[str, Any]:
    """A CC command as JSON; secret commands (user codes) show no fields."""
    out: dict[str, Any] = {"cc": cc_name(command.cc_id), "command": type(command).__name__}
    if command.secret:
        out["fields"] = "<redacted>"
    else:
        out["fields"] = {f.name: _jsonable(getattr(command, f.name)) for f in dataclasses.fields(command)}
    return out


def decode_frame_json(data: bytes) -> dict[str, Any]:
    """Decode one Serial API frame, and the CC payload of an application command, to JSON."""
    from . import encap
    from .serialapi import decode_frame

    frame = parse_frame(data)
    out: dict[str, Any] = {
        "type": "request" if frame.type == FrameType.REQUEST else "response",
        "function_id": f"0x{frame.function:02X}",
        "payload": frame.payload.hex(" "),
    }
    name, message = decode_frame(frame)
    out["function"] = name
    command_bytes = getattr(message, "command", None)
    payload = frame.payload
    if frame.function == 0x13 and frame.type == FrameType.REQUEST and len(payload) >= 4 and len(payload) == payload[1] + 4:
        # A host->stick SendData request: [node][len][command][tx options][callback id].
        message = None
        command_bytes = payload[2 : 2 + payload[1]]
        out["direction"] = "host to stick"
        out["message"] = {"node_id": payload[0], "tx_options": payload[-2], "callback_id": payload[-1]}
    elif message is not None:
        out["message"] = _jsonable(message)
    if isinstance(command_bytes, (bytes, bytearray)):
        try:
            unwrapped = encap.unwrap(bytes(command_bytes))
        except ZWaveError as err:
            out["command_error"] = str(err)
        else:
            commands = list(unwrapped.commands)
            out["commands"] = [{"endpoint": ep, **command_to_json(cmd)} for ep, cmd in commands]
            if unwrapped.supervision_session is not None:
                out["supervision_session"] = unwrapped.supervision_session
            if any(cmd.secret for _, cmd in commands):
                # The raw bytes would show the secret (e.g. a user code): redact them too.
                out["payload"] = "<redacted>"
                if isinstance(out.get("message"), dict) and "command" in out["message"]:
                    out["message"]["command"] = "<redacted>"
    return out


def _parse_hex(words: list[str]) -> bytes:
    text = "".join(words).replace(" ", "").replace(":", "").replace("0x", "")
    return bytes.fromhex(text)


def cmd_decode(args: argparse.Namespace) -> int:
    try:
        data = _parse_hex(args.hex)
    except ValueError as err:
        print(json.dumps({"error": f"not hex: {err}"}))
        return 2
    try:
        print(json.dumps(decode_frame_json(data), indent=2))
    except ZWaveError as err:
        print(json.dumps({"error": str(err), "bytes": data.hex(" ")}, indent=2))
        return 1
    return 0


def node_to_json(node: Any) -> dict[str, Any]:
    values = {}
    for vid, stored in sorted(node.values().items(), key=lambda kv: kv[0].key()):
        values[vid.key()] = "<redacted>" if stored.secret else _jsonable(stored.value)
    return {
        "node_id": node.node_id,
        "status": node.status.value,
        "ready": node.ready,
        "interview_stage": node.interview_stage,
        "listening": node.is_listening,
        "frequent_listening": node.is_frequent_listening,
        "device_class": {"basic": node.basic_class, "generic": node.generic_class, "specific": node.specific_class},
        "manufacturer_id": None if node.manufacturer_id is None else f"0x{node.manufacturer_id:04x}",
        "product_type": None if node.product_type is None else f"0x{node.product_type:04x}",
        "product_id": None if node.product_id is None else f"0x{node.product_id:04x}",
        "firmware_version": node.firmware_version,
        "endpoints": {
            str(ep): {cc_name(cc): version for cc, version in sorted(node.command_classes(ep).items())}
            for ep in node.endpoints
        },
        "values": values,
    }


async def cmd_info(args: argparse.Namespace) -> int:
    from .driver import Driver, DriverOptions
    from .store import JsonFileCache

    cache = JsonFileCache(args.cache) if args.cache else None
    driver = Driver(args.port, cache=cache, options=DriverOptions(report_timeout=args.report_timeout))
    try:
        await driver.start()
        try:
            await driver.wait_for_nodes_ready(timeout=args.timeout)
        except TimeoutError:
            print(f"warning: not every node finished its interview in {args.timeout} s", file=sys.stderr)
        result = {
            "controller": driver.controller.as_dict(),
            "nodes": [node_to_json(n) for _, n in sorted(driver.nodes.items())],
            "statistics": driver.statistics(),
        }
        print(json.dumps(result, indent=2))
    except ZWaveError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        await driver.stop()
    return 0


async def cmd_monitor(args: argparse.Namespace) -> int:
    from .driver import Driver

    def show(direction: str, frame: Frame) -> None:
        try:
            decoded = decode_frame_json(frame.to_bytes())
        except ZWaveError as err:
            decoded = {"error": str(err)}
        print(json.dumps({"dir": direction, **decoded}), flush=True)

    driver = Driver(args.port)
    driver.frame_observer = show
    try:
        await driver.start()
        await asyncio.Event().wait()
    except ZWaveError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        await driver.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwave", description="Z-Wave Serial API tool (zwave_serial driver)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging (frames as hex)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("info", help="start the driver, interview, print controller and nodes as JSON")
    p.add_argument("--port", required=True, help="tty path or URL (socket://host:port, rfc2217://...)")
    p.add_argument("--cache", help="network cache file (JSON); warm starts skip interviews")
    p.add_argument("--timeout", type=float, default=60.0, help="max seconds to wait for interviews")
    p.add_argument("--report-timeout", type=float, default=5.0, help="seconds a node gets to answer a Get")

    p = sub.add_parser("decode", help="decode one frame given as hex bytes")
    p.add_argument("hex", nargs="+")

    p = sub.add_parser("monitor", help="run the driver and print every frame, decoded")
    p.add_argument("--port", required=True)

    p = sub.add_parser("simulate", help="run the virtual stick with the demo network")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="--tcp HOST:PORT | --pty [--faults ...]")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = bool(argv) and argv[0] in ("-v", "--verbose")
    if argv[int(verbose) : int(verbose) + 1] == ["simulate"]:
        # The simulator has its own options; hand it the rest of the command line.
        from .sim import main as sim_main

        rest = argv[int(verbose) + 1 :]
        return int(sim_main(["--verbose", *rest] if verbose else rest) or 0)
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "decode":
        return cmd_decode(args)
    runner = {"info": cmd_info, "monitor": cmd_monitor}[args.command]
    try:
        return asyncio.run(runner(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
