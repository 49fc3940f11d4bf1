"""Key derivation, key wrapping and key files (careerdesk.storage.crypto).

The known answers are pinned: a key file written today must unlock with every later version.
Derivations use the floor settings (64 MiB, 3 passes: about 0.15 s each here).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from careerdesk.errors import KeyFileError, PassphraseError
from careerdesk.storage import crypto
from careerdesk.storage.crypto import KdfParams, KeyHeader

PASSPHRASE = "correct horse battery staple"
DATA_KEY = bytes(range(100, 132))

#: Pinned key file: create_header(PASSPHRASE, data_key=DATA_KEY, recovery_key=RECOVERY_KEY,
#: params=floor with salt 00..0f) with a counting rng (bytes 0, 1, 2, ... for salts and nonces).
PINNED_RECOVERY_KEY = "CAIRE-EYUCU-LBOGA-ZDINR-YHI6D-4QCCI-RDEQS-SMJZI"
PINNED_KEY_FILE = """\
{
  "checksum": "sha256:e191f207bcd78d939cb54dd8f59a8c0afd4fb596da4049df42e73b3821672c0d",
  "cipher": "sqlcipher4-raw",
  "format": "careerdesk-key",
  "slots": [
    {
      "kdf": {
        "iterations": 3,
        "memory_kib": 65536,
        "name": "argon2id",
        "parallelism": 1,
        "salt": "AAECAwQFBgcICQoLDA0ODw==",
        "version": 19
      },
      "kind": "passphrase",
      "wrap": {
        "ciphertext": "/UueLg5TEU5eeN4YpbDAFBfD1F+WULYjdD2JIoF8j0/DSEwWl+nJV+63O1xTUMTg",
        "name": "aes-256-gcm",
        "nonce": "KSorLC0uLzAxMjM0"
      }
    },
    {
      "kdf": {
        "name": "hkdf-sha256",
        "salt": "NTY3ODk6Ozw9Pj9AQUJDRA=="
      },
      "kind": "recovery",
      "wrap": {
        "ciphertext": "hQurswiq1pXDLiqWhiO128CEPQ+k6l0aGw+zyZhma+XtNW9yJDL2gVeAZc1o60n7",
        "name": "aes-256-gcm",
        "nonce": "RUZHSElKS0xNTk9Q"
      }
    }
  ],
  "version": 1
}
"""


def counting_rng() -> crypto.Rng:
    counter = itertools.count()

    def rng(n: int) -> bytes:
        return bytes(next(counter) % 256 for _ in range(n))

    return rng


def fixed_floor() -> KdfParams:
    return KdfParams(
        crypto.ARGON2ID, bytes(range(16)), memory_kib=65536, iterations=3, parallelism=1
    )


@pytest.fixture(scope="module")
def header() -> KeyHeader:
    """One header with both slots, made once (each derivation costs ~0.15 s)."""
    return crypto.create_header(
        PASSPHRASE,
        data_key=DATA_KEY,
        recovery_key=PINNED_RECOVERY_KEY,
        params=crypto.floor_params(),
    )


# -- known answers --------------------------------------------------------------------------------


def test_argon2id_is_the_standard_algorithm() -> None:
    """The reference implementation's own test vector (argon2id v1.3, t=2, 64 MiB, p=1)."""
    from argon2.low_level import Type, hash_secret_raw

    raw = hash_secret_raw(b"password", b"somesalt", 2, 65536, 1, 32, Type.ID, version=19)
    assert raw.hex() == "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"


def test_aes_256_gcm_is_the_standard_algorithm() -> None:
    """McGrew & Viega's GCM test case 16 (AES-256, 60-byte message, 20 bytes of AAD)."""
    key = bytes.fromhex("feffe9928665731c6d6a8f9467308308" * 2)
    plain = bytes.fromhex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
    )
    sealed = crypto.wrap_key(
        key,
        plain,
        nonce=bytes.fromhex("cafebabefacedbaddecaf888"),
        aad=bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
    )
    assert sealed[-16:].hex() == "76fc6ece0f4e1768cddf8853bb2d551b"
    assert sealed[:60].hex().startswith("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c9")


