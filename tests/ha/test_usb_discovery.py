"""USB discovery: the manifest's matchers against Home Assistant's Z-Wave integration, and the
stick's name on the discovery card."""

from __future__ import annotations

import json
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import homeassistant.components
import pytest
from homeassistant.config_entries import SOURCE_USB
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.usb import UsbServiceInfo

from custom_components.zwave_serial.const import DOMAIN
from custom_components.zwave_serial.usb_sticks import KNOWN_STICKS, stick_name

MANIFEST = json.loads(
    (Path(__file__).resolve().parents[2] / "custom_components" / "zwave_serial" / "manifest.json").read_text()
)
# Home Assistant's own Z-Wave integration (read from the installed version; not imported)
HA_ZWAVE_JS = json.loads((Path(homeassistant.components.__file__).parent / "zwave_js" / "manifest.json").read_text())
MISSING_PORT = "/dev/serial/by-id/usb-does-not-exist-if00"


def _strip(matcher: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in matcher.items() if k != "known_devices"}


def _matches(matcher: dict[str, Any], info: UsbServiceInfo) -> bool:
    """Home Assistant's rule: every key of the matcher matches (patterns on lower case)."""
    values = {
        "vid": info.vid,
        "pid": info.pid,
        "serial_number": info.serial_number,
        "manufacturer": info.manufacturer,
        "description": info.description,
    }
    for key, pattern in _strip(matcher).items():
        value = values[key]
        if key in ("vid", "pid"):
            if value != pattern:
                return False
        elif value is None or not fnmatch(value.lower(), pattern):
            return False
    return True


# One real-looking device per matcher of our manifest, and the name its card shows.
DEVICES = [
    (UsbServiceInfo(MISSING_PORT, "0658", "0200", None, None, None), "Z-Wave stick 0658:0200"),
    (
        UsbServiceInfo(MISSING_PORT, "10C4", "EA60", "0001", "Silicon Labs", "Zooz ZST10 700 Z-Wave Stick"),
        "Zooz ZST10 700 Z-Wave Stick",
    ),
    (
        UsbServiceInfo(MISSING_PORT, "10C4", "EA60", "0002", "Silicon Labs", "Aeotec Z-Stick 7"),
        "Aeotec Z-Stick 7",
    ),
    (UsbServiceInfo(MISSING_PORT, "10C4", "EA60", "0003", "Zooz", "ZST39 LR"), "ZST39 LR"),
    (
        UsbServiceInfo(MISSING_PORT, "10C4", "8A2A", "0004", "Silicon Labs", "HubZ Z-Wave Com Port"),
        "Nortek HUSBZB-1 (Z-Wave)",
    ),
    (
        UsbServiceInfo(MISSING_PORT, "10C4", "EA60", "0005", "SONOFF", "SONOFF Dongle Plus ZWave 800 ZG23"),
        "SONOFF Z-Wave 800 Dongle Plus",
    ),
    (
        UsbServiceInfo(MISSING_PORT, "303A", "4001", "0006", "Nabu Casa", "ZWA-2 - Nabu Casa ZWA-2"),
        "Home Assistant Connect ZWA-2",
    ),
]


def test_every_stick_home_assistant_knows_is_matched() -> None:
    """The installed Home Assistant's zwave_js matchers are all in our manifest."""
    ours = [_strip(m) for m in MANIFEST["usb"]]
    for matcher in HA_ZWAVE_JS.get("usb", []):
        assert _strip(matcher) in ours, matcher


def test_cp210x_matchers_carry_a_description() -> None:
    """A bare CP210x (10C4:EA60) matcher would offer every Zigbee dongle on that bridge."""
    for matcher in MANIFEST["usb"]:
        if (matcher["vid"], matcher["pid"]) == ("10C4", "EA60"):
            assert matcher.get("description"), matcher
        for key in ("description", "manufacturer", "serial_number"):
            assert matcher.get(key, "").lower() == matcher.get(key, ""), "patterns are lower case"


def test_known_stick_names_follow_the_manifest() -> None:
    ours = [_strip(m) for m in MANIFEST["usb"]]
    for stick in KNOWN_STICKS:
        matcher = {"vid": stick.vid, "pid": stick.pid}
        if stick.description:
            matcher["description"] = stick.description
        if stick.manufacturer:
            matcher["manufacturer"] = stick.manufacturer
        assert matcher in ours, stick


def test_every_matcher_has_a_test_device() -> None:
    for matcher in MANIFEST["usb"]:
        assert any(_matches(matcher, info) for info, _ in DEVICES), matcher


@pytest.mark.parametrize(("info", "name"), DEVICES)
async def test_discovery_card_shows_the_stick_name(hass: HomeAssistant, info: UsbServiceInfo, name: str) -> None:
    assert any(_matches(m, info) for m in MANIFEST["usb"])
    assert stick_name(info.vid, info.pid, info.description, info.manufacturer) == name
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USB}, data=info)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "usb_confirm"
    (flow,) = hass.config_entries.flow.async_progress()
    assert flow["context"]["title_placeholders"] == {"name": name}
    placeholders = result["description_placeholders"]
    assert placeholders["port"] == MISSING_PORT
    assert placeholders["name"].startswith(name)
    if info.serial_number:
        assert info.serial_number in placeholders["name"]
    hass.config_entries.flow.async_abort(result["flow_id"])


async def test_zwa2_discovered_and_set_up(hass: HomeAssistant, demo_stick: Any) -> None:
    """A Connect ZWA-2 (here: the virtual stick's pty) is confirmed, probed and added."""
    info = UsbServiceInfo(demo_stick.port, "303A", "4001", "0006", "Nabu Casa", "ZWA-2 - Nabu Casa ZWA-2")
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USB}, data=info)
    assert result["step_id"] == "usb_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "network_keys"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)


def test_unknown_sticks_fall_back_to_their_ids() -> None:
    assert stick_name("10c4", "ea60", "n/a", None) == "Z-Wave stick 10C4:EA60"
    assert stick_name("0658", "0200", "  UZB  ", "Z-Wave.Me") == "UZB"
