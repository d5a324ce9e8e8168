"""Crypto primitives for Security S0 and S2, as pure functions over bytes.

Every block-cipher operation goes through the ``cryptography`` package (AES, CMAC, CCM,
X25519); this module only arranges the Z-Wave specific inputs around them:

* AES-128 ECB / OFB / CBC-MAC and the S0 key derivation, IV and MAC (S0, SDS10865);
* AES-CMAC (RFC 4493 / NIST SP 800-38B) and the S2 key derivation functions (CKDF);
* AES-128-CCM with a 13-byte nonce and an 8-byte tag (S2 message encapsulation);
* the NIST SP 800-90A CTR_DRBG (AES-128, no derivation function) S2 draws its nonces from;
* X25519 key pairs and shared secrets (S2 key exchange).

Objects that hold key material (:class:`S0Keys`, :class:`S2Keys`, :class:`X25519KeyPair`,
:class:`CtrDrbg`) never show it in their ``repr``.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM
from cryptography.hazmat.primitives.cmac import CMAC

from ..errors import ZWaveError

BLOCK_SIZE = 16
KEY_SIZE = 16
S0_NONCE_SIZE = 8
S0_MAC_SIZE = 8
S2_NONCE_SIZE = 13
S2_TAG_SIZE = 8
S2_ENTROPY_INPUT_SIZE = 16
S2_PERSONALIZATION_SIZE = 32
X25519_KEY_SIZE = 32

# S0: the network key encrypts these blocks into the authentication / encryption keys.
_S0_AUTH_SEED = b"\x55" * 16
_S0_ENC_SEED = b"\xaa" * 16
# S2 CKDF constants.
_CONST_PRK = b"\x33" * 16  # CKDF-TempExtract key
_CONST_TE = b"\x88" * 15  # CKDF-TempExpand
_CONST_NK = b"\x55" * 15  # CKDF-NetworkKeyExpand
_CONST_NONCE = b"\x26" * 16  # CKDF-MEI-Extract key
_CONST_EI = b"\x88" * 15  # CKDF-MEI-Expand


class AuthenticationFailed(ZWaveError):
    """An S2 CCM tag or an S0 MAC did not verify: wrong key, wrong nonce, or tampered bytes."""


def _check_len(name: str, value: bytes, size: int) -> bytes:
    value = bytes(value)
    if len(value) != size:
        raise ValueError(f"{name} must be {size} bytes, got {len(value)}")
    return value


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


# --- AES-128 block modes ------------------------------------------------------


def aes128_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    """AES-128-ECB encryption of whole 16-byte blocks (no padding)."""
    if len(data) % BLOCK_SIZE:
        raise ValueError("ECB input must be a multiple of 16 bytes")
    encryptor = Cipher(algorithms.AES(_check_len("key", key, KEY_SIZE)), modes.ECB()).encryptor()
    return encryptor.update(bytes(data)) + encryptor.finalize()


def aes128_ofb_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """AES-128-OFB (a stream mode: any length, no padding).

    The keystream is E(IV), E(E(IV)), ... computed with AES-ECB: ``cryptography`` deprecates
    its OFB mode (cryptography 50 warns), and S0 frames are at most a few blocks long.
    """
    encryptor = Cipher(algorithms.AES(_check_len("key", key, KEY_SIZE)), modes.ECB()).encryptor()
    block = _check_len("iv", iv, BLOCK_SIZE)
    data = bytes(plaintext)
    out = bytearray()
    for start in range(0, len(data), BLOCK_SIZE):
        block = encryptor.update(block)
        chunk = data[start : start + BLOCK_SIZE]
        out += _xor(chunk, block[: len(chunk)])
    return bytes(out)


def aes128_ofb_decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    """AES-128-OFB decryption (the same keystream XOR as encryption)."""
    return aes128_ofb_encrypt(key, iv, ciphertext)


def cbc_mac(key: bytes, data: bytes, iv: bytes = bytes(BLOCK_SIZE)) -> bytes:
    """S0 MAC: AES-128-CBC over ``data`` zero-padded to whole blocks; the first 8 bytes of the
    last cipher block. The Z-Wave IV is all zeros."""
    data = bytes(data)
    padded = data + bytes(-len(data) % BLOCK_SIZE)
    cipher = Cipher(
        algorithms.AES(_check_len("key", key, KEY_SIZE)), modes.CBC(_check_len("iv", iv, BLOCK_SIZE))
    )
    encryptor = cipher.encryptor()
    out = encryptor.update(padded) + encryptor.finalize()
    return out[-BLOCK_SIZE:][:S0_MAC_SIZE]


def aes_cmac(key: bytes, message: bytes) -> bytes:
    """AES-128-CMAC (RFC 4493, NIST SP 800-38B), 16 bytes."""
    mac = CMAC(algorithms.AES(_check_len("key", key, KEY_SIZE)))
    mac.update(bytes(message))
    return mac.finalize()


def aes128_ccm_encrypt(
    key: bytes, nonce: bytes, plaintext: bytes, aad: bytes, tag_length: int = S2_TAG_SIZE
) -> tuple[bytes, bytes]:
    """AES-128-CCM; returns ``(ciphertext, tag)``. S2 uses a 13-byte nonce and an 8-byte tag
    (other lengths are accepted for the NIST examples)."""
    sealed = AESCCM(_check_len("key", key, KEY_SIZE), tag_length=tag_length).encrypt(
        bytes(nonce), bytes(plaintext), bytes(aad)
    )
    return sealed[:-tag_length], sealed[-tag_length:]


def aes128_ccm_decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes, tag: bytes) -> bytes:
    """AES-128-CCM decryption with the tag length of ``tag``; raises
    :class:`AuthenticationFailed` when the tag does not verify."""
    try:
        return AESCCM(_check_len("key", key, KEY_SIZE), tag_length=len(tag)).decrypt(
            bytes(nonce), bytes(ciphertext) + bytes(tag), bytes(aad)
        )
    except InvalidTag:
        raise AuthenticationFailed("CCM authentication tag does not match") from None


# --- Security S0 ----------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class S0Keys:
    """The two keys S0 derives from its network key."""

    auth_key: bytes
    enc_key: bytes

    def __repr__(self) -> str:
        return "S0Keys(<redacted>)"


def s0_derive_keys(network_key: bytes) -> S0Keys:
    """authKey = AES-ECB(networkKey, 16x0x55); encKey = AES-ECB(networkKey, 16x0xAA)."""
    return S0Keys(
        auth_key=aes128_ecb_encrypt(network_key, _S0_AUTH_SEED),
        enc_key=aes128_ecb_encrypt(network_key, _S0_ENC_SEED),
    )


def s0_iv(sender_nonce: bytes, receiver_nonce: bytes) -> bytes:
    """The OFB IV of an S0 message: sender nonce (sent in the frame) + receiver nonce."""
    return _check_len("sender nonce", sender_nonce, S0_NONCE_SIZE) + _check_len(
        "receiver nonce", receiver_nonce, S0_NONCE_SIZE
    )


def s0_auth_data(
    sender_nonce: bytes, receiver_nonce: bytes, command: int, source: int, destination: int, ciphertext: bytes
) -> bytes:
    """What the S0 MAC covers: IV, command byte (0x81/0xC1), source and destination node IDs,
    ciphertext length, ciphertext."""
    ciphertext = bytes(ciphertext)
    header = bytes([command, source, destination, len(ciphertext)])  # ValueError if > 255
    return s0_iv(sender_nonce, receiver_nonce) + header + ciphertext


def s0_compute_mac(
    auth_key: bytes,
    sender_nonce: bytes,
    receiver_nonce: bytes,
    command: int,
    source: int,
    destination: int,
    ciphertext: bytes,
) -> bytes:
    """The 8-byte MAC of an S0 Message Encapsulation."""
    return cbc_mac(
        auth_key, s0_auth_data(sender_nonce, receiver_nonce, command, source, destination, ciphertext)
    )


def s0_verify_mac(
    auth_key: bytes,
    sender_nonce: bytes,
    receiver_nonce: bytes,
    command: int,
    source: int,
    destination: int,
    ciphertext: bytes,
    mac: bytes,
) -> bool:
    """Constant-time check of a received S0 MAC."""
    expected = s0_compute_mac(
        auth_key, sender_nonce, receiver_nonce, command, source, destination, ciphertext
    )
    return hmac.compare_digest(expected, bytes(mac))


def s0_encrypt(enc_key: bytes, sender_nonce: bytes, receiver_nonce: bytes, plaintext: bytes) -> bytes:
    """Encrypt ``[frame control][CC bytes]`` for an S0 Message Encapsulation."""
    return aes128_ofb_encrypt(enc_key, s0_iv(sender_nonce, receiver_nonce), plaintext)


def s0_decrypt(enc_key: bytes, sender_nonce: bytes, receiver_nonce: bytes, ciphertext: bytes) -> bytes:
    """Decrypt the ciphertext of an S0 Message Encapsulation."""
    return aes128_ofb_decrypt(enc_key, s0_iv(sender_nonce, receiver_nonce), ciphertext)


# --- Security S2: CKDF -------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class S2Keys:
    """The keys S2 expands from a network key (or from the temporary inclusion PRK)."""

    ccm_key: bytes
    personalization: bytes  # 32 bytes, mixed into every SPAN DRBG
    mpan_key: bytes

    def __repr__(self) -> str:
        return "S2Keys(<redacted>)"


def _ckdf_expand(prk: bytes, const: bytes) -> S2Keys:
    t1 = aes_cmac(prk, const + b"\x01")
    t2 = aes_cmac(prk, t1 + const + b"\x02")
    t3 = aes_cmac(prk, t2 + const + b"\x03")
    t4 = aes_cmac(prk, t3 + const + b"\x04")
    return S2Keys(ccm_key=t1, personalization=t2 + t3, mpan_key=t4)


def ckdf_network_key_expand(network_key: bytes) -> S2Keys:
    """CKDF-NetworkKeyExpand: CCM key, personalization string and MPAN key of a permanent key."""
    return _ckdf_expand(_check_len("network key", network_key, KEY_SIZE), _CONST_NK)


def ckdf_temp_extract(shared_secret: bytes, public_key_including: bytes, public_key_joining: bytes) -> bytes:
    """CKDF-TempExtract: the 16-byte PRK from the ECDH shared secret and both public keys
    (the including node's first)."""
    message = (
        _check_len("shared secret", shared_secret, X25519_KEY_SIZE)
        + _check_len("including node's public key", public_key_including, X25519_KEY_SIZE)
        + _check_len("joining node's public key", public_key_joining, X25519_KEY_SIZE)
    )
    return aes_cmac(_CONST_PRK, message)


def ckdf_temp_expand(prk: bytes) -> S2Keys:
    """CKDF-TempExpand: the temporary CCM key and personalization string used during
    inclusion (the MPAN key is derived as libs2 does, though inclusion never uses it)."""
    return _ckdf_expand(_check_len("PRK", prk, KEY_SIZE), _CONST_TE)


def derive_temp_keys(shared_secret: bytes, public_key_including: bytes, public_key_joining: bytes) -> S2Keys:
    """TempExtract followed by TempExpand."""
    return ckdf_temp_expand(ckdf_temp_extract(shared_secret, public_key_including, public_key_joining))


def ckdf_mei_extract(sender_ei: bytes, receiver_ei: bytes) -> bytes:
    """CKDF-MEI-Extract: the nonce PRK from the sender's and the receiver's entropy inputs."""
    message = _check_len("sender EI", sender_ei, S2_ENTROPY_INPUT_SIZE) + _check_len(
        "receiver EI", receiver_ei, S2_ENTROPY_INPUT_SIZE
    )
    return aes_cmac(_CONST_NONCE, message)


def ckdf_mei_expand(nonce_prk: bytes) -> bytes:
    """CKDF-MEI-Expand: the 32-byte mixed entropy input (MEI) that seeds a SPAN DRBG."""
    t1 = aes_cmac(nonce_prk, _CONST_EI + b"\x00" + _CONST_EI + b"\x01")
    t2 = aes_cmac(nonce_prk, t1 + _CONST_EI + b"\x02")
    return t1 + t2


def ckdf_mei(sender_ei: bytes, receiver_ei: bytes) -> bytes:
    """MEI-Extract followed by MEI-Expand."""
    return ckdf_mei_expand(ckdf_mei_extract(sender_ei, receiver_ei))


# --- NIST SP 800-90A CTR_DRBG (AES-128, no derivation function) -------------------

_SEED_LEN = KEY_SIZE + BLOCK_SIZE  # 32


def _pad_seed(name: str, data: bytes) -> bytes:
    data = bytes(data)
    if len(data) > _SEED_LEN:
        raise ValueError(f"{name} must be at most {_SEED_LEN} bytes, got {len(data)}")
    return data + bytes(_SEED_LEN - len(data))


class CtrDrbg:
    """CTR_DRBG with AES-128 and no derivation function (NIST SP 800-90A §10.2.1).

    Instantiate: Key = 0, V = 0, Update(entropy XOR personalization). Generate: V += 1,
    output AES(Key, V) per block, then Update(additional input). S2 feeds the 32-byte MEI as
    entropy and the class's personalization string, and takes the first 13 bytes of each
    16-byte output as the next nonce. No reseed counter is kept (S2 never reseeds).
    """

    def __init__(self, entropy: bytes, personalization: bytes = b"") -> None:
        self._key = bytes(KEY_SIZE)
        self._v = bytes(BLOCK_SIZE)
        seed = _xor(_check_len("entropy", entropy, _SEED_LEN), _pad_seed("personalization", personalization))
        self.update(seed)

    def __repr__(self) -> str:
        return "CtrDrbg(<state redacted>)"

    def _blocks(self, count: int) -> bytes:
        """Increment V and encrypt it, ``count`` times (V is a 128-bit big-endian counter)."""
        v = int.from_bytes(self._v, "big")
        counters = b"".join(((v + i) % (1 << 128)).to_bytes(BLOCK_SIZE, "big") for i in range(1, count + 1))
        self._v = counters[-BLOCK_SIZE:]
        return aes128_ecb_encrypt(self._key, counters)

    def update(self, provided_data: bytes | None = None) -> None:
        """CTR_DRBG_Update: new (Key, V) from two counter blocks XOR ``provided_data``
        (32 bytes; ``None`` means zeros)."""
        temp = self._blocks(_SEED_LEN // BLOCK_SIZE)
        if provided_data is not None:
            temp = _xor(temp, _check_len("provided data", provided_data, _SEED_LEN))
        self._key, self._v = temp[:KEY_SIZE], temp[KEY_SIZE:]

    def reseed(self, entropy: bytes, additional_input: bytes = b"") -> None:
        """Reseed: Update(entropy XOR additional input)."""
        self.update(
            _xor(_check_len("entropy", entropy, _SEED_LEN), _pad_seed("additional input", additional_input))
        )

    def generate(self, length: int, additional_input: bytes = b"") -> bytes:
        """``length`` pseudo-random bytes."""
        if length < 0:
            raise ValueError("length must not be negative")
        extra = _pad_seed("additional input", additional_input) if additional_input else None
        if extra is not None:
            self.update(extra)
        out = self._blocks(-(-length // BLOCK_SIZE))[:length]
        self.update(extra)
        return out

    @property
    def state(self) -> tuple[bytes, bytes]:
        """``(Key, V)``, to save and later restore with :meth:`from_state`."""
        return self._key, self._v

    @classmethod
    def from_state(cls, key: bytes, v: bytes) -> CtrDrbg:
        """A DRBG continuing from a saved ``(Key, V)``."""
        drbg = cls.__new__(cls)
        drbg._key = _check_len("key", key, KEY_SIZE)
        drbg._v = _check_len("V", v, BLOCK_SIZE)
        return drbg


def span_drbg(sender_ei: bytes, receiver_ei: bytes, personalization: bytes) -> CtrDrbg:
    """The singlecast (SPAN) nonce generator for one peer: CTR_DRBG(MEI, personalization)."""
    return CtrDrbg(
        ckdf_mei(sender_ei, receiver_ei),
        _check_len("personalization", personalization, S2_PERSONALIZATION_SIZE),
    )


def next_span_nonce(drbg: CtrDrbg) -> bytes:
    """The next 13-byte S2 nonce: the first 13 bytes of a 16-byte Generate."""
    return drbg.generate(BLOCK_SIZE)[:S2_NONCE_SIZE]


def mpan_nonce(mpan_key: bytes, inner_state: bytes) -> bytes:
    """The 13-byte multicast nonce: AES-ECB(MPAN key, inner MPAN state), first 13 bytes."""
    return aes128_ecb_encrypt(mpan_key, _check_len("MPAN state", inner_state, BLOCK_SIZE))[:S2_NONCE_SIZE]


def mpan_increment(inner_state: bytes) -> bytes:
    """The inner MPAN state after one use (a 128-bit big-endian counter + 1)."""
    value = int.from_bytes(_check_len("MPAN state", inner_state, BLOCK_SIZE), "big")
    return ((value + 1) % (1 << 128)).to_bytes(BLOCK_SIZE, "big")


def s2_auth_data(
    sender_node_id: int, destination: int, home_id: int, message_length: int, unencrypted: bytes
) -> bytes:
    """The CCM additional data of an S2 Message Encapsulation: sender, destination (node ID or
    multicast group; 2 bytes each if either is a Long Range node ID > 255, else 1), home ID
    (4 bytes BE), length of the whole S2 command (2 bytes BE, from the 0x9F byte to the tag),
    then the unencrypted part after the command byte (sequence number, flags, unencrypted
    extensions)."""
    size = 2 if sender_node_id > 0xFF or destination > 0xFF else 1
    return (
        sender_node_id.to_bytes(size, "big")
        + destination.to_bytes(size, "big")
        + home_id.to_bytes(4, "big")
        + message_length.to_bytes(2, "big")
        + bytes(unencrypted)
    )


# --- X25519 ----------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class X25519KeyPair:
    """A raw 32-byte X25519 private key and its public key."""

    private_key: bytes
    public_key: bytes

    def __repr__(self) -> str:
        return f"X25519KeyPair(public_key={self.public_key.hex()}, private_key=<redacted>)"


def x25519_public_key(private_key: bytes) -> bytes:
    """The public key (X25519(k, 9)) of a raw private key."""
    key = X25519PrivateKey.from_private_bytes(_check_len("private key", private_key, X25519_KEY_SIZE))
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def x25519_key_pair_from_private(private_key: bytes) -> X25519KeyPair:
    """The key pair of a stored raw private key."""
    return X25519KeyPair(private_key=bytes(private_key), public_key=x25519_public_key(private_key))


def x25519_generate_key_pair() -> X25519KeyPair:
    """A fresh random key pair."""
    return x25519_key_pair_from_private(os.urandom(X25519_KEY_SIZE))


def x25519_shared_secret(private_key: bytes, peer_public_key: bytes) -> bytes:
    """The 32-byte ECDH shared secret. Raises ``ValueError`` for a peer key of small order
    (the secret would be all zeros)."""
    key = X25519PrivateKey.from_private_bytes(_check_len("private key", private_key, X25519_KEY_SIZE))
    peer = X25519PublicKey.from_public_bytes(_check_len("peer public key", peer_public_key, X25519_KEY_SIZE))
    return key.exchange(peer)
