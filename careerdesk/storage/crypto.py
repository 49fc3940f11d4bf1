"""Passphrase protection: a random data key, wrapped by keys derived from secrets the user holds.

The journal file is encrypted by SQLCipher 4 with a random 256-bit *data key* used as a raw key
(no SQLCipher KDF on open). The data key is stored only wrapped, in a small sidecar *key file*
(``<journal>.key``), in one or two slots:

* ``passphrase``: AES-256-GCM under a key-encryption key (KEK) derived from the passphrase with
  Argon2id (at least 64 MiB and 3 passes, tuned to about half a second where it is set);
* ``recovery`` (optional): AES-256-GCM under a KEK derived with HKDF-SHA256 from a random
  200-bit recovery key that the user is shown once.

Each slot's KDF name, parameters and salt are the GCM associated data, so a key file whose
parameters were weakened (or a flipped byte anywhere in them) does not unlock; parameters below
the floor are refused before any work is done. A SHA-256 checksum over the whole key file tells
accidental damage apart from a wrong passphrase. Changing the passphrase rewrites only the key
file (atomically: temporary file, fsync, rename, fsync of the folder); the data key and the
database stay as they are, so after a crash exactly one of the old and new passphrases works.

``cryptography`` and ``argon2`` are imported inside the functions that need them: a plain journal
never pays for them at start-up. See ``docs/security.md`` for the design and the threat model.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from careerdesk.errors import KeyFileError, PassphraseError
from careerdesk.storage.durable import fsync_dir as fsync_dir  # re-exported for callers

FORMAT = "careerdesk-key"
VERSION = 1
#: How the data key is used: SQLCipher 4 defaults, with the data key as a raw key.
CIPHER = "sqlcipher4-raw"
KEY_FILE_SUFFIX = ".key"
DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
RECOVERY_KEY_BYTES = 25  # 200 bits: 40 base32 characters, shown as 8 groups of 5

ARGON2ID = "argon2id"
ARGON2_VERSION = 19  # 0x13, the current Argon2 version
HKDF_SHA256 = "hkdf-sha256"
AES_256_GCM = "aes-256-gcm"

PASSPHRASE_SLOT = "passphrase"  # noqa: S105 - a slot name, not a secret
RECOVERY_SLOT = "recovery"

#: Never derive with less than this (the issue's floor; OWASP's second Argon2id profile).
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
#: Tuning raises memory first (the costly resource for an attacker) up to this, then passes.
TUNE_MAX_MEMORY_KIB = 256 * 1024
#: A key file asking for more than CareerDesk itself would choose, times a safety factor, is
#: damaged or hostile: it could hold memory or run for minutes before "not right" (issue 22).
#: Memory: twice what tuning ever picks. Work (memory x passes, which the time follows): 8 times
#: the most tuning picks here (256 MiB x 3 passes; on this machine class, 2 cores, the app picks
#: about 196 MiB x 3 for half a second), about 5 s of derivation on such a machine. Tuning on a
#: much faster machine stops at the same work cap, so the app never writes a key file it refuses.
MAX_MEMORY_KIB = 2 * TUNE_MAX_MEMORY_KIB
MAX_WORK_KIB = 8 * TUNE_MAX_MEMORY_KIB * MIN_ITERATIONS
MAX_ITERATIONS = MAX_WORK_KIB // MIN_MEMORY_KIB
MAX_PARALLELISM = 16
#: The key file is a few hundred bytes; anything larger is refused before it is read.
MAX_KEY_FILE_BYTES = 64 * 1024
#: How deeply a key file's JSON may nest (it needs 4 levels).
MAX_KEY_FILE_DEPTH = 16
DEFAULT_UNLOCK_SECONDS = 0.5

RECOVERY_INFO = b"careerdesk recovery key v1"
SQLITE_MAGIC = b"SQLite format 3\x00"

NOT_RIGHT_MESSAGE = (
    "The passphrase is not right. Check capitals and the keyboard layout, then try again."
)

NOT_A_RECOVERY_KEY = "That is not a recovery key (it has 40 letters and digits)."

Rng = Callable[[int], bytes]


# -- data structures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KdfParams:
    """How a key-encryption key is derived: the algorithm, its cost and the salt."""

    name: str
    salt: bytes
    memory_kib: int = 0
    iterations: int = 0
    parallelism: int = 0

    def to_json(self) -> dict[str, Any]:
        if self.name == ARGON2ID:
            return {
                "name": ARGON2ID,
                "version": ARGON2_VERSION,
                "memory_kib": self.memory_kib,
                "iterations": self.iterations,
                "parallelism": self.parallelism,
                "salt": _b64(self.salt),
            }
        return {"name": self.name, "salt": _b64(self.salt)}

    @classmethod
    def from_json(cls, raw: Any) -> KdfParams:
        if not isinstance(raw, dict):
            raise _damaged("its key derivation settings are missing")
        name = raw.get("name")
        salt = _unb64(raw.get("salt"))
        if len(salt) < SALT_BYTES:
            raise _weakened("the salt is too short")
        if name == ARGON2ID:
            if raw.get("version") != ARGON2_VERSION:
                raise _damaged("it names an unknown Argon2 version")
            numbers = [raw.get(k) for k in ("memory_kib", "iterations", "parallelism")]
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in numbers):
                raise _damaged("its Argon2 settings are not numbers")
            memory, passes, lanes = (int(v) for v in numbers)  # type: ignore[arg-type]
            params = cls(ARGON2ID, salt, memory_kib=memory, iterations=passes, parallelism=lanes)
            params.check_strength()
            return params
        if name == HKDF_SHA256:
            return cls(HKDF_SHA256, salt)
        raise _damaged(f"it names an unknown key derivation ({str(name)[:20]})")

    def check_strength(self) -> None:
        """Refuse Argon2 settings below the floor (or absurdly above it) before deriving."""
        if self.name != ARGON2ID:
            return
        if self.memory_kib < MIN_MEMORY_KIB or self.iterations < MIN_ITERATIONS:
            raise _weakened(
                f"it asks for {self.memory_kib // 1024} MiB and {self.iterations} passes, below "
                f"the minimum of {MIN_MEMORY_KIB // 1024} MiB and {MIN_ITERATIONS} passes"
            )
        if self.parallelism < 1:
            raise _weakened("its parallelism is below 1")
        if (
            self.memory_kib > MAX_MEMORY_KIB
            or self.iterations > MAX_ITERATIONS
            or self.memory_kib * self.iterations > MAX_WORK_KIB
            or self.parallelism > MAX_PARALLELISM
        ):
            raise _weakened(
                "it asks for more memory or time than CareerDesk ever uses "
                f"({_mib(self.memory_kib)} MiB, {_short_int(self.iterations)} passes; the most "
                f"is {MAX_MEMORY_KIB // 1024} MiB and {MAX_WORK_KIB // 1024} MiB x passes)"
            )
        if self.memory_kib < 8 * self.parallelism:
            raise _damaged("its Argon2 settings are inconsistent")


@dataclass(frozen=True)
class KeySlot:
    """The data key, wrapped with AES-256-GCM under one KEK."""

    kind: str
    kdf: KdfParams
    nonce: bytes
    wrapped: bytes  # ciphertext followed by the 16-byte GCM tag

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kdf": self.kdf.to_json(),
            "wrap": {
                "name": AES_256_GCM,
                "nonce": _b64(self.nonce),
                "ciphertext": _b64(self.wrapped),
            },
        }

    @classmethod
    def from_json(cls, raw: Any) -> KeySlot:
        if not isinstance(raw, dict) or not isinstance(raw.get("wrap"), dict):
            raise _damaged("one of its key slots is malformed")
        kind = raw.get("kind")
        if kind not in (PASSPHRASE_SLOT, RECOVERY_SLOT):
            raise _damaged("one of its key slots is of an unknown kind")
        wrap = raw["wrap"]
        if wrap.get("name") != AES_256_GCM:
            raise _damaged("it names an unknown key wrapping")
        kdf = KdfParams.from_json(raw.get("kdf"))
        if kind == PASSPHRASE_SLOT and kdf.name != ARGON2ID:
            raise _weakened("its passphrase slot does not use Argon2id")
        nonce, wrapped = _unb64(wrap.get("nonce")), _unb64(wrap.get("ciphertext"))
        if len(nonce) != NONCE_BYTES or len(wrapped) != DATA_KEY_BYTES + 16:
            raise _damaged("a wrapped key has the wrong length")
        return cls(kind, kdf, nonce, wrapped)


@dataclass(frozen=True)
class KeyHeader:
    """The contents of a key file: a version and the slots that each unlock the data key."""

    slots: tuple[KeySlot, ...]
    version: int = VERSION
    cipher: str = CIPHER

    def slot(self, kind: str) -> KeySlot | None:
        return next((s for s in self.slots if s.kind == kind), None)

    @property
    def has_recovery_key(self) -> bool:
        return self.slot(RECOVERY_SLOT) is not None

    @property
    def kdf(self) -> KdfParams:
        """The Argon2id settings of the passphrase slot."""
        slot = self.slot(PASSPHRASE_SLOT)
        if slot is None:  # from_bytes refuses such a header; only reachable by hand-made ones
            raise _damaged("it has no passphrase slot")
        return slot.kdf

    def to_bytes(self) -> bytes:
        body = self._body()
        document = {**body, "checksum": "sha256:" + hashlib.sha256(_canonical(body)).hexdigest()}
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("ascii")

    def _body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "cipher": self.cipher,
            "slots": [s.to_json() for s in self.slots],
        }

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyHeader:
        try:
            document = json.loads(data.decode("ascii"), parse_int=_small_int)
        except (UnicodeDecodeError, ValueError, RecursionError, MemoryError):
            raise _damaged("it cannot be read") from None
        if _depth(document) > MAX_KEY_FILE_DEPTH:
            raise _damaged("it is not a CareerDesk key file")
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise _damaged("it is not a CareerDesk key file")
        checksum = document.pop("checksum", None)
        expected = "sha256:" + hashlib.sha256(_canonical(document)).hexdigest()
        if not isinstance(checksum, str) or not hmac.compare_digest(checksum, expected):
            raise _damaged("its checksum does not match (a byte was changed)")
        version = document.get("version")
        if version != VERSION:
            raise KeyFileError(
                f"The key file was written by another version of CareerDesk (format {version}).",
                hint="Update CareerDesk to open this journal.",
            )
        if document.get("cipher") != CIPHER:
            raise _damaged("it names an unknown cipher")
        raw_slots = document.get("slots")
        if not isinstance(raw_slots, list) or not raw_slots:
            raise _damaged("it has no key slots")
        slots = tuple(KeySlot.from_json(s) for s in raw_slots)
        kinds = [s.kind for s in slots]
        if kinds.count(PASSPHRASE_SLOT) != 1 or len(set(kinds)) != len(kinds):
            raise _damaged("its key slots are not one passphrase and at most one recovery key")
        return cls(slots=slots, version=version)


@dataclass
class TuneResult:
    """What :func:`tune_kdf` chose and how long one derivation took with it."""

    params: KdfParams
    seconds: float
    probes: list[tuple[int, int, float]] = field(default_factory=list)


# -- primitives ----------------------------------------------------------------------------------


def derive_kek(secret: str | bytes, params: KdfParams) -> bytes:
    """The 32-byte key-encryption key for ``secret`` (a passphrase, or recovery key bytes).

    Passphrases are NFC-normalised UTF-8, so the same words typed on another system match.
    """
    params.check_strength()
    if params.name == ARGON2ID:
        from argon2.exceptions import HashingError
        from argon2.low_level import Type, hash_secret_raw

        material = _passphrase_bytes(secret)
        try:
            return bytes(
                hash_secret_raw(
                    bytes(material),
                    params.salt,
                    time_cost=params.iterations,
                    memory_cost=params.memory_kib,
                    parallelism=params.parallelism,
                    hash_len=32,
                    type=Type.ID,
                    version=ARGON2_VERSION,
                )
            )
        except (HashingError, MemoryError):
            # Within the caps this is a machine short of memory, not a wrong passphrase.
            raise PassphraseError(
                f"Not enough memory to check the passphrase (it needs "
                f"{_mib(params.memory_kib)} MiB).",
                hint="Close other programs and try again; nothing was changed.",
            ) from None
        finally:
            wipe(material)
    if params.name == HKDF_SHA256:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        ikm = secret if isinstance(secret, bytes) else decode_recovery_key(secret)
        return HKDF(hashes.SHA256(), 32, params.salt, RECOVERY_INFO).derive(ikm)
    raise _damaged(f"it names an unknown key derivation ({params.name[:20]})")


def wrap_key(kek: bytes, data_key: bytes | bytearray, *, nonce: bytes, aad: bytes) -> bytes:
    """AES-256-GCM of ``data_key`` under ``kek``; the result ends with the 16-byte tag."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(kek).encrypt(nonce, bytes(data_key), aad)


