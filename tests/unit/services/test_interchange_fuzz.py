"""Fuzzing ``load`` (issue 22): dumps generated from the published schema load and round-trip;
mutated ones (types, missing and unknown keys, duplicate and dangling ids, dates, huge and deep
values, odd Unicode, broken bytes) either round-trip too or are refused with one clear line and
no file left. Seeded and bounded here; ``scripts/fuzz.sh`` runs many more."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from careerdesk.errors import CareerDeskError
from careerdesk.services import Services
from careerdesk.services.interchange import dump_journal, load_file, validate, write_json
from careerdesk.storage.journal import open_journal
from tests.fuzzing import ANY_JSON, SEED, UUID, examples, records, valid_dumps

FUZZ = settings(
    deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True
)


def _load_or_refuse(raw: bytes) -> str | None:
    """Load ``raw`` into a new journal. Refused: one line, no file left (returns None).
    Accepted: what was loaded dumps, loads again and dumps the same (returns the dump)."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        source = folder / "dump.json"
        source.write_bytes(raw)
        target = folder / "j.careerdesk"
        try:
            load_file(source, target, opener=open_journal)
        except CareerDeskError as exc:
            message = str(exc)
            assert "\n" not in message, message
            assert 0 < len(message) < 400, message
            assert not target.exists()
            assert sorted(os.listdir(folder)) == ["dump.json"]
            return None
        with open_journal(target) as journal:
            first = write_json(dump_journal(Services(journal)))
        validate(json.loads(first))  # what the app writes, it accepts
        again = folder / "again.json"
        again.write_text(first, encoding="utf-8")
        load_file(again, folder / "k.careerdesk", opener=open_journal)
        with open_journal(folder / "k.careerdesk") as journal:
            assert write_json(dump_journal(Services(journal))) == first
        return first


@seed(SEED)
@settings(FUZZ, max_examples=examples(12))
@given(document=valid_dumps())
def test_valid_dumps_load_and_round_trip(document: dict[str, Any]) -> None:
    dumped = _load_or_refuse(json.dumps(document, ensure_ascii=False).encode())
    assert dumped is not None, "a valid dump was refused"
    assert len(records(json.loads(dumped))) == len(records(document))
    event(f"records: {min(len(records(document)), 20) // 5 * 5}+")


# -- mutations ------------------------------------------------------------------------------------
BAD_DATES = [
    "2026-13-01", "0000-01-01", "2026-02-30", "٢٠٢٦-01-01", "2026-1-1", "", "2026-01-01T00:00",
]
BAD_STAMPS = [
    "2026-13-01T10:00:00.000000Z", "0000-01-01T10:00:00.000000Z", "2026-01-01T24:00:00.000000Z",
    "٢٠٢٦-01-01T10:00:00.000000Z", "2026-01-01T10:00:00Z", "2026-01-01 10:00:00.000000Z",
]
ODD_TEXT = ["\u202e\u0627\u0644", "\x00", "a\x00b", "\ufeff", "😀" * 50, "x" * 100_000, "\r"]
MARK = "\u0001FUZZMARK\u0001"
TEXT_LEVEL = {
    "lone surrogate": '"\\ud800"',
    "low surrogate": '"x\\udfffy"',
    "NaN": "NaN",
    "Infinity": "-Infinity",
    "1e999": "1e999",
    "4400 digits": "9" * 4400,
    "past 2^63": str(2**63),
    "deep 70": "[" * 70 + "]" * 70,
    "deep 10000": "[" * 10_000 + "]" * 10_000,
    "deep objects": '{"a":' * 3000 + "1" + "}" * 3000,
}


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in ``value``."""
    slots: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            slots += [(item, k) for k in item]
            stack.extend(item.values())
        elif isinstance(item, list):
            slots += [(item, i) for i in range(len(item))]
            stack.extend(item)
    return slots


@st.composite
def mutated_dumps(draw: st.DrawFn) -> tuple[str, bytes]:
    document = copy.deepcopy(draw(valid_dumps()))
    kinds = ["type", "drop key", "unknown key", "duplicate id", "dangling id", "bad date",
             "bad stamp", "huge int", "odd text", "text level", "duplicate key", "truncate",
             "not utf-8"]
    kind = draw(st.sampled_from(kinds))
    slots = _slots(document)
    objects = [c for c, _ in slots if isinstance(c, dict)] or [document]
    pick = draw(st.integers(0, 10**6))
    container, key = slots[pick % len(slots)]
    recs = records(document)
    if kind == "type":
        container[key] = draw(ANY_JSON.filter(lambda v: type(v) is not type(container[key])))
    elif kind == "drop key":
        target = objects[pick % len(objects)]
        target.pop(sorted(target)[pick % len(target)] if target else None, None)
    elif kind == "unknown key":
        objects[pick % len(objects)]["zz_unknown"] = draw(ANY_JSON)
    elif kind == "duplicate id" and len(recs) >= 2:
        recs[pick % len(recs)]["id"] = recs[(pick + 1) % len(recs)]["id"]
    elif kind == "dangling id":
        actions = [a for p in document["people"] for a in p["actions"]]
        carried = [c for p in document["people"] for c in p["conversations"]]
        if actions:
            actions[pick % len(actions)]["conversation_id"] = draw(UUID)
        elif carried:
            carried[pick % len(carried)]["carried_action_ids"].append(draw(UUID))
    elif kind == "bad date":
        dated = [r for r in recs if set(r) & {"held_on", "due", "entry_date", "done_on"}]
        if dated:
            record = dated[pick % len(dated)]
            field = sorted(set(record) & {"held_on", "due", "entry_date", "done_on"})[0]
            record[field] = draw(st.sampled_from(BAD_DATES))
    elif kind == "bad stamp" and recs:
        recs[pick % len(recs)][draw(st.sampled_from(["created_at", "updated_at"]))] = draw(
            st.sampled_from(BAD_STAMPS))
    elif kind == "huge int":
        container[key] = draw(st.sampled_from([2**63, -(2**63) - 1, 10**30]))
    elif kind == "odd text":
        container[key] = draw(st.sampled_from(ODD_TEXT))
    elif kind == "text level":
        label = draw(st.sampled_from(sorted(TEXT_LEVEL)))
        container[key] = MARK
        text = json.dumps(document, ensure_ascii=False)
        return f"{kind}: {label}", text.replace(json.dumps(MARK), TEXT_LEVEL[label]).encode()
    text = json.dumps(document, ensure_ascii=False)
    if kind == "duplicate key":
        text = text.replace("{", '{"format": "careerdesk-journal", ', 1)
    elif kind == "truncate":
        text = text[: pick % max(1, len(text))]
    raw = text.encode("utf-8")
    if kind == "not utf-8" and raw:
        at = pick % len(raw)
        raw = raw[:at] + b"\xff" + raw[at + 1:]
    return kind, raw


@seed(SEED)
@settings(FUZZ, max_examples=examples(40))
@given(case=mutated_dumps())
def test_mutated_dumps_round_trip_or_are_refused_cleanly(case: tuple[str, bytes]) -> None:
    kind, raw = case
    event(f"{kind.split(':')[0]}: {'refused' if _load_or_refuse(raw) is None else 'accepted'}")
