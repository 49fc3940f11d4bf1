"""Reading a PDF back as a reader would: text by pypdf and by pdftotext, fonts, metadata.

Comparisons are made on NFKC-normalised text with all whitespace removed: Arabic is drawn in
presentation forms (shaped by arabic_reshaper), which NFKC maps back to the base letters, and
both extractors put right-to-left runs back into logical order (checked: tests pass only when
the logical form is found); spacing differs between extractors (pdftotext drops the spaces
around a narrow "&"), so whitespace is not compared.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class PdfText:
    pypdf_text: str
    poppler_text: str
    metadata: dict[str, str]
    pages: int

    def has(self, needle: str) -> bool:
        """Found by BOTH extractors."""
        n = norm(needle)
        return n in norm(self.pypdf_text) and n in norm(self.poppler_text)

    def lacks(self, needle: str) -> bool:
        """Found by NEITHER extractor, nor in the metadata."""
        n = norm(needle)
        meta = norm(" ".join(self.metadata.values()))
        return (n not in norm(self.pypdf_text) and n not in norm(self.poppler_text)
                and n not in meta)


def read_pdf(path: Path) -> PdfText:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: scripts/setup.sh installs it")
    reader = pypdf.PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                             capture_output=True, text=True, check=True).stdout
    meta = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    return PdfText(text, poppler, meta, len(reader.pages))


def raw_bytes_lack(path: Path, needle: str) -> bool:
    """The needle (ASCII) is nowhere in the file's bytes, compressed streams aside."""
    return needle.encode() not in path.read_bytes()


def fonts_report(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font, from pdffonts."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    report = []
    for line in out:
        parts = line.split()
        # name type... encoding emb sub uni object ID: emb is the 5th field from the end.
        report.append((parts[0], parts[-5] == "yes"))
    return report


def annotations_and_images(path: Path) -> tuple[int, int]:
    """Count of annotations and of raster images in the whole file."""
    reader = pypdf.PdfReader(str(path))
    annots = 0
    images = 0
    for page in reader.pages:
        annots += len(page.get("/Annots") or [])
        images += len(page.images)
    return annots, images


def internal_links(path: Path) -> list[int]:
    """The target page index of every link annotation; fails on any other annotation or on a
    link that leaves the document (a URI, a file, a launch)."""
    reader = pypdf.PdfReader(str(path))
    targets: list[int] = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            assert annot["/Subtype"] == "/Link", annot
            assert "/A" not in annot, annot  # an action: URI, Launch, GoToR...
            dest = annot["/Dest"]
            targets.append(reader.get_page_number(dest[0].get_object()))
    return targets


# --- where words are drawn ----------------------------------------------------------------------

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">'
                   r"(.*?)</word>")
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@dataclass
class Word:
    """One word as pdftotext -bbox finds it: its glyphs in drawing order (left to right)."""

    text: str
    left: float
    right: float
    top: float

    @property
    def rtl(self) -> bool:
        return bool(_RTL_LETTER.search(self.text))


def drawn_lines(path: Path, page: int = 1) -> list[list[Word]]:
    """The page's words grouped into lines (same top), each line sorted left to right."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l",
                          str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    by_top: dict[float, list[Word]] = {}
    for x0, y0, x1, body in _WORD.findall(out):
        word = Word(html.unescape(body), float(x0), float(x1), float(y0))
        by_top.setdefault(round(word.top, 1), []).append(word)
    return [sorted(by_top[top], key=lambda w: w.left) for top in sorted(by_top)]


def reading_order(line: list[Word], *, rtl: bool) -> list[str]:
    """A drawn line's words in the order a reader reads them, NFKC-normalised.

    A right-to-left word is drawn with its letters reversed; a run of right-to-left words in a
    left-to-right line (or of left-to-right words in a right-to-left line) is read in its own
    direction. Good enough for the test texts: no brackets, no numbers next to Arabic letters.
    """
    runs: list[list[Word]] = []
    for word in line:
        if runs and runs[-1][0].rtl == word.rtl:
            runs[-1].append(word)
        else:
            runs.append([word])
    if rtl:
        runs.reverse()
    words: list[str] = []
    for run in runs:
        texts = [w.text[::-1] if w.rtl else w.text for w in run]
        words += reversed(texts) if run[0].rtl else texts
    return [unicodedata.normalize("NFKC", w) for w in words]


def line_text(line: list[Word]) -> str:
    return " ".join(w.text for w in line)
