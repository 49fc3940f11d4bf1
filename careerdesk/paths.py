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


#: The umask the user started CareerDesk with; :func:`protect_new_files` sets it.
_user_umask: int | None = None
PRIVATE_UMASK = 0o077


def protect_new_files() -> None:
    """Make everything CareerDesk creates for itself owner-only (files 0600, folders 0700),
    whatever the user's umask, as ``pass`` does; the user's umask is remembered for the files
    they export (:func:`user_file_mode`). Called first thing at start; safe to call again."""
    global _user_umask  # one process-wide fact, set once at start
    previous = os.umask(PRIVATE_UMASK)
    if _user_umask is None:
        _user_umask = previous


def user_file_mode() -> int:
    """The mode a new file of the user's gets: 0o666 less the user's own umask.

    If the process umask is not CareerDesk's private one (someone changed it since, or
    :func:`protect_new_files` never ran), the current umask is the user's."""
    current = os.umask(PRIVATE_UMASK)
    os.umask(current)
    umask = _user_umask if current == PRIVATE_UMASK and _user_umask is not None else current
    return 0o666 & ~umask


def tighten_app_folders(paths: AppPaths) -> None:
    """Make CareerDesk's own folders (data, backups, logs, config) owner-only (0700) where an
    older version, or a permissive umask, left them open to other accounts: a file inside a
    0700 folder cannot be reached by them, whatever its own mode. Folders of another owner are
    left alone. A few ``stat`` calls; nothing on Windows, where modes mean little."""
    if os.name != "posix":
        return
    for folder in paths:
        try:
            info = folder.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                folder.chmod(0o700)
        except OSError:
            continue  # not there yet, or not ours to change
