"""Lock user codes over User Code CC v1/v2: read every slot once, keep them in the node cache,
re-read only when the lock's checksum says something changed, set/clear/enable/disable with
duplicate checks.  **Codes are secrets**: never logged, never in a repr or an exception.

Cached per slot (User Code CC values, key = slot): ``user_id_status``, ``user_code`` (secret),
``user_code_name`` (the hub's name for the slot, kept with the network, not in the lock), and
``user_codes_synced_checksum`` (the lock's checksum when the slots were last read in full).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cc.ids import CommandClass
from .cc.user_code import (
    SECRET_META,
    ExtendedUserCodeGet,
    ExtendedUserCodeReport,
    ExtendedUserCodeSet,
    UserCodeChecksumGet,
    UserCodeChecksumReport,
    UserCodeEntry,
    UserCodeGet,
    UserCodeSet,
    UserCodeValue,
    UserIdStatus,
    UsersNumberGet,
    UsersNumberReport,
    validate_user_code,
)
from .errors import CCEncodeError, DuplicateUserCode, NodeError, NodeNotFound, SupervisionFailed
from .events import DriverEvent, NotificationEvent
from .node import SetValueStatus
from .values import ValueUpdate

if TYPE_CHECKING:
    from .driver import Driver
    from .node import Node

_LOGGER = logging.getLogger(__name__)

CC = CommandClass.USER_CODE
NAME = "user_code_name"
SYNCED_CHECKSUM = "user_codes_synced_checksum"
ACCESS_CONTROL = 0x06
EV_DUPLICATE = 0x0F
SETTABLE = (UserIdStatus.ENABLED, UserIdStatus.DISABLED, UserIdStatus.MESSAGING, UserIdStatus.PASSAGE_MODE)
UNUSED = (UserIdStatus.AVAILABLE, UserIdStatus.NOT_AVAILABLE)


def status_name(status: int | None) -> str:
    """``enabled``, ``disabled``, ``available``... (``unknown`` when never read)."""
    if status is None:
        return "unknown"
    try:
        return UserIdStatus(status).name.lower()
    except ValueError:
        return f"status_{status}"


@dataclass(frozen=True, slots=True)
class CodeSlot:
    """One slot as cached; ``code`` is only for callers that ask for it (repr hides it)."""

    slot: int
    status: int | None
    name: str | None = None
    code: str = field(default="", repr=False)

    @property
    def in_use(self) -> bool:
        return self.status is not None and self.status not in UNUSED

    def as_dict(self, include_code: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"slot": self.slot, "status": status_name(self.status), "in_use": self.in_use,
                               "name": self.name}
        if include_code:
            out["code"] = self.code if self.in_use else None
        return out


def has_lock_codes(node: Node) -> bool:
    """True when the node has lock code slots (User Code, or User Credential PIN codes)."""
    from .locks_credential import uses_credentials

    return node.supports(CC) or uses_credentials(node)


def slot_name(node: Node, slot: int) -> str | None:
    """The hub's name for a slot, kept with whichever CC the lock's codes go through."""
    from .locks_credential import uses_credentials

    name = node.get_value(CommandClass.USER_CREDENTIAL if uses_credentials(node) else CC, NAME, slot)
    return name if isinstance(name, str) else None


def cached_slots(node: Node) -> list[CodeSlot]:
    """A node's slots as cached (status None: never read); for diagnostics and the API."""
    from .locks_credential import cached_credential_slots, uses_credentials

    if uses_credentials(node):
        return cached_credential_slots(node)

    def get(prop: str, key: Any = None) -> Any:
        return node.get_value(CC, prop, key)

    slots = []
    for n in range(1, (get(UserCodeValue.USERS_NUMBER) or 0) + 1):
        code = get(UserCodeValue.USER_CODE, n)
        slots.append(CodeSlot(n, get(UserCodeValue.USER_ID_STATUS, n), get(NAME, n), code if isinstance(code, str) else ""))
    return slots


