"""The progress event of NVM backups and restores (emitted through ``Driver.subscribe``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DriverEvent

# Phases, in the order a restore goes through them
PHASE_READING = "reading"  # backup, or the pre-restore backup of a restore
PHASE_WRITING = "writing"
PHASE_VERIFYING = "verifying"
PHASE_ROLLING_BACK = "rolling_back"  # the write or its check failed: the pre-restore image goes back
PHASE_RESTARTING = "restarting"  # soft reset and start-up with the new memory
PHASE_DONE = "done"
PHASE_FAILED = "failed"


@dataclass(frozen=True, slots=True)
class NvmProgressEvent(DriverEvent):
    """``operation`` is ``backup`` or ``restore``; ``done``/``total`` count bytes of the phase.

    Sent at most once per percent of a phase, and at every phase change."""

    operation: str
    phase: str
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return 100 if self.total <= 0 else min(100, self.done * 100 // self.total)
