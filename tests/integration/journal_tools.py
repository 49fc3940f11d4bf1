"""Helpers for the encryption and privacy tests: run the CLI, fill a journal, scan raw bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

#: Distinctive strings planted in the kinds of text a user types; no file may show them.
CANARY_NAME = "Qwyzzaphod Canarynamé"
CANARY_NOTE = "privatenotecanary7f3a9c"
CANARY_ENTRY = "journalentrycanary51be0d"
CANARIES = (CANARY_NAME, CANARY_NOTE, CANARY_ENTRY)

PASSPHRASE = "correct horse battery staple"


def env_for(home: Path, **extra: str) -> dict[str, str]:
    """A child environment: data under ``home``, the fastest allowed KDF, no terminal tricks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERDESK_")}
    env.update(
        CAREERDESK_HOME=str(home),
        CAREERDESK_KDF_SECONDS="0",  # the floor (64 MiB, 3 passes); tuning is tested elsewhere
        TMPDIR=str(home / "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], *, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "careerdesk", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


FILL = textwrap.dedent(
    """
    import datetime as dt, os, sys
    from pathlib import Path
    from careerdesk.services import Services
    from careerdesk.storage.journal import open_journal

    path, passphrase, extra = Path(sys.argv[1]), sys.argv[2] or None, int(sys.argv[3])
    with open_journal(path, passphrase=passphrase) as journal:
        svc = Services(journal)
        person = svc.people.create({name!r}, role="Engineer")
        other = svc.people.create("Someone Else")
        talk = svc.conversations.start(person.id, dt.date(2026, 3, 1))
        svc.conversations.set_note(talk.id, "prepare", text={note!r}, private=True)
        svc.entries.add(person.id, dt.date(2026, 3, 2), title="Entry", body={entry!r})
        svc.entries.add(other.id, dt.date(2026, 3, 2), title="Other", body="kept text")
        print("filled", flush=True)
        for i in range(extra):  # keeps writing until killed, when asked to
            svc.entries.add(other.id, dt.date(2026, 3, 3), body={entry!r} + f" {{i}}")
    """
).format(name=CANARY_NAME, note=CANARY_NOTE, entry=CANARY_ENTRY)


def fill_journal(path: Path, env: dict[str, str], *, passphrase: str | None) -> None:
    """Create ``path`` (encrypted when ``passphrase`` is given) with one canary of each kind."""
    done = subprocess.run(
        [sys.executable, "-c", FILL, str(path), passphrase or "", "0"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr


def everything_under(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders if folder.exists() for p in folder.rglob("*"))


def files_under(*folders: Path) -> list[Path]:
    return [p for p in everything_under(*folders) if p.is_file()]


def canary_forms(canary: str) -> list[bytes]:
    """The canary as typed (UTF-8, UTF-16) and as the search index stores its words
    (lower case, diacritics removed)."""
    import unicodedata

    folded = "".join(
        c for c in unicodedata.normalize("NFKD", canary.lower()) if not unicodedata.combining(c)
    )
    forms = [canary.encode("utf-8"), canary.encode("utf-16-le")]
    forms += [word.encode() for word in folded.split() if len(word) >= 8]
    return forms


def leaks(*folders: Path) -> list[str]:
    """Every (file, canary) where a canary's bytes appear in a file."""
    found = []
    for path in files_under(*folders):
        data = path.read_bytes()
        for canary in CANARIES:
            if any(form in data for form in canary_forms(canary)):
                found.append(f"{path.name}: {canary}")
    return found


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file under ``folders`` with the SHA-256 of its content."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in everything_under(*folders)
    }


def read_back(path: Path, env: dict[str, str], passphrase: str | None) -> list[str]:
    """Names of the people, the note texts and the entry bodies, read through the services."""
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from careerdesk.services import Services
        from careerdesk.storage.journal import open_journal
        with open_journal(Path(sys.argv[1]), create=False, passphrase=sys.argv[2] or None) as j:
            svc = Services(j)
            out = []
            for person in svc.people.list():
                out.append(person.name)
                for talk in svc.conversations.list_for(person.id):
                    out += [n.text for n in svc.conversations.notes(talk.id)]
            out += sorted(e.body for e in svc.entries.list())
            print("\\n".join(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), passphrase or ""],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()
