"""Right-to-left paragraphs read back from the PDF: first words first, right-aligned, in order.

reportlab breaks lines left to right; a Hebrew or Arabic paragraph must be broken in logical
order and each line reordered on its own, or a reader sees it bottom-up. These tests read where
pdftotext finds every word and rebuild the reading order from the drawing order.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from careerdesk.domain.model import Action, Conversation, Note, Person, StageId, new_id
from careerdesk.export import data
from careerdesk.export.renderer import PdfRenderer
from careerdesk.export.text import escape

from .pdfcheck import Word, drawn_lines, line_text, read_pdf, reading_order
from .samples import TEXTS

HEBREW = ("בראשית ברא " + "שלום עולם טוב מאוד היום " * 10 + "סוף הפסקה")
ARABIC = ("في البداية " + "مرحبا بالعالم هذا نص طويل جدا " * 9 + "نهاية الفقرة")
MIXED = ("في البداية كان Python 3.11 مع SQLAlchemy " * 6 + "نهاية")
ENGLISH_WITH_NAME = ("An English note about محمد عبد الله and דוד כהן goes on for a while "
                     * 4 + "end")
ENGLISH = ("A long English note, with words of every length, that wraps over several "
           "lines of the page and must be laid out exactly as before. " * 4).strip()


def words(text: str) -> list[str]:
    return [unicodedata.normalize("NFKC", w) for w in text.split()]


def render_note(tmp_path: Path, text: str, *, private: bool = False) -> tuple[Path, float]:
    """A conversation record holding one note; the PDF and the right edge of its frame."""
    person = Person(id=new_id(), name="Dana", role="Analyst", team="Data")
    conv = Conversation(id=new_id(), person_id=person.id, held_on=dt.date(2026, 1, 10))
    note = Note(new_id(), conv.id, StageId.CURRENT_ROLE, text=text, private=private)
    doc = data.build_conversation_record(
        person, data.ConversationParts(conversation=conv, notes=[note]), texts=TEXTS,
        include_private=True, author="Sam", exported_on=dt.date(2026, 11, 25))
    renderer = PdfRenderer()
    out = tmp_path / "note.pdf"
    renderer.render(doc, out)
    return out, renderer.page_size[0] - renderer.margin_x


def note_lines(path: Path) -> list[list[Word]]:
    """The lines drawn after the note's heading ("Notes"), footer excluded."""
    lines = drawn_lines(path)
    start = max(i for i, line in enumerate(lines) if line_text(line) == "Notes") + 1
    return [line for line in lines[start:] if not line_text(line).startswith("Exported")]


@pytest.mark.parametrize("text", [HEBREW, ARABIC], ids=["hebrew", "arabic"])
def test_wrapped_rtl_paragraph_reads_from_its_first_line(tmp_path: Path, text: str) -> None:
    pdf, right_edge = render_note(tmp_path, text)
    lines = note_lines(pdf)
    assert len(lines) >= 3
    read = [reading_order(line, rtl=True) for line in lines]
    assert read[0][:2] == words(text)[:2]  # the first words on the first line
    assert read[-1][-2:] == words(text)[-2:]  # the last words on the last line
    # Every line in reading order, lines one after the other: the paragraph, word for word.
    assert [w for line in read for w in line] == words(text)
    for line in lines:  # right-aligned to the frame
        assert line[-1].right == pytest.approx(right_edge, abs=1.0)
    # Ragged on the left: the last, shorter line starts further right than the first.
    assert lines[-1][0].left > lines[0][0].left + 10


def test_latin_words_and_numbers_inside_arabic(tmp_path: Path) -> None:
    pdf, right_edge = render_note(tmp_path, MIXED)
    lines = note_lines(pdf)
    assert len(lines) >= 2
    assert [w for line in lines for w in reading_order(line, rtl=True)] == words(MIXED)
    assert all(line[-1].right == pytest.approx(right_edge, abs=1.0) for line in lines)
    # "Python 3.11" reads left to right inside the right-to-left line.
    first = [w.text for w in lines[0]]
    assert first.index("Python") + 1 == first.index("3.11")


def test_arabic_name_inside_an_english_paragraph(tmp_path: Path) -> None:
    pdf, _ = render_note(tmp_path, ENGLISH_WITH_NAME)
    lines = note_lines(pdf)
    assert len(lines) >= 3
    assert [w for line in lines for w in reading_order(line, rtl=False)] == (
        words(ENGLISH_WITH_NAME))
    assert all(line[0].left == pytest.approx(lines[0][0].left, abs=0.5) for line in lines)
    assert line_text(lines[0]).startswith("An English note about")


def test_english_paragraph_is_laid_out_as_before(tmp_path: Path) -> None:
    from reportlab.platypus import Paragraph

    pdf, _ = render_note(tmp_path, ENGLISH)
    drawn = [line_text(line) for line in note_lines(pdf)]
    renderer = PdfRenderer()
    # What reportlab alone makes of the same text in the same style and width.
    expected = Paragraph(escape(ENGLISH), renderer.styles["body"]).breakLines(
        [renderer.frame_width])
    assert drawn == [" ".join(words) for _, words in expected.lines]
    assert len(drawn) >= 3


def test_private_rtl_note_keeps_its_badge_on_the_right(tmp_path: Path) -> None:
    person = Person(id=new_id(), name="Dana")
    conv = Conversation(id=new_id(), person_id=person.id, held_on=dt.date(2026, 1, 10),
                        present="דנה ויוסי " * 20)
    doc = data.build_conversation_record(
        person, data.ConversationParts(conversation=conv), texts=TEXTS, include_private=True,
        author="Sam", exported_on=dt.date(2026, 11, 25))
    renderer = PdfRenderer()
    out = tmp_path / "present.pdf"
    renderer.render(doc, out)
    lines = [line for line in drawn_lines(out) if any(w.rtl for w in line)]
    assert len(lines) >= 2
    # The label reads first: at the right end of the first right-to-left line.
    assert lines[0][-1].text == "Present:"
    assert lines[0][-1].right == pytest.approx(renderer.page_size[0] - renderer.margin_x,
                                               abs=1.0)
    read = [w for line in lines for w in reading_order(line, rtl=True)]
    assert read == ["Present:", *words("דנה ויוסי " * 20)]


def test_rtl_text_in_a_table_cell_wraps_inside_its_column(tmp_path: Path) -> None:
    person = Person(id=new_id(), name="Dana")
    step = "ללמוד ניתוח נתונים מתקדם " * 6 + "בסוף"
    doc = data.build_shared_plan(person, conversation=None, match_items=[],
                                 actions=[Action(new_id(), person.id, step)], author="Sam",
                                 exported_on=dt.date(2026, 11, 25))
    renderer = PdfRenderer()
    out = tmp_path / "plan.pdf"
    renderer.render(doc, out)
    pdf = read_pdf(out)
    assert pdf.has("בסוף")
    # The shared plan's first column is 52% of the frame wide, with 5 pt of padding: right edges
    # line up there.
    column_right = renderer.margin_x + renderer.frame_width * 0.52 - 5
    lines = [[w for w in line if w.rtl] for p in range(1, pdf.pages + 1)
             for line in drawn_lines(out, p)]
    lines = [line for line in lines if line]
    assert len(lines) >= 3
    assert all(w.right < column_right + 1 for line in lines for w in line)
    assert [w for line in lines for w in reading_order(line, rtl=True)] == words(step)
    assert all(line[-1].right == pytest.approx(column_right, abs=1.0) for line in lines)
