"""A byte-mutation corpus through the real command line (issue 22).

A small journal, an encrypted journal's key file and a backup are damaged the ways disks, tools
and people damage files (bit flips in the header and in random pages, truncations, zeroed
pages, foreign SQLite files, newer revisions, FIFOs, symlinks, hostile key files) and each is
run through ``check``, ``dump``, ``search`` and ``export`` in its own process, bounded in time
(30 s) and memory (2 GiB address space, set with ``resource.setrlimit`` before exec). Each run
must succeed, or fail with exactly one line on stderr (no traceback, no "unexpected error"),
and leave every file exactly as it was.

Seeded and small here (about 45 runs, two at a time); ``scripts/fuzz.sh`` runs many more with
``CAREERDESK_FUZZ_SCALE``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import sqlite3
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fuzzing import SCALE, SEED

TIMEOUT = 30.0
MEMORY = 2 * 1024**3
PASSPHRASE = "correct horse battery staple"
PAGE = 4096
ALL = ("check", "dump", "search", "export")
LONG = SCALE > 1
#: In the suite, inputs refused by the open path run ``check`` (every command opens the same
#: way); long runs put every input through every command.
OPEN = ALL if LONG else ("check",)
TWO = ALL if LONG else ("check", "dump")

# -- the cases ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One damaged input: ``base`` (plain, encrypted, backup), how it is damaged, which
    commands run on it."""

    name: str
    base: str
    damage: str
    commands: tuple[str, ...]
    seed: int = 0
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())
    #: A FIFO must be refused at once: waiting 30 s for it would only slow the suite.
    timeout: float = TIMEOUT

    def param(self) -> object:
        return pytest.param(self, id=self.name, marks=self.marks)


def _cases() -> list[Case]:
    cases = [
        Case("structural-foreign-sqlite", "plain", "foreign", OPEN),
        Case("structural-app-id-no-tables", "plain", "app_id_no_tables", OPEN),
        Case("structural-newer-revision", "plain", "newer_revision", OPEN),
        Case("structural-empty-file", "plain", "empty", OPEN),
        Case("structural-fifo", "plain", "fifo", OPEN, timeout=5),
        Case("structural-dangling-link", "plain", "dangling_link", OPEN),
        Case("structural-link-loop", "plain", "link_loop", OPEN),
        Case("zeroed-page", "plain", "zero_page", TWO, seed=1),
        Case("key-huge-memory-rechecksummed", "encrypted", "key_expensive", OPEN),
        Case("key-nested-10000", "encrypted", "key_deep", OPEN),
        Case("key-3-gb-sparse", "encrypted", "key_huge", OPEN),
        Case("key-fifo", "encrypted", "key_fifo", OPEN),
        Case("key-byte-flip", "encrypted", "key_flip", OPEN, seed=1),
        Case("key-truncated", "encrypted", "key_truncate", OPEN, seed=1),
        Case("encrypted-page-flip", "encrypted", "page_flip", OPEN, seed=1),
        Case("backup-as-taken", "backup", "none", OPEN),
        Case("backup-page-flip", "backup", "page_flip", OPEN, seed=2),
    ]
    for i in range(SCALE):
        cases += [
            Case(f"random-header-flip-{i}", "plain", "header_flip", ALL, seed=SEED * 1000 + i),
            Case(f"random-page-flip-{i}", "plain", "page_flip", ALL, seed=SEED * 1000 + i),
            Case(f"random-truncation-{i}", "plain", "truncate", ALL, seed=SEED * 1000 + i),
        ]
        if i:
            cases += [
                Case(f"random-zeroed-page-{i}", "plain", "zero_page", ALL, seed=SEED * 1000 + i),
                Case(f"random-key-flip-{i}", "encrypted", "key_flip", ("check",),
                     seed=SEED * 1000 + i),
                Case(f"random-backup-flip-{i}", "backup", "page_flip", ALL, seed=SEED * 1000 + i),
            ]
    return cases


