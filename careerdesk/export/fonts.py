"""The fonts every export uses, and the choice of font per run of characters.

reportlab has no font fallback: a character missing from the current font is drawn as nothing (or
as a box, depending on the reader). So we bundle a small set of TrueType fonts
(``resources/fonts/``, see its README) and split every text into runs, each set in the first font
whose character map holds all its characters. Arabic and Hebrew lines are shaped
(``arabic_reshaper``) and put in visual order (``python-bidi``) first, because reportlab does
neither. A paragraph that wraps is broken into lines in logical order first and each line
reordered on its own (:func:`shape`, :func:`base_direction`, :func:`reorder`; the renderer does
the breaking), so its lines read from the first. A character that no bundled font has is
reported (:func:`missing_characters`, :func:`check_coverage`) before anything is written, never
drawn as a box.

Registration happens once, lazily and thread-safely (exports run off the UI thread), the first
time a font is needed; importing this module costs nothing.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from careerdesk.errors import ExportError

#: Font names as registered with reportlab (our own names, so no clash with a caller's fonts).
BODY = "CD-Sans"
BODY_BOLD = "CD-Sans-Bold"
CJK = "CD-CJK"
HANGUL = "CD-Hangul"
SYMBOLS = "CD-Symbols"


@dataclass(frozen=True)
class FontFile:
    """One bundled font: its registered name, its file in resources/fonts, its bold face."""

    name: str
    file: str
    bold: str | None = None  # the registered name used for bold text in this font's runs


#: Fallback order: the first font that has a character sets it.
FONT_FILES: tuple[FontFile, ...] = (
    FontFile(BODY, "DejaVuSans.ttf", bold=BODY_BOLD),
    FontFile(CJK, "DroidSansFallbackFull.ttf"),
    FontFile(HANGUL, "NanumSquareR.ttf"),
    FontFile(SYMBOLS, "Symbola.ttf"),
)
_BOLD_FILE = FontFile(BODY_BOLD, "DejaVuSans-Bold.ttf")

_lock = threading.Lock()
_charmaps: dict[str, frozenset[int]] | None = None


def _is_ignorable(ch: str) -> bool:
    """Characters that draw nothing and need no glyph: we drop them before layout.

    Format characters (zero-width joiner, bidi marks, soft hyphen...), variation selectors and
    control characters other than newline and tab. Dropping a joiner only splits an emoji
    sequence into its parts, which a monochrome font draws anyway.
    """
    if ch in "\n\t":
        return False
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return True
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo... and their
# presentation forms); a line without any needs no bidi work.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff"
                  "\U0001e800-\U0001efff]")


def _clean_line(line: str) -> str:
    # Fast path (C speed): printable text has no control or format characters.
    if line.isprintable() and not _SELECTORS.search(line):
        return line
    return "".join(ch for ch in line if not _is_ignorable(ch))


def clean(text: str) -> str:
    """User text with line ends normalised, tabs as spaces and glyph-less characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    # U+2028/2029 are line and paragraph separators: treat them as newlines.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join(_clean_line(line) for line in text.split("\n"))


def ensure_registered() -> dict[str, frozenset[int]]:
    """Registers the bundled fonts with reportlab (once) and returns their character maps."""
    global _charmaps
    if _charmaps is not None:
        return _charmaps
    with _lock:
        if _charmaps is not None:
            return _charmaps
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from careerdesk.assets import resource_path

        charmaps: dict[str, frozenset[int]] = {}
        font_class = _copyable_font_class(TTFont)
        for spec in (*FONT_FILES, _BOLD_FILE):
            path = resource_path("fonts", spec.file)
            try:
                font = font_class(spec.name, str(path))
            except Exception as exc:  # reportlab raises TTFError and plain OSError alike
                raise ExportError(
                    f"A font CareerDesk needs for PDFs is missing or damaged: {spec.file}.",
                    hint="Reinstall CareerDesk.",
                ) from exc
            pdfmetrics.registerFont(font)
            charmaps[spec.name] = frozenset(font.face.charToGlyph)
        # <b> inside a paragraph switches DejaVu to its bold face; the fallback fonts have no
        # bold, so their runs stay regular rather than falling back to a face without glyphs.
        for spec in FONT_FILES:
            bold = spec.bold or spec.name
            addMapping(spec.name, 0, 0, spec.name)
            addMapping(spec.name, 1, 0, bold)
            addMapping(spec.name, 0, 1, spec.name)
            addMapping(spec.name, 1, 1, bold)
        _charmaps = charmaps
        return charmaps


