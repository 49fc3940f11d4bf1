"""Process hardening, first thing at start and before any journal is opened (issue 21).

Files CareerDesk creates are private to the user (umask 077), the process leaves no core file
with notes or the data key in it, and on Linux no other process of the same user may read its
memory. The window calls :func:`protect_process` before its first paint and
:func:`forbid_memory_access` after it; the command line calls both at once.
"""

from __future__ import annotations

import sys

from careerdesk.paths import protect_new_files

#: prctl(2) option: whether the process may dump core and be ptrace'd by the same user.
PR_SET_DUMPABLE = 4


def protect_process() -> None:
    """From the start, before any journal is opened: files private to the user (umask 077) and
    no core file with the notes or the data key in it (issue 21). Cheap enough for the window's
    first-paint path (~0.5 ms); :func:`forbid_memory_access` does the rest."""
    protect_new_files()
    try:
        import resource
    except ImportError:  # Windows: no core files to speak of
        return
    import contextlib  # already loaded by pathlib: costs nothing

    with contextlib.suppress(ValueError, OSError):  # a hard limit that cannot be lowered
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def forbid_memory_access() -> None:
    """On Linux, mark the process not dumpable (``prctl(PR_SET_DUMPABLE, 0)``), as KeePassXC
    does: no core dump even through a ``core_pattern`` pipe, and other processes of the same
    user cannot ptrace it or read its memory. Needs ``ctypes`` (~8 ms to import here), so the
    window calls it after its first paint, before it opens the journal."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        pass