CASES = _cases()


# -- damage -------------------------------------------------------------------------------------
def _flip(data: bytearray, at: int, rng: random.Random) -> None:
    data[at] ^= 1 << rng.randrange(8)


def _rechecksummed(document: dict[str, object]) -> bytes:
    from careerdesk.storage import crypto

    document.pop("checksum", None)
    digest = hashlib.sha256(crypto._canonical(document)).hexdigest()
    return json.dumps({**document, "checksum": "sha256:" + digest}).encode()


def damage(case: Case, bases: dict[str, Path], folder: Path) -> Path:
    """Make the damaged input for ``case`` in ``folder``; returns the journal path to pass."""
    rng = random.Random(case.seed)
    source = bases[case.base]
    target = folder / ("journal.careerdesk" if case.base != "backup" else source.name)
    data = bytearray(source.read_bytes())
    key = Path(f"{source}.key")
    key_data = bytearray(key.read_bytes()) if key.exists() else None
    pages = len(data) // PAGE
    kind = case.damage
    if kind == "header_flip":
        _flip(data, rng.randrange(100), rng)
    elif kind == "page_flip":
        for _ in range(rng.randint(1, 4)):
            _flip(data, rng.randrange(PAGE, len(data)), rng)
    elif kind == "truncate":
        cut = rng.choice([rng.randrange(len(data)), rng.randrange(1, pages) * PAGE])
        del data[cut:]
    elif kind == "zero_page":
        page = rng.randrange(1, pages)
        data[page * PAGE:(page + 1) * PAGE] = bytes(PAGE)
    elif kind == "empty":
        data = bytearray()
    if kind in ("foreign", "app_id_no_tables"):
        raw = sqlite3.connect(target)
        if kind == "foreign":
            raw.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
            raw.execute("INSERT INTO notes (body) VALUES ('someone else''s data')")
        else:
            raw.execute("PRAGMA application_id = 1129464907")  # CareerDesk's, on an empty file
            raw.execute("CREATE TABLE t (x)")
            raw.execute("DROP TABLE t")
        raw.commit()
        raw.close()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "dangling_link":
        target.symlink_to(folder / "gone.careerdesk")
    elif kind == "link_loop":
        target.symlink_to(folder / "other.careerdesk")
        (folder / "other.careerdesk").symlink_to(target)
    else:
        target.write_bytes(bytes(data))
        if kind == "newer_revision":
            raw = sqlite3.connect(target)
            raw.execute("UPDATE alembic_version SET version_num = '9999'")
            raw.commit()
            raw.close()
    if key_data is not None:
        key_target = Path(f"{target}.key")
        if kind == "key_flip":
            _flip(key_data, rng.randrange(len(key_data)), rng)
        elif kind == "key_truncate":
            del key_data[rng.randrange(len(key_data)):]
        elif kind == "key_expensive":
            document = json.loads(key_data)
            document["slots"][0]["kdf"]["memory_kib"] = 3 * 1024 * 1024
            document["slots"][0]["kdf"]["iterations"] = 64
            key_data = bytearray(_rechecksummed(document))
        elif kind == "key_deep":
            key_data = bytearray(b"[" * 10_000 + b"]" * 10_000)
        if kind == "key_huge":
            with open(key_target, "wb") as handle:
                handle.truncate(3 * 1024**3)
        elif kind == "key_fifo":
            os.mkfifo(key_target)
        else:
            key_target.write_bytes(bytes(key_data))
    return target


def snapshot(folder: Path) -> dict[str, str]:
    """What each entry of ``folder`` is: a file's SHA-256, a link's target, a FIFO."""
    state: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        mode = entry.lstat().st_mode
        if stat.S_ISLNK(mode):
            state[entry.name] = "link -> " + os.readlink(entry)
        elif stat.S_ISFIFO(mode):
            state[entry.name] = "fifo"
        elif entry.lstat().st_size > 64 * 1024**2:
            state[entry.name] = f"large {entry.lstat().st_size}"
        else:
            data = bytearray(entry.read_bytes())
            whole = hashlib.sha256(data).hexdigest()
            # What switching to WAL writes: the journal-mode bytes (1, 1: rollback; 2, 2: WAL),
            # the change counter and the version-valid-for number.
            for start, end in ((18, 20), (24, 28), (92, 96)):
                data[start:end] = bytes(end - start)
            state[entry.name] = f"{whole} {hashlib.sha256(data).hexdigest()}"
    return state


