"""Private at rest even after a crash (issue 21): a killed export or dump leaves nothing
readable, the process never dumps core, and what CareerDesk creates is owner-only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.journal_tools import (
    CANARIES,
    CANARY_NAME,
    PASSPHRASE,
    canary_forms,
    env_for,
    fill_journal,
    run_cli,
)

#: What each command writes; record and book with the private notes, the worst case.
COMMANDS = {
    "plan": ["export", "plan", "--person", CANARY_NAME],
    "prep": ["export", "prep", "--person", CANARY_NAME],
    "record": ["export", "record", "--person", CANARY_NAME, "--include-private"],
    "book": ["export", "book", "--person", CANARY_NAME, "--include-private"],
    "dump": ["dump"],
}


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A plain journal with the canaries (plain: the worst case for a leftover) and its home."""
    home = tmp_path_factory.mktemp("home")
    path = home / "j.careerdesk"
    fill_journal(path, env_for(home), passphrase=None)
    return home, path


def readable_text(path: Path) -> str:
    """What someone with the file reads: the bytes as text, and pdftotext's text of a PDF."""
    data = path.read_bytes()
    text = data.decode("utf-8", "replace") + data.decode("utf-16-le", "replace")
    if data.startswith(b"%PDF") and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              timeout=60, check=False)
        text += done.stdout
    return text


