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

from careerdesk import hardening  # noqa: E402 - STARTED first
from careerdesk.launch import WindowRequest, window_request  # noqa: E402 - STARTED first


def has_display() -> bool:
    """Whether Qt can open a window here (an explicit QT_QPA_PLATFORM counts)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    hardening.protect_process()
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
