"""The Summary stage's text: what was agreed, what each export will hold, what stays private.

Every list is read from the document data the exports themselves build
(:mod:`careerdesk.export.data`, through ``services.exports``): the Summary applies no privacy
rule of its own, so it cannot say a note is shared when no PDF holds it, or the reverse.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from careerdesk.errors import CareerDeskError
from careerdesk.export import data
from careerdesk.services.exporting import EXPORT_KINDS, ExportKind

if TYPE_CHECKING:
    from careerdesk.services import Services


def tr(text: str) -> str:
    return QCoreApplication.translate("summary", text)


@dataclass(frozen=True)
class HeldItem:
    """One thing a document prints: what it is (``"Next step"``) and the user's text."""

    what: str
    text: str
    private: bool = False


@dataclass(frozen=True)
class ExportList:
    """What one export of this conversation holds, and what it leaves out (by count)."""

    kind: ExportKind
    title: str
    items: tuple[HeldItem, ...]
    left_out: tuple[str, ...]
    problem: str = ""  # the export cannot be built now (its user message)
    deferred: bool = False  # not built yet: the user asks for it (see BOOK_LINK)


@dataclass(frozen=True)
class SummaryData:
    """Everything the Summary shows, built from the exports' own document data."""

    agreed: tuple[data.ActionLine, ...]
    centre: tuple[str, ...]
    exports: tuple[ExportList, ...]
    private: tuple[HeldItem, ...]

    def export(self, kind: ExportKind) -> ExportList:
        return next(e for e in self.exports if e.kind == kind)


EXPORT_TITLES: dict[ExportKind, str] = {
    "plan": tr("Shared plan"),
    "prep": tr("Prep sheet for the next conversation"),
    "record": tr("Conversation record"),
    "book": tr("Book of this person"),
}


def _action(a: data.ActionLine) -> HeldItem:
    return HeldItem(tr("Next step"), a.text, a.private)


def _match(m: data.MatchLine) -> HeldItem:
    return HeldItem(tr("Match item"), m.text, m.private)


def _section(c: data.ConversationSection) -> list[HeldItem]:
    items: list[HeldItem] = []
    for stage in c.stages:
        for p in stage.prompts:
            items.append(HeldItem(f"{stage.title} · {p.prompt}", p.answer, p.private))
        items += [HeldItem(f"{stage.title} · {n.kind}", n.text, n.private) for n in stage.notes]
    items += [_match(m) for m in c.match]
    items += [_action(a) for a in c.actions]
    items += [HeldItem(tr("Behaviour checklist"), k.text, k.private) for k in c.checks]
    items += [HeldItem(tr("Pulse"), p.dimension, p.private) for p in c.pulse]
    return items


def held_items(doc: data.AnyDoc) -> list[HeldItem]:
    """Every piece of the user's text ``doc`` prints, in the document's order."""
    if isinstance(doc, data.SharedPlanDoc):
        return [_match(m) for m in doc.match] + [_action(a) for a in doc.actions]
    if isinstance(doc, data.PrepSheetDoc):
        items: list[HeldItem] = []
        for stage in doc.sections:
            for p in stage.prompts:
                items.append(HeldItem(f"{stage.title} · {tr('Prompt')}", p.prompt))
                if p.answer:
                    items.append(HeldItem(f"{stage.title} · {tr('Last answer')}", p.answer,
                                          p.private))
        return items + [_action(a) for a in doc.open_actions]
    if isinstance(doc, data.ConversationRecordDoc):
        return _section(doc.conversation)
    items = []
    for c in doc.conversations:
        items += _section(c)
    items += [_action(a) for a in doc.actions]
    items += [HeldItem(f"{tr('Journal entry')} {e.entry_date.isoformat()}", e.title or e.body,
                       e.private) for e in doc.entries]
    return items


def _export_list(kind: ExportKind, build: data.AnyDoc | CareerDeskError) -> ExportList:
    if isinstance(build, CareerDeskError):
        return ExportList(kind, EXPORT_TITLES[kind], (), (), problem=build.user_message)
    left_out = tuple(f"{item.count} {item.label}" for item in build.left_out)
    return ExportList(kind, EXPORT_TITLES[kind], tuple(held_items(build)), left_out)