def canaries_in(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        text, data = readable_text(path), path.read_bytes()
        for canary in CANARIES:
            if canary in text or any(form in data for form in canary_forms(canary)):
                found.append(f"{path.name}: {canary}")
    return found


def test_a_complete_export_holds_the_canaries(filled: tuple[Path, Path],
                                              tmp_path: Path) -> None:
    """The check below can see a leak: an export that is not killed shows the name."""
    home, journal = filled
    out = tmp_path / "out.pdf"
    done = run_cli([*COMMANDS["record"], "--out", str(out), "--file", str(journal)],
                   env_for(home))
    assert done.returncode == 0, done.stderr
    assert canaries_in(tmp_path)


#: Every kind at both kill points on Linux's unnamed-file path; the named-temporary fallback
#: (other systems, or a file system without O_TMPFILE) shares the clean-up code, so three cases
#: that reach each of its branches cover it.
KILL_CASES = [
    *(pytest.param(kind, point, True, id=f"{kind}-{point}-o_tmpfile")
      for kind in COMMANDS for point in ("export-before-fsync", "export-before-publish")),
    *(pytest.param(kind, point, False, id=f"{kind}-{point}-named-temporary")
      for kind, point in (("record", "export-before-publish"), ("dump", "export-before-fsync"),
                          ("book", "export-before-publish"))),
]


@pytest.mark.parametrize(("kind", "point", "unnamed"), KILL_CASES)
def test_a_killed_export_or_dump_leaves_nothing_readable(
        filled: tuple[Path, Path], tmp_path: Path, kind: str, point: str,
        unnamed: bool) -> None:
    home, journal = filled
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    suffix = ".json" if kind == "dump" else ".pdf"
    previous = out_dir / f"{CANARY_NAME}{suffix}"
    previous.write_bytes(b"the previous version")  # a replace: the hidden-name path
    new = out_dir / f"new{suffix}"
    extra = {"CAREERDESK_CRASH_AT": point}
    if not unnamed:
        extra["CAREERDESK_NO_TMPFILE"] = "1"
    for target in (previous, new):
        killed = run_cli([*COMMANDS[kind], "--out", str(target), "--file", str(journal)],
                         env_for(home, **extra))
        assert killed.returncode == -9, killed.stderr  # SIGKILL, the fault made for real
    if not unnamed:  # the fault left its temporary files: the next start must remove them
        assert [p for p in out_dir.iterdir() if p.name.startswith(".careerdesk-")]
    assert previous.read_bytes() == b"the previous version"
    assert not new.exists()

    started = run_cli(["check", "--file", str(journal)], env_for(home))  # the next start
    assert started.returncode == 0, started.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == [previous.name]
    assert canaries_in(out_dir) == []


def test_leftovers_of_older_versions_are_removed_at_start(filled: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    """Before issue 21 a killed export left ``.<name>.pdf.<hex>.part`` and a killed dump
    ``.<name>.json.<pid>.part``; in a folder exported to since, the next start removes them."""
    home, journal = filled
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    old_export = out_dir / ".book.pdf.0123456789ab.part"
    old_dump = out_dir / ".all.json.4242.part"
    kept = out_dir / ".notes.part"  # not ours: never touched
    for path in (old_export, old_dump, kept):
        path.write_text(CANARY_NAME, encoding="utf-8")
    done = run_cli(["dump", "--out", str(out_dir / "all.json"), "--file", str(journal)],
                   env_for(home))
    assert done.returncode == 0, done.stderr
    assert run_cli(["check", "--file", str(journal)], env_for(home)).returncode == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [".notes.part", "all.json"]


#: Run as the window under ``umask 000`` and ``ulimit -c unlimited``: once the journal is on
#: screen it reports its own core limit, whether it is dumpable, and the mode of every file and
#: folder under CareerDesk's home (the lock, the -wal and -shm exist only while it runs).
WINDOW_PROBE = r"""
import ctypes, json, os, sys
from careerdesk.ui import application

seen = {}
ready = application.Launcher.ready

def on_ready(self):
    self.window.save_geometry()
    limits = open("/proc/self/limits").read().splitlines()
    seen["core"] = next(line for line in limits if line.startswith("Max core file size"))
    seen["dumpable"] = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    seen["modes"] = {
        os.path.join(root, name): [os.stat(os.path.join(root, name)).st_mode & 0o777,
                                   int(name in dirs)]
        for root, dirs, files in os.walk(sys.argv[2]) for name in dirs + files
    }
    ready(self)  # a smoke run closes the journal there

application.Launcher.ready = on_ready
from careerdesk.app import main
code = main(["--smoke", "--file", sys.argv[1]])
print("PROBE " + json.dumps(seen))
sys.exit(code)
"""


def _permissive(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with umask 000 and core dumps allowed, as a careless shell would."""
    return subprocess.run(
        ["bash", "-c", 'umask 000 && ulimit -c unlimited && exec "$@"', "bash", *command],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180,
        check=False,
    )


def test_everything_careerdesk_keeps_is_owner_only_and_it_never_dumps_core(
        tmp_path: Path) -> None:
    """Under umask 000 every file CareerDesk creates for itself is 0600 and every folder 0700;
    the PDF the user exports follows their umask (0666). The window started with core dumps
    allowed has a core limit of 0 and is not dumpable once it is on screen."""
    home = tmp_path / "home"
    env = env_for(home, CAREERDESK_NEW_PASSPHRASE=PASSPHRASE)
    # The default journal (no --file): CareerDesk creates the data folder for it.
    journal = home / "data" / "journal.careerdesk"
    cli = [sys.executable, "-m", "careerdesk"]
    exports = tmp_path / "exports"
    exports.mkdir()
    for args in (["demo", "--people", "2", "--years", "1"], ["backup"],
                 ["passphrase", "set"],
                 ["export", "plan", "--person", "Ольга", "--out", str(exports / "plan.pdf")],
                 ["dump", "--out", str(exports / "all.json")]):
        done = _permissive([*cli, *args], {**env, "CAREERDESK_PASSPHRASE": PASSPHRASE})
        assert done.returncode == 0, (args, done.stderr)
    window = _permissive(
        [sys.executable, "-c", WINDOW_PROBE, str(journal), str(home)],
        {**env, "QT_QPA_PLATFORM": "offscreen", "CAREERDESK_PASSPHRASE": PASSPHRASE},
    )
    assert window.returncode == 0, window.stderr
    line = next(x for x in window.stdout.splitlines() if x.startswith("PROBE "))
    seen = json.loads(line.removeprefix("PROBE "))

    assert seen["core"].split()[4:6] == ["0", "0"]  # soft and hard limits
    assert seen["dumpable"] == 0
    # What the window saw while it ran (the lock, -wal, -shm), then what is left afterwards.
    modes: dict[str, list[int]] = seen["modes"]
    for path in home.rglob("*"):
        modes[str(path)] = [path.stat().st_mode & 0o777, int(path.is_dir())]
    ours = {p: m for p, m in modes.items() if Path(p) != home / "tmp"
            and home / "tmp" not in Path(p).parents}
    names = {Path(p).name for p in ours}
    # Everything the issue lists was there to be checked.
    assert {"journal.careerdesk", "journal.careerdesk.key", "journal.careerdesk-wal",
            "journal.careerdesk.lock", "window.ini", "careerdesk.log"} <= names, sorted(names)
    assert any(home / "backups" in Path(p).parents and p.endswith(".key") for p in ours)
    wrong = {p: oct(mode) for p, (mode, is_dir) in ours.items()
             if mode != (0o700 if is_dir else 0o600)}
    assert wrong == {}
    # What the user exports is theirs to share: it follows their umask.
    assert (exports / "plan.pdf").stat().st_mode & 0o777 == 0o666
    assert (exports / "all.json").stat().st_mode & 0o777 == 0o666


#: The window, crashed by a SIGSEGV once its journal is on screen; faulthandler on, as a crash
#: log would be. "unprotected" turns CareerDesk's protections off: the control.
CRASH_PROBE = r"""
import faulthandler, os, signal, sys
log = open(sys.argv[2], "w")
faulthandler.enable(log)
from careerdesk import app, hardening
if sys.argv[3] == "unprotected":
    hardening.protect_process = lambda: None
    hardening.forbid_memory_access = lambda: None
from careerdesk.ui import application

def crash_when_ready(self):
    os.kill(os.getpid(), signal.SIGSEGV)

application.Launcher.ready = crash_when_ready
sys.exit(app.main(["--smoke", "--file", sys.argv[1]]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="core files as Linux does them")
def test_a_crashed_window_leaves_a_traceback_and_no_core_file(filled: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    home, journal = filled
    results = {}
    for mode in ("unprotected", "protected"):
        folder = tmp_path / mode
        folder.mkdir()
        crashed = subprocess.run(
            ["bash", "-c", 'ulimit -c unlimited && exec "$@"', "bash", sys.executable, "-c",
             CRASH_PROBE, str(journal), str(folder / "crash.log"), mode],
            cwd=folder, env={**env_for(home), "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True, text=True, timeout=180, check=False,
        )
        assert crashed.returncode == -11, crashed.stderr  # SIGSEGV
        cores = [p for p in folder.iterdir() if p.name.startswith("core")]
        results[mode] = (cores, (folder / "crash.log").read_text(encoding="utf-8"))
        for core in cores:
            core.unlink()  # large, and full of the journal
    core_pattern = Path("/proc/sys/kernel/core_pattern").read_text(encoding="utf-8").strip()
    if core_pattern.startswith("core"):  # the control shows that the test sees a core file
        assert results["unprotected"][0]
    cores, crash_log = results["protected"]
    assert cores == []
    assert "Fatal Python error: Segmentation fault" in crash_log  # faulthandler still works
    assert "crash_when_ready" in crash_log
