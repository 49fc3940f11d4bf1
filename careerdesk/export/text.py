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
