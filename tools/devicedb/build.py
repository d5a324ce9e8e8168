"""Build the device database of the integration from Z-Wave JS's device configuration files.

Source: the npm package ``@zwave-js/config`` (MIT, (c) AlCalzone and the Z-Wave JS contributors),
pinned to one version and checked against its npm integrity hash. It reads
``config/manufacturers.json`` and ``config/devices/**/*.json`` (JSON5 with ``$import`` templates and
``$if`` conditions) and writes, into ``custom_components/zwave_serial/zwave/devicedb/``:

- ``manufacturers.json``: manufacturer ID → name, with the source version;
- ``products.json.gz``: one record per device file (brand, label, description, firmware range) and
  an index ``"mmmm:tttt:pppp"`` → records;
- ``params.jsonl.gz``: line *i* holds the configuration parameters of record *i* (label, size,
  min/max/default, unit, options, flags), read only when a device's parameters are asked for;
- ``NOTICE``: the credit and the MIT licence of the source.

The output is deterministic (sorted keys and records, gzip without timestamp or file name).

    scripts/build_devicedb                         # download the pinned tarball from the npm registry
    scripts/build_devicedb --tarball config.tgz    # or use one fetched with `npm pack @zwave-js/config@VERSION`
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import importlib.util
import io
import json
import posixpath
import re
import sys
import tarfile
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .json5 import JSON5Error, loads

PACKAGE = "@zwave-js/config"
VERSION = "15.29.0"
INTEGRITY = "sha512-uVd1Fr6qb9QBg+nT8KjBXhN/gwBKd9TGqLXSLWe/6i09jRitgg0f83xkvR0bVAJPz5WXrFd6aTZYc6oRGMe2bg=="
TARBALL_URL = f"https://registry.npmjs.org/{PACKAGE}/-/config-{VERSION}.tgz"
FORMAT = 1

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "custom_components" / "zwave_serial" / "zwave" / "devicedb"

_PREFIX = "package/config/"
_DEVICES = "devices/"
_HEX_ID = re.compile(r"^0x[0-9a-fA-F]{1,4}$")
_PARAM_KEY = re.compile(r"^\d+(\[0x[0-9a-fA-F]+\])?$")
_TYPOGRAPHY = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00a0": " "})

LICENSE = """MIT License

Copyright (c) 2018-2024 AlCalzone

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""


class BuildError(Exception):
    """A source file the builder cannot use (the message names the file)."""


def _load_conditions() -> Any:
    """The integration's condition parser (loaded by path: no Home Assistant import)."""
    path = OUT_DIR / "conditions.py"
    spec = importlib.util.spec_from_file_location("_devicedb_conditions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_CONDITIONS = _load_conditions()


def check_conditions(value: Any, path: str) -> None:
    """Every ``if`` in a record or parameter list must parse as the integration will parse it."""
    if isinstance(value, list):
        for item in value:
            check_conditions(item, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "if":
                try:
                    _CONDITIONS.parse(item)
                except (_CONDITIONS.ConditionError, TypeError) as err:
                    raise BuildError(f"{path}: {err}") from err
            else:
                check_conditions(item, path)


# --------------------------------------------------------------------------- source


def verify_integrity(data: bytes, integrity: str = INTEGRITY) -> None:
    """Check an npm ``sha512-<base64>`` integrity string."""
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise BuildError(f"tarball integrity mismatch: expected {integrity}, got {algorithm}-{digest}")


def download(url: str = TARBALL_URL) -> bytes:
    """The pinned tarball from the npm registry."""
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def read_tarball(data: bytes) -> dict[str, str]:
    """The text files under ``package/config/`` of an npm tarball, by path relative to ``config/``."""
    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith(_PREFIX) and member.name.endswith(".json"):
                handle = tar.extractfile(member)
                assert handle is not None
                files[member.name[len(_PREFIX) :]] = handle.read().decode("utf-8")
    return files


# --------------------------------------------------------------------------- templates


class Templates:
    """JSON5 files with ``$import`` resolution, as Z-Wave JS does it.

    ``"$import": "file.json#selector"``: the file is relative to the importing file, or to the
    devices root with ``~/``; without a file name, the importing file itself. The selected object's
    own imports are resolved, then the importing object's other keys override it.
    """

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = files
        self._parsed: dict[str, Any] = {}

    def parse(self, path: str) -> Any:
        if path not in self._parsed:
            if path not in self.files:
                raise BuildError(f"{path}: file not found")
            try:
                self._parsed[path] = loads(self.files[path])
            except JSON5Error as err:
                raise BuildError(f"{path}: {err}") from err
        return self._parsed[path]

    def load(self, path: str) -> Any:
        """A file with every import resolved."""
        return self.resolve(self.parse(path), path, ())

    def resolve(self, value: Any, path: str, stack: tuple[str, ...]) -> Any:
        if isinstance(value, list):
            return [self.resolve(item, path, stack) for item in value]
        if not isinstance(value, dict):
            return value
        result: dict[str, Any] = {}
        if "$import" in value:
            result.update(self._import(value["$import"], path, stack))
        for key, item in value.items():
            if key != "$import":
                result[key] = self.resolve(item, path, stack)
        return result

    def _import(self, spec: Any, path: str, stack: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(spec, str):
            raise BuildError(f"{path}: $import is not a string: {spec!r}")
        if spec in stack:
            raise BuildError(f"{path}: circular $import {spec}")
        filename, _, selector = spec.partition("#")
        if not filename:
            target = path
        elif filename.startswith("~/"):
            target = posixpath.normpath(posixpath.join(_DEVICES, filename[2:]))
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), filename))
        selected = self.parse(target)
        for part in filter(None, selector.split("/")):
            if isinstance(selected, list):
                match = next((i for i in selected if isinstance(i, dict) and i.get("#") == part), None)
                selected = None if match is None else {k: v for k, v in match.items() if k != "#"}
            elif isinstance(selected, dict):
                selected = selected.get(part)
            else:
                selected = None
        if not isinstance(selected, dict):
            raise BuildError(f"{path}: $import {spec} does not select an object")
        resolved = self.resolve(selected, target, (*stack, spec))
        return {k: v for k, v in resolved.items() if k != "$purpose"}