def unwrap_key(kek: bytes, wrapped: bytes, *, nonce: bytes, aad: bytes) -> bytearray:
    """The data key, or :class:`PassphraseError` when the KEK, nonce or AAD do not match."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return bytearray(AESGCM(kek).decrypt(nonce, wrapped, aad))
    except InvalidTag:
        raise PassphraseError(NOT_RIGHT_MESSAGE) from None


def slot_aad(kind: str, kdf: KdfParams, *, version: int = VERSION, cipher: str = CIPHER) -> bytes:
    """What each wrapped key is bound to: the format, the slot kind and the full KDF settings."""
    return _canonical(
        {"format": FORMAT, "version": version, "cipher": cipher, "kind": kind, "kdf": kdf.to_json()}
    )


def new_data_key() -> bytearray:
    """A fresh random 256-bit data key (wipe it with :func:`wipe` when done)."""
    return bytearray(secrets.token_bytes(DATA_KEY_BYTES))


def wipe(buffer: bytearray) -> None:
    """Overwrite a mutable secret in place. Immutable copies (``bytes``, ``str``) cannot be wiped:
    see "What Python allows" in docs/security.md."""
    for i in range(len(buffer)):
        buffer[i] = 0


# -- recovery keys -------------------------------------------------------------------------------


def new_recovery_key(rng: Rng = secrets.token_bytes) -> str:
    """A random recovery key shown to the user once: 8 groups of 5 base32 characters."""
    text = base64.b32encode(rng(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def decode_recovery_key(text: str) -> bytes:
    """The key's bytes; spaces, dashes and case do not matter, and 0/1/8 read as O/I/B."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\n")
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != RECOVERY_KEY_BYTES * 8 // 5:
        raise PassphraseError(NOT_A_RECOVERY_KEY)
    try:
        return base64.b32decode(cleaned)
    except ValueError:
        raise PassphraseError(NOT_A_RECOVERY_KEY) from None


