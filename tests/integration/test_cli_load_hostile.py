"""``careerdesk load`` on hostile input, through the real command line (issue 22): one line, exit
1, no journal left behind, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import run_cli


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of its own (the test's CAREERDESK_HOME is beside it)."""
    out = tmp_path / "work"
    out.mkdir()
    return out


def _refused(source: Path, target: Path, needle: str) -> None:
    start = time.monotonic()
    result = run_cli("load", "--file", target, source, timeout=60)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("careerdesk: ")
    assert "unexpected" not in result.stderr
    assert needle in lines[0]
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == [source.name]
    assert time.monotonic() - start < 30


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
        ('{"format": ' + "9" * 4400 + "}", "out of range"),
        ('{"format": "\\ud800"}', "lone surrogate"),
    ],
    ids=["10000-nested-arrays", "4400-digit-integer", "lone-surrogate"],
)
def test_hostile_json_is_one_line_and_leaves_no_journal(
    folder: Path, text: str, needle: str
) -> None:
    source = folder / "dump.json"
    source.write_text(text, encoding="utf-8")
    _refused(source, folder / "new.careerdesk", needle)


def test_a_link_to_dev_zero_is_refused_at_once(folder: Path) -> None:
    source = folder / "dump.json"
    source.symlink_to("/dev/zero")
    _refused(source, folder / "new.careerdesk", "not a regular file")
