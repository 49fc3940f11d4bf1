"""Writing an export file completely or not at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from careerdesk.errors import ExportError


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Calls ``write(temp_path)`` for a temporary file beside ``target``, then moves it into place.

    An existing ``target`` is replaced only once the new file is complete and flushed to disk.
    If anything fails (including :class:`ExportError` raised by ``write``, such as a
    cancellation), the temporary file is removed and ``target`` is left as it was. OS errors
    become :class:`ExportError` with a message naming the file.
    """
    target = Path(target)
    folder = target.parent
    temp_name = str(folder / f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        # os.open with 0o666 lets the umask decide, so the finished PDF gets the permissions any
        # new file of the user gets (mkstemp would leave it readable by its owner only).
        fd = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileNotFoundError as exc:
        raise ExportError(f"Cannot write {target}: the folder {folder} does not exist.") from exc
    except NotADirectoryError as exc:
        raise ExportError(f"Cannot write {target}: {folder} is not a folder.") from exc
    except OSError as exc:
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.is_dir():
            raise ExportError(f"Cannot write {target}: a folder of that name exists.")
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
        raise
