"""Privacy guarantees across the whole app, each with its own test (issue 7, part 5):
no network, no network libraries, no note text in logs, no plaintext in temporary files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.integration.journal_tools import (
    CANARIES,
    CANARY_NOTE,
    PASSPHRASE,
    env_for,
    files_under,
    fill_journal,
    leaks,
    run_cli,
)

#: Modules that open network connections; no CareerDesk module may pull one in.
NETWORK_MODULES = (
    "urllib.request", "http.client", "requests", "httpx", "urllib3", "aiohttp",
    "ftplib", "smtplib", "xmlrpc.client", "socketserver", "PySide6.QtNetwork",
)
#: Our own code may not even name these (ssl included). ssl itself is loaded at run time, but
#: only by the standard library's asyncio (for its optional TLS), which SQLAlchemy imports; it
#: opens nothing by itself, so the sys.modules check leaves it out and says so here.
FORBIDDEN_IN_SOURCE = (*NETWORK_MODULES, "ssl", "socket.create_connection", "urllib")

NO_SOCKETS = textwrap.dedent(
    """
    # Installed as sitecustomize for the child: any attempt to open a socket fails loudly.
    import socket

    class _NoNetwork(socket.socket):
        def __init__(self, *args, **kwargs):
            raise OSError("CareerDesk test: sockets are disabled")

    def _refuse(*args, **kwargs):
        raise OSError("CareerDesk test: sockets are disabled")

    socket.socket = _NoNetwork
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    socket.socketpair = _refuse
    """
)


def subcommands(env: dict[str, str]) -> set[str]:
    done = run_cli(["--help"], env)
    listed = done.stdout.split("COMMAND", 1)[-1]
    return {line.split()[0] for line in listed.splitlines() if line.startswith("    ")}


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_SOCKETS, encoding="utf-8")
    return env_for(tmp_path / "home", PYTHONPATH=str(site))


def test_the_socket_guard_works(offline_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        env=offline_env, capture_output=True, text=True, check=False,
    )
    assert done.returncode != 0
    assert "sockets are disabled" in done.stderr


def test_every_command_runs_with_sockets_disabled(
    tmp_path: Path, offline_env: dict[str, str]
) -> None:
    journal = str(tmp_path / "home" / "demo.careerdesk")
    out = tmp_path / "out"
    out.mkdir()
    env = offline_env | {
        "CAREERDESK_NEW_PASSPHRASE": PASSPHRASE, "CAREERDESK_PASSPHRASE": PASSPHRASE,
    }
    commands = [
        ["demo", "--encrypt", "--people", "3", "--years", "1"],
        ["check"],
        ["dump", "--out", str(out / "dump.json")],
        ["backup"],
        ["backup", "--list"],
        ["passphrase", "change"],
    ]
    available = subcommands(env)
    if "search" in available:
        commands.append(["search", "career"])
    if "export" in available:
        commands.append(["export", "plan", "--person", "Alex", "--out", str(out / "plan.pdf")])
    for command in commands:
        done = run_cli([*command, "--file", journal], env)
        assert "sockets are disabled" not in done.stderr, command
        assert done.returncode == 0, (command, done.stderr)


def test_no_careerdesk_module_imports_a_network_library() -> None:
    """Import every module of the package (the UI too) in a fresh interpreter, then look."""
    script = textwrap.dedent(
        """
        import importlib, json, pkgutil, sys
        import careerdesk
        skipped = ("careerdesk.__main__", "careerdesk.storage.migrations.env")
        names = [m.name for m in pkgutil.walk_packages(careerdesk.__path__, "careerdesk.")
                 if m.name not in skipped]
        for name in names:
            importlib.import_module(name)
        print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERDESK_")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False,
        env=env | {"QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "careerdesk.storage.crypto" in report["imported"]
    assert "careerdesk.cli" in report["imported"]
    loaded = set(report["loaded"])
    assert sorted(loaded & set(NETWORK_MODULES)) == []


def test_careerdesk_source_names_no_network_library() -> None:
    """Every import statement of the package, read from the source (lock.py's use of
    ``socket.gethostname`` to label a lock is the one socket call, and it opens nothing)."""
    import ast

    import careerdesk

    root = Path(careerdesk.__file__).parent
    offenders = []
    for source in sorted(root.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_IN_SOURCE):
                    offenders.append(f"{source.relative_to(root)}: {name}")
    assert offenders == []


def test_logs_never_hold_note_text_when_a_command_fails(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = env_for(home)
    journal = home / "j.careerdesk"
    fill_journal(journal, env, passphrase=None)
    # 1. A user error: a dump with a canary in a note, but malformed, is refused.
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "careerdesk-journal", "format_version": 999,
                    "notes": [{"text": CANARY_NOTE}]}),
        encoding="utf-8",
    )
    refused = run_cli(["load", str(bad), "--file", str(home / "new.careerdesk")], env)
    assert refused.returncode != 0
    # 2. An unexpected error whose message carries note text (as a driver error quoting SQL
    #    parameters would): the log keeps the type and the frames, never the message.
    crash = textwrap.dedent(
        f"""
        import sys
        import careerdesk.services.interchange as interchange
        def boom(*args, **kwargs):
            raise RuntimeError("INSERT failed for text {CANARY_NOTE}")
        interchange.dump_journal = boom
        from careerdesk import cli
        sys.exit(cli.run(["dump", "--out", "-", "--file", {str(journal)!r}]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", crash], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 70, done.stderr
    assert CANARY_NOTE not in done.stderr
    logs = files_under(home / "logs")
    assert logs, "the unexpected error was logged"
    assert "RuntimeError" in "".join(p.read_text(encoding="utf-8") for p in logs)
    assert leaks(home / "logs") == []


def test_temporary_files_never_hold_plaintext_of_an_encrypted_journal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = env_for(home, CAREERDESK_PASSPHRASE=PASSPHRASE)
    journal = home / "data" / "j.careerdesk"
    journal.parent.mkdir(parents=True)
    fill_journal(journal, env, passphrase=PASSPHRASE)
    out = tmp_path / "out"
    out.mkdir()
    available = subcommands(env)
    commands = [
        ["check"],
        ["backup"],
        ["dump", "--out", str(out / "dump.json")],  # plaintext on purpose, outside the scan
        ["passphrase", "recovery-key"],
    ]
    if "search" in available:
        commands.append(["search", CANARY_NOTE])
    for command in commands:
        done = run_cli([*command, "--file", str(journal)], env)
        assert done.returncode == 0, (command, done.stderr)
        tmp = Path(env["TMPDIR"])
        assert leaks(tmp, home / "data", home / "backups", home / "logs") == [], command
        # Nothing is left in the temporary folder, and nothing half-written beside the journal.
        assert files_under(tmp) == [], command
        strays = [p.name for p in journal.parent.iterdir() if p.name.startswith(".")]
        assert strays == [], command
    assert all(c.encode() in (out / "dump.json").read_bytes() for c in CANARIES)
