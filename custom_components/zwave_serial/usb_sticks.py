"""The Z-Wave sticks found by USB discovery, and the name the discovery card shows for them.

The manifest's ``usb`` matchers cover every stick Home Assistant's own Z-Wave integration
discovers (tests compare them with the installed Home Assistant's ``zwave_js`` manifest).
Sticks with a well-known name get it here; the others show their USB product string.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch


@dataclass(frozen=True)
class KnownStick:
    """A stick recognised by USB IDs and (lower-case fnmatch) descriptor patterns."""

    name: str
    vid: str
    pid: str
    description: str | None = None
    manufacturer: str | None = None

    def matches(self, vid: str, pid: str, description: str | None, manufacturer: str | None) -> bool:
        """Home Assistant's matcher semantics: IDs equal, patterns on the lower-cased strings."""
        return (
            vid.upper() == self.vid
            and pid.upper() == self.pid
            and _fnmatch_lower(description, self.description)
            and _fnmatch_lower(manufacturer, self.manufacturer)
        )


def _fnmatch_lower(value: str | None, pattern: str | None) -> bool:
    if pattern is None:
        return True
    return value is not None and fnmatch(value.lower(), pattern)


KNOWN_STICKS: tuple[KnownStick, ...] = (
    KnownStick("Home Assistant Connect ZWA-2", "303A", "4001", "*nabu casa zwa-2*", "nabu casa"),
    KnownStick("SONOFF Z-Wave 800 Dongle Plus", "10C4", "EA60", "*sonoff*zwave*", "sonoff"),
    KnownStick("Nortek HUSBZB-1 (Z-Wave)", "10C4", "8A2A", "*z-wave*"),
)

#: CP210x USB-UART bridges are also used by Zigbee sticks (the "2652" ones): never offered.
CP210X = ("10C4", "EA60")


def is_zigbee_cp210x(vid: str, pid: str, description: str | None) -> bool:
    """A CP210x bridge whose description names a Zigbee (CC2652) chip."""
    return (vid.upper(), pid.upper()) == CP210X and "2652" in (description or "")


def stick_name(vid: str, pid: str, description: str | None, manufacturer: str | None) -> str:
    """The name the discovery card shows: a known stick's name, else its USB product string."""
    for stick in KNOWN_STICKS:
        if stick.matches(vid, pid, description, manufacturer):
            return stick.name
    if description and description.strip().lower() != "n/a":
        return description.strip()
    return f"Z-Wave stick {vid.upper()}:{pid.upper()}"
