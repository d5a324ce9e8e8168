"""Network cache of the driver, kept in Home Assistant's private storage."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORAGE_VERSION = 1


def storage_key(entry_id: str) -> str:
    """Storage key of an entry's network cache."""
    return f"{DOMAIN}.{entry_id}.network"


class HomeAssistantCache:
    """A driver ``CacheStore`` backed by :class:`homeassistant.helpers.storage.Store`.

    The cache holds interview results and values, including user codes; it is private
    storage (``.storage/``) and is never logged.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Create the store for one config entry."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry_id), private=True, atomic_writes=True
        )

    async def load(self) -> dict[str, Any] | None:
        """Return the saved cache, or None when there is none."""
        return await self._store.async_load()

    async def save(self, data: dict[str, Any]) -> None:
        """Save the cache."""
        await self._store.async_save(data)

    async def remove(self) -> None:
        """Delete the cache (the entry was removed)."""
        await self._store.async_remove()