def looks_like_recovery_key(text: str) -> bool:
    try:
        decode_recovery_key(text)
    except PassphraseError:
        return False
    return True


# -- headers -------------------------------------------------------------------------------------


def floor_params(rng: Rng = secrets.token_bytes) -> KdfParams:
    """The minimum Argon2id settings, with a fresh salt."""
    return KdfParams(
        ARGON2ID,
        rng(SALT_BYTES),
        memory_kib=MIN_MEMORY_KIB,
        iterations=MIN_ITERATIONS,
        parallelism=1,
    )


def tune_kdf(
    target_seconds: float = DEFAULT_UNLOCK_SECONDS, *, rng: Rng = secrets.token_bytes
) -> TuneResult:
    """Argon2id settings that take about ``target_seconds`` here, never below the floor.

    One derivation at the floor is timed; Argon2's cost grows linearly with memory x passes, so
    memory is raised first (what an attacker's hardware lacks) up to 256 MiB, then passes. The
    result is checked with one more timed derivation.
    """
    if target_seconds <= 0:
        return TuneResult(floor_params(rng), 0.0)
    probe_salt = rng(SALT_BYTES)
    base = KdfParams(ARGON2ID, probe_salt, MIN_MEMORY_KIB, MIN_ITERATIONS, 1)
    base_seconds = _time_derivation(base)
    probes = [(base.memory_kib, base.iterations, base_seconds)]
    factor = target_seconds / max(base_seconds, 1e-6)
    memory, passes = MIN_MEMORY_KIB, MIN_ITERATIONS
    if factor > 1.0:
        memory = min(TUNE_MAX_MEMORY_KIB, int(MIN_MEMORY_KIB * factor) // 1024 * 1024)
        memory = max(memory, MIN_MEMORY_KIB)
        left = factor * MIN_MEMORY_KIB / memory
        passes = min(MAX_WORK_KIB // memory, max(MIN_ITERATIONS, round(MIN_ITERATIONS * left)))
    params = KdfParams(ARGON2ID, rng(SALT_BYTES), memory, passes, 1)
    seconds = base_seconds
    if (memory, passes) != (base.memory_kib, base.iterations):
        seconds = _time_derivation(params)
        probes.append((memory, passes, seconds))
    return TuneResult(params, seconds, probes)


#: Tuning target in seconds, for tests and slow machines; the floor applies whatever it says.
KDF_SECONDS_ENV = "CAREERDESK_KDF_SECONDS"


def target_seconds() -> float:
    """How long an unlock should take: ``CAREERDESK_KDF_SECONDS`` or half a second."""
    try:
        return float(os.environ.get(KDF_SECONDS_ENV, DEFAULT_UNLOCK_SECONDS))
    except ValueError:
        return DEFAULT_UNLOCK_SECONDS


def create_header(
    passphrase: str,
    *,
    data_key: bytes | bytearray,
    recovery_key: str | None = None,
    tune: bool = True,
    params: KdfParams | None = None,
    target_seconds: float = DEFAULT_UNLOCK_SECONDS,
    rng: Rng = secrets.token_bytes,
) -> KeyHeader:
    """A key header whose passphrase slot (and recovery slot, if given) wraps ``data_key``.

    ``params`` fixes the Argon2id settings (tests, known answers); otherwise they are tuned to
    ``target_seconds`` (``tune=True``) or the floor. ``rng`` supplies salts and nonces.
    """
    check_new_passphrase(passphrase)
    if len(data_key) != DATA_KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    if params is None:
        params = tune_kdf(target_seconds, rng=rng).params if tune else floor_params(rng)
    slots = [_make_slot(PASSPHRASE_SLOT, params, passphrase, data_key, rng)]
    if recovery_key is not None:
        recovery_params = KdfParams(HKDF_SHA256, rng(SALT_BYTES))
        secret = decode_recovery_key(recovery_key)
        slots.append(_make_slot(RECOVERY_SLOT, recovery_params, secret, data_key, rng))
    return KeyHeader(slots=tuple(slots))


def unlock(header: KeyHeader, secret: str) -> bytearray:
    """The data key, from the passphrase or the recovery key (either is accepted).

    A wrong secret raises :class:`PassphraseError`; nothing is written anywhere.
    """
    recovery = header.slot(RECOVERY_SLOT)
    if recovery is not None and looks_like_recovery_key(secret):
        with contextlib.suppress(PassphraseError):
            return _open_slot(recovery, secret)
    slot = header.slot(PASSPHRASE_SLOT)
    if slot is None:
        raise _damaged("it has no passphrase slot")
    return _open_slot(slot, secret)


def change_passphrase(
    header: KeyHeader,
    data_key: bytes | bytearray,
    new_passphrase: str,
    *,
    tune: bool = True,
    params: KdfParams | None = None,
    rng: Rng = secrets.token_bytes,
) -> KeyHeader:
    """The same header with a new passphrase slot (fresh salt and settings); the data key and
    any recovery slot stay, so the database is not touched."""
    check_new_passphrase(new_passphrase)
    if params is None:
        params = tune_kdf(target_seconds(), rng=rng).params if tune else floor_params(rng)
    new_slot = _make_slot(PASSPHRASE_SLOT, params, new_passphrase, data_key, rng)
    others = tuple(s for s in header.slots if s.kind != PASSPHRASE_SLOT)
    return replace(header, slots=(new_slot, *others))


def with_recovery_key(
    header: KeyHeader,
    data_key: bytes | bytearray,
    recovery_key: str | None,
    *,
    rng: Rng = secrets.token_bytes,
) -> KeyHeader:
    """The header with its recovery slot replaced by ``recovery_key`` (or removed if None)."""
    slots = [s for s in header.slots if s.kind != RECOVERY_SLOT]
    if recovery_key is not None:
        params = KdfParams(HKDF_SHA256, rng(SALT_BYTES))
        secret = decode_recovery_key(recovery_key)
        slots.append(_make_slot(RECOVERY_SLOT, params, secret, data_key, rng))
    return replace(header, slots=tuple(slots))


def check_new_passphrase(passphrase: str) -> None:
    """Refuse an empty passphrase; the KDF and the user's judgement do the rest."""
    if not passphrase or not passphrase.strip():
        raise PassphraseError("The passphrase cannot be empty.")


# -- key files -----------------------------------------------------------------------------------


def key_file_for(journal: Path) -> Path:
    """The key file that travels with an encrypted journal: ``<journal>.key``."""
    return journal.with_name(journal.name + KEY_FILE_SUFFIX)


def read_header(path: Path) -> KeyHeader:
    """Read and validate a key file (only reads: a bad file is left as it is)."""
    try:
        data = _read_small(path, MAX_KEY_FILE_BYTES)
    except FileNotFoundError:
        raise KeyFileError(
            f"The key file {path.name} is missing.",
            hint="An encrypted journal needs its .key file beside it; restore both from a backup.",
        ) from None
    except OSError as exc:
        raise KeyFileError(f"The key file {path.name} cannot be read ({exc.strerror}).") from None
    return KeyHeader.from_bytes(data)


def _read_small(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, refused when over ``limit``.

    The size is read from the open file before its content, and a FIFO is opened non-blocking,
    so neither a huge file nor a pipe with no writer costs memory or time.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _damaged("it is not a regular file")
        if info.st_size > limit:
            raise _damaged("it is far too large")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while it was read
            raise _damaged("it is far too large")
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_header_atomic(path: Path, header: KeyHeader) -> None:
    """Replace ``path`` with ``header`` so that a crash leaves either the old or the new file.

    Temporary file in the same folder, fsync, rename over the old one, fsync of the folder.
    """
    from careerdesk.storage.durable import replace_atomically

    replace_atomically(
        path, header.to_bytes(), before_rename=lambda: _crash_point("header-written"),
        after_rename=lambda: _crash_point("header-replaced"),
    )


def is_plain_sqlite(path: Path) -> bool:
    """True when the file starts with the plain SQLite header (so it is not encrypted)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def is_encrypted_journal(path: Path) -> bool:
    """A non-empty file that is not plain SQLite and has a key file beside it."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size > 0 and not is_plain_sqlite(path) and key_file_for(path).is_file()


# -- helpers -------------------------------------------------------------------------------------

#: Fault-injection hook for the crash tests: ``CAREERDESK_CRASH_AT=<point>`` kills the process
#: with SIGKILL when it reaches that point. Read per call, so it costs nothing when unset.
CRASH_ENV = "CAREERDESK_CRASH_AT"


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _make_slot(
    kind: str, params: KdfParams, secret: str | bytes, data_key: bytes | bytearray, rng: Rng
) -> KeySlot:
    kek = derive_kek(secret, params)
    nonce = rng(NONCE_BYTES)
    wrapped = wrap_key(kek, data_key, nonce=nonce, aad=slot_aad(kind, params))
    return KeySlot(kind, params, nonce, wrapped)


def _open_slot(slot: KeySlot, secret: str) -> bytearray:
    kek = derive_kek(secret, slot.kdf)
    return unwrap_key(kek, slot.wrapped, nonce=slot.nonce, aad=slot_aad(slot.kind, slot.kdf))


def _passphrase_bytes(secret: str | bytes) -> bytearray:
    if isinstance(secret, bytes):
        return bytearray(secret)
    return bytearray(unicodedata.normalize("NFC", secret).encode("utf-8"))


def _time_derivation(params: KdfParams) -> float:
    start = time.perf_counter()
    derive_kek(b"careerdesk tuning probe", params)
    return time.perf_counter() - start


def _small_int(text: str) -> int:
    # A key file's numbers are small; int() of 4,300+ digits raises, and of fewer is slow.
    if len(text) > 20:
        raise ValueError("number too long")
    return int(text)


def _depth(value: Any) -> int:
    """How deeply ``value`` nests (iteratively: a hostile file cannot exhaust the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_KEY_FILE_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _mib(kib: int) -> str:
    return _short_int(kib // 1024)


def _short_int(number: int) -> str:
    text = str(number)
    return text if len(text) <= 12 else text[:9] + "..."


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise _damaged("a value that should be base64 is missing")
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        raise _damaged("a base64 value is malformed") from None


def _damaged(why: str) -> KeyFileError:
    return KeyFileError(
        f"The journal's key file is damaged: {why}.",
        hint="Nothing was changed. Restore the journal and its .key file from a backup.",
    )


def _weakened(why: str) -> KeyFileError:
    return KeyFileError(
        f"The journal's key file was refused: {why}.",
        hint="Someone may have tampered with it. Nothing was changed; restore it from a backup.",
    )
