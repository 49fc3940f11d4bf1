"""Encryption benchmarks: unlock time with production KDF settings, and the cost of SQLCipher
on the large journal (open, the whole-file check, one person's history, a full-text search, a
scan of all text) against the same journal unencrypted (a ratio).

Run: .venv/bin/python bench/encryption.py
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import large_journal, timed
from bench.foundation import busiest_person
from careerdesk.errors import PassphraseError
from careerdesk.services import Services
from careerdesk.storage import crypto, encryption
from careerdesk.storage.journal import open_journal

PASSPHRASE = "a bench passphrase of five words"  # noqa: S105 - benchmark data


def unlock_times() -> None:
    tuned = crypto.tune_kdf()
    params = tuned.params
    key = crypto.new_data_key()
    header = crypto.create_header(PASSPHRASE, data_key=key, params=params)
    right, right_worst = timed(lambda: crypto.unlock(header, PASSPHRASE), repeat=5)

    def wrong() -> None:
        with contextlib.suppress(PassphraseError):
            crypto.unlock(header, "not it")

    wrong_median, _ = timed(wrong, repeat=3)
    print(
        f"unlock with production settings (Argon2id {params.memory_kib // 1024} MiB, "
        f"t={params.iterations}, p={params.parallelism}, tuned to 0.5 s): "
        f"{right * 1000:.0f} ms (worst {right_worst * 1000:.0f}); a wrong passphrase "
        f"{wrong_median * 1000:.0f} ms; tuning itself {sum(p[2] for p in tuned.probes):.2f} s"
    )


TEXT_COLUMNS = (
    ("notes", "text"), ("answers", "text"), ("journal_entries", "body"),
    ("actions", "text"), ("match_items", "text"),
)


def scan(path: Path, key: bytes | None, word: str) -> int:
    """Open and look for a word in every text column a search would read (a full scan: the
    worst case for per-page decryption)."""
    from sqlalchemy import text

    journal = open_journal(path, create=False, key=key, verify=False)
    with journal, journal.engine.connect() as c:
        return sum(
            int(
                c.execute(
                    text(f"SELECT count(*) FROM {table} WHERE {column} LIKE :pattern"),
                    {"pattern": f"%{word}%"},
                ).scalar_one()
            )
            for table, column in TEXT_COLUMNS
        )


def history(path: Path, key: bytes | None, person_id: str) -> int:
    """Open and read everything about one person, as the person's timeline does."""
    with open_journal(path, create=False, key=key, verify=False) as journal:
        services = Services(journal)
        count = 0
        for conversation in services.conversations.list_for(person_id):
            record = services.conversations.record(conversation.id)
            count += len(record.answers) + len(record.notes) + len(record.match_items)
        count += len(services.plan.actions_for(person_id))
        count += len(services.entries.list(person_id))
        return count


def search(path: Path, key: bytes | None, query: str) -> int:
    """Open and search through the full-text index, as `careerdesk search` does."""
    with open_journal(path, create=False, key=key, verify=False) as journal:
        return len(Services(journal).search.search(query, limit=50))


def open_only(path: Path, key: bytes | None, *, verify: bool = False) -> None:
    """As the window opens (no whole-file check), or as the CLI does (``verify``)."""
    open_journal(path, create=False, key=key, verify=verify).close()


def main() -> None:
    unlock_times()
    source = large_journal()
    person_id = busiest_person(source)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.careerdesk"
        secret = Path(tmp) / "secret.careerdesk"
        shutil.copy(source, plain)
        open_journal(plain, backup_dir=Path(tmp) / "b").close()  # bring it to the current schema
        shutil.copy(plain, secret)
        start = time.perf_counter()
        encryption.set_passphrase(secret, PASSPHRASE)
        convert_s = time.perf_counter() - start
        size_mb = plain.stat().st_size / 1e6
        print(f"passphrase set on the large journal ({size_mb:.0f} MB): {convert_s:.1f} s")
        key = bytes(crypto.unlock(crypto.read_header(crypto.key_file_for(secret)), PASSPHRASE))

        rows = []
        for label, run_plain, run_secret in (
            ("open as the window does (key already unlocked)",
             lambda: open_only(plain, None), lambda: open_only(secret, key)),
            ("open with the whole-file quick_check (CLI; the window runs it in the background)",
             lambda: open_only(plain, None, verify=True),
             lambda: open_only(secret, key, verify=True)),
            ("open + one person's history",
             lambda: history(plain, None, person_id), lambda: history(secret, key, person_id)),
            ("open + full-text search (FTS5), 50 hits",
             lambda: search(plain, None, "growth"), lambda: search(secret, key, "growth")),
            ("open + text scan of every note, answer, entry",
             lambda: scan(plain, None, "growth"), lambda: scan(secret, key, "growth")),
        ):
            p, _ = timed(run_plain, repeat=5)
            s, _ = timed(run_secret, repeat=5)
            rows.append((label, p, s))
        for label, p, s in rows:
            print(f"{label}: plain {p * 1000:.0f} ms, encrypted {s * 1000:.0f} ms, "
                  f"ratio {s / p:.2f}")
        if scan(plain, None, "growth") != scan(secret, key, "growth"):
            raise SystemExit("the encrypted copy does not hold the same text")


if __name__ == "__main__":
    main()
