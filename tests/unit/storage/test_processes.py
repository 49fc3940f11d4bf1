"""Faults made for real with other processes: a held lock, SIGKILL mid-write."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from careerdesk.errors import JournalLockedError
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal

HOLDER = """
import sys, time
from pathlib import Path
from careerdesk.storage.journal import open_journal
journal = open_journal(Path(sys.argv[1]), holder="careerdesk window")
print("ready", flush=True)
time.sleep(600)
"""

WRITER = """
import sys
from pathlib import Path
from careerdesk.storage.journal import open_journal
from careerdesk.services import Services
journal = open_journal(Path(sys.argv[1]), holder="crash writer")
services = Services(journal)
start = int(sys.argv[2])
print("ready", flush=True)
for i in range(start, start + 100000):
    person = services.people.create(f"person-{i}", role="r" * (i % 500))
    services.conversations.start(person.id, __import__("datetime").date(2026, 1, 1))
    print(i, flush=True)
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def test_second_process_is_refused_naming_the_holder(journal_file: Path) -> None:
    open_journal(journal_file).close()
    holder = _spawn(HOLDER, str(journal_file))
    try:
        with pytest.raises(JournalLockedError) as caught:
            open_journal(journal_file)
        assert "careerdesk window" in caught.value.user_message
        assert f"process {holder.pid}" in caught.value.user_message
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_lock_of_a_killed_process_is_recovered(journal_file: Path) -> None:
    open_journal(journal_file).close()
    holder = _spawn(HOLDER, str(journal_file))
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert holder.stdout is not None
    holder.stdout.close()
    with open_journal(journal_file) as journal:
        assert Services(journal).people.list() == []


@pytest.mark.slow
def test_sigkill_during_writes_loses_no_acknowledged_record(journal_file: Path) -> None:
    """30 times: a child writes and acknowledges each commit, and is killed at a random
    moment; the file stays intact and holds every acknowledged record."""
    rng = random.Random(20261125)
    open_journal(journal_file).close()
    acknowledged: set[str] = set()
    next_index = 0
    for _round in range(30):
        child = _spawn(WRITER, str(journal_file), str(next_index))
        assert child.stdout is not None
        wanted = rng.randrange(1, 15)
        for _ in range(wanted):
            line = child.stdout.readline().strip()
            acknowledged.add(f"person-{line}")
        # Kill at a random point within the next write, not only right after an ack.
        if rng.random() < 0.5:
            for _ in range(rng.randrange(0, 50_000)):
                pass
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        # Whatever the child printed before dying was committed too.
        for line in child.stdout.read().split():
            acknowledged.add(f"person-{line}")
        child.stdout.close()

        raw = sqlite3.connect(journal_file)
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = {row[0] for row in raw.execute("SELECT name FROM people")}
        raw.close()
        assert acknowledged <= names
        next_index = max(int(n.split("-")[1]) for n in names) + 1 if names else 0
    with open_journal(journal_file) as journal:
        assert journal.integrity_problems() == []
