"""``careerdesk PATH``: how desktops open a double-clicked journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerdesk import cli
from careerdesk.launch import file_argument_as_option


def test_a_lone_path_opens_that_journal() -> None:
    parser = cli.build_parser()
    argv = file_argument_as_option(["/home/ana/Work Notes/journal.careerdesk"], parser)
    args = parser.parse_args(argv)
    assert args.file == Path("/home/ana/Work Notes/journal.careerdesk")
    assert getattr(args, "handler", None) is None  # the window, not a command


@pytest.mark.parametrize("name", ["journal.careerdesk", "notes/old-journal.db"])
def test_a_relative_journal_path_opens_it(name: str) -> None:
    assert file_argument_as_option([name], cli.build_parser()) == ["--file", name]


def test_an_existing_file_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backup-copy").write_bytes(b"")
    assert file_argument_as_option(["backup-copy"], cli.build_parser()) == [
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
    assert file_argument_as_option(argv, cli.build_parser()) == argv