def test_derive_kek_pinned_vectors() -> None:
    params = fixed_floor()
    assert (
        crypto.derive_kek(PASSPHRASE, params).hex()
        == "0d1a3c6523c8f06e4e0af9c515aa5b5448cfebd6838f2d52c3d8b6ef8ddc3c2e"
    )
    # Non-Latin passphrases are NFC-normalised UTF-8: composed and decomposed "ë" are the same.
    expected = "63f1102f8294e905f645500da8afb88a5f16ca5df089c7cce32d4c8e0b6af2e7"
    assert crypto.derive_kek("Zoë – ключ 鍵", params).hex() == expected
    assert crypto.derive_kek("Zoe\u0308 – ключ 鍵", params).hex() == expected


def test_create_header_pinned_key_file() -> None:
    rng = counting_rng()
    params = crypto.floor_params(rng)
    recovery = crypto.new_recovery_key(rng)
    assert recovery == PINNED_RECOVERY_KEY
    made = crypto.create_header(
        PASSPHRASE, data_key=DATA_KEY, recovery_key=recovery, params=params, rng=rng
    )
    assert made.to_bytes().decode() == PINNED_KEY_FILE


def test_pinned_key_file_unlocks_with_passphrase_and_recovery_key() -> None:
    pinned = KeyHeader.from_bytes(PINNED_KEY_FILE.encode())
    assert crypto.unlock(pinned, PASSPHRASE) == DATA_KEY
    assert crypto.unlock(pinned, PINNED_RECOVERY_KEY) == DATA_KEY
    # As typed from a printout: lower case, spaces instead of dashes, 0 for O.
    typed = PINNED_RECOVERY_KEY.lower().replace("-", " ").replace("o", "0")
    assert crypto.unlock(pinned, typed) == DATA_KEY


# -- refusing ------------------------------------------------------------------------------------


def test_wrong_passphrase_is_refused_with_a_clear_message(header: KeyHeader) -> None:
    with pytest.raises(PassphraseError, match="passphrase is not right"):
        crypto.unlock(header, "correct horse battery stapler")


def test_wrong_recovery_key_is_refused(header: KeyHeader) -> None:
    other = crypto.new_recovery_key()
    with pytest.raises(PassphraseError):
        crypto.unlock(header, other)


def test_empty_passphrase_cannot_be_set() -> None:
    with pytest.raises(PassphraseError, match="cannot be empty"):
        crypto.create_header("  ", data_key=DATA_KEY, tune=False)


def _edited(text: str, edit: dict[str, object], *, fix_checksum: bool = True) -> bytes:
    document = json.loads(text)
    document["slots"][0]["kdf"].update(edit)
    return rechecksummed(document) if fix_checksum else json.dumps(document).encode()


def rechecksummed(document: dict[str, Any]) -> bytes:
    """A tampered document with a valid checksum, as a deliberate attacker would write it."""
    document.pop("checksum", None)
    body = crypto._canonical(document)
    document["checksum"] = "sha256:" + hashlib.sha256(body).hexdigest()
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        ({"memory_kib": 8192}, "below the minimum"),
        ({"iterations": 1}, "below the minimum"),
        ({"parallelism": 0}, "parallelism"),
        ({"salt": base64.b64encode(b"short").decode()}, "salt is too short"),
    ],
)
def test_weakened_kdf_parameters_are_refused_before_any_derivation(
    edit: dict[str, object], why: str
) -> None:
    tampered = _edited(PINNED_KEY_FILE, edit)
    with pytest.raises(KeyFileError, match=why):
        KeyHeader.from_bytes(tampered)


def test_absurd_kdf_parameters_are_refused() -> None:
    tampered = _edited(PINNED_KEY_FILE, {"memory_kib": 64 * 1024 * 1024})
    with pytest.raises(KeyFileError, match="more memory or time"):
        KeyHeader.from_bytes(tampered)


