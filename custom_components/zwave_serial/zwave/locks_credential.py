"""Lock code slots over User Credential CC (0x83): the :class:`~.locks.LockCodes` surface for
newer locks.  ``LockCodes(driver, node_id)`` gives a :class:`CredentialLockCodes` when the lock
speaks this CC (and reports users: a lock with 0 users works in User Code mode).
**Codes are secrets**: never logged, never in a repr or an exception.

Mapping: slot N is PIN code credential slot N.  Its owner is a lock *user*: a new code in slot
N creates user N (or the lowest free user id when the lock has fewer users than PIN slots), with
the slot's name as the user's name in the lock (the hub also keeps the full name).  Enabled /
disabled is the owner's active state (a user's other credentials, e.g. a card, follow it).
Clearing a slot deletes the PIN, and the user too when no other credential is left.

Reading: one chained Credential Get over the PIN codes (each report names the next), then a
User Get per owner; the slots are cached in the node's values and read again only when the
lock's All Users (or PIN Credential) Checksum changed.  Duplicates are refused before sending
(cache) and from the lock's Credential Report "duplicate", which names the slot holding the code.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from .cc.user_code import UserIdStatus
from .cc.user_credential import SECRET_META, OperationType, UserReportType, UserType
from .cc.user_credential_data import (
    DUPLICATE_REPORTS,
    CredentialGet,
    CredentialReport,
    CredentialReportType,
    CredentialSet,
)
from .cc.user_credential_users import (
    AllUsersChecksumGet,
    AllUsersChecksumReport,
    CredentialChecksumGet,
    CredentialChecksumReport,
    UserGet,
    UserReport,
    UserSet,
)
from .errors import (
    CCEncodeError,
    DuplicateUserCode,
    NodeError,
    NodeNotFound,
    ZWaveError,
)
from .locks import CodeSlot, LockCodes, status_name
from .locks_credential_cache import (
    CC,
    NAME,
    PIN,
    V,
    apply_pin,
    cached_credential_slots,
    credential_slot,
    exchange,
    lock_name,
    pin_caps,
    pin_owner,
    report_name,
    type_name,
    uses_credentials,
)
from .values import ValueUpdate

if TYPE_CHECKING:
    from .driver import Driver

_LOGGER = logging.getLogger(__name__)

SYNCED_CHECKSUM = "lock_codes_synced_checksum"
SETTABLE = (UserIdStatus.ENABLED, UserIdStatus.DISABLED)
OK_USER = (UserReportType.ADDED, UserReportType.MODIFIED, UserReportType.UNCHANGED)
OK_CREDENTIAL = (CredentialReportType.ADDED, CredentialReportType.MODIFIED, CredentialReportType.UNCHANGED)


class CredentialLockCodes(LockCodes):
    """PIN code slots of one User Credential lock (see the module docstring)."""

    def __init__(self, driver: Driver, node_id: int) -> None:
        node = driver.nodes.get(node_id)
        if not uses_credentials(node):
            raise NodeNotFound(f"node {node_id} has no user credentials", node_id)
        assert node is not None
        self._driver = driver
        self.node = node

    def __repr__(self) -> str:
        return f"CredentialLockCodes(node={self.node.node_id}, version={self.version})"

    # --- capabilities ---------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self.node.cc_version(CC)

    def _cached(self, prop: str, key: Any = None) -> Any:
        return self.node.get_value(CC, prop, key)

    @property
    def supports_checksum(self) -> bool:
        return bool(
            self._cached(V.SUPPORTS_ALL_USERS_CHECKSUM) or self._cached(V.SUPPORTS_CREDENTIAL_CHECKSUM)
        )

    def capabilities(self) -> dict[str, Any]:
        pin = pin_caps(self.node)
        return {
            "version": self.version,
            "command_class": "user_credential",
            "users_number": pin.get("slots"),
            "users": self._cached(V.SUPPORTED_USERS),
            "statuses": [status_name(s) for s in (UserIdStatus.AVAILABLE, *SETTABLE)],
            "keypad_modes": [],
            "admin_code": bool(self._cached(V.SUPPORTS_ADMIN_CODE)),
            "checksum": self.supports_checksum,
            "keys": "0123456789",
            "code_length": [pin.get("min_length") or 4, pin.get("max_length") or 10],
            "credential_types": [type_name(t) for t in self._cached(V.SUPPORTED_CREDENTIAL_TYPES) or []],
        }

    async def users_number(self) -> int:
        slots = pin_caps(self.node).get("slots")
        if not isinstance(slots, int):
            await self.node.refresh_values(CC, 0)  # the capabilities, as in the interview
            slots = pin_caps(self.node).get("slots")
        if not isinstance(slots, int) or slots < 1:
            raise NodeError(f"node {self.node.node_id} has no PIN code credentials", self.node.node_id)
        return slots

    # --- reading -------------------------------------------------------------------------

    def slots(self) -> list[CodeSlot]:
        return cached_credential_slots(self.node)

    def slot(self, slot: int) -> CodeSlot:
        return credential_slot(self.node, slot)

    async def read_all(self, *, force: bool = False) -> list[CodeSlot]:
        """All PIN slots: read once in a chain, then only when the lock's checksum changed."""
        count = await self.users_number()
        complete = all(s.status is not None for s in self.slots())
        checksum: int | None = None
        if self.supports_checksum:
            checksum = await self._checksum()
            if complete and not force and checksum == self._cached(SYNCED_CHECKSUM):
                _LOGGER.debug("Node %s: credential checksum unchanged, using the cache", self.node.node_id)
                return self.slots()
        elif complete and not force:
            return self.slots()
        await self._read_pins(count)
        if checksum is not None:
            self._store(SYNCED_CHECKSUM, checksum, meta=dict(SECRET_META))
        return self.slots()

    async def read_slot(self, slot: int) -> CodeSlot:
        report = await self._get(CredentialGet(0, PIN, slot))
        if report.slot == slot and report.credential_type == PIN and not report.empty:
            await self.node.get(UserGet(report.user_id))
        else:
            self._apply_empty(slot)
        return self.slot(slot)

    async def _checksum(self) -> int:
        if self._cached(V.SUPPORTS_ALL_USERS_CHECKSUM):
            report: Any = await self.node.get(AllUsersChecksumGet())
            assert isinstance(report, AllUsersChecksumReport)
        else:
            report = await self.node.get(CredentialChecksumGet(PIN))
            assert isinstance(report, CredentialChecksumReport)
        return report.checksum

    async def _get(self, command: CredentialGet) -> CredentialReport:
        report = await self.node.get(command)
        assert isinstance(report, CredentialReport)
        return report

    async def _read_pins(self, count: int) -> None:
        """Chain from the first PIN: each report names the next credential (of any type, so
        the chain ends at the first non-PIN one); then each owner's User Get."""
        owners: dict[int, int] = {}
        report = await self._get(CredentialGet(0, PIN, 0))
        for _ in range(count + 1):
            if report.credential_type == PIN and 1 <= report.slot <= count and not report.empty:
                owners[report.slot] = report.user_id
            nxt = report.next_slot
            if report.next_type != PIN or not report.slot < nxt <= count:
                break
            report = await self._get(CredentialGet(0, PIN, nxt))
        for slot in range(1, count + 1):
            if slot not in owners:
                self._apply_empty(slot)
        for user_id in sorted(set(owners.values())):
            await self.node.get(UserGet(user_id))

    # --- writing -------------------------------------------------------------------------

    async def set_code(
        self, slot: int, code: str, *, status: int = UserIdStatus.ENABLED, name: str | None = None
    ) -> CodeSlot:
        """Store ``code`` in PIN slot ``slot`` (creating its user, enabled unless ``status``
        says disabled).  Raises CCEncodeError for a bad slot/code/status, DuplicateUserCode when
        another slot holds the code (cache, or the lock's duplicate report)."""
        await self._check_slot(slot)
        if status not in SETTABLE:
            raise CCEncodeError(f"the lock does not support the status {status_name(status)}")
        pin = pin_caps(self.node)
        low, high = pin.get("min_length") or 4, pin.get("max_length") or 10
        if (
            not isinstance(code, str)
            or not code.isascii()
            or not code.isdigit()
            or not low <= len(code) <= high
        ):
            raise CCEncodeError(f"user code must be {low} to {high} digits")
        for other in self.slots():
            if other.slot != slot and other.in_use and other.code == code:
                raise DuplicateUserCode(self.node.node_id, slot, other.slot)
        async with self._in_sync():
            user_id = await self._store_pin(slot, code, status == UserIdStatus.ENABLED, name)
        if name is not None:
            self.set_name(slot, name)
        _LOGGER.debug(
            "Node %s: PIN slot %s set (user %s, %s)", self.node.node_id, slot, user_id, status_name(status)
        )
        return self.slot(slot)

    async def clear_code(self, slot: int) -> CodeSlot:
        """Delete the PIN in ``slot`` (and its user when it has no credential left)."""
        await self._check_slot(slot)
        if self.slot(slot).status is None:
            await self.read_slot(slot)
        owner = pin_owner(self.node, slot)
        if owner:
            async with self._in_sync():
                await self._set_credential(slot, CredentialSet(owner, PIN, slot, OperationType.DELETE))
                self._apply_empty(slot)
                rest = await self._get(CredentialGet(owner, 0, 0))
                if rest.empty or not rest.slot:
                    await self._set_user(UserSet(OperationType.DELETE, owner))
        self.set_name(slot, None)
        return self.slot(slot)

    async def set_status(self, slot: int, status: int) -> CodeSlot:
        """Enable / disable the slot's user (its code stays)."""
        if status not in SETTABLE:
            raise CCEncodeError(f"the lock does not support the status {status_name(status)}")
        current = self.slot(slot)
        if not current.in_use:
            current = await self.read_slot(slot)
        owner = pin_owner(self.node, slot)
        if not current.in_use or not isinstance(owner, int) or not owner:
            raise CCEncodeError(f"slot {slot} has no code")
        async with self._in_sync():
            await self._set_user(
                self._user_set(OperationType.MODIFY, owner, status == UserIdStatus.ENABLED, None)
            )
        return self.slot(slot)

    def set_name(self, slot: int, name: str | None) -> None:
        """The hub's name for a slot (kept with the network; the lock gets it at the next set)."""
        self._store(NAME, name or None, slot)

    @contextlib.asynccontextmanager
    async def _in_sync(self) -> AsyncIterator[None]:
        """Our own change keeps the cache in sync with the lock when it was in sync just before
        (checksum then == the synced one): the next read needs no full re-read."""
        synced = self._cached(SYNCED_CHECKSUM)
        was_synced = synced is not None and self.supports_checksum and await self._checksum() == synced
        yield
        if was_synced:
            self._store(SYNCED_CHECKSUM, await self._checksum(), meta=dict(SECRET_META))

    async def _store_pin(self, slot: int, code: str, active: bool, name: str | None) -> int:
        """Add / change the slot's user, then its PIN (the user is removed again if the PIN is
        refused); returns the user id."""
        current = self.slot(slot)
        if current.status is None:
            current = await self.read_slot(slot)
        owner = pin_owner(self.node, slot) if current.in_use else None
        user_id, created = await self._ensure_user(slot, owner, active, name)
        operation = OperationType.MODIFY if current.in_use else OperationType.ADD
        try:
            await self._set_credential(
                slot, CredentialSet(user_id, PIN, slot, operation, code.encode("ascii"))
            )
        except ZWaveError:
            if created:  # do not leave an empty user behind
                await self._delete_user_quietly(user_id)
            raise
        apply_pin(self.node, slot, user_id, code)  # also when the lock reports only a hash, or nothing
        return user_id

    async def _check_slot(self, slot: int) -> None:
        count = await self.users_number()
        if isinstance(slot, bool) or not isinstance(slot, int) or not 1 <= slot <= count:
            raise CCEncodeError(f"slot must be 1..{count}")

    # --- users ---------------------------------------------------------------------------

    async def _ensure_user(
        self, slot: int, owner: int | None, active: bool, name: str | None
    ) -> tuple[int, bool]:
        """The user that gets the PIN (slot's owner, else user N, else the lowest free id),
        added or changed to ``active`` / ``name``; returns (user id, created)."""
        if owner:
            await self._set_user(self._user_set(OperationType.MODIFY, owner, active, name))
            return owner, False
        supported = int(self._cached(V.SUPPORTED_USERS) or 0)
        owners = {s.slot: pin_owner(self.node, s.slot) for s in self.slots()}
        taken = {o for o in owners.values() if isinstance(o, int) and o}
        candidates = [slot] if slot <= supported else []
        candidates += [u for u in range(1, supported + 1) if u not in taken and u != slot]
        for user_id in candidates[:8]:
            report = await self._set_user(
                self._user_set(OperationType.ADD, user_id, active, name), strict=False
            )
            if report is None or report.report_type in OK_USER:
                return user_id, report is None or report.report_type == UserReportType.ADDED
            if report.report_type == UserReportType.ADD_REJECTED_LOCATION_OCCUPIED and user_id == slot:
                await self._set_user(self._user_set(OperationType.MODIFY, user_id, active, name))
                return user_id, False
        raise NodeError(f"node {self.node.node_id} has no free user for slot {slot}", self.node.node_id)

    def _user_set(self, operation: int, user_id: int, active: bool, name: str | None) -> UserSet:
        """A User Set keeping what the lock knows of the user (type, rule, name unless given)."""
        keep = operation == OperationType.MODIFY
        user_type = self._cached(V.USER_TYPE, user_id) if keep else None
        rule = self._cached(V.CREDENTIAL_RULE, user_id) if keep else None
        timeout = self._cached(V.EXPIRING_TIMEOUT, user_id) if keep else None
        if name is None:
            name = (self._cached(V.USER_NAME, user_id) if keep else None) or ""
        encoding, text = lock_name(self.node, name)
        return UserSet(
            operation,
            user_id,
            UserType.GENERAL if user_type is None else user_type,
            active,
            rule or 1,
            timeout or 0,
            encoding,
            text,
        )

    async def _set_user(self, command: UserSet, *, strict: bool = True) -> UserReport | None:
        report = await exchange(self.node, command, self._driver.options.report_timeout)
        if report is not None and not isinstance(report, UserReport):
            report = None
        if strict and report is not None and report.report_type not in (*OK_USER, UserReportType.DELETED):
            reason = report_name(report.report_type, UserReportType)
            raise NodeError(
                f"node {self.node.node_id} refused user {command.user_id}: {reason}", self.node.node_id
            )
        return report

    async def _delete_user_quietly(self, user_id: int) -> None:
        try:
            await self._set_user(UserSet(OperationType.DELETE, user_id), strict=False)
        except NodeError as err:
            _LOGGER.debug("Node %s: could not delete user %s again: %s", self.node.node_id, user_id, err)

    # --- credentials ---------------------------------------------------------------------

    async def _set_credential(self, slot: int, command: CredentialSet) -> None:
        report = await exchange(self.node, command, self._driver.options.report_timeout)
        if report is None or not isinstance(report, CredentialReport) or report.report_type in OK_CREDENTIAL:
            return
        if report.report_type == CredentialReportType.DELETED:
            return
        node_id = self.node.node_id
        if report.report_type in DUPLICATE_REPORTS:
            other = (
                report.slot if report.report_type == CredentialReportType.DUPLICATE and report.slot else None
            )
            raise DuplicateUserCode(node_id, slot, other if other != slot else None)
        if report.report_type == CredentialReportType.MANUFACTURER_SECURITY_RULES:
            raise CCEncodeError("the lock refused the code (its security rules, e.g. too simple)")
        reason = report_name(report.report_type)
        raise NodeError(f"node {node_id} refused the code for slot {slot}: {reason}", node_id)

    def _apply_empty(self, slot: int) -> None:
        apply_pin(self.node, slot, 0, "")

    def _store(self, prop: str, value: Any, key: Any = None, meta: dict[str, Any] | None = None) -> None:
        self.node.apply_update(CC, 0, ValueUpdate(prop, value, key, meta=meta or {}))


__all__ = ["CredentialLockCodes", "cached_credential_slots", "credential_slot", "uses_credentials"]
