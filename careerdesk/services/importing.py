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
        names = {t.name for t in services.prompts.templates()}
        shown = parsed.name
        prompts = sum(len(entries) for entries in parsed.layout.values())
        line = f"question template \"{shown}\" ({prompts} prompts)"
        if shown in names:
            line += ", saved under a new name since that name is taken"
        if dry_run:
            return ImportReport("template", "the templates", (line,), applied=False)
        template = services.prompts.import_template(copy, name=parsed.name)
    return ImportReport("template", "the templates",
                        (f"question template \"{template.name}\" ({prompts} prompts)",),
                        applied=True)
