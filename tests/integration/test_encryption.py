"""Encrypted journals through the real CLI and real child processes (SIGKILL included)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from careerdesk.errors import PassphraseError
from careerdesk.storage import crypto
from tests.integration.journal_tools import (
    CANARIES,
    CANARY_ENTRY,
    CANARY_NAME,
    CANARY_NOTE,
    FILL,
    PASSPHRASE,
    canary_forms,
    env_for,
    fill_journal,
    leaks,
    read_back,
    run_cli,
    snapshot,
)

EXPECTED = [CANARY_NAME, CANARY_NOTE, "Someone Else", CANARY_ENTRY, "kept text"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path


@pytest.fixture
def journal(home: Path) -> Path:
    path = home / "data" / "journal.careerdesk"
    fill_journal(path, env_for(home), passphrase=PASSPHRASE)
    return path


def unlocked(home: Path, passphrase: str = PASSPHRASE) -> dict[str, str]:
    return env_for(home, CAREERDESK_PASSPHRASE=passphrase)


def decrypted_pages(path: Path, key: bytes) -> bytes:
    """Every page of a SQLCipher 4 file decrypted by hand (AES-256-CBC, 4 KiB pages, 80 bytes
    reserved for IV and HMAC), free pages included: what an attacker holding the key would see,
    and what SQLite's secure_delete must have zeroed."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    data, size, reserve = path.read_bytes(), 4096, 80
    out = bytearray()
    for offset in range(0, len(data), size):
        page = data[offset : offset + size]
        iv = page[size - reserve : size - reserve + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += decryptor.update(page[16 if offset == 0 else 0 : size - reserve])
        out += decryptor.finalize()
    return bytes(out)


# -- creating and reading ------------------------------------------------------------------------


def test_an_encrypted_journal_reads_back_and_shows_no_text(home: Path, journal: Path) -> None:
    assert not crypto.is_plain_sqlite(journal)
    assert crypto.key_file_for(journal).is_file()
    assert leaks(home) == []
    assert read_back(journal, env_for(home), PASSPHRASE) == EXPECTED
    key = crypto.unlock(crypto.read_header(crypto.key_file_for(journal)), PASSPHRASE)
    # The hand decryption is right: with the key, the text is there.
    assert CANARY_NOTE.encode() in decrypted_pages(journal, bytes(key))


def test_check_opens_with_the_passphrase_from_the_environment(home: Path, journal: Path) -> None:
    done = run_cli(["check", "--file", str(journal)], unlocked(home))
    assert done.returncode == 0, done.stderr
    assert "no problems" in done.stdout


def test_without_passphrase_or_terminal_it_exits_with_one_line(home: Path, journal: Path) -> None:
    before = snapshot(home / "data")
    done = run_cli(["check", "--file", str(journal)], env_for(home))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "encrypted" in done.stderr
    assert "CAREERDESK_PASSPHRASE" in done.stderr
    assert snapshot(home / "data") == before


@pytest.mark.parametrize("command", [["check"], ["backup"], ["passphrase", "change"],
                                     ["passphrase", "remove"], ["passphrase", "recovery-key"]])
def test_a_wrong_passphrase_touches_nothing(
    home: Path, journal: Path, command: list[str]
) -> None:
    """Same files, same bytes, nothing created (no lock, -wal, -shm, backup or temp file)."""
    run_cli(["backup", "--file", str(journal)], unlocked(home))  # a backup folder to watch too
    folders = (home / "data", home / "backups", home / "tmp")
    before = snapshot(*folders)
    env = unlocked(home, "correct horse battery stapler")
    env["CAREERDESK_NEW_PASSPHRASE"] = "something new"
    done = run_cli([*command, "--file", str(journal)], env)
    assert done.returncode == 1
    assert "passphrase is not right" in done.stderr
    assert done.stderr.count("\n") == 1
    assert snapshot(*folders) == before
    log = home / "logs" / "careerdesk.log"
    assert not log.exists() or "stapler" not in log.read_text(encoding="utf-8")


def test_a_flipped_byte_in_the_database_is_detected(home: Path, journal: Path) -> None:
    data = bytearray(journal.read_bytes())
    data[len(data) // 2] ^= 0x40
    journal.write_bytes(bytes(data))
    done = run_cli(["check", "--file", str(journal)], unlocked(home))
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_flipped_byte_in_the_key_file_is_detected(home: Path, journal: Path) -> None:
    key_file = crypto.key_file_for(journal)
    data = bytearray(key_file.read_bytes())
    data[data.index(b'"ciphertext": "') + 20] ^= 0x01
    key_file.write_bytes(bytes(data))
    done = run_cli(["check", "--file", str(journal)], unlocked(home))
    assert done.returncode == 1
    assert "key file is damaged" in done.stderr


def test_a_missing_key_file_is_named(home: Path, journal: Path) -> None:
    crypto.key_file_for(journal).unlink()
    done = run_cli(["check", "--file", str(journal)], unlocked(home))
    assert done.returncode == 1
    assert "journal.careerdesk.key" in done.stderr


# -- no plaintext anywhere, after every kind of operation ----------------------------------------


def test_no_canary_in_any_file_after_each_operation(home: Path, journal: Path) -> None:
    folders = (home / "data", home / "backups", home / "tmp", home / "logs")
    env = unlocked(home)

    def step(args: list[str], **extra: str) -> None:
        done = run_cli([*args, "--file", str(journal)], env | extra)
        assert done.returncode == 0, (args, done.stderr)
        assert leaks(*folders) == [], args

    step(["check"])
    step(["backup"])
    step(["passphrase", "change"], CAREERDESK_NEW_PASSPHRASE="second passphrase")
    env = unlocked(home, "second passphrase")
    step(["passphrase", "recovery-key"])
    step(["backup"])
    backups = sorted((home / "backups").rglob("*.careerdesk"))
    assert len(backups) == 2
    assert all(crypto.key_file_for(b).is_file() for b in backups)
    # The older backup opens with the passphrase of its day; restoring it brings its key file.
    step(["restore", str(backups[0])], CAREERDESK_BACKUP_PASSPHRASE=PASSPHRASE)
    assert read_back(journal, env_for(home), PASSPHRASE) == EXPECTED
    assert leaks(*folders) == []


def test_no_canary_after_sigkill_while_writing(home: Path, journal: Path) -> None:
    """A writer killed mid-transaction leaves a WAL and perhaps a journal: all encrypted."""
    # The same filling script, run on the existing journal: it finds the people and keeps
    # adding entries with the canary until it is killed.
    writer = (
        FILL.replace("svc.people.create(", "svc.people.find(", 1)
        .replace(', role="Engineer")', ")", 1)
        .replace('svc.people.create("Someone Else")', 'svc.people.find("Someone")')
    )
    with subprocess.Popen(
        [sys.executable, "-c", writer, str(journal), PASSPHRASE, "100000"],
        env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"filled"
        time.sleep(0.5)
        child.send_signal(signal.SIGKILL)
        child.wait()
    wal = Path(f"{journal}-wal")
    assert wal.exists()
    assert wal.stat().st_size > 0
    assert leaks(home) == []
    names = read_back(journal, env_for(home), PASSPHRASE)
    assert CANARY_NOTE in names
    assert leaks(home) == []


# -- changing the passphrase under SIGKILL -------------------------------------------------------

CHANGE_LOOP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from careerdesk.errors import PassphraseError
    from careerdesk.storage.encryption import change_passphrase
    path, a, b = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    print("ready", flush=True)
    while True:
        try:
            change_passphrase(path, a, b)
            a, b = b, a
        except PassphraseError:
            a, b = b, a  # started after a crash that had already switched it
    """
)


@pytest.mark.slow
def test_passphrase_change_killed_at_random_points(home: Path, journal: Path) -> None:
    """20 SIGKILLs at random moments of a loop of changes: after each, exactly one of the two
    passphrases opens the journal, and every record is intact."""
    rng = random.Random(20261125)
    other = "the other passphrase"
    env = env_for(home)
    seen = set()
    for _ in range(20):
        with subprocess.Popen(
            [sys.executable, "-c", CHANGE_LOOP, str(journal), PASSPHRASE, other],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        ) as child:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.8))
            child.send_signal(signal.SIGKILL)
            child.wait()
        header = crypto.read_header(crypto.key_file_for(journal))
        works = []
        for secret in (PASSPHRASE, other):
            try:
                crypto.unlock(header, secret)
                works.append(secret)
            except PassphraseError:
                continue
        assert len(works) == 1
        seen.add(works[0])
    # Both outcomes happened, so the kills really landed at different points.
    assert seen == {PASSPHRASE, other}
    final = works[0]
    assert read_back(journal, env, final) == EXPECTED
    leftovers = [p.name for p in journal.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1  # at most the temp file of the last kill, never read


#: Where ``passphrase set``/``remove`` can die: before the switch (the old journal stays), or
#: once the switch is marked (the next open finishes it: the new journal).
CONVERT_POINTS = {
    "convert-exported": False,
    "pair-staged": False,
    "pair-marked": True,
    "pair-first": True,
    "pair-second": True,
    "pair-synced": True,
}


@pytest.mark.slow
@pytest.mark.parametrize("point", list(CONVERT_POINTS))
@pytest.mark.parametrize("action", ["set", "remove"])
def test_set_and_remove_killed_at_each_step(home: Path, action: str, point: str) -> None:
    """Encrypting or decrypting killed at each step: the journal opens (plain, or with the
    passphrase) with every record intact, and its key file goes with it."""
    path = home / "data" / "journal.careerdesk"
    env = env_for(home)
    fill_journal(path, env, passphrase=PASSPHRASE if action == "remove" else None)
    crashing = env | {
        crypto.CRASH_ENV: point,
        "CAREERDESK_PASSPHRASE": PASSPHRASE,
        "CAREERDESK_NEW_PASSPHRASE": PASSPHRASE,
    }
    done = run_cli(["passphrase", action, "--file", str(path)], crashing)
    assert done.returncode == -signal.SIGKILL
    switched = CONVERT_POINTS[point]
    encrypted = switched if action == "set" else not switched
    # The open finishes (or drops) the interrupted switch before it reads anything.
    assert read_back(path, env, PASSPHRASE if encrypted else None) == EXPECTED
    assert crypto.is_plain_sqlite(path) == (not encrypted)
    assert crypto.key_file_for(path).exists() == encrypted
    assert not [p.name for p in path.parent.iterdir() if "replace" in p.name]
    # And the command can simply be run again.
    if not switched:
        clean = {k: v for k, v in crashing.items() if k != crypto.CRASH_ENV}
        again = run_cli(["passphrase", action, "--file", str(path)], clean)
        assert again.returncode == 0, again.stderr
        assert read_back(path, env, PASSPHRASE if action == "set" else None) == EXPECTED


# -- set and remove ------------------------------------------------------------------------------


def test_set_encrypts_the_journal_and_its_older_backups(home: Path) -> None:
    path = home / "data" / "journal.careerdesk"
    env = env_for(home)
    fill_journal(path, env, passphrase=None)
    assert run_cli(["backup", "--file", str(path)], env).returncode == 0
    assert leaks(home / "backups")  # plain before
    done = run_cli(
        ["passphrase", "set", "--recovery-key", "--file", str(path)],
        env | {"CAREERDESK_NEW_PASSPHRASE": PASSPHRASE},
    )
    assert done.returncode == 0, done.stderr
    assert "1 older backups were encrypted" in done.stdout
    recovery = done.stdout.strip().splitlines()[-1].strip()
    assert crypto.looks_like_recovery_key(recovery)
    assert leaks(home) == []
    assert read_back(path, env, recovery) == EXPECTED
    backup = next((home / "backups").rglob("*.careerdesk"))
    assert read_back(backup, env, PASSPHRASE) == EXPECTED


def test_remove_makes_a_plain_journal_again(home: Path, journal: Path) -> None:
    done = run_cli(["passphrase", "remove", "--file", str(journal)], unlocked(home))
    assert done.returncode == 0, done.stderr
    assert crypto.is_plain_sqlite(journal)
    assert not crypto.key_file_for(journal).exists()
    assert read_back(journal, env_for(home), None) == EXPECTED


def test_set_on_an_encrypted_journal_says_so(home: Path, journal: Path) -> None:
    done = run_cli(
        ["passphrase", "set", "--file", str(journal)],
        env_for(home, CAREERDESK_NEW_PASSPHRASE="x"),
    )
    assert done.returncode == 1
    assert "already has a passphrase" in done.stderr


# -- deleting leaves no trace --------------------------------------------------------------------

DELETE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal
    journal = open_journal(Path(sys.argv[1]), create=False, passphrase=sys.argv[2] or None)
    svc = Services(journal)
    svc.people.delete(svc.people.find(sys.argv[3]).id)
    print("deleted", flush=True)
    sys.stdin.read()  # keep the journal open: the WAL is checked while it is in use
    journal.close()
    """
)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_deleting_a_person_leaves_none_of_their_text(home: Path, encrypted: bool) -> None:
    path = home / "data" / "journal.careerdesk"
    env = env_for(home)
    passphrase = PASSPHRASE if encrypted else None
    fill_journal(path, env, passphrase=passphrase)
    with subprocess.Popen(
        [sys.executable, "-c", DELETE, str(path), passphrase or "", CANARY_NAME],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    ) as child:
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline().strip() == b"deleted"
        wal = Path(f"{path}-wal")
        if encrypted:
            key = bytes(crypto.unlock(crypto.read_header(crypto.key_file_for(path)), PASSPHRASE))
            visible = decrypted_pages(path, key)
            # A WAL left with frames would hold encrypted page images: it must be empty.
            assert not wal.exists() or wal.stat().st_size == 0
        else:
            visible = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        child.stdin.close()
        child.wait(timeout=60)
    for canary in CANARIES:
        for form in canary_forms(canary):
            assert form not in visible, (canary, form)
    assert b"kept text" in visible  # the other person's text is still there
    remaining = read_back(path, env, passphrase)
    assert remaining == ["Someone Else", "kept text"]
    assert os.path.getsize(path) > 0


def test_a_key_file_from_another_journal_is_named(home: Path, journal: Path) -> None:
    other = home / "data" / "other.careerdesk"
    fill_journal(other, env_for(home), passphrase=PASSPHRASE)
    crypto.key_file_for(other).replace(crypto.key_file_for(journal))
    before = snapshot(home / "data")
    done = run_cli(["check", "--file", str(journal)], unlocked(home))
    assert done.returncode == 1
    assert "cannot be decrypted with its key file" in done.stderr
    assert snapshot(home / "data") == before