# --------------------------------------------------------------------------- records


def _text(value: Any) -> Any:
    """Trimmed text with typographic hyphens and no-break spaces made plain (keeps conditionals)."""
    if isinstance(value, str):
        return " ".join(value.translate(_TYPOGRAPHY).split())
    if isinstance(value, list):  # conditional primitive: [{"$if", "value"}, ..., default]
        out: list[Any] = []
        for item in value:
            if isinstance(item, dict) and "value" in item:
                out.append({"if": item.get("$if"), "value": _text(item["value"])} if "$if" in item else _text(item["value"]))
            else:
                out.append(_text(item))
        return out
    return value


def _hex_id(value: Any, what: str, path: str) -> int:
    if not isinstance(value, str) or not _HEX_ID.match(value):
        raise BuildError(f"{path}: bad {what} {value!r}")
    return int(value, 16)


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else value


def compact_param(param: Mapping[str, Any]) -> dict[str, Any] | None:
    """A parameter in the compact form of ``params.jsonl.gz`` (None if it has no number)."""
    key = str(param.get("#", ""))
    if not _PARAM_KEY.match(key):
        return None
    out: dict[str, Any] = {"#": key}
    if "$if" in param:
        out["if"] = param["$if"]
    label = _text(param.get("label"))
    if label:
        out["label"] = label
    for source, target in (("valueSize", "size"), ("minValue", "min"), ("maxValue", "max"), ("defaultValue", "default")):
        number = _number(param.get(source))
        if number is not None:
            out[target] = number
    unit = _text(param.get("unit"))
    if isinstance(unit, str) and unit:
        out["unit"] = unit
    for flag in ("readOnly", "writeOnly", "unsigned", "allowManualEntry"):
        if isinstance(param.get(flag), bool):
            out[flag] = param[flag]
    options = []
    for option in param.get("options") or ():
        if isinstance(option, dict) and _number(option.get("value")) is not None:
            item = {"label": _text(option.get("label", "")), "value": _number(option["value"])}
            if "$if" in option:
                item["if"] = option["$if"]
            options.append(item)
    if options:
        out["options"] = options
    return out


