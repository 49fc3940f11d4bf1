"""Small helpers for tests: run the real CLI in a subprocess, hash files, see what loads."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str | Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m careerdesk ARGS`` in a subprocess, with the test's environment."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "careerdesk", *map(str, args)],
        capture_output=True, text=True, env=full_env, timeout=timeout, input=input_text,
        check=False,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its hash: to prove nothing changed."""
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def run_python(code: str) -> str:
    """What ``code`` prints when it runs in a fresh interpreter (start-up tests)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout


def modules_loaded_by(code: str, *, prefix: str) -> set[str]:
    """The modules whose name starts with ``prefix`` once ``code`` has run in a new process."""
    listing = f"import sys\nprint(' '.join(m for m in sys.modules if m.startswith({prefix!r})))"
    return set(run_python(f"{code}\n{listing}\n").split())
