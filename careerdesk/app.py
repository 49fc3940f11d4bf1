"""Composition root: arguments, logging, paths; then either a CLI command or the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from careerdesk import cli
from careerdesk.paths import JOURNAL_SUFFIX


def has_display() -> bool:
    """Whether Qt can open a window here (an explicit QT_QPA_PLATFORM counts)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def file_argument_as_option(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """``careerdesk PATH`` means ``careerdesk --file PATH``.

    That is how a desktop opens a double-clicked journal (the desktop entry's ``Exec=careerdesk
    %f``, Windows' "Open with"): one argument that is not a command and looks like a path (it
    has a folder in it, ends in ``.careerdesk`` or names an existing file). Anything else, such
    as a mistyped command, is left for argparse to report.
    """
    commands = {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }
    if len(argv) != 1 or argv[0].startswith("-") or argv[0] in commands:
        return argv
    candidate = argv[0]
    looks_like_path = (
        os.sep in candidate
        or (os.altsep is not None and os.altsep in candidate)
        or candidate.endswith(JOURNAL_SUFFIX)
        or os.path.isfile(candidate)
    )
    return ["--file", candidate] if looks_like_path else argv


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    argv = file_argument_as_option(argv, parser)
    args = parser.parse_args(argv)
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
