"""The reportlab renderer: one class, built in steps (fonts, styles, page templates, story).

Modelled on pretix's invoice renderer: :class:`PdfRenderer` registers the bundled fonts,
makes its paragraph styles, sets up the page templates (a first page without a running header,
later pages with one, every page with a footer "Exported <date> · Page X of Y" drawn by a
two-pass canvas), and turns one ``*Doc`` from :mod:`careerdesk.export.data` into a story.
It prints what the doc holds and nothing else: privacy is decided when the doc is built.

User text only ever becomes markup through :mod:`careerdesk.export.text`; labels of our own go
through the same path so no string is special. No link, image, bookmark or annotation is made
from anything: the only pictures are the vector match diagram and ruled lines we draw.

reportlab is imported when a renderer is made, never when this module's importers start up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from careerdesk.errors import ExportCancelledError, ExportError
from careerdesk.export import fonts
from careerdesk.export.data import (
    ActionLine,
    AnyDoc,
    ConversationRecordDoc,
    ConversationSection,
    MatchLine,
    PersonBookDoc,
    PrepSheetDoc,
    SharedPlanDoc,
    StageSection,
)
from careerdesk.export.files import write_atomically
from careerdesk.export.text import markup, plain_runs

Paper = Literal["a4", "letter"]
ProgressCallback = Callable[[float], None]
CancelledCallback = Callable[[], bool]

# Colours: ink, muted text, hairlines, the accent, and the private marker.
INK = "#1f2328"
MUTED = "#5b636b"
RULE = "#d0d7de"
ACCENT = "#2f5d8a"
PRIVATE = "#a4262c"
CIRCLE_COLOURS = ("#4f8fc9", "#e0a03a", "#5aa469")  # skills, interests, business


def doc_texts(doc: object) -> Iterator[str]:
    """Every string a doc holds (recursively): what the font preflight must check."""
    if isinstance(doc, str):
        yield doc
    elif dataclasses.is_dataclass(doc) and not isinstance(doc, type):
        for f in dataclasses.fields(doc):
            yield from doc_texts(getattr(doc, f.name))
    elif isinstance(doc, tuple | list):
        for item in doc:
            yield from doc_texts(item)


def _date(day: dt.date | None) -> str:
    return day.strftime("%d %B %Y").lstrip("0") if day else ""


class PdfRenderer:
    """Renders a CareerDesk document to a PDF file (A4 or Letter)."""

    def __init__(self, *, paper: Paper = "a4") -> None:
        from reportlab.lib.pagesizes import A4, LETTER

        if paper not in ("a4", "letter"):
            raise ExportError(f"Unknown paper size {paper!r}: use a4 or letter.")
        self.paper = paper
        self.page_size: tuple[float, float] = A4 if paper == "a4" else LETTER
        mm = 72 / 25.4
        self.margin_x, self.margin_top, self.margin_bottom = 22 * mm, 24 * mm, 22 * mm
        self.frame_width = self.page_size[0] - 2 * self.margin_x
        self._setup_fonts()
        self._setup_styles()

    # -- step 1: fonts ----------------------------------------------------------------------

    def _setup_fonts(self) -> None:
        fonts.ensure_registered()

    # -- step 2: styles ---------------------------------------------------------------------

    def _setup_styles(self) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        ink = colors.HexColor(INK)
        muted = colors.HexColor(MUTED)
        base = ParagraphStyle("body", fontName=fonts.BODY, fontSize=10, leading=14.5,
                              textColor=ink, spaceAfter=4, splitLongWords=1)
        self.styles: dict[str, Any] = {
            "body": base,
            "title": ParagraphStyle("title", parent=base, fontName=fonts.BODY_BOLD,
                                    fontSize=22, leading=27, spaceAfter=4,
                                    textColor=colors.HexColor(ACCENT)),
            "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11.5, leading=16,
                                       textColor=muted, spaceAfter=2),
            "h1": ParagraphStyle("h1", parent=base, fontName=fonts.BODY_BOLD, fontSize=15,
                                 leading=20, spaceBefore=18, spaceAfter=8,
                                 textColor=colors.HexColor(ACCENT), keepWithNext=1),
            "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BODY_BOLD, fontSize=12,
                                 leading=16, spaceBefore=14, spaceAfter=5, keepWithNext=1),
            "prompt": ParagraphStyle("prompt", parent=base, fontName=fonts.BODY_BOLD,
                                     fontSize=10, leading=14, spaceBefore=8, spaceAfter=2,
                                     keepWithNext=1),
            "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5,
                                    textColor=muted, spaceAfter=2),
            "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12.5, spaceAfter=0),
            "cell_head": ParagraphStyle("cell_head", parent=base, fontName=fonts.BODY_BOLD,
                                        fontSize=8.5, leading=11, spaceAfter=0,
                                        textColor=colors.white),
            "cell_label": ParagraphStyle("cell_label", parent=base, fontName=fonts.BODY_BOLD,
                                         fontSize=9, leading=12.5, spaceAfter=0),
            "h3": ParagraphStyle("h3", parent=base, fontName=fonts.BODY_BOLD, fontSize=10.5,
                                 leading=14, spaceBefore=10, spaceAfter=3, keepWithNext=1,
                                 textColor=muted),
            "toc0": ParagraphStyle("toc0", parent=base, fontName=fonts.BODY_BOLD, fontSize=11,
                                   leading=17, leftIndent=0),
            "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=15, leftIndent=16),
        }

    # -- step 3: page templates ---------------------------------------------------------------

    def _doc_template(self, target: Path, doc: AnyDoc, progress: ProgressCallback | None,
                      cancelled: CancelledCallback | None, total: int) -> Any:
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        renderer = self
        width, height = self.page_size
        margin_x, margin_top, margin_bottom = self.margin_x, self.margin_top, self.margin_bottom

        class _Template(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
            passes = 0
            done = 0

            def afterFlowable(self, flowable: Any) -> None:  # reportlab override
                level = getattr(flowable, "toc_level", None)
                if level is not None:
                    self.notify("TOCEntry", (level, flowable.toc_markup, self.page))
                self.done += 1
                if cancelled is not None and cancelled():
                    raise ExportCancelledError()
                if progress is not None and total:
                    # Two passes for documents with contents; the fraction never reaches 1
                    # until the file is complete.
                    fraction = (self.passes + min(1.0, self.done / total)) / renderer._passes
                    progress(min(fraction, 0.99))

            def handle_documentBegin(self) -> None:  # reportlab override
                self.done = 0
                super().handle_documentBegin()

            def _startBuild(self, *args: Any, **kwargs: Any) -> None:  # reportlab override
                super()._startBuild(*args, **kwargs)

            def _endBuild(self) -> None:  # reportlab override
                super()._endBuild()
                self.passes += 1

        template = _Template(
            str(target),
            pagesize=self.page_size,
            leftMargin=margin_x, rightMargin=margin_x,
            topMargin=margin_top, bottomMargin=margin_bottom,
            title=doc.meta.title,
            subject=doc.meta.subject,
            author=doc.meta.author,
            creator="CareerDesk",
            keywords=[],
            initialFontName=fonts.BODY,
            lang=None,
        )
        frame = Frame(margin_x, margin_bottom, width - 2 * margin_x,
                      height - margin_top - margin_bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        template.addPageTemplates([
            PageTemplate(id="first", frames=[frame], onPage=self._draw_first_page),
            PageTemplate(id="later", frames=[frame], onPage=self._draw_header),
        ])
        self._doc = doc
        return template

    def _draw_runs(self, canvas: Any, x: float, y: float, text: str, size: float, *,
                   align: Literal["left", "right", "centre"] = "left",
                   bold: bool = False, max_width: float | None = None) -> None:
        """Draws one line of user text in the fonts that have its characters."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        parts = [(fonts.BODY_BOLD if bold and font == fonts.BODY else font, run)
                 for font, run in plain_runs(text)]
        if max_width is not None:
            parts = _truncate(parts, size, max_width)
        total = sum(stringWidth(run, font, size) for font, run in parts)
        if align == "right":
            x -= total
        elif align == "centre":
            x -= total / 2
        for font, run in parts:
            canvas.setFont(font, size)
            canvas.drawString(x, y, run)
            x += stringWidth(run, font, size)

    def _draw_first_page(self, canvas: Any, template: Any) -> None:
        from reportlab.lib import colors

        width, height = self.page_size
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(ACCENT))
        canvas.rect(0, height - 8, width, 8, stroke=0, fill=1)
        canvas.restoreState()

    def _draw_header(self, canvas: Any, template: Any) -> None:
        from reportlab.lib import colors

        width, height = self.page_size
        left, right = template.leftMargin, width - template.rightMargin
        y = height - template.topMargin + 12
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(MUTED))
        half = (right - left) / 2 - 6
        self._draw_runs(canvas, left, y, self._doc.meta.kind, 8.5, max_width=half)
        self._draw_runs(canvas, right, y, self._doc.meta.person.name, 8.5, align="right",
                        max_width=half)
        canvas.setStrokeColor(colors.HexColor(RULE))
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 5, right, y - 5)
        canvas.restoreState()

    def _canvas_maker(self, doc: AnyDoc) -> Any:
        """A canvas that draws "Page X of Y" once it knows Y (pages are kept until save)."""
        from reportlab.lib import colors
        from reportlab.pdfgen.canvas import Canvas

        renderer = self
        footer_left = f"Exported {_date(doc.meta.exported_on)}"
        warning = ("Contains private notes: do not share"
                   if getattr(doc, "include_private", False) else "")

        class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict[str, Any]] = []

            def showPage(self) -> None:  # reportlab override
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:  # reportlab override
                count = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    self._footer(count)
                    super().showPage()
                super().save()

            def _footer(self, count: int) -> None:
                width, _ = renderer.page_size
                left = renderer.margin_x
                y = renderer.margin_bottom / 2
                self.saveState()
                self.setStrokeColor(colors.HexColor(RULE))
                self.setLineWidth(0.5)
                self.line(left, y + 10, width - left, y + 10)
                self.setFillColor(colors.HexColor(MUTED))
                self.setFont(fonts.BODY, 8)
                self.drawString(left, y, footer_left)
                self.drawRightString(width - left, y,
                                     f"Page {self._pageNumber} of {count}")
                if warning:
                    self.setFillColor(colors.HexColor(PRIVATE))
                    self.setFont(fonts.BODY_BOLD, 8)
                    self.drawCentredString(width / 2, y, warning)
                self.restoreState()

        return _NumberedCanvas

    # -- step 4: the story --------------------------------------------------------------------

    def _para(self, text: str, style: str = "body", *, private: bool = False,
              label: str = "") -> Any:
        """A paragraph of user text; ``label`` (ours) goes before it, each in its own direction.

        Converting label and text separately keeps an Arabic or Hebrew text's own reading
        direction instead of letting the label's Latin letters decide it. Text with
        right-to-left letters becomes a :func:`_bidi_paragraph_class` flowable, which breaks
        its lines in logical order; any other text is the plain Paragraph it always was.
        """
        if fonts.has_rtl(text):
            return self._bidi_para(fonts.clean(text).split("\n"), style, private=private,
                                   label=label)
        from reportlab.platypus import Paragraph

        return Paragraph(self._private_badge(private) + (markup(label) if label else "")
                         + markup(text), self.styles[style])

    def _private_badge(self, private: bool) -> str:
        if not private:
            return ""
        return self._badge_markup() + "  "

    def _badge_markup(self) -> str:
        return (f'<font name="{fonts.BODY_BOLD}" color="{PRIVATE}" size="7.5">'
                "PRIVATE</font>")

    def _bidi_para(self, lines: list[str], style: str, *, private: bool, label: str) -> Any:
        """Logical lines (cleaned, not shaped) as one flowable that wraps them right-to-left."""
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase.pdfmetrics import stringWidth

        st = self.styles[style]
        rtl_style = self.styles.get(style + "/rtl")
        if rtl_style is None:
            rtl_style = ParagraphStyle(style + "/rtl", parent=st, alignment=TA_RIGHT)
            self.styles[style + "/rtl"] = rtl_style
        prefix: list[tuple[str, float]] = []
        if private:
            prefix.append((self._badge_markup(), stringWidth("PRIVATE", fonts.BODY_BOLD, 7.5)))
        if label.strip():
            prefix.append((markup(label.strip()),
                           _text_width(label.strip(), st.fontSize,
                                       bold=st.fontName == fonts.BODY_BOLD)))
        return _bidi_paragraph_class()(lines, st, rtl_style, prefix)

    def _user_text(self, text: str, style: str = "body", *, private: bool = False,
                   label: str = "") -> list[Any]:
        """Long user text as one Paragraph per line, which keeps pagination linear in length."""
        from reportlab.platypus import Paragraph, Spacer

        flowables: list[Any] = []
        badge = self._private_badge(private) + (markup(label) if label else "")
        st = self.styles[style]
        from careerdesk.export.text import markup_line

        first = True  # the badge and label go on the first line that has text
        # Text without right-to-left letters: visual_text is the cleaned text (and cached).
        rtl = fonts.has_rtl(text)
        for logical in (fonts.clean(text) if rtl else fonts.visual_text(text)).split("\n"):
            if not logical.strip():
                flowables.append(Spacer(1, st.leading / 2))
                continue
            if rtl and fonts.has_rtl(logical):
                flowables.append(self._bidi_para([logical], style, private=private and first,
                                                 label=label if first else ""))
            else:
                flowables.append(Paragraph((badge if first else "") + markup_line(logical), st))
            first = False
        if first and badge:
            flowables.append(Paragraph(badge, st))
        return flowables

    def _heading(self, text: str, level: int, *, toc: bool = False,
                 private: bool = False) -> Any:
        para = self._para(text, ("h1", "h2", "h3")[min(level, 2)], private=private)
        if toc:
            para.toc_level = level
            para.toc_markup = markup(text)
        return para

    def _table_heading(self, text: str, level: int, *, toc: bool = False) -> list[Any]:
        """A heading before a long table: moves to a new page only when little room is left.

        keepWithNext would carry a table taller than the rest of the page over whole, leaving a
        blank page behind; the table's header row repeats on every page instead.
        """
        from reportlab.platypus import CondPageBreak

        heading = self._heading(text, level, toc=toc)
        heading.keepWithNext = 0
        return [CondPageBreak(110), heading]

    def _title_block(self, doc: AnyDoc, subtitle_lines: list[str]) -> list[Any]:
        from reportlab.platypus import NextPageTemplate, Spacer

        person = doc.meta.person
        story: list[Any] = [NextPageTemplate("later"), Spacer(1, 6)]
        story.append(self._para(doc.meta.kind, "title"))
        from reportlab.platypus import Paragraph

        who = " · ".join(markup(p) for p in (person.name, person.role, person.team)
                         if p.strip())
        story.append(Paragraph(who, self.styles["subtitle"]))
        for line in subtitle_lines:
            story.append(self._para(line, "small"))
        story.append(Spacer(1, 10))
        return story

    def _actions_table(self, actions: tuple[ActionLine, ...]) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        head = self.styles["cell_head"]
        cell = self.styles["cell"]
        rows: list[list[Any]] = [[Paragraph(h, head) for h in
                                  ("Next step", "Kind", "Owner", "Due", "Status")]]
        for a in actions:
            step: list[Any] = [self._para(a.text, "cell", private=a.private)]
            if a.support.strip():
                step.append(self._para(a.support, "small", label="Support: "))
            step.append(self._para(a.horizon, "small"))
            rows.append([step, self._para(a.kind, "cell"), self._para(a.owner, "cell"),
                         Paragraph(a.due.isoformat() if a.due else "no date", cell),
                         self._para(a.status, "cell")])
        w = self.frame_width
        table = Table(rows, colWidths=[w * 0.40, w * 0.18, w * 0.16, w * 0.14, w * 0.12],
                      repeatRows=1, splitInRow=1, hAlign="LEFT")
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        for i in range(2, len(rows), 2):
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f5f7f9")))
        table.setStyle(TableStyle(style))
        return table

    def _match(self, items: tuple[MatchLine, ...]) -> list[Any]:
        """The three-circle picture, then every item listed by where it sits."""
        from reportlab.lib import colors
        from reportlab.platypus import Spacer, Table, TableStyle

        story: list[Any] = [_MatchDrawing(self, items).flowable(), Spacer(1, 10)]
        rows = []
        for label, members in _match_regions(items):
            if members:
                rows.append([
                    self._para(label, "cell_label"),
                    [self._para(m.text, "cell", private=m.private) for m in members],
                ])
        if rows:
            table = Table(rows, colWidths=[self.frame_width * 0.34, self.frame_width * 0.66],
                          hAlign="LEFT", splitInRow=1)
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # the default is Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]))
            story.append(table)
        return story

    def _stage(self, section: StageSection, *, writing_space: bool = False,
               level: int = 1) -> list[Any]:
        story: list[Any] = [self._heading(section.title, level)]
        for p in section.prompts:
            story.append(self._para(p.prompt, "prompt", private=p.private))
            if writing_space:
                if p.answer.strip():
                    story.append(self._para(p.answer, "small", label="Noted last time: "))
                story.append(_WritingLines(self.frame_width, 3))
            elif p.answer.strip():
                story += self._user_text(p.answer)
            else:
                story.append(self._para("(asked, no note)" if p.asked else "(no note)", "small"))
        for n in section.notes:
            story.append(self._para(n.kind, "prompt", private=n.private))
            story += self._user_text(n.text)
        return story

    def _conversation(self, c: ConversationSection, *, heading_level: int,
                      toc: bool) -> list[Any]:
        story: list[Any] = []
        if heading_level >= 0:
            story.append(self._heading(f"Conversation of {_date(c.held_on)}", heading_level,
                                       toc=toc))
        if c.present.strip():
            story += self._user_text(c.present, "small", label="Present: ")
        if c.purpose.strip():
            story += self._user_text(c.purpose, "small", label="Purpose: ")
        sub = heading_level + 1 if heading_level >= 0 else 1
        for s in c.stages:
            story += self._stage(s, level=sub)
        if c.match:
            story.append(self._heading("The match", sub))
            story += self._match(c.match)
        if c.actions:
            story += self._table_heading("Next steps agreed", sub)
            story.append(self._actions_table(c.actions))
        if c.checks:
            story.append(self._heading("Behaviour checklist", sub))
            for check in c.checks:
                story.append(self._para(("☑ " if check.checked else "☐ ") + check.text,
                                        private=True))
        if c.pulse:
            story.append(self._heading("Pulse", sub))
            for pulse in c.pulse:
                story.append(self._para(f"{pulse.dimension}: {pulse.value} of 5", private=True))
        return story

    def story(self, doc: AnyDoc) -> list[Any]:
        """The flowables of one document."""
        if isinstance(doc, SharedPlanDoc):
            return self._shared_plan(doc)
        if isinstance(doc, PrepSheetDoc):
            return self._prep_sheet(doc)
        if isinstance(doc, ConversationRecordDoc):
            return self._record(doc)
        return self._book(doc)

    def _shared_plan(self, doc: SharedPlanDoc) -> list[Any]:
        lines = []
        if doc.conversation_date:
            lines.append(f"Agreed in our conversation of {_date(doc.conversation_date)}")
        story = self._title_block(doc, lines)
        story.append(self._heading("Where skills, interests and business needs meet", 0))
        if doc.match:
            story += self._match(doc.match)
        else:
            story.append(self._para("No match items were recorded.", "small"))
        story += self._table_heading("Next steps", 0)
        if doc.actions:
            story.append(self._actions_table(doc.actions))
        else:
            story.append(self._para("No next steps yet.", "small"))
        return story

    def _prep_sheet(self, doc: PrepSheetDoc) -> list[Any]:
        lines = [f"For the conversation of {_date(doc.conversation_date)}"
                 if doc.conversation_date else "For our next conversation"]
        story = self._title_block(doc, lines)
        if doc.open_actions:
            story += self._table_heading("Open next steps to talk about", 0)
            story.append(self._actions_table(doc.open_actions))
        story.append(self._heading("Prompts", 0))
        for section in doc.sections:
            story += self._stage(section, writing_space=True)
        return story

    def _record(self, doc: ConversationRecordDoc) -> list[Any]:
        c = doc.conversation
        lines = [f"Conversation of {_date(c.held_on)}"]
        if doc.include_private:
            lines.append("Includes private notes, each marked PRIVATE.")
        story = self._title_block(doc, lines)
        story += self._conversation(c, heading_level=-1, toc=False)
        return story

    def _book(self, doc: PersonBookDoc) -> list[Any]:
        from reportlab.platypus import PageBreak
        from reportlab.platypus.tableofcontents import TableOfContents

        span = " to ".join(_date(d) for d in (doc.date_from, doc.date_to) if d) or "All dates"
        if doc.date_from and not doc.date_to:
            span = f"From {_date(doc.date_from)}"
        elif doc.date_to and not doc.date_from:
            span = f"Until {_date(doc.date_to)}"
        lines = [span]
        if doc.include_private:
            lines.append("Includes private notes, each marked PRIVATE.")
        story = self._title_block(doc, lines)
        story.append(self._para("Contents", "h1"))
        from reportlab.platypus import TableStyle

        toc = TableOfContents(tableStyle=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # the default is Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        toc.levelStyles = [self.styles["toc0"], self.styles["toc1"]]
        toc.dotsMinLevel = 0
        story += [toc, PageBreak()]
        # Each section starts on a new page; an empty one is left out (and says so in a line
        # under the contents) rather than printed as a blank page.
        sections: list[list[Any]] = []
        empty: list[str] = []
        if doc.actions:
            sections.append([*self._table_heading("Next steps", 0, toc=True),
                             self._actions_table(doc.actions)])
        else:
            empty.append("No next steps in this period.")
        if doc.conversations:
            part: list[Any] = [self._heading("Conversations", 0, toc=True)]
            for c in doc.conversations:
                part += self._conversation(c, heading_level=1, toc=True)
            sections.append(part)
        else:
            empty.append("No conversations in this period.")
        if doc.entries:
            part = [self._heading("Journal", 0, toc=True)]
            year = None
            for e in doc.entries:
                if e.entry_date.year != year:
                    year = e.entry_date.year
                    part.append(self._heading(str(year), 1, toc=True))
                title = _date(e.entry_date) + (f": {e.title}" if e.title.strip() else "")
                part.append(self._para(title, "prompt", private=e.private))
                if e.tags:
                    part.append(self._para("Tags: " + ", ".join(e.tags), "small"))
                part += self._user_text(e.body)
            sections.append(part)
        else:
            empty.append("No journal entries in this period.")
        if empty:
            story[-1:-1] = [self._para(line, "small") for line in empty]
        if not sections:
            story.pop()  # nothing after the contents: no blank last page
        for i, part in enumerate(sections):
            if i:
                story.append(PageBreak())
            story += part
        return story

    # -- rendering ----------------------------------------------------------------------------

    def render(self, doc: AnyDoc, out: Path | str, *, progress: ProgressCallback | None = None,
               cancelled: CancelledCallback | None = None) -> None:
        """Writes ``doc`` to ``out`` completely or not at all.

        Checks first that every character has a font (raises :class:`ExportError` naming those
        that have none). ``progress`` receives fractions from 0 to 1; ``cancelled`` is polled
        after every flowable and, when it returns True, the export stops with
        :class:`ExportCancelledError` and no file.
        """
        try:
            self._render(doc, Path(out), progress, cancelled)
        finally:
            fonts.visual_text.cache_clear()  # holds user text: keep it no longer than needed

    def _render(self, doc: AnyDoc, out: Path, progress: ProgressCallback | None,
                cancelled: CancelledCallback | None) -> None:
        fonts.check_coverage(doc_texts(doc))
        story = self.story(doc)
        is_book = isinstance(doc, PersonBookDoc)
        self._passes = 2 if is_book else 1
        total = len(story)

        def write(temp: Path) -> None:
            template = self._doc_template(temp, doc, progress, cancelled, total)
            try:
                if is_book:
                    template.multiBuild(story, canvasmaker=self._canvas_maker(doc))
                else:
                    template.build(story, canvasmaker=self._canvas_maker(doc))
            except (ExportError, OSError):
                raise  # write_atomically turns OSError into a message naming the file
            except Exception as exc:  # reportlab's LayoutError and kin: a bug, told plainly
                raise ExportError(
                    f"The PDF could not be laid out ({type(exc).__name__}).",
                    hint="Please report this; your journal is unchanged.",
                ) from exc

        write_atomically(out, write)
        if progress is not None:
            progress(1.0)

    _passes = 1


# --- right-to-left paragraphs ------------------------------------------------------------------


@functools.cache
def _bidi_paragraph_class() -> type:
    """The flowable for text with right-to-left letters (made once, when reportlab is loaded).

    reportlab 5.1 can lay out right-to-left paragraphs itself (``wordWrap='RTL'``), but only
    with ``rlbidi``, its optional fribidi binding, which our package index does not have
    (``reportlab[bidi]`` silently falls back to reportlab 4.3); without it that setting does
    nothing. So the lines are broken here, in logical order and at the width the frame or table
    cell offers, then each line is shaped and put in visual order with python-bidi, and the
    result is an ordinary Paragraph of those lines, aligned right when the text reads from the
    right. Splitting across pages is the inner Paragraph's.
    """
    from reportlab.platypus import Flowable, Paragraph

    from careerdesk.export.text import markup_line, width, wrap_logical

    class BidiParagraph(Flowable):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, lines: list[str], style: Any, rtl_style: Any,
                     prefix: list[tuple[str, float]]) -> None:
            super().__init__()
            self.style = style
            # Each logical line shaped once, with the direction its first strong letter gives.
            self._lines = [(fonts.shape(line), fonts.base_direction(line)) for line in lines]
            strong = [base for line, base in zip(lines, self._lines, strict=True)
                      if fonts.has_rtl(line) or any(ch.isalpha() for ch in line)]
            self.rtl = bool(strong) and strong[0][1] == "R"
            self._inner_style = rtl_style if self.rtl else style
            self._prefix = prefix  # (markup, width) of our badge and label, in logical order
            self._inner: Any = None
            self._inner_width = -1.0

        def visual_lines(self, avail_width: float) -> list[str]:
            """The markup of each drawn line, left to right, for this width."""
            from reportlab import rl_config

            st = self.style
            font, size = st.fontName, st.fontSize
            space = width(" ", font, size)
            first = avail_width - st.leftIndent - st.firstLineIndent - st.rightIndent
            later = avail_width - st.leftIndent - st.rightIndent
            prefix_width = sum(w + space for _, w in self._prefix)
            out: list[str] = []
            for shaped, base in self._lines:
                widths = [first - prefix_width, later] if not out else [later]
                for part in wrap_logical(shaped, measure=lambda t: width(t, font, size),
                                         space=space, widths=widths,
                                         shrink=rl_config.spaceShrinkage):
                    out.append(markup_line(fonts.reorder(part, base)))
            if self._prefix and out:
                pieces = [m for m, _ in self._prefix]
                # Logical order puts the badge first: on the left of a left-to-right line,
                # on the right of a right-to-left one.
                if self.rtl:
                    out[0] = " ".join([out[0], *reversed(pieces)])
                else:
                    out[0] = " ".join([*pieces, out[0]])
            return out

        def _layout(self, avail_width: float) -> Any:
            if self._inner is None or self._inner_width != avail_width:
                self._inner = Paragraph("<br/>".join(self.visual_lines(avail_width)),
                                        self._inner_style)
                self._inner_width = avail_width
            return self._inner

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width, self.height = self._layout(avail_width).wrap(avail_width, avail_height)
            return self.width, self.height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            inner = self._layout(avail_width)
            inner.wrap(avail_width, avail_height)
            return list(inner.split(avail_width, avail_height))

        def draw(self) -> None:
            self._inner.drawOn(self.canv, 0, 0)

        def minWidth(self) -> float:  # reportlab override
            st = self.style
            return max((width(word, st.fontName, st.fontSize)
                        for shaped, _ in self._lines for word in shaped.split()), default=0.0)

    return BidiParagraph


