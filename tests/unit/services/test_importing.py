"""One import verb: the kind of a file is told from its content, never from its name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerdesk.errors import ExchangeError
from careerdesk.services.importing import read_incoming

PLAN = {
    "format": "careerdesk-plan", "format_version": 1, "exported_at": "2026-12-01T09:00:00Z",
    "person": {"id": "p1", "name": "Olga"}, "supervisor": {"name": ""}, "conversation": None,
    "match": [], "steps": [], "next_conversation": None,
}


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("plan.txt", json.dumps(PLAN).encode(), "plan"),
    ("people.careerplan", b"name\tteam\nAnn\tCore\n", "roster"),
    ("people.txt", "\ufeffName;Role\nÅsa;Dev\n".encode("utf-16"), "roster"),
    ("t.data", json.dumps({"format": "careerdesk-prompt-template"}).encode(), "template"),
    ("t.data", b'format = "careerdesk-prompt-template"\nversion = 1\n', "template"),
])
def test_the_kind_comes_from_the_content(tmp_path: Path, name: str, content: bytes,
                                         kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert read_incoming(path).kind == kind


@pytest.mark.parametrize("content", [
    b"", b"[1, 2]", b'{"format": "something-else"}', b"\x89PNG\r\n\x1a\n\x00\x00",
    b"SQLite format 3\x00", b"hello there\n",
])
def test_anything_else_is_refused_in_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "thing.bin"
    path.write_bytes(content)
    with pytest.raises(ExchangeError) as caught:
        read_incoming(path)
    assert str(caught.value).startswith("thing.bin: ")
    assert "\n" not in str(caught.value)


def test_a_missing_or_huge_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="no such file"):
        read_incoming(tmp_path / "absent.csv")
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"name\n" + b"x" * (5 * 1024 * 1024))
    with pytest.raises(ExchangeError, match="too large"):
        read_incoming(huge)
