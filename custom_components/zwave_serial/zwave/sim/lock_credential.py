"""Virtual newer door lock speaking User Credential CC (0x83) instead of User Code.

A :class:`~.lock.DoorLock` (Door Lock v4, Notification, Battery, Supervision, Time) whose users
and PIN code credentials live in User Credential v1: capabilities, User Set/Get (add, modify,
delete, active state, names), Credential Set/Get (add, modify, delete, chained reads through the
"next credential" fields), duplicate refusal (a Credential Report "duplicate" naming the slot
that holds the code, then Supervision FAIL, as real locks do), User Credential Association,
and the All Users / User / Credential checksums (CRC-16-CCITT, init 0x1D0F, over the data the
spec lists: CC:0083.01.15/17/19.11.002).  Its own encoder, independent of the driver's codecs.
Behaviour follows the specification's requirements as Z-Wave JS's mock lock implements them
(``packages/zwave-js/src/lib/node/mockCCBehaviors/UserCredential.ts``).

:func:`start_credential_demo` runs a small network with it (node 2) for tests and demos.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cc.crc16 import crc16_ccitt
from ..security.keys import NetworkKeys, SecurityClass
from .ccutil import CC_USER_CODE, bitmask, u16
from .lock import EV_KEYPAD_UNLOCK, MODE_UNSECURED, DoorLock
from .node import NodeInfo, RxContext
from .security import demo_private_key

if TYPE_CHECKING:
    from .demo import DemoStick

CC_USER_CREDENTIAL = 0x83
PIN = 0x01
ADD, MODIFY, DELETE = 0, 1, 2
# report types (users / credentials share the first ones)
ADDED, MODIFIED, DELETED, UNCHANGED, RESPONSE_TO_GET = 0, 1, 2, 3, 4
REJECTED_OCCUPIED, REJECTED_EMPTY, DUPLICATE, SECURITY_RULES, WRONG_USER = 5, 6, 7, 8, 9
DNE, MOD_ZWAVE, MOD_LOCAL = 0x00, 0x02, 0x03
USER_TYPES = {0, 3, 4, 5, 6, 7, 9}


@dataclass
class SimUser:
    user_type: int = 0
    active: bool = True
    rule: int = 1
    expiring: int = 0
    encoding: int = 0
    name: bytes = b""
    modifier: int = MOD_LOCAL
    modifier_node: int = 0


@dataclass
class SimCredential:
    user_id: int
    data: bytes
    modifier: int = MOD_LOCAL
    modifier_node: int = 0


class CredentialLock(DoorLock):
    """Keypad deadbolt with User Credential.  Options (besides DoorLock's): ``users`` (default
    20), ``pin_slots`` (default 20), ``name_length`` (16), ``all_users_checksum`` (True),
    ``credential_checksum`` (True), ``refuse_weak_codes`` (False; True: "1111" or "1234" gets a
    Credential Report "manufacturer security rules"), ``user_code`` (False; True: also keep DoorLock's own User Code
    v2, separate codes, as a lock offering both CCs).  Tests count ``credential_gets`` /
    ``user_gets``."""

    def __init__(self, node_id: int, info: NodeInfo | None = None, **options: Any) -> None:
        super().__init__(
            node_id,
            info
            or NodeInfo(
                0x40,
                0x03,
                listening=False,
                flirs=1000,
                role_type=7,
                product_type=0x0003,
                product_id=0x0083,
                name="Credential lock",
                icon=0x0300,
            ),
            **options,
        )
        self.users_number = options.get("user_code_slots", 30)  # DoorLock's User Code slots
        if not options.get("user_code", False):  # User Credential only
            self._handlers.pop(CC_USER_CODE, None)
            self.cc_versions.pop(CC_USER_CODE, None)
            self.nif_ccs.remove(CC_USER_CODE)
        self.max_users: int = options.get("users", 20)
        self.pin_slots: int = options.get("pin_slots", 20)
        self.name_length: int = options.get("name_length", 16)
        self.all_users_checksum: bool = options.get("all_users_checksum", True)
        self.credential_checksum: bool = options.get("credential_checksum", True)
        self.refuse_weak: bool = options.get("refuse_weak_codes", False)
        self.users: dict[int, SimUser] = {}
        self.credentials: dict[tuple[int, int], SimCredential] = {}
        self.credential_gets = 0
        self.user_gets = 0
        self.register(CC_USER_CREDENTIAL, self._user_credential, version=1)

    # ----------------------------------------------------------------- local programming
    def add_pin(
        self, slot: int, code: str, user_id: int | None = None, *, active: bool = True, name: str = ""
    ) -> None:
        """Program a user and PIN at the lock (the hub is not told)."""
        uid = user_id or slot
        self.users.setdefault(uid, SimUser(active=active, name=name.encode("ascii")))
        self.credentials[(PIN, slot)] = SimCredential(uid, code.encode("ascii"))

    def pin(self, slot: int) -> str | None:
        """The PIN in ``slot`` (None: empty)."""
        cred = self.credentials.get((PIN, slot))
        return cred.data.decode("ascii") if cred else None

    def keypad_enter(self, code: str) -> bool:
        """Someone types ``code``: an active user's PIN unlocks the door."""
        for (ctype, _slot), cred in self.credentials.items():
            user = self.users.get(cred.user_id)
            if ctype == PIN and cred.data == code.encode("ascii") and user is not None and user.active:
                self._local(MODE_UNSECURED, EV_KEYPAD_UNLOCK)
                return True
        return False

    # ----------------------------------------------------------------- encoding
    def _user_report(self, report_type: int, uid: int, next_uid: int = 0) -> bytes:
        user = self.users.get(uid)
        if user is None:
            user = SimUser(active=False, modifier=DNE)
        return (
            bytes((CC_USER_CREDENTIAL, 0x07, report_type))
            + u16(next_uid)
            + bytes((user.modifier,))
            + u16(user.modifier_node)
            + u16(uid)
            + bytes((user.user_type, 1 if user.active else 0, user.rule))
            + u16(user.expiring)
            + bytes((user.encoding, len(user.name)))
            + user.name
        )

    def _credential_report(
        self,
        report_type: int,
        uid: int,
        ctype: int,
        slot: int,
        cred: SimCredential | None,
        nxt: tuple[int, int] = (0, 0),
    ) -> bytes:
        data = cred.data if cred else b""
        modifier, mod_node = (cred.modifier, cred.modifier_node) if cred else (DNE, 0)
        return (
            bytes((CC_USER_CREDENTIAL, 0x0C, report_type))
            + u16(uid)
            + bytes((ctype,))
            + u16(slot)
            + bytes((0x80, len(data)))
            + data
            + bytes((modifier,))
            + u16(mod_node)
            + bytes((nxt[0],))
            + u16(nxt[1])
        )

    def _sorted(self, user_id: int = 0) -> list[tuple[int, int]]:
        return sorted(k for k, c in self.credentials.items() if not user_id or c.user_id == user_id)

    def _next(self, after: tuple[int, int], user_id: int = 0) -> tuple[int, int]:
        return next((k for k in self._sorted(user_id) if k > after), (0, 0))

    def _user_checksum_data(self, uid: int) -> bytes:
        user = self.users[uid]
        out = (
            bytes((user.user_type, 1 if user.active else 0, user.rule, user.encoding, len(user.name)))
            + user.name
        )
        for ctype, slot in self._sorted(uid):
            data = self.credentials[(ctype, slot)].data
            out += bytes((ctype,)) + u16(slot) + bytes((len(data),)) + data
        return out

    def all_users_checksum_value(self) -> int:
        data = b"".join(u16(uid) + self._user_checksum_data(uid) for uid in sorted(self.users))
        return crc16_ccitt(data) if data else 0

    def credential_checksum_value(self, ctype: int) -> int:
        data = b"".join(
            u16(s) + bytes((len(self.credentials[(t, s)].data),)) + self.credentials[(t, s)].data
            for t, s in self._sorted()
            if t == ctype
        )
        return crc16_ccitt(data) if data else 0

    # ----------------------------------------------------------------- handler
    def _user_credential(self, ctx: RxContext, cmd: int, payload: bytes) -> None:
        if cmd == 0x01:
            flags = (0x40 if self.all_users_checksum else 0) | 0x20 | (0x01 << 2)
            types = bitmask(USER_TYPES)
            ctx.reply(
                bytes((CC_USER_CREDENTIAL, 0x02))
                + u16(self.max_users)
                + bytes((0x02, self.name_length, flags, len(types)))
                + types
            )
        elif cmd == 0x03:
            ctx.reply(
                bytes((CC_USER_CREDENTIAL, 0x04, 0x80 if self.credential_checksum else 0, 1, PIN, 0))
                + u16(self.pin_slots)
                + bytes((4, 10, 0, 0, 0))
            )
        elif cmd == 0x05 and len(payload) >= 3:
            self._user_set(ctx, payload)
        elif cmd == 0x06 and len(payload) >= 2:
            self.user_gets += 1
            uid = int.from_bytes(payload[0:2], "big") or min(self.users, default=0)
            ctx.reply(
                self._user_report(RESPONSE_TO_GET, uid, next((u for u in sorted(self.users) if u > uid), 0))
            )
        elif cmd == 0x0A and len(payload) >= 6:
            self._credential_set(ctx, payload)
        elif cmd == 0x0B and len(payload) >= 5:
            self.credential_gets += 1
            self._credential_get(
                ctx, int.from_bytes(payload[0:2], "big"), payload[2], int.from_bytes(payload[3:5], "big")
            )
        elif cmd == 0x12 and len(payload) >= 5:
            key, uid = (payload[0], int.from_bytes(payload[1:3], "big")), int.from_bytes(payload[3:5], "big")
            cred = self.credentials.get(key)
            ok = cred is not None and uid in self.users
            if cred is not None and ok:
                cred.user_id = uid
            ctx.reply(bytes((CC_USER_CREDENTIAL, 0x13)) + payload[0:5] + bytes((0 if ok else 0x01,)))
            if not ok:
                ctx.fail()
        elif cmd == 0x14 and self.all_users_checksum:
            ctx.reply(bytes((CC_USER_CREDENTIAL, 0x15)) + u16(self.all_users_checksum_value()))
        elif cmd == 0x16 and len(payload) >= 2:
            uid = int.from_bytes(payload[0:2], "big")
            data = u16(uid) + self._user_checksum_data(uid) if uid in self.users else b""
            ctx.reply(
                bytes((CC_USER_CREDENTIAL, 0x17)) + payload[0:2] + u16(crc16_ccitt(data) if data else 0)
            )
        elif cmd == 0x18 and payload and self.credential_checksum:
            ctx.reply(
                bytes((CC_USER_CREDENTIAL, 0x19, payload[0]))
                + u16(self.credential_checksum_value(payload[0]))
            )

    def _user_set(self, ctx: RxContext, payload: bytes) -> None:
        operation, uid = payload[0] & 0x03, int.from_bytes(payload[1:3], "big")
        if operation == DELETE:
            for gone in [uid] if uid else list(self.users):
                self.users.pop(gone, None)
                for key in self._sorted(gone):
                    del self.credentials[key]
            ctx.reply(self._user_report(DELETED, uid))
            return
        if not 1 <= uid <= self.max_users or len(payload) < 10 or payload[3] not in USER_TYPES:
            ctx.fail()
            return
        name = bytes(payload[10 : 10 + payload[9]])[: self.name_length]
        new = SimUser(
            payload[3],
            bool(payload[4] & 1),
            payload[5] or 1,
            int.from_bytes(payload[6:8], "big"),
            payload[8] & 0x07,
            name,
            MOD_ZWAVE,
            ctx.src,
        )
        old = self.users.get(uid)
        if operation == ADD and old is not None:
            ctx.reply(self._user_report(REJECTED_OCCUPIED, uid))
            ctx.fail()
        elif operation == MODIFY and old is None:
            ctx.reply(self._user_report(REJECTED_EMPTY, uid))
            ctx.fail()
        elif old is not None and (
            old.user_type,
            old.active,
            old.rule,
            old.expiring,
            old.encoding,
            old.name,
        ) == (new.user_type, new.active, new.rule, new.expiring, new.encoding, new.name):
            ctx.reply(self._user_report(UNCHANGED, uid))
        else:
            self.users[uid] = new
            ctx.reply(self._user_report(ADDED if old is None else MODIFIED, uid))

    def _credential_set(self, ctx: RxContext, payload: bytes) -> None:
        uid, ctype, slot = (
            int.from_bytes(payload[0:2], "big"),
            payload[2],
            int.from_bytes(payload[3:5], "big"),
        )
        operation = payload[5] & 0x03
        if operation == DELETE:
            for key in self._sorted(uid):
                if (not ctype or key[0] == ctype) and (not slot or key[1] == slot):
                    del self.credentials[key]
            ctx.reply(self._credential_report(DELETED, uid, ctype, slot, None))
            return
        data = bytes(payload[7 : 7 + payload[6]]) if len(payload) >= 7 else b""
        if ctype != PIN or not 1 <= slot <= self.pin_slots or not 4 <= len(data) <= 10 or not data.isdigit():
            ctx.fail()
            return
        occupied = self.credentials.get((ctype, slot))
        refusal: bytes | None = None
        if uid not in self.users:
            refusal = self._credential_report(WRONG_USER, uid, ctype, slot, None)
        elif operation == ADD and occupied is not None:
            refusal = self._credential_report(REJECTED_OCCUPIED, occupied.user_id, ctype, slot, occupied)
        elif operation == MODIFY and occupied is None:
            refusal = self._credential_report(REJECTED_EMPTY, uid, ctype, slot, None)
        elif operation == MODIFY and occupied is not None and occupied.user_id != uid:
            refusal = self._credential_report(WRONG_USER, occupied.user_id, ctype, slot, occupied)
        else:
            dup = next(
                (
                    (k, c)
                    for k, c in self.credentials.items()
                    if k[0] == ctype and k != (ctype, slot) and c.data == data
                ),
                None,
            )
            if dup is not None:  # real locks name the credential that already holds the code
                refusal = self._credential_report(DUPLICATE, dup[1].user_id, ctype, dup[0][1], dup[1])
            elif self.refuse_weak and (len(set(data)) == 1 or data in b"0123456789"):
                refusal = self._credential_report(SECURITY_RULES, uid, ctype, slot, occupied)
        if refusal is not None:
            ctx.reply(refusal)
            ctx.fail()
            return
        if occupied is not None and occupied.data == data:
            ctx.reply(self._credential_report(UNCHANGED, uid, ctype, slot, occupied))
            return
        cred = SimCredential(uid, data, MOD_ZWAVE, ctx.src)
        self.credentials[(ctype, slot)] = cred
        ctx.reply(self._credential_report(ADDED if occupied is None else MODIFIED, uid, ctype, slot, cred))

    def _credential_get(self, ctx: RxContext, uid: int, ctype: int, slot: int) -> None:
        if uid and uid not in self.users:
            ctx.reply(self._credential_report(RESPONSE_TO_GET, uid, ctype, slot, None))
            return
        if ctype and slot:
            cred = self.credentials.get((ctype, slot))
            if cred is not None and uid and cred.user_id != uid:
                cred = None
            owner = cred.user_id if cred else uid
            ctx.reply(
                self._credential_report(
                    RESPONSE_TO_GET, owner, ctype, slot, cred, self._next((ctype, slot), uid)
                )
            )
            return
        if not ctype and slot:
            return  # an invalid combination is ignored
        match = next((k for k in self._sorted(uid) if not ctype or k[0] == ctype), None)
        if match is None:
            ctx.reply(
                self._credential_report(RESPONSE_TO_GET, uid, ctype, 0, None, self._next((ctype, 0), uid))
            )
            return
        cred = self.credentials[match]
        ctx.reply(
            self._credential_report(
                RESPONSE_TO_GET, cred.user_id, match[0], match[1], cred, self._next(match, uid)
            )
        )


async def start_credential_demo(
    *, strict: bool = True, keys: NetworkKeys | None = None, **options: Any
) -> DemoStick:
    """A small network on a pty: the stick and a User Credential lock (node 2, S2 Access
    Control with the demo keys).  Options go to the lock (``bolt_time``, ``users``...)."""
    from .demo import DEMO_NETWORK_KEYS, DemoStick
    from .stick import VirtualStick

    stick = VirtualStick(home_id=options.pop("home_id", 0xC0FFEE83), strict=strict)
    stick.add_node(
        CredentialLock(
            2,
            security=(SecurityClass.S2_AccessControl,),
            keys=keys or DEMO_NETWORK_KEYS,
            private_key=demo_private_key("credential lock"),
            **options,
        )
    )
    port = await stick.start_pty(None)
    return DemoStick(stick, port)


__all__ = ["CredentialLock", "start_credential_demo"]
