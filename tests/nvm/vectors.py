"""Loading the NVM test vectors of ``fixtures/`` (see its README)."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
BACKUPS_700 = sorted(p.name.removesuffix(".gz") for p in FIXTURES.glob("ctrlr_backup_*00_7*.bin.gz"))
BACKUP_500 = "ctrlr_backup_500_static_6.8x.bin"
INVARIANTS_700 = sorted(p.name.removesuffix(".gz") for p in FIXTURES.glob("invariant_700_*.bin.gz"))


@cache
def image(name: str) -> bytes:
    """A fixture image (``name`` without ``.gz``)."""
    return gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())


@cache
def expected() -> dict[str, Any]:
    """nvmedit's reading of each backup fixture."""
    return json.loads((FIXTURES / "expected.json").read_text())
