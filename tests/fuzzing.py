"""Shared fuzzing helpers (issue 22): Hypothesis strategies built from the published JSON schema,
mutations of valid dumps, and the example budget (small and seeded in CI, large in
``scripts/fuzz.sh``)."""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from careerdesk.domain.model import StageId, UsageMode

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "resources" / "schema" / "journal-v1.schema.json"

#: ``CAREERDESK_FUZZ_SCALE`` multiplies every example count (scripts/fuzz.sh sets it);
#: ``CAREERDESK_FUZZ_SEED`` changes the fixed seed.
SCALE = max(1, int(os.environ.get("CAREERDESK_FUZZ_SCALE", "1")))
SEED = int(os.environ.get("CAREERDESK_FUZZ_SEED", "22"))


def examples(ci: int) -> int:
    """The example count: ``ci`` in the suite, ``ci * SCALE`` in a long run."""
    return ci * SCALE


@cache
def schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA.read_text(encoding="utf-8")))


# Text a user may type, odd Unicode included (no lone surrogates: those are not text and are
# covered as mutations). Small, so a dump stays quick to load.
_odd = st.sampled_from(["\u202e", "\u200d", "\ufeff", "\x00", "\u0301", "😀", "ﷺ", "\U0010fffd",
                        "\r\n", "\t", "'", '"', "\\", "<b>", "&amp;"])
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(_odd, max_size=4).map("".join),
)
NONEMPTY = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)

_UTC_MIN = dt.datetime(1, 1, 1)
_UTC_MAX = dt.datetime(9999, 12, 31, 23, 59, 59, 999999)
STAMP = st.datetimes(min_value=_UTC_MIN, max_value=_UTC_MAX).map(
    lambda d: d.isoformat(timespec="microseconds") + "Z"
)
DATE = st.dates().map(dt.date.isoformat)
UUID = st.uuids(version=4).map(str)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)

#: Strategies for the schema's named formats (its patterns only say what the text looks like;
#: these give values that are real).
_NAMED = {"uuid": UUID, "stamp": STAMP, "date": DATE}
#: Lists generated with at least one item, so that every kind of record is usually present.
_NONEMPTY_LISTS = frozenset({"person", "conversation", "action", "journal_entry", "answer", "note"})


def from_schema(node: dict[str, Any], *, max_items: int = 2) -> st.SearchStrategy[Any]:
    """A strategy for values valid under ``node`` (the subset of JSON Schema the format uses)."""
    defs = schema()["$defs"]
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in _NAMED:
            return _NAMED[name]
        return st.deferred(lambda: from_schema(defs[name], max_items=max_items))
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        return st.one_of([from_schema(n, max_items=max_items) for n in node["oneOf"]])
    kind = node.get("type")
    if kind is None:
        return ANY_JSON
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(node.get("minimum", -(2**63)), node.get("maximum", 2**63 - 1))
    if kind == "string":
        if node.get("minLength", 0) >= 1:
            return NONEMPTY.filter(lambda s: len(s) <= node.get("maxLength", 10**9))
        return TEXT
    if kind == "array":
        item = str(node["items"].get("$ref", "")).rsplit("/", 1)[-1]
        return st.lists(from_schema(node["items"], max_items=max_items),
                        min_size=1 if item in _NONEMPTY_LISTS else 0, max_size=max_items)
    if kind == "object":
        properties = node.get("properties", {})
        if not properties:  # a map: layout and wording
            values = node.get("additionalProperties", {})
            return st.dictionaries(NONEMPTY, from_schema(values), max_size=2)
        required = set(node.get("required", ()))
        fixed = {k: from_schema(v, max_items=max_items) for k, v in properties.items()
                 if k in required}
        optional = {k: from_schema(v, max_items=max_items) for k, v in properties.items()
                    if k not in required}
        return st.fixed_dictionaries(fixed, optional=optional)
    raise AssertionError(f"schema construct not covered: {node}")


def _setting() -> st.SearchStrategy[tuple[str, Any]]:
    stage = st.sampled_from([s.value for s in StageId])
    entry = st.fixed_dictionaries({"prompt_id": NONEMPTY}, optional={"hidden": st.booleans()})
    return st.one_of(
        st.tuples(st.just("owner_name"), TEXT),
        st.tuples(st.just("usage_mode"), st.sampled_from([m.value for m in UsageMode])),
        st.tuples(st.just("auto_lock_minutes"), st.integers(0, 24 * 60)),
        st.tuples(st.just("prompts.wording"), st.dictionaries(NONEMPTY, TEXT, max_size=2)),
        st.tuples(st.just("prompts.layout"), st.dictionaries(
            NONEMPTY, st.dictionaries(stage, st.lists(entry, max_size=2), max_size=2), max_size=2
        )),
        st.tuples(st.text("abcxyz._", min_size=1, max_size=12), ANY_JSON),  # unknown: kept as is
    )


@st.composite
def valid_dumps(draw: st.DrawFn) -> dict[str, Any]:
    """A document the schema accepts, made consistent the way a real journal is: unique ids,
    references that resolve, one "me" at most, unique names and keys where the database says so."""
    document = draw(from_schema(schema()))
    settings = draw(st.lists(_setting(), max_size=4, unique_by=lambda kv: kv[0]))
    document["settings"] = [
        {"key": k, "value": v, "updated_at": draw(STAMP)} for k, v in settings
    ]
    return make_consistent(document)


def make_consistent(document: dict[str, Any]) -> dict[str, Any]:
    by_name: dict[str, Any] = {}
    for template in document["templates"]:
        by_name.setdefault(template["name"], template)
    document["templates"] = list(by_name.values())
    me_seen = False
    for person in document["people"]:
        if person["is_me"]:
            person["is_me"] = not me_seen
            me_seen = True
        conversations = [c["id"] for c in person["conversations"]]
        for action in person["actions"]:
            if action["conversation_id"] is not None:
                action["conversation_id"] = conversations[0] if conversations else None
        for conversation in person["conversations"]:
            for key, field in (("answers", "prompt_id"), ("behaviour_checks", "item_id"),
                               ("pulse_values", "dimension_id")):
                unique: dict[str, Any] = {}
                for item in conversation[key]:
                    unique.setdefault(item[field], item)
                conversation[key] = list(unique.values())
    return document


def records(document: Any) -> list[dict[str, Any]]:
    """Every record (an object with an id) anywhere in ``document``."""
    found: list[dict[str, Any]] = []
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("id"), str) and "created_at" in value:
                found.append(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found