#: The lam-alef ligatures (isolated and final forms) and the alef each one holds.
_LAM_ALEF: dict[int, str] = {
    0xFEF5: "\u0622", 0xFEF6: "\u0622", 0xFEF7: "\u0623", 0xFEF8: "\u0623",
    0xFEF9: "\u0625", 0xFEFA: "\u0625", 0xFEFB: "\u0627", 0xFEFC: "\u0627",
}
#: Invisible, zero-width characters (dropped from user text by :func:`clean`, so never
#: typed) that carry a lam-alef's alef when the text is copied out: see :func:`split_lam_alef`.
_CARRIERS: dict[int, str] = {0x2061: "\u0622", 0x2062: "\u0623", 0x2063: "\u0625",
                             0x2064: "\u0627"}
_CARRIER_FOR = {alef: chr(code) for code, alef in _CARRIERS.items()}
_LAM_ALEF_RE = re.compile("[\ufef5-\ufefc]")


def split_lam_alef(visual: str) -> str:
    """Puts an invisible carrier of its alef before (to the left of) each lam-alef ligature.

    A ligature is one glyph for two letters. Mapped to both ("لا"), pypdf copies it right but
    pdftotext reverses the pair with the rest of the right-to-left run ("ال"). So the glyph
    copies as lam alone and a zero-width glyph drawn just left of it, where the alef is written,
    copies as the alef: both extractors then give lam, alef.
    """
    if not _LAM_ALEF_RE.search(visual):
        return visual
    return _LAM_ALEF_RE.sub(lambda m: _CARRIER_FOR[_LAM_ALEF[ord(m.group())]] + m.group(),
                            visual)


def copy_text(code: int) -> str:
    """What a reader should get when the glyph drawn for ``code`` is copied out of a PDF.

    Arabic is drawn in presentation forms (shaped by arabic_reshaper); copying or searching a
    PDF must give the letters the user typed, so each form maps back to its base letters (NFKC:
    U+FEFB LAM WITH ALEF -> "لا"). Extractors then put the right-to-left run back in logical
    order. Every other character is itself.
    """
    ch = chr(code)
    if code in _LAM_ALEF:
        return "\u0644"  # lam; its alef is the invisible carrier drawn before it
    if code in _CARRIERS:
        return _CARRIERS[code]
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        letters = unicodedata.normalize("NFKC", ch).replace(" ", "")
        if letters and all(not 0xFB50 <= ord(c) <= 0xFEFF for c in letters):
            return letters
    return ch


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A font subset's ToUnicode CMap: each code to the text of :func:`copy_text`, written as
    UTF-16BE (reportlab's own writes 5 hex digits for characters beyond U+FFFF, which readers
    reject: copied emoji came out wrong)."""
    def utf16(text: str) -> str:
        return text.encode("utf-16-be").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(copy_text(code))}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def _copyable_font_class(base: type) -> type:
    """reportlab's TTFont whose subsets carry :func:`to_unicode_cmap` as their ToUnicode."""

    class CopyableTTFont(base):  # type: ignore[misc]  # reportlab is untyped
        def addObjects(self, doc: Any) -> None:  # reportlab override
            from reportlab.pdfbase.ttfonts import SUBSETN

            state = self.state.get(doc)  # reportlab drops it in addObjects
            subsets = [list(s) for s in state.subsets] if state is not None else []
            super().addObjects(doc)
            for n, subset in enumerate(subsets):
                name = b"".join((SUBSETN(n), b"+", self.face.name,
                                 self.face.subfontNameX)).decode("pdfdoc")
                stream = doc.idToObject.get("toUnicodeCMap:" + name)
                if stream is not None:
                    stream.content = to_unicode_cmap(name, subset)

    return CopyableTTFont


@cache
def _chars(font: str | None) -> frozenset[str]:
    """The characters ``font`` has (None: any bundled font, plus newline and space), as
    strings, so a whole text is checked with one set operation."""
    charmaps = ensure_registered()
    codes = charmaps[font] if font is not None else frozenset().union(*charmaps.values())
    chars = frozenset(chr(code) for code in codes)
    return chars | {"\n", " "} if font is None else chars


def font_for(ch: str) -> str | None:
    """The registered name of the first bundled font that has ``ch``; None if none has it."""
    charmaps = ensure_registered()
    code = ord(ch)
    for spec in FONT_FILES:
        if code in charmaps[spec.name]:
            return spec.name
    return None


