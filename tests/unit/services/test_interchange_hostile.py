"""``load`` against hostile and damaged dumps (issue 22): each case found by the security test
is refused with one clear line, in bounded time and memory, and leaves no file behind; what is
accepted can be dumped again."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from careerdesk.domain.model import UsageMode
from careerdesk.errors import InterchangeError
from careerdesk.services import Services
from careerdesk.services.interchange import (
    MAX_DUMP_BYTES,
    dump_journal,
    load_file,
    load_into,
    read_bounded,
    write_json,
)
from careerdesk.services.settings import OWNER_NAME, USAGE_MODE
from careerdesk.storage.journal import open_journal
from tests.helpers import digest


def _small_document(path: Path) -> dict[str, Any]:
    with open_journal(path) as journal:
        svc = Services(journal)
        svc.settings.set(OWNER_NAME, "Ana")
        svc.settings.set(USAGE_MODE, UsageMode.BOTH.value)
        person = svc.people.create("Zoë Example", role="Engineer")
        conversation = svc.conversations.start(person.id, dt.date(2026, 3, 4))
        svc.conversations.set_note(conversation.id, svc_stage(), text="a note")
        svc.plan.add(person.id, "Learn Rust by June", conversation_id=conversation.id,
                     due=dt.date(2026, 6, 1))
        svc.entries.add(person.id, dt.date(2026, 3, 5), title="t", body="b", tags=("x",))
        return dump_journal(svc)


def svc_stage() -> Any:
    from careerdesk.domain.model import StageId

    return StageId.PREPARE


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _small_document(tmp_path_factory.mktemp("doc") / "source.careerdesk")


def _write(folder: Path, text: str, name: str = "dump.json") -> Path:
    source = folder / name
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    return source


def _refused(source: Path, target: Path, pattern: str) -> InterchangeError:
    """Load ``source`` into ``target`` (new): refused with one line; no file is left."""
    before = sorted(p.name for p in target.parent.iterdir())
    with pytest.raises(InterchangeError) as caught:
        load_file(source, target, opener=open_journal)
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) < 300
    import re

    assert re.search(pattern, message), message
    assert not target.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == before
    return caught.value


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "work"
    out.mkdir()
    return out


def _nest(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_ten_thousand_nested_arrays_are_refused_not_a_recursion_error(folder: Path) -> None:
    _refused(_write(folder, _nest(10_000)), folder / "j.careerdesk", "nested too deeply")


def test_deep_nesting_inside_a_setting_value_is_refused(
    document: dict[str, Any], folder: Path
) -> None:
    text = write_json(document).replace('"value": "Ana"', f'"value": {_nest(200)}')
    _refused(_write(folder, text), folder / "j.careerdesk", "nested more than 64 levels")


def test_an_integer_of_4300_digits_is_refused(document: dict[str, Any], folder: Path) -> None:
    text = write_json(document).replace('"cadence_days": 90', '"cadence_days": ' + "9" * 4400)
    _refused(_write(folder, text), folder / "j.careerdesk", "out of range")


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**19])
def test_an_integer_past_64_bits_is_refused(
    document: dict[str, Any], folder: Path, number: int
) -> None:
    doc = copy.deepcopy(document)
    doc["people"][0]["actions"][0]["position"] = number
    _refused(_write(folder, json.dumps(doc)), folder / "j.careerdesk", "out of range")
    with pytest.raises(InterchangeError, match="64 bits"):  # the same, given as a dict
        load_into_new(doc, folder / "k.careerdesk")


def load_into_new(doc: dict[str, Any], target: Path) -> int:
    with open_journal(target) as journal:
        return load_into(Services(journal), doc)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_numbers_json_cannot_write_back_are_refused(
    document: dict[str, Any], folder: Path, literal: str
) -> None:
    text = write_json(document).replace('"value": "Ana"', f'"value": {literal}')
    _refused(_write(folder, text), folder / "j.careerdesk", "not a JSON number|out of range")


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\udc00y"])
def test_a_lone_surrogate_is_refused(document: dict[str, Any], folder: Path, escape: str) -> None:
    text = write_json(document).replace('"Zoë Example"', f'"{escape}"')
    error = _refused(_write(folder, text), folder / "j.careerdesk", "lone surrogate")
    assert "people[0].name" in str(error)


def test_a_lone_surrogate_in_a_key_is_refused(document: dict[str, Any], folder: Path) -> None:
    text = write_json(document).replace('"value": "Ana"', '"value": {"\\ud800": 1}')
    _refused(_write(folder, text), folder / "j.careerdesk", "lone surrogate")


def test_raw_surrogate_bytes_are_not_utf8(folder: Path) -> None:
    source = folder / "dump.json"
    source.write_bytes(b'{"a": "\xed\xa0\x80"}')
    _refused(source, folder / "j.careerdesk", "not UTF-8")


@pytest.mark.parametrize(
    ("stamp", "why"),
    [
        ("2026-13-01T10:00:00.000000Z", "month 13"),
        ("0000-01-01T10:00:00.000000Z", "year 0000"),
        ("2026-01-01T24:00:00.000000Z", "24:00"),
        ("2026-02-30T10:00:00.000000Z", "30 February"),
        ("٢٠٢٦-01-01T10:00:00.000000Z", "Arabic-Indic digits"),
        ("2026-01-01T10:00:60.000000Z", "second 60"),
    ],
)
def test_timestamps_that_are_not_real_times_are_refused(
    document: dict[str, Any], folder: Path, stamp: str, why: str
) -> None:
    for place in ("person", "setting"):
        doc = copy.deepcopy(document)
        if place == "person":
            doc["people"][0]["created_at"] = stamp
        else:
            doc["settings"][0]["updated_at"] = stamp
        _refused(_write(folder, json.dumps(doc, ensure_ascii=False)), folder / "j.careerdesk",
                 "not a real UTC time|does not follow")


@pytest.mark.parametrize("date", ["2026-13-01", "0000-01-01", "٢٠٢٦-01-01", "2026-1-01"])
def test_dates_that_are_not_real_dates_are_refused(
    document: dict[str, Any], folder: Path, date: str
) -> None:
    doc = copy.deepcopy(document)
    doc["people"][0]["conversations"][0]["held_on"] = date
    _refused(_write(folder, json.dumps(doc, ensure_ascii=False)), folder / "j.careerdesk",
             "not a real date|does not follow")


def test_a_year_1_timestamp_is_written_back_zero_padded(
    document: dict[str, Any], folder: Path
) -> None:
    doc = copy.deepcopy(document)
    doc["people"][0]["created_at"] = "0001-01-01T00:00:00.000000Z"
    doc["people"][0]["journal_entries"][0]["entry_date"] = "0001-01-02"
    target = folder / "j.careerdesk"
    load_file(_write(folder, json.dumps(doc)), target, opener=open_journal)
    with open_journal(target) as journal:
        again = dump_journal(Services(journal))
    assert again["people"][0]["created_at"] == "0001-01-01T00:00:00.000000Z"
    assert write_json(again) == write_json(doc)  # and it can be loaded once more
    load_file(_write(folder, write_json(again), "again.json"), folder / "k.careerdesk",
              opener=open_journal)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("usage_mode", 42),
        ("usage_mode", "everything"),
        ("owner_name", ["a"]),
        ("auto_lock_minutes", "ten"),
        ("auto_lock_minutes", -1),
        ("auto_lock_minutes", True),
        ("prompts.wording", {"a": 1}),
        ("prompts.layout", {"default": ["not", "a", "stage", "map"]}),
        ("prompts.layout", {"default": {"prepare": [{"prompt_id": 3}]}}),
    ],
)
def test_settings_the_window_cannot_use_are_refused(
    document: dict[str, Any], folder: Path, key: str, value: Any
) -> None:
    doc = copy.deepcopy(document)
    doc["settings"] = [s for s in doc["settings"] if s["key"] != key]
    stamp = doc["people"][0]["created_at"]
    doc["settings"].append({"key": key, "value": value, "updated_at": stamp})
    _refused(_write(folder, json.dumps(doc)), folder / "j.careerdesk", f"\\({key}\\) must")


def test_a_setting_given_twice_is_refused(document: dict[str, Any], folder: Path) -> None:
    doc = copy.deepcopy(document)
    doc["settings"].append(dict(doc["settings"][0]))
    _refused(_write(folder, json.dumps(doc)), folder / "j.careerdesk", "appears twice")


def test_a_key_given_twice_in_one_object_is_refused(
    document: dict[str, Any], folder: Path
) -> None:
    text = write_json(document).replace('"name": "Zoë Example"',
                                        '"name": "Zoë Example", "name": "Other"')
    _refused(_write(folder, text), folder / "j.careerdesk", "appears twice")


def _contradicting(document: dict[str, Any]) -> dict[str, Any]:
    """Valid for the schema and every check before writing, refused by the database at commit:
    one behaviour checked twice in the same conversation."""
    doc = copy.deepcopy(document)
    stamp = doc["people"][0]["created_at"]
    doc["people"][0]["conversations"][0]["behaviour_checks"] = [
        {"id": f"00000000-0000-4000-8000-00000000000{i}", "created_at": stamp,
         "updated_at": stamp, "item_id": "listen", "checked": True}
        for i in (1, 2)
    ]
    return doc


def test_twenty_five_failed_loads_leave_no_journal_behind(
    document: dict[str, Any], folder: Path
) -> None:
    source = _write(folder, json.dumps(_contradicting(document)))
    target = folder / "j.careerdesk"
    for _ in range(25):
        _refused(source, target, "contradicts itself")


def test_a_failed_load_into_an_existing_empty_journal_leaves_it_unchanged(
    document: dict[str, Any], folder: Path
) -> None:
    target = folder / "j.careerdesk"
    open_journal(target).close()
    before = digest(target)
    with pytest.raises(InterchangeError, match="contradicts itself"):
        load_file(_write(folder, json.dumps(_contradicting(document))), target,
                  opener=open_journal)
    assert digest(target) == before
    with open_journal(target) as journal:
        assert dump_journal(Services(journal))["people"] == []


def test_a_link_to_dev_zero_is_refused_at_once(folder: Path) -> None:
    link = folder / "zero.json"
    link.symlink_to("/dev/zero")
    start = time.monotonic()
    _refused(link, folder / "j.careerdesk", "not a regular file")
    assert time.monotonic() - start < 5


def test_a_fifo_is_refused_without_waiting_for_a_writer(folder: Path) -> None:
    fifo = folder / "pipe.json"
    os.mkfifo(fifo)
    _refused(fifo, folder / "j.careerdesk", "not a regular file")


def test_a_folder_is_refused(folder: Path) -> None:
    (folder / "dir.json").mkdir()
    _refused(folder / "dir.json", folder / "j.careerdesk", "is a folder")


def test_a_file_over_the_cap_is_refused_before_it_is_read(folder: Path) -> None:
    huge = folder / "huge.json"
    with open(huge, "wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_DUMP_BYTES + 1)
    start = time.monotonic()
    _refused(huge, folder / "j.careerdesk", "at most 1,073,741,824 bytes")
    assert time.monotonic() - start < 5


def test_reading_stops_at_the_cap(folder: Path) -> None:
    small = folder / "small.json"
    small.write_bytes(b"x" * 100)
    assert read_bounded(small, limit=100) == b"x" * 100
    with pytest.raises(InterchangeError, match="at most 99 bytes"):
        read_bounded(small, limit=99)


def test_a_dangling_link_as_the_target_is_refused(document: dict[str, Any], folder: Path) -> None:
    target = folder / "j.careerdesk"
    target.symlink_to(folder / "nowhere.careerdesk")
    with pytest.raises(InterchangeError, match="link to nothing"):
        load_file(_write(folder, write_json(document)), target, opener=open_journal)
    assert target.is_symlink()
    assert not (folder / "nowhere.careerdesk").exists()


def test_a_good_dump_loads_into_a_new_file_and_round_trips(
    document: dict[str, Any], folder: Path
) -> None:
    target = folder / "j.careerdesk"
    count = load_file(_write(folder, write_json(document)), target, opener=open_journal)
    assert count > 0
    with open_journal(target) as journal:
        assert write_json(dump_journal(Services(journal))) == write_json(document)
    assert sorted(p.name for p in folder.iterdir()) == ["dump.json", "j.careerdesk"]


def test_a_load_whose_journal_cannot_be_folded_in_moves_nothing_into_place(
        document: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk at the temporary journal's close leaves the records only in its -wal: the
    load must fail (the dump is still there) rather than move a file without them into
    place and delete the -wal."""
    import sqlite3

    from careerdesk.errors import StorageError
    from careerdesk.storage.journal import Journal

    def full(self: Journal) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Journal, "checkpoint", full)
    folder = tmp_path / "target"
    folder.mkdir()
    source = _write(tmp_path, write_json(document))
    with pytest.raises(StorageError, match="full"):
        load_file(source, folder / "new.careerdesk", opener=open_journal)
    assert sorted(p.name for p in folder.iterdir()) == []
