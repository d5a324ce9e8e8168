"""Secrets (user codes) never reach the logs, even at DEBUG level with every frame logged."""

from __future__ import annotations

import logging

import pytest

from custom_components.zwave_serial.zwave import CommandClass, Driver
from custom_components.zwave_serial.zwave.frame import Frame
from custom_components.zwave_serial.zwave.redact import frame_text
from custom_components.zwave_serial.zwave.sim.demo import DemoStick

from .conftest import wait_for

CODE = "9731"
CODE_HEX = "39 37 33 31"


def test_frame_text_masks_user_code_set_and_report() -> None:
    command = bytes.fromhex("6C 01 01 08 63 01 05 01") + CODE.encode()
    send = Frame.request(0x13, bytes((7, len(command))) + command + bytes((0x25, 0x01))).to_bytes()
    assert CODE_HEX not in frame_text(send) and "redacted" in frame_text(send)
    report = bytes.fromhex("63 03 05 01") + CODE.encode()
    received = Frame.request(0x04, bytes((0, 7, len(report))) + report).to_bytes()
    assert CODE_HEX not in frame_text(received)
    basic = Frame.request(0x04, bytes.fromhex("00 04 03 20 03 01")).to_bytes()
    assert frame_text(basic) == basic.hex(" ")
    assert CODE_HEX.replace(" ", "") not in repr(Frame.request(0x13, command))


def test_frame_text_masks_a_code_inside_a_keypad_notification() -> None:
    # Keypad unlock by user 3; the event parameters embed a User Code Report with the code.
    notification = bytes.fromhex("71 05 00 00 00 FF 06 06 08 63 03 03 01") + CODE.encode()
    received = Frame.request(0x04, bytes((0, 7, len(notification))) + notification).to_bytes()
    assert CODE_HEX not in frame_text(received) and "redacted" in frame_text(received)
    # A bare user id is no secret: the frame stays readable.
    keypad_lock = bytes.fromhex("71 05 00 00 00 FF 06 05 01 07")
    plain = Frame.request(0x04, bytes((0, 7, len(keypad_lock))) + keypad_lock).to_bytes()
    assert frame_text(plain) == plain.hex(" ")


async def test_user_code_never_logged(driver: Driver, demo: DemoStick, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.zwave_serial.zwave")
    lock = driver.nodes[7]
    await lock.set_value(CommandClass.USER_CODE, "user_code", CODE, property_key=4)
    await wait_for(lambda: demo.stick.node(7).user_codes.get(4) == CODE)
    from custom_components.zwave_serial.zwave.cc.user_code import UserCodeGet

    await lock.get(UserCodeGet(4))  # the lock answers with a User Code Report carrying the code
    assert lock.get_value(CommandClass.USER_CODE, "user_code", 4) == CODE
    text = caplog.text.lower()
    assert "» " in caplog.text  # frames were logged...
    for needle in (CODE, CODE_HEX, CODE_HEX.replace(" ", "")):
        assert needle.lower() not in text  # ...but never the code
