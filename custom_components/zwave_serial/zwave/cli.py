"""Command-line tool: ``python -m custom_components.zwave_serial.zwave.cli`` (``scripts/zwave``).

Commands: ``info``, ``decode``, ``monitor``, ``simulate``, ``include``, ``exclude``.  ``decode`` and ``monitor`` print
readable text (every number with its name, see :mod:`.describe`); ``--json`` prints the
decoded structure as JSON instead.
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

from . import devicedb
from .cc import CCCommand, cc_name
from .describe import REDACTED, decode_frame_parts, describe_frame
from .errors import ZWaveError
from .frame import Frame, FrameType


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
    """A CC command as JSON; secret commands (user codes) show no fields, and a command that
    embeds a secret (a keypad notification carrying a User Code report) no raw bytes."""
    out: dict[str, Any] = {"cc": cc_name(command.cc_id), "command": type(command).__name__}
    if command.secret:
        out["fields"] = REDACTED
        return out
    fields = {}
    for f in dataclasses.fields(command):
        value = getattr(command, f.name)
        hidden = command.carries_secret and isinstance(value, (bytes, bytearray))
        fields[f.name] = REDACTED if hidden else _jsonable(value)
    out["fields"] = fields
    return out


def decode_frame_json(data: bytes) -> dict[str, Any]:
    """Decode one Serial API frame, and the CC payload of an application command, to JSON."""
    decoded = decode_frame_parts(data)
    frame = decoded.frame
    out: dict[str, Any] = {
        "type": "request" if frame.type == FrameType.REQUEST else "response",
        "function_id": f"0x{frame.function:02X}",
        "payload": frame.payload.hex(" "),
        "function": decoded.name,
    }
    if decoded.host_to_stick:
        out["direction"] = "host to stick"
    if decoded.message is not None:
        out["message"] = _jsonable(decoded.message)
    if decoded.command_error is not None:
        out["command_error"] = decoded.command_error
    elif decoded.unwrapped is not None:
        unwrapped = decoded.unwrapped
        out["commands"] = [{"endpoint": ep, **command_to_json(cmd)} for ep, cmd in unwrapped.commands]
        if unwrapped.supervision_session is not None:
            out["supervision_session"] = unwrapped.supervision_session
    if decoded.secret:
        # The raw bytes would show the secret (e.g. a user code): redact them too.
        out["payload"] = REDACTED
        if isinstance(out.get("message"), dict) and "command" in out["message"]:
            out["message"]["command"] = REDACTED
    return out


def _parse_hex(words: list[str]) -> bytes:
    text = "".join(words).replace(" ", "").replace(":", "").replace("0x", "")
    return bytes.fromhex(text)


def _error(args: argparse.Namespace, message: str, data: bytes | None = None) -> None:
    if args.json:
        out = {"error": message} if data is None else {"error": message, "bytes": data.hex(" ")}
        print(json.dumps(out, indent=2))
    else:
        print(f"error: {message}" + ("" if data is None else f" (bytes: {data.hex(' ')})"))


def cmd_decode(args: argparse.Namespace) -> int:
    try:
        data = _parse_hex(args.hex)
    except ValueError as err:
        _error(args, f"not hex: {err}")
        return 2
    try:
        text = json.dumps(decode_frame_json(data), indent=2) if args.json else "\n".join(describe_frame(data))
    except ZWaveError as err:
        _error(args, str(err), data)
        return 1
    print(text)
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
        "interview_failed": node.interview_failed,
        "listening": node.is_listening,
        "frequent_listening": node.is_frequent_listening,
        "device_class": {"basic": node.basic_class, "generic": node.generic_class, "specific": node.specific_class},
        "manufacturer_id": None if node.manufacturer_id is None else f"0x{node.manufacturer_id:04x}",
        "product_type": None if node.product_type is None else f"0x{node.product_type:04x}",
        "product_id": None if node.product_id is None else f"0x{node.product_id:04x}",
        **devicedb.names(node.manufacturer_id, node.product_type, node.product_id, node.firmware_version),
        "firmware_version": node.firmware_version,
        "security_class": None if node.security_class is None else node.security_class.name,
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
    keys = None
    if args.keys:
        from .security.keys import NetworkKeys

        try:
            keys = NetworkKeys.from_json_file(args.keys)
        except (OSError, ValueError, ZWaveError) as err:
            print(f"error: cannot read the network keys from {args.keys}: {err}", file=sys.stderr)
            return 2
    driver = Driver(args.port, cache=cache, options=DriverOptions(report_timeout=args.report_timeout), keys=keys)
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


def _load_keys(path: str | None) -> Any:
    """NetworkKeys from a JSON file (None without a path); raises ValueError with a message
    that never shows the keys."""
    if not path:
        return None
    from .security.keys import NetworkKeys

    try:
        return NetworkKeys.from_json_file(path)
    except (OSError, ValueError, ZWaveError) as err:
        raise ValueError(f"cannot read the network keys from {path}: {err}") from None


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class _CliCallbacks:
    """The user's part of an S2 inclusion, from the command line: grant the classes of
    ``--grant`` (default: all requested) and use ``--pin`` (else ask on the terminal)."""

    def __init__(self, grant: tuple[Any, ...] | None, pin: str | None) -> None:
        self._grant = grant
        self._pin = pin

    async def grant_security_classes(self, request: Any) -> Any:
        from .network.inclusion_types import InclusionGrant

        _say("The device requests: " + ", ".join(c.name for c in request.security_classes))
        chosen = tuple(c for c in request.security_classes if self._grant is None or c in self._grant)
        _say("Granting: " + (", ".join(c.name for c in chosen) or "nothing (cancel)"))
        return InclusionGrant(chosen) if chosen else None

    async def validate_dsk_and_enter_pin(self, dsk: str) -> str | None:
        _say(f"The device's DSK is {dsk}; its PIN is the first five digits printed on it.")
        if self._pin is not None:
            return self._pin
        if not sys.stdin.isatty():
            _say("No --pin given: cancelling the secure inclusion.")
            return None
        return (await asyncio.to_thread(input, "PIN: ")).strip() or None

    def abort(self) -> None:
        _say("The secure inclusion was aborted.")


def _driver_for(args: argparse.Namespace, keys: Any) -> Any:
    from .driver import Driver, DriverOptions
    from .store import JsonFileCache

    cache = JsonFileCache(args.cache) if getattr(args, "cache", None) else None
    options = DriverOptions(inclusion_timeout=args.timeout)
    return Driver(args.port, cache=cache, options=options, keys=keys)


async def cmd_include(args: argparse.Namespace) -> int:
    from .network.inclusion_types import InclusionError
    from .network.provisioning import ProvisioningEntry
    from .security.keys import SecurityClass
    from .security.qr import parse_qr_code

    try:
        keys = _load_keys(args.keys)
        grant = None if not args.grant else tuple(SecurityClass[name.strip()] for name in args.grant.split(","))
        qr = parse_qr_code(args.qr) if args.qr else None
    except KeyError as err:
        print(f"error: unknown security class {err} (S2_AccessControl, S2_Authenticated, S2_Unauthenticated, S0_Legacy)", file=sys.stderr)
        return 2
    except (ValueError, ZWaveError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    driver = _driver_for(args, keys)
    try:
        await driver.start()
        if qr is not None:
            entry = ProvisioningEntry.from_qr(qr, security_classes=grant)
            _say("Requested: " + ", ".join(c.name for c in qr.requested_security_classes))
            if qr.smart_start:
                _say("Power the device on (SmartStart): it joins by itself.")
                result = await driver.inclusion.include_smart_start(entry, timeout=args.timeout)
            else:
                _say("Press the inclusion button on the device now.")
                result = await driver.inclusion.include(provisioning=entry, timeout=args.timeout)
        else:
            _say(f"Press the inclusion button on the device now (within {args.timeout:g} s).")
            result = await driver.inclusion.include(callbacks=_CliCallbacks(grant, args.pin), timeout=args.timeout)
        if not result.removed:
            try:  # let its interview finish, so the cache knows the device
                await driver.wait_for_nodes_ready(timeout=args.interview_timeout)
            except TimeoutError:
                _say("warning: the new node's interview did not finish in time")
        out = {
            "node_id": result.node_id,
            "security_class": result.security_class.name,
            "failure": None if result.failure is None else result.failure.value,
            "removed": result.removed,
            "dsk": result.dsk,
            "advice": result.advice,
        }
        print(json.dumps(out, indent=2))
    except InclusionError as err:
        print(json.dumps({"error": type(err).__name__, "message": str(err)}, indent=2))
        return 1
    except ZWaveError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        await driver.stop()
    return 0 if result.failure is None else 3


async def cmd_exclude(args: argparse.Namespace) -> int:
    from .network.inclusion_types import InclusionError

    try:
        keys = _load_keys(args.keys)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    driver = _driver_for(args, keys)
    try:
        await driver.start()
        _say(f"Press the exclusion button on the device now (within {args.timeout:g} s).")
        result = await driver.inclusion.exclude(timeout=args.timeout)
        print(json.dumps({"node_id": result.node_id}, indent=2))
    except InclusionError as err:
        print(json.dumps({"error": type(err).__name__, "message": str(err)}, indent=2))
        return 1
    except ZWaveError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        await driver.stop()
    return 0


async def cmd_monitor(args: argparse.Namespace) -> int:
    from .driver import Driver

    def show(direction: str, frame: Frame) -> None:
        if args.json:
            try:
                decoded = decode_frame_json(frame.to_bytes())
            except ZWaveError as err:
                decoded = {"error": str(err)}
            print(json.dumps({"dir": direction, **decoded}), flush=True)
            return
        try:
            lines = describe_frame(frame.to_bytes())
        except ZWaveError as err:
            lines = [f"error: {err}"]
        print(f"{direction:>3} " + "\n    ".join(lines), flush=True)

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
    p.add_argument("--keys", help='network keys (JSON: {"s0_legacy": hex, "s2_unauthenticated": hex, ...})')
    p.add_argument("--report-timeout", type=float, default=5.0, help="seconds a node gets to answer a Get")

    p = sub.add_parser("decode", help="decode one frame given as hex bytes, every value named")
    p.add_argument("hex", nargs="+")
    p.add_argument("--json", action="store_true", help="print the decoded structure as JSON")

    p = sub.add_parser("monitor", help="run the driver and print every frame, decoded")
    p.add_argument("--port", required=True)
    p.add_argument("--json", action="store_true", help="one JSON object per frame")

    p = sub.add_parser("include", help="add a device (S2/S0 key exchange), print the result as JSON")
    p.add_argument("--port", required=True)
    p.add_argument("--keys", help="network keys (JSON, as for info); without keys the device is added without security")
    p.add_argument("--cache", help="network cache file (JSON) to record the new node in")
    p.add_argument("--pin", help="the 5-digit PIN printed on the device (S2 Authenticated / Access Control)")
    p.add_argument("--qr", help="the device's QR code text (90...): its DSK and classes, no PIN needed")
    p.add_argument("--grant", help="classes to grant, comma-separated (default: all the device requests)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the device")
    p.add_argument("--interview-timeout", type=float, default=60.0, help="seconds to wait for its interview")

    p = sub.add_parser("exclude", help="remove a device (press its button), print the node ID as JSON")
    p.add_argument("--port", required=True)
    p.add_argument("--keys", help="network keys (JSON)")
    p.add_argument("--cache", help="network cache file (JSON) to drop the node from")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the device")

    from .cli_nvm import add_parser as add_nvm_parser

    add_nvm_parser(sub)

    p = sub.add_parser("simulate", help="run the virtual stick with the demo network")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="--tcp HOST:PORT | --pty [--faults ...] [--keys FILE]")
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
    if args.command == "nvm":
        from .cli_nvm import run as run_nvm

        return run_nvm(args)
    runner = {"info": cmd_info, "monitor": cmd_monitor, "include": cmd_include, "exclude": cmd_exclude}[args.command]
    try:
        return asyncio.run(runner(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
