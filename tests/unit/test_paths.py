"""paths.py: CareerDesk's folders, and their modes (issue 21)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from careerdesk.paths import app_paths, ensure_dir, tighten_app_folders, user_file_mode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def test_new_folders_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        made = ensure_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert made.stat().st_mode & 0o777 == 0o700


def test_folders_left_open_by_an_older_version_are_closed(isolated_home: Path) -> None:
    paths = app_paths()
    for folder in paths:
        folder.mkdir(parents=True, mode=0o755)
        folder.chmod(0o755)
    (paths.data_dir / "journal.careerdesk").write_bytes(b"x")
    tighten_app_folders(paths)
    assert {folder.stat().st_mode & 0o777 for folder in paths} == {0o700}
    assert (paths.data_dir / "journal.careerdesk").read_bytes() == b"x"
    tighten_app_folders(paths)  # twice, and with folders missing: nothing to say
    tighten_app_folders(paths._replace(log_dir=isolated_home / "missing"))


def test_exports_follow_the_umask_the_process_has() -> None:
    old = os.umask(0o027)
    try:
        assert user_file_mode() == 0o640
    finally:
        os.umask(old)
