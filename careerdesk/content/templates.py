"""The prompt-template file: a named question list exported to JSON or TOML and read back.

Reading validates everything against the built-in content before anything is stored, so a bad
file changes nothing; each problem raises :class:`~careerdesk.errors.ContentError` naming the file,
the entry and what is wrong. No storage and no Qt here: ``services/prompts.py`` does the storing.

The document (JSON shown; TOML has the same keys)::

    {"format": "careerdesk-prompt-template", "version": 1,
     "name": "Quarterly check-in", "method_pack": "default",
     "layout": {"current_role": [{"prompt_id": "current_role.energises", "hidden": false},
                                 {"prompt_id": "custom:1b4e...", "hidden": false}]},
     "wording": {"current_role.energises": "What gives you energy at the moment?"},
     "custom_prompts": [{"id": "1b4e...", "stage": "current_role", "text": "...", "hint": ""}]}
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerdesk.content.files import _Doc, _type_name, read_toml
from careerdesk.content.loader import _Entry
from careerdesk.content.model import CONTENT_STAGES, Content
from careerdesk.domain.model import CUSTOM_PREFIX, StageId
from careerdesk.errors import ContentError

TEMPLATE_FORMAT = "careerdesk-prompt-template"
TEMPLATE_VERSION = 1
SUFFIXES = (".json", ".toml")


@dataclass(frozen=True)
class TemplateCustomPrompt:
    """A user's own prompt carried inside a template file (``id`` without the prefix)."""

    id: str
    stage: StageId
    text: str
    hint: str = ""

    @property
    def prompt_id(self) -> str:
        return CUSTOM_PREFIX + self.id


@dataclass(frozen=True)
class TemplateFile:
    """A validated template document."""

    name: str
    method_pack: str
    layout: Mapping[str, list[dict[str, object]]] = field(default_factory=dict)
    wording: Mapping[str, str] = field(default_factory=dict)
    custom_prompts: tuple[TemplateCustomPrompt, ...] = ()

    def to_document(self) -> dict[str, Any]:
        return {
            "format": TEMPLATE_FORMAT,
            "version": TEMPLATE_VERSION,
            "name": self.name,
            "method_pack": self.method_pack,
            "layout": {
                stage: [
                    {"prompt_id": str(e["prompt_id"]), "hidden": bool(e.get("hidden", False))}
                    for e in entries
                ]
                for stage, entries in self.layout.items()
            },
            "wording": dict(self.wording),
            "custom_prompts": [
                {"id": c.id, "stage": c.stage.value, "text": c.text, "hint": c.hint}
                for c in self.custom_prompts
            ],
        }


# --- writing -----------------------------------------------------------------------------------


