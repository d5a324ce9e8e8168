"""Network cache: interview results and values, as JSON through an injected load/save interface.

The integration passes a store backed by Home Assistant's storage; the CLI a JSON file; tests
:class:`MemoryCache`.  The cache is private storage: it holds user codes, which is why nothing
here logs its content.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

_LOGGER = logging.getLogger(__name__)

#: 2: adds the SmartStart provisioning list ("provisioning") and each node's "dsk".
CACHE_VERSION = 2


def migrate_cache(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The cache in the current format (older versions converted), or None when it cannot
    be read (unknown version)."""
    if not isinstance(data, dict):
        return None
    version = data.get("version")
    if version == 1:
        data = {**data, "version": 2, "provisioning": []}
        version = 2
    if version != CACHE_VERSION:
        return None
    return data


class CacheStore(Protocol):
    """Where the driver keeps its network cache."""

    async def load(self) -> dict[str, Any] | None:
        """Return the saved data, or None when nothing was saved."""

    async def save(self, data: dict[str, Any]) -> None:
        """Persist ``data`` (a JSON-serialisable dict)."""


class MemoryCache:
    """A cache that lives as long as the object (tests, one-shot CLI runs)."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data = data
        self.saves = 0

    async def load(self) -> dict[str, Any] | None:
        return json.loads(json.dumps(self.data)) if self.data is not None else None

    async def save(self, data: dict[str, Any]) -> None:
        self.data = json.loads(json.dumps(data))
        self.saves += 1


class JsonFileCache:
    """A cache in a JSON file, written atomically (write to a temp file, then rename)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    async def load(self) -> dict[str, Any] | None:
        return await asyncio.to_thread(self._load)

    async def save(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, indent=1, sort_keys=True)
        await asyncio.to_thread(self._write, text)

    def _load(self) -> dict[str, Any] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            _LOGGER.warning("Ignoring unreadable cache file %s: %s", self.path, err)
            return None
        return data if isinstance(data, dict) else None

    def _write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cache-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
