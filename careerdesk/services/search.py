"""Full-text search across the journal: ranked hits with the matched words marked.

The user's words are never handed to FTS5 as syntax: each word is quoted and given a prefix star,
so ``"unbalanced AND (``, ``NEAR(`` or ``*`` search for plain words instead of failing. Hits carry
the spans of the matched words (offsets into plain text), never markup: the UI escapes the text
and draws the spans itself.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from careerdesk.errors import InvalidInputError, JournalFileError, StorageError
from careerdesk.services.base import Service
from careerdesk.storage import search_index
from careerdesk.storage.search_index import DOCS, FTS, KINDS

log = logging.getLogger(__name__)

# Marks around matched words inside snippet()/highlight() output; control characters a user
# does not type, removed again before the text leaves this module.
_START = "\x02"
_END = "\x03"
_MARKS = re.compile(f"[{_START}{_END}]")
#: Column weights for bm25: a word in a title (name, action, entry title) counts most.
_WEIGHTS = (4.0, 1.0, 2.0)
_SNIPPET_WORDS = 14
_WORD = re.compile(r"\w", re.UNICODE)

KIND_LABELS: dict[str, str] = {
    "entry": "Journal entry",
    "answer": "Answer",
    "note": "Note",
    "match_item": "Match item",
    "action": "Next step",
    "conversation": "Conversation",
    "person": "Person",
    "prompt": "Own question",
}


@dataclass(frozen=True)
class Highlighted:
    """Plain text and the ``(start, end)`` offsets of the matched words in it."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into ``(piece, matched)`` runs, for drawing."""
        result: list[tuple[str, bool]] = []
        position = 0
        for start, end in self.spans:
            if start > position:
                result.append((self.text[position:start], False))
            result.append((self.text[start:end], True))
            position = end
        if position < len(self.text):
            result.append((self.text[position:], False))
        return result


@dataclass(frozen=True)
class SearchHit:
    """One matching record, and where to open it."""

    kind: str
    record_id: str
    person_id: str | None
    person_name: str
    conversation_id: str | None
    date: dt.date | None
    private: bool
    title: Highlighted
    snippet: Highlighted
    tags: tuple[str, ...]
    score: float

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def match_query(text: str) -> str | None:
    """The FTS5 query for what the user typed: every word quoted, prefix-matched, all required.

    ``None`` when nothing searchable is left (only punctuation or operators).
    """
    terms = []
    for piece in text.split():
        if not _WORD.search(piece):
            continue  # "*", "(", "-": nothing the tokenizer would keep
        terms.append('"' + piece.replace('"', '""') + '"*')
    return " ".join(terms) if terms else None


