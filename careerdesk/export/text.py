"""User text to safe reportlab ``Paragraph`` markup.

reportlab's ``Paragraph`` parses its input as markup: ``<b>`` makes bold, ``<img src=...>`` reads
a file or URL, ``<a href>`` and ``<link>`` make annotations, ``&`` starts an entity, ``<para>``
raises. User text must never reach it unescaped. The one way in is :func:`markup`:

1. :func:`careerdesk.export.fonts.visual_text`: line ends normalised, glyph-less characters
   dropped, Arabic and Hebrew lines shaped and reordered;
2. every line split into font runs; each run's characters pass through
   :func:`escape` (``xml.sax.saxutils.escape``'s three replacements, written out because that
   module imports ``urllib.request`` and ``http.client``, and the privacy test keeps network
   libraries out of the process) before anything else touches them (escaping the whole line
   first and then splitting it would give the same result: ``&amp;`` and friends are ASCII);
3. runs not in the body font wrapped in ``<font name="...">`` with *our* font name;
4. lines joined with ``<br/>``.

The only tags in the output are ``<font name=...>`` with a bundled font name, and ``<br/>``.
Very long words need nothing here: our styles keep ``splitLongWords`` on, so a word wider than
the line is broken at the line width (tested with 20,000 characters).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from careerdesk.export import fonts


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (``&`` first), exactly like ``xml.sax.saxutils``."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def markup_line(line: str) -> str:
    """One drawable (already visual-order) line as markup; no ``<br/>`` inside."""
    parts: list[str] = []
    for font, text in fonts.runs(line):
        safe = escape(text)
        if font == fonts.BODY:
            parts.append(safe)
        else:
            parts.append(f'<font name="{font}">{safe}</font>')
    return "".join(parts)


def markup(text: str) -> str:
    """User text as Paragraph markup that prints exactly the text, in fonts that have it."""
    lines = fonts.visual_text(text).split("\n")
    return "<br/>".join(markup_line(line) for line in lines)


def plain_runs(text: str) -> list[tuple[str, str]]:
    """A single line of user text as ``(font, text)`` runs for drawing outside a Paragraph.

    Newlines become spaces. Used by the match picture, which draws strings directly.
    """
    line = " ".join(fonts.visual_text(text).split("\n"))
    return list(fonts.runs(line))


def width(line: str, font: str, size: float) -> float:
    """Width in points of a drawable line set in ``font`` (the style's) and the fallback fonts.

    Measured like reportlab measures a paragraph: each font run on its own, no kerning.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(sum(stringWidth(run, font if face == fonts.BODY else face, size)
                     for face, run in fonts.runs(line)))


def wrap_logical(line: str, *, measure: Callable[[str], float], space: float,
                 widths: Sequence[float], shrink: float = 0.0) -> list[str]:
    """Breaks one line in LOGICAL order into lines no wider than ``widths`` (the last repeats).

    Greedy, word by word like reportlab; runs of spaces count as one; a word wider than a whole
    line is cut between characters (reportlab's ``splitLongWords``); like reportlab, a line may
    overrun its width by ``shrink`` times a space per word already on it (its
    ``rl_config.spaceShrinkage``). Right-to-left text must be broken here, before it is put in
    visual order: reportlab breaks lines left to right, so a reordered paragraph would come out
    with its last words on the first line.
    """
    lines: list[str] = []
    current: list[str] = []
    used = 0.0

    def limit() -> float:
        return widths[min(len(lines), len(widths) - 1)]

    for word in line.split():
        w = measure(word)
        if current and used + space + w > limit() + shrink * space * len(current):
            lines.append(" ".join(current))
            current, used = [], 0.0
        while not current and w > limit() and len(word) > 1:
            # Longer than a whole line: as many characters as fit (at least one) on this line.
            cut = 1
            while cut < len(word) and measure(word[:cut + 1]) <= limit():
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
            w = measure(word)
        if current:
            used += space + w
        else:
            used = w
        current.append(word)
    if current or not lines:
        lines.append(" ".join(current))
    return lines
