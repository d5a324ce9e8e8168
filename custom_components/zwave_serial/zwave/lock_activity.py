"""What a lock did, from its notifications: "keypad_unlock by user 3 (Alice)", "jammed"...

:func:`lock_activity` maps a Notification CC event of a lock (Access Control 0x06, Home
Security 0x07) to one of :data:`LOCK_EVENTS` with the user slot it names and the slot's name
(``locks.slot_name``).  Never a code: only the slot number leaves here.

Event numbers as Z-Wave JS's notification config (``@zwave-js/config`` notifications.json)
and SDS13713 list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cc.ids import CommandClass
from .events import DriverEvent, NotificationEvent
from .locks import slot_name

if TYPE_CHECKING:
    from .node import Node

ACCESS_CONTROL, HOME_SECURITY = 0x06, 0x07

LOCK_EVENTS: tuple[str, ...] = (
    "keypad_unlock",
    "keypad_lock",
    "manual_unlock",
    "manual_lock",
    "rf_unlock",
    "rf_lock",
    "auto_lock",
    "wrong_code",
    "duplicate_code",
    "jammed",
    "tamper",
    "code_added",
    "code_deleted",
    "all_codes_deleted",
)

#: (notification type, event) -> lock event
EVENT_MAP: dict[tuple[int, int], str] = {
    (ACCESS_CONTROL, 0x01): "manual_lock",  # Manual lock operation
    (ACCESS_CONTROL, 0x02): "manual_unlock",  # Manual unlock operation
    (ACCESS_CONTROL, 0x03): "rf_lock",  # RF lock operation
    (ACCESS_CONTROL, 0x04): "rf_unlock",  # RF unlock operation
    (ACCESS_CONTROL, 0x05): "keypad_lock",  # Keypad lock operation
    (ACCESS_CONTROL, 0x06): "keypad_unlock",  # Keypad unlock operation
    (ACCESS_CONTROL, 0x07): "jammed",  # Manual not fully locked operation
    (ACCESS_CONTROL, 0x08): "jammed",  # RF not fully locked operation
    (ACCESS_CONTROL, 0x09): "auto_lock",  # Auto lock locked operation
    (ACCESS_CONTROL, 0x0A): "jammed",  # Auto lock not fully locked operation
    (ACCESS_CONTROL, 0x0B): "jammed",  # Lock jammed
    (ACCESS_CONTROL, 0x0C): "all_codes_deleted",  # All user codes deleted
    (ACCESS_CONTROL, 0x0D): "code_deleted",  # Single user code deleted
    (ACCESS_CONTROL, 0x0E): "code_added",  # New user code added
    (ACCESS_CONTROL, 0x0F): "duplicate_code",  # New user code not added due to duplicate code
    (ACCESS_CONTROL, 0x13): "wrong_code",  # Manually enter user access code exceeds code limit
    (ACCESS_CONTROL, 0x14): "wrong_code",  # Unlock by RF with invalid user code
    (ACCESS_CONTROL, 0x15): "wrong_code",  # Locked by RF with invalid user code
    (ACCESS_CONTROL, 0x21): "keypad_lock",  # Lock operation with User Code (v8)
    (ACCESS_CONTROL, 0x22): "keypad_unlock",  # Unlock operation with User Code (v8)
    (ACCESS_CONTROL, 0x23): "keypad_lock",  # Credential lock/open operation
    (ACCESS_CONTROL, 0x24): "keypad_unlock",  # Credential unlock/close operation
    (ACCESS_CONTROL, 0x32): "wrong_code",  # Invalid credential used
    (HOME_SECURITY, 0x03): "tamper",  # Tampering, product cover removed
    (HOME_SECURITY, 0x04): "tamper",  # Tampering, invalid code
    (HOME_SECURITY, 0x09): "tamper",  # Tampering, product moved
}

#: Lock events that move the bolt (the lock entity's ``changed_by`` / ``last_event``).
OPERATIONS = frozenset(
    {"keypad_unlock", "keypad_lock", "manual_unlock", "manual_lock", "rf_unlock", "rf_lock", "auto_lock"}
)
_BY = {"manual": "Manual", "rf": "Remote", "auto": "Auto-lock", "keypad": "Keypad"}


@dataclass(frozen=True, slots=True)
class LockActivity(DriverEvent):
    """A lock event (one of :data:`LOCK_EVENTS`) with the user slot and its name when known."""

    node_id: int
    endpoint: int
    event: str
    user_slot: int | None = None
    user_name: str | None = None

    @property
    def changed_by(self) -> str | None:
        """Who moved the bolt: "User 3 (Alice)", "User 3", "Keypad", "Manual", "Remote", "Auto-lock"
        (None for events that do not move it)."""
        if self.event not in OPERATIONS:
            return None
        if self.user_slot is not None:
            return user_label(self.user_slot, self.user_name)
        return _BY[self.event.split("_")[0]]


def user_label(slot: int, name: str | None) -> str:
    return f"User {slot} ({name})" if name else f"User {slot}"


def is_lock(node: Node) -> bool:
    return any(
        node.supports(CommandClass.DOOR_LOCK, ep) or node.supports(CommandClass.USER_CODE, ep)
        for ep in node.endpoints
    )


def lock_activity(node: Node, event: NotificationEvent) -> LockActivity | None:
    """The lock event a notification of a lock stands for, or None (also for a report that
    answered the hub's Notification Get: the lock's state, read again, is not an event)."""
    name = EVENT_MAP.get((event.notification_type, event.event))
    if name is None or event.solicited or not is_lock(node):
        return None
    slot = event.parameters.get("user_id")
    if not isinstance(slot, int) or isinstance(slot, bool) or slot <= 0:
        slot = None
    user_name = slot_name(node, slot) if slot is not None else None
    return LockActivity(node.node_id, event.endpoint, name, slot, user_name)
