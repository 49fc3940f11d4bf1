"""The fillable pre-read as a PDF: each question with an AcroForm text field for its answer.

Drawn directly on a reportlab canvas (a form is a fixed layout, not flowing text): a title in
the reader's voice, who and when, a short reminder of what the conversation is, then 5-8
questions, each with a multi-line text field any PDF reader can fill in, on one or two pages,
with the export date and "page X of Y" in the footer. A hidden, read-only field holds the marker
an import recognises (:mod:`careerdesk.services.pre_read`). Written completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from careerdesk.export import fonts
from careerdesk.export.files import write_atomically
from careerdesk.export.text import plain_runs

if TYPE_CHECKING:
    from careerdesk.services.pre_read import PreReadDoc

MARKER_FIELD = "careerdesk_prep_sheet"
TITLE_SIZE = 17
BODY_SIZE = 10.5
SMALL_SIZE = 8.5
LEADING = 1.3
FIELD_HEIGHT = 92.0  # points: about six lines of handwriting-size text

INTRO = {
    "employee": ("A few questions to think about before our career conversation. Write as "
                 "much or as little as you like, then send this file back or bring it along. "
                 "It is about your career, where you want to head and what would help: not a "
                 "performance review."),
    "supervisor": ("Your own preparation for the conversation: what you want to understand "
                   "and how you can support. Listen more than you talk; the employee owns "
                   "their career."),
}


@dataclass(frozen=True)
class _Placed:
    page: int
    y: float  # top of the question text
    lines: tuple[str, ...]
    field: str


def _wrap(text: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure(line: str) -> float:
        return float(sum(stringWidth(run, font, size) for font, run in plain_runs(line)))

    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}".strip()
            if current and measure(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


class PrepFormRenderer:
    """Draws a :class:`~careerdesk.services.pre_read.PreReadDoc` as a fillable PDF."""

    def __init__(self, *, paper: Literal["a4", "letter"] = "a4") -> None:
        from reportlab.lib.pagesizes import A4, letter
        from reportlab.lib.units import cm

        self.size: tuple[float, float] = A4 if paper == "a4" else letter
        self.margin = 2.0 * cm

    def render(self, doc: PreReadDoc, out: Path) -> Path:
        fonts.check_coverage([doc.sheet.meta.person.name, *(q.text for q in doc.questions)])
        write_atomically(Path(out), lambda temp: self._draw(doc, temp))
        return Path(out)

    def _text(self, canvas: Any, x: float, y: float, text: str, size: float, *,
              bold: bool = False) -> None:
        for font, run in plain_runs(text):
            face = fonts.BODY_BOLD if bold and font == fonts.BODY else font
            canvas.setFont(face, size)
            canvas.drawString(x, y, run)
            from reportlab.pdfbase.pdfmetrics import stringWidth

            x += stringWidth(run, face, size)

    def _layout(self, doc: PreReadDoc, first_top: float) -> list[_Placed]:
        width = self.size[0] - 2 * self.margin
        bottom = self.margin + 30
        page, y = 0, first_top
        placed: list[_Placed] = []
        for number, question in enumerate(doc.questions, start=1):
            lines = tuple(_wrap(f"{number}. {question.text}", BODY_SIZE, width))
            needed = len(lines) * BODY_SIZE * LEADING + 6 + FIELD_HEIGHT + 16
            if y - needed < bottom:
                page, y = page + 1, self.size[1] - self.margin
            placed.append(_Placed(page, y, lines, question.field))
            y -= needed
        return placed

    def _draw(self, doc: PreReadDoc, target: Path) -> None:
        from reportlab.lib import colors
        from reportlab.pdfgen.canvas import Canvas

        fonts.ensure_registered()
        meta = doc.sheet.meta
        employee = doc.audience == "employee"
        canvas = Canvas(str(target), pagesize=self.size, invariant=True)
        canvas.setTitle(meta.title)
        canvas.setSubject("Questions to prepare a career conversation, to fill in")
        canvas.setAuthor(meta.author)
        canvas.setCreator("CareerDesk")
        width, height = self.size
        left = self.margin
        top = height - self.margin
        title = ("Preparing for our career conversation" if employee
                 else f"My preparation: career conversation with {meta.person.name}")
        intro_lines = _wrap(INTRO[doc.audience], BODY_SIZE, width - 2 * left)
        when = doc.sheet.conversation_date
        who = (f"For {meta.person.name}" + (f" from {meta.author}" if meta.author else "")
               if employee else "For my own use")
        subtitle = who + (f" · conversation on {when.isoformat()}" if when else "")
        first_top = (top - TITLE_SIZE * 1.6 - BODY_SIZE * 1.8
                     - len(intro_lines) * BODY_SIZE * LEADING - 14)
        placed = self._layout(doc, first_top)
        pages = (placed[-1].page + 1) if placed else 1
        for page in range(pages):
            if page == 0:
                self._text(canvas, left, top - TITLE_SIZE, title, TITLE_SIZE, bold=True)
                canvas.setFillColor(colors.HexColor("#444444"))
                self._text(canvas, left, top - TITLE_SIZE * 1.6 - BODY_SIZE, subtitle,
                           BODY_SIZE)
                y = top - TITLE_SIZE * 1.6 - BODY_SIZE * 1.8
                for line in intro_lines:
                    y -= BODY_SIZE * LEADING
                    self._text(canvas, left, y, line, BODY_SIZE)
                canvas.setFillColor(colors.black)
                # The marker: hidden and read-only, so filling the form never changes it.
                canvas.acroForm.textfield(
                    name=MARKER_FIELD, value=doc.marker(), x=0, y=0, width=1, height=1,
                    borderWidth=0, fieldFlags="readOnly", annotationFlags="hidden",
                    tooltip="CareerDesk prep sheet")
            for item in (p for p in placed if p.page == page):
                y = item.y
                for line in item.lines:
                    y -= BODY_SIZE * LEADING
                    self._text(canvas, left, y, line, BODY_SIZE, bold=True)
                y -= 6 + FIELD_HEIGHT
                canvas.acroForm.textfield(
                    name=item.field, value="", x=left, y=y, width=width - 2 * left,
                    height=FIELD_HEIGHT, fontName="Helvetica", fontSize=10,
                    borderColor=colors.HexColor("#888888"), fillColor=colors.HexColor("#f7f7f7"),
                    borderWidth=0.6, fieldFlags="multiline doNotSpellCheck",
                    tooltip=f"Your answer to question {item.field.split('_')[-1]}"
                    if employee else "My notes")
            canvas.setFillColor(colors.HexColor("#666666"))
            footer = (f"CareerDesk prep sheet · exported {meta.exported_on.isoformat()}"
                      f" · page {page + 1} of {pages}")
            self._text(canvas, left, self.margin - 14, footer, SMALL_SIZE)
            canvas.setFillColor(colors.black)
            canvas.showPage()
        canvas.save()


def render_pre_read(doc: PreReadDoc, out: Path, *,
                    paper: Literal["a4", "letter"] = "a4") -> Path:
    """Write the fillable pre-read ``doc`` to ``out`` (complete or not at all)."""
    return PrepFormRenderer(paper=paper).render(doc, out)


__all__ = ["PrepFormRenderer", "render_pre_read"]
