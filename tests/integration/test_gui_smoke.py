"""``careerdesk --smoke`` in a real subprocess: both times printed, exit 0, no heavy imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import run_cli

pytestmark = pytest.mark.gui


def test_smoke_prints_both_times_and_skips_heavy_imports(tmp_path: Path) -> None:
    journal = tmp_path / "demo.careerdesk"
    made = run_cli("demo", "--people", "6", "--years", "1", "--file", journal)
    assert made.returncode == 0, made.stderr
    result = run_cli("--smoke", "--file", journal, env={"QT_QPA_PLATFORM": "offscreen"},
                     timeout=90)
    assert result.returncode == 0, result.stderr
    first = re.search(r"^first paint: (\d+) ms$", result.stdout, re.MULTILINE)
    ready = re.search(r"^journal ready: (\d+) ms$", result.stdout, re.MULTILINE)
    assert first, result.stdout
    assert ready, result.stdout
    assert int(first.group(1)) <= int(ready.group(1))
    assert "imported on start-up" not in result.stdout  # neither reportlab nor alembic


def test_smoke_on_a_file_that_is_not_a_journal_fails_cleanly(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.careerdesk"
    bogus.write_text("just some text, not a journal\n")
    result = run_cli("--smoke", "--file", bogus, env={"QT_QPA_PLATFORM": "offscreen"},
                     timeout=90)
    assert result.returncode == 1
    assert "not a CareerDesk journal" in result.stderr
    assert "Traceback" not in result.stderr
    assert bogus.read_text() == "just some text, not a journal\n"
