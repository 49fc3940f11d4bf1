"""``careerdesk PATH``: how desktops open a double-clicked journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerdesk import cli
from careerdesk.launch import COMMANDS, file_argument_as_option, window_request


def test_a_lone_path_opens_that_journal() -> None:
    parser = cli.build_parser()
    argv = file_argument_as_option(["/home/ana/Work Notes/journal.careerdesk"])
    args = parser.parse_args(argv)
    assert args.file == Path("/home/ana/Work Notes/journal.careerdesk")
    assert getattr(args, "handler", None) is None  # the window, not a command


@pytest.mark.parametrize("name", ["journal.careerdesk", "notes/old-journal.db"])
def test_a_relative_journal_path_opens_it(name: str) -> None:
    assert file_argument_as_option([name]) == ["--file", name]


def test_an_existing_file_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backup-copy").write_bytes(b"")
    assert file_argument_as_option(["backup-copy"]) == [
        "--file",
        "backup-copy",
    ]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["demo"],
        ["check"],
        ["frobnicate"],  # a mistyped command stays an error, not a new journal
        ["--smoke"],
        ["--file", "x.careerdesk"],
        ["demo", "--file", "x"],
    ],
)
def test_commands_and_options_are_left_alone(argv: list[str]) -> None:
    assert file_argument_as_option(argv) == argv


def _subcommands() -> set[str]:
    import argparse

    return {
        name
        for action in cli.build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def test_the_fast_path_knows_every_command() -> None:
    # A command missing here would be taken for a journal path by `careerdesk NAME`.
    assert _subcommands() == COMMANDS


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--smoke"],
        ["--file", "x.careerdesk"],
        ["--file=x.careerdesk", "--smoke"],
        ["--smoke", "--file", "/home/ana/Work Notes/journal.careerdesk"],
        ["--file", "a.careerdesk", "--file", "b.careerdesk"],  # the last one wins, as argparse
        ["notes/journal.careerdesk"],
    ],
)
def test_window_command_lines_mean_what_the_full_parser_says(argv: list[str]) -> None:
    request = window_request(argv)
    assert request is not None
    parser = cli.build_parser()
    args = parser.parse_args(file_argument_as_option(argv))
    assert getattr(args, "handler", None) is None
    assert (request.file, request.smoke) == (args.file, args.smoke)


@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["--help"],
        ["--version"],
        ["--smok"],  # an abbreviation: argparse decides
        ["--file"],  # no value: argparse reports it
        ["--file", "--smoke"],
        ["--file="],
        ["frobnicate"],
        ["--file", "x", "check"],
        ["export", "plan"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert window_request(argv) is None
