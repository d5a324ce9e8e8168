"""The device database: lookups in the committed data, the JSON5 reader, conditions, the builder."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave import devicedb
from custom_components.zwave_serial.zwave.devicedb.conditions import ConditionError, evaluate, parse_version
from tools.devicedb import build as builder
from tools.devicedb.json5 import JSON5Error, loads

FIXTURES = Path(__file__).parent / "fixtures" / "zwavejs_config"  # the layout of @zwave-js/config's config/


@pytest.fixture
def fixture_db(tmp_path: Path) -> Iterator[Path]:
    """The database built from the small fixture tree, loaded instead of the committed one."""
    for name, content in builder.build(_fixture_files(), version="0.0.0-test").items():
        (tmp_path / name).write_bytes(content)
    devicedb.load(tmp_path)
    yield tmp_path
    devicedb.load(devicedb.DATA_DIR)


def _fixture_files() -> dict[str, str]:
    return {
        path.relative_to(FIXTURES).as_posix(): path.read_text("utf-8") for path in sorted(FIXTURES.rglob("*.json"))
    }


# --------------------------------------------------------------------------- committed data


def test_aeotec_z_stick_gen5() -> None:
    info = devicedb.product(0x0086, 0x0001, 0x005A)
    assert info is not None
    assert info.label == "ZW090"
    assert "Z-Stick Gen5" in info.description  # typographic hyphen made plain
    assert info.brand == "Aeotec"  # the registered name is "AEON Labs"; the brand users know
    assert info.name == "Aeotec ZW090"
    assert devicedb.manufacturer_name(0x0086) == "AEON Labs"
    # the same product under another product type (EU/US/AU variants)
    other = devicedb.product(0x0086, 0x0101, 0x005A)
    assert other is not None and other.label == "ZW090"


def test_yale_locks() -> None:
    info = devicedb.product(0x0129, 0x8002, 0x46D5)
    assert info is not None
    assert (info.brand, info.label) == ("Yale", "YRD256-ZW3")
    assert "Deadbolt" in info.description
    assert devicedb.manufacturer_name(0x0129) == "ASSA ABLOY"
    # a conditional label picks the model by product ID
    biometric = devicedb.product(0x0129, 0x8107, 0x49D2)
    assert biometric is not None and biometric.label == "YRD420-F-ZW3"


def test_parameters_of_a_device_without_configuration_v3() -> None:
    info = devicedb.product(0x0129, 0x8002, 0x46D5)
    assert info is not None
    volume = next(p for p in info.params if p.number == 1)
    assert volume.label == "Volume"
    assert volume.size == 1
    assert volume.default == 2
    assert [(o.value, o.label) for o in volume.options] == [(1, "High"), (2, "Low"), (3, "Silent")]
    assert info.params is info.params  # read once


def test_partial_parameter() -> None:
    params = [p for p in _first_with_partial_params().params if p.bitmask is not None]
    assert params and all(p.bitmask and p.number > 0 for p in params)


def _first_with_partial_params() -> devicedb.ProductInfo:
    with gzip.open(devicedb.DATA_DIR / "products.json.gz", "rt", encoding="utf-8") as handle:
        index = json.load(handle)["products"]
    with gzip.open(devicedb.DATA_DIR / "params.jsonl.gz", "rt", encoding="utf-8") as handle:
        record = next(i for i, line in enumerate(handle) if "[0x" in line)
    key = next(k for k, numbers in sorted(index.items()) if numbers == [record])
    mid, ptype, pid = (int(part, 16) for part in key.split(":"))
    info = devicedb.product(mid, ptype, pid)
    assert info is not None
    return info


def test_firmware_conditions_in_the_label() -> None:
    old = devicedb.product(0x027A, 0x2021, 0x2101, "1.0")
    new = devicedb.product(0x027A, 0x2021, 0x2101, "32.32")
    assert old is not None and new is not None
    assert (old.label, new.label) == ("ZSE40", "ZSE40 700")
    unknown = devicedb.product(0x027A, 0x2021, 0x2101)
    assert unknown is not None and unknown.label == "ZSE40"  # no firmware: version conditions are false


def test_firmware_ranges_and_preferred_files() -> None:
    # two files for one product: firmware 0.0-5.17 and 5.18-255.255
    assert devicedb.product(0x000C, 0x0202, 0x0001, "5.0").source_file == "0x000c/hs-fs100-l.json"  # type: ignore[union-attr]
    assert devicedb.product(0x000C, 0x0202, 0x0001, "5.18").source_file == "0x000c/hs-fs100_flex.json"  # type: ignore[union-attr]
    # without a firmware version: the widest range
    assert devicedb.product(0x000C, 0x0202, 0x0001).source_file == "0x000c/hs-fs100_flex.json"  # type: ignore[union-attr]
    # a re-branded device's file is "preferred" inside its firmware range, the original outside it
    assert devicedb.product(0x0330, 0x0300, 0xA305, "1.28").label == "VES-ZW-WAL-009"  # type: ignore[union-attr]
    assert devicedb.product(0x0330, 0x0300, 0xA305, "2.0").label == "Heatit Z-Push Button 8"  # type: ignore[union-attr]
    assert devicedb.product(0x0330, 0x0300, 0xA305).label == "VES-ZW-WAL-009"  # type: ignore[union-attr]


def test_unknown_ids() -> None:
    assert devicedb.product(0x7A5E, 0x0001, 0x0001) is None  # the virtual stick's made-up manufacturer
    assert devicedb.product(0x0086, 0xFFFF, 0xFFFF) is None
    assert devicedb.product(None, 1, 2) is None
    assert devicedb.product(0x0086, None, 2) is None
    assert devicedb.manufacturer_name(0x7A5E) is None
    assert devicedb.manufacturer_name(None) is None
    assert devicedb.names(0x7A5E, 1, 1) == {"manufacturer": None, "product": None, "product_description": None}
    assert devicedb.names(0x0086, 0xFFFF, 0xFFFF)["manufacturer"] == "Aeotec"
    assert devicedb.names(0x0086, 0x0001, 0x005A, "1.0")["product"] == "ZW090"


def test_committed_data_is_small_credited_and_versioned() -> None:
    files = ("manufacturers.json", "products.json.gz", "params.jsonl.gz", "NOTICE")
    size = sum((devicedb.DATA_DIR / name).stat().st_size for name in files)
    assert size < 1_500_000
    assert devicedb.source_version() == builder.VERSION
    assert devicedb.FORMAT == builder.FORMAT
    notice = (devicedb.DATA_DIR / "NOTICE").read_text("utf-8")
    assert "Z-Wave JS" in notice and "MIT License" in notice and builder.VERSION in notice
    header = json.loads((devicedb.DATA_DIR / "manufacturers.json").read_text("utf-8"))
    assert header["source"]["package"] == "@zwave-js/config"


@pytest.mark.parametrize(
    ("manufacturers", "products"),
    [
        (b"{not json", None),
        (b'{"manufacturers": {"0x0086": "AEON Labs"}}', b"not gzip"),
        (b'{"manufacturers": {"0x0086": "AEON Labs"}}', gzip.compress(b'{"format": 99, "records": []}', mtime=0)),
        (b'{"manufacturers": {"0x0086": "AEON Labs"}}', gzip.compress(b'{"format": 1, "records": [{"label": "x"}]}', mtime=0)),
    ],
)
def test_damaged_data_leaves_the_database_empty(tmp_path: Path, manufacturers: bytes, products: bytes | None) -> None:
    (tmp_path / "manufacturers.json").write_bytes(manufacturers)
    if products is not None:
        (tmp_path / "products.json.gz").write_bytes(products)
    try:
        devicedb.load(tmp_path)
        assert devicedb.product(0x0086, 0x0001, 0x005A) is None
        assert devicedb.manufacturer_name(0x0086) is None
        assert devicedb.source_version() is None
    finally:
        devicedb.load(devicedb.DATA_DIR)
    assert devicedb.product(0x0086, 0x0001, 0x005A) is not None


# --------------------------------------------------------------------------- JSON5


def test_json5_reads_what_the_config_files_use() -> None:
    text = """
    // comment
    {
        unquoted: 'single \\'quoted\\'',
        "hex": 0x1F, "neg": -0x10, "lead": .5, "trail": 5., "plus": +3, "exp": 1e3,
        "inf": -Infinity,
        /* block */ "list": [1, 2, 3,],   // trailing comma
        "escapes": "tab\\tline\\u2010\\x41",
        "multi": "a\\
b",
        "nested": {"a": {"b": null, "c": true, "d": false,},},
    }
    """
    data = loads(text)
    assert data["unquoted"] == "single 'quoted'"
    assert (data["hex"], data["neg"], data["lead"], data["trail"], data["plus"], data["exp"]) == (31, -16, 0.5, 5.0, 3, 1000.0)
    assert data["inf"] == float("-inf")
    assert data["list"] == [1, 2, 3]
    assert data["escapes"] == "tab\tline\u2010A"
    assert data["multi"] == "ab"
    assert data["nested"] == {"a": {"b": None, "c": True, "d": False}}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": 1,, }', "line 1"),
        ('{\n  "a": 01\n}', "line 2, column 8"),
        ('{"a": "unterminated}', "unterminated string"),
        ('{"a": 1} /* open', "unterminated comment"),
        ('{"a": 1} {"b": 2}', "after the document"),
        ('{"a" 1}', "expected ':'"),
        ("[1 2]", "expected ',' or ']'"),
        ('{"a": undefined}', "unexpected word"),
        ("", "unexpected end"),
    ],
)
def test_json5_errors_say_where(text: str, where: str) -> None:
    with pytest.raises(JSON5Error, match=where):
        loads(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('{}[],:"\'/*\\ \n0x1.e+-aINtrue')), max_size=40))
def test_json5_garbage_gives_only_typed_errors(text: str) -> None:
    try:
        loads(text)
    except JSON5Error:
        pass


def test_json5_deep_nesting_is_a_typed_error() -> None:
    with pytest.raises(JSON5Error, match="nested too deeply"):
        loads("[" * 100_000)


def test_every_fixture_file_parses() -> None:
    for path, text in _fixture_files().items():
        assert isinstance(loads(text), dict), path


# --------------------------------------------------------------------------- conditions


@pytest.mark.parametrize(
    ("condition", "context", "expected"),
    [
        ("firmwareVersion >= 2.10", {"firmwareVersion": "2.9"}, False),  # versions, not decimals
        ("firmwareVersion >= 2.10", {"firmwareVersion": "2.10"}, True),
        ("firmwareVersion < 20.15 && firmwareVersion >= 3.0", {"firmwareVersion": "3.4"}, True),
        ("firmwareVersion >= 10.40 || firmwareVersion >= 2.10 && firmwareVersion < 10.0", {"firmwareVersion": "5.0"}, True),
        ("(firmwareVersion >= 10.40 || firmwareVersion >= 2.10) && productId === 0x1", {"firmwareVersion": "5.0", "productId": 2}, False),
        ("productType === 0x0102", {"productType": 0x0102}, True),
        ("productType !== 0x0102", {"productType": 0x0102}, False),
        ("firmwareVersion >= 1.0", {"firmwareVersion": None}, False),  # unknown: false, as in Z-Wave JS
        ("sdkVersion >= 7.0.0", {}, False),
        ("firmwareVersion === 1.2.0", {"firmwareVersion": "1.2"}, True),
    ],
)
def test_conditions(condition: str, context: dict[str, object], expected: bool) -> None:
    assert evaluate(condition, context) is expected


@pytest.mark.parametrize("condition", ["firmwareVersion >=", "firmwareVersion = 1.0", "(productId === 1", "productId === 1 &&", "a ~ 1", "firmwareVersion >= 0x1"])
def test_bad_conditions(condition: str) -> None:
    with pytest.raises(ConditionError):
        evaluate(condition, {})


def test_parse_version() -> None:
    assert parse_version("2.10") == (2, 10, 0)
    assert parse_version("1.2.3") == (1, 2, 3)
    assert parse_version("x.1") is None
    assert parse_version("1.2.3.4") is None


# --------------------------------------------------------------------------- builder


def test_build_from_fixture_tree(fixture_db: Path) -> None:
    assert devicedb.source_version() == "0.0.0-test"
    assert devicedb.manufacturer_name(0x7777) == "Single Quoted Inc."
    stick = devicedb.product(0x0086, 0x0101, 0x005A, "1.5")
    assert stick is not None
    assert (stick.brand, stick.label, stick.description) == ("Aeotec", "ZW090", "Z-Stick Gen5 USB Controller")
    params = {p.number: p for p in stick.params}
    led = params[81]  # imported from ~/templates through a same-file import
    assert (led.label, led.size, led.default, led.unsigned, led.allow_manual_entry) == ("LED Indicator", 1, 0, True, False)
    assert [o.label for o in led.options] == ["Disable", "Enable"]
    assert (params[220].label, params[220].min, params[220].unit) == ("RF Power Level", 1, "steps")
    reset = params[255]  # imported relative to the device file
    assert (reset.label, reset.size, reset.write_only) == ("Reset to Factory Default", 4, True)
    assert params[7].bitmask == 0x01
    old = devicedb.product(0x0086, 0x0001, 0x005A, "1.0")
    assert old is not None
    assert next(p for p in old.params if p.number == 220).label == "RF Power Level (old firmware)"


def test_build_chooses_files_by_firmware(fixture_db: Path) -> None:
    old = devicedb.product(0x0129, 0x8002, 0x0600, "1.4")
    assert old is not None
    assert (old.brand, old.label, old.description) == ("Yale", "YRD256", "Touchscreen Deadbolt (old firmware)")
    assert [o.label for o in old.params[0].options] == ["High", "Low"]
    assert [o.label for o in devicedb.product(0x0129, 0x8002, 0x0600, "1.9").params[0].options] == ["High", "Low", "Silent"]  # type: ignore[union-attr]
    assert devicedb.product(0x0129, 0x8002, 0x0601, "1.4").label == "YRD2X6"  # type: ignore[union-attr]
    new = devicedb.product(0x0129, 0x8002, 0x0600, "1.10")
    assert new is not None and new.description == "Touchscreen Deadbolt" and new.params == ()
    assert devicedb.product(0x0129, 0x8002, 0x0600).description == "Touchscreen Deadbolt"  # widest range  # type: ignore[union-attr]


def test_build_is_deterministic_and_can_leave_params_out() -> None:
    files = _fixture_files()
    first, second = builder.build(files), builder.build(dict(reversed(list(files.items()))))
    assert first == second
    without = builder.build(files, with_params=False)
    lines = gzip.decompress(without["params.jsonl.gz"]).decode().splitlines()
    assert lines and all(line == "[]" for line in lines)


@pytest.mark.parametrize(
    ("path", "text", "error"),
    [
        ("devices/0x0001/bad.json", '{"manufacturerId": "0x0001",, }', "bad.json: .*line 1"),
        ("devices/0x0001/bad.json", '{"manufacturerId": "0x0001", "devices": [], "firmwareVersion": {"min": "0.0", "max": "255.255"}, "paramInformation": [{"#": "1", "$import": "~/templates/none.json#x"}]}', "not found"),
        ("devices/0x0001/bad.json", '{"manufacturerId": "0x0001", "devices": [], "firmwareVersion": {"min": "0.0", "max": "255.255"}, "paramInformation": [{"#": "1", "$import": "~/templates/master_template.json#missing"}]}', "does not select"),
        ("devices/0x0001/bad.json", '{"manufacturerId": "0x0001", "devices": [], "firmwareVersion": {"min": "0.0", "max": "255.255"}, "paramInformation": [{"#": "1", "$if": "firmwareVersion >>= 1"}]}', "bad condition"),
        ("devices/0x0001/bad.json", '{"manufacturerId": "1", "devices": [], "firmwareVersion": {"min": "0.0", "max": "255.255"}}', "bad manufacturerId"),
        ("devices/0x0001/bad.json", '{"manufacturerId": "0x0001", "devices": []}', "firmwareVersion"),
        ("devices/0x0001/loop.json", '{"a": {"$import": "#b"}, "b": {"$import": "#a"}, "manufacturerId": "0x0001"}', "circular"),
    ],
)
def test_build_names_the_bad_file(path: str, text: str, error: str) -> None:
    files = {**_fixture_files(), path: text}
    with pytest.raises(builder.BuildError, match=error):
        builder.build(files)


def _fixture_tarball() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in _fixture_files().items():
            data = text.encode()
            member = tarfile.TarInfo(f"package/config/{name}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        readme = tarfile.TarInfo("package/README.md")
        readme.size = 2
        tar.addfile(readme, io.BytesIO(b"hi"))
    return buffer.getvalue()


def test_tarball_is_read_and_checked() -> None:
    data = _fixture_tarball()
    assert builder.read_tarball(data) == _fixture_files()
    with pytest.raises(builder.BuildError, match="integrity"):
        builder.verify_integrity(data)
    import base64
    import hashlib

    builder.verify_integrity(data, "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode())


def test_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    tarball = tmp_path / "config.tgz"
    tarball.write_bytes(_fixture_tarball())
    out = tmp_path / "out"
    # not the pinned package: refused
    assert builder.main(["--tarball", str(tarball), "--out", str(out)]) == 1
    assert "integrity mismatch" in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setattr(builder, "verify_integrity", lambda data: None)
    assert builder.main(["--tarball", str(tarball), "--out", str(out)]) == 0
    assert "total" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["NOTICE", "manufacturers.json", "params.jsonl.gz", "products.json.gz"]
