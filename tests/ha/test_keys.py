"""The entry's network keys reach the driver; invalid ones are reported without the key."""

from __future__ import annotations

import logging

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.zwave_serial import network_keys
from custom_components.zwave_serial.const import (
    CONF_S0_LEGACY_KEY,
    CONF_S2_ACCESS_CONTROL_KEY,
    DOMAIN,
)
from custom_components.zwave_serial.zwave import SecurityClass

S0 = "0102030405060708090a0b0c0d0e0f10"
S2_AC = "33333333333333333333333333333333"


def test_network_keys_from_the_entry() -> None:
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_S0_LEGACY_KEY: S0, CONF_S2_ACCESS_CONTROL_KEY: S2_AC})
    keys = network_keys(entry)
    assert keys is not None
    assert keys.has(SecurityClass.S0_Legacy) and keys.has(SecurityClass.S2_AccessControl)
    assert not keys.has(SecurityClass.S2_Authenticated)
    assert S2_AC not in repr(keys)


def test_no_keys_means_none() -> None:
    assert network_keys(MockConfigEntry(domain=DOMAIN, data={})) is None


def test_invalid_keys_are_logged_without_the_key(caplog: pytest.LogCaptureFixture) -> None:
    bad = "0102030405060708090a0b0c0d0e0f"  # 30 hex digits
    entry = MockConfigEntry(domain=DOMAIN, data={CONF_S0_LEGACY_KEY: bad}, title="stick")
    with caplog.at_level(logging.DEBUG):
        assert network_keys(entry) is None
    assert "invalid" in caplog.text and bad not in caplog.text and bad[:8] not in caplog.text
