"""One class per area; one transaction per call; domain objects in and out (no Qt)."""

from __future__ import annotations

from careerdesk.services.conversations import ConversationService
from careerdesk.services.entries import EntryService
from careerdesk.services.people import PeopleService
from careerdesk.services.plan import PlanService
from careerdesk.services.prompts import PromptService
from careerdesk.services.reminders import ReminderService
from careerdesk.services.search import SearchService
from careerdesk.services.settings import SettingsService
from careerdesk.storage.journal import Journal


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


__all__ = ["Services"]
