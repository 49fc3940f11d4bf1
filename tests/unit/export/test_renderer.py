"""Every export kind read back as a reader would: privacy, scripts, payloads, fonts, files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerdesk.domain.model import (
    Action,
    Answer,
    Conversation,
    JournalEntry,
    MatchItem,
    Note,
    NoteKind,
    Person,
    StageId,
    new_id,
)
from careerdesk.errors import ExportCancelledError, ExportError
from careerdesk.export import data, fonts
from careerdesk.export.renderer import PdfRenderer

from .pdfcheck import annotations_and_images, fonts_report, internal_links, norm, read_pdf
from .samples import PAYLOADS, PRIVATE, PROMPTS, SCRIPTS, SHARED, TEXTS, sample_journal

TODAY = dt.date(2026, 11, 25)
KINDS = ("plan", "prep", "record", "book")


def build(kind: str, j: object, *, include_private: bool, author: str = "Sam Rivera") -> (
        data.AnyDoc):
    from .samples import SampleJournal

    assert isinstance(j, SampleJournal)
    p0 = j.parts[0]
    if kind == "plan":
        return data.build_shared_plan(j.person, conversation=p0.conversation,
                                      match_items=p0.match_items, actions=j.actions,
                                      author=author, exported_on=TODAY)
    if kind == "prep":
        return data.build_prep_sheet(j.person, prompts=PROMPTS, texts=TEXTS,
                                     carried_answers=p0.answers, open_actions=j.actions,
                                     author=author, exported_on=TODAY)
    if kind == "record":
        return data.build_conversation_record(j.person, p0, texts=TEXTS,
                                              include_private=include_private, author=author,
                                              exported_on=TODAY)
    return data.build_person_book(j.person, conversations=j.parts, actions=j.actions,
                                  entries=j.entries, texts=TEXTS,
                                  include_private=include_private, author=author,
                                  exported_on=TODAY)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Path]:
    """Each kind rendered once without and once with include_private."""
    folder = tmp_path_factory.mktemp("pdfs")
    j = sample_journal(conversations=2)
    renderer = PdfRenderer()
    out = {}
    for kind in KINDS:
        for include_private in (False, True):
            path = folder / f"{kind}-{include_private}.pdf"
            renderer.render(build(kind, j, include_private=include_private), path)
            out[(kind, include_private)] = path
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_private_text_is_absent_unless_asked(rendered: dict[tuple[str, bool], Path],
                                             kind: str) -> None:
    pdf = read_pdf(rendered[(kind, False)])
    assert pdf.has(SHARED)
    assert pdf.lacks(PRIVATE)


@pytest.mark.parametrize("kind", ["plan", "prep"])
def test_shared_exports_ignore_include_private(rendered: dict[tuple[str, bool], Path],
                                               kind: str) -> None:
    pdf = read_pdf(rendered[(kind, True)])
    assert pdf.has(SHARED)
    assert pdf.lacks(PRIVATE)


@pytest.mark.parametrize("kind", ["record", "book"])
def test_private_items_when_asked_are_marked(rendered: dict[tuple[str, bool], Path],
                                             kind: str) -> None:
    pdf = read_pdf(rendered[(kind, True)])
    assert pdf.has(PRIVATE)
    # Every private item has the PRIVATE marker just before it (on the item or its prompt).
    text = norm(pdf.pypdf_text)
    hits = [m.start() for m in re.finditer(PRIVATE + r"\d+", text)]
    assert len(hits) >= 5
    for at in hits:
        assert "PRIVATE" in text[max(0, at - 60):at], text[max(0, at - 60):at + 20]
    assert pdf.has("Contains private notes: do not share")
    assert PRIVATE not in " ".join(pdf.metadata.values())


@pytest.mark.parametrize("kind", KINDS)
def test_every_script_is_in_the_text(rendered: dict[tuple[str, bool], Path], kind: str) -> None:
    pdf = read_pdf(rendered[(kind, False)])
    # The person's name carries Latin accents, Greek and CJK on every kind.
    assert pdf.has("Zoë Łukasiewicz-Ivanova Δ 李")
    if kind in ("record", "book"):
        for script, phrase in SCRIPTS.items():
            assert pdf.has(phrase), script


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded(rendered: dict[tuple[str, bool], Path], kind: str) -> None:
    report = fonts_report(rendered[(kind, True)])
    assert report
    assert all(embedded for _, embedded in report), report


@pytest.mark.parametrize("kind", ["record", "book"])
def test_markup_payloads_print_literally(rendered: dict[tuple[str, bool], Path],
                                         kind: str) -> None:
    pdf = read_pdf(rendered[(kind, False)])
    for payload in PAYLOADS:
        assert pdf.has(payload), payload


@pytest.mark.parametrize("kind", KINDS)
def test_no_outside_links_or_images(rendered: dict[tuple[str, bool], Path],
                                    kind: str) -> None:
    """Only the book's contents page links, and only to its own pages; the shared exports
    have no outline; nothing leaves the file."""
    import pypdf

    path = rendered[(kind, True)]
    annots, images = annotations_and_images(path)
    assert images == 0
    if kind == "book":
        assert annots > 0
        assert internal_links(path)
    else:
        assert annots == 0
    if kind in ("plan", "prep"):
        assert pypdf.PdfReader(str(path)).outline == []
    assert b"/URI" not in path.read_bytes()
    assert b"/Launch" not in path.read_bytes()


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_describes_the_export(rendered: dict[tuple[str, bool], Path],
                                       kind: str) -> None:
    meta = read_pdf(rendered[(kind, True)]).metadata
    assert meta["/Author"] == "Sam Rivera"
    assert "Zoë" in meta["/Title"]
    assert meta["/Subject"]
    assert meta["/Creator"] == "CareerDesk"
    everything = " ".join(meta.values())
    assert str(Path.home()) not in everything
    assert "/tmp" not in everything
    assert "root" not in everything.lower()


def test_pages_are_numbered_x_of_y(rendered: dict[tuple[str, bool], Path]) -> None:
    pdf = read_pdf(rendered[("book", False)])
    assert pdf.pages >= 3
    assert pdf.has(f"Page 1 of {pdf.pages}")
    assert pdf.has(f"Page {pdf.pages} of {pdf.pages}")
    assert pdf.has("Exported 25 November 2026")
    assert pdf.has("Contents")


def test_letter_paper(tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "letter.pdf"
    PdfRenderer(paper="letter").render(build("plan", sample_journal(), include_private=False),
                                       out)
    box = pypdf.PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_long_note_and_long_word_paginate(tmp_path: Path) -> None:
    j = sample_journal(conversations=1, big=True)
    out = tmp_path / "big.pdf"
    PdfRenderer().render(build("record", j, include_private=False), out)
    pdf = read_pdf(out)
    assert pdf.pages > 20
    assert pdf.has("w" * 60)


def test_long_text_in_a_table_cell(tmp_path: Path) -> None:
    j = sample_journal(conversations=1)
    long_step = Action(new_id(), j.person.id, "step " * 20000 + "x" * 20000)
    j.actions.append(long_step)
    out = tmp_path / "cell.pdf"
    PdfRenderer().render(build("plan", j, include_private=False), out)
    assert read_pdf(out).pages > 10


def test_character_without_font_is_reported_and_nothing_written(tmp_path: Path) -> None:
    j = sample_journal(conversations=1)
    j.actions.append(Action(new_id(), j.person.id, "hieroglyph \U00013000"))
    out = tmp_path / "x.pdf"
    with pytest.raises(ExportError, match="U\\+13000"):
        PdfRenderer().render(build("plan", j, include_private=False), out)
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_leaves_no_partial_file_and_keeps_the_old_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "exports"  # tmp_path also holds the test's CareerDesk home
    folder.mkdir()
    out = folder / "plan.pdf"
    out.write_bytes(b"old")
    renderer = PdfRenderer()
    original = renderer._canvas_maker

    def failing(doc: data.AnyDoc) -> object:
        base = original(doc)

        class Failing(base):  # type: ignore[misc, valid-type]
            def showPage(self) -> None:
                super().showPage()
                raise OSError(28, "No space left on device")

        return Failing

    monkeypatch.setattr(renderer, "_canvas_maker", failing)
    with pytest.raises(ExportError, match="No space left"):
        renderer.render(build("book", sample_journal(), include_private=False), out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == ["plan.pdf"]


def test_target_whose_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="is not a folder"):
        PdfRenderer().render(build("plan", sample_journal(), include_private=False),
                             blocker / "plan.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_progress_and_cancel(tmp_path: Path) -> None:
    j = sample_journal(conversations=3)
    seen: list[float] = []
    folder = tmp_path / "exports"  # tmp_path also holds the test's CareerDesk home
    folder.mkdir()
    out = folder / "book.pdf"
    PdfRenderer().render(build("book", j, include_private=True), out, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert len(seen) > 10
    calls = 0

    def cancel_soon() -> bool:
        nonlocal calls
        calls += 1
        return calls > 5

    out2 = folder / "cancelled.pdf"
    with pytest.raises(ExportCancelledError):
        PdfRenderer().render(build("book", j, include_private=True), out2,
                             cancelled=cancel_soon)
    assert sorted(p.name for p in folder.iterdir()) == ["book.pdf"]


def test_unknown_paper() -> None:
    with pytest.raises(ExportError):
        PdfRenderer(paper="a5")  # type: ignore[arg-type]


# -- generated journals --------------------------------------------------------------------

_drawable = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")).filter(
    lambda ch: fonts.font_for(ch) is not None)
_user_text = st.text(_drawable, max_size=40)


@st.composite
def journals(draw: st.DrawFn) -> tuple[object, list[str]]:
    """A sample journal plus generated items, half of them private with unique tokens."""
    from .samples import SampleJournal

    person = Person(id=new_id(), name=draw(_user_text) or "P")
    conv = Conversation(id=new_id(), person_id=person.id, held_on=dt.date(2026, 5, 5))
    cid = conv.id
    secrets: list[str] = []
    shared_text = f"{SHARED} " + draw(_user_text)

    def text(private: bool) -> str:
        body = draw(_user_text)
        if private:
            token = f"QX{len(secrets)}PRIVTOKEN"
            secrets.append(token)
            return f"{body} {token}"
        return body

    flags = draw(st.lists(st.booleans(), min_size=4, max_size=10))
    stages = list(StageId)
    answers = [Answer(new_id(), cid, f"p{i}", stages[i % len(stages)], text=text(p),
                      asked=True, private=p) for i, p in enumerate(flags)]
    notes = [Note(new_id(), cid, stages[i % len(stages)], text=text(p), private=p)
             for i, p in enumerate(flags)]
    notes.append(Note(new_id(), cid, StageId.REFLECT, NoteKind.REFLECTION, text=text(True)))
    match = [MatchItem(new_id(), cid, text(p), in_skills=draw(st.booleans()),
                       in_interests=draw(st.booleans()), in_business=True, private=p)
             for p in flags]
    actions = [Action(new_id(), person.id, text(p), conversation_id=cid, private=p,
                      support=text(p)) for p in flags]
    actions.append(Action(new_id(), person.id, shared_text, conversation_id=cid))
    entries = [JournalEntry(new_id(), person.id, dt.date(2026, 5, 6), title=text(True),
                            body=text(True))]
    entries.append(JournalEntry(new_id(), person.id, dt.date(2026, 5, 7), body=shared_text,
                                private=False))
    parts = data.ConversationParts(conv, answers, notes, match, actions,
                                   checks={"b.x": True}, pulse={"d": 3})
    return SampleJournal(person, [parts], actions, entries, secrets), secrets


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(generated=journals())
def test_generated_journals_never_leak(tmp_path: Path, generated: tuple[object, list[str]],
                                       kind: str) -> None:
    j, secrets = generated
    out = tmp_path / f"{kind}.pdf"
    PdfRenderer().render(build(kind, j, include_private=False), out)
    pdf = read_pdf(out)
    if kind != "prep":  # the prep sheet shows prompts, not this journal's shared texts
        assert pdf.has(SHARED)
    for token in secrets:
        assert pdf.lacks(token)