def write_template_file(path: Path, template: TemplateFile) -> None:
    """Write ``template`` as JSON or TOML, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    document = template.to_document()
    if suffix == ".json":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif suffix == ".toml":
        text = dumps_toml(document)
    else:
        raise ContentError(
            f"{path.name}: CareerDesk writes templates as .json or .toml files.",
        )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{path.name}: cannot be written ({exc.strerror}).") from None


def _toml_string(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; TOML also forbids a raw DEL.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def dumps_toml(document: Mapping[str, Any]) -> str:
    """The template document as TOML (just what this document needs: scalars, one level of
    tables, tables of lists of tables, and lists of tables)."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    table_lists: list[tuple[str, list[Mapping[str, Any]]]] = []
    for key, value in document.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        elif isinstance(value, list):
            table_lists.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables:
        scalars = {k: v for k, v in table.items() if not isinstance(v, list)}
        lines += ["", f"[{key}]"]
        lines += [f"{_toml_string(k)} = {_toml_value(v)}" for k, v in scalars.items()]
        for sub, entries in table.items():
            if isinstance(entries, list):
                for entry in entries:
                    lines += ["", f"[[{key}.{_toml_string(sub)}]]"]
                    lines += [f"{k} = {_toml_value(v)}" for k, v in entry.items()]
    for key, entries in table_lists:
        for entry in entries:
            lines += ["", f"[[{key}]]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


# --- reading -----------------------------------------------------------------------------------


def read_template_file(path: Path, content: Content) -> TemplateFile:
    """Parse and validate a template file (see the module docstring)."""
    label = path.name
    suffix = path.suffix.lower()
    if suffix == ".toml":
        data = read_toml(path, label)
    elif suffix == ".json":
        data = _read_json(path, label)
    else:
        raise ContentError(f"{label}: CareerDesk reads templates from .json or .toml files.")
    return parse_template(data, content, label=label)


def _read_json(path: Path, label: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{label}: the file is missing.") from None
    except UnicodeDecodeError:
        raise ContentError(f"{label}: not valid JSON: the file is not UTF-8 text.") from None
    except OSError as exc:
        raise ContentError(f"{label}: cannot be read ({exc.strerror}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            f"{label}: not valid JSON: {exc.msg} (at line {exc.lineno}, column {exc.colno})."
        ) from None
    if not isinstance(data, dict):
        raise ContentError(f"{label}: top level: should be an object, not {_type_name(data)}.")
    return data


def parse_template(data: Mapping[str, Any], content: Content, *, label: str) -> TemplateFile:
    """Validate a template document already parsed from JSON or TOML."""
    doc = _Doc(dict(data), label)
    top = _Entry(doc, doc.data, "top level")
    if data.get("format") != TEMPLATE_FORMAT:
        raise top.error(
            f"this is not a CareerDesk prompt template (“format” should be “{TEMPLATE_FORMAT}”)"
        )
    version = top.integer("version")
    if version > TEMPLATE_VERSION:
        raise top.error(f"written by a newer CareerDesk (version {version}); update to read it")
    name = top.text("name", exact=True)
    method_pack = top.text("method_pack", required=False, default="default")
    if method_pack not in content.packs:
        raise top.error(f"unknown method pack “{method_pack}” (known: {', '.join(content.packs)})")

    customs: list[TemplateCustomPrompt] = []
    if "custom_prompts" in data:
        custom_entries = top.entries("custom_prompts", what="custom prompt")
        seen: set[str] = set()
        for entry in custom_entries:
            custom_id = entry.text("id")
            if custom_id in seen:
                raise entry.error(f"the id “{custom_id}” is used twice")
            seen.add(custom_id)
            stage = _stage(entry, entry.text("stage"))
            customs.append(
                TemplateCustomPrompt(
                    id=custom_id,
                    stage=stage,
                    text=entry.text("text", exact=True),
                    hint=entry.text("hint", required=False, exact=True),
                )
            )
    custom_stage = {c.prompt_id: c.stage for c in customs}

    layout: dict[str, list[dict[str, object]]] = {}
    if "layout" in data:
        table = top.table("layout")
        for stage_key, entries_value in table.data.items():
            stage = _stage(table, stage_key)
            if not isinstance(entries_value, list) or not all(
                isinstance(v, dict) for v in entries_value
            ):
                raise table.error(f"“{stage_key}” should be a list of {{prompt_id, hidden}}")
            placed: list[dict[str, object]] = []
            ids: set[str] = set()
            for index, raw in enumerate(entries_value, start=1):
                entry = _Entry(doc, raw, f"layout.{stage_key} #{index}")
                prompt_id = entry.text("prompt_id")
                hidden = entry.flag("hidden", default=False)
                if prompt_id in ids:
                    raise entry.error(f"the prompt “{prompt_id}” is listed twice")
                ids.add(prompt_id)
                _check_prompt_stage(entry, prompt_id, stage, content, custom_stage)
                placed.append({"prompt_id": prompt_id, "hidden": hidden})
            layout[stage.value] = placed

    wording: dict[str, str] = {}
    if "wording" in data:
        table = top.table("wording")
        for prompt_id, text in table.data.items():
            if content.find_prompt(prompt_id) is None:
                raise table.error(f"“{prompt_id}” is not a built-in prompt")
            if not isinstance(text, str) or not text.strip():
                raise table.error(f"the wording of “{prompt_id}” should be text")
            wording[prompt_id] = text.strip()
    return TemplateFile(name, method_pack, layout, wording, tuple(customs))


def _stage(entry: _Entry, value: object) -> StageId:
    try:
        stage = StageId(str(value))
    except ValueError:
        stage = None
    if stage is None or stage not in CONTENT_STAGES:
        known = ", ".join(s.value for s in CONTENT_STAGES)
        raise entry.error(f"unknown stage “{value}” (known: {known})")
    return stage


def _check_prompt_stage(
    entry: _Entry,
    prompt_id: str,
    stage: StageId,
    content: Content,
    custom_stage: Mapping[str, StageId],
) -> None:
    if prompt_id.startswith(CUSTOM_PREFIX):
        found = custom_stage.get(prompt_id)
        if found is None:
            raise entry.error(f"the prompt “{prompt_id}” is not among the file's custom prompts")
    else:
        builtin = content.find_prompt(prompt_id)
        if builtin is None:
            raise entry.error(f"the prompt “{prompt_id}” is not a built-in prompt")
        found = builtin.stage
    if found is not stage:
        raise entry.error(f"the prompt “{prompt_id}” belongs to stage “{found}”, not “{stage}”")