# --- the match picture -------------------------------------------------------------------------

_REGION_LABELS = (
    ((True, True, True), "In all three: the best match"),
    ((True, True, False), "Skills and interests"),
    ((True, False, True), "Skills and business needs"),
    ((False, True, True), "Interests and business needs"),
    ((True, False, False), "Skills & abilities"),
    ((False, True, False), "Interests & passion"),
    ((False, False, True), "Business needs"),
)


def _match_regions(items: tuple[MatchLine, ...]) -> list[tuple[str, list[MatchLine]]]:
    out = []
    for key, label in _REGION_LABELS:
        out.append((label, [m for m in items
                            if (m.in_skills, m.in_interests, m.in_business) == key]))
    return out


def _truncate(parts: list[tuple[str, str]], size: float,
              max_width: float) -> list[tuple[str, str]]:
    """Cuts runs so they fit ``max_width``, ending with an ellipsis when cut."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    total = sum(stringWidth(t, f, size) for f, t in parts)
    if total <= max_width:
        return parts
    budget = max_width - stringWidth("…", fonts.BODY, size)
    out: list[tuple[str, str]] = []
    for font, run in parts:
        keep = ""
        for ch in run:
            w = stringWidth(ch, font, size)
            if w > budget:
                break
            keep += ch
            budget -= w
        else:
            out.append((font, run))
            continue
        if keep:
            out.append((font, keep))
        break
    out.append((fonts.BODY, "…"))
    return out


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(sum(stringWidth(t, fonts.BODY_BOLD if bold and f == fonts.BODY else f, size)
               for f, t in plain_runs(text)))


def _wrap_words(text: str, size: float, max_width: float, max_lines: int,
                bold: bool) -> list[str]:
    """Greedy word wrap into at most ``max_lines``; the last line keeps the rest (cut later)."""
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for k, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if current and _text_width(candidate, size, bold=bold) > max_width:
            lines.append(current)
            if len(lines) == max_lines - 1:
                lines.append(" ".join(words[k:]))
                return lines
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


class _MatchDrawing:
    """Three translucent circles; items written where they belong, the centre in bold."""

    def __init__(self, renderer: PdfRenderer, items: tuple[MatchLine, ...]) -> None:
        self.renderer = renderer
        self.items = items

    def flowable(self) -> Any:
        import math

        from reportlab.graphics.shapes import Circle, Drawing, Group, String
        from reportlab.lib import colors
        from reportlab.pdfbase.pdfmetrics import stringWidth

        width = self.renderer.frame_width
        r = 96.0
        a = 0.6 * r
        # Circles reach from cy - a - r (business, bottom) to cy + a/2 + r (the top two); the
        # business label sits below the picture.
        cy = a + r + 24
        height = cy + a / 2 + r + 6
        cx = width / 2
        # Without initialFontName the renderer selects Helvetica, an unembedded font.
        drawing = Drawing(width, height, initialFontName=fonts.BODY)
        angles = (150.0, 30.0, 270.0)  # skills top-left, interests top-right, business bottom
        centres = [(cx + a * math.cos(math.radians(t)), cy + a * math.sin(math.radians(t)))
                   for t in angles]
        for (x, y), colour in zip(centres, CIRCLE_COLOURS, strict=True):
            fill = colors.HexColor(colour)
            drawing.add(Circle(x, y, r, fillColor=colors.Color(fill.red, fill.green, fill.blue,
                                                                alpha=0.22),
                               strokeColor=fill, strokeWidth=1.2))
        # Circle names outside the picture, near each circle.
        names = ("Skills & abilities", "Interests & passion", "Business needs")
        for (x, y), t, name, colour in zip(centres, angles, names, CIRCLE_COLOURS, strict=True):
            nx = x + (r + 6) * math.cos(math.radians(t))
            ny = y + (r + 6) * math.sin(math.radians(t))
            anchor = "end" if t == 150.0 else "start" if t == 30.0 else "middle"
            if t == 270.0:
                ny -= 9
            drawing.add(String(nx, ny, name, fontName=fonts.BODY_BOLD, fontSize=9,
                               fillColor=colors.HexColor(colour), textAnchor=anchor))
        # Where each region's items go: direction from the centre and distance.
        anchors = {
            (True, True, True): (0.0, 0.0, 0.95 * r),
            (True, True, False): (90.0, 0.78 * r, 0.7 * r),
            (True, False, True): (210.0, 0.78 * r, 0.62 * r),
            (False, True, True): (330.0, 0.78 * r, 0.62 * r),
            (True, False, False): (150.0, 1.12 * r, 0.75 * r),
            (False, True, False): (30.0, 1.12 * r, 0.75 * r),
            (False, False, True): (270.0, 1.12 * r, 0.75 * r),
        }
        for key, (angle, dist, max_w) in anchors.items():
            members = [m for m in self.items
                       if (m.in_skills, m.in_interests, m.in_business) == key]
            if not members:
                continue
            centre = key == (True, True, True)
            size = 8.5 if centre else 7.5
            limit = 4 if centre else 3
            shown = members[:limit]
            # Few items: each may take two lines; many: one line each, cut with an ellipsis.
            per_item = 2 if len(shown) <= 2 else 1
            lines: list[tuple[str, bool]] = []
            for m in shown:
                for j, piece in enumerate(_wrap_words(m.text, size, max_w, per_item, centre)):
                    lines.append((piece, m.private and j == 0))
            if len(members) > limit:
                lines.append((f"+ {len(members) - limit} more", False))
            x = cx + dist * math.cos(math.radians(angle))
            y = cy + dist * math.sin(math.radians(angle))
            leading = size + 2.5
            top = y + (len(lines) - 1) * leading / 2 - size / 3
            group = Group()
            for i, (line, private) in enumerate(lines):
                parts = [(fonts.BODY_BOLD if centre and f == fonts.BODY else f, t)
                         for f, t in plain_runs(line)]
                # A private item (record and book only) is marked in the picture too.
                badge = [(fonts.BODY_BOLD, "PRIVATE ")] if private else []
                badge_w = sum(stringWidth(t, f, size - 1.5) for f, t in badge)
                parts = _truncate(parts, size, max_w - badge_w)
                line_w = badge_w + sum(stringWidth(t, f, size) for f, t in parts)
                lx = x - line_w / 2
                for font, run in badge:
                    group.add(String(lx, top - i * leading, run, fontName=font,
                                     fontSize=size - 1.5, fillColor=colors.HexColor(PRIVATE)))
                    lx += stringWidth(run, font, size - 1.5)
                for font, run in parts:
                    group.add(String(lx, top - i * leading, run, fontName=font, fontSize=size,
                                     fillColor=colors.HexColor(INK)))
                    lx += stringWidth(run, font, size)
            drawing.add(group)
        return drawing


class _WritingLines:
    """Ruled lines to write on (prep sheet)."""

    def __new__(cls, width: float, count: int) -> Any:  # returns a reportlab Flowable
        from reportlab.lib import colors
        from reportlab.platypus import Flowable

        class WritingLines(Flowable):  # type: ignore[misc]  # reportlab is untyped
            def __init__(self) -> None:
                super().__init__()
                self.width = width
                self.height = count * 20 + 4

            def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
                return self.width, self.height

            def draw(self) -> None:
                self.canv.setStrokeColor(colors.HexColor(RULE))
                self.canv.setLineWidth(0.6)
                for i in range(count):
                    y = self.height - (i + 1) * 20
                    self.canv.line(0, y, self.width, y)

        return WritingLines()