def has_rtl(text: str) -> bool:
    """True when ``text`` has a right-to-left letter (Hebrew, Arabic...); cheap for Latin text."""
    if not _RTL.search(text):
        return False
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def base_direction(line: str) -> Literal["L", "R"]:
    """The direction a logical line reads in: that of its first strong letter (``L`` if none).

    This is the Unicode rule (P2, P3) for a paragraph: an Arabic name inside an English
    sentence leaves it left-to-right; a Hebrew sentence with an English word stays
    right-to-left.
    """
    if not _RTL.search(line):
        return "L"
    for ch in line:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return "L"


def shape(line: str) -> str:
    """Arabic letters in their joined (presentation) forms, still in logical order.

    Letters join only inside a word, so a shaped line can be broken at its spaces.
    """
    if not has_rtl(line):
        return line
    return str(_reshaper().reshape(line))


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    """arabic_reshaper without the ligatures our body font cannot draw.

    Its default joins "الله" (as in the name عبد الله) into U+FDF2, which DejaVu Sans lacks:
    the export would refuse the name. Letters then join one by one, which the font has.
    """
    import arabic_reshaper
    from arabic_reshaper.ligatures import LIGATURES

    body = ensure_registered()[BODY]
    off = {name: False for name, (_, forms) in LIGATURES
           if not all(ord(ch) in body for form in forms for ch in form)}
    return arabic_reshaper.ArabicReshaper(configuration=off)


def reorder(shaped: str, base: Literal["L", "R"]) -> str:
    """One shaped line (or one wrapped part of a line) in visual order, read in ``base``.

    The base comes from the whole logical line (:func:`base_direction`), not from the part:
    the second part of a Hebrew line may start with an English word.
    """
    if not has_rtl(shaped):
        return shaped
    from bidi import get_display

    return split_lam_alef(str(get_display(shaped, base_dir=base)))


def visual_line(line: str) -> str:
    """One logical line in the form reportlab must draw: Arabic shaped, right-to-left reordered.

    Lines without right-to-left letters come back unchanged. Only right for a line that is drawn
    on one line (names, titles, short cells): a paragraph that may wrap must be broken in
    logical order first (the renderer's right-to-left paragraphs do that).
    """
    if not has_rtl(line):
        return line
    return reorder(shape(line), base_direction(line))


@lru_cache(maxsize=4096)  # the font check and the layout both need it for every text
def visual_text(text: str) -> str:
    """:func:`clean` then :func:`visual_line` on every line."""
    return "\n".join(visual_line(line) for line in clean(text).split("\n"))


def runs(line: str) -> Iterator[tuple[str, str]]:
    """Splits drawable text into ``(font name, text)`` runs; :data:`BODY` means "the style's font".

    Spaces stay in the current run. A character no font has is set in :data:`BODY`, where it
    would not show: callers check coverage first (:func:`check_coverage`).
    """
    charmaps = ensure_registered()
    if _chars(BODY).issuperset(line):  # the common case: one run, no per-character work
        if line:
            yield BODY, line
        return
    order = [(spec.name, charmaps[spec.name]) for spec in FONT_FILES]
    current = BODY
    buffer: list[str] = []
    for ch in line:
        if ch == " ":
            buffer.append(ch)
            continue
        code = ord(ch)
        font = next((name for name, codes in order if code in codes), BODY)
        if font != current:
            if buffer:
                yield current, "".join(buffer)
                buffer = []
            current = font
        buffer.append(ch)
    if buffer:
        yield current, "".join(buffer)


def missing_characters(texts: Iterable[str]) -> list[str]:
    """The distinct characters (in first-seen order) of ``texts`` that no bundled font has."""
    seen: dict[str, None] = {}
    known = _chars(None)
    for text in texts:
        visual = visual_text(text)
        if known.issuperset(visual):  # C speed: the common case
            continue
        for ch in visual:
            if ch not in known and ch not in seen:
                seen[ch] = None
    return list(seen)


def describe(chars: Iterable[str]) -> str:
    """``'🧿' (U+1F9FF NAZAR AMULET), ...`` for a user message."""
    parts = []
    for ch in chars:
        name = unicodedata.name(ch, "unnamed character")
        parts.append(f"'{ch}' (U+{ord(ch):04X} {name})")
    return ", ".join(parts)


def check_coverage(texts: Iterable[str]) -> None:
    """Raises :class:`ExportError` naming every character no bundled font can draw."""
    missing = missing_characters(texts)
    if missing:
        shown = missing[:10]
        more = f" and {len(missing) - len(shown)} more" if len(missing) > len(shown) else ""
        raise ExportError(
            "This export contains characters that no font bundled with CareerDesk can show: "
            f"{describe(shown)}{more}.",
            hint="Replace or remove them, then export again.",
        )
