"""NetworkKeys (parsing, validation, redaction, derived keys), SecurityClass and the DSK."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.zwave_serial.zwave.errors import InvalidNetworkKey, ZWaveError
from custom_components.zwave_serial.zwave.security import (
    SECURITY_CLASS_ORDER,
    InvalidDSK,
    NetworkKeys,
    SecurityClass,
    dsk_from_public_key,
    dsk_from_string,
    dsk_to_string,
    highest_security_class,
    nwi_home_id_from_dsk,
    parse_key_hex,
    parse_pin,
    pin_from_dsk,
    public_key_with_pin,
    security_classes_from_bits,
    security_classes_to_bits,
)

h = bytes.fromhex

S0_HEX = "0102030405060708090a0b0c0d0e0f10"
S2U_HEX = "404142434445464748494a4b4c4d4e4f"
S2A_HEX = "A1A2A3A4A5A6A7A8A9AAABACADAEAFB0"
S2AC_HEX = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
ALL_HEX = (S0_HEX, S2U_HEX, S2A_HEX, S2AC_HEX)


def _assert_no_key(text: str) -> None:
    lowered = text.lower()
    for key in ALL_HEX:
        assert key.lower() not in lowered
        assert key.lower()[:8] not in lowered  # not even a prefix
    assert "\\x" not in text  # no bytes repr


# --- SecurityClass ----------------------------------------------------------------------


def test_security_class_values_match_zwave_js() -> None:
    assert [(c.name, int(c)) for c in SecurityClass] == [
        ("TEMPORARY", -2),
        ("NONE", -1),
        ("S2_Unauthenticated", 0),
        ("S2_Authenticated", 1),
        ("S2_AccessControl", 2),
        ("S0_Legacy", 7),
    ]
    assert SECURITY_CLASS_ORDER[0] is SecurityClass.S2_AccessControl
    assert [c.is_s2 for c in SECURITY_CLASS_ORDER] == [True, True, True, False]


def test_security_class_helpers() -> None:
    assert highest_security_class([SecurityClass.S0_Legacy, SecurityClass.S2_Unauthenticated]) is (
        SecurityClass.S2_Unauthenticated
    )
    assert highest_security_class([]) is SecurityClass.NONE
    assert security_classes_to_bits([SecurityClass.S0_Legacy, SecurityClass.S2_AccessControl]) == 0x84
    assert security_classes_from_bits(0x87) == SECURITY_CLASS_ORDER
    assert SecurityClass.S2_AccessControl.key_name == "s2_access_control"
    with pytest.raises(ValueError):
        _ = SecurityClass.NONE.key_name


# --- parsing ------------------------------------------------------------------------------


def test_from_dict_and_access() -> None:
    keys = NetworkKeys.from_dict(
        {
            "s0_legacy": S0_HEX,
            "s2_unauthenticated": S2U_HEX,
            "s2_authenticated": S2A_HEX,
            "s2_access_control": None,
        }
    )
    assert keys.s0_legacy == h(S0_HEX)
    assert keys.get(SecurityClass.S2_Authenticated) == h(S2A_HEX)
    assert keys.get(SecurityClass.S2_AccessControl) is None
    assert keys.security_classes == (
        SecurityClass.S2_Authenticated,
        SecurityClass.S2_Unauthenticated,
        SecurityClass.S0_Legacy,
    )
    assert keys.to_dict() == {
        "s0_legacy": S0_HEX,
        "s2_unauthenticated": S2U_HEX,
        "s2_authenticated": S2A_HEX.lower(),
        "s2_access_control": None,
    }
    assert NetworkKeys.from_dict(keys.to_dict()) == keys


def test_from_dict_accepts_zwave_js_names_and_0x_prefix() -> None:
    keys = NetworkKeys.from_dict({"S2_AccessControl": "0x" + S2AC_HEX, "S0_Legacy": f"  {S0_HEX}\n"})
    assert keys == NetworkKeys(s0_legacy=h(S0_HEX), s2_access_control=h(S2AC_HEX))


def test_from_json_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"s0_legacy": S0_HEX, "s2_access_control": S2AC_HEX}))
    keys = NetworkKeys.from_json_file(path)
    assert keys.s0_legacy == h(S0_HEX) and keys.s2_access_control == h(S2AC_HEX)


@pytest.mark.parametrize(
    "bad_json",
    [
        '{"s0_legacy": "' + S0_HEX + '",',  # truncated: the JSON error must not quote the key
        '["' + S0_HEX + '"]',
        '{"s0_legacy": "' + S0_HEX[:-1] + '"}',
        '{"s0_legacy": "' + S0_HEX + '", "s2_authenticated": "' + S0_HEX + '"}',
    ],
)
def test_bad_json_file(tmp_path: Path, bad_json: str) -> None:
    path = tmp_path / "keys.json"
    path.write_text(bad_json)
    with pytest.raises(InvalidNetworkKey) as err:
        NetworkKeys.from_json_file(path)
    _assert_no_key(str(err.value))
    _assert_no_key(repr(err.value))


def test_missing_json_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidNetworkKey):
        NetworkKeys.from_json_file(tmp_path / "absent.json")


@pytest.mark.parametrize(
    "value",
    [
        S0_HEX[:-2],  # 15 bytes
        S0_HEX + "11",  # 17 bytes
        S0_HEX[:-1] + "g",  # not hex
        S0_HEX[:16] + " " + S0_HEX[16:],  # inner blank
        "",
        "0x",
        1234,
        h(S0_HEX)[:15],
        h(S0_HEX) + b"\x00",
        bytes(16),  # the all-zero S0 inclusion key
        "00" * 16,
        1.5,
    ],
)
def test_invalid_keys(value: object) -> None:
    with pytest.raises(InvalidNetworkKey) as err:
        if isinstance(value, str) and value:
            NetworkKeys.from_dict({"s2_authenticated": value})
        else:
            NetworkKeys(s2_authenticated=value)  # type: ignore[arg-type]
    assert isinstance(err.value, ZWaveError) and isinstance(err.value, ValueError)
    assert "s2_authenticated" in str(err.value)
    _assert_no_key(str(err.value))


def test_reused_key_and_unknown_name() -> None:
    with pytest.raises(InvalidNetworkKey) as err:
        NetworkKeys(s0_legacy=h(S0_HEX), s2_access_control=h(S0_HEX))
    assert "s0_legacy" in str(err.value) and "s2_access_control" in str(err.value)
    _assert_no_key(str(err.value))
    with pytest.raises(InvalidNetworkKey) as err:
        NetworkKeys.from_dict({"s3_quantum": S0_HEX})
    _assert_no_key(str(err.value))


def test_parse_key_hex() -> None:
    assert parse_key_hex(S2A_HEX) == h(S2A_HEX)
    with pytest.raises(InvalidNetworkKey) as err:
        parse_key_hex(S2A_HEX[:-1], "my key")
    assert "my key" in str(err.value)
    _assert_no_key(str(err.value))


# --- redaction ----------------------------------------------------------------------------


def test_repr_and_str_never_show_keys() -> None:
    keys = NetworkKeys.from_dict(
        {"s0_legacy": S0_HEX, "s2_authenticated": S2A_HEX, "s2_access_control": S2AC_HEX}
    )
    expected = "NetworkKeys(s0_legacy=<set>, s2_unauthenticated=<unset>, s2_authenticated=<set>, s2_access_control=<set>)"
    assert repr(keys) == expected
    assert str(keys) == expected
    assert f"{keys}" == expected
    assert f"{keys!r}" == expected
    assert repr([keys]) == f"[{expected}]"
    # the derived keys are cached, and redacted too
    s0 = keys.s0_keys()
    s2 = keys.s2_keys(SecurityClass.S2_Authenticated)
    for text in (repr(s0), repr(s2), repr(keys)):
        _assert_no_key(text)
        assert s0.auth_key.hex() not in text and s2.ccm_key.hex() not in text


# --- derived keys -------------------------------------------------------------------------


def test_derived_keys_are_the_published_ones_and_cached() -> None:
    keys = NetworkKeys(s0_legacy=h(S0_HEX), s2_unauthenticated=h(S2U_HEX))
    s0 = keys.s0_keys()
    assert s0.auth_key == h("c5fe1ca17d36c992731a0c0c468c1ef9")  # Z-Wave JS S0 MAC vector key
    assert s0.enc_key == h("0a75a51776b28912f3ebe5da139f21ee")
    assert keys.s0_keys() is s0
    s2 = keys.s2_keys(SecurityClass.S2_Unauthenticated)
    assert s2.ccm_key == h("af7f0a1efcfe8f4b1fd2845dd2856f7d")  # libs2 test_kderiv.c
    assert keys.s2_keys(SecurityClass.S2_Unauthenticated) is s2
    with pytest.raises(InvalidNetworkKey, match="S2_AccessControl"):
        keys.s2_keys(SecurityClass.S2_AccessControl)
    with pytest.raises(ValueError):
        keys.s2_keys(SecurityClass.S0_Legacy)
    # equality ignores the cache
    assert keys == NetworkKeys(s0_legacy=h(S0_HEX), s2_unauthenticated=h(S2U_HEX))


def test_generate() -> None:
    keys = NetworkKeys.generate()
    assert keys.security_classes == SECURITY_CLASS_ORDER
    assert len({keys.get(c) for c in SECURITY_CLASS_ORDER}) == 4
    only_s0 = NetworkKeys.generate([SecurityClass.S0_Legacy])
    assert only_s0.security_classes == (SecurityClass.S0_Legacy,)


# --- DSK ----------------------------------------------------------------------------------

# The DSK of Z-Wave JS's SmartStart QR test (packages/core/src/qr/parse.test.ts); the bytes are
# its eight groups as big-endian u16 (51525 = 0xC945, ...).
QR_DSK = "51525-35455-41424-34445-31323-33435-21222-32425"
QR_DSK_BYTES = h("c9458a7fa1d0868d7a5b829b52e67ea9")
# RFC 7748 §6.1 Alice's public key, and its DSK (0x8520 = 34080, 0xf009 = 61449, ...).
ALICE_PUBLIC = h("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
ALICE_DSK = "34080-61449-35120-42836-29835-32220-46142-63322"


def test_dsk_known_vectors() -> None:
    assert dsk_from_string(QR_DSK) == QR_DSK_BYTES
    assert dsk_to_string(QR_DSK_BYTES) == QR_DSK
    assert pin_from_dsk(QR_DSK_BYTES) == "51525"
    dsk = dsk_from_public_key(ALICE_PUBLIC)
    assert dsk == ALICE_PUBLIC[:16]
    assert dsk_to_string(dsk) == ALICE_DSK
    assert pin_from_dsk(dsk) == "34080"


def test_dsk_zero_padding_and_pin() -> None:
    dsk = h("0001 0000 ffff 3039 0000 0000 0000 0000")
    assert dsk_to_string(dsk) == "00001-00000-65535-12345-00000-00000-00000-00000"
    assert pin_from_dsk(dsk) == "00001"
    assert parse_pin("00001") == 1 and parse_pin(65535) == 0xFFFF


def test_public_key_with_pin_restores_the_key() -> None:
    received = b"\x00\x00" + ALICE_PUBLIC[2:]  # as an S2 Authenticated node sends it
    assert public_key_with_pin(received, pin_from_dsk(ALICE_PUBLIC[:16])) == ALICE_PUBLIC


def test_nwi_home_id() -> None:
    # DSK bytes 8..11 = 7a 5b 82 9b -> fa 5b 82 9a
    assert nwi_home_id_from_dsk(QR_DSK_BYTES) == 0xFA5B829A


@pytest.mark.parametrize(
    "text",
    [
        "51525-35455-41424-34445-31323-33435-21222",  # 7 groups
        "51525-35455-41424-34445-31323-33435-21222-32425-11111",
        "5152-35455-41424-34445-31323-33435-21222-32425",
        "65536-35455-41424-34445-31323-33435-21222-32425",  # > 0xFFFF
        "51525_35455_41424_34445_31323_33435_21222_32425",
        "",
    ],
)
def test_invalid_dsk(text: str) -> None:
    with pytest.raises(InvalidDSK) as err:
        dsk_from_string(text)
    assert isinstance(err.value, ZWaveError) and isinstance(err.value, ValueError)


@pytest.mark.parametrize("pin", ["1234", "123456", "65536", "abcde", -1, 70000])
def test_invalid_pin(pin: str | int) -> None:
    with pytest.raises(InvalidDSK):
        parse_pin(pin)


def test_dsk_wrong_lengths() -> None:
    with pytest.raises(InvalidDSK):
        dsk_to_string(bytes(15))
    with pytest.raises(InvalidDSK):
        dsk_from_public_key(bytes(16))


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(dsk=st.binary(min_size=16, max_size=16))
def test_dsk_round_trip(dsk: bytes) -> None:
    text = dsk_to_string(dsk)
    assert len(text) == 47
    assert dsk_from_string(text) == dsk
    assert pin_from_dsk(dsk) == text[:5]
    assert parse_pin(pin_from_dsk(dsk)) == int.from_bytes(dsk[:2], "big")


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(groups=st.lists(st.integers(min_value=0, max_value=0xFFFF), min_size=8, max_size=8))
def test_dsk_string_round_trip(groups: list[int]) -> None:
    text = "-".join(f"{g:05d}" for g in groups)
    assert dsk_to_string(dsk_from_string(text)) == text