def device_record(config: Mapping[str, Any], path: str, *, with_params: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One device file → (record, parameters)."""
    firmware = config.get("firmwareVersion")
    if not isinstance(firmware, dict) or not all(isinstance(firmware.get(k), str) for k in ("min", "max")):
        raise BuildError(f"{path}: missing firmwareVersion min/max")
    record: dict[str, Any] = {
        "manufacturer": _text(config.get("manufacturer", "")),
        "label": _text(config.get("label", "")),
        "description": _text(config.get("description", "")),
        "firmware": [firmware["min"], firmware["max"]],
        "file": path[len(_DEVICES) :],
    }
    if config.get("preferred") is True:
        record["preferred"] = True
    params: list[dict[str, Any]] = []
    if with_params:
        for param in config.get("paramInformation") or ():
            if isinstance(param, dict) and (compact := compact_param(param)) is not None:
                params.append(compact)
    return record, params


def build(files: Mapping[str, str], *, with_params: bool = True, version: str = VERSION) -> dict[str, bytes]:
    """The output files (name → bytes) from the config tree (path relative to ``config/`` → text)."""
    templates = Templates(files)
    raw_manufacturers = templates.parse("manufacturers.json")
    if not isinstance(raw_manufacturers, dict):
        raise BuildError("manufacturers.json: not an object")
    manufacturers = {
        f"0x{_hex_id(k, 'manufacturer ID', 'manufacturers.json'):04x}": _text(v) for k, v in raw_manufacturers.items()
    }
    source = {"package": PACKAGE, "version": version, "license": "MIT", "url": "https://github.com/zwave-js/zwave-js"}

    entries: list[tuple[int, str, dict[str, Any], list[dict[str, Any]], list[tuple[int, int]]]] = []
    for path in sorted(files):
        if not path.startswith(_DEVICES) or "/templates/" in f"/{path}":
            continue
        config = templates.load(path)
        if not isinstance(config, dict) or "manufacturerId" not in config:
            raise BuildError(f"{path}: not a device file")
        mid = _hex_id(config["manufacturerId"], "manufacturerId", path)
        ids = []
        for device in config.get("devices") or ():
            ids.append((_hex_id(device.get("productType"), "productType", path), _hex_id(device.get("productId"), "productId", path)))
        record, params = device_record(config, path, with_params=with_params)
        check_conditions([record, params], path)
        entries.append((mid, path, record, params, sorted(set(ids))))
    entries.sort(key=lambda e: (e[0], e[1]))

    records = [e[2] for e in entries]
    index: dict[str, list[int]] = {}
    for number, (mid, _path, _record, _params, ids) in enumerate(entries):
        for ptype, pid in ids:
            index.setdefault(f"{mid:04x}:{ptype:04x}:{pid:04x}", []).append(number)

    def dump(data: Any) -> str:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    products = {"format": FORMAT, "source": source, "records": records, "products": index}
    params_lines = "".join(dump(e[3]) + "\n" for e in entries)
    return {
        "manufacturers.json": (
            json.dumps({"format": FORMAT, "source": source, "manufacturers": manufacturers}, sort_keys=True, ensure_ascii=False, indent=0)
            + "\n"
        ).encode(),
        "products.json.gz": gzip.compress(dump(products).encode(), compresslevel=9, mtime=0),
        "params.jsonl.gz": gzip.compress(params_lines.encode(), compresslevel=9, mtime=0),
        "NOTICE": notice(version).encode(),
    }


def notice(version: str) -> str:
    return (
        "The files manufacturers.json, products.json.gz and params.jsonl.gz in this directory are\n"
        f"generated by scripts/build_devicedb from the device configuration files of Z-Wave JS\n"
        f"({PACKAGE} {version} on npm, https://github.com/zwave-js/zwave-js), used under the MIT\n"
        "licence below. Do not edit them: change the pinned version in tools/devicedb/build.py and\n"
        "run scripts/build_devicedb.\n\n" + LICENSE
    )


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_devicedb", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, help=f"a local {PACKAGE}-{VERSION} tarball (npm pack) instead of downloading it")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory (default: the integration's devicedb)")
    parser.add_argument("--no-params", action="store_true", help="leave the configuration parameters out")
    args = parser.parse_args(argv)
    try:
        data = args.tarball.read_bytes() if args.tarball else download()
        verify_integrity(data)
        outputs = build(read_tarball(data), with_params=not args.no_params)
    except (BuildError, OSError) as err:
        print(f"build_devicedb: {err}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, content in sorted(outputs.items()):
        (args.out / name).write_bytes(content)
        total += len(content)
        print(f"{name:20} {len(content):>9,} bytes")
    print(f"{'total':20} {total:>9,} bytes  ({PACKAGE} {VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
