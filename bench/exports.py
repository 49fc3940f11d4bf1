"""Export benchmarks (not part of the test suite): run ``.venv/bin/python bench/exports.py``.

Both use the large demo journal of bench/common.py (200 people, 10 years) and its person with
the most conversations.

1. Shared plan: building the doc data from the services and rendering it, per export (median
   of several runs, fonts already registered, plus the first, cold run in this process).
2. Person book of that person against "bare reportlab": the same document as a plain reportlab
   program sets it (same texts, font, sizes, headings, tables and a two-pass contents page; no
   font runs, bidi, outline, links, match pictures or page X of Y), in the same process and run.
   The ratio of time per page is what our renderer costs on top of reportlab itself (issue 18
   asks for at most 1.5).

Results are appended to bench/RESULTS.md (not with ``--no-record``).
"""

from __future__ import annotations

import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import large_journal  # noqa: E402
from careerdesk.errors import ExportCancelledError  # noqa: E402
from careerdesk.export.data import PersonBookDoc  # noqa: E402
from careerdesk.services import Services  # noqa: E402
from careerdesk.storage.journal import open_journal  # noqa: E402

RUNS = 3


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def bare_reportlab(book: PersonBookDoc, out: Path, *, one_pass: bool = False) -> None:
    """The same book as a plain reportlab program would set it: the same texts, font (DejaVu
    Sans), heading, cell and body sizes, tables for the next steps and the match, and a
    two-pass contents page; no font fallback runs, bidi, outline, links or "Page X of Y".
    ``one_pass``: a single layout pass, the contents left without page numbers (for
    reference: what one layout of the same book costs reportlab)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        PageBreak,
        PageTemplate,
        Paragraph,
        Table,
        TableStyle,
    )
    from reportlab.platypus.tableofcontents import TableOfContents

    from careerdesk.export import fonts

    fonts.ensure_registered()
    body = ParagraphStyle("b", fontName=fonts.BODY, fontSize=10, leading=14.5, spaceAfter=4)
    bold = ParagraphStyle("p", parent=body, fontName=fonts.BODY_BOLD, spaceBefore=8)
    small = ParagraphStyle("s", parent=body, fontSize=8.5, leading=11.5)
    cell = ParagraphStyle("c", parent=body, fontSize=9, leading=12.5, spaceAfter=0)
    h1 = ParagraphStyle("h1", parent=body, fontName=fonts.BODY_BOLD, fontSize=15, leading=20,
                        spaceBefore=18, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=h1, fontSize=12, leading=16, spaceBefore=14)
    h3 = ParagraphStyle("h3", parent=h1, fontSize=10.5, leading=14, spaceBefore=10)

    def paras(text: str, style: ParagraphStyle) -> list[Paragraph]:
        return [Paragraph(escape(line), style) for line in text.split("\n") if line.strip()]

    def heading(text: str, style: ParagraphStyle, level: int | None = None) -> Paragraph:
        para = Paragraph(escape(text), style)
        para.toc_level = level
        return para

    def table(rows: list[list[str]], widths: list[float]) -> Table:
        t = Table([[[Paragraph(escape(c), cell)] for c in row] for row in rows],
                  colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    w = 451.0
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("t0", parent=body, fontName=fonts.BODY_BOLD),
                       ParagraphStyle("t1", parent=body, leftIndent=16)]
    story: list[object] = [Paragraph(escape(book.meta.kind), h1), toc, PageBreak()]
    story.append(heading("Next steps", h1, 0))
    story.append(table([["Next step", "Kind", "Owner", "Due", "Status"]] + [
        [a.text + "\n" + a.support, a.kind, a.owner, str(a.due), a.status]
        for a in book.actions], [w * 0.4, w * 0.18, w * 0.16, w * 0.14, w * 0.12]))
    story += [PageBreak(), heading("Conversations", h1, 0)]
    for c in book.conversations:
        story.append(heading(f"Conversation of {c.held_on}", h2, 1))
        story += paras(c.present, small) + paras(c.purpose, small)
        for stage in c.stages:
            story.append(heading(stage.title, h3))
            for p in stage.prompts:
                story += [Paragraph(escape(p.prompt), bold), *paras(p.answer, body)]
            for n in stage.notes:
                story += [Paragraph(escape(n.kind), bold), *paras(n.text, body)]
        if c.match:
            story.append(heading("The match", h3))
            story.append(table([[m.text, str((m.in_skills, m.in_interests, m.in_business))]
                                for m in c.match], [w * 0.6, w * 0.4]))
        for check in c.checks:
            story.append(Paragraph(escape(check.text), body))
        for pulse in c.pulse:
            story.append(Paragraph(escape(f"{pulse.dimension}: {pulse.label}"), body))
    story += [PageBreak(), heading("Journal", h1, 0)]
    year = None
    for e in book.entries:
        if e.entry_date.year != year:
            year = e.entry_date.year
            story.append(heading(str(year), h2, 1))
        story.append(Paragraph(escape(f"{e.entry_date}: {e.title}"), bold))
        story += paras(e.body, body)

    class Doc(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
        def afterFlowable(self, flowable: object) -> None:
            level = getattr(flowable, "toc_level", None)
            if level is not None:
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))

    doc = Doc(str(out))
    doc.addPageTemplates([PageTemplate(frames=[Frame(doc.leftMargin, doc.bottomMargin,
                                                     doc.width, doc.height)])])
    if one_pass:
        doc.build(story)
    else:
        doc.multiBuild(story)


def main() -> None:
    from careerdesk.export.renderer import PdfRenderer, doc_texts

    path = large_journal()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open_journal(path) as journal:
            services = Services(journal)
            people = services.people.list()
            largest = max(people, key=lambda p: (len(services.conversations.list_for(p.id)),
                                                 len(services.entries.list(p.id))))
            exports = services.exports

            cold_start = time.perf_counter()
            doc = exports.shared_plan(largest.id)
            PdfRenderer().render(doc, folder / "plan-cold.pdf")
            cold = time.perf_counter() - cold_start

            plan_times = []
            for i in range(7):
                start = time.perf_counter()
                doc = exports.shared_plan(largest.id)
                PdfRenderer().render(doc, folder / f"plan-{i}.pdf")
                plan_times.append(time.perf_counter() - start)

            book = exports.person_book(largest.id, include_private=True)
            texts = list(doc_texts(book))
            ours, bare, bare_one = [], [], []
            cancels: list[float] = []
            for i in range(RUNS):
                start = time.perf_counter()
                PdfRenderer().render(book, folder / f"book-{i}.pdf",
                                     progress=lambda f: None, cancelled=lambda: False)
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                bare_reportlab(book, folder / f"bare-{i}.pdf")
                bare.append(time.perf_counter() - start)
                start = time.perf_counter()
                bare_reportlab(book, folder / f"bare-one-{i}.pdf", one_pass=True)
                bare_one.append(time.perf_counter() - start)
            # Cancel keeps working: how long after asking does the export stop?
            asked: list[float] = []

            def cancel_at_half(fraction: float) -> None:
                if fraction >= 0.5 and not asked:
                    asked.append(time.perf_counter())

            try:
                PdfRenderer().render(book, folder / "cancelled.pdf", progress=cancel_at_half,
                                     cancelled=lambda: bool(asked))
            except ExportCancelledError:
                cancels.append(time.perf_counter() - asked[0])

            import pypdf

            pages = len(pypdf.PdfReader(str(folder / "book-0.pdf")).pages)
            bare_pages = len(pypdf.PdfReader(str(folder / "bare-0.pdf")).pages)
            size_kb = (folder / "book-0.pdf").stat().st_size / 1024

    lines = [
        f"\n## Exports, {dt.date.today().isoformat()} ({platform.python_version()}, "
        f"{platform.machine()})\n",
        "- Large demo journal (200 people, 10 years), person with most conversations: "
        f"{len(book.conversations)} conversations, "
        f"{len(book.actions)} next steps, {len(book.entries)} journal entries.",
        f"- Shared plan (doc from services + render): first in process {cold:.3f} s "
        f"(includes font registration), then median {_median(plan_times):.3f} s "
        f"(min {min(plan_times):.3f}, n={len(plan_times)}).",
        f"- Person book with private items: ours median {_median(ours):.3f} s, {pages} pages, "
        f"{size_kb:.0f} KB ({_median(ours) / pages * 1000:.1f} ms per page); bare reportlab "
        f"(same texts, font, headings, tables, two-pass contents) {_median(bare):.3f} s, "
        f"{bare_pages} pages ({_median(bare) / bare_pages * 1000:.1f} ms per page); "
        f"ratio per page **{(_median(ours) / pages) / (_median(bare) / bare_pages):.2f}**, "
        f"whole {_median(ours) / _median(bare):.2f} (n={RUNS}, {len(texts)} texts). "
        f"For reference, one layout pass of the bare book (contents without page numbers): "
        f"{_median(bare_one):.3f} s, so ours is {_median(ours) / _median(bare_one):.2f}x "
        "one bare pass. "
        f"Progress and Cancel on: cancelled at half, it stopped "
        f"{(cancels[0] * 1000 if cancels else float('nan')):.0f} ms later, no file left.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if "--no-record" in sys.argv:
        return
    results = HERE / "RESULTS.md"
    if not results.exists():
        results.write_text("# Benchmark results\n\nAppended by the scripts in bench/.\n")
    with results.open("a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
