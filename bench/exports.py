"""Export benchmarks (not part of the test suite): run ``.venv/bin/python bench/exports.py``.

Both use the large demo journal of bench/common.py (200 people, 10 years) and its person with
the most conversations.

1. Shared plan: building the doc data from the services and rendering it, per export (median
   of several runs, fonts already registered, plus the first, cold run in this process).
2. Person book of that person against "bare reportlab": every text of the same document as a
   plain ``Paragraph`` (escaped, DejaVu Sans only, no font runs, no bidi, no contents, one
   pass, no page X of Y). The ratio is what our renderer costs on top of reportlab itself.

Results are appended to bench/RESULTS.md.
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
from careerdesk.services import Services  # noqa: E402
from careerdesk.storage.journal import open_journal  # noqa: E402


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def bare_reportlab(texts: list[str], out: Path) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from careerdesk.export import fonts

    fonts.ensure_registered()
    style = ParagraphStyle("b", fontName=fonts.BODY, fontSize=10, leading=14.5)
    story = [Paragraph(escape(t).replace("\n", "<br/>"), style) for t in texts if t.strip()]
    SimpleDocTemplate(str(out)).build(story)


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
            ours, bare = [], []
            for i in range(3):
                start = time.perf_counter()
                PdfRenderer().render(book, folder / f"book-{i}.pdf")
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                bare_reportlab(texts, folder / f"bare-{i}.pdf")
                bare.append(time.perf_counter() - start)

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
        f"{size_kb:.0f} KB; bare reportlab on the same {len(texts)} texts "
        f"{_median(bare):.3f} s, {bare_pages} pages; ratio "
        f"{_median(ours) / _median(bare):.2f}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    results = HERE / "RESULTS.md"
    if not results.exists():
        results.write_text("# Benchmark results\n\nAppended by the scripts in bench/.\n")
    with results.open("a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
