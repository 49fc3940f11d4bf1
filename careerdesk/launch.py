"""How desktops start CareerDesk on a file: ``careerdesk PATH`` means ``careerdesk --file PATH``."""

from __future__ import annotations

import argparse
import os

from careerdesk.paths import JOURNAL_SUFFIX


def file_argument_as_option(argv: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """Turn a lone path argument into ``--file PATH``; leave anything else alone.

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
