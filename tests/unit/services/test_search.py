"""SearchService: every kind of record is found, prefixes and accents, edits and deletes,
malformed queries, filters, and an index that repairs itself."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from careerdesk.domain.model import ActionStatus, StageId
from careerdesk.errors import InvalidInputError, JournalFileError
from careerdesk.services import Services
from careerdesk.services.search import Highlighted, match_query, parse_marked
from careerdesk.storage.journal import open_journal


def _ids(services: Services, query: str, **filters: object) -> set[tuple[str, str]]:
    return {(h.kind, h.record_id) for h in services.search.search(query, **filters)}  # type: ignore[arg-type]


@pytest.fixture
def filled(services: Services) -> dict[str, str]:
    """One record of every kind, each with its own distinctive word."""
    jose = services.people.create("José Núñez", role="Backend developer", team="Payments")
    me = services.people.create("Alex Morgan", is_me=True)
    talk = services.conversations.start(
        jose.id, dt.date(2026, 3, 2), purpose="Quarterly zeppelin talk", present="Alex and José"
    )
    answer = services.conversations.set_answer(
        talk.id, "current_role.energy", StageId.CURRENT_ROLE, text="Enjoys untangling kubernetes"
    )
    note = services.conversations.set_note(talk.id, StageId.MATCH, text="Strong in façades")
    item = services.conversations.add_match_item(talk.id, "Cartography hobby", in_interests=True)
    action = services.plan.add(
        jose.id, "Shadow the incident commander", conversation_id=talk.id,
        support="Pair on the next postmortem", due=dt.date(2026, 4, 1),
    )
    entry = services.entries.add(
        me.id, dt.date(2026, 3, 5), title="Weekly reflection",
        body="Felt energised after the workshop about résumés", tags=["growth", "Career path"],
    )
    prompt = services.conversations.add_custom_prompt(
        talk.id, StageId.FUTURE_ROLES, "Which lighthouse projects attract you?"
    )
    return {
        "jose": jose.id, "me": me.id, "talk": talk.id, "answer": answer.id, "note": note.id,
        "item": item.id, "action": action.id, "entry": entry.id, "prompt": prompt.id,
    }


@pytest.mark.parametrize(
    ("query", "kind", "key"),
    [
        ("Núñez", "person", "jose"),
        ("zeppelin", "conversation", "talk"),
        ("kubernetes", "answer", "answer"),
        ("facades", "note", "note"),
        ("cartography", "match_item", "item"),
        ("commander", "action", "action"),
        ("postmortem", "action", "action"),  # the support text
        ("workshop", "entry", "entry"),
        ("growth", "entry", "entry"),  # a tag
        ("lighthouse", "prompt", "prompt"),
    ],
)
def test_every_kind_of_record_is_found(
    services: Services, filled: dict[str, str], query: str, kind: str, key: str
) -> None:
    assert (kind, filled[key]) in _ids(services, query)


def test_prefixes_and_accents(services: Services, filled: dict[str, str]) -> None:
    assert ("person", filled["jose"]) in _ids(services, "jose")
    assert ("person", filled["jose"]) in _ids(services, "JOS")
    assert ("person", filled["jose"]) in _ids(services, "nunez")
    assert ("entry", filled["entry"]) in _ids(services, "resume")
    assert ("entry", filled["entry"]) in _ids(services, "energ work")  # two prefixes, both needed
    assert _ids(services, "energ zeppelin") == set()  # words in different records


def test_snippet_marks_the_matched_words(services: Services, filled: dict[str, str]) -> None:
    [hit] = services.search.search("energised", kinds=["entry"])
    assert hit.snippet.text == "Felt energised after the workshop about résumés"
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["energised"]
    assert hit.person_name == "Alex Morgan"
    assert hit.tags == ("growth", "Career path")
    assert hit.private
    assert hit.date == dt.date(2026, 3, 5)
    [person] = services.search.search("jose", kinds=["person"])
    assert [person.title.text[a:b] for a, b in person.title.spans] == ["José"]


def test_ranking_prefers_titles(services: Services, filled: dict[str, str]) -> None:
    me = filled["me"]
    services.entries.add(me, dt.date(2026, 1, 1), title="Notes", body="a line about mentoring")
    titled = services.entries.add(me, dt.date(2026, 1, 2), title="Mentoring", body="other text")
    hits = services.search.search("mentoring")
    assert hits[0].record_id == titled.id


def test_edits_and_deletes_are_followed(services: Services, filled: dict[str, str]) -> None:
    services.entries.update(filled["entry"], body="Now about sailing")
    assert _ids(services, "workshop") == set()
    assert ("entry", filled["entry"]) in _ids(services, "sailing")
    services.plan.update(filled["action"], text="Run the retro", status=ActionStatus.DONE)
    assert _ids(services, "commander") == set()
    services.people.update(filled["jose"], name="Joseph Nunes")
    assert ("person", filled["jose"]) in _ids(services, "joseph")
    services.conversations.delete_match_item(filled["item"])
    assert _ids(services, "cartography") == set()
    services.entries.delete(filled["entry"])
    assert _ids(services, "sailing") == set()
    # Deleting the person removes their conversation, answers, notes, actions and prompts too.
    services.people.delete(filled["jose"])
    for word in ("joseph", "zeppelin", "kubernetes", "facades", "retro", "lighthouse"):
        assert _ids(services, word) == set(), word


def test_moving_a_conversation_moves_its_answers_dates(
    services: Services, filled: dict[str, str]
) -> None:
    services.conversations.update(filled["talk"], held_on=dt.date(2025, 1, 9))
    [hit] = services.search.search("kubernetes")
    assert hit.date == dt.date(2025, 1, 9)


@pytest.mark.parametrize(
    "query",
    ['"unbalanced AND (', "NEAR(", "*", "kubernetes)", "(kubernetes", "-", 'kube"', "AND",
     "title:kubernetes", "^kubernetes", "kubernetes*", "{kubernetes}", "kubernetes:", "+kube"],
)
def test_malformed_queries_are_plain_words(
    services: Services, filled: dict[str, str], query: str
) -> None:
    hits = services.search.search(query)  # never raises
    if "kube" in query and "title" not in query:
        assert ("answer", filled["answer"]) in {(h.kind, h.record_id) for h in hits}


def test_operators_are_words_not_syntax(services: Services, filled: dict[str, str]) -> None:
    me = filled["me"]
    entry = services.entries.add(me, dt.date(2026, 1, 1), body="Salt and pepper, not near")
    assert _ids(services, "salt AND pepper NOT near") == {("entry", entry.id)}
    assert _ids(services, "salt OR zeppelin") == set()  # OR is a word too, not an operator


def test_filters(services: Services, filled: dict[str, str]) -> None:
    jose, me = filled["jose"], filled["me"]
    other = services.entries.add(jose, dt.date(2024, 6, 1), title="Kubernetes notes",
                                 private=False, tags=["infra"])
    assert ("entry", other.id) in _ids(services, "kubernetes", person_id=jose)
    assert _ids(services, "kubernetes", person_id=me) == set()
    assert _ids(services, "kubernetes", kinds=["entry"]) == {("entry", other.id)}
    assert _ids(services, "kubernetes", since=dt.date(2026, 1, 1)) == {
        ("answer", filled["answer"])
    }
    assert _ids(services, "kubernetes", until=dt.date(2025, 1, 1)) == {("entry", other.id)}
    assert _ids(services, "kubernetes", tag="INFRA") == {("entry", other.id)}
    assert _ids(services, "energised", tag="career path") == {("entry", filled["entry"])}
    assert _ids(services, "energised", include_private=False) == set()
    assert len(services.search.search("a", limit=2)) <= 2
    with pytest.raises(InvalidInputError):
        services.search.search("x", kinds=["spaceship"])


def test_empty_and_blank_queries(services: Services, filled: dict[str, str]) -> None:
    assert services.search.search("") == []
    assert services.search.search("   ") == []
    assert services.search.search("( ) *") == []


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE search_fts",
        "DROP TABLE search_docs",
        "DROP TABLE search_fts_data",
        "DELETE FROM search_fts_data",
        "UPDATE search_fts_data SET block = randomblob(length(block))",
        "DROP TRIGGER search_journal_entries_ai",
    ],
)
def test_damaged_index_is_rebuilt_at_open(journal_file: Path, damage: str) -> None:
    with open_journal(journal_file) as journal:
        services = Services(journal)
        me = services.people.create("Me", is_me=True)
        services.entries.add(me.id, dt.date(2026, 1, 1), body="remember the lighthouse")
    with sqlite3.connect(journal_file) as connection:
        connection.execute(damage)
    with open_journal(journal_file) as journal:
        services = Services(journal)
        assert services.search.index_problems() == []
        assert len(services.search.search("lighthouse")) == 1
        # Writing works again, and is indexed.
        services.entries.add(me.id, dt.date(2026, 1, 2), body="a second lighthouse")
        assert len(services.search.search("lighthouse")) == 2


@pytest.mark.parametrize(
    "damage",
    ["DROP TABLE search_fts", "UPDATE search_fts_data SET block = randomblob(length(block))"],
)
def test_damage_while_open_is_repaired_by_the_next_search(
    services: Services, filled: dict[str, str], journal_file: Path, damage: str
) -> None:
    with sqlite3.connect(journal_file) as connection:
        connection.execute(damage)
    assert services.search.index_problems() != []
    assert ("answer", filled["answer"]) in _ids(services, "kubernetes")
    assert services.search.index_problems() == []


def test_rebuild_gives_the_same_results(services: Services, filled: dict[str, str]) -> None:
    before = _ids(services, "a")
    services.search.rebuild_index()
    assert _ids(services, "a") == before


def test_match_query_quotes_every_word() -> None:
    assert match_query('say "hi" (now)') == '"say"* """hi"""* "(now)"*'
    assert match_query("* ( -") is None


def test_parse_marked() -> None:
    assert parse_marked("a \x02bc\x03 d \x02e\x03") == Highlighted("a bc d e", ((2, 4), (7, 8)))
    assert parse_marked("stray \x03 end \x02") == Highlighted("stray  end ", ())
    assert Highlighted("a bc d", ((2, 4),)).parts() == [("a ", False), ("bc", True), (" d", False)]


def test_a_read_only_search_refuses_a_damaged_index_and_changes_nothing(
    services: Services, filled: dict[str, str], journal_file: Path
) -> None:
    """``careerdesk search`` passes rebuild=False (issue 22): the journal is left as it is."""
    with sqlite3.connect(journal_file) as connection:
        connection.execute("UPDATE search_fts_data SET block = randomblob(length(block))")
    services.journal.checkpoint()
    before = journal_file.read_bytes()
    with pytest.raises(JournalFileError, match="careerdesk repair"):
        services.search.search("kubernetes", rebuild=False)
    services.journal.checkpoint()
    assert journal_file.read_bytes() == before
    assert services.search.index_problems() != []
