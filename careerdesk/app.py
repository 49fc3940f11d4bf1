"""Composition root: arguments, then either a CLI command or the window.

The window's path imports as little as it can before the window is on screen (issue 4: start-up
is a feature): the common command lines are read by :func:`careerdesk.launch.window_request`,
and the full parser, logging and everything else load only when they are needed.
"""

from __future__ import annotations

import gc
import os
import sys
import time

#: When this module was imported: the start of the clock for ``--smoke``, handed to the window.
STARTED = time.perf_counter()

from collections.abc import Sequence  # noqa: E402 - STARTED is taken first

from careerdesk.launch import WindowRequest, window_request  # noqa: E402 - STARTED first
from careerdesk.paths import protect_new_files  # noqa: E402 - STARTED first

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


def has_display() -> bool:
    """Whether Qt can open a window here (an explicit QT_QPA_PLATFORM counts)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    protect_process()
    request = window_request(argv)
    if request is None:
        from careerdesk import cli
        from careerdesk.launch import file_argument_as_option

        parser = cli.build_parser()
        args = parser.parse_args(file_argument_as_option(argv))
        if getattr(args, "handler", None) is not None:
            return cli.run(argv)
        request = WindowRequest(args.file, bool(args.smoke))
    if not has_display():
        print(
            "careerdesk: no display found. Run it on a desktop session, or under a virtual one: "
            "xvfb-run careerdesk (apt-get install xvfb).",
            file=sys.stderr,
        )
        return 1  # cli.EXIT_USER_ERROR, without importing the command line for it
    # Start-up allocates hundreds of thousands of long-lived objects (modules, classes, Qt
    # wrappers) and the cyclic collector would walk them again and again: ~45 ms of the first
    # half second, for no garbage. The window turns it back on once the journal is on screen
    # (ui.application.Launcher), or after a few seconds whatever happens.
    gc.disable()
    from careerdesk.ui.application import run_gui

    return run_gui(request, started=STARTED)
