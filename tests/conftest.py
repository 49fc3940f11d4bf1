"""Fixtures shared by every test: no test touches a real home folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from careerdesk.services import Services
from careerdesk.storage.journal import Journal, open_journal


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every CareerDesk folder (data, backups, logs, config) into tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("CAREERDESK_HOME", str(home))
    monkeypatch.delenv("CAREERDESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("CAREERDESK_NEW_PASSPHRASE", raising=False)
    return home


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    return tmp_path / "test.careerdesk"


@pytest.fixture
def journal(journal_file: Path) -> Iterator[Journal]:
    opened = open_journal(journal_file)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def services(journal: Journal) -> Services:
    return Services(journal)


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    """GUI tests run in CareerDesk's own application class, as the app does (pytest-qt)."""
    from careerdesk.ui.application import CareerDeskApplication

    return CareerDeskApplication
