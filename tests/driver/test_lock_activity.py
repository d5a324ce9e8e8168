"""Lock notifications -> lock events (zwave/lock_activity.py), as Z-Wave JS's notification
config numbers them."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.zwave_serial.zwave import CommandClass as CC
from custom_components.zwave_serial.zwave import NotificationEvent
from custom_components.zwave_serial.zwave.lock_activity import (
    EVENT_MAP,
    LOCK_EVENTS,
    LockActivity,
    lock_activity,
)


class FakeNode:
    """The little of a Node that lock_activity reads."""

    def __init__(self, ccs: set[int], names: dict[int, str] | None = None) -> None:
        self.node_id, self.endpoints, self._ccs, self._names = 7, [0], ccs, names or {}

    def supports(self, cc: int, endpoint: int = 0) -> bool:
        return cc in self._ccs

    def get_value(self, cc: int, prop: str, key: Any = None, endpoint: int = 0) -> Any:
        return self._names.get(key) if cc == CC.USER_CODE and prop == "user_code_name" else None


LOCK = FakeNode({CC.DOOR_LOCK, CC.USER_CODE, CC.NOTIFICATION}, {3: "Alice"})


def _event(ntype: int, event: int, **params: Any) -> NotificationEvent:
    return NotificationEvent(7, 0, ntype, event, "", "", params)


@pytest.mark.parametrize(
    ("ntype", "event", "params", "expected"),
    [
        (0x06, 0x06, {"user_id": 3, "user_id_status": 1}, LockActivity(7, 0, "keypad_unlock", 3, "Alice")),
        (0x06, 0x05, {"user_id": 4}, LockActivity(7, 0, "keypad_lock", 4, None)),
        (0x06, 0x22, {"user_id": 3}, LockActivity(7, 0, "keypad_unlock", 3, "Alice")),
        (0x06, 0x01, {}, LockActivity(7, 0, "manual_lock")),
        (0x06, 0x02, {}, LockActivity(7, 0, "manual_unlock")),
        (0x06, 0x03, {}, LockActivity(7, 0, "rf_lock")),
        (0x06, 0x04, {}, LockActivity(7, 0, "rf_unlock")),
        (0x06, 0x09, {}, LockActivity(7, 0, "auto_lock")),
        (0x06, 0x0B, {}, LockActivity(7, 0, "jammed")),
        (0x06, 0x0A, {}, LockActivity(7, 0, "jammed")),  # auto lock not fully locked
        (0x06, 0x0C, {}, LockActivity(7, 0, "all_codes_deleted")),
        (0x06, 0x0D, {"user_id": 3}, LockActivity(7, 0, "code_deleted", 3, "Alice")),
        (0x06, 0x0E, {}, LockActivity(7, 0, "code_added")),
        (0x06, 0x0F, {}, LockActivity(7, 0, "duplicate_code")),
        (0x06, 0x13, {}, LockActivity(7, 0, "wrong_code")),
        (0x06, 0x14, {}, LockActivity(7, 0, "wrong_code")),
        (0x07, 0x03, {}, LockActivity(7, 0, "tamper")),
        (0x07, 0x04, {}, LockActivity(7, 0, "tamper")),
        (0x06, 0x16, {}, None),  # door open: a state, not a lock event
        (0x06, 0x00, {}, None),  # idle
        (0x07, 0x08, {}, None),  # motion
    ],
)
def test_mapping(ntype: int, event: int, params: dict[str, Any], expected: LockActivity | None) -> None:
    assert lock_activity(LOCK, _event(ntype, event, **params)) == expected  # type: ignore[arg-type]


def test_only_locks_and_every_event_reachable() -> None:
    sensor = FakeNode({CC.NOTIFICATION})
    assert lock_activity(sensor, _event(0x07, 0x03)) is None  # type: ignore[arg-type]
    # the lock's state read by the hub (interview, refresh) is not an event
    solicited = NotificationEvent(7, 0, 0x06, 0x01, "", "", {}, solicited=True)
    assert lock_activity(LOCK, solicited) is None  # type: ignore[arg-type]
    assert set(EVENT_MAP.values()) == set(LOCK_EVENTS)


@pytest.mark.parametrize(
    ("activity", "changed_by"),
    [
        (LockActivity(7, 0, "keypad_unlock", 3, "Alice"), "User 3 (Alice)"),
        (LockActivity(7, 0, "keypad_unlock", 3), "User 3"),
        (LockActivity(7, 0, "keypad_lock"), "Keypad"),
        (LockActivity(7, 0, "manual_unlock"), "Manual"),
        (LockActivity(7, 0, "rf_lock"), "Remote"),
        (LockActivity(7, 0, "auto_lock"), "Auto-lock"),
        (LockActivity(7, 0, "jammed"), None),
    ],
)
def test_changed_by(activity: LockActivity, changed_by: str | None) -> None:
    assert activity.changed_by == changed_by


class FakeCredentialNode(FakeNode):
    """A User Credential lock: the hub's names live with User Credential CC (user N = slot N)."""

    def get_value(self, cc: int, prop: str, key: Any = None, endpoint: int = 0) -> Any:
        return self._names.get(key) if cc == CC.USER_CREDENTIAL and prop == "user_code_name" else None


def test_user_name_on_a_user_credential_lock() -> None:
    node = FakeCredentialNode({CC.DOOR_LOCK, CC.USER_CREDENTIAL, CC.NOTIFICATION}, {2: "Bob"})
    activity = lock_activity(node, _event(0x06, 0x06, user_id=2))  # type: ignore[arg-type]
    assert activity == LockActivity(7, 0, "keypad_unlock", 2, "Bob")