# -- running ------------------------------------------------------------------------------------
def _limits() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@dataclass
class Run:
    case: str
    command: str
    args: list[str]
    env: dict[str, str]
    out: Path
    timeout: float = TIMEOUT
    returncode: int | None = None
    stderr: str = ""
    seconds: float = 0.0
    timed_out: bool = False


def run_all(runs: list[Run], *, parallel: int = 2) -> None:
    """Every run in its own process, ``parallel`` at a time, each killed after TIMEOUT. Started
    from this thread only (``preexec_fn`` is not safe with several threads starting children)."""
    waiting = list(runs)
    active: list[tuple[Run, subprocess.Popen[bytes], float, object]] = []
    while waiting or active:
        while waiting and len(active) < parallel:
            run = waiting.pop(0)
            err = open(run.out / f"{run.command}.stderr", "wb")  # noqa: SIM115 - closed below
            process = subprocess.Popen(
                [sys.executable, "-m", "careerdesk", *run.args], env=run.env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                preexec_fn=_limits,
            )
            active.append((run, process, time.monotonic(), err))
        time.sleep(0.02)
        for item in list(active):
            run, process, started, err = item
            elapsed = time.monotonic() - started
            if process.poll() is None and elapsed < run.timeout:
                continue
            if process.poll() is None:
                process.kill()
                process.wait()
                run.timed_out = True
            run.returncode = process.returncode
            run.seconds = elapsed
            err.close()  # type: ignore[attr-defined]
            run.stderr = (run.out / f"{run.command}.stderr").read_text(errors="replace")
            active.remove(item)


