"""Hostile key files (issue 22): refused with one clear line before any costly work, never a
RecursionError, MemoryError or HashingError, never "the passphrase is not right"."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from careerdesk.errors import KeyFileError
from careerdesk.storage import crypto
from careerdesk.storage.crypto import KdfParams, KeyHeader

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def key_file_bytes() -> bytes:
    params = KdfParams(crypto.ARGON2ID, bytes(range(16)), crypto.MIN_MEMORY_KIB,
                       crypto.MIN_ITERATIONS, 1)
    header = crypto.create_header(PASSPHRASE, data_key=bytes(32), params=params)
    return header.to_bytes()


def _rechecksummed(document: dict[str, Any]) -> bytes:
    """What an attacker (or a careless edit tool) does: fix the checksum after an edit."""
    document.pop("checksum", None)
    digest = hashlib.sha256(crypto._canonical(document)).hexdigest()
    return json.dumps({**document, "checksum": "sha256:" + digest}).encode()


def _with_kdf(key_file: bytes, **kdf: int) -> bytes:
    document = json.loads(key_file)
    document["slots"][0]["kdf"].update(kdf)
    return _rechecksummed(document)


def test_ten_thousand_nested_arrays_are_a_damaged_key_file() -> None:
    data = b"[" * 10_000 + b"]" * 10_000
    with pytest.raises(KeyFileError, match="damaged: it cannot be read"):
        KeyHeader.from_bytes(data)


def test_nesting_deeper_than_a_key_file_needs_is_refused(key_file_bytes: bytes) -> None:
    document = json.loads(key_file_bytes)
    deep: Any = []
    for _ in range(100):
        deep = [deep]
    document["extra"] = deep
    with pytest.raises(KeyFileError, match="not a CareerDesk key file"):
        KeyHeader.from_bytes(_rechecksummed(document))


def test_a_4300_digit_number_is_a_damaged_key_file(key_file_bytes: bytes) -> None:
    text = key_file_bytes.decode().replace('"iterations": 3', '"iterations": ' + "9" * 4400)
    with pytest.raises(KeyFileError, match="cannot be read"):
        KeyHeader.from_bytes(text.encode())


def test_a_huge_key_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "j.careerdesk.key"
    with open(path, "wb") as handle:  # 3 GB, sparse: reading it would take 3 GB of memory
        handle.truncate(3 * 1024**3)
    start = time.monotonic()
    with pytest.raises(KeyFileError, match="far too large"):
        crypto.read_header(path)
    assert time.monotonic() - start < 2


def test_a_key_file_just_over_64_kib_is_refused(tmp_path: Path, key_file_bytes: bytes) -> None:
    path = tmp_path / "j.careerdesk.key"
    path.write_bytes(key_file_bytes + b" " * (crypto.MAX_KEY_FILE_BYTES + 1 - len(key_file_bytes)))
    with pytest.raises(KeyFileError, match="far too large"):
        crypto.read_header(path)


def test_a_fifo_as_the_key_file_is_refused_without_waiting(tmp_path: Path) -> None:
    path = tmp_path / "j.careerdesk.key"
    os.mkfifo(path)
    with pytest.raises(KeyFileError, match="not a regular file"):
        crypto.read_header(path)


@pytest.mark.parametrize(
    "kdf",
    [
        {"memory_kib": 2 * 1024 * 1024},  # 2 GiB: HashingError or 1.9 GB held before
        {"memory_kib": crypto.MAX_MEMORY_KIB + 1024},
        {"memory_kib": 256 * 1024, "iterations": 64},  # minutes of work at 256 MiB
        {"iterations": crypto.MAX_ITERATIONS + 1},
        {"memory_kib": 10**19},
    ],
)
def test_costs_beyond_the_caps_are_refused_before_any_derivation(
    key_file_bytes: bytes, kdf: dict[str, int]
) -> None:
    header_bytes = _with_kdf(key_file_bytes, **kdf)
    start = time.monotonic()
    too_much = "more memory or time than CareerDesk ever uses"
    with pytest.raises(KeyFileError, match=too_much) as caught:
        crypto.unlock(KeyHeader.from_bytes(header_bytes), PASSPHRASE)
    assert "not right" not in str(caught.value)
    assert "\n" not in str(caught.value)
    assert time.monotonic() - start < 1  # refused before deriving


def test_the_caps_are_a_safety_factor_above_what_the_app_chooses() -> None:
    """The most tuning ever picks (256 MiB, 3 passes) is well inside the caps."""
    most = KdfParams(crypto.ARGON2ID, bytes(16), crypto.TUNE_MAX_MEMORY_KIB, 3, 1)
    most.check_strength()
    assert 8 * most.memory_kib * most.iterations <= crypto.MAX_WORK_KIB


def test_tuning_on_a_very_fast_machine_stays_inside_the_caps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(crypto, "_time_derivation", lambda params: 0.0005)
    tuned = crypto.tune_kdf(5.0)
    tuned.params.check_strength()  # the app never writes a key file it would refuse
    assert tuned.params.memory_kib * tuned.params.iterations <= crypto.MAX_WORK_KIB


SHORT_OF_MEMORY = textwrap.dedent(
    """
    import resource, sys
    from careerdesk.errors import CareerDeskError
    from careerdesk.storage import crypto
    params = crypto.KdfParams(crypto.ARGON2ID, bytes(16), crypto.MAX_MEMORY_KIB, 3, 1)
    resource.setrlimit(resource.RLIMIT_AS, (400 * 1024**2, 400 * 1024**2))
    try:
        crypto.derive_kek("a passphrase", params)
    except CareerDeskError as exc:
        print(type(exc).__name__, exc)
    """
)


def test_a_machine_short_of_memory_is_told_not_a_wrong_passphrase() -> None:
    """A real allocation failure (address space limited below what Argon2 asks for)."""
    result = subprocess.run(
        [sys.executable, "-c", SHORT_OF_MEMORY], capture_output=True, text=True, timeout=60,
        check=False, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PassphraseError Not enough memory"), result.stdout