def test_parameters_changed_upwards_do_not_unlock() -> None:
    """The settings are GCM associated data: even a "stronger" edit breaks the wrapped key."""
    tampered = KeyHeader.from_bytes(_edited(PINNED_KEY_FILE, {"iterations": 4}))
    with pytest.raises(PassphraseError):
        crypto.unlock(tampered, PASSPHRASE)


def test_a_slot_relabelled_as_the_other_kind_does_not_unlock() -> None:
    document = json.loads(PINNED_KEY_FILE)
    # Swap the wraps: the recovery slot's ciphertext moves under the passphrase slot's settings.
    a, b = document["slots"]
    a["wrap"], b["wrap"] = b["wrap"], a["wrap"]
    swapped = KeyHeader.from_bytes(rechecksummed(document))
    with pytest.raises(PassphraseError):
        crypto.unlock(swapped, PASSPHRASE)
    with pytest.raises(PassphraseError):
        crypto.unlock(swapped, PINNED_RECOVERY_KEY)


def test_every_flipped_byte_in_the_key_file_is_detected() -> None:
    """Any single changed byte is refused as damage or fails to unlock; never a wrong key."""
    data = PINNED_KEY_FILE.encode()
    for offset in range(len(data)):
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        try:
            crypto.unlock(KeyHeader.from_bytes(bytes(flipped)), PINNED_RECOVERY_KEY)
        except (KeyFileError, PassphraseError):
            continue
        # Whitespace between JSON tokens carries no meaning; everything else must be caught.
        assert chr(data[offset]) in " \n", f"flip at {offset} went unnoticed"


def test_a_flipped_byte_in_the_checksummed_body_says_damaged() -> None:
    data = PINNED_KEY_FILE.replace("KSorLC0uLzAxMjM0", "KSorLC0uLzAxMjM1").encode()
    with pytest.raises(KeyFileError, match="checksum does not match"):
        KeyHeader.from_bytes(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff", b"[]", b'{"format": "careerdesk-key"}', b"not json at all"],
)
def test_malformed_key_files_are_refused(data: bytes) -> None:
    with pytest.raises(KeyFileError):
        KeyHeader.from_bytes(data)


def test_a_newer_format_version_is_named() -> None:
    document = json.loads(PINNED_KEY_FILE)
    document["version"] = 2
    with pytest.raises(KeyFileError, match="another version"):
        KeyHeader.from_bytes(rechecksummed(document))


def test_derive_refuses_weak_parameters_given_directly() -> None:
    weak = KdfParams(crypto.ARGON2ID, bytes(16), memory_kib=1024, iterations=1, parallelism=1)
    with pytest.raises(KeyFileError):
        crypto.derive_kek("x", weak)


# -- changing and recovering --------------------------------------------------------------------


def test_change_passphrase_keeps_the_data_key_and_the_recovery_slot(header: KeyHeader) -> None:
    data_key = crypto.unlock(header, PASSPHRASE)
    changed = crypto.change_passphrase(header, data_key, "new words", tune=False)
    assert crypto.unlock(changed, "new words") == DATA_KEY
    assert crypto.unlock(changed, PINNED_RECOVERY_KEY) == DATA_KEY
    with pytest.raises(PassphraseError):
        crypto.unlock(changed, PASSPHRASE)
    assert changed.kdf.salt != header.kdf.salt


def test_recovery_key_can_be_added_replaced_and_removed(header: KeyHeader) -> None:
    new_key = crypto.new_recovery_key()
    replaced = crypto.with_recovery_key(header, DATA_KEY, new_key)
    assert crypto.unlock(replaced, new_key) == DATA_KEY
    with pytest.raises(PassphraseError):
        crypto.unlock(replaced, PINNED_RECOVERY_KEY)
    removed = crypto.with_recovery_key(header, DATA_KEY, None)
    assert not removed.has_recovery_key
    with pytest.raises(PassphraseError):
        crypto.unlock(removed, PINNED_RECOVERY_KEY)
    assert KeyHeader.from_bytes(removed.to_bytes()) == removed


