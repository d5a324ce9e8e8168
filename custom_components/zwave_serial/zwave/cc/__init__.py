"""Command classes: one module per CC, loaded here so that their commands register.

Public helpers: :func:`decode_command`, :func:`cc_info`, :class:`CommandClass`.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import (
    CCCommand,
    CCContext,
    CCInfo,
    all_commands,
    cc_info,
    decode_command,
    implemented_ccs,
    lookup,
    register,
    register_cc,
)
from .ids import CommandClass, cc_name

_FRAMEWORK = {"base", "ids", "primitives"}

for _mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _mod.name not in _FRAMEWORK and not _mod.name.startswith("_"):
        importlib.import_module(f".{_mod.name}", __name__)

__all__ = [
    "CCCommand",
    "CCContext",
    "CCInfo",
    "CommandClass",
    "all_commands",
    "cc_info",
    "cc_name",
    "decode_command",
    "implemented_ccs",
    "lookup",
    "register",
    "register_cc",
]
