"""The one writer of files the user takes away (PDFs, JSON dumps, plan and calendar files).

A file the user exports appears complete or not at all, and nothing readable is left behind when
the process dies while writing it (issue 21: a killed export used to leave the whole book as a
hidden ``.part`` file that nothing ever removed):

- on Linux the file is written *unnamed* in the target folder (``O_TMPFILE``): until it is
  complete, fsynced and linked into place it has no name, and a crash frees it with the process;
- elsewhere, or on a file system without ``O_TMPFILE`` (FAT, some network file systems), it is
  written under a neutral hidden name (``.careerdesk-<pid>-<hex>.part``) that is first recorded in
  a private state file; :func:`remove_leftovers`, run at every start before anything else, removes
  the names whose process is gone, and any such name in the folders exported to lately.

The finished file gets the permissions the user's own umask gives (exports are meant to be
shared), even though the process itself runs with umask 077 (:func:`careerdesk.paths.
protect_new_files`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from careerdesk.errors import ExportError
from careerdesk.paths import app_paths, user_file_mode

#: Fault-injection hook for the crash tests (the same variable as storage/crypto.py):
#: ``CAREERDESK_CRASH_AT=export-before-fsync`` or ``export-before-publish`` kills the process
#: with SIGKILL at that point. Read per call, so it costs nothing when unset.
CRASH_ENV = "CAREERDESK_CRASH_AT"
#: Test hook: ``CAREERDESK_NO_TMPFILE=1`` takes the named-temporary path even where
#: ``O_TMPFILE`` works, so the fallback is tested on Linux too.
NO_TMPFILE_ENV = "CAREERDESK_NO_TMPFILE"
#: The private state file (in the data folder): temporary names in use and the last folders
#: exported to. Names in it are neutral (no person's name).
STATE_FILE_NAME = "private-state.json"
#: How many export folders :func:`remove_leftovers` looks into.
FOLDERS_KEPT = 20

_TEMP_NAME = re.compile(r"\.careerdesk-(\d+)-[0-9a-f]{16}\.part")
#: What versions before issue 21 left behind: ``.<name>.<12 hex>.part`` (exports) and
#: ``.<name>.json.<pid>.part`` (dumps).
_OLD_TEMP_NAMES = (re.compile(r"\..+\.[0-9a-f]{12}\.part"), re.compile(r"\..+\.json\.\d+\.part"))


def write_export(target: Path, write: Callable[[Path], None]) -> None:
    """Calls ``write(path)`` to write the file, then publishes it as ``target``.

    ``path`` is a file ``write`` may open and write as often as it likes (on Linux it is
    ``/proc/self/fd/<n>``, an unnamed file in ``target``'s folder). ``target`` appears only once
    the file is complete and fsynced; an existing ``target`` is replaced atomically. If anything
    fails (including :class:`ExportError` raised by ``write``, such as a cancellation) or the
    process dies, no file with the content is left. OS errors become :class:`ExportError` with a
    message naming the file.
    """
    target = Path(target)
    folder = target.parent
    if not folder.exists():
        raise ExportError(f"Cannot write {target}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise ExportError(f"Cannot write {target}: {folder} is not a folder.")
    if target.is_dir():
        raise ExportError(f"Cannot write {target}: a folder of that name exists.")
    _remember_folder(folder)
    try:
        fd = _open_unnamed(folder)
        if fd is None:
            _write_named(target, write)
        else:
            _write_unnamed(fd, target, write)
    except OSError as exc:
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from exc


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """The name the renderer has always called: :func:`write_export`."""
    write_export(target, write)


def _open_unnamed(folder: Path) -> int | None:
    """An ``O_TMPFILE`` descriptor in ``folder``, or None where that cannot be had."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not sys.platform.startswith("linux") or os.environ.get(NO_TMPFILE_ENV):
        return None
    try:
        return os.open(folder, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        # Not supported by this file system (EOPNOTSUPP), or a kernel that predates it and
        # sees only O_DIRECTORY (EISDIR).
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None
        raise


def _write_unnamed(fd: int, target: Path, write: Callable[[Path], None]) -> None:
    proc_path = f"/proc/self/fd/{fd}"
    folder_fd = -1
    try:
        write(Path(proc_path))
        _crash_point("export-before-fsync")
        os.fchmod(fd, user_file_mode())
        os.fsync(fd)
        _crash_point("export-before-publish")
        folder_fd = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            _link(proc_path, target.name, folder_fd)
        except FileExistsError:
            hidden = _link_hidden(proc_path, folder_fd)
            try:
                os.replace(hidden, target.name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(hidden, dir_fd=folder_fd)
                raise
        os.fsync(folder_fd)
    finally:
        os.close(fd)
        if folder_fd >= 0:
            os.close(folder_fd)


def _link(proc_path: str, name: str, folder_fd: int) -> None:
    """Give the unnamed file ``name`` in the folder: ``linkat(AT_SYMLINK_FOLLOW)`` through
    /proc (os.link uses plain link(2), which does not follow the magic link, unless a dir_fd
    is given). Fails with FileExistsError if the name exists: nothing is ever overwritten."""
    os.link(proc_path, name, dst_dir_fd=folder_fd, follow_symlinks=True)


def _link_hidden(proc_path: str, folder_fd: int) -> str:
    """Link the unnamed file to a fresh hidden name no one else has (link fails on EEXIST)."""
    while True:
        hidden = _temp_name()
        try:
            _link(proc_path, hidden, folder_fd)
        except FileExistsError:
            continue
        return hidden


def _write_named(target: Path, write: Callable[[Path], None]) -> None:
    folder = target.parent
    temp = folder / _temp_name()
    _record_pending(temp, add=True)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        write(temp)
        _crash_point("export-before-fsync")
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, user_file_mode())
        _crash_point("export-before-publish")
        os.replace(temp, target)
        _fsync_folder(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    finally:
        with contextlib.suppress(OSError):
            _record_pending(temp, add=False)


def _temp_name() -> str:
    return f".careerdesk-{os.getpid()}-{secrets.token_hex(8)}.part"


def _fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":
        return  # folders cannot be opened for fsync there; the rename is durable enough
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


# -- the private state file and the clean-up at start ---------------------------------------------
def state_file() -> Path:
    """The private state file (0600, in the data folder)."""
    return app_paths().data_dir / STATE_FILE_NAME


@contextlib.contextmanager
def _state(*, write: bool) -> Iterator[dict[str, list[str]]]:
    """The state (``pending``: temporary files, ``folders``: export folders), under a lock
    so two CareerDesk processes do not lose each other's records."""
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_fd = os.open(path.with_name(STATE_FILE_NAME + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(lock_fd, fcntl.LOCK_EX)
        state = _read_state(path)
        before = json.dumps(state, sort_keys=True)
        yield state
        if write and json.dumps(state, sort_keys=True) != before:
            temp = path.with_name(f".{STATE_FILE_NAME}.{os.getpid()}.tmp")
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(state, handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):  # a full disk: leave nothing half-written
                    temp.unlink()
                raise
    finally:
        os.close(lock_fd)  # releases the flock


def _read_state(path: Path) -> dict[str, list[str]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"pending": [], "folders": []}
    state: dict[str, list[str]] = {"pending": [], "folders": []}
    if isinstance(raw, dict):
        for key in state:
            value = raw.get(key)
            if isinstance(value, list):
                state[key] = [str(v) for v in value if isinstance(v, str)]
    return state


def _remember_folder(folder: Path) -> None:
    name = str(folder.resolve())
    try:
        with _state(write=True) as state:
            folders = [f for f in state["folders"] if f != name]
            state["folders"] = [name, *folders][:FOLDERS_KEPT]
    except OSError:
        pass  # the export still works; only the clean-up of that folder is lost


def _record_pending(temp: Path, *, add: bool) -> None:
    name = str(temp.resolve())
    with _state(write=True) as state:
        pending = [p for p in state["pending"] if p != name]
        state["pending"] = [*pending, name] if add else pending


def _owner_gone(name: str) -> bool:
    """Whether the process that made a temporary file of ours is gone (never ourselves)."""
    match = _TEMP_NAME.fullmatch(name)
    if match is None:
        return any(pattern.fullmatch(name) for pattern in _OLD_TEMP_NAMES)
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    if sys.platform == "win32":
        # os.kill(pid, 0) would terminate the process there; a file still open by a live
        # process cannot be removed on Windows, so trying is safe.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, someone else's
    return False


def remove_leftovers() -> int:
    """Remove temporary export files whose process died: the recorded ones and any in the last
    export folders. Called at every start before a journal is opened; returns how many.
    Where nothing was ever exported there is no state file, and nothing is created."""
    removed = 0
    if not state_file().exists():
        return removed
    try:
        with _state(write=True) as state:
            keep: list[str] = []
            for name in state["pending"]:
                path = Path(name)
                if _owner_gone(path.name):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                        removed += 1
                else:
                    keep.append(name)
            state["pending"] = keep
            folders = list(state["folders"])
    except OSError:
        return removed
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if entry.name.startswith(".") and entry.name.endswith(".part") \
                        and entry.is_file(follow_symlinks=False) and _owner_gone(entry.name):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed += 1
    return removed
