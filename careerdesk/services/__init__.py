"""One class per area; one transaction per call; domain objects in and out (no Qt)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from careerdesk.services.base import Service
from careerdesk.services.conversations import ConversationService
from careerdesk.services.entries import EntryService
from careerdesk.services.people import PeopleService
from careerdesk.services.plan import PlanService
from careerdesk.services.prompts import PromptService
from careerdesk.services.reminders import ReminderService
from careerdesk.services.search import SearchService
from careerdesk.services.settings import SettingsService
from careerdesk.storage.journal import Journal

if TYPE_CHECKING:
    from careerdesk.services.exporting import ExportService


class Services:
    """The services of one open journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.settings = SettingsService(journal)
        self.people = PeopleService(journal)
        self.conversations = ConversationService(journal)
        self.plan = PlanService(journal)
        self.entries = EntryService(journal)
        self.prompts = PromptService(journal)
        self.search = SearchService(journal)
        self.reminders = ReminderService(journal)

    def rebind(self, journal: Journal) -> None:
        """Point every service at ``journal`` (the same file, opened again after a lock or a
        restore): whatever holds these services, such as edits queued for autosave, keeps
        working instead of writing into the closed journal."""
        self.journal = journal
        for service in vars(self).values():
            if isinstance(service, Service):
                service.journal = journal

    @cached_property
    def exports(self) -> ExportService:
        """PDF exports; loaded on first use to keep them off the start-up path."""
        from careerdesk.services.exporting import ExportService

        return ExportService(self)


__all__ = ["Services"]
