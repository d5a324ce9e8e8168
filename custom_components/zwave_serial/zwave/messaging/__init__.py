"""Talking to nodes: encapsulation (multi channel, supervision, multi command) and the
:class:`NodeMessenger` (commands out with retries and the wake-up queue, reports in)."""

from __future__ import annotations

from .messenger import MessengerHost, NodeContext, NodeMessenger

__all__ = ["MessengerHost", "NodeContext", "NodeMessenger"]
