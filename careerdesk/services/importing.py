"""One verb for everything that comes in: ``careerdesk import FILE`` and File ▸ Import….

The kind of file is told from its content, never from its name: a plan or progress file
(``.careerplan`` JSON), a filled prep-sheet PDF, a roster CSV, or a question template (JSON or
TOML). :func:`read_incoming` reads and checks the whole file *before* any journal is opened, so
unknown or damaged input is refused with one line and changes nothing; :func:`apply` then
previews (``dry_run``) or imports it in one transaction.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from careerdesk.errors import ContentError, ExchangeError
from careerdesk.services.exchange import (
    PLAN_FORMAT,
    PROGRESS_FORMAT,
    ExchangeService,
    ImportReport,
    parse_careerplan,
    read_bytes_limited,
)

if TYPE_CHECKING:
    from careerdesk.services import Services

Kind = Literal["plan", "progress", "prep", "roster", "template"]
TEMPLATE_FORMAT = "careerdesk-prompt-template"
KIND_LABELS: dict[str, str] = {
    "plan": "plan file", "progress": "progress file", "prep": "filled prep sheet",
    "roster": "roster CSV", "template": "question template",
}
#: Kinds that bring records about people who must already be in the journal.
NEEDS_EXISTING_JOURNAL: frozenset[str] = frozenset({"progress", "prep"})


@dataclass(frozen=True)
class Incoming:
    """A file to import, read and checked; ``parsed`` depends on ``kind``."""

    kind: Kind
    path: Path
    data: bytes
    parsed: Any

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _unknown(name: str) -> ExchangeError:
    return ExchangeError(
        f"{name}: not a file CareerDesk can import (a plan or progress file, a filled prep "
        "sheet, a roster CSV or a question template); nothing was changed."
    )


def read_incoming(path: Path) -> Incoming:
    """Read ``path`` and tell its kind from the content; checks everything it can without a
    journal. Raises :class:`ExchangeError` (one line) for anything unknown or damaged."""
    path = Path(path)
    name = path.name
    data = read_bytes_limited(path)
    if data.startswith(b"%PDF-"):
        from careerdesk.services.pre_read import read_prep_form

        return Incoming("prep", path, data, read_prep_form(data, name=name))
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"[":
        raise _unknown(name)
    if head == b"{":
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise ExchangeError(f"{name}: damaged JSON; nothing was changed.") from None
        kind = document.get("format") if isinstance(document, dict) else None
        if kind in (PLAN_FORMAT, PROGRESS_FORMAT):
            parsed = parse_careerplan(data, name=name)
            return Incoming("plan" if kind == PLAN_FORMAT else "progress", path, data, parsed)
        if kind == TEMPLATE_FORMAT:
            return Incoming("template", path, data, ".json")
        raise _unknown(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if TEMPLATE_FORMAT in text:
        import tomllib

        try:
            if tomllib.loads(text).get("format") == TEMPLATE_FORMAT:
                return Incoming("template", path, data, ".toml")
        except tomllib.TOMLDecodeError:
            pass
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _unknown(name)
    from careerdesk.services.roster import decode, looks_like_roster, parse_roster

    try:
        roster_text = decode(data)
    except ExchangeError:
        raise _unknown(name) from None
    if looks_like_roster(roster_text):
        return Incoming("roster", path, data, parse_roster(data, name=name))
    if "," in roster_text.split("\n", 1)[0] or ";" in roster_text.split("\n", 1)[0]:
        raise ExchangeError(
            f"{name}: a CSV roster needs a header row with a \"name\" column; nothing was "
            "imported.")
    raise _unknown(name)


def apply(services: Services, incoming: Incoming, *, person: str | None = None,
          dry_run: bool = False) -> ImportReport:
    """Preview (``dry_run``) or import a file read by :func:`read_incoming`."""
    if incoming.kind == "plan":
        return ExchangeService(services).import_plan(incoming.parsed, person=person,
                                                     dry_run=dry_run)
    if incoming.kind == "progress":
        return ExchangeService(services).import_progress(incoming.parsed, person=person,
                                                         dry_run=dry_run)
    if incoming.kind == "roster":
        from careerdesk.services.roster import import_roster

        rows, notes = incoming.parsed
        report = import_roster(services, rows, dry_run=dry_run)
        return ImportReport(report.kind, report.target, report.changes, report.conflicts,
                            report.applied, tuple(notes))
    if incoming.kind == "prep":
        from careerdesk.services.pre_read import import_prep_answers

        return import_prep_answers(services, incoming.parsed, person=person, dry_run=dry_run)
    return _import_template(services, incoming, dry_run=dry_run)


def _import_template(services: Services, incoming: Incoming, *, dry_run: bool) -> ImportReport:
    from careerdesk.content.templates import read_template_file

    # The template reader picks JSON or TOML by the suffix: give it a copy with the right one.
    with tempfile.TemporaryDirectory(prefix="careerdesk-import-") as folder:
        copy = Path(folder) / f"template{incoming.parsed}"
        copy.write_bytes(incoming.data)
        try:
            parsed = read_template_file(copy, services.prompts.content)
        except ContentError as exc:
            raise ExchangeError(
                f"{incoming.name}: {str(exc).removeprefix(copy.name + ': ')}"
            ) from None
        templates = services.prompts.templates()
        shown = parsed.name
        prompts = sum(len(entries) for entries in parsed.layout.values())
        customs = {c.prompt_id: (c.stage.value, c.text, c.hint) for c in parsed.custom_prompts}
        wanted = _template_signature(parsed.method_pack, parsed.layout, parsed.wording, customs)
        for template in templates:
            if template.name == shown and _saved_signature(services, template.id) == wanted:
                return ImportReport("template", "the templates", summary=(
                    f"The question template \"{shown}\" is already here, the same."))
        line = f"question template \"{shown}\" ({prompts} prompts)"
        if shown in {t.name for t in templates}:
            line += ", saved under a new name since that name is taken"
        if dry_run:
            return ImportReport("template", "the templates", (line,), applied=False)
        template = services.prompts.import_template(copy, name=parsed.name)
    return ImportReport("template", "the templates",
                        (f"question template \"{template.name}\" ({prompts} prompts)",),
                        applied=True)


def _template_signature(method_pack: str, layout: Mapping[str, Sequence[Mapping[str, object]]],
                        wording: Mapping[str, str],
                        customs: Mapping[str, tuple[str, str, str]]) -> object:
    """What a template says, with its own prompts by their text (their ids differ per copy)."""
    def key(prompt_id: str) -> object:
        return customs.get(prompt_id, prompt_id)

    return (method_pack, sorted(wording.items()), sorted(
        (stage, [(key(str(e["prompt_id"])), bool(e.get("hidden", False))) for e in entries])
        for stage, entries in layout.items() if entries))


def _saved_signature(services: Services, template_id: str) -> object:
    template = services.prompts.template(template_id)
    customs = {c.prompt_id: (c.stage.value, c.text, c.hint)
               for c in services.prompts.custom_prompts(template_id=template_id)}
    return _template_signature(template.method_pack, template.layout, template.wording, customs)
