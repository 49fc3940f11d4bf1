"""Composition root: arguments, logging, paths; then either a CLI command or the window."""

from __future__ import annotations

import os
import sys
import time

#: When this module was imported: the start of the clock for ``--smoke`` (see ui.application).
STARTED = time.perf_counter()

from collections.abc import Sequence  # noqa: E402 - STARTED is taken first

from careerdesk import cli  # noqa: E402 - STARTED is taken before any other import


def has_display() -> bool:
    """Whether Qt can open a window here (an explicit QT_QPA_PLATFORM counts)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    from careerdesk.launch import file_argument_as_option

    args = parser.parse_args(file_argument_as_option(argv, parser))
    if getattr(args, "handler", None) is not None:
        return cli.run(argv)
    if not has_display():
        print(
            "careerdesk: no display found. Run it on a desktop session, or under a virtual one: "
            "xvfb-run careerdesk (apt-get install xvfb).",
            file=sys.stderr,
        )
        return cli.EXIT_USER_ERROR
    from careerdesk.ui.application import run_gui

    return run_gui(args)
