"""One class per area; one transaction per call; domain objects in and out (no Qt).

Only the services the first screen needs (settings, the roster, a person's conversations) are
made with :class:`Services`; the others, and the modules behind them, are imported on first use:
start-up time is a feature.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from careerdesk.services.base import Service
from careerdesk.services.conversations import ConversationService
from careerdesk.services.people import PeopleService
from careerdesk.services.settings import SettingsService
from careerdesk.storage.journal import Journal

if TYPE_CHECKING:
    from careerdesk.services.entries import EntryService
    from careerdesk.services.exporting import ExportService
    from careerdesk.services.plan import PlanService
    from careerdesk.services.prompts import PromptService
    from careerdesk.services.reminders import ReminderService
    from careerdesk.services.search import SearchService


class Services:
    """The services of one open journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.settings = SettingsService(journal)
        self.people = PeopleService(journal)
        self.conversations = ConversationService(journal)

    def rebind(self, journal: Journal) -> None:
        """Point every service at ``journal`` (the same file, opened again after a lock or a
        restore): whatever holds these services, such as edits queued for autosave, keeps
        working instead of writing into the closed journal. A service not made yet is made
        later from ``self.journal``, so it gets the new journal too."""
        self.journal = journal
        for service in vars(self).values():
            if isinstance(service, Service):
                service.journal = journal

    # The rest are made on first use (cached in the instance, where rebind finds them).
    @cached_property
    def plan(self) -> PlanService:
        from careerdesk.services.plan import PlanService

        return PlanService(self.journal)

    @cached_property
    def entries(self) -> EntryService:
        from careerdesk.services.entries import EntryService

        return EntryService(self.journal)

    @cached_property
    def prompts(self) -> PromptService:
        from careerdesk.services.prompts import PromptService

        return PromptService(self.journal)

    @cached_property
    def search(self) -> SearchService:
        from careerdesk.services.search import SearchService

        return SearchService(self.journal)

    @cached_property
    def reminders(self) -> ReminderService:
        from careerdesk.services.reminders import ReminderService

        return ReminderService(self.journal)

    @cached_property
    def exports(self) -> ExportService:
        """PDF exports; loaded on first use to keep them off the start-up path."""
        from careerdesk.services.exporting import ExportService

        return ExportService(self)


def prepare_orm() -> None:
    """Load the ORM row classes and set up their mappers (about 35 ms) ahead of the first
    record load or write. The first screen needs neither; call this once it is on screen, while
    the user is not waiting, so that opening a conversation does not pay for it."""
    from sqlalchemy.orm import configure_mappers

    import careerdesk.storage.rows  # noqa: F401  # importing it defines the row classes

    configure_mappers()


__all__ = ["Services", "prepare_orm"]
