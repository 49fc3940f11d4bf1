"""How CareerDesk is started: the window's own arguments, read without the full parser.

``careerdesk``, ``careerdesk PATH``, ``careerdesk --file PATH`` and ``--smoke`` open the window.
They are by far the most common command lines, and the window has to be on screen as soon as
possible, so :func:`window_request` recognises them without building the command-line parser
(argparse with every subcommand costs milliseconds the window does not have). Anything else,
a command, ``--help``, a typo, goes to the full parser in :mod:`careerdesk.cli`, which also
accepts every form this module does: a test keeps the two in step.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from careerdesk.paths import JOURNAL_SUFFIX

#: The subcommands of ``careerdesk`` (a test checks this against :func:`cli.build_parser`).
COMMANDS = frozenset(
    {"demo", "dump", "load", "backup", "restore", "export", "import", "search", "check",
     "passphrase", "repair"}
)


class WindowRequest(NamedTuple):
    """What the window was asked to open, and whether this is a ``--smoke`` run."""

    file: Path | None
    smoke: bool


def looks_like_journal_path(candidate: str) -> bool:
    """A lone argument that is a path: a folder in it, the journal suffix, or an existing file.

    That is how a desktop opens a double-clicked journal (the desktop entry's ``Exec=careerdesk
    %f``, Windows' "Open with"). A bare word that is none of these, such as a mistyped command,
    is not a path.
    """
    if not candidate or candidate.startswith("-") or candidate in COMMANDS:
        return False
    return (
        os.sep in candidate
        or (os.altsep is not None and os.altsep in candidate)
        or candidate.endswith(JOURNAL_SUFFIX)
        or os.path.isfile(candidate)
    )


def window_request(argv: list[str]) -> WindowRequest | None:
    """The window's arguments when ``argv`` asks only for the window; None for anything else.

    Recognised: nothing; a lone path; ``--file PATH`` / ``--file=PATH``; ``--smoke``. A value
    that starts with ``-``, an empty value, an abbreviation or any other word returns None, and
    the full parser decides (and reports a mistake properly).
    """
    if len(argv) == 1 and looks_like_journal_path(argv[0]):
        return WindowRequest(Path(argv[0]), smoke=False)
    file: Path | None = None
    smoke = False
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--smoke":
            smoke = True
        elif word == "--file" and index + 1 < len(argv):
            index += 1
            value = argv[index]
            if not value or value.startswith("-"):
                return None
            file = Path(value)
        elif word.startswith("--file=") and len(word) > len("--file="):
            file = Path(word[len("--file="):])
        else:
            return None
        index += 1
    return WindowRequest(file, smoke)


def file_argument_as_option(argv: list[str]) -> list[str]:
    """Turn a lone path argument into ``--file PATH`` for the full parser; leave anything else
    alone (a subcommand is never taken for a path: see :data:`COMMANDS`)."""
    if len(argv) != 1 or not looks_like_journal_path(argv[0]):
        return argv
    return ["--file", argv[0]]