#: The link on the Summary that lists the book too (it gathers the person's whole history,
#: which takes too long to do each time the stage is shown).
BOOK_LINK = "careerdesk:book"


def summary_data(services: Services, person_id: str, conversation_id: str, *,
                 with_book: bool = True) -> SummaryData:
    """The Summary of one conversation, from the same builders as the four exports.

    The record and the book are listed as they are exported by default (without private
    notes); "What stays private" is what the record adds when private notes are asked for.
    Without ``with_book`` the book's list is left to be asked for.
    """
    exports = services.exports

    def build(kind: ExportKind) -> data.AnyDoc | CareerDeskError:
        try:
            return exports.build(kind, person_id, conversation=conversation_id)
        except CareerDeskError as exc:
            return exc

    lists = tuple(
        _export_list(kind, build(kind)) if with_book or kind != "book"
        else ExportList(kind, EXPORT_TITLES[kind], (), (), deferred=True)
        for kind in EXPORT_KINDS)
    full = exports.conversation_record(person_id, conversation=conversation_id,
                                       include_private=True)
    section = full.conversation
    centre = tuple(m.text for m in section.match
                   if m.in_skills and m.in_interests and m.in_business and not m.private)
    return SummaryData(
        agreed=section.actions,
        centre=centre,
        exports=lists,
        private=tuple(i for i in _section(section) if i.private),
    )

# -- as HTML -------------------------------------------------------------------------------


def _items_html(items: Iterable[HeldItem], private_mark: str) -> str:
    esc = html.escape
    rows = []
    for item in items:
        mark = f" {private_mark}" if item.private else ""
        text = f" {esc(item.text)}" if item.text and item.text != item.what else ""
        rows.append(f"<li><i>{esc(item.what)}:</i>{mark}{text}</li>")
    return "<ul>" + "".join(rows) + "</ul>" if rows else ""


def summary_html(summary: SummaryData, *, heading: str, purpose: str,
                 private_mark: str) -> str:
    """The Summary as escaped HTML; ``private_mark`` is the private style's HTML marker."""
    esc = html.escape
    parts = [f"<h2>{esc(heading)}</h2>"]
    if purpose:
        parts.append(f"<p>{esc(purpose)}</p>")
    parts.append(f"<h3>{esc(tr('What was agreed'))}</h3>")
    if summary.agreed:
        parts.append("<ul>")
        for a in summary.agreed:
            due = a.due.isoformat() if a.due else tr("no date")
            parts.append(
                f"<li><b>{esc(a.text)}</b>" + (f" {private_mark}" if a.private else "")
                + f" — {esc(a.kind)}; {esc(a.owner)}; {esc(due)}"
                + (f"; {esc(tr('support'))}: {esc(a.support)}" if a.support else "")
                + "</li>")
        parts.append("</ul>")
    else:
        parts.append(f"<p>{esc(tr('No next steps yet.'))}</p>")
    if summary.centre:
        parts.append(f"<p><b>{esc(tr('Where all three meet'))}:</b> "
                     + esc(", ".join(summary.centre)) + "</p>")
    parts.append(f"<h3>{esc(tr('What each export holds'))}</h3>")
    for export in summary.exports:
        parts.append(f"<h4>{esc(export.title)}</h4>")
        if export.deferred:
            parts.append(f'<p><a href="{BOOK_LINK}">{esc(tr("List what it holds"))}</a> '
                         f'{esc(tr("(the whole history of this person)"))}</p>')
            continue
        if export.problem:
            parts.append(f"<p>{esc(export.problem)}</p>")
            continue
        parts.append(_items_html(export.items, private_mark)
                     or f"<p>{esc(tr('Nothing of this conversation yet.'))}</p>")
        if export.left_out:
            parts.append(f"<p><i>{esc(tr('Left out'))}:</i> "
                         + esc("; ".join(export.left_out)) + "</p>")
    parts.append(f"<h3>{esc(tr('What stays private'))}</h3>")
    parts.append(_items_html(summary.private, private_mark)
                 or f"<p>{esc(tr('Nothing private in this conversation.'))}</p>")
    return "".join(parts)