def parse_marked(marked: str) -> Highlighted:
    """Turn text with match marks into plain text and spans (stray marks are dropped)."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{_START}{_END}])", marked):
        if piece == _START:
            start = length
        elif piece == _END:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        elif piece:
            plain.append(piece)
            length += len(piece)
    return Highlighted("".join(plain), tuple(spans))


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, str) or not value:
        return ()
    try:
        loaded = json.loads(value)
    except ValueError:
        return ()
    return tuple(str(t) for t in loaded) if isinstance(loaded, list) else ()


class SearchService(Service):
    """Searches the FTS5 index; rebuilds it when it is missing or damaged."""

    def search(
        self,
        query: str,
        *,
        person_id: str | None = None,
        kinds: Iterable[str] | None = None,
        tag: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        include_private: bool = True,
        limit: int = 50,
        rebuild: bool = True,
    ) -> list[SearchHit]:
        """Best matches first (bm25). Every word must match, as a prefix, ignoring accents.

        A missing or damaged index is rebuilt and the search asked once more; with
        ``rebuild=False`` (the read-only ``careerdesk search``) it is refused instead and the
        journal is not changed."""
        fts_query = match_query(query)
        if fts_query is None:
            return []
        kind_list = sorted(set(kinds)) if kinds is not None else None
        if kind_list is not None:
            unknown = set(kind_list) - set(KINDS)
            if unknown:
                raise InvalidInputError(
                    f"Unknown kind {sorted(unknown)[0]!r}; use one of: {', '.join(KINDS)}."
                )
            if not kind_list:
                return []
        if limit < 1:
            return []
        sql, params = self._statement(
            fts_query, person_id=person_id, kinds=kind_list, tag=tag, since=since, until=until,
            include_private=include_private, limit=limit,
        )
        rows = self._run(sql, params)
        if rows is None and not rebuild:
            raise JournalFileError(
                f"Cannot search {self.journal.path.name}: its search index is damaged; its "
                "records are fine.",
                hint=f"Run careerdesk repair --file {self.journal.path} to rebuild it (a backup "
                "is taken first).",
            )
        if rows is None:
            # The index is missing or damaged: rebuild it from the data and ask once more.
            log.warning("search index unusable; rebuilding it")
            self.rebuild_index()
            rows = self._run(sql, params)
            if rows is None:
                raise StorageError(
                    "Search is not available: its index could not be rebuilt.",
                    hint="Run `careerdesk check` on this journal.",
                )
        return [self._hit(row) for row in rows]

    def _run(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]] | None:
        with self.journal.reading() as session:
            connection: Connection = session.connection()
            try:
                return [tuple(r) for r in connection.exec_driver_sql(sql, tuple(params))]
            except (DBAPIError, MemoryError):
                # sqlite3 reports SQLITE_NOMEM as MemoryError; a damaged FTS block whose sizes
                # are garbage gives exactly that (the index's own check counts it as damage).
                return None

    @staticmethod
    def _statement(
        fts_query: str,
        *,
        person_id: str | None,
        kinds: list[str] | None,
        tag: str | None,
        since: dt.date | None,
        until: dt.date | None,
        include_private: bool,
        limit: int,
    ) -> tuple[str, list[object]]:
        weights = ", ".join(str(w) for w in _WEIGHTS)
        where = [f"{FTS} MATCH ?"]
        params: list[object] = [_START, _END, _START, _END, fts_query]
        if person_id is not None:
            where.append("d.person_id = ?")
            params.append(person_id)
        if kinds is not None:
            where.append(f"d.kind IN ({', '.join('?' for _ in kinds)})")
            params.extend(kinds)
        if tag:
            where.append(
                "d.kind = 'entry' AND EXISTS (SELECT 1 FROM journal_entries AS je, "
                "json_each(je.tags) AS t WHERE je.id = d.record_id "
                "AND t.value = ? COLLATE NOCASE)"
            )
            params.append(tag.strip().lstrip("#").strip())
        if since is not None:
            where.append("d.doc_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            # doc_date may carry a time after the date: compare on the date part.
            where.append("substr(d.doc_date, 1, 10) <= ?")
            params.append(until.isoformat())
        if not include_private:
            where.append("d.private = 0")
        params.append(limit)
        sql = (
            f"SELECT d.kind, d.record_id, d.person_id, coalesce(p.name, ''), d.conversation_id, "
            f"d.doc_date, d.private, CASE WHEN d.kind = 'entry' THEN "
            f"(SELECT je.tags FROM journal_entries AS je WHERE je.id = d.record_id) END, "
            f"highlight({FTS}, 0, ?, ?), "
            f"snippet({FTS}, 1, ?, ?, '…', {_SNIPPET_WORDS}), bm25({FTS}, {weights}) AS score "
            f"FROM {FTS} JOIN {DOCS} AS d ON d.rowid = {FTS}.rowid "
            f"LEFT JOIN people AS p ON p.id = d.person_id "
            f"WHERE {' AND '.join(where)} ORDER BY score LIMIT ?"
        )
        return sql, params

    @staticmethod
    def _hit(row: tuple[object, ...]) -> SearchHit:
        (kind, record_id, person_id, name, conversation_id, date, private, tags, title, body,
         score) = row
        return SearchHit(
            kind=str(kind),
            record_id=str(record_id),
            person_id=None if person_id is None else str(person_id),
            person_name=str(name),
            conversation_id=None if conversation_id is None else str(conversation_id),
            date=_date(None if date is None else str(date)),
            private=bool(private),
            title=parse_marked(str(title or "")),
            snippet=parse_marked(str(body or "")),
            tags=_tags(tags),
            score=float(score),  # type: ignore[arg-type]
        )

    def rebuild_index(self) -> None:
        """Drop the index and build it again from the data, in one transaction."""
        with self.journal.transaction() as session:
            connection = session.connection()
            search_index.install(connection.exec_driver_sql)

    def index_problems(self) -> list[str]:
        """The index objects that are missing, or the error a probe query raised; empty if fine."""
        return search_index.problems(self.journal.engine)


def strip_marks(text: str) -> str:
    """``text`` without match marks (for callers that want plain text only)."""
    return _MARKS.sub("", text)
