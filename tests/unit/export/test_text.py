"""User text becomes markup that prints exactly the text and makes nothing else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerdesk.export import fonts
from careerdesk.export.text import escape, markup

from .samples import PAYLOADS

ALLOWED_TAG = re.compile(r'<br/>|<font name="CD-[A-Za-z-]+">|</font>')


def _plain(markup_text: str) -> str:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    fonts.ensure_registered()
    para = Paragraph(markup_text, ParagraphStyle("t", fontName=fonts.BODY))
    return "".join(f.text for f in para.frags if hasattr(f, "text"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_payloads_stay_text(payload: str) -> None:
    out = markup(payload)
    assert ALLOWED_TAG.sub("", out).count("<") == 0
    assert _plain(out) == payload


def test_newlines_become_breaks() -> None:
    assert markup("one\ntwo\r\nthree") == "one<br/>two<br/>three"


def test_fallback_runs_are_wrapped_in_our_fonts_only() -> None:
    assert markup("a 你 <b>") == 'a <font name="CD-CJK">你 </font>&lt;b&gt;'


drawable = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\u00a0",
).filter(lambda ch: (fonts.font_for(ch) is not None and not ch.isspace()) or ch == " ")


@settings(max_examples=150, deadline=None)
@given(st.text(drawable, max_size=60))
def test_any_drawable_text_round_trips(text: str) -> None:
    """Whatever the user types, the paragraph holds exactly those characters (visual order)."""
    out = markup(text)
    assert ALLOWED_TAG.sub("", out).count("<") == 0
    # Paragraph collapses white space (as it should); every other character must survive.
    assert _plain(out).split() == fonts.visual_text(text).split()


def _measure(text: str) -> float:
    from careerdesk.export import fonts
    from careerdesk.export.text import width

    return width(text, fonts.BODY, 10)


def test_logical_wrap_breaks_where_reportlab_does() -> None:
    from reportlab.platypus import Paragraph

    from careerdesk.export.renderer import PdfRenderer
    from careerdesk.export.text import wrap_logical

    text = ("Breaking lines ourselves must agree with reportlab for plain text, word for word, "
            "so that a paragraph looks the same whichever path it takes. ") * 5
    style = PdfRenderer().styles["body"]
    expected = Paragraph(escape(text), style).breakLines([300]).lines
    got = wrap_logical(text, measure=_measure, space=_measure(" "), widths=[300], shrink=0.05)
    assert got == [" ".join(words) for _, words in expected]


def test_logical_wrap_first_line_width_and_long_words() -> None:
    from careerdesk.export.text import wrap_logical

    lines = wrap_logical("שלום " * 30, measure=_measure, space=_measure(" "), widths=[50, 200])
    assert _measure(lines[0]) <= 50 < _measure(lines[0] + " שלום")
    assert all(_measure(line) <= 200 for line in lines[1:])
    assert " ".join(lines).split() == ["שלום"] * 30
    cut = wrap_logical("א" * 500, measure=_measure, space=_measure(" "), widths=[100])
    assert "".join(cut) == "א" * 500
    assert all(_measure(line) <= 100 for line in cut)
    assert wrap_logical("", measure=_measure, space=3, widths=[100]) == [""]
