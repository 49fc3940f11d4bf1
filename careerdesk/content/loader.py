"""Loads and validates ``resources/content/<lang>/`` into a ``Content`` value.

English (``en``) defines the structure: every id, every stage, every reference. Another language's
folder translates it: a file there is laid over the English one entry by entry (matched by ``id``),
key by key, and anything it leaves out stays English. A malformed file raises
:class:`~careerdesk.errors.ContentError` naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from careerdesk.content import files
from careerdesk.content.files import (
    BASE_LANG,
    LANG_CODE,
    _Doc,
    _type_name,
    content_folder,
    content_root,
    read_layered,
)
from careerdesk.content.model import (
    CONTENT_STAGES,
    DEFAULT_PACK,
    Behaviour,
    BehaviourItem,
    Content,
    Element,
    GuardrailCheck,
    Guardrails,
    MethodPack,
    MixCategory,
    Phase,
    PlanChecks,
    PlanCriterion,
    PlanIssue,
    Prompt,
    PulseDimension,
    Stage,
)
from careerdesk.domain.model import ActionKind, StageId
from careerdesk.domain.plan_rules import ISSUE_IDS, MIX_CATEGORIES, PlanRules
from careerdesk.errors import ContentError

FILES = (
    "stages.toml",
    "elements.toml",
    "behaviours.toml",
    "guardrails.toml",
    "pulse.toml",
    "plan.toml",
)
PACKS_DIR = "packs"
_ID = re.compile(r"[a-z0-9_]+(?:[.:][a-z0-9_]+)*")


def available_languages(root: Path | None = None) -> list[str]:
    """Languages with a content folder, English first."""
    root = root or content_root()
    langs = sorted(p.name for p in root.iterdir() if p.is_dir() and LANG_CODE.fullmatch(p.name))
    return sorted(langs, key=lambda lang: (lang != BASE_LANG, lang))


def load_content(lang: str = BASE_LANG, *, root: Path | None = None) -> Content:
    """The content in ``lang``, English filling any gap; cached per (language, folder)."""
    return _load(lang, content_folder(lang, root))


def clear_cache() -> None:
    """Forget loaded content (tests that rewrite files under one root call this)."""
    _load.cache_clear()
    files.clear_cache()


@cache
def _load(lang: str, root: Path) -> Content:
    docs: dict[str, _Doc] = {name: read_layered(root, lang, name) for name in FILES}
    pack_names = _pack_files(root, lang)
    packs_docs = [read_layered(root, lang, f"{PACKS_DIR}/{name}") for name in pack_names]
    stages = _stages(docs["stages.toml"])
    packs = _packs(packs_docs)
    elements = _elements(docs["elements.toml"], packs[DEFAULT_PACK])
    behaviours = _behaviours(docs["behaviours.toml"])
    guardrails = _guardrails(docs["guardrails.toml"])
    pulse = _pulse(docs["pulse.toml"])
    plan = _plan(docs["plan.toml"])
    _check_unique_across(
        [
            ("behaviour item", i.id, docs["behaviours.toml"].label)
            for b in behaviours
            for i in b.items
        ]
        + [("guardrail check", c.id, docs["guardrails.toml"].label) for c in guardrails.checks]
    )
    return Content(
        lang=lang,
        stages=stages,
        packs=packs,
        elements=elements,
        behaviours=behaviours,
        guardrails=guardrails,
        pulse=pulse,
        plan=plan,
    )


def _pack_files(root: Path, lang: str) -> list[str]:
    base = root / BASE_LANG / PACKS_DIR
    names = sorted(p.name for p in base.glob("*.toml")) if base.is_dir() else []
    if f"{DEFAULT_PACK}.toml" not in names:
        raise ContentError(f"{BASE_LANG}/{PACKS_DIR}/{DEFAULT_PACK}.toml: the file is missing.")
    names.remove(f"{DEFAULT_PACK}.toml")
    return [f"{DEFAULT_PACK}.toml", *names]


# --- typed access with messages -------------------------------------------------------------


class _Entry:
    """One table of a document, read with type checks that name the file and the entry."""

    def __init__(self, doc: _Doc, data: Mapping[str, Any], name: str) -> None:
        self.doc = doc
        self.data = data
        self.name = name

    def error(self, problem: str) -> ContentError:
        return self.doc.error(self.name, problem)

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.error(f"“{key}” is missing")
            return None
        return self.data[key]

    def text(
        self,
        key: str,
        *,
        required: bool = True,
        default: str = "",
        allow_empty: bool = False,
        exact: bool = False,
    ) -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(f"“{key}” should be text, not {_type_name(value)}")
        # The user's own text and paragraphs are only trimmed; a TOML multi-line string folded
        # for the editor becomes one line again.
        folded = exact or "\n\n" in value
        value = value.strip() if folded else " ".join(value.split())
        if required and not value and not allow_empty:
            raise self.error(f"“{key}” is empty")
        return value

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if not _ID.fullmatch(value):
            raise self.error(
                f"“{key}” “{value}” should use only lower-case letters, digits, “_”, “.” and “:”"
            )
        return value

    def integer(self, key: str, *, required: bool = True, default: int = 0) -> int:
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"“{key}” should be a whole number, not {_type_name(value)}")
        return value

    def flag(self, key: str, *, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(f"“{key}” should be true or false, not {_type_name(value)}")
        return value

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"“{key}” should be a list of texts")
        return tuple(" ".join(v.split()) for v in value)

    def table(self, key: str) -> _Entry:
        value = self._get(key, True)
        if not isinstance(value, dict):
            raise self.error(f"“{key}” should be a table, not {_type_name(value)}")
        return _Entry(
            self.doc, value, f"[{key}]" if self.name == "top level" else f"{self.name}.{key}"
        )

    def entries(self, key: str, *, what: str | None = None) -> list[_Entry]:
        """The ``[[key]]`` tables, each named by its id (or position) in messages."""
        value = self._get(key, True)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(f"“{key}” should be a list of [[{key}]] tables")
        label = what or key
        result = []
        for index, item in enumerate(value, start=1):
            raw_id = item.get("id")
            name = f"{label} “{raw_id}”" if isinstance(raw_id, str) else f"{label} #{index}"
            if self.name != "top level":
                name = f"{self.name}, {name}"
            result.append(_Entry(self.doc, item, name))
        return result


def _top(doc: _Doc) -> _Entry:
    return _Entry(doc, doc.data, "top level")


def _unique(entries: list[_Entry], ids: list[str]) -> None:
    seen: set[str] = set()
    for entry, entry_id in zip(entries, ids, strict=True):
        if entry_id in seen:
            raise entry.error(f"the id “{entry_id}” is used twice")
        seen.add(entry_id)


def _check_unique_across(items: list[tuple[str, str, str]]) -> None:
    seen: dict[str, str] = {}
    for what, item_id, label in items:
        if item_id in seen:
            raise ContentError(
                f"{label}: {what} “{item_id}”: the id is already used in {seen[item_id]}."
            )
        seen[item_id] = label


def _stage_of(
    entry: _Entry, key: str = "stage", *, allowed: tuple[StageId, ...] = tuple(StageId)
) -> StageId:
    value = entry.text(key)
    try:
        stage = StageId(value)
    except ValueError:
        raise entry.error(
            f"unknown stage “{value}” (known: {', '.join(s.value for s in allowed)})"
        ) from None
    if stage not in allowed:
        raise entry.error(
            f"stage “{value}” takes no prompts (use one of: {', '.join(s.value for s in allowed)})"
        )
    return stage


# --- each file -------------------------------------------------------------------------------


def _stages(doc: _Doc) -> tuple[Stage, ...]:
    entries = _top(doc).entries("stage")
    stages = []
    for entry in entries:
        stage_id = _stage_of(entry, "id")
        stages.append(
            Stage(
                id=stage_id,
                title=entry.text("title"),
                purpose=entry.text("purpose"),
                supervisor=entry.text("supervisor"),
                employee=entry.text("employee"),
                is_not=entry.texts("is_not", required=False),
            )
        )
    _unique(entries, [s.id.value for s in stages])
    missing = [s.value for s in StageId if s not in {st.id for st in stages}]
    if missing:
        raise doc.error("[[stage]]", f"these stages are missing: {', '.join(missing)}")
    order = {s: i for i, s in enumerate(StageId)}
    return tuple(sorted(stages, key=lambda s: order[s.id]))


def _packs(docs: list[_Doc]) -> Mapping[str, MethodPack]:
    packs: dict[str, MethodPack] = {}
    seen_prompts: dict[str, str] = {}
    for doc in docs:
        top = _top(doc)
        head = top.table("pack")
        pack_id = head.ident()
        expected = Path(doc.label).stem
        if pack_id != expected:
            raise head.error(f"the pack id “{pack_id}” should match the file name “{expected}”")
        entries = top.entries("prompt")
        prompts = []
        for entry in entries:
            prompt_id = entry.ident()
            if prompt_id.startswith("custom:"):
                raise entry.error("ids starting with “custom:” are kept for the user's own prompts")
            if prompt_id in seen_prompts:
                raise entry.error(
                    f"the id “{prompt_id}” is used twice"
                    + (
                        ""
                        if seen_prompts[prompt_id] == doc.label
                        else f" (also in {seen_prompts[prompt_id]})"
                    )
                )
            seen_prompts[prompt_id] = doc.label
            prompts.append(
                Prompt(
                    id=prompt_id,
                    stage=_stage_of(entry, allowed=CONTENT_STAGES),
                    supervisor=entry.text("supervisor"),
                    employee=entry.text("employee"),
                    hint=entry.text("hint", required=False),
                    pack=pack_id,
                )
            )
        pack = MethodPack(
            id=pack_id,
            title=head.text("title"),
            method=head.text("method"),
            summary=head.text("summary"),
            prompts=tuple(prompts),
        )
        uncovered = [s.value for s in CONTENT_STAGES if s not in pack.stages]
        if uncovered:
            raise doc.error("[[prompt]]", f"no prompts for these stages: {', '.join(uncovered)}")
        packs[pack_id] = pack
    return MappingProxyType(packs)


def _elements(doc: _Doc, default: MethodPack) -> tuple[Element, ...]:
    entries = _top(doc).entries("element")
    known = {p.id for p in default.prompts}
    elements = []
    for entry in entries:
        prompt_ids = entry.texts("prompts")
        if not prompt_ids:
            raise entry.error("“prompts” is empty: every element needs a prompt that covers it")
        for prompt_id in prompt_ids:
            if prompt_id not in known:
                raise entry.error(f"the prompt “{prompt_id}” is not in the default question bank")
        elements.append(
            Element(
                id=entry.ident(),
                title=entry.text("title"),
                description=entry.text("description"),
                prompt_ids=prompt_ids,
            )
        )
    _unique(entries, [e.id for e in elements])
    return tuple(elements)


def _behaviours(doc: _Doc) -> tuple[Behaviour, ...]:
    entries = _top(doc).entries("behaviour")
    behaviours = []
    for entry in entries:
        behaviour_id = entry.ident()
        item_entries = entry.entries("item")
        items = []
        for item in item_entries:
            item_id = item.ident()
            phase_text = item.text("phase")
            try:
                phase = Phase(phase_text)
            except ValueError:
                raise item.error(
                    f"unknown phase “{phase_text}” (known: before, during, after)"
                ) from None
            prefix = f"{behaviour_id}.{phase.value}."
            if not item_id.startswith(prefix) or len(item_id) == len(prefix):
                raise item.error(f"the id should start with “{prefix}” and name the item")
            items.append(BehaviourItem(item_id, behaviour_id, phase, item.text("text")))
        _unique(item_entries, [i.id for i in items])
        if not 3 <= len(items) <= 5:
            raise entry.error(f"has {len(items)} items; each behaviour needs 3 to 5")
        behaviours.append(
            Behaviour(
                id=behaviour_id,
                title=entry.text("title"),
                meaning=entry.text("meaning"),
                items=tuple(items),
            )
        )
    _unique(entries, [b.id for b in behaviours])
    return tuple(behaviours)


def _guardrails(doc: _Doc) -> Guardrails:
    top = _top(doc)
    entries = top.entries("check")
    checks = [
        GuardrailCheck(
            id=entry.ident(),
            title=entry.text("title"),
            question=entry.text("question"),
            help=entry.text("help", required=False),
        )
        for entry in entries
    ]
    _unique(entries, [c.id for c in checks])
    hint = top.table("hint")
    phrases = hint.texts("phrases")
    if not phrases:
        raise hint.error("“phrases” is empty")
    return Guardrails(
        checks=tuple(checks),
        hint_title=hint.text("title"),
        hint_message=hint.text("message"),
        phrases=phrases,
        word_boundaries=hint.flag("word_boundaries", default=True),
    )


def _pulse(doc: _Doc) -> tuple[PulseDimension, ...]:
    entries = _top(doc).entries("dimension")
    dimensions = []
    for entry in entries:
        labels = entry.texts("labels")
        if len(labels) != 5:
            raise entry.error(f"“labels” has {len(labels)} texts; the scale needs 5 (for 1 to 5)")
        dimensions.append(
            PulseDimension(
                id=entry.ident(),
                title=entry.text("title"),
                supervisor=entry.text("supervisor"),
                employee=entry.text("employee"),
                labels=(labels[0], labels[1], labels[2], labels[3], labels[4]),
            )
        )
    _unique(entries, [d.id for d in dimensions])
    return tuple(dimensions)


def _plan(doc: _Doc) -> PlanChecks:
    top = _top(doc)
    criteria_entries = top.entries("criterion")
    criteria = [
        PlanCriterion(entry.ident(), entry.text("title"), entry.text("text"))
        for entry in criteria_entries
    ]
    _unique(criteria_entries, [c.id for c in criteria])

    issue_entries = top.entries("issue")
    issues = {}
    for entry in issue_entries:
        issue_id = entry.ident()
        if issue_id not in ISSUE_IDS:
            raise entry.error(f"unknown issue “{issue_id}” (known: {', '.join(ISSUE_IDS)})")
        if issue_id in issues:
            raise entry.error(f"the id “{issue_id}” is used twice")
        issues[issue_id] = PlanIssue(issue_id, entry.text("title"), entry.text("message"))
    missing = [i for i in ISSUE_IDS if i not in issues]
    if missing:
        raise doc.error("[[issue]]", f"these issues have no message: {', '.join(missing)}")

    specific = top.table("specific")
    mix = top.table("mix")
    category_entries = mix.entries("category")
    categories = []
    for entry in category_entries:
        category_id = entry.ident()
        if category_id not in MIX_CATEGORIES:
            raise entry.error(
                f"unknown category “{category_id}” (known: {', '.join(MIX_CATEGORIES)})"
            )
        categories.append(
            MixCategory(
                id=category_id,
                title=entry.text("title"),
                text=entry.text("text"),
                target_percent=entry.integer("target_percent"),
            )
        )
    _unique(category_entries, [c.id for c in categories])
    if {c.id for c in categories} != set(MIX_CATEGORIES):
        raise mix.error(f"needs exactly the categories {', '.join(MIX_CATEGORIES)}")

    kinds = mix.table("kinds")
    kind_categories = {}
    for kind in ActionKind:
        category = kinds.text(kind.value, allow_empty=True)
        if category and category not in MIX_CATEGORIES:
            raise kinds.error(f"“{kind.value}” names an unknown category “{category}”")
        kind_categories[kind.value] = category
    for key in kinds.data:
        if key not in {k.value for k in ActionKind}:
            raise kinds.error(f"unknown action kind “{key}”")

    keywords = mix.table("keywords")
    category_keywords = {}
    for key in keywords.data:
        if key not in MIX_CATEGORIES:
            raise keywords.error(f"unknown category “{key}”")
        category_keywords[key] = keywords.texts(key)

    rules = PlanRules(
        min_words=specific.integer("min_words"),
        vague_words=frozenset(w.casefold() for w in specific.texts("vague_words")),
        stop_words=frozenset(w.casefold() for w in specific.texts("stop_words")),
        specific_min_content_words=specific.integer("specific_min_content_words"),
        kind_categories=MappingProxyType(kind_categories),
        category_keywords=MappingProxyType(category_keywords),
    )
    ownership = top.table("ownership")
    return PlanChecks(
        criteria=tuple(criteria),
        issues=MappingProxyType(issues),
        categories=tuple(categories),
        supervisor_owns_most=ownership.text("supervisor_owns_most"),
        rules=rules,
    )