class LockCodes:
    """User codes of one lock node (see the module docstring).  A lock speaking User
    Credential (0x83) gets the same surface from ``locks_credential.CredentialLockCodes``."""

    def __new__(cls, driver: Driver, node_id: int) -> LockCodes:
        from .locks_credential import CredentialLockCodes, uses_credentials

        if cls is LockCodes and uses_credentials(driver.nodes.get(node_id)):
            return super().__new__(CredentialLockCodes)
        return super().__new__(cls)

    def __init__(self, driver: Driver, node_id: int) -> None:
        node = driver.nodes.get(node_id)
        if node is None or not node.supports(CC):
            raise NodeNotFound(f"node {node_id} has no user codes", node_id)
        self._driver = driver
        self.node: Node = node

    def __repr__(self) -> str:
        return f"LockCodes(node={self.node.node_id}, version={self.version})"

    # --- capabilities ---------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self.node.cc_version(CC)

    def _cached(self, prop: str, key: Any = None) -> Any:
        return self.node.get_value(CC, prop, key)

    @property
    def supports_checksum(self) -> bool:
        return self.version >= 2 and bool(self._cached("supports_checksum"))

    def capabilities(self) -> dict[str, Any]:
        """What the lock declared in the interview (v2), plus the number of slots."""
        return {
            "version": self.version,
            "users_number": self._cached(UserCodeValue.USERS_NUMBER),
            "statuses": [status_name(s) for s in self._cached("supported_statuses") or (0, 1, 2)],
            "keypad_modes": list(self._cached("supported_keypad_modes") or []),
            "admin_code": bool(self._cached("supports_admin_code")),
            "checksum": self.supports_checksum,
            "keys": self._cached("supported_keys") or "0123456789",
        }

    async def users_number(self) -> int:
        cached = self._cached(UserCodeValue.USERS_NUMBER)
        if isinstance(cached, int) and cached > 0:
            return cached
        report = await self.node.get(UsersNumberGet())
        assert isinstance(report, UsersNumberReport)
        return report.users_number

    # --- reading -------------------------------------------------------------------------

    def slots(self) -> list[CodeSlot]:
        """Every slot as cached (status None: never read)."""
        return cached_slots(self.node)

    def slot(self, slot: int) -> CodeSlot:
        code = self._cached(UserCodeValue.USER_CODE, slot)
        return CodeSlot(slot, self._cached(UserCodeValue.USER_ID_STATUS, slot), self._cached(NAME, slot),
                        code if isinstance(code, str) else "")

    async def read_all(self, *, force: bool = False) -> list[CodeSlot]:
        """All slots.  Read once (v2: chained Extended User Code Get with "report more"; v1:
        slot by slot); later calls use the cache unless the lock's checksum changed (v2) or
        ``force``."""
        count = await self.users_number()
        complete = all(s.status is not None for s in self.slots()) and len(self.slots()) == count
        checksum: int | None = None
        if self.supports_checksum:
            checksum = await self._checksum()
            if complete and not force and checksum == self._cached(SYNCED_CHECKSUM):
                _LOGGER.debug("Node %s: user code checksum unchanged, using the cache", self.node.node_id)
                return self.slots()
        elif complete and not force:
            return self.slots()
        if self.version >= 2:
            await self._read_extended(count)
        else:
            for slot in range(1, min(count, 255) + 1):
                await self.node.get(UserCodeGet(slot))
        if checksum is not None:
            self._store(SYNCED_CHECKSUM, checksum)
        return self.slots()

    async def read_slot(self, slot: int) -> CodeSlot:
        """Read one slot from the lock (into the cache)."""
        if self.version >= 2:
            await self.node.get(ExtendedUserCodeGet(slot, False))
        else:
            await self.node.get(UserCodeGet(slot))
        return self.slot(slot)

    async def _checksum(self) -> int:
        report = await self.node.get(UserCodeChecksumGet())
        assert isinstance(report, UserCodeChecksumReport)
        return report.checksum

    async def _read_extended(self, count: int) -> None:
        """Chain from slot 1: each report holds several slots and names the next one in use;
        slots skipped between are available."""
        slot = 1
        while 1 <= slot <= count:
            report = await self.node.get(ExtendedUserCodeGet(slot, True))
            assert isinstance(report, ExtendedUserCodeReport)
            seen = {e.user_id for e in report.entries}
            last = max(seen | {slot})
            nxt = report.next_user_id
            end = count if nxt == 0 or nxt > count else nxt - 1
            for gap in range(slot, end + 1):
                if gap not in seen:
                    self._apply_slot(gap, UserIdStatus.AVAILABLE, "")
            if nxt <= last:
                break
            slot = nxt

    # --- writing -------------------------------------------------------------------------

    async def set_code(self, slot: int, code: str, *, status: int = UserIdStatus.ENABLED,
                       name: str | None = None) -> CodeSlot:
        """Store ``code`` in ``slot`` (enabled unless ``status`` says otherwise).

        Raises CCEncodeError for a bad slot/code/status, DuplicateUserCode when the code is in
        another slot (cache, or the lock's notification 0x0F).  Without Supervision the slot is
        read back to confirm."""
        await self._check_slot(slot)
        if status not in SETTABLE:
            raise CCEncodeError("status must be enabled, disabled, messaging or passage_mode")
        caps = self.capabilities()
        if self.version >= 2 and status_name(status) not in caps["statuses"]:
            raise CCEncodeError(f"the lock does not support the status {status_name(status)}")
        keys = self._cached("supported_keys") or None
        validate_user_code(code, keys)
        for other in self.slots():
            if other.slot != slot and other.in_use and other.code == code:
                raise DuplicateUserCode(self.node.node_id, slot, other.slot)
        await self._send_slot(slot, status, code)
        if name is not None:
            self.set_name(slot, name)
        return self.slot(slot)

    async def clear_code(self, slot: int) -> CodeSlot:
        """Free a slot (its name too)."""
        await self._check_slot(slot)
        await self._send_slot(slot, UserIdStatus.AVAILABLE, "")
        self.set_name(slot, None)
        return self.slot(slot)

    async def set_status(self, slot: int, status: int) -> CodeSlot:
        """Enable/disable (or messaging/passage) a slot in use, keeping its code."""
        current = self.slot(slot)
        if not current.in_use or not current.code:
            current = await self.read_slot(slot)
        if not current.in_use:
            raise CCEncodeError(f"slot {slot} has no code")
        return await self.set_code(slot, current.code, status=status)

    def set_name(self, slot: int, name: str | None) -> None:
        """The hub's name for a slot (stored in the network cache, not in the lock)."""
        self._store(NAME, name or None, slot)

    async def _check_slot(self, slot: int) -> None:
        count = await self.users_number()
        if isinstance(slot, bool) or not isinstance(slot, int) or not 1 <= slot <= count:
            raise CCEncodeError(f"slot must be 1..{count}")
        if slot > 255 and self.version < 2:
            raise CCEncodeError("slots above 255 need User Code v2")

    async def _send_slot(self, slot: int, status: int, code: str) -> None:
        if slot > 255:
            command: Any = ExtendedUserCodeSet((UserCodeEntry(slot, status, code),))
        else:
            command = UserCodeSet(slot, status, code)
        duplicate = asyncio.Event()

        def watch(event: DriverEvent) -> None:
            if (isinstance(event, NotificationEvent) and event.node_id == self.node.node_id
                    and event.notification_type == ACCESS_CONTROL and event.event == EV_DUPLICATE):
                duplicate.set()

        unsubscribe = self._driver.subscribe(watch)
        try:
            try:
                result = await self.node.send_command(command, verify=False)
            except SupervisionFailed:
                if await self._wait(duplicate):
                    raise DuplicateUserCode(self.node.node_id, slot) from None
                raise
            _LOGGER.debug("Node %s: user code slot %s set to %s", self.node.node_id, slot, status_name(status))
            if result.status == SetValueStatus.SUCCESS:
                self._apply_slot(slot, status, code)
                return
            if result.status == SetValueStatus.QUEUED:
                return
            # not supervised: confirm by reading the slot back
            back = await self.read_slot(slot)
            if back.status == status and (status == UserIdStatus.AVAILABLE or back.code == code):
                return
            if duplicate.is_set() or await self._wait(duplicate):
                raise DuplicateUserCode(self.node.node_id, slot)
            raise NodeError(f"node {self.node.node_id} did not store user code slot {slot}", self.node.node_id)
        finally:
            unsubscribe()

    async def _wait(self, event: asyncio.Event) -> bool:
        """The lock's duplicate notification may trail its FAIL: wait for it a little."""
        try:
            async with asyncio.timeout(self._driver.options.report_timeout):
                await event.wait()
        except TimeoutError:
            return False
        return True

    def _apply_slot(self, slot: int, status: int, code: str) -> None:
        self.node.apply_update(CC, 0, ValueUpdate(UserCodeValue.USER_ID_STATUS, int(status), slot))
        self.node.apply_update(
            CC, 0, ValueUpdate(UserCodeValue.USER_CODE, "" if status in UNUSED else code, slot, meta=dict(SECRET_META))
        )

    def _store(self, prop: str, value: Any, key: Any = None) -> None:
        self.node.apply_update(CC, 0, ValueUpdate(prop, value, key))


__all__ = ["CodeSlot", "LockCodes", "cached_slots", "has_lock_codes", "status_name"]
