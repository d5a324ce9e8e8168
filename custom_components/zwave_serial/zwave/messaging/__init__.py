"""Talking to nodes: encapsulation (multi channel, supervision, multi command), Transport
Service (segmentation and reassembly), the :class:`NodeMessenger` (commands out with retries
and the wake-up queue) and its receive path (:mod:`.receiver`)."""

from __future__ import annotations

from .messenger import DEFAULT_MAX_PAYLOAD_SIZE, MessengerHost, NodeContext, NodeMessenger
from .transport_service import TransportService

__all__ = ["DEFAULT_MAX_PAYLOAD_SIZE", "MessengerHost", "NodeContext", "NodeMessenger", "TransportService"]
