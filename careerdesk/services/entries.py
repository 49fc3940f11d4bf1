"""Journal entries: dated, tagged, private by default."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from sqlalchemy import select

from careerdesk.domain.model import JournalEntry, new_id
from careerdesk.services.base import Service, to_domain
from careerdesk.storage.rows import JournalEntryRow, PersonRow

_FIELDS = frozenset({"entry_date", "title", "body", "tags", "private", "prompt_id"})


def clean_tags(tags: Any) -> tuple[str, ...]:
    """Tags trimmed, without '#', duplicates (case-insensitive) and empties, in given order."""
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = str(tag).strip().lstrip("#").strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return tuple(seen.values())


class EntryService(Service):
    def list(
        self,
        person_id: str | None = None,
        *,
        tag: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[JournalEntry]:
        """Newest first."""
        query = select(JournalEntryRow)
        if person_id is not None:
            query = query.where(JournalEntryRow.person_id == person_id)
        if since is not None:
            query = query.where(JournalEntryRow.entry_date >= since)
        if until is not None:
            query = query.where(JournalEntryRow.entry_date <= until)
        query = query.order_by(JournalEntryRow.entry_date.desc(), JournalEntryRow.created_at.desc())
        with self.journal.reading() as session:
            entries = [to_domain(r, JournalEntry) for r in session.scalars(query)]
        if tag:
            wanted = tag.strip().lstrip("#").casefold()
            entries = [e for e in entries if wanted in (t.casefold() for t in e.tags)]
        return entries

    def get(self, entry_id: str) -> JournalEntry:
        with self.journal.reading() as session:
            row = self._get(session, JournalEntryRow, entry_id, "journal entry")
            return to_domain(row, JournalEntry)

    def add(
        self,
        person_id: str,
        entry_date: dt.date,
        *,
        title: str = "",
        body: str = "",
        tags: Any = (),
        private: bool = True,
        prompt_id: str | None = None,
        entry_id: str | None = None,
    ) -> JournalEntry:
        with self.journal.transaction() as session:
            self._get(session, PersonRow, person_id, "person")
            row = JournalEntryRow(
                id=entry_id or new_id(), person_id=person_id, entry_date=entry_date, title=title,
                body=body, tags=list(clean_tags(tags)), private=private, prompt_id=prompt_id,
            )
            session.add(row)
            session.flush()
            return to_domain(row, JournalEntry)

    def update(self, entry_id: str, **changes: Any) -> JournalEntry:
        if "tags" in changes:
            changes["tags"] = clean_tags(changes["tags"])
        with self.journal.transaction() as session:
            row = self._get(session, JournalEntryRow, entry_id, "journal entry")
            self._apply(row, changes, _FIELDS)
            session.flush()
            return to_domain(row, JournalEntry)

    def restore(self, entry: JournalEntry) -> JournalEntry:
        """Put back a removed entry from its snapshot (same id and fields): undo."""
        with self.journal.transaction() as session:
            self._get(session, PersonRow, entry.person_id, "person")
            return to_domain(self._restore(session, JournalEntryRow, entry), JournalEntry)

    def delete(self, entry_id: str) -> None:
        with self.journal.transaction() as session:
            session.delete(self._get(session, JournalEntryRow, entry_id, "journal entry"))
        self.journal.purge_deleted()

    def tags(self) -> builtins.list[str]:
        """Every tag in use, sorted."""
        with self.journal.reading() as session:
            found: dict[str, str] = {}
            for tags in session.scalars(select(JournalEntryRow.tags)):
                for tag in tags:
                    found.setdefault(tag.casefold(), tag)
        return sorted(found.values(), key=str.casefold)