def test_recovery_keys_are_random_and_readable() -> None:
    keys = {crypto.new_recovery_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        groups = key.split("-")
        assert len(groups) == 8
        assert all(len(g) == 5 for g in groups)
        assert len(crypto.decode_recovery_key(key)) == crypto.RECOVERY_KEY_BYTES


def test_wipe_clears_a_mutable_secret() -> None:
    key = crypto.new_data_key()
    assert any(key)
    crypto.wipe(key)
    assert key == bytearray(crypto.DATA_KEY_BYTES)


# -- tuning ---------------------------------------------------------------------------------------


def test_tuning_never_goes_below_the_floor() -> None:
    quick = crypto.tune_kdf(0.001)
    assert quick.params.memory_kib == crypto.MIN_MEMORY_KIB
    assert quick.params.iterations == crypto.MIN_ITERATIONS


@pytest.mark.slow
def test_tuning_reaches_about_the_target_time() -> None:
    tuned = crypto.tune_kdf(0.5)
    assert tuned.params.memory_kib >= crypto.MIN_MEMORY_KIB
    assert tuned.params.iterations >= crypto.MIN_ITERATIONS
    # Shared CI machines are noisy: only a wide band is asserted.
    assert 0.15 <= tuned.seconds <= 2.0
    tuned.params.check_strength()


# -- key files on disk ----------------------------------------------------------------------------


def test_key_file_round_trip_is_private_to_the_user(tmp_path: Path, header: KeyHeader) -> None:
    path = tmp_path / "journal.careerdesk.key"
    crypto.write_header_atomic(path, header)
    assert crypto.read_header(path) == header
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"journal\.careerdesk\.key is missing"):
        crypto.read_header(tmp_path / "journal.careerdesk.key")


def test_key_file_sits_beside_its_journal(tmp_path: Path) -> None:
    assert crypto.key_file_for(tmp_path / "j.careerdesk") == tmp_path / "j.careerdesk.key"


def test_encrypted_journal_is_recognised(tmp_path: Path, header: KeyHeader) -> None:
    journal = tmp_path / "j.careerdesk"
    journal.write_bytes(b"SQLite format 3\x00" + bytes(84))
    assert crypto.is_plain_sqlite(journal)
    assert not crypto.is_encrypted_journal(journal)
    journal.write_bytes(os.urandom(4096))
    assert not crypto.is_encrypted_journal(journal)  # no key file: not recognisable as ours
    crypto.write_header_atomic(crypto.key_file_for(journal), header)
    assert crypto.is_encrypted_journal(journal)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["header-written", "header-replaced"])
def test_a_crash_while_writing_the_key_file_leaves_one_working_passphrase(
    tmp_path: Path, header: KeyHeader, point: str
) -> None:
    """SIGKILL at each step of a passphrase change: exactly one of old and new unlocks."""
    path = tmp_path / "j.careerdesk.key"
    crypto.write_header_atomic(path, header)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from careerdesk.storage import crypto
        path = Path({str(path)!r})
        header = crypto.read_header(path)
        key = crypto.unlock(header, {PASSPHRASE!r})
        crypto.write_header_atomic(path, crypto.change_passphrase(header, key, "new", tune=False))
        """
    )
    env = {**os.environ, crypto.CRASH_ENV: point}
    done = subprocess.run([sys.executable, "-c", script], env=env, check=False, timeout=60)
    assert done.returncode == -9
    after = crypto.read_header(path)
    works = []
    for secret in (PASSPHRASE, "new"):
        try:
            assert crypto.unlock(after, secret) == DATA_KEY
            works.append(secret)
        except PassphraseError:
            pass
    assert works == ([PASSPHRASE] if point == "header-written" else ["new"])
