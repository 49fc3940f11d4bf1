"""Where CareerDesk keeps its files: data, backups, logs, settings.

Folders come from platformdirs; ``CAREERDESK_HOME`` overrides them all (tests and portable use).
Nothing is created at import time: callers ask for a folder with ``ensure=True`` when they write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

JOURNAL_SUFFIX = ".careerdesk"
DEFAULT_JOURNAL_NAME = "journal" + JOURNAL_SUFFIX
HOME_ENV = "CAREERDESK_HOME"


class AppPaths(NamedTuple):
    """The folders of one installation (a NamedTuple: the window's start-up path reads it, and
    ``dataclasses`` is one import more than it needs)."""

    data_dir: Path
    backup_dir: Path
    log_dir: Path
    config_dir: Path

    @property
    def default_journal(self) -> Path:
        return self.data_dir / DEFAULT_JOURNAL_NAME

    @property
    def log_file(self) -> Path:
        return self.log_dir / "careerdesk.log"


def app_paths() -> AppPaths:
    """The folders for this user; ``CAREERDESK_HOME`` puts them all under one folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        root = Path(override).expanduser()
        return AppPaths(root / "data", root / "backups", root / "logs", root / "config")
    import platformdirs

    dirs = platformdirs.PlatformDirs("CareerDesk", appauthor=False)
    data = Path(dirs.user_data_dir)
    # Backups sit beside the data folder, not beside the file: a copied or synced journal
    # folder does not drag every old version of the journal with it.
    return AppPaths(
        data_dir=data,
        backup_dir=data.parent / "CareerDesk Backups",
        log_dir=Path(dirs.user_log_dir),
        config_dir=Path(dirs.user_config_dir),
    )


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (private to the user) if needed and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
