"""The open JSON format: lossless round trips, and clear refusals of bad documents."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerdesk.domain.model import ActionKind, NoteKind, Owner, StageId
from careerdesk.errors import InterchangeError
from careerdesk.services import Services
from careerdesk.services.demo import DemoOptions, write_demo
from careerdesk.services.interchange import (
    dump_journal,
    load_into,
    read_json_file,
    save_json,
    validate,
    write_json,
)
from careerdesk.storage.journal import open_journal
from tests.helpers import digest

SCHEMA = Path(__file__).resolve().parents[3] / "resources" / "schema" / "journal-v1.schema.json"


def _round_trip(document: dict[str, Any], target: Path) -> str:
    with open_journal(target) as journal:
        load_into(Services(journal), document)
        return write_json(dump_journal(Services(journal)))


def test_demo_dump_load_dump_is_byte_identical(services: Services, tmp_path: Path) -> None:
    write_demo(services, DemoOptions(people=6, years=2, seed=3))
    first = write_json(dump_journal(services))
    assert _round_trip(json.loads(first), tmp_path / "copy.careerdesk") == first


def test_dump_validates_against_the_published_schema(services: Services) -> None:
    import fastjsonschema

    write_demo(services, DemoOptions(people=2, years=1))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    fastjsonschema.compile(schema)(dump_journal(services))


def test_person_dump_holds_only_that_person(services: Services, tmp_path: Path) -> None:
    write_demo(services, DemoOptions(people=3, years=1))
    person = services.people.find("张伟")
    document = dump_journal(services, person_id=person.id)
    assert document["scope"] == "person"
    assert [p["name"] for p in document["people"]] == ["张伟"]
    text = write_json(document)
    assert "Ольга" not in text
    # Loaded into a journal of its own, the person is that whole journal.
    as_journal = write_json({**document, "scope": "journal"})
    assert _round_trip(document, tmp_path / "one.careerdesk") == as_journal


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(st.tuples(names, texts, st.booleans()), min_size=1, max_size=4),
    answer=texts,
    long_text=st.text(min_size=0, max_size=1).map(lambda s: s * 20_000),
    tags=st.lists(names, max_size=4),
    pulse=st.integers(min_value=1, max_value=5),
)
def test_generated_journals_round_trip(
    tmp_path_factory: pytest.TempPathFactory, people: list[tuple[str, str, bool]], answer: str,
    long_text: str, tags: list[str], pulse: int,
) -> None:
    folder = tmp_path_factory.mktemp("gen")
    with open_journal(folder / "a.careerdesk") as journal:
        services = Services(journal)
        for index, (name, note, private) in enumerate(people):
            person = services.people.create(f"{name}-{index}", role=note)
            conversation = services.conversations.start(person.id, dt.date(2026, 1, 1 + index))
            services.conversations.set_answer(conversation.id, "current_role.energises",
                                              StageId.CURRENT_ROLE, text=answer, private=private)
            services.conversations.set_note(conversation.id, StageId.REFLECT,
                                            NoteKind.REFLECTION, text=long_text)
            if note.strip():
                services.conversations.add_match_item(conversation.id, note, in_skills=True)
                services.plan.add(person.id, note, kind=ActionKind.ROADBLOCK,
                                  owner=Owner.BOTH, conversation_id=conversation.id)
            services.conversations.set_pulse(conversation.id, "energy", pulse)
            services.entries.add(person.id, dt.date(2025, 12, 31), title=name, body=note,
                                 tags=tags)
        first = write_json(dump_journal(services))
    assert _round_trip(json.loads(first), folder / "b.careerdesk") == first


# -- refusals ----------------------------------------------------------------------------------
@pytest.fixture
def good_document(services: Services) -> dict[str, Any]:
    write_demo(services, DemoOptions(people=2, years=1))
    return dump_journal(services)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), r"format must be same as const"),
        (lambda d: d["people"][1].update(name=""), r"people\[1\]\.name must be longer"),
        (lambda d: d["people"][1]["conversations"][0].update(held_on="2026-13-45"),
         r"people\[1\]\.conversations\[0\]\.held_on"),
        (lambda d: d["people"][1]["actions"][0].update(owner="boss"),
         r"people\[1\]\.actions\[0\]\.owner"),
        (lambda d: d["people"][1]["conversations"][0]["pulse_values"][0].update(value=9),
         r"pulse_values\[0\]\.value"),
        (lambda d: d["people"][1].pop("id"), r"people\[1\] must contain \['id'\]"),
        (lambda d: d["people"][1].update(extra=1), r"people\[1\] must not contain \{'extra'\}"),
    ],
    ids=["format", "empty-name", "bad-date", "bad-owner", "pulse-range", "missing-id", "extra"],
)
def test_schema_violations_name_what_and_where(
    good_document: dict[str, Any], change: Any, message: str
) -> None:
    document = copy.deepcopy(good_document)
    change(document)
    with pytest.raises(InterchangeError, match=message):
        validate(document)


def test_duplicate_ids_and_broken_references_are_refused(good_document: dict[str, Any]) -> None:
    twice = copy.deepcopy(good_document)
    twice["people"].append(copy.deepcopy(twice["people"][1]))
    twice["people"][-1]["name"] = "Someone else"
    with pytest.raises(InterchangeError, match="used twice"):
        validate(twice)
    broken = copy.deepcopy(good_document)
    broken["people"][1]["actions"][0]["conversation_id"] = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(InterchangeError, match=r"actions\[0\]\.conversation_id points"):
        validate(broken)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "careerdesk-journal",\n  "people": [,]}', encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"not valid JSON: .* line 2, column 14"):
        read_json_file(bad)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InterchangeError, match="not UTF-8"):
        read_json_file(binary)


def test_loading_into_a_non_empty_journal_changes_nothing(
    good_document: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "full.careerdesk"
    with open_journal(target) as journal:
        Services(journal).people.create("Already here")
    before = digest(target)
    with open_journal(target) as journal, pytest.raises(InterchangeError, match="not empty"):
        load_into(Services(journal), good_document)
    assert digest(target) == before


def test_save_json_never_leaves_a_partial_file(good_document: dict[str, Any],
                                              tmp_path: Path) -> None:
    out = tmp_path / "dump.json"
    out.write_text("previous", encoding="utf-8")
    with pytest.raises(InterchangeError, match="folder"):
        save_json(good_document, tmp_path)
    save_json(good_document, out)
    assert json.loads(out.read_text(encoding="utf-8")) == good_document
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
