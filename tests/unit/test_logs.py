"""The log: records kept during start-up reach the file; note text never does."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerdesk.logs import hold_records, log, setup_logging


@pytest.fixture(autouse=True)
def fresh_logger() -> Iterator[None]:
    saved = (list(log.handlers), log.level, log.propagate)
    log.handlers.clear()
    yield
    for handler in log.handlers:
        handler.close()
    log.handlers[:] = saved[0]
    log.setLevel(saved[1])
    log.propagate = saved[2]


def test_records_held_at_start_up_are_written_when_the_file_is_set_up(tmp_path: Path) -> None:
    hold_records()
    log.info("journal migrated from 0002")
    log.debug("too chatty for the file")
    log.warning("backup folder missing")
    log_file = tmp_path / "logs" / "careerdesk.log"
    assert not log_file.exists()  # nothing touches the disk before the journal is on screen

    setup_logging(log_file)
    log.info("journal ready")
    for handler in log.handlers:
        handler.flush()
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "journal migrated from 0002", "backup folder missing", "journal ready"]
    assert all(not isinstance(h, logging.NullHandler) for h in log.handlers)


def test_setting_up_twice_keeps_one_file_handler(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a.log")
    setup_logging(tmp_path / "b.log")
    hold_records()  # too late: the file is already there
    assert len(log.handlers) == 1
    assert not (tmp_path / "b.log").exists()


def test_a_read_only_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the log folder should be")
    hold_records()
    log.error("kept in memory")
    setup_logging(blocked / "careerdesk.log")  # no exception
    log.error("and this one is dropped quietly")
