"""The reportlab renderer: one class, built in steps (fonts, styles, page templates, story).

Modelled on pretix's invoice renderer: :class:`PdfRenderer` registers the bundled fonts,
makes its paragraph styles, sets up the page templates (a first page without a running header,
later pages with one, every page with a footer "Exported <date> · Page X of Y" drawn by a
two-pass canvas), and turns one ``*Doc`` from :mod:`careerdesk.export.data` into a story.
It prints what the doc holds and nothing else: privacy is decided when the doc is built.

User text only ever becomes markup through :mod:`careerdesk.export.text`; labels of our own go
through the same path so no string is special. No link to anything outside the document is
ever made: the book's and the record's outline (bookmarks) and the book's contents page link
only to places in the same file. The only raster image is the organisation's logo on a shared
plan, when the user set one in Preferences (validated there); the other pictures are the
vector match diagram and ruled lines we draw.

reportlab is imported when a renderer is made, never when this module's importers start up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from careerdesk.domain.palette import CENTRE_COLOUR, FILL_ALPHA, circle_colour
from careerdesk.domain.progress import BUSINESS, INTERESTS, SKILLS
from careerdesk.errors import ExportCancelledError, ExportError
from careerdesk.export import fonts
from careerdesk.export.data import (
    ActionLine,
    AnyDoc,
    ContentTexts,
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
OVERDUE = "#b4540a"
#: The canvas callback that ends each contents entry with its page number.
CONTENTS_CALLBACK = "cdContentsEnd"
#: A next step with fewer characters (text and support, a line break counting as a line's
#: worth, see _cell_size) always fits in 80 % of a page.
LONG_CELL = 1500


def _cell_size(text: str) -> int:
    """Characters of ``text``, each line break counted as a full line of a narrow column."""
    return len(text) + 60 * text.count("\n")
#: Skills, interests, business needs: the window's colours (careerdesk.domain.palette).
CIRCLE_COLOURS = tuple(circle_colour(c) for c in (SKILLS, INTERESTS, BUSINESS))


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
            "legend": ParagraphStyle("legend", parent=base, fontSize=8.5, leading=11,
                                     spaceAfter=0),
            "legend_label": ParagraphStyle("legend_label", parent=base,
                                           fontName=fonts.BODY_BOLD, fontSize=8, leading=10.5,
                                           spaceAfter=1, textColor=muted),
            "label": ParagraphStyle("label", parent=base, fontName=fonts.BODY_BOLD,
                                    fontSize=8, leading=10.5, spaceAfter=0, textColor=muted),
            "value": ParagraphStyle("value", parent=base, fontSize=10, leading=13,
                                    spaceAfter=0),
            "plan_h": ParagraphStyle("plan_h", parent=base, fontName=fonts.BODY_BOLD,
                                     fontSize=11.5, leading=15, spaceBefore=9, spaceAfter=4,
                                     textColor=colors.HexColor(ACCENT), keepWithNext=1),
            "org": ParagraphStyle("org", parent=base, fontName=fonts.BODY_BOLD, fontSize=10,
                                  leading=13, spaceAfter=0, textColor=muted, alignment=2),
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
            done = 0

            def afterFlowable(self, flowable: Any) -> None:  # reportlab override
                outline = getattr(flowable, "outline_level", None)
                if outline is not None:
                    # A destination at the heading and an outline entry to it; the page is
                    # what the contents page prints and links to (drawn when all are known).
                    key = flowable.outline_key
                    top = self.frame._y + flowable.height + 6
                    self.canv.bookmarkHorizontalAbsolute(key, top)
                    self.canv.addOutlineEntry(flowable.outline_title, key, level=outline,
                                              closed=outline >= 1)
                    renderer._heading_pages[key] = self.page
                self.done += 1
                if cancelled is not None and cancelled():
                    raise ExportCancelledError()
                if progress is not None and total:
                    # The fraction never reaches 1 until the file is complete.
                    progress(min(self.done / total, 0.99))

            def handle_documentBegin(self) -> None:  # reportlab override
                self.done = 0
                if renderer._outline:
                    self.canv.showOutline()
                super().handle_documentBegin()

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
            lang=doc.meta.language or None,
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
                self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []
                self._page_deferred: list[tuple[Any, float, float, float]] = []

            def showPage(self) -> None:  # reportlab override
                self._pages.append(dict(self.__dict__))
                self._page_bookmarks = []
                self._page_deferred = []
                self._startPage()

            def defer_draw(self, flowable: Any, x: float, y: float, sw: float) -> None:
                """Draws ``flowable`` on this page at save, when every page is known."""
                self._page_deferred = [*self._page_deferred, (flowable, x, y, sw)]

            def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # reportlab override
                # A destination names its page object, which exists only once the page is
                # really shown (in save): keep it with the page until then.
                self._page_bookmarks = [*self._page_bookmarks, (key, kwargs)]

            def save(self) -> None:  # reportlab override
                count = len(self._pages)
                # Annotations are named by a counter kept in the canvas: carried across the
                # pages' saved states so links drawn now get names of their own.
                annotations: int = getattr(self, "_annotationCount", 0)
                for state in self._pages:
                    self.__dict__.update(state)
                    annotations = max(annotations, getattr(self, "_annotationCount", 0))
                    self._annotationCount = annotations
                    for key, kwargs in self._page_bookmarks:
                        Canvas.bookmarkPage(self, key, **kwargs)
                    if self._page_deferred:
                        self.setNamedCB(CONTENTS_CALLBACK, renderer._draw_contents_page)
                        for flowable, x, y, sw in self._page_deferred:
                            flowable.drawOn(self, x, y, sw)
                    self._footer(count)
                    annotations = getattr(self, "_annotationCount", 0)
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
        paragraph = _paragraph_class()

        return paragraph(self._private_badge(private) + (markup(label) if label else "")
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
        from reportlab.platypus import Spacer

        paragraph = _paragraph_class()

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
                flowables.append(paragraph((badge if first else "") + markup_line(logical), st))
            first = False
        if first and badge:
            flowables.append(paragraph(badge, st))
        return flowables

    def _heading(self, text: str, level: int, *, toc: bool = False,
                 private: bool = False, outline: int | None = None) -> Any:
        """A heading; ``toc``: listed on the contents page at ``level``; ``outline``: a
        bookmark at that outline level (the title is the logical text: readers lay it out)."""
        para = self._para(text, ("h1", "h2", "h3")[min(level, 2)], private=private)
        if toc:
            para.toc_level = level
            para.toc_markup = markup(text)
        if outline is not None or toc:
            self._key_count += 1
            para.outline_key = f"cd{self._key_count}"
        if outline is not None:
            para.outline_level = outline
            para.outline_title = fonts.clean(text).replace("\n", " ")
        return para

    def _table_heading(self, text: str, level: int, *, toc: bool = False,
                       outline: int | None = None) -> list[Any]:
        """A heading before a long table: moves to a new page only when little room is left.

        keepWithNext would carry a table taller than the rest of the page over whole, leaving a
        blank page behind; the table's header row repeats on every page instead.
        """
        from reportlab.platypus import CondPageBreak

        heading = self._heading(text, level, toc=toc, outline=outline)
        heading.keepWithNext = 0
        return [CondPageBreak(110), heading]

    def _title_block(self, doc: AnyDoc, subtitle_lines: list[str]) -> list[Any]:
        from reportlab.platypus import NextPageTemplate, Spacer

        person = doc.meta.person
        story: list[Any] = [NextPageTemplate("later"), Spacer(1, 6)]
        story.append(self._para(doc.meta.kind, "title"))
        paragraph = _paragraph_class()

        who = " · ".join(markup(p) for p in (person.name, person.role, person.team)
                         if p.strip())
        story.append(paragraph(who, self.styles["subtitle"]))
        for line in subtitle_lines:
            story.append(self._para(line, "small"))
        story.append(Spacer(1, 10))
        return story

    def _actions_table(self, actions: tuple[ActionLine, ...], *,
                       compact: bool = False) -> Any:
        """Next steps, one row each; a row is never split over a page break unless it is
        taller than a page (a step of many thousand characters), and the header repeats.

        An open step due before the export date says "Overdue" under its date. ``compact``
        (the shared plan) puts the kind under the step instead of in a column of its own.
        """
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        paragraph = _paragraph_class()

        head = self.styles["cell_head"]
        cell = self.styles["cell"]
        heads = (("Next step", "Owner", "Due", "Status") if compact
                 else ("Next step", "Kind", "Owner", "Due", "Status"))
        rows: list[list[Any]] = [[paragraph(h, head) for h in heads]]
        for a in actions:
            step: list[Any] = [self._para(a.text, "cell", private=a.private)]
            if a.support.strip():
                step.append(self._para(a.support, "small", label="Support: "))
            step.append(self._para(f"{a.kind} · {a.horizon}" if compact else a.horizon,
                                   "small"))
            due: list[Any] = [paragraph(a.due.isoformat() if a.due else "no date", cell)]
            if a.overdue:
                due.append(paragraph(f'<font name="{fonts.BODY_BOLD}" color="{OVERDUE}">'
                                     "Overdue</font>", self.styles["small"]))
            row = [step, self._para(a.owner, "cell"), due, self._para(a.status, "cell")]
            if not compact:
                row.insert(1, self._para(a.kind, "cell"))
            rows.append(row)
        w = self.frame_width
        widths = ([w * 0.52, w * 0.2, w * 0.14, w * 0.14] if compact
                  else [w * 0.40, w * 0.18, w * 0.16, w * 0.14, w * 0.12])
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT")
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 4 if compact else 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5 if compact else 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        for i in range(2, len(rows), 2):
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f5f7f9")))
        table.setStyle(TableStyle(style))
        # Rows stay whole; only a row taller than most of a page may be split inside. Only a
        # step of more than LONG_CELL characters can be that tall, so only then is it measured.
        if any(_cell_size(a.text) + _cell_size(a.support) > LONG_CELL for a in actions):
            _, frame_height = self._frame_size()
            table.wrap(w, frame_height)
            if max(table._rowHeights, default=0.0) > frame_height * 0.8:
                table.splitInRow = 1
        return table

    def _frame_size(self) -> tuple[float, float]:
        return self.frame_width, self.page_size[1] - self.margin_top - self.margin_bottom

    def _match(self, items: tuple[MatchLine, ...]) -> list[Any]:
        """The three circles, small, with a number in each region that has items, beside a
        legend that lists every item of each region in full (nothing is ever cut)."""
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        paragraph = _paragraph_class()

        drawing = _compact_match_drawing(items)
        legend_rows: list[list[Any]] = []
        for number, (label, members) in enumerate(_match_regions(items), start=1):
            if not members:
                continue
            chip = paragraph(f'<font name="{fonts.BODY_BOLD}" color="{ACCENT}">{number}</font>',
                             self.styles["cell"])
            cell: list[Any] = [self._para(label, "legend_label")]
            cell += [self._para(m.text, "legend", private=m.private) for m in members]
            legend_rows.append([chip, cell])
        if not legend_rows:
            return [self._para("No match items were recorded.", "small")]
        legend_width = self.frame_width - drawing.width - 12
        legend = Table(legend_rows, colWidths=[14, legend_width - 14], hAlign="LEFT",
                       splitInRow=1)
        legend.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # the default is Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        outer = Table([[drawing, legend]], colWidths=[drawing.width + 12, legend_width],
                      hAlign="LEFT", splitInRow=1)
        outer.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return [outer]

    def _stage(self, section: StageSection, *, writing_space: bool = False,
               level: int = 1, outline: int | None = None) -> list[Any]:
        story: list[Any] = [self._heading(section.title, level, outline=outline)]
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
                                       toc=toc, outline=heading_level))
        if c.present.strip():
            story += self._user_text(c.present, "small", label="Present: ")
        if c.purpose.strip():
            story += self._user_text(c.purpose, "small", label="Purpose: ")
        sub = heading_level + 1 if heading_level >= 0 else 1
        # Every section is a bookmark, one level under its conversation (top level in a record).
        out = heading_level + 1 if heading_level >= 0 else 0
        for s in c.stages:
            story += self._stage(s, level=sub, outline=out)
        if c.match:
            story.append(self._heading("The match", sub, outline=out))
            story += self._match(c.match)
        if c.actions:
            story += self._table_heading("Next steps agreed", sub, outline=out)
            story.append(self._actions_table(c.actions))
        if c.checks:
            story.append(self._heading("Behaviour checklist", sub, outline=out))
            for check in c.checks:
                story.append(self._para(("☑ " if check.checked else "☐ ") + check.text,
                                        private=True))
        if c.pulse:
            # A pulse is how things look for the person, in words: never a score.
            story.append(self._heading("Pulse", sub, outline=out))
            for pulse in c.pulse:
                words = pulse.label or ContentTexts().pulse_label("", pulse.value)
                story.append(self._para(f"{pulse.dimension}: {words}", private=True))
        return story

    def story(self, doc: AnyDoc) -> list[Any]:
        """The flowables of one document."""
        self._key_count = 0
        if isinstance(doc, SharedPlanDoc):
            return self._shared_plan(doc)
        if isinstance(doc, PrepSheetDoc):
            return self._prep_sheet(doc)
        if isinstance(doc, ConversationRecordDoc):
            return self._record(doc)
        return self._book(doc)

    #: A shared plan of at most this many steps is set on one page (shrunk to fit if need be).
    ONE_PAGE_STEPS = 5
    #: ... unless that would shrink it by more than this (its text to less than 3/4 size).
    MAX_SHRINK = 1.35

    def _shared_plan(self, doc: SharedPlanDoc) -> list[Any]:
        """The plan a manager hands over: one page for up to :attr:`ONE_PAGE_STEPS` steps.

        Header (title, organisation, who, when, next conversation), the person's direction, the
        match as small circles beside their legend, the next steps, and "Agreed by" lines.
        """
        from reportlab.platypus import KeepInFrame, NextPageTemplate

        body: list[Any] = [*self._plan_header(doc)]
        body.append(self._para("Direction", "plan_h"))
        body += self._plan_direction(doc)
        body.append(self._para("The match: skills, interests and business needs", "plan_h"))
        if doc.match:
            body += self._match(doc.match)
        else:
            body.append(self._para("No match items were recorded.", "small"))
        # Not kept with the table: a table longer than the rest of the page would be carried
        # over whole, leaving the page half empty; its header row repeats instead.
        from reportlab.platypus import CondPageBreak

        steps_heading = self._para("Next steps", "plan_h")
        steps_heading.keepWithNext = 0
        body += [CondPageBreak(90), steps_heading]
        if doc.actions:
            body.append(self._actions_table(doc.actions, compact=True))
        else:
            body.append(self._para("No next steps yet.", "small"))
        if doc.agreed_by:
            body += self._agreed_by(doc)
        story: list[Any] = [NextPageTemplate("later")]
        width, height = self._frame_size()
        if (len(doc.actions) <= self.ONE_PAGE_STEPS
                and _list_height(body, width) <= height * self.MAX_SHRINK):
            # Scaled down a little if need be; text that would become too small to read (a
            # step of thousands of characters) flows over pages instead.
            story.append(KeepInFrame(width, height - 1, body, mode="shrink"))
        else:
            story += body
        return story

    def _plan_header(self, doc: SharedPlanDoc) -> list[Any]:
        import io

        from reportlab.lib import colors
        from reportlab.platypus import Image, Table, TableStyle

        paragraph = _paragraph_class()

        from careerdesk.domain.logo import logo_size

        w = self.frame_width
        org: list[Any] = []
        logo = doc.organisation.logo
        if logo:
            _, px_w, px_h = logo_size(logo)
            scale = min(150 / px_w, 42 / px_h)
            org.append(Image(io.BytesIO(logo), width=px_w * scale, height=px_h * scale,
                             hAlign="RIGHT"))
        if doc.organisation.name.strip():
            org.append(self._para(doc.organisation.name, "org"))
        title = [self._para(doc.meta.kind, "title")]
        if doc.conversation_date:
            title.append(self._para(
                f"Agreed in our conversation of {_date(doc.conversation_date)}", "small"))
        top = Table([[title, org]], colWidths=[w * 0.62, w * 0.38], hAlign="LEFT")
        top.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        person = doc.meta.person

        def field(label: str, value: str, extra: str = "") -> list[Any]:
            cell = [paragraph(label, self.styles["label"]), self._para(value, "value")]
            if extra.strip():
                cell.append(self._para(extra, "small"))
            return cell

        role = " · ".join(p for p in (person.role, person.team) if p.strip())
        info = Table([
            [field("Person", person.name, role),
             field("Supervisor or mentor", doc.supervisor or "Not named")],
            [field("Date", _date(doc.conversation_date or doc.meta.exported_on)),
             field("Next conversation", _date(doc.next_conversation) or "To be agreed")],
        ], colWidths=[w / 2, w / 2], hAlign="LEFT")
        info.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f3f6f9")),
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(ACCENT)),
            ("LEFTPADDING", (0, 0), (-1, -1), 7),
            ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        return [top, info]

    def _plan_direction(self, doc: SharedPlanDoc) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        if not doc.direction:
            return [self._para("Not talked about yet.", "small")]
        rows = [[self._para(d.horizon, "label"), self._user_text(d.text, "cell")]
                for d in doc.direction]
        table = Table(rows, colWidths=[self.frame_width * 0.22, self.frame_width * 0.78],
                      hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.HexColor(RULE)),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        story: list[Any] = [table]
        if doc.direction_note:
            story.append(self._para(doc.direction_note, "small"))
        return story

    def _agreed_by(self, doc: SharedPlanDoc) -> list[Any]:
        """Room for both people to sign and date: a line each, their name under it."""
        from reportlab.lib import colors
        from reportlab.platypus import Spacer, Table, TableStyle

        names = [doc.meta.person.name, doc.supervisor or "Supervisor or mentor"]
        w = self.frame_width
        cells = [[self._para(name, "value"), self._para("Signature and date", "small")]
                 for name in names]
        table = Table([[cells[0], "", cells[1]]], colWidths=[w * 0.45, w * 0.1, w * 0.45],
                      hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
            ("LINEABOVE", (0, 0), (0, 0), 0.6, colors.HexColor(MUTED)),
            ("LINEABOVE", (2, 0), (2, 0), 0.6, colors.HexColor(MUTED)),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
        ]))
        return [self._para("Agreed by", "plan_h"), Spacer(1, 18), table]

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
        contents_at = len(story)
        story.append(PageBreak())
        # Each section starts on a new page; an empty one is left out (and says so in a line
        # under the contents) rather than printed as a blank page.
        sections: list[list[Any]] = []
        empty: list[str] = []
        if doc.actions:
            sections.append([*self._table_heading("Next steps", 0, toc=True, outline=0),
                             self._actions_table(doc.actions)])
        else:
            empty.append("No next steps in this period.")
        if doc.conversations:
            part: list[Any] = [self._heading("Conversations", 0, toc=True, outline=0)]
            for c in doc.conversations:
                part += self._conversation(c, heading_level=1, toc=True)
            sections.append(part)
        else:
            empty.append("No conversations in this period.")
        if doc.entries:
            part = [self._heading("Journal", 0, toc=True, outline=0)]
            year = None
            for e in doc.entries:
                if e.entry_date.year != year:
                    year = e.entry_date.year
                    part.append(self._heading(str(year), 1, toc=True, outline=1))
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
        entries = [f for part in sections for f in part if getattr(f, "toc_level", None)
                   is not None]
        if entries:
            story.insert(contents_at, self._contents(entries))
        for i, part in enumerate(sections):
            if i:
                story.append(PageBreak())
            story += part
        return story

    def _contents(self, headings: list[Any]) -> Any:
        """The contents page, laid out with the rest in one pass and drawn at the end.

        Its entries are known before layout (the headings marked for it); only their page
        numbers are not. Their height does not depend on those numbers, so the contents take
        their place in the single layout pass, and are drawn when the file is saved, with every
        page number known (reportlab's TableOfContents needs two or three full passes instead).
        Each entry links to its heading.
        """
        from reportlab.platypus import Table, TableStyle

        paragraph = _paragraph_class()

        rows = []
        for h in headings:
            style = self.styles["toc0" if h.toc_level == 0 else "toc1"]
            rows.append([paragraph(
                f'<a href="#{h.outline_key}">{h.toc_markup}</a>'
                f'<onDraw name="{CONTENTS_CALLBACK}" label="{h.outline_key},{h.toc_level}"/>',
                style)])
        table = Table(rows, colWidths=[self.frame_width], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # the default is Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return _deferred_class()(table)

    def _draw_contents_page(self, canvas: Any, kind: str, label: str) -> None:
        """The end of a contents entry: dot leaders, the page number and its link."""
        from reportlab.platypus.tableofcontents import drawPageNumbers

        key, level = label.split(",")
        page = self._heading_pages.get(key)
        if page is None:  # a heading split over a page break is not tracked: no number
            return
        style = self.styles["toc0" if level == "0" else "toc1"]
        drawPageNumbers(canvas, style, [(page, key)], self.frame_width, 0, " . ")

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
        self._outline = isinstance(doc, PersonBookDoc | ConversationRecordDoc)
        self._heading_pages = {}
        total = len(story)

        def write(temp: Path) -> None:
            template = self._doc_template(temp, doc, progress, cancelled, total)
            try:
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

    _outline = False  # True for the book and the record: open the reader's bookmarks pane
    _key_count = 0  # destinations made for headings in this story
    #: The page of each heading's destination, filled during layout (for the contents page).
    _heading_pages: dict[str, int] = {}  # noqa: RUF012  # replaced per render


@functools.cache
def _paragraph_class() -> type:
    """reportlab's Paragraph, laid out once per width.

    ``Paragraph.wrap`` breaks the lines again at every call, and a paragraph is asked more
    than once at the same width: a heading kept with the next paragraph is measured in its
    group, then placed; a table cell is measured for the row heights, then again when the
    table is split or drawn. The line breaking depends only on the width (and the style, which
    does not change), so the last result is kept for that width.
    """
    from reportlab.platypus import Paragraph

    class WrapOnceParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
        _wrapped_at: float | None = None

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            # reportlab drops the laid-out lines in places (a split): then lay out again.
            if avail_width == self._wrapped_at and "blPara" in self.__dict__:
                return self.width, self.height
            result: tuple[float, float] = super().wrap(avail_width, avail_height)
            self._wrapped_at = avail_width
            return result

    return WrapOnceParagraph


@functools.cache
def _deferred_class() -> type:
    """A flowable laid out in its place but drawn when the canvas saves (the contents)."""
    from reportlab.platypus import Flowable

    class Deferred(Flowable):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width, self.height = self.inner.wrapOn(self.canv, avail_width, avail_height)
            return self.width, self.height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            return [Deferred(part) for part in
                    self.inner.splitOn(self.canv, avail_width, avail_height)]

        # reportlab override; frames pass _sW by that name
        def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
            canvas.defer_draw(self.inner, x, y, _sW)

    return Deferred


def _list_height(flowables: list[Any], width: float) -> float:
    """The height ``flowables`` take at ``width``, as reportlab stacks them in a frame."""
    from reportlab.platypus.flowables import _listWrapOn

    return float(_listWrapOn(flowables, width, None)[1])


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
    from reportlab.platypus import Flowable

    paragraph = _paragraph_class()

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
                self._inner = paragraph("<br/>".join(self.visual_lines(avail_width)),
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


#: Where each region's number sits: direction from the middle, distance in radii.
_REGION_ANCHORS: dict[tuple[bool, bool, bool], tuple[float, float]] = {
    (True, True, True): (0.0, 0.0),
    (True, True, False): (90.0, 0.72),
    (True, False, True): (210.0, 0.72),
    (False, True, True): (330.0, 0.72),
    (True, False, False): (150.0, 1.05),
    (False, True, False): (30.0, 1.05),
    (False, False, True): (270.0, 1.05),
}
_CIRCLE_NAMES = ("Skills & abilities", "Interests & passion", "Business needs")


def _compact_match_drawing(items: tuple[MatchLine, ...], *, r: float = 34.0) -> Any:
    """Three translucent circles in the window's colours, a number in each region that has
    items (the legend beside it lists them), the centre emphasised, and a key of the circles
    below. No item text is drawn in the picture, so none can be cut."""
    import math

    from reportlab.graphics.shapes import Circle, Drawing, String
    from reportlab.lib import colors

    a = 0.6 * r
    key_height = 3 * 11.0
    width = 2 * (a * math.cos(math.radians(30)) + r) + 8
    cy = key_height + 8 + a + r
    height = cy + a / 2 + r + 2
    cx = width / 2
    # Without initialFontName the renderer selects Helvetica, an unembedded font.
    drawing = Drawing(width, height, initialFontName=fonts.BODY)
    angles = (150.0, 30.0, 270.0)  # skills top-left, interests top-right, business bottom
    for t, colour in zip(angles, CIRCLE_COLOURS, strict=True):
        fill = colors.HexColor(colour)
        drawing.add(Circle(cx + a * math.cos(math.radians(t)), cy + a * math.sin(math.radians(t)),
                           r, fillColor=colors.Color(fill.red, fill.green, fill.blue,
                                                     alpha=FILL_ALPHA),
                           strokeColor=fill, strokeWidth=1))
    present = {(m.in_skills, m.in_interests, m.in_business) for m in items}
    for number, (key, _label) in enumerate(_REGION_LABELS, start=1):
        if key not in present:
            continue
        angle, dist = _REGION_ANCHORS[key]
        x = cx + dist * r * math.cos(math.radians(angle))
        y = cy + dist * r * math.sin(math.radians(angle))
        centre = key == (True, True, True)
        if centre:
            drawing.add(Circle(x, y, 7.5, fillColor=colors.HexColor(CENTRE_COLOUR.light),
                               strokeColor=None))
        drawing.add(String(x, y - 3.2, str(number), fontName=fonts.BODY_BOLD, fontSize=9,
                           textAnchor="middle",
                           fillColor=colors.white if centre else colors.HexColor(INK)))
    # The key: a dot in each circle's colour and its name.
    for i, (name, colour) in enumerate(zip(_CIRCLE_NAMES, CIRCLE_COLOURS, strict=True)):
        y = key_height - 8 - i * 11.0
        drawing.add(Circle(6, y + 3, 3.5, fillColor=colors.HexColor(colour), strokeColor=None))
        drawing.add(String(14, y, name, fontName=fonts.BODY, fontSize=8,
                           fillColor=colors.HexColor(INK)))
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
