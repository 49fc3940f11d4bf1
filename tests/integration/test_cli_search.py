"""`careerdesk search` through a real subprocess: good input, filters, JSON, bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerdesk.domain.model import StageId
from careerdesk.services import Services
from careerdesk.storage.journal import open_journal
from tests.helpers import run_cli


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli.careerdesk"
    with open_journal(path) as journal:
        services = Services(journal)
        jose = services.people.create("José Núñez")
        zoe = services.people.create("Zoë Kowalczyk")
        talk = services.conversations.start(jose.id, dt.date(2026, 2, 1))
        services.conversations.set_answer(
            talk.id, "p", StageId.CURRENT_ROLE, text="Wants to lead \x1b[31mthe migration"
        )
        services.entries.add(zoe.id, dt.date(2025, 5, 1), body="migration retro", tags=["ops"])
    return path


def test_search_prints_matches(demo_file: Path) -> None:
    result = run_cli("search", "migr", "--file", demo_file)
    assert result.returncode == 0, result.stderr
    assert "José Núñez" in result.stdout
    assert "Zoë Kowalczyk" in result.stdout
    assert "[migration]" in result.stdout
    assert "\x1b" not in result.stdout  # user text cannot drive the terminal
    assert "2 matches." in result.stdout


def test_search_filters_and_json(demo_file: Path) -> None:
    result = run_cli("search", "migration", "--file", demo_file, "--person", "jose", "--json")
    assert result.returncode == 0, result.stderr
    [hit] = json.loads(result.stdout)
    assert hit["kind"] == "answer"
    assert hit["person"] == "José Núñez"
    start, end = hit["snippet_spans"][0]
    assert hit["snippet"][start:end] == "migration"
    result = run_cli("search", "migration", "--file", demo_file, "--tag", "ops", "--json",
                     "--from", "2025-01-01", "--to", "2025-12-31", "--kind", "entry")
    assert [h["person"] for h in json.loads(result.stdout)] == ["Zoë Kowalczyk"]


def test_malformed_query_is_not_an_error(demo_file: Path) -> None:
    for query in ['"unbalanced AND (', "NEAR(", "*"]:
        result = run_cli("search", query, "--file", demo_file)
        assert result.returncode == 0, result.stderr
        assert "No matches." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "spaceship"], "Unknown kind"),
        (["--from", "2026-13-01"], "is not a date"),
        (["--person", "nobody"], "No person called"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--from must not be after --to"),
        (["--limit", "0"], "--limit must be at least 1"),
    ],
)
def test_bad_input_is_one_line(demo_file: Path, args: list[str], message: str) -> None:
    result = run_cli("search", "x", "--file", demo_file, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("search", "x", "--file", tmp_path / "none.careerdesk")
    assert result.returncode == 1
    assert "There is no journal" in result.stderr
    assert not (tmp_path / "none.careerdesk").exists()


def test_a_closed_pipe_ends_the_search_quietly(demo_file: Path) -> None:
    # `careerdesk search ... | head` where head has already gone: the pipe has no reader from
    # the start, so the first write meets it closed (no race on how much fits in the buffer).
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "careerdesk", "search", "migr", "--file", str(demo_file)],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""  # no "unexpected error", no traceback
    assert result.returncode == 141  # what a shell reports for a command ended by SIGPIPE
