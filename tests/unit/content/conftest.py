"""Helpers for content tests: a writable copy of the shipped content to break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from careerdesk.content.loader import content_root

Editor = Callable[[str, str, str], None]


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of resources/content in tmp_path (each test gets its own, so no cache clash)."""
    root = tmp_path / "content"
    shutil.copytree(content_root(), root)
    return root


@pytest.fixture
def edit(content_copy: Path) -> Editor:
    """Replace text in one file of the copy; fails loudly if the text is not there."""

    def _edit(relative: str, old: str, new: str) -> None:
        path = content_copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return _edit
