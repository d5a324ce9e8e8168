"""Hub-managed lock schedules: for locks that keep no schedules themselves, the driver turns the
code on and off at the schedule's boundaries.

Turning off: User Code status *disabled* when the lock supports it, else the slot is cleared
(the code is kept, secret, in the node cache) and set again when the window opens.  What was
last applied is stored with the schedule in the node cache, so after a restart the current state
is computed from the schedule and a boundary missed while the hub was down is applied at once.
Timers run on the driver's loop; the clock is injectable (``LockSchedules.clock``) and
:meth:`HubScheduler.evaluate` applies whatever is due now (tests call it after moving the clock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .cc.user_code import UserIdStatus
from .errors import ZWaveError
from .lock_schedule_model import InvalidLockSchedule, LockSchedule
from .locks import LockCodes

if TYPE_CHECKING:
    from .lock_schedules import LockSchedules
    from .node import Node

_LOGGER = logging.getLogger(__name__)
METHOD_HUB = "hub"
#: Longest sleep between evaluations (bounds the effect of clock jumps and DST changes).
MAX_SLEEP = 3600.0
#: After a failed change (lock unreachable), try again this much later.
RETRY_AFTER = 60.0


class HubScheduler:
    """Applies hub-managed schedules of every lock of one driver."""

    def __init__(self, owner: LockSchedules) -> None:
        self._owner = owner
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        #: Number of changes applied (enable/disable sent); tests and diagnostics.
        self.changes = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = self._owner.driver.create_task(self._run(), "hub-managed lock schedules")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """Re-evaluate now (a schedule was added or removed, or the clock moved)."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                upcoming = await self.evaluate()
                delay = MAX_SLEEP
                if upcoming is not None:
                    delay = min(MAX_SLEEP, max(0.0, (upcoming - self._owner.now()).total_seconds()))
            except ZWaveError as err:
                _LOGGER.debug("Hub-managed lock schedules: %s; retrying", err)
                delay = RETRY_AFTER
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    async def evaluate(self) -> datetime | None:
        """Bring every hub-managed slot to the state its schedule wants now; returns the next
        boundary (None: nothing scheduled).  Raises the first ZWaveError after trying all."""
        now = self._owner.now()
        upcoming: datetime | None = None
        failure: ZWaveError | None = None
        for node in list(self._owner.driver.nodes.values()):
            for slot, record in self._owner.records(node).items():
                if record.get("method") != METHOD_HUB:
                    continue
                try:
                    schedule = LockSchedule.from_dict(record["schedule"])
                except (InvalidLockSchedule, KeyError, TypeError):
                    _LOGGER.warning("Node %s: unreadable schedule of slot %s ignored", node.node_id, slot)
                    continue
                boundary = schedule.next_boundary(now)
                if boundary is not None and (upcoming is None or boundary < upcoming):
                    upcoming = boundary
                try:
                    async with self._owner.lock(node):
                        current = self._owner.records(node).get(slot)
                        if current is not None and current.get("method") == METHOD_HUB:
                            await self.apply(node, slot, current, schedule.active(now))
                except ZWaveError as err:
                    failure = failure or err
        if failure is not None:
            raise failure
        return upcoming

    async def apply(self, node: Node, slot: int, record: dict[str, Any], allowed: bool) -> None:
        """Enable or disable ``slot`` unless it already is (as recorded)."""
        if record.get("applied") is allowed:
            return
        codes = LockCodes(self._owner.driver, node.node_id)
        if record.get("via") == "status":
            await codes.set_status(slot, UserIdStatus.ENABLED if allowed else UserIdStatus.DISABLED)
        else:
            current = codes.slot(slot).code
            if current and current != self._owner.stored_code(node, slot):
                self._owner.store_code(node, slot, current)  # the code was changed meanwhile
            code = self._owner.stored_code(node, slot)
            if not code:
                raise ZWaveError(f"node {node.node_id}: no stored code for slot {slot}")
            if allowed:
                await codes.set_code(slot, code)
            else:
                name = codes.slot(slot).name
                await codes.clear_code(slot)
                codes.set_name(slot, name)
        self.changes += 1
        _LOGGER.debug(
            "Node %s: slot %s %s by its schedule", node.node_id, slot, "enabled" if allowed else "disabled"
        )
        self._owner.store(node, slot, {**record, "applied": allowed})
