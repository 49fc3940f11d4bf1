"""The services bundle: what it makes at once, what on first use, and rebinding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from careerdesk.services import Services
from careerdesk.services.base import Service
from careerdesk.storage.journal import open_journal
from tests.helpers import modules_loaded_by, run_python

LAZY = ("plan", "entries", "prompts", "search", "reminders")


def _first_screen(journal_file: Path) -> str:
    """What the window does before it is ready, as code for a fresh interpreter."""
    return (
        "from pathlib import Path\n"
        "from careerdesk.services import Services\n"
        "from careerdesk.storage.journal import open_journal\n"
        f"journal = open_journal(Path({str(journal_file)!r}))\n"
        "services = Services(journal)\n"
        "services.settings.get('language')\n"
        "roster = services.people.summaries()\n"
        "services.people.get(roster[0].person.id)\n"
        "services.people.me()\n"
        "services.conversations.list_for(roster[0].person.id)\n"
    )


def test_first_screen_services_do_not_import_the_others(journal_file: Path) -> None:
    """Opening a journal for the roster loads no module of the services it does not use."""
    _with_a_conversation(journal_file)
    loaded = modules_loaded_by(_first_screen(journal_file), prefix="careerdesk.services.")
    for name in (*LAZY, "exporting"):
        assert f"careerdesk.services.{name}" not in loaded


def test_first_screen_reads_set_up_no_orm_mapper(journal_file: Path) -> None:
    """The first screen's reads are plain SQL: the ORM classes are made and their mappers set
    up on first ORM use."""
    _with_a_conversation(journal_file)
    check = (
        "from sqlalchemy.orm import DeclarativeBase\n"
        "print(DeclarativeBase.__subclasses__())\n"  # the row classes were not even made
        "from careerdesk.storage.rows import Base\n"
        "print(sorted(m.class_.__name__ for m in Base.registry.mappers if m.configured))\n"
        "record = services.conversations.record(services.conversations.list_for("
        "roster[0].person.id)[0].id)\n"
        "print(all(m.configured for m in Base.registry.mappers))\n"
        "journal.close()\n"
    )
    assert run_python(_first_screen(journal_file) + check).split("\n")[:3] == [
        "[]", "[]", "True"]


def _with_a_conversation(journal_file: Path) -> None:
    with open_journal(journal_file) as journal:
        services = Services(journal)
        ana = services.people.create("Ana")
        services.conversations.start(ana.id, dt.date(2026, 1, 5))


def test_rebind_reaches_services_made_before_and_after(journal_file: Path) -> None:
    first = open_journal(journal_file)
    services = Services(first)
    me = services.people.create("Me", is_me=True)
    made_early = services.plan  # made before the journal is closed (locked)
    first.close()
    second = open_journal(journal_file)
    try:
        services.rebind(second)
        for name in ("settings", "people", "conversations", *LAZY):
            service = getattr(services, name)
            assert isinstance(service, Service)
            assert service.journal is second, name
        assert services.plan is made_early
        # Both kinds write into the reopened journal.
        services.entries.add(me.id, dt.date(2026, 1, 5), body="after unlock")
        assert [e.body for e in services.entries.list(me.id)] == ["after unlock"]
        assert services.plan.actions_for(me.id) == []
    finally:
        second.close()


def test_lazy_services_are_made_once(services: Services) -> None:
    for name in LAZY:
        assert getattr(services, name) is getattr(services, name)
    assert services.search.journal is services.journal


def test_prepare_orm_sets_up_every_mapper_ahead_of_use(journal_file: Path) -> None:
    _with_a_conversation(journal_file)
    check = (
        "from careerdesk.services import prepare_orm\n"
        "prepare_orm()\n"
        "from careerdesk.storage.rows import Base\n"
        "print(all(m.configured for m in Base.registry.mappers))\n"
        "print(len(services.conversations.records_for(roster[0].person.id)))\n"
        "journal.close()\n"
    )
    assert run_python(_first_screen(journal_file) + check).split() == ["True", "1"]
