"""Reading a PDF back as a reader would: text by pypdf and by pdftotext, fonts, metadata.

Comparisons are made on NFKC-normalised text with all whitespace removed: Arabic is drawn in
presentation forms (shaped by arabic_reshaper), which NFKC maps back to the base letters, and
both extractors put right-to-left runs back into logical order (checked: tests pass only when
the logical form is found); spacing differs between extractors (pdftotext drops the spaces
around a narrow "&"), so whitespace is not compared.
"""

from __future__ import annotations

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