@dataclass
class Outcome:
    runs: list[Run]
    before: dict[str, str]
    after: dict[str, str]


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bases")
    home = folder / "home"
    env = {**os.environ, "CAREERDESK_HOME": str(home), "CAREERDESK_KDF_SECONDS": "0",
           "CAREERDESK_NEW_PASSPHRASE": PASSPHRASE, "CAREERDESK_PASSPHRASE": PASSPHRASE}

    def cli(*commands: list[str | Path]) -> None:
        """Run ``commands`` at the same time; each must succeed."""
        children = [
            subprocess.Popen(
                [sys.executable, "-m", "careerdesk", *map(str, args)], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
            for args in commands
        ]
        for child in children:
            _, err = child.communicate(timeout=120)
            assert child.returncode == 0, err

    plain, encrypted = folder / "plain.careerdesk", folder / "encrypted.careerdesk"
    cli(["demo", "--file", plain, "--people", "2", "--years", "1"],
        ["demo", "--file", encrypted, "--people", "2", "--years", "1", "--encrypt"])
    # The first open settles a new file (WAL), as any open does; then a backup of the plain one.
    cli(["check", "--file", plain], ["check", "--file", encrypted])
    cli(["backup", "--file", plain])
    backup = next(home.rglob("*.careerdesk"))
    return {"plain": plain, "encrypted": encrypted, "backup": backup}


@pytest.fixture(scope="module")
def outcomes(
    bases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Outcome]:
    """Every case's runs, all started together so that two run at a time."""
    root = tmp_path_factory.mktemp("corpus")
    runs: dict[str, list[Run]] = {}
    befores: dict[str, dict[str, str]] = {}
    folders: dict[str, Path] = {}
    for case in CASES:
        folder = root / case.name / "input"
        out = root / case.name / "out"
        folder.mkdir(parents=True)
        out.mkdir()
        journal = damage(case, bases, folder)
        env = {**os.environ, "CAREERDESK_HOME": str(root / case.name / "home"),
               "CAREERDESK_PASSPHRASE": PASSPHRASE, "CAREERDESK_KDF_SECONDS": "0"}
        arguments = {
            "check": ["check", "--file", str(journal)],
            "dump": ["dump", "--file", str(journal), "--out", str(out / "dump.json")],
            "search": ["search", "career", "--file", str(journal)],
            "export": ["export", "plan", "--person", "Alex", "--file", str(journal),
                       "--out", str(out / "plan.pdf")],
        }
        runs[case.name] = [
            Run(case.name, c, arguments[c], env, out, timeout=case.timeout) for c in case.commands
        ]
        befores[case.name] = snapshot(folder)
        folders[case.name] = folder
    run_all([run for group in runs.values() for run in group],
            parallel=int(os.environ.get("CAREERDESK_FUZZ_PARALLEL", "2")))
    found = {name: Outcome(runs[name], befores[name], snapshot(folders[name])) for name in runs}
    report = os.environ.get("CAREERDESK_FUZZ_REPORT")
    if report:
        _write_report(Path(report), found)
    return found


def _write_report(path: Path, found: dict[str, Outcome]) -> None:
    """For scripts/fuzz.sh: how many runs, how they ended, the slowest and the largest."""
    every = [run for outcome in found.values() for run in outcome.runs]
    failed: dict[str, str] = {}
    for name, outcome in found.items():
        problems = outcome_problems(outcome)
        if problems:
            failed[name] = problems[0].splitlines()[0][:300]
    summary = {
        "inputs": len(found),
        "runs": len(every),
        "succeeded": sum(1 for r in every if r.returncode == 0),
        "refused_in_one_line": sum(
            1 for r in every if r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
        ),
        "timed_out": sum(1 for r in every if r.timed_out),
        "slowest_seconds": round(max((r.seconds for r in every), default=0.0), 2),
        "largest_child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
        "inputs_failing": failed,
    }
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def check_outcome(outcome: Outcome) -> None:
    """Assert the issue's contract: one clear line or success, in time, the file unchanged."""
    problems = outcome_problems(outcome)
    assert not problems, "\n".join(problems)


def outcome_problems(outcome: Outcome) -> list[str]:
    """What is wrong with ``outcome`` (empty: nothing)."""
    found: list[str] = []
    for run in outcome.runs:
        where = f"{run.command} ({run.seconds:.1f} s)"
        if run.timed_out:
            found.append(f"{where}: still running after {run.timeout:.0f} s")
            continue
        lines = run.stderr.strip().splitlines()
        if run.returncode == 0:
            continue
        if run.returncode is None or run.returncode < 0:
            found.append(f"{where}: killed by signal {run.returncode}")
        elif "Traceback" in run.stderr or "unexpected" in run.stderr:
            found.append(f"{where}: {run.stderr.strip()[-300:]}")
        elif len(lines) != 1 or not lines[0].startswith("careerdesk: "):
            found.append(f"{where}: {len(lines)} lines on stderr: {run.stderr[:300]!r}")
    if outcome.after != outcome.before:
        changed = sorted(
            k for k in set(outcome.before) | set(outcome.after)
            if outcome.before.get(k) != outcome.after.get(k)
        )
        found.append(f"changed: {changed}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_damaged_input_is_refused_in_one_line_and_left_unchanged(
    case: Case, outcomes: dict[str, Outcome]
) -> None:
    check_outcome(outcomes[case.name])


def test_the_corpus_covers_every_kind_of_damage() -> None:
    kinds = {c.damage for c in CASES}
    assert {"header_flip", "page_flip", "truncate", "zero_page", "foreign", "newer_revision",
            "fifo", "dangling_link", "link_loop", "key_flip", "key_expensive", "key_deep",
            "key_huge"} <= kinds
    assert {"plain", "encrypted", "backup"} == {c.base for c in CASES}

