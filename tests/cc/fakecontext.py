"""Test doubles for a CC's interview/refresh context (the CCContext the node normally provides).

Two flavours, one value store:

* ``FakeContext`` answers Gets by wire bytes: ``{"2502": "2503ff"}`` (hex command -> hex report),
  records what was sent as hex strings and checks that each report answers its Get.
* ``FakeClassContext`` answers Gets by Get class: ``{SwitchBinaryGet: SwitchBinaryReport(True)}``;
  an answer may also be a callable taking the Get, or an exception to raise.  It records the sent
  command objects.

Either one raises ``NodeTimeout`` for a Get it has no answer for, and stores the values of every
report it hands out, as the node does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from custom_components.zwave_serial.zwave.cc import CCCommand, decode_command
from custom_components.zwave_serial.zwave.errors import NodeTimeout
from custom_components.zwave_serial.zwave.values import ValueUpdate


class _FakeContextBase:
    """Node id 5, root endpoint, a version and a value store; extra keywords become attributes."""

    def __init__(self, version: int, **extra: object) -> None:
        self.node_id, self.endpoint, self.version = 5, 0, version
        self.values: dict[tuple[str, Any], Any] = {}
        for name, value in extra.items():
            setattr(self, name, value)

    def _store(self, updates: Iterable[ValueUpdate]) -> None:
        for u in updates:
            if u.meta.get("idle_reset") and (u.property, u.property_key) not in self.values:
                continue  # the node contract: an idle reset never creates a value
            self.values[(u.property, u.property_key)] = u.value

    def value(self, property: str, property_key: Any = None) -> Any:
        return self.values.get((property, property_key))

    def set_static(self, property: str, value: Any, property_key: Any = None) -> None:
        self.values[(property, property_key)] = value


class FakeContext(_FakeContextBase):
    """Answers Gets from a dict of command bytes -> report bytes (missing = NodeTimeout)."""

    def __init__(self, answers: dict[str, str], version: int, **extra: object) -> None:
        super().__init__(version, **extra)
        self.answers = {bytes.fromhex(k): bytes.fromhex(v) for k, v in answers.items()}
        self.sent: list[str] = []

    async def get(self, command: CCCommand, *, timeout: float | None = None) -> CCCommand:
        raw = command.to_bytes()
        self.sent.append(raw.hex())
        if raw not in self.answers:
            raise NodeTimeout("no answer", self.node_id)
        report = decode_command(self.answers[raw])
        assert report.answers(command)
        self._store(report.value_updates())
        return report

    async def send(self, command: CCCommand) -> None:
        self.sent.append(command.to_bytes().hex())


class FakeClassContext(_FakeContextBase):
    """Answers Gets from a dict of Get class -> report, callable(get) or exception (missing = NodeTimeout)."""

    def __init__(self, version: int, answers: dict[type, Any], **extra: object) -> None:
        super().__init__(version, **extra)
        self.answers = answers
        self.sent: list[CCCommand] = []

    async def get(self, command: CCCommand, *, timeout: float | None = None) -> CCCommand:
        self.sent.append(command)
        answer = self.answers.get(type(command))
        if callable(answer) and not isinstance(answer, CCCommand):
            answer = answer(command)
        if answer is None or isinstance(answer, Exception):
            raise answer or NodeTimeout("no answer", self.node_id)
        self._store(answer.value_updates())
        return answer

    async def send(self, command: CCCommand) -> None:
        self.sent.append(command)
