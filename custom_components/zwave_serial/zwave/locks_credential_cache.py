"""Helpers of ``locks_credential.py``: the cached view of a User Credential lock's PIN slots
(also for the diagnostics and ``locks.cached_slots``: which backend a lock uses, slots from the
node's values, the small writes to them) and :func:`exchange`, a Set and the Report that tells
its outcome.  **Codes are secrets**: values carry ``{"secret": True}``.
"""

from __future__ import annotations

import asyncio
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from .cc.ids import CommandClass
from .cc.user_code import UserIdStatus
from .cc.user_credential import SECRET_META, CredentialType, NameEncoding, UserCredentialValue
from .cc.user_credential_data import CredentialReportType, credential_key
from .errors import NodeTimeout, SupervisionFailed
from .locks import CodeSlot
from .node import PendingGet, SetValueStatus
from .values import ValueUpdate

if TYPE_CHECKING:
    from .cc.base import CCCommand
    from .node import Node

CC = CommandClass.USER_CREDENTIAL
PIN = CredentialType.PIN_CODE
V = UserCredentialValue
#: The hub's name for a slot (the lock also gets it, cut to its length, as the user's name).
NAME = "lock_code_name"


def uses_credentials(node: Node | None) -> bool:
    """True when the lock's codes go through User Credential: it supports the CC and does not
    report 0 users (unknown yet: only if it has no User Code to fall back on)."""
    if node is None or not node.supports(CC):
        return False
    users = node.get_value(CC, V.SUPPORTED_USERS)
    if users is None:
        return not node.supports(CommandClass.USER_CODE)
    return bool(users)


def pin_caps(node: Node) -> dict[str, Any]:
    """The lock's PIN code capabilities (slots, min_length, max_length...) from the interview."""
    caps = node.get_value(CC, V.CREDENTIAL_CAPABILITIES, PIN)
    return caps if isinstance(caps, dict) else {}


def pin_owner(node: Node, slot: int) -> int | None:
    """The user owning PIN slot ``slot`` (0: empty; None: never read)."""
    owner = node.get_value(CC, V.CREDENTIAL_USER, credential_key(PIN, slot))
    return owner if isinstance(owner, int) else None


def credential_slot(node: Node, slot: int) -> CodeSlot:
    """One PIN slot as cached (status None: never read)."""
    owner = pin_owner(node, slot)
    hub_name = node.get_value(CC, NAME, slot)
    if owner is None:
        return CodeSlot(slot, None, hub_name)
    if owner == 0:
        return CodeSlot(slot, UserIdStatus.AVAILABLE, hub_name)
    active = node.get_value(CC, V.USER_ACTIVE, owner)
    status = UserIdStatus.DISABLED if active is False else UserIdStatus.ENABLED
    code = node.get_value(CC, V.CREDENTIAL, credential_key(PIN, slot))
    name = hub_name or node.get_value(CC, V.USER_NAME, owner) or None
    return CodeSlot(slot, status, name, code if isinstance(code, str) else "")


def cached_credential_slots(node: Node) -> list[CodeSlot]:
    """Every PIN slot as cached; for diagnostics and the API."""
    return [credential_slot(node, n) for n in range(1, int(pin_caps(node).get("slots") or 0) + 1)]


def apply_pin(node: Node, slot: int, user_id: int, code: str) -> None:
    """Store PIN slot ``slot`` as held by ``user_id`` (``code`` "" and user 0: empty)."""
    key = credential_key(PIN, slot)
    node.apply_update(CC, 0, ValueUpdate(V.CREDENTIAL, code, key, meta=dict(SECRET_META)))
    node.apply_update(CC, 0, ValueUpdate(V.CREDENTIAL_USER, user_id, key))


def lock_name(node: Node, name: str) -> tuple[int, str]:
    """``name`` as the lock can store it: (encoding, text) in its encodings, cut to its length."""
    limit = int(node.get_value(CC, V.MAX_USER_NAME_LENGTH) or 0)
    encodings = node.get_value(CC, V.SUPPORTED_USER_NAME_ENCODINGS) or [NameEncoding.ASCII]
    if name.isascii() or NameEncoding.UTF16BE not in encodings:
        return NameEncoding.ASCII, name.encode("ascii", "replace").decode("ascii")[:limit]
    return NameEncoding.UTF16BE, name[: limit // 2]


async def exchange(node: Node, command: CCCommand, timeout: float) -> CCCommand | None:
    """Send a User / Credential Set and return the report that tells its outcome (a lock MUST
    send one; the report may come before or after the Supervision Report).  None: queued for a
    sleeping node, or a supervised success without a report.  A refusal (Supervision FAIL)
    without a report raises SupervisionFailed, no answer at all NodeTimeout."""
    future: asyncio.Future[CCCommand] = asyncio.get_running_loop().create_future()
    pending = PendingGet(0, command, future)
    node.pending_gets.append(pending)
    try:
        try:
            result = await node.send_command(command, verify=False)
        except SupervisionFailed:
            result = None  # refused: the report says why
        if result is not None and result.status == SetValueStatus.QUEUED:
            return None
        try:
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            if result is not None and result.status == SetValueStatus.SUCCESS:
                return None
            name, node_id = type(command).__name__, node.node_id
            if result is None:
                raise SupervisionFailed(f"node {node_id} refused {name}", node_id) from None
            raise NodeTimeout(f"node {node_id} did not report the outcome of {name}", node_id) from None
    finally:
        if pending in node.pending_gets:
            node.pending_gets.remove(pending)


def type_name(value: int) -> str:
    try:
        return CredentialType(value).name.lower()
    except ValueError:
        return f"type_{value}"


def report_name(value: int, kind: type[IntEnum] = CredentialReportType) -> str:
    try:
        return kind(value).name.lower()
    except ValueError:
        return f"report type {value}"


__all__ = [
    "cached_credential_slots",
    "credential_slot",
    "lock_name",
    "pin_caps",
    "pin_owner",
    "uses_credentials",
]
