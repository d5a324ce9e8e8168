"""Backup files: the raw image plus a JSON sidecar, kept in a folder with retention.

``nvm_<home id>_<UTC time>.bin`` holds the bytes exactly as read from the stick;
``nvm_<home id>_<UTC time>.json`` says what they are: format, series, size, home ID, own
node ID, the node ids, protocol and application versions, SHA-256 of the image, when and by
which software it was made, and whether it is a regular or a pre-restore backup.  The
sidecar never contains a network key (it is built from the description, which has none).

Blocking file I/O: call from an executor inside an event loop.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .convert import parse_image
from .errors import NvmError, NvmFormatError, NvmNotSupported, NvmRestoreRefused

SIDECAR_VERSION = 1
SOFTWARE = "zwave_serial"
KIND_BACKUP = "backup"
KIND_PRE_RESTORE = "pre_restore"
_NAME = re.compile(r"^nvm_([0-9a-f]{8}|unknown)_(\d{8}T\d{6}(?:\d{6})?Z)(_pre_restore)?\.bin$")


def sidecar_for(data: bytes, *, created: datetime | None = None, software: str = SOFTWARE, kind: str = KIND_BACKUP) -> dict[str, Any]:
    """The sidecar of an image (an unparseable image gets ``format`` "unknown")."""
    created = created or datetime.now(UTC)
    out: dict[str, Any] = {"version": SIDECAR_VERSION, "kind": kind}
    try:
        desc = parse_image(data)
    except (NvmFormatError, NvmNotSupported) as err:
        out.update(format="unknown", series=None, home_id=None, nodes=[], error=str(err))
    else:
        out.update(
            format=desc.format,
            series=desc.series,
            home_id=f"{desc.home_id:08x}",
            own_node_id=desc.own_node_id,
            protocol_version=desc.protocol_version,
            application_version=desc.application_version,
            nodes=desc.node_ids,
        )
    out.update(
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created=created.astimezone(UTC).isoformat(timespec="seconds"),
        software=software,
    )
    return out


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One backup in a folder."""

    path: Path
    sidecar: dict[str, Any]

    @property
    def sidecar_path(self) -> Path:
        return self.path.with_suffix(".json")

    @property
    def created(self) -> datetime:
        try:
            return datetime.fromisoformat(self.sidecar["created"])
        except (KeyError, TypeError, ValueError):
            return datetime.fromtimestamp(self.path.stat().st_mtime, UTC)

    @property
    def home_id(self) -> str | None:
        return self.sidecar.get("home_id")

    @property
    def kind(self) -> str:
        return self.sidecar.get("kind", KIND_BACKUP)

    @property
    def nodes(self) -> list[int]:
        return list(self.sidecar.get("nodes") or [])


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save_backup(
    folder: str | os.PathLike[str],
    data: bytes,
    *,
    kind: str = KIND_BACKUP,
    software: str = SOFTWARE,
    now: datetime | None = None,
) -> BackupFile:
    """Write ``data`` and its sidecar into ``folder`` (created if needed); returns the file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    sidecar = sidecar_for(data, created=now, software=software, kind=kind)
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    suffix = "_pre_restore" if kind == KIND_PRE_RESTORE else ""
    path = folder / f"nvm_{sidecar.get('home_id') or 'unknown'}_{stamp}{suffix}.bin"
    _atomic_write(path, bytes(data))
    _atomic_write(path.with_suffix(".json"), json.dumps(sidecar, indent=2).encode())
    return BackupFile(path, sidecar)


def save_pair(path: str | os.PathLike[str], data: bytes, *, software: str = SOFTWARE) -> BackupFile:
    """Write ``data`` to ``path`` and its sidecar next to it (``path`` with ``.json``)."""
    path = Path(path)
    sidecar = sidecar_for(data, software=software)
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, bytes(data))
    _atomic_write(path.with_suffix(".json"), json.dumps(sidecar, indent=2).encode())
    return BackupFile(path, sidecar)


def load_backup(path: str | os.PathLike[str]) -> tuple[bytes, dict[str, Any] | None]:
    """The image and its sidecar (None when there is none).  Raises NvmError when the file
    cannot be read, NvmRestoreRefused("checksum") when it does not match its sidecar."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise NvmError(f"cannot read the backup {path.name}: {err.strerror or err}") from err
    sidecar = None
    side = path.with_suffix(".json")
    if side.exists() and side != path:
        try:
            sidecar = json.loads(side.read_text())
        except (OSError, ValueError) as err:
            raise NvmRestoreRefused(f"the sidecar {side.name} is unreadable: {err}", "corrupt") from err
        expected = sidecar.get("sha256")
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise NvmRestoreRefused(f"{path.name} does not match the SHA-256 in its sidecar: the file is damaged", "checksum")
    return data, sidecar


def list_backups(folder: str | os.PathLike[str], *, home_id: str | None = None) -> list[BackupFile]:
    """The backups in ``folder`` (oldest first), optionally only those of one network."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not _NAME.match(path.name):
            continue
        try:
            sidecar = json.loads(path.with_suffix(".json").read_text())
        except (OSError, ValueError):
            sidecar = {}
        item = BackupFile(path, sidecar)
        if home_id is None or item.home_id == home_id:
            found.append(item)
    return sorted(found, key=lambda b: (b.created, b.path.name))


def prune(folder: str | os.PathLike[str], keep: int, *, home_id: str | None = None) -> list[Path]:
    """Delete all but the ``keep`` newest regular backups (and the ``keep`` newest pre-restore
    ones) of ``home_id``; returns the deleted image paths."""
    removed: list[Path] = []
    backups = list_backups(folder, home_id=home_id)
    for kind in (KIND_BACKUP, KIND_PRE_RESTORE):
        items = [b for b in backups if b.kind == kind]
        for item in items[: max(0, len(items) - max(1, keep))]:
            for file in (item.path, item.sidecar_path):
                try:
                    file.unlink()
                except FileNotFoundError:
                    pass
            removed.append(item.path)
    return removed
